# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_bkgctl_global_optspecs
    string join \n server= token= context= config-dir= o/output= q/quiet h/help V/version
end

function __fish_bkgctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_bkgctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_bkgctl_using_subcommand
    set -l cmd (__fish_bkgctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c bkgctl -n "__fish_bkgctl_needs_command" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_needs_command" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_needs_command" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_needs_command" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_needs_command" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_needs_command" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -s V -l version -d 'Print version'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -f -a "plugins" -d 'List, inspect, start, stop and invoke plugins; follow their logs'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -f -a "models" -d 'Download, inspect, validate and remove models'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -f -a "nodes" -d 'List the bkgd nodes sharing the server\'s database, with their plugins'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -f -a "keys" -d 'Manage API keys (the secret is shown once, at create and rotate)'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -f -a "users" -d 'Manage users (admins only)'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -f -a "audit" -d 'Query the audit log'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -f -a "login" -d 'Log in to the server and store the session (refreshed transparently)'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -f -a "logout" -d 'End the session and forget the stored credentials for the server'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -f -a "whoami" -d 'Show who the server thinks you are, with your role and permissions'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -f -a "context" -d 'Manage named contexts (a name for a server) in bkgctl.toml'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -f -a "version" -d 'Print the versions of bkgctl and of the server'
complete -c bkgctl -n "__fish_bkgctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -f -a "ls" -d 'List plugins with their status and node; -A lists every node\'s'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -f -a "show" -d 'Show a plugin: manifest, status, capabilities and config'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -f -a "status" -d 'Show a plugin\'s lifecycle status'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -f -a "caps" -d 'List a plugin\'s capabilities (-o json includes their input and output schemas)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -f -a "start" -d 'Start a plugin; returns once it is running (its handshake completed)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -f -a "stop" -d 'Stop a plugin (SIGTERM, SIGKILL after its stop timeout); returns once it is gone'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -f -a "restart" -d 'Restart a plugin; a running one is hot-swapped without failing a call'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -f -a "logs" -d 'Print a plugin\'s logs; with -f, keep following them live'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -f -a "config" -d 'Read or change a plugin\'s configuration'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -f -a "invoke" -d 'Invoke one of a plugin\'s capabilities with a JSON input'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -f -a "install" -d 'Upload a plugin folder and install its runtime (Python venv, npm ci), or install the runtime of a plugin the daemon has; the installer\'s output streams to stderr (admins)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -f -a "reload" -d 'Pick up new, changed and removed manifests in the daemon\'s plugins directory without restarting it; running plugins are left alone (admins)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and not __fish_seen_subcommand_from ls show status caps start stop restart logs config invoke install reload help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from ls" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from ls" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from ls" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from ls" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from ls" -s A -l all-nodes -d 'Every node\'s plugins (several bkgd on one PostgreSQL): the server\'s live, the other nodes\' as their last heartbeat reported them'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from show" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from show" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from show" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from show" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from status" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from status" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from status" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from status" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from caps" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from caps" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from caps" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from caps" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from caps" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from caps" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from caps" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from start" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from start" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from start" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from start" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from start" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from stop" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from stop" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from stop" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from stop" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from stop" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from stop" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from restart" -l timeout -d 'How long --wait waits before giving up (e.g. 30s, 2m)' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from restart" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from restart" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from restart" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from restart" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from restart" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from restart" -l wait -d 'Wait until the plugin is running again (also through backoff after a failed start)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from restart" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from logs" -l level -d 'Only lines at this level or above' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from logs" -l since -d 'Only lines at or after this time: RFC 3339, or an age like 90s, 5m, 2h' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from logs" -l tail -d 'Show at most the last N lines before following; 0 for only new lines [default: the daemon\'s, 200]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from logs" -l grep -d 'Only lines whose message contains TEXT (case-insensitive)' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from logs" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from logs" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from logs" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from logs" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from logs" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from logs" -s f -l follow -d 'Keep printing lines as the plugin writes them, until Ctrl-C (which exits 0). Lines this terminal was too slow for are fetched again from bkgd\'s files; any that were rotated away first are counted on stderr'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from logs" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from config" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from config" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from config" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from config" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from config" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from config" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print the plugin\'s effective configuration, or the value at KEY'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from config" -f -a "set" -d 'Set values (VALUE is read as JSON when it parses, else as text) or replace the whole configuration with --file'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from config" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from invoke" -l input-file -d 'Read the input from this JSON file' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from invoke" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from invoke" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from invoke" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from invoke" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from invoke" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from invoke" -l stream -d 'Print partial results as they arrive (-o json: one InvokeEvent per line)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from invoke" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from invoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from install" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from install" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from install" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from install" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from install" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from install" -l no-runtime -d 'Upload the folder only; do not install its runtime'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from install" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from reload" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from reload" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from reload" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from reload" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from reload" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from reload" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from reload" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List plugins with their status and node; -A lists every node\'s'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a plugin: manifest, status, capabilities and config'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show a plugin\'s lifecycle status'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from help" -f -a "caps" -d 'List a plugin\'s capabilities (-o json includes their input and output schemas)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start a plugin; returns once it is running (its handshake completed)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop a plugin (SIGTERM, SIGKILL after its stop timeout); returns once it is gone'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from help" -f -a "restart" -d 'Restart a plugin; a running one is hot-swapped without failing a call'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Print a plugin\'s logs; with -f, keep following them live'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from help" -f -a "config" -d 'Read or change a plugin\'s configuration'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from help" -f -a "invoke" -d 'Invoke one of a plugin\'s capabilities with a JSON input'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from help" -f -a "install" -d 'Upload a plugin folder and install its runtime (Python venv, npm ci), or install the runtime of a plugin the daemon has; the installer\'s output streams to stderr (admins)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from help" -f -a "reload" -d 'Pick up new, changed and removed manifests in the daemon\'s plugins directory without restarting it; running plugins are left alone (admins)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand plugins; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and not __fish_seen_subcommand_from ls show pull rm validate import help" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and not __fish_seen_subcommand_from ls show pull rm validate import help" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and not __fish_seen_subcommand_from ls show pull rm validate import help" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and not __fish_seen_subcommand_from ls show pull rm validate import help" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and not __fish_seen_subcommand_from ls show pull rm validate import help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and not __fish_seen_subcommand_from ls show pull rm validate import help" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and not __fish_seen_subcommand_from ls show pull rm validate import help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and not __fish_seen_subcommand_from ls show pull rm validate import help" -f -a "ls" -d 'List the models in the registry with their status'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and not __fish_seen_subcommand_from ls show pull rm validate import help" -f -a "show" -d 'Show a model with its files'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and not __fish_seen_subcommand_from ls show pull rm validate import help" -f -a "pull" -d 'Download a model from the hub, showing progress until it is ready'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and not __fish_seen_subcommand_from ls show pull rm validate import help" -f -a "rm" -d 'Remove a model\'s files and registry entry'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and not __fish_seen_subcommand_from ls show pull rm validate import help" -f -a "validate" -d 'Re-verify a model\'s hashes and headers (exits 1 when it is invalid)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and not __fish_seen_subcommand_from ls show pull rm validate import help" -f -a "import" -d 'Register a model from a folder on the daemon\'s machine (admins; only from folders listed in the daemon\'s `[models] import_roots`)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and not __fish_seen_subcommand_from ls show pull rm validate import help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from ls" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from ls" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from ls" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from ls" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from show" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from show" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from show" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from show" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from pull" -l revision -d 'Branch, tag or commit [default: main]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from pull" -l file -d 'Only files matching this glob, e.g. \'*.safetensors\' (repeatable)' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from pull" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from pull" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from pull" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from pull" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from pull" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from pull" -l detach -d 'Return once the daemon accepted the download (prints the job; -o json: DownloadAccepted)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from rm" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from rm" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from rm" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from rm" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from rm" -l force -d 'Remove it even while plugins use it'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from validate" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from validate" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from validate" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from validate" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from validate" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from import" -l repo -d 'Name to register it under (org/name) [default: local/<folder name>]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from import" -l revision -d 'Revision to record' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from import" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from import" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from import" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from import" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from import" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List the models in the registry with their status'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a model with its files'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "pull" -d 'Download a model from the hub, showing progress until it is ready'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove a model\'s files and registry entry'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Re-verify a model\'s hashes and headers (exits 1 when it is invalid)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "import" -d 'Register a model from a folder on the daemon\'s machine (admins; only from folders listed in the daemon\'s `[models] import_roots`)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and not __fish_seen_subcommand_from ls help" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and not __fish_seen_subcommand_from ls help" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and not __fish_seen_subcommand_from ls help" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and not __fish_seen_subcommand_from ls help" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and not __fish_seen_subcommand_from ls help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and not __fish_seen_subcommand_from ls help" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and not __fish_seen_subcommand_from ls help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and not __fish_seen_subcommand_from ls help" -f -a "ls" -d 'List the nodes of the cluster (one on SQLite): state, URL, version, plugins running. Plugins run per node: to act on one on another node, use that node\'s URL (--server)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and not __fish_seen_subcommand_from ls help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and __fish_seen_subcommand_from ls" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and __fish_seen_subcommand_from ls" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and __fish_seen_subcommand_from ls" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and __fish_seen_subcommand_from ls" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List the nodes of the cluster (one on SQLite): state, URL, version, plugins running. Plugins run per node: to act on one on another node, use that node\'s URL (--server)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand nodes; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and not __fish_seen_subcommand_from ls create update rotate rm help" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and not __fish_seen_subcommand_from ls create update rotate rm help" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and not __fish_seen_subcommand_from ls create update rotate rm help" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and not __fish_seen_subcommand_from ls create update rotate rm help" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and not __fish_seen_subcommand_from ls create update rotate rm help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and not __fish_seen_subcommand_from ls create update rotate rm help" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and not __fish_seen_subcommand_from ls create update rotate rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and not __fish_seen_subcommand_from ls create update rotate rm help" -f -a "ls" -d 'List the API keys you may see (your own; every key for admins)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and not __fish_seen_subcommand_from ls create update rotate rm help" -f -a "create" -d 'Create an API key and print its secret, this once'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and not __fish_seen_subcommand_from ls create update rotate rm help" -f -a "update" -d 'Change a key\'s name, role, scopes, expiry or enabled state'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and not __fish_seen_subcommand_from ls create update rotate rm help" -f -a "rotate" -d 'Issue a new secret for a key and print it, this once'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and not __fish_seen_subcommand_from ls create update rotate rm help" -f -a "rm" -d 'Delete a key; requests with it are refused from then on'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and not __fish_seen_subcommand_from ls create update rotate rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from ls" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from ls" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from ls" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from ls" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from create" -l role -d 'The key\'s role [default: the owner\'s]; never more than the owner\'s' -r -f -a "admin\t''
developer\t''
readonly\t''"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from create" -l scope -d 'Limit the key to these permissions (repeatable) [default: all of its role]' -r -f -a "plugins:read\t''
plugins:lifecycle\t''
plugins:invoke\t''
plugins:configure\t''
plugins:admin\t''
models:read\t''
models:write\t''
models:import\t''
documents:read\t''
documents:write\t''
analytics:read\t''
keys:own\t''
keys:all\t''
users:read\t''
users:write\t''
audit:read\t''
config:read\t''"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from create" -l expires -d 'When the key stops working: RFC 3339, or a duration from now like 90d' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from create" -l user -d 'The owner, by id or username (admins only) [default: you]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from create" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from create" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from create" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from create" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -l name -d 'New name' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -l role -d 'New role' -r -f -a "admin\t''
developer\t''
readonly\t''"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -l scope -d 'Replace the scopes (repeatable)' -r -f -a "plugins:read\t''
plugins:lifecycle\t''
plugins:invoke\t''
plugins:configure\t''
plugins:admin\t''
models:read\t''
models:write\t''
models:import\t''
documents:read\t''
documents:write\t''
analytics:read\t''
keys:own\t''
keys:all\t''
users:read\t''
users:write\t''
audit:read\t''
config:read\t''"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -l expires -d 'New expiry: RFC 3339, or a duration from now like 90d' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -l all-scopes -d 'Remove the scopes: the key may do all its role may'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -l no-expiry -d 'Remove the expiry'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -l enable -d 'Enable the key'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -l disable -d 'Disable the key (requests with it are refused until it is enabled)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l grace -d 'How long the old secret keeps working (e.g. 1h) [default: it stops at once]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rm" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rm" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rm" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rm" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List the API keys you may see (your own; every key for admins)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create an API key and print its secret, this once'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a key\'s name, role, scopes, expiry or enabled state'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Issue a new secret for a key and print it, this once'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Delete a key; requests with it are refused from then on'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and not __fish_seen_subcommand_from ls create update rm help" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and not __fish_seen_subcommand_from ls create update rm help" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and not __fish_seen_subcommand_from ls create update rm help" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and not __fish_seen_subcommand_from ls create update rm help" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and not __fish_seen_subcommand_from ls create update rm help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and not __fish_seen_subcommand_from ls create update rm help" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and not __fish_seen_subcommand_from ls create update rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and not __fish_seen_subcommand_from ls create update rm help" -f -a "ls" -d 'List users'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and not __fish_seen_subcommand_from ls create update rm help" -f -a "create" -d 'Create a user; the password is asked for without echo, or read from stdin'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and not __fish_seen_subcommand_from ls create update rm help" -f -a "update" -d 'Change a user\'s role, password or enabled state'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and not __fish_seen_subcommand_from ls create update rm help" -f -a "rm" -d 'Delete a user and their API keys'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and not __fish_seen_subcommand_from ls create update rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from ls" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from ls" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from ls" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from ls" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from create" -l role -d 'The user\'s role' -r -f -a "admin\t''
developer\t''
readonly\t''"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from create" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from create" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from create" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from create" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from create" -l password-stdin -d 'Read the password from stdin instead of asking for it'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from update" -l role -d 'New role (ends the user\'s sessions)' -r -f -a "admin\t''
developer\t''
readonly\t''"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from update" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from update" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from update" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from update" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from update" -l password -d 'Set a new password, asked for without echo (ends the user\'s sessions)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from update" -l password-stdin -d 'Set a new password read from stdin'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from update" -l enable -d 'Enable the user'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from update" -l disable -d 'Disable the user (ends their sessions; their keys stop working)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from rm" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from rm" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from rm" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from rm" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List users'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a user; the password is asked for without echo, or read from stdin'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a user\'s role, password or enabled state'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Delete a user and their API keys'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand users; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and not __fish_seen_subcommand_from ls help" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and not __fish_seen_subcommand_from ls help" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and not __fish_seen_subcommand_from ls help" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and not __fish_seen_subcommand_from ls help" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and not __fish_seen_subcommand_from ls help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and not __fish_seen_subcommand_from ls help" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and not __fish_seen_subcommand_from ls help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and not __fish_seen_subcommand_from ls help" -f -a "ls" -d 'List audit events, newest first'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and not __fish_seen_subcommand_from ls help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from ls" -l actor -d 'Only events by this username (or key:<prefix>)' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from ls" -l action -d 'Only this action, or every action under a prefix ending in a dot (key.)' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from ls" -l target -d 'Only events about this target' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from ls" -l since -d 'Only events at or after this time: RFC 3339, or an age like 24h' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from ls" -l until -d 'Only events before this time: RFC 3339, or an age like 1h' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from ls" -l limit -d 'At most this many events [default: 100, at most 1000]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from ls" -l before -d 'Only events older than this id (the `next` of the previous page)' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from ls" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from ls" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from ls" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from ls" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List audit events, newest first'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand login" -s u -l username -d 'The user to log in as [default: asked on the terminal]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand login" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand login" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand login" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand login" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand login" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand login" -l password-stdin -d 'Read the password from stdin instead of asking for it without echo'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand login" -l with-token -d 'Store an API key (or access token) read from stdin instead of logging in with a password'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand login" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand logout" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand logout" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand logout" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand logout" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand logout" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand logout" -l all -d 'End every session of the user, on every machine'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand logout" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand whoami" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand whoami" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand whoami" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand whoami" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand whoami" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand whoami" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand whoami" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and not __fish_seen_subcommand_from ls set use rm help" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and not __fish_seen_subcommand_from ls set use rm help" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and not __fish_seen_subcommand_from ls set use rm help" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and not __fish_seen_subcommand_from ls set use rm help" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and not __fish_seen_subcommand_from ls set use rm help" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and not __fish_seen_subcommand_from ls set use rm help" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and not __fish_seen_subcommand_from ls set use rm help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and not __fish_seen_subcommand_from ls set use rm help" -f -a "ls" -d 'List the contexts; the current one is marked with *'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and not __fish_seen_subcommand_from ls set use rm help" -f -a "set" -d 'Add a context or change its server'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and not __fish_seen_subcommand_from ls set use rm help" -f -a "use" -d 'Make a context the current one'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and not __fish_seen_subcommand_from ls set use rm help" -f -a "rm" -d 'Remove a context'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and not __fish_seen_subcommand_from ls set use rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from ls" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from ls" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from ls" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from ls" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from set" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from set" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from set" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from set" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from set" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from set" -l use -d 'Also make it the current context'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from use" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from use" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from use" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from use" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from use" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from use" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from rm" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from rm" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from rm" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from rm" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List the contexts; the current one is marked with *'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "set" -d 'Add a context or change its server'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make a context the current one'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove a context'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand completion" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand completion" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand completion" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand completion" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand completion" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand completion" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand version" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand version" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand version" -l context -d 'Context to use instead of the current one' -r
complete -c bkgctl -n "__fish_bkgctl_using_subcommand version" -l config-dir -d 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]' -r -F
complete -c bkgctl -n "__fish_bkgctl_using_subcommand version" -s o -l output -d 'Output format' -r -f -a "table\t'Aligned columns for people (the default)'
json\t'The API\'s JSON, stable for scripts'
yaml\t'The same data as YAML'"
complete -c bkgctl -n "__fish_bkgctl_using_subcommand version" -l client -d 'Only the client\'s version; do not ask the server'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand version" -s q -l quiet -d 'Print only ids, one per line'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and not __fish_seen_subcommand_from plugins models nodes keys users audit login logout whoami context completion version help" -f -a "plugins" -d 'List, inspect, start, stop and invoke plugins; follow their logs'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and not __fish_seen_subcommand_from plugins models nodes keys users audit login logout whoami context completion version help" -f -a "models" -d 'Download, inspect, validate and remove models'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and not __fish_seen_subcommand_from plugins models nodes keys users audit login logout whoami context completion version help" -f -a "nodes" -d 'List the bkgd nodes sharing the server\'s database, with their plugins'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and not __fish_seen_subcommand_from plugins models nodes keys users audit login logout whoami context completion version help" -f -a "keys" -d 'Manage API keys (the secret is shown once, at create and rotate)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and not __fish_seen_subcommand_from plugins models nodes keys users audit login logout whoami context completion version help" -f -a "users" -d 'Manage users (admins only)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and not __fish_seen_subcommand_from plugins models nodes keys users audit login logout whoami context completion version help" -f -a "audit" -d 'Query the audit log'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and not __fish_seen_subcommand_from plugins models nodes keys users audit login logout whoami context completion version help" -f -a "login" -d 'Log in to the server and store the session (refreshed transparently)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and not __fish_seen_subcommand_from plugins models nodes keys users audit login logout whoami context completion version help" -f -a "logout" -d 'End the session and forget the stored credentials for the server'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and not __fish_seen_subcommand_from plugins models nodes keys users audit login logout whoami context completion version help" -f -a "whoami" -d 'Show who the server thinks you are, with your role and permissions'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and not __fish_seen_subcommand_from plugins models nodes keys users audit login logout whoami context completion version help" -f -a "context" -d 'Manage named contexts (a name for a server) in bkgctl.toml'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and not __fish_seen_subcommand_from plugins models nodes keys users audit login logout whoami context completion version help" -f -a "completion" -d 'Print a shell completion script'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and not __fish_seen_subcommand_from plugins models nodes keys users audit login logout whoami context completion version help" -f -a "version" -d 'Print the versions of bkgctl and of the server'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and not __fish_seen_subcommand_from plugins models nodes keys users audit login logout whoami context completion version help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from plugins" -f -a "ls" -d 'List plugins with their status and node; -A lists every node\'s'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from plugins" -f -a "show" -d 'Show a plugin: manifest, status, capabilities and config'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from plugins" -f -a "status" -d 'Show a plugin\'s lifecycle status'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from plugins" -f -a "caps" -d 'List a plugin\'s capabilities (-o json includes their input and output schemas)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from plugins" -f -a "start" -d 'Start a plugin; returns once it is running (its handshake completed)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from plugins" -f -a "stop" -d 'Stop a plugin (SIGTERM, SIGKILL after its stop timeout); returns once it is gone'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from plugins" -f -a "restart" -d 'Restart a plugin; a running one is hot-swapped without failing a call'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from plugins" -f -a "logs" -d 'Print a plugin\'s logs; with -f, keep following them live'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from plugins" -f -a "config" -d 'Read or change a plugin\'s configuration'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from plugins" -f -a "invoke" -d 'Invoke one of a plugin\'s capabilities with a JSON input'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from plugins" -f -a "install" -d 'Upload a plugin folder and install its runtime (Python venv, npm ci), or install the runtime of a plugin the daemon has; the installer\'s output streams to stderr (admins)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from plugins" -f -a "reload" -d 'Pick up new, changed and removed manifests in the daemon\'s plugins directory without restarting it; running plugins are left alone (admins)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from models" -f -a "ls" -d 'List the models in the registry with their status'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from models" -f -a "show" -d 'Show a model with its files'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from models" -f -a "pull" -d 'Download a model from the hub, showing progress until it is ready'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from models" -f -a "rm" -d 'Remove a model\'s files and registry entry'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from models" -f -a "validate" -d 'Re-verify a model\'s hashes and headers (exits 1 when it is invalid)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from models" -f -a "import" -d 'Register a model from a folder on the daemon\'s machine (admins; only from folders listed in the daemon\'s `[models] import_roots`)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from nodes" -f -a "ls" -d 'List the nodes of the cluster (one on SQLite): state, URL, version, plugins running. Plugins run per node: to act on one on another node, use that node\'s URL (--server)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "ls" -d 'List the API keys you may see (your own; every key for admins)'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "create" -d 'Create an API key and print its secret, this once'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "update" -d 'Change a key\'s name, role, scopes, expiry or enabled state'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "rotate" -d 'Issue a new secret for a key and print it, this once'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "rm" -d 'Delete a key; requests with it are refused from then on'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "ls" -d 'List users'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "create" -d 'Create a user; the password is asked for without echo, or read from stdin'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "update" -d 'Change a user\'s role, password or enabled state'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from users" -f -a "rm" -d 'Delete a user and their API keys'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "ls" -d 'List audit events, newest first'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "ls" -d 'List the contexts; the current one is marked with *'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "set" -d 'Add a context or change its server'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "use" -d 'Make a context the current one'
complete -c bkgctl -n "__fish_bkgctl_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "rm" -d 'Remove a context'

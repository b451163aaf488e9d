
use builtin;
use str;

set edit:completion:arg-completer[bkgctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'bkgctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'bkgctl'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand plugins 'List, inspect, start, stop and invoke plugins; follow their logs'
            cand models 'Download, inspect, validate and remove models'
            cand nodes 'List the bkgd nodes sharing the server''s database, with their plugins'
            cand keys 'Manage API keys (the secret is shown once, at create and rotate)'
            cand users 'Manage users (admins only)'
            cand audit 'Query the audit log'
            cand login 'Log in to the server and store the session (refreshed transparently)'
            cand logout 'End the session and forget the stored credentials for the server'
            cand whoami 'Show who the server thinks you are, with your role and permissions'
            cand context 'Manage named contexts (a name for a server) in bkgctl.toml'
            cand completion 'Print a shell completion script'
            cand version 'Print the versions of bkgctl and of the server'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;plugins'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand ls 'List plugins with their status and node; -A lists every node''s'
            cand show 'Show a plugin: manifest, status, capabilities and config'
            cand status 'Show a plugin''s lifecycle status'
            cand caps 'List a plugin''s capabilities (-o json includes their input and output schemas)'
            cand start 'Start a plugin; returns once it is running (its handshake completed)'
            cand stop 'Stop a plugin (SIGTERM, SIGKILL after its stop timeout); returns once it is gone'
            cand restart 'Restart a plugin; a running one is hot-swapped without failing a call'
            cand logs 'Print a plugin''s logs; with -f, keep following them live'
            cand config 'Read or change a plugin''s configuration'
            cand invoke 'Invoke one of a plugin''s capabilities with a JSON input'
            cand install 'Upload a plugin folder and install its runtime (Python venv, npm ci), or install the runtime of a plugin the daemon has; the installer''s output streams to stderr (admins)'
            cand reload 'Pick up new, changed and removed manifests in the daemon''s plugins directory without restarting it; running plugins are left alone (admins)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;plugins;ls'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -A 'Every node''s plugins (several bkgd on one PostgreSQL): the server''s live, the other nodes'' as their last heartbeat reported them'
            cand --all-nodes 'Every node''s plugins (several bkgd on one PostgreSQL): the server''s live, the other nodes'' as their last heartbeat reported them'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;plugins;show'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;plugins;status'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;plugins;caps'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;plugins;start'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;plugins;stop'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;plugins;restart'= {
            cand --timeout 'How long --wait waits before giving up (e.g. 30s, 2m)'
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --wait 'Wait until the plugin is running again (also through backoff after a failed start)'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;plugins;logs'= {
            cand --level 'Only lines at this level or above'
            cand --since 'Only lines at or after this time: RFC 3339, or an age like 90s, 5m, 2h'
            cand --tail 'Show at most the last N lines before following; 0 for only new lines [default: the daemon''s, 200]'
            cand --grep 'Only lines whose message contains TEXT (case-insensitive)'
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -f 'Keep printing lines as the plugin writes them, until Ctrl-C (which exits 0). Lines this terminal was too slow for are fetched again from bkgd''s files; any that were rotated away first are counted on stderr'
            cand --follow 'Keep printing lines as the plugin writes them, until Ctrl-C (which exits 0). Lines this terminal was too slow for are fetched again from bkgd''s files; any that were rotated away first are counted on stderr'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;plugins;config'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand get 'Print the plugin''s effective configuration, or the value at KEY'
            cand set 'Set values (VALUE is read as JSON when it parses, else as text) or replace the whole configuration with --file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;plugins;config;get'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;plugins;config;set'= {
            cand --unset 'Remove a key (repeatable)'
            cand --file 'Replace the configuration with this JSON file (- for stdin)'
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;plugins;config;help'= {
            cand get 'Print the plugin''s effective configuration, or the value at KEY'
            cand set 'Set values (VALUE is read as JSON when it parses, else as text) or replace the whole configuration with --file'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;plugins;config;help;get'= {
        }
        &'bkgctl;plugins;config;help;set'= {
        }
        &'bkgctl;plugins;config;help;help'= {
        }
        &'bkgctl;plugins;invoke'= {
            cand --input-file 'Read the input from this JSON file'
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --stream 'Print partial results as they arrive (-o json: one InvokeEvent per line)'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;plugins;install'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --no-runtime 'Upload the folder only; do not install its runtime'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;plugins;reload'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;plugins;help'= {
            cand ls 'List plugins with their status and node; -A lists every node''s'
            cand show 'Show a plugin: manifest, status, capabilities and config'
            cand status 'Show a plugin''s lifecycle status'
            cand caps 'List a plugin''s capabilities (-o json includes their input and output schemas)'
            cand start 'Start a plugin; returns once it is running (its handshake completed)'
            cand stop 'Stop a plugin (SIGTERM, SIGKILL after its stop timeout); returns once it is gone'
            cand restart 'Restart a plugin; a running one is hot-swapped without failing a call'
            cand logs 'Print a plugin''s logs; with -f, keep following them live'
            cand config 'Read or change a plugin''s configuration'
            cand invoke 'Invoke one of a plugin''s capabilities with a JSON input'
            cand install 'Upload a plugin folder and install its runtime (Python venv, npm ci), or install the runtime of a plugin the daemon has; the installer''s output streams to stderr (admins)'
            cand reload 'Pick up new, changed and removed manifests in the daemon''s plugins directory without restarting it; running plugins are left alone (admins)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;plugins;help;ls'= {
        }
        &'bkgctl;plugins;help;show'= {
        }
        &'bkgctl;plugins;help;status'= {
        }
        &'bkgctl;plugins;help;caps'= {
        }
        &'bkgctl;plugins;help;start'= {
        }
        &'bkgctl;plugins;help;stop'= {
        }
        &'bkgctl;plugins;help;restart'= {
        }
        &'bkgctl;plugins;help;logs'= {
        }
        &'bkgctl;plugins;help;config'= {
            cand get 'Print the plugin''s effective configuration, or the value at KEY'
            cand set 'Set values (VALUE is read as JSON when it parses, else as text) or replace the whole configuration with --file'
        }
        &'bkgctl;plugins;help;config;get'= {
        }
        &'bkgctl;plugins;help;config;set'= {
        }
        &'bkgctl;plugins;help;invoke'= {
        }
        &'bkgctl;plugins;help;install'= {
        }
        &'bkgctl;plugins;help;reload'= {
        }
        &'bkgctl;plugins;help;help'= {
        }
        &'bkgctl;models'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand ls 'List the models in the registry with their status'
            cand show 'Show a model with its files'
            cand pull 'Download a model from the hub, showing progress until it is ready'
            cand rm 'Remove a model''s files and registry entry'
            cand validate 'Re-verify a model''s hashes and headers (exits 1 when it is invalid)'
            cand import 'Register a model from a folder on the daemon''s machine (admins; only from folders listed in the daemon''s `[models] import_roots`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;models;ls'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;models;show'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;models;pull'= {
            cand --revision 'Branch, tag or commit [default: main]'
            cand --file 'Only files matching this glob, e.g. ''*.safetensors'' (repeatable)'
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --detach 'Return once the daemon accepted the download (prints the job; -o json: DownloadAccepted)'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;models;rm'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --force 'Remove it even while plugins use it'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;models;validate'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;models;import'= {
            cand --repo 'Name to register it under (org/name) [default: local/<folder name>]'
            cand --revision 'Revision to record'
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;models;help'= {
            cand ls 'List the models in the registry with their status'
            cand show 'Show a model with its files'
            cand pull 'Download a model from the hub, showing progress until it is ready'
            cand rm 'Remove a model''s files and registry entry'
            cand validate 'Re-verify a model''s hashes and headers (exits 1 when it is invalid)'
            cand import 'Register a model from a folder on the daemon''s machine (admins; only from folders listed in the daemon''s `[models] import_roots`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;models;help;ls'= {
        }
        &'bkgctl;models;help;show'= {
        }
        &'bkgctl;models;help;pull'= {
        }
        &'bkgctl;models;help;rm'= {
        }
        &'bkgctl;models;help;validate'= {
        }
        &'bkgctl;models;help;import'= {
        }
        &'bkgctl;models;help;help'= {
        }
        &'bkgctl;nodes'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand ls 'List the nodes of the cluster (one on SQLite): state, URL, version, plugins running. Plugins run per node: to act on one on another node, use that node''s URL (--server)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;nodes;ls'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;nodes;help'= {
            cand ls 'List the nodes of the cluster (one on SQLite): state, URL, version, plugins running. Plugins run per node: to act on one on another node, use that node''s URL (--server)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;nodes;help;ls'= {
        }
        &'bkgctl;nodes;help;help'= {
        }
        &'bkgctl;keys'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand ls 'List the API keys you may see (your own; every key for admins)'
            cand create 'Create an API key and print its secret, this once'
            cand update 'Change a key''s name, role, scopes, expiry or enabled state'
            cand rotate 'Issue a new secret for a key and print it, this once'
            cand rm 'Delete a key; requests with it are refused from then on'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;keys;ls'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;keys;create'= {
            cand --role 'The key''s role [default: the owner''s]; never more than the owner''s'
            cand --scope 'Limit the key to these permissions (repeatable) [default: all of its role]'
            cand --expires 'When the key stops working: RFC 3339, or a duration from now like 90d'
            cand --user 'The owner, by id or username (admins only) [default: you]'
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;keys;update'= {
            cand --name 'New name'
            cand --role 'New role'
            cand --scope 'Replace the scopes (repeatable)'
            cand --expires 'New expiry: RFC 3339, or a duration from now like 90d'
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --all-scopes 'Remove the scopes: the key may do all its role may'
            cand --no-expiry 'Remove the expiry'
            cand --enable 'Enable the key'
            cand --disable 'Disable the key (requests with it are refused until it is enabled)'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;keys;rotate'= {
            cand --grace 'How long the old secret keeps working (e.g. 1h) [default: it stops at once]'
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;keys;rm'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;keys;help'= {
            cand ls 'List the API keys you may see (your own; every key for admins)'
            cand create 'Create an API key and print its secret, this once'
            cand update 'Change a key''s name, role, scopes, expiry or enabled state'
            cand rotate 'Issue a new secret for a key and print it, this once'
            cand rm 'Delete a key; requests with it are refused from then on'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;keys;help;ls'= {
        }
        &'bkgctl;keys;help;create'= {
        }
        &'bkgctl;keys;help;update'= {
        }
        &'bkgctl;keys;help;rotate'= {
        }
        &'bkgctl;keys;help;rm'= {
        }
        &'bkgctl;keys;help;help'= {
        }
        &'bkgctl;users'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand ls 'List users'
            cand create 'Create a user; the password is asked for without echo, or read from stdin'
            cand update 'Change a user''s role, password or enabled state'
            cand rm 'Delete a user and their API keys'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;users;ls'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;users;create'= {
            cand --role 'The user''s role'
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --password-stdin 'Read the password from stdin instead of asking for it'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;users;update'= {
            cand --role 'New role (ends the user''s sessions)'
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --password 'Set a new password, asked for without echo (ends the user''s sessions)'
            cand --password-stdin 'Set a new password read from stdin'
            cand --enable 'Enable the user'
            cand --disable 'Disable the user (ends their sessions; their keys stop working)'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;users;rm'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;users;help'= {
            cand ls 'List users'
            cand create 'Create a user; the password is asked for without echo, or read from stdin'
            cand update 'Change a user''s role, password or enabled state'
            cand rm 'Delete a user and their API keys'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;users;help;ls'= {
        }
        &'bkgctl;users;help;create'= {
        }
        &'bkgctl;users;help;update'= {
        }
        &'bkgctl;users;help;rm'= {
        }
        &'bkgctl;users;help;help'= {
        }
        &'bkgctl;audit'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand ls 'List audit events, newest first'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;audit;ls'= {
            cand --actor 'Only events by this username (or key:<prefix>)'
            cand --action 'Only this action, or every action under a prefix ending in a dot (key.)'
            cand --target 'Only events about this target'
            cand --since 'Only events at or after this time: RFC 3339, or an age like 24h'
            cand --until 'Only events before this time: RFC 3339, or an age like 1h'
            cand --limit 'At most this many events [default: 100, at most 1000]'
            cand --before 'Only events older than this id (the `next` of the previous page)'
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;audit;help'= {
            cand ls 'List audit events, newest first'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;audit;help;ls'= {
        }
        &'bkgctl;audit;help;help'= {
        }
        &'bkgctl;login'= {
            cand -u 'The user to log in as [default: asked on the terminal]'
            cand --username 'The user to log in as [default: asked on the terminal]'
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --password-stdin 'Read the password from stdin instead of asking for it without echo'
            cand --with-token 'Store an API key (or access token) read from stdin instead of logging in with a password'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;logout'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --all 'End every session of the user, on every machine'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;whoami'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;context'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand ls 'List the contexts; the current one is marked with *'
            cand set 'Add a context or change its server'
            cand use 'Make a context the current one'
            cand rm 'Remove a context'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;context;ls'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;context;set'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --use 'Also make it the current context'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;context;use'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;context;rm'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;context;help'= {
            cand ls 'List the contexts; the current one is marked with *'
            cand set 'Add a context or change its server'
            cand use 'Make a context the current one'
            cand rm 'Remove a context'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;context;help;ls'= {
        }
        &'bkgctl;context;help;set'= {
        }
        &'bkgctl;context;help;use'= {
        }
        &'bkgctl;context;help;rm'= {
        }
        &'bkgctl;context;help;help'= {
        }
        &'bkgctl;completion'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;version'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one'
            cand --config-dir 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --client 'Only the client''s version; do not ask the server'
            cand -q 'Print only ids, one per line'
            cand --quiet 'Print only ids, one per line'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'bkgctl;help'= {
            cand plugins 'List, inspect, start, stop and invoke plugins; follow their logs'
            cand models 'Download, inspect, validate and remove models'
            cand nodes 'List the bkgd nodes sharing the server''s database, with their plugins'
            cand keys 'Manage API keys (the secret is shown once, at create and rotate)'
            cand users 'Manage users (admins only)'
            cand audit 'Query the audit log'
            cand login 'Log in to the server and store the session (refreshed transparently)'
            cand logout 'End the session and forget the stored credentials for the server'
            cand whoami 'Show who the server thinks you are, with your role and permissions'
            cand context 'Manage named contexts (a name for a server) in bkgctl.toml'
            cand completion 'Print a shell completion script'
            cand version 'Print the versions of bkgctl and of the server'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkgctl;help;plugins'= {
            cand ls 'List plugins with their status and node; -A lists every node''s'
            cand show 'Show a plugin: manifest, status, capabilities and config'
            cand status 'Show a plugin''s lifecycle status'
            cand caps 'List a plugin''s capabilities (-o json includes their input and output schemas)'
            cand start 'Start a plugin; returns once it is running (its handshake completed)'
            cand stop 'Stop a plugin (SIGTERM, SIGKILL after its stop timeout); returns once it is gone'
            cand restart 'Restart a plugin; a running one is hot-swapped without failing a call'
            cand logs 'Print a plugin''s logs; with -f, keep following them live'
            cand config 'Read or change a plugin''s configuration'
            cand invoke 'Invoke one of a plugin''s capabilities with a JSON input'
            cand install 'Upload a plugin folder and install its runtime (Python venv, npm ci), or install the runtime of a plugin the daemon has; the installer''s output streams to stderr (admins)'
            cand reload 'Pick up new, changed and removed manifests in the daemon''s plugins directory without restarting it; running plugins are left alone (admins)'
        }
        &'bkgctl;help;plugins;ls'= {
        }
        &'bkgctl;help;plugins;show'= {
        }
        &'bkgctl;help;plugins;status'= {
        }
        &'bkgctl;help;plugins;caps'= {
        }
        &'bkgctl;help;plugins;start'= {
        }
        &'bkgctl;help;plugins;stop'= {
        }
        &'bkgctl;help;plugins;restart'= {
        }
        &'bkgctl;help;plugins;logs'= {
        }
        &'bkgctl;help;plugins;config'= {
            cand get 'Print the plugin''s effective configuration, or the value at KEY'
            cand set 'Set values (VALUE is read as JSON when it parses, else as text) or replace the whole configuration with --file'
        }
        &'bkgctl;help;plugins;config;get'= {
        }
        &'bkgctl;help;plugins;config;set'= {
        }
        &'bkgctl;help;plugins;invoke'= {
        }
        &'bkgctl;help;plugins;install'= {
        }
        &'bkgctl;help;plugins;reload'= {
        }
        &'bkgctl;help;models'= {
            cand ls 'List the models in the registry with their status'
            cand show 'Show a model with its files'
            cand pull 'Download a model from the hub, showing progress until it is ready'
            cand rm 'Remove a model''s files and registry entry'
            cand validate 'Re-verify a model''s hashes and headers (exits 1 when it is invalid)'
            cand import 'Register a model from a folder on the daemon''s machine (admins; only from folders listed in the daemon''s `[models] import_roots`)'
        }
        &'bkgctl;help;models;ls'= {
        }
        &'bkgctl;help;models;show'= {
        }
        &'bkgctl;help;models;pull'= {
        }
        &'bkgctl;help;models;rm'= {
        }
        &'bkgctl;help;models;validate'= {
        }
        &'bkgctl;help;models;import'= {
        }
        &'bkgctl;help;nodes'= {
            cand ls 'List the nodes of the cluster (one on SQLite): state, URL, version, plugins running. Plugins run per node: to act on one on another node, use that node''s URL (--server)'
        }
        &'bkgctl;help;nodes;ls'= {
        }
        &'bkgctl;help;keys'= {
            cand ls 'List the API keys you may see (your own; every key for admins)'
            cand create 'Create an API key and print its secret, this once'
            cand update 'Change a key''s name, role, scopes, expiry or enabled state'
            cand rotate 'Issue a new secret for a key and print it, this once'
            cand rm 'Delete a key; requests with it are refused from then on'
        }
        &'bkgctl;help;keys;ls'= {
        }
        &'bkgctl;help;keys;create'= {
        }
        &'bkgctl;help;keys;update'= {
        }
        &'bkgctl;help;keys;rotate'= {
        }
        &'bkgctl;help;keys;rm'= {
        }
        &'bkgctl;help;users'= {
            cand ls 'List users'
            cand create 'Create a user; the password is asked for without echo, or read from stdin'
            cand update 'Change a user''s role, password or enabled state'
            cand rm 'Delete a user and their API keys'
        }
        &'bkgctl;help;users;ls'= {
        }
        &'bkgctl;help;users;create'= {
        }
        &'bkgctl;help;users;update'= {
        }
        &'bkgctl;help;users;rm'= {
        }
        &'bkgctl;help;audit'= {
            cand ls 'List audit events, newest first'
        }
        &'bkgctl;help;audit;ls'= {
        }
        &'bkgctl;help;login'= {
        }
        &'bkgctl;help;logout'= {
        }
        &'bkgctl;help;whoami'= {
        }
        &'bkgctl;help;context'= {
            cand ls 'List the contexts; the current one is marked with *'
            cand set 'Add a context or change its server'
            cand use 'Make a context the current one'
            cand rm 'Remove a context'
        }
        &'bkgctl;help;context;ls'= {
        }
        &'bkgctl;help;context;set'= {
        }
        &'bkgctl;help;context;use'= {
        }
        &'bkgctl;help;context;rm'= {
        }
        &'bkgctl;help;completion'= {
        }
        &'bkgctl;help;version'= {
        }
        &'bkgctl;help;help'= {
        }
    ]
    $completions[$command]
}

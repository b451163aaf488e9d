
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'bkgctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'bkgctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'bkgctl' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('plugins', 'plugins', [CompletionResultType]::ParameterValue, 'List, inspect, start, stop and invoke plugins; follow their logs')
            [CompletionResult]::new('models', 'models', [CompletionResultType]::ParameterValue, 'Download, inspect, validate and remove models')
            [CompletionResult]::new('nodes', 'nodes', [CompletionResultType]::ParameterValue, 'List the bkgd nodes sharing the server''s database, with their plugins')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Manage API keys (the secret is shown once, at create and rotate)')
            [CompletionResult]::new('users', 'users', [CompletionResultType]::ParameterValue, 'Manage users (admins only)')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Query the audit log')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to the server and store the session (refreshed transparently)')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'End the session and forget the stored credentials for the server')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show who the server thinks you are, with your role and permissions')
            [CompletionResult]::new('context', 'context', [CompletionResultType]::ParameterValue, 'Manage named contexts (a name for a server) in bkgctl.toml')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the versions of bkgctl and of the server')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;plugins' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List plugins with their status and node; -A lists every node''s')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a plugin: manifest, status, capabilities and config')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a plugin''s lifecycle status')
            [CompletionResult]::new('caps', 'caps', [CompletionResultType]::ParameterValue, 'List a plugin''s capabilities (-o json includes their input and output schemas)')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a plugin; returns once it is running (its handshake completed)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop a plugin (SIGTERM, SIGKILL after its stop timeout); returns once it is gone')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart a plugin; a running one is hot-swapped without failing a call')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a plugin''s logs; with -f, keep following them live')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read or change a plugin''s configuration')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke one of a plugin''s capabilities with a JSON input')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Upload a plugin folder and install its runtime (Python venv, npm ci), or install the runtime of a plugin the daemon has; the installer''s output streams to stderr (admins)')
            [CompletionResult]::new('reload', 'reload', [CompletionResultType]::ParameterValue, 'Pick up new, changed and removed manifests in the daemon''s plugins directory without restarting it; running plugins are left alone (admins)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;plugins;ls' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every node''s plugins (several bkgd on one PostgreSQL): the server''s live, the other nodes'' as their last heartbeat reported them')
            [CompletionResult]::new('--all-nodes', '--all-nodes', [CompletionResultType]::ParameterName, 'Every node''s plugins (several bkgd on one PostgreSQL): the server''s live, the other nodes'' as their last heartbeat reported them')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;plugins;show' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;plugins;status' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;plugins;caps' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;plugins;start' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;plugins;stop' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;plugins;restart' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long --wait waits before giving up (e.g. 30s, 2m)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until the plugin is running again (also through backoff after a failed start)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;plugins;logs' {
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Only lines at this level or above')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only lines at or after this time: RFC 3339, or an age like 90s, 5m, 2h')
            [CompletionResult]::new('--tail', '--tail', [CompletionResultType]::ParameterName, 'Show at most the last N lines before following; 0 for only new lines [default: the daemon''s, 200]')
            [CompletionResult]::new('--grep', '--grep', [CompletionResultType]::ParameterName, 'Only lines whose message contains TEXT (case-insensitive)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing lines as the plugin writes them, until Ctrl-C (which exits 0). Lines this terminal was too slow for are fetched again from bkgd''s files; any that were rotated away first are counted on stderr')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing lines as the plugin writes them, until Ctrl-C (which exits 0). Lines this terminal was too slow for are fetched again from bkgd''s files; any that were rotated away first are counted on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;plugins;config' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the plugin''s effective configuration, or the value at KEY')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set values (VALUE is read as JSON when it parses, else as text) or replace the whole configuration with --file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;plugins;config;get' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;plugins;config;set' {
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Remove a key (repeatable)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Replace the configuration with this JSON file (- for stdin)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;plugins;config;help' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the plugin''s effective configuration, or the value at KEY')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set values (VALUE is read as JSON when it parses, else as text) or replace the whole configuration with --file')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;plugins;config;help;get' {
            break
        }
        'bkgctl;plugins;config;help;set' {
            break
        }
        'bkgctl;plugins;config;help;help' {
            break
        }
        'bkgctl;plugins;invoke' {
            [CompletionResult]::new('--input-file', '--input-file', [CompletionResultType]::ParameterName, 'Read the input from this JSON file')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--stream', '--stream', [CompletionResultType]::ParameterName, 'Print partial results as they arrive (-o json: one InvokeEvent per line)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;plugins;install' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--no-runtime', '--no-runtime', [CompletionResultType]::ParameterName, 'Upload the folder only; do not install its runtime')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;plugins;reload' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;plugins;help' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List plugins with their status and node; -A lists every node''s')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a plugin: manifest, status, capabilities and config')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a plugin''s lifecycle status')
            [CompletionResult]::new('caps', 'caps', [CompletionResultType]::ParameterValue, 'List a plugin''s capabilities (-o json includes their input and output schemas)')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a plugin; returns once it is running (its handshake completed)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop a plugin (SIGTERM, SIGKILL after its stop timeout); returns once it is gone')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart a plugin; a running one is hot-swapped without failing a call')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a plugin''s logs; with -f, keep following them live')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read or change a plugin''s configuration')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke one of a plugin''s capabilities with a JSON input')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Upload a plugin folder and install its runtime (Python venv, npm ci), or install the runtime of a plugin the daemon has; the installer''s output streams to stderr (admins)')
            [CompletionResult]::new('reload', 'reload', [CompletionResultType]::ParameterValue, 'Pick up new, changed and removed manifests in the daemon''s plugins directory without restarting it; running plugins are left alone (admins)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;plugins;help;ls' {
            break
        }
        'bkgctl;plugins;help;show' {
            break
        }
        'bkgctl;plugins;help;status' {
            break
        }
        'bkgctl;plugins;help;caps' {
            break
        }
        'bkgctl;plugins;help;start' {
            break
        }
        'bkgctl;plugins;help;stop' {
            break
        }
        'bkgctl;plugins;help;restart' {
            break
        }
        'bkgctl;plugins;help;logs' {
            break
        }
        'bkgctl;plugins;help;config' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the plugin''s effective configuration, or the value at KEY')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set values (VALUE is read as JSON when it parses, else as text) or replace the whole configuration with --file')
            break
        }
        'bkgctl;plugins;help;config;get' {
            break
        }
        'bkgctl;plugins;help;config;set' {
            break
        }
        'bkgctl;plugins;help;invoke' {
            break
        }
        'bkgctl;plugins;help;install' {
            break
        }
        'bkgctl;plugins;help;reload' {
            break
        }
        'bkgctl;plugins;help;help' {
            break
        }
        'bkgctl;models' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the models in the registry with their status')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a model with its files')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Download a model from the hub, showing progress until it is ready')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a model''s files and registry entry')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Re-verify a model''s hashes and headers (exits 1 when it is invalid)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Register a model from a folder on the daemon''s machine (admins; only from folders listed in the daemon''s `[models] import_roots`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;models;ls' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;models;show' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;models;pull' {
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Branch, tag or commit [default: main]')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Only files matching this glob, e.g. ''*.safetensors'' (repeatable)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Return once the daemon accepted the download (prints the job; -o json: DownloadAccepted)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;models;rm' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove it even while plugins use it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;models;validate' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;models;import' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Name to register it under (org/name) [default: local/<folder name>]')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'Revision to record')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;models;help' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the models in the registry with their status')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a model with its files')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Download a model from the hub, showing progress until it is ready')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a model''s files and registry entry')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Re-verify a model''s hashes and headers (exits 1 when it is invalid)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Register a model from a folder on the daemon''s machine (admins; only from folders listed in the daemon''s `[models] import_roots`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;models;help;ls' {
            break
        }
        'bkgctl;models;help;show' {
            break
        }
        'bkgctl;models;help;pull' {
            break
        }
        'bkgctl;models;help;rm' {
            break
        }
        'bkgctl;models;help;validate' {
            break
        }
        'bkgctl;models;help;import' {
            break
        }
        'bkgctl;models;help;help' {
            break
        }
        'bkgctl;nodes' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the nodes of the cluster (one on SQLite): state, URL, version, plugins running. Plugins run per node: to act on one on another node, use that node''s URL (--server)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;nodes;ls' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;nodes;help' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the nodes of the cluster (one on SQLite): state, URL, version, plugins running. Plugins run per node: to act on one on another node, use that node''s URL (--server)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;nodes;help;ls' {
            break
        }
        'bkgctl;nodes;help;help' {
            break
        }
        'bkgctl;keys' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the API keys you may see (your own; every key for admins)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an API key and print its secret, this once')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a key''s name, role, scopes, expiry or enabled state')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Issue a new secret for a key and print it, this once')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a key; requests with it are refused from then on')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;keys;ls' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;keys;create' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'The key''s role [default: the owner''s]; never more than the owner''s')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Limit the key to these permissions (repeatable) [default: all of its role]')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'When the key stops working: RFC 3339, or a duration from now like 90d')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The owner, by id or username (admins only) [default: you]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;keys;update' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'New name')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'New role')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Replace the scopes (repeatable)')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'New expiry: RFC 3339, or a duration from now like 90d')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--all-scopes', '--all-scopes', [CompletionResultType]::ParameterName, 'Remove the scopes: the key may do all its role may')
            [CompletionResult]::new('--no-expiry', '--no-expiry', [CompletionResultType]::ParameterName, 'Remove the expiry')
            [CompletionResult]::new('--enable', '--enable', [CompletionResultType]::ParameterName, 'Enable the key')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Disable the key (requests with it are refused until it is enabled)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;keys;rotate' {
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'How long the old secret keeps working (e.g. 1h) [default: it stops at once]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;keys;rm' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;keys;help' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the API keys you may see (your own; every key for admins)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an API key and print its secret, this once')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a key''s name, role, scopes, expiry or enabled state')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Issue a new secret for a key and print it, this once')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a key; requests with it are refused from then on')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;keys;help;ls' {
            break
        }
        'bkgctl;keys;help;create' {
            break
        }
        'bkgctl;keys;help;update' {
            break
        }
        'bkgctl;keys;help;rotate' {
            break
        }
        'bkgctl;keys;help;rm' {
            break
        }
        'bkgctl;keys;help;help' {
            break
        }
        'bkgctl;users' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a user; the password is asked for without echo, or read from stdin')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a user''s role, password or enabled state')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a user and their API keys')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;users;ls' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;users;create' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'The user''s role')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin instead of asking for it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;users;update' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'New role (ends the user''s sessions)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'Set a new password, asked for without echo (ends the user''s sessions)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Set a new password read from stdin')
            [CompletionResult]::new('--enable', '--enable', [CompletionResultType]::ParameterName, 'Enable the user')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Disable the user (ends their sessions; their keys stop working)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;users;rm' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;users;help' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a user; the password is asked for without echo, or read from stdin')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a user''s role, password or enabled state')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a user and their API keys')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;users;help;ls' {
            break
        }
        'bkgctl;users;help;create' {
            break
        }
        'bkgctl;users;help;update' {
            break
        }
        'bkgctl;users;help;rm' {
            break
        }
        'bkgctl;users;help;help' {
            break
        }
        'bkgctl;audit' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List audit events, newest first')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;audit;ls' {
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Only events by this username (or key:<prefix>)')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only this action, or every action under a prefix ending in a dot (key.)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'Only events about this target')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after this time: RFC 3339, or an age like 24h')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before this time: RFC 3339, or an age like 1h')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many events [default: 100, at most 1000]')
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Only events older than this id (the `next` of the previous page)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;audit;help' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List audit events, newest first')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;audit;help;ls' {
            break
        }
        'bkgctl;audit;help;help' {
            break
        }
        'bkgctl;login' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'The user to log in as [default: asked on the terminal]')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'The user to log in as [default: asked on the terminal]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin instead of asking for it without echo')
            [CompletionResult]::new('--with-token', '--with-token', [CompletionResultType]::ParameterName, 'Store an API key (or access token) read from stdin instead of logging in with a password')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;logout' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'End every session of the user, on every machine')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;whoami' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;context' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the contexts; the current one is marked with *')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Add a context or change its server')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a context the current one')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a context')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;context;ls' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;context;set' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--use', '--use', [CompletionResultType]::ParameterName, 'Also make it the current context')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;context;use' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;context;rm' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;context;help' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the contexts; the current one is marked with *')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Add a context or change its server')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a context the current one')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a context')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;context;help;ls' {
            break
        }
        'bkgctl;context;help;set' {
            break
        }
        'bkgctl;context;help;use' {
            break
        }
        'bkgctl;context;help;rm' {
            break
        }
        'bkgctl;context;help;help' {
            break
        }
        'bkgctl;completion' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;version' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Context to use instead of the current one')
            [CompletionResult]::new('--config-dir', '--config-dir', [CompletionResultType]::ParameterName, 'Folder of bkgctl.toml and credentials.toml [default: the OS config dir]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Only the client''s version; do not ask the server')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'bkgctl;help' {
            [CompletionResult]::new('plugins', 'plugins', [CompletionResultType]::ParameterValue, 'List, inspect, start, stop and invoke plugins; follow their logs')
            [CompletionResult]::new('models', 'models', [CompletionResultType]::ParameterValue, 'Download, inspect, validate and remove models')
            [CompletionResult]::new('nodes', 'nodes', [CompletionResultType]::ParameterValue, 'List the bkgd nodes sharing the server''s database, with their plugins')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Manage API keys (the secret is shown once, at create and rotate)')
            [CompletionResult]::new('users', 'users', [CompletionResultType]::ParameterValue, 'Manage users (admins only)')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Query the audit log')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Log in to the server and store the session (refreshed transparently)')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'End the session and forget the stored credentials for the server')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show who the server thinks you are, with your role and permissions')
            [CompletionResult]::new('context', 'context', [CompletionResultType]::ParameterValue, 'Manage named contexts (a name for a server) in bkgctl.toml')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the versions of bkgctl and of the server')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'bkgctl;help;plugins' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List plugins with their status and node; -A lists every node''s')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a plugin: manifest, status, capabilities and config')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a plugin''s lifecycle status')
            [CompletionResult]::new('caps', 'caps', [CompletionResultType]::ParameterValue, 'List a plugin''s capabilities (-o json includes their input and output schemas)')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a plugin; returns once it is running (its handshake completed)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop a plugin (SIGTERM, SIGKILL after its stop timeout); returns once it is gone')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart a plugin; a running one is hot-swapped without failing a call')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a plugin''s logs; with -f, keep following them live')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Read or change a plugin''s configuration')
            [CompletionResult]::new('invoke', 'invoke', [CompletionResultType]::ParameterValue, 'Invoke one of a plugin''s capabilities with a JSON input')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Upload a plugin folder and install its runtime (Python venv, npm ci), or install the runtime of a plugin the daemon has; the installer''s output streams to stderr (admins)')
            [CompletionResult]::new('reload', 'reload', [CompletionResultType]::ParameterValue, 'Pick up new, changed and removed manifests in the daemon''s plugins directory without restarting it; running plugins are left alone (admins)')
            break
        }
        'bkgctl;help;plugins;ls' {
            break
        }
        'bkgctl;help;plugins;show' {
            break
        }
        'bkgctl;help;plugins;status' {
            break
        }
        'bkgctl;help;plugins;caps' {
            break
        }
        'bkgctl;help;plugins;start' {
            break
        }
        'bkgctl;help;plugins;stop' {
            break
        }
        'bkgctl;help;plugins;restart' {
            break
        }
        'bkgctl;help;plugins;logs' {
            break
        }
        'bkgctl;help;plugins;config' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print the plugin''s effective configuration, or the value at KEY')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set values (VALUE is read as JSON when it parses, else as text) or replace the whole configuration with --file')
            break
        }
        'bkgctl;help;plugins;config;get' {
            break
        }
        'bkgctl;help;plugins;config;set' {
            break
        }
        'bkgctl;help;plugins;invoke' {
            break
        }
        'bkgctl;help;plugins;install' {
            break
        }
        'bkgctl;help;plugins;reload' {
            break
        }
        'bkgctl;help;models' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the models in the registry with their status')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a model with its files')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Download a model from the hub, showing progress until it is ready')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a model''s files and registry entry')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Re-verify a model''s hashes and headers (exits 1 when it is invalid)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Register a model from a folder on the daemon''s machine (admins; only from folders listed in the daemon''s `[models] import_roots`)')
            break
        }
        'bkgctl;help;models;ls' {
            break
        }
        'bkgctl;help;models;show' {
            break
        }
        'bkgctl;help;models;pull' {
            break
        }
        'bkgctl;help;models;rm' {
            break
        }
        'bkgctl;help;models;validate' {
            break
        }
        'bkgctl;help;models;import' {
            break
        }
        'bkgctl;help;nodes' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the nodes of the cluster (one on SQLite): state, URL, version, plugins running. Plugins run per node: to act on one on another node, use that node''s URL (--server)')
            break
        }
        'bkgctl;help;nodes;ls' {
            break
        }
        'bkgctl;help;keys' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the API keys you may see (your own; every key for admins)')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an API key and print its secret, this once')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a key''s name, role, scopes, expiry or enabled state')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Issue a new secret for a key and print it, this once')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a key; requests with it are refused from then on')
            break
        }
        'bkgctl;help;keys;ls' {
            break
        }
        'bkgctl;help;keys;create' {
            break
        }
        'bkgctl;help;keys;update' {
            break
        }
        'bkgctl;help;keys;rotate' {
            break
        }
        'bkgctl;help;keys;rm' {
            break
        }
        'bkgctl;help;users' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a user; the password is asked for without echo, or read from stdin')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a user''s role, password or enabled state')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a user and their API keys')
            break
        }
        'bkgctl;help;users;ls' {
            break
        }
        'bkgctl;help;users;create' {
            break
        }
        'bkgctl;help;users;update' {
            break
        }
        'bkgctl;help;users;rm' {
            break
        }
        'bkgctl;help;audit' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List audit events, newest first')
            break
        }
        'bkgctl;help;audit;ls' {
            break
        }
        'bkgctl;help;login' {
            break
        }
        'bkgctl;help;logout' {
            break
        }
        'bkgctl;help;whoami' {
            break
        }
        'bkgctl;help;context' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the contexts; the current one is marked with *')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Add a context or change its server')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a context the current one')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a context')
            break
        }
        'bkgctl;help;context;ls' {
            break
        }
        'bkgctl;help;context;set' {
            break
        }
        'bkgctl;help;context;use' {
            break
        }
        'bkgctl;help;context;rm' {
            break
        }
        'bkgctl;help;completion' {
            break
        }
        'bkgctl;help;version' {
            break
        }
        'bkgctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}

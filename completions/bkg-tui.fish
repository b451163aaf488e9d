# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_bkg_tui_global_optspecs
    string join \n server= token= context= config-dir= screen= h/help V/version
end

function __fish_bkg_tui_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_bkg_tui_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_bkg_tui_using_subcommand
    set -l cmd (__fish_bkg_tui_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c bkg-tui -n "__fish_bkg_tui_needs_command" -l server -d 'bkgd\'s URL [default: the context\'s server, else http://127.0.0.1:8420]' -r
complete -c bkg-tui -n "__fish_bkg_tui_needs_command" -l token -d 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history' -r
complete -c bkg-tui -n "__fish_bkg_tui_needs_command" -l context -d 'Context to use instead of the current one (contexts are managed with `bkgctl context`)' -r
complete -c bkg-tui -n "__fish_bkg_tui_needs_command" -l config-dir -d 'Folder of bkgctl.toml, credentials.toml and bkg-tui.toml [default: the OS config dir]' -r -F
complete -c bkg-tui -n "__fish_bkg_tui_needs_command" -l screen -d 'Screen to start on' -r -f -a "plugins\t''
models\t''
keys\t''
users\t''
audit\t''
nodes\t''"
complete -c bkg-tui -n "__fish_bkg_tui_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c bkg-tui -n "__fish_bkg_tui_needs_command" -s V -l version -d 'Print version'
complete -c bkg-tui -n "__fish_bkg_tui_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c bkg-tui -n "__fish_bkg_tui_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c bkg-tui -n "__fish_bkg_tui_using_subcommand completion" -s h -l help -d 'Print help'
complete -c bkg-tui -n "__fish_bkg_tui_using_subcommand help; and not __fish_seen_subcommand_from completion help" -f -a "completion" -d 'Print a shell completion script'
complete -c bkg-tui -n "__fish_bkg_tui_using_subcommand help; and not __fish_seen_subcommand_from completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'


use builtin;
use str;

set edit:completion:arg-completer[bkg-tui] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'bkg-tui'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'bkg-tui'= {
            cand --server 'bkgd''s URL [default: the context''s server, else http://127.0.0.1:8420]'
            cand --token 'API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history'
            cand --context 'Context to use instead of the current one (contexts are managed with `bkgctl context`)'
            cand --config-dir 'Folder of bkgctl.toml, credentials.toml and bkg-tui.toml [default: the OS config dir]'
            cand --screen 'Screen to start on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand completion 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkg-tui;completion'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'bkg-tui;help'= {
            cand completion 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'bkg-tui;help;completion'= {
        }
        &'bkg-tui;help;help'= {
        }
    ]
    $completions[$command]
}

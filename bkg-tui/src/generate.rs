//! Shell completions and the man page, generated from the clap definitions like bkgctl's
//! (same `completions/` and `man/` folders). The `generated` test compares the committed files
//! with a fresh rendering; `make generate` rewrites them.

use std::path::PathBuf;

use clap_complete::{Generator, Shell};
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use crate::cli;
use crate::settings::{Action, Keymap};

pub const COMPLETIONS_DIR: &str = "completions";
pub const MAN_DIR: &str = "man";
pub const SHELLS: [Shell; 5] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Elvish, Shell::PowerShell];
pub const BIN: &str = "bkg-tui";

pub fn completion(shell: Shell, out: &mut Vec<u8>) {
    clap_complete::generate(shell, &mut cli::command(), BIN, out);
}

/// Every generated file, with its path relative to the workspace root.
pub fn artifacts() -> std::io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    for shell in SHELLS {
        let mut out = Vec::new();
        completion(shell, &mut out);
        files.push((PathBuf::from(COMPLETIONS_DIR).join(shell.file_name(BIN)), out));
    }
    let mut root = cli::command().disable_help_subcommand(true);
    root.build();
    let page = root.clone().after_help(None::<&str>).after_long_help(None::<&str>);
    let man = Man::new(page);
    let mut out = Vec::new();
    man.render(&mut out)?;
    let mut extra = Roff::default();
    extra.control("SH", ["KEYS"]);
    let km = Keymap::default();
    for a in Action::ALL {
        extra
            .control("TP", [])
            .text([bold(format!("{} ({})", km.label(a), a.name()))])
            .text([roman(a.describe())]);
    }
    for (key, what) in crate::app::LOGIN_KEYS {
        extra.control("TP", []).text([bold(format!("{key} (login form)"))]).text([roman(what)]);
    }
    extra.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in ENVIRONMENT {
        extra.control("TP", []).text([bold(*name)]).text([roman(*meaning)]);
    }
    extra.control("SH", ["FILES"]);
    for (name, meaning) in FILES {
        extra.control("TP", []).text([bold(*name)]).text([roman(*meaning)]);
    }
    extra.to_writer(&mut out)?;
    files.push((PathBuf::from(MAN_DIR).join(man.get_filename()), out));
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set()) {
        let man = Man::new(sub.clone());
        let mut out = Vec::new();
        man.render(&mut out)?;
        files.push((PathBuf::from(MAN_DIR).join(man.get_filename()), out));
    }
    Ok(files)
}

const ENVIRONMENT: &[(&str, &str)] = &[
    ("BKG_URL", "The server's URL, like --server."),
    ("BKG_TOKEN", "An API key or access token, like --token (which stays in shell history)."),
    ("BKGCTL_CONTEXT", "The context to use, like --context (shared with bkgctl)."),
    ("BKGCTL_CONFIG_DIR", "The folder of the config files, like --config-dir."),
    ("NO_COLOR", "Any non-empty value turns colour off; state is then shown by text and glyph."),
    ("EDITOR", "The editor the config tab opens (VISUAL first; default vi)."),
    (
        "BKG_TUI_STATS",
        "A file to write the event loop's statistics to as JSON on exit (frames, frame times, line-to-screen delay, startup); bkg-bench tui reads it.",
    ),
];

const FILES: &[(&str, &str)] = &[
    ("~/.config/bkg/bkgctl.toml", "Named contexts and the current one, shared with bkgctl."),
    (
        "~/.config/bkg/credentials.toml",
        "Sessions stored by bkgctl login or by bkg-tui's login form (shown when there is no token and no stored session, or the stored one is rejected), refreshed transparently.",
    ),
    ("~/.config/bkg/bkg-tui.toml", "Key bindings ([keys]) and colours ([colors])."),
];

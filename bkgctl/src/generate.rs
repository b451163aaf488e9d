//! Shell completions and man pages, generated from the clap definitions: `bkgctl completion
//! <shell>` prints one script, and [`artifacts`] renders everything that is committed under
//! `completions/` and `man/` (one page per command and subcommand). The `generated` test
//! compares the committed files with a fresh rendering; `make generate` rewrites them.

use std::path::PathBuf;

use clap_complete::{Generator, Shell};
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use crate::cli;

pub const COMPLETIONS_DIR: &str = "completions";
pub const MAN_DIR: &str = "man";
pub const SHELLS: [Shell; 5] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Elvish, Shell::PowerShell];

const BIN: &str = "bkgctl";

/// Writes the completion script for `shell`.
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
    man_pages(&root, true, &mut files)?;
    Ok(files)
}

fn man_pages(cmd: &clap::Command, is_root: bool, files: &mut Vec<(PathBuf, Vec<u8>)>) -> std::io::Result<()> {
    // The top-level `--help` ends with the environment and the exit codes; the man page gives
    // them sections of their own instead of clap_mangen's generic EXTRA.
    let page_cmd = if is_root {
        cmd.clone().after_help(None::<&str>).after_long_help(None::<&str>)
    } else {
        cmd.clone()
    };
    let man = Man::new(page_cmd);
    let mut out = Vec::new();
    man.render(&mut out)?;
    let mut extra = Roff::default();
    if is_root {
        extra.control("SH", ["ENVIRONMENT"]);
        for (name, meaning) in ENVIRONMENT {
            extra.control("TP", []).text([bold(*name)]).text([roman(*meaning)]);
        }
        extra.control("SH", ["FILES"]);
        for (name, meaning) in FILES {
            extra.control("TP", []).text([bold(*name)]).text([roman(*meaning)]);
        }
    }
    extra.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in crate::exit::TABLE {
        extra.control("TP", []).text([bold(code.to_string())]).text([roman(*meaning)]);
    }
    extra.text([roman("Errors are printed on stderr with the daemon's error code and message.")]);
    extra.to_writer(&mut out)?;
    files.push((PathBuf::from(MAN_DIR).join(man.get_filename()), out));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        man_pages(sub, false, files)?;
    }
    Ok(())
}

const ENVIRONMENT: &[(&str, &str)] = &[
    ("BKG_URL", "The server's URL, like --server."),
    ("BKG_TOKEN", "An API key or access token, like --token (which stays in shell history)."),
    ("BKGCTL_CONTEXT", "The context to use, like --context."),
    ("BKGCTL_CONFIG_DIR", "The folder of bkgctl's files, like --config-dir."),
    ("NO_COLOR", "Any non-empty value turns colour off; colour is also off when stdout is no terminal."),
];

const FILES: &[(&str, &str)] = &[
    (
        "~/.config/bkg/bkgctl.toml",
        "Named contexts and the current one (the OS config dir; macOS and Windows use theirs).",
    ),
    (
        "~/.config/bkg/credentials.toml",
        "Stored sessions and tokens per server, mode 0600, written by bkgctl login.",
    ),
];

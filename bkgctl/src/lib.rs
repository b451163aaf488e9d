//! bkgctl: the scriptable CLI of bkg. It drives bkgd through the typed client in `bkg-core`
//! and can do nothing the REST + WebSocket API cannot.
//!
//! `cli` holds the clap definitions (and nothing else), `commands` one module per command
//! group, `session` which server and credentials a command uses (with transparent token
//! refresh), `config` the files in the OS config dir, `output` and `render` the table, JSON
//! and YAML output, `exit` the exit-code scheme, `generate` the completions and man pages.

pub mod cli;
pub mod commands;
pub mod config;
pub mod exit;
pub mod generate;
pub mod output;
pub mod prompt;
pub mod render;
pub mod session;

use std::process::ExitCode;

use clap::Parser;

use crate::exit::Exit;

/// Parses the command line, runs the command on a single-threaded runtime and turns the
/// outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        // Help and version go to stdout with 0, usage errors to stderr with 2 (clap's choice,
        // which is also ours).
        Err(e) => e.exit(),
    };
    // One request per command: a multi-threaded runtime would cost more to start than the
    // command takes.
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bkgctl: error: cannot start the async runtime: {e}");
            return Exit::Failure.into();
        }
    };
    let result = runtime.block_on(commands::run(cli));
    // Do not wait for blocking tasks (a DNS lookup, a stdin reader) that nobody needs anymore.
    runtime.shutdown_background();
    match result {
        Ok(exit) => exit.into(),
        Err(err) => exit::report(&err),
    }
}

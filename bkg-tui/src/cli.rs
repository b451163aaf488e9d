//! The command line of bkg-tui: the same connection options as bkgctl (and the same
//! environment variables and files), plus `completion`. The keys are listed in `--help`, so
//! the man page documents them too.

use std::path::PathBuf;

use bkg_core::client::ConnectOptions;
use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::settings::{Action, Keymap};

pub const AFTER_HELP: &str = "\
Environment: BKG_URL, BKG_TOKEN, BKGCTL_CONTEXT, BKGCTL_CONFIG_DIR, NO_COLOR, EDITOR.
Config: bkgctl.toml (contexts), credentials.toml (from `bkgctl login`) and bkg-tui.toml (keys and
colours) in ~/.config/bkg on Linux.
Login: without a token or a stored session (or when the daemon rejects the stored one), a login
form asks for a username and password and stores the session as `bkgctl login` does.";

/// The default keys, as `--help` shows them.
pub fn keys_help() -> String {
    let km = Keymap::default();
    let mut text = String::from("Keys (change them in bkg-tui.toml, [keys] <action> = \"<key>\"):\n");
    for a in Action::ALL {
        text.push_str(&format!("  {:<6} {:<11} {}\n", km.label(a), a.name(), a.describe()));
    }
    text.push_str("Login form (without a token or a stored session):\n");
    for (key, what) in crate::app::LOGIN_KEYS {
        text.push_str(&format!("  {key:<6} {what}\n"));
    }
    text
}

/// bkg-tui: watch and drive bkgd's plugins from a terminal: live status, telemetry and logs,
/// config, capabilities, a plugin's own view (llmserver's chat, brainml's collections), models,
/// API keys, users, the audit log and the cluster's nodes.
#[derive(Debug, Parser)]
#[command(
    name = "bkg-tui",
    version = bkg_core::VERSION,
    about,
    long_about = None,
    after_help = AFTER_HELP,
    after_long_help = format!("{AFTER_HELP}\n\n{}", keys_help()),
    max_term_width = 100,
)]
pub struct Cli {
    #[command(flatten)]
    pub conn: Conn,
    /// Screen to start on
    #[arg(long, value_enum, default_value_t = StartScreen::Plugins)]
    pub screen: StartScreen,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StartScreen {
    Plugins,
    Models,
    Keys,
    Users,
    Audit,
    Nodes,
}

#[derive(Clone, Args)]
pub struct Conn {
    /// bkgd's URL [default: the context's server, else http://127.0.0.1:8420]
    #[arg(long, env = "BKG_URL", hide_env_values = true, value_name = "URL")]
    pub server: Option<String>,
    /// API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history
    #[arg(long, env = "BKG_TOKEN", hide_env_values = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Context to use instead of the current one (contexts are managed with `bkgctl context`)
    #[arg(long, env = "BKGCTL_CONTEXT", hide_env_values = true, value_name = "NAME")]
    pub context: Option<String>,
    /// Folder of bkgctl.toml, credentials.toml and bkg-tui.toml [default: the OS config dir]
    #[arg(long, env = "BKGCTL_CONFIG_DIR", hide_env_values = true, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.options().fmt(f)
    }
}

impl Conn {
    pub fn options(&self) -> ConnectOptions {
        ConnectOptions {
            server: self.server.clone(),
            token: self.token.clone(),
            context: self.context.clone(),
            config_dir: self.config_dir.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a shell completion script
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The whole command tree, for completions and man pages.
pub fn command() -> clap::Command {
    Cli::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn definitions_are_consistent() {
        super::command().debug_assert();
    }
}

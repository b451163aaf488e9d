//! The clap definitions of the top level: global options and the command groups. Each group's
//! subcommands are defined next to their code in `commands/`. Completions and man pages are
//! generated from [`command`], so help texts here are documentation.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::commands::{audit, auth, context, keys, models, plugins, users};
use crate::output::Format;

/// The exit codes as `--help` shows them.
pub fn exit_codes_help() -> String {
    let mut text = String::from("Exit codes:\n");
    for (code, meaning) in crate::exit::TABLE {
        text.push_str(&format!("  {code:<4} {meaning}\n"));
    }
    text.push_str("Errors are printed on stderr with the daemon's error code and message.");
    text
}

pub const AFTER_HELP: &str = "\
Environment: BKG_URL, BKG_TOKEN, BKGCTL_CONTEXT, BKGCTL_CONFIG_DIR, NO_COLOR.
Config: bkgctl.toml (contexts) and credentials.toml (0600) in ~/.config/bkg on Linux.";

/// bkgctl: drive bkgd's plugins, models, API keys and users from scripts and terminals.
#[derive(Debug, Parser)]
#[command(
    name = "bkgctl",
    version = bkg_core::VERSION,
    about,
    long_about = None,
    after_help = AFTER_HELP,
    after_long_help = format!("{AFTER_HELP}\n\n{}", exit_codes_help()),
    max_term_width = 100,
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// bkgd's URL [default: the context's server, else http://127.0.0.1:8420]
    #[arg(long, global = true, env = "BKG_URL", hide_env_values = true, value_name = "URL")]
    pub server: Option<String>,
    /// API key or access token. Prefer BKG_TOKEN or `bkgctl login`: flags stay in shell history
    #[arg(long, global = true, env = "BKG_TOKEN", hide_env_values = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Context to use instead of the current one
    #[arg(long, global = true, env = "BKGCTL_CONTEXT", hide_env_values = true, value_name = "NAME")]
    pub context: Option<String>,
    /// Folder of bkgctl.toml and credentials.toml [default: the OS config dir]
    #[arg(long, global = true, env = "BKGCTL_CONFIG_DIR", hide_env_values = true, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
    /// Output format
    #[arg(short, long, global = true, value_enum, default_value_t = Format::Table, value_name = "FORMAT")]
    pub output: Format,
    /// Print only ids, one per line
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, inspect, start, stop and invoke plugins; follow their logs
    #[command(subcommand)]
    Plugins(plugins::PluginsCmd),
    /// Download, inspect, validate and remove models
    #[command(subcommand)]
    Models(models::ModelsCmd),
    /// List the bkgd nodes sharing the server's database, with their plugins
    #[command(subcommand)]
    Nodes(crate::commands::nodes::NodesCmd),
    /// Manage API keys (the secret is shown once, at create and rotate)
    #[command(subcommand)]
    Keys(keys::KeysCmd),
    /// Manage users (admins only)
    #[command(subcommand)]
    Users(users::UsersCmd),
    /// Query the audit log
    #[command(subcommand)]
    Audit(audit::AuditCmd),
    /// Log in to the server and store the session (refreshed transparently)
    Login(auth::LoginArgs),
    /// End the session and forget the stored credentials for the server
    Logout(auth::LogoutArgs),
    /// Show who the server thinks you are, with your role and permissions
    Whoami,
    /// Manage named contexts (a name for a server) in bkgctl.toml
    #[command(subcommand)]
    Context(context::ContextCmd),
    /// Print a shell completion script
    Completion(crate::commands::CompletionArgs),
    /// Print the versions of bkgctl and of the server
    Version(crate::commands::VersionArgs),
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

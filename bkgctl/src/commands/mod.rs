//! Dispatch from the parsed command line to the command groups, the per-invocation context,
//! and the two commands too small for a module of their own (`completion`, `version`).

pub mod args;
pub mod audit;
pub mod auth;
pub mod context;
pub mod keys;
pub mod models;
mod named;
pub mod nodes;
pub mod plugins;
pub mod users;

use clap::Args;
use serde::Serialize;

use crate::cli::{Cli, Command, Global};
use crate::exit::Exit;
use crate::output::{Output, Render, Style, table};
use crate::session::Api;

/// What every command gets: the global options and the output settings.
#[derive(Debug)]
pub struct Ctx {
    pub global: Global,
    pub out: Output,
}

impl Ctx {
    /// The API handle; resolving it reads config files only when flags do not say enough.
    pub fn api(&self) -> anyhow::Result<Api> {
        Api::connect(&self.global)
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<Exit> {
    let ctx = Ctx { out: Output::new(cli.global.output, cli.global.quiet), global: cli.global };
    match cli.command {
        Command::Plugins(cmd) => plugins::run(&ctx, cmd).await,
        Command::Models(cmd) => models::run(&ctx, cmd).await,
        Command::Nodes(cmd) => nodes::run(&ctx, cmd).await,
        Command::Keys(cmd) => keys::run(&ctx, cmd).await,
        Command::Users(cmd) => users::run(&ctx, cmd).await,
        Command::Audit(cmd) => audit::run(&ctx, cmd).await,
        Command::Login(args) => auth::login(&ctx, args).await,
        Command::Logout(args) => auth::logout(&ctx, args).await,
        Command::Whoami => auth::whoami(&ctx).await,
        Command::Context(cmd) => context::run(&ctx, cmd),
        Command::Completion(args) => completion(args),
        Command::Version(args) => version(&ctx, args).await,
    }
}

/// Ctrl-C, caught from the moment this is created (so a press right after a command printed
/// its first line is not the default, abrupt death). Long-running commands race their work
/// against [`Interrupt::recv`] to leave the terminal clean and say what goes on in the daemon.
#[derive(Debug)]
pub struct Interrupt {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
    #[cfg(windows)]
    signal: tokio::signal::windows::CtrlC,
}

impl Interrupt {
    pub fn catch() -> anyhow::Result<Self> {
        #[cfg(unix)]
        let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
        #[cfg(windows)]
        let signal = tokio::signal::windows::ctrl_c()?;
        Ok(Self { signal })
    }

    pub async fn recv(&mut self) {
        if self.signal.recv().await.is_none() {
            // The handler is gone (never, in practice): then nothing can interrupt us.
            std::future::pending::<()>().await;
        }
    }
}

#[derive(Debug, Args)]
pub struct CompletionArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

fn completion(args: CompletionArgs) -> anyhow::Result<Exit> {
    let mut out = Vec::new();
    crate::generate::completion(args.shell, &mut out);
    crate::output::write_stdout(&String::from_utf8(out)?)?;
    Ok(Exit::Ok)
}

#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Only the client's version; do not ask the server
    #[arg(long)]
    pub client: bool,
}

/// `version -o json`: `{"client": {"version"}, "server": {"url", "version", "commit", "status"} | null}`.
#[derive(Debug, Serialize)]
struct Versions {
    client: ClientVersion,
    #[serde(skip_serializing_if = "Option::is_none")]
    server: Option<Option<ServerVersion>>,
}

#[derive(Debug, Serialize)]
struct ClientVersion {
    version: &'static str,
}

#[derive(Debug, Serialize)]
struct ServerVersion {
    url: String,
    version: String,
    /// The commit the daemon was built from (empty from daemons before 0.2.0).
    commit: String,
    status: String,
}

impl Render for Versions {
    fn human(&self, style: &Style) -> String {
        let mut rows = vec![("Client", comfy_table::Cell::new(self.client.version))];
        match &self.server {
            Some(Some(s)) => {
                let commit =
                    if s.commit.is_empty() { String::new() } else { format!(", commit {}", s.commit) };
                rows.push(("Server", comfy_table::Cell::new(format!("{}{commit} ({})", s.version, s.url))))
            }
            Some(None) => rows.push(("Server", comfy_table::Cell::new("unreachable"))),
            None => {}
        }
        table::pairs(style, rows)
    }

    fn ids(&self) -> Vec<String> {
        let mut ids = vec![self.client.version.to_string()];
        if let Some(Some(s)) = &self.server {
            ids.push(s.version.clone());
        }
        ids
    }
}

async fn version(ctx: &Ctx, args: VersionArgs) -> anyhow::Result<Exit> {
    let client = ClientVersion { version: bkg_core::VERSION };
    if args.client {
        ctx.out.print(&Versions { client, server: None })?;
        return Ok(Exit::Ok);
    }
    // `/healthz` is public: the version is answered without credentials.
    let target = crate::session::target(&ctx.global)?;
    match target.client.health().await {
        Ok(h) => {
            let server =
                ServerVersion { url: target.key, version: h.version, commit: h.commit, status: h.status };
            ctx.out.print(&Versions { client, server: Some(Some(server)) })?;
            Ok(Exit::Ok)
        }
        Err(e) => {
            ctx.out.print(&Versions { client, server: Some(None) })?;
            Err(anyhow::Error::from(e).context("asking the server for its version (--client skips it)"))
        }
    }
}

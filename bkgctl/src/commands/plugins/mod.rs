//! `bkgctl plugins ...`: list, show, status, capabilities, start, stop, restart (with
//! `--wait`), and the larger subcommands in their own modules: `logs`, `config`, `invoke`,
//! `install` (with `reload`).

mod config;
mod install;
mod invoke;
mod logs;
mod wait;

use std::time::Duration;

use bkg_core::plugin::{LifecycleResponse, PluginState};
use clap::{Args, Subcommand};

use super::Ctx;
use crate::exit::Exit;

#[derive(Debug, Subcommand)]
pub enum PluginsCmd {
    /// List plugins with their status and node; -A lists every node's
    Ls(LsArgs),
    /// Show a plugin: manifest, status, capabilities and config
    Show(IdArg),
    /// Show a plugin's lifecycle status
    Status(IdArg),
    /// List a plugin's capabilities (-o json includes their input and output schemas)
    Caps(IdArg),
    /// Start a plugin; returns once it is running (its handshake completed)
    Start(IdArg),
    /// Stop a plugin (SIGTERM, SIGKILL after its stop timeout); returns once it is gone
    Stop(IdArg),
    /// Restart a plugin; a running one is hot-swapped without failing a call
    Restart(RestartArgs),
    /// Print a plugin's logs; with -f, keep following them live
    Logs(logs::LogsArgs),
    /// Read or change a plugin's configuration
    #[command(subcommand)]
    Config(config::ConfigCmd),
    /// Invoke one of a plugin's capabilities with a JSON input
    Invoke(invoke::InvokeArgs),
    /// Upload a plugin folder and install its runtime (Python venv, npm ci), or install the
    /// runtime of a plugin the daemon has; the installer's output streams to stderr (admins)
    Install(install::InstallArgs),
    /// Pick up new, changed and removed manifests in the daemon's plugins directory without
    /// restarting it; running plugins are left alone (admins)
    Reload,
}

#[derive(Debug, Args)]
pub struct LsArgs {
    /// Every node's plugins (several bkgd on one PostgreSQL): the server's live, the other
    /// nodes' as their last heartbeat reported them
    #[arg(short = 'A', long)]
    pub all_nodes: bool,
}

#[derive(Debug, Args)]
pub struct IdArg {
    /// The plugin's id (`bkgctl plugins ls` lists them)
    pub id: String,
}

#[derive(Debug, Args)]
pub struct RestartArgs {
    /// The plugin's id
    pub id: String,
    /// Wait until the plugin is running again (also through backoff after a failed start)
    #[arg(long)]
    pub wait: bool,
    /// How long --wait waits before giving up (e.g. 30s, 2m)
    #[arg(long, value_parser = super::args::duration, default_value = "60s", requires = "wait")]
    pub timeout: Duration,
}

pub async fn run(ctx: &Ctx, cmd: PluginsCmd) -> anyhow::Result<Exit> {
    let out = &ctx.out;
    let mut api = ctx.api()?;
    match cmd {
        PluginsCmd::Ls(a) if a.all_nodes => {
            let nodes = api.call(async |c| c.nodes().await).await?;
            let plugins = nodes.nodes.into_iter().flat_map(|n| n.plugins).collect();
            out.print(&bkg_core::plugin::PluginList { plugins })?
        }
        PluginsCmd::Ls(_) => out.print(&api.call(async |c| c.plugins().await).await?)?,
        PluginsCmd::Show(a) => out.print(&api.call(async |c| c.plugin(&a.id).await).await?)?,
        PluginsCmd::Status(a) => out.print(&api.call(async |c| c.plugin_status(&a.id).await).await?)?,
        PluginsCmd::Caps(a) => out.print(&api.call(async |c| c.capabilities(&a.id).await).await?)?,
        PluginsCmd::Start(a) => out.print(&api.call(async |c| c.start(&a.id).await).await?)?,
        PluginsCmd::Stop(a) => out.print(&api.call(async |c| c.stop(&a.id).await).await?)?,
        PluginsCmd::Restart(a) => return restart(ctx, &mut api, a).await,
        PluginsCmd::Logs(a) => return logs::run(ctx, &mut api, a).await,
        PluginsCmd::Config(c) => return config::run(ctx, &mut api, c).await,
        PluginsCmd::Invoke(a) => return invoke::run(ctx, &mut api, a).await,
        PluginsCmd::Install(a) => return install::install(ctx, &mut api, a).await,
        PluginsCmd::Reload => return install::reload(ctx, &mut api).await,
    }
    Ok(Exit::Ok)
}

async fn restart(ctx: &Ctx, api: &mut crate::session::Api, a: RestartArgs) -> anyhow::Result<Exit> {
    let resp = api.call(async |c| c.restart(&a.id).await).await?;
    if !a.wait || resp.status.status == PluginState::Running {
        ctx.out.print(&resp)?;
        return Ok(Exit::Ok);
    }
    let status = wait::until_running(api, &a.id, a.timeout).await?;
    ctx.out.print(&LifecycleResponse { status, ..resp })?;
    Ok(Exit::Ok)
}

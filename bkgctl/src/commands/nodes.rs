//! `bkgctl nodes ls`: every bkgd sharing the server's database, with its state and plugins.

use clap::Subcommand;

use super::Ctx;
use crate::exit::Exit;

#[derive(Debug, Subcommand)]
pub enum NodesCmd {
    /// List the nodes of the cluster (one on SQLite): state, URL, version, plugins running.
    /// Plugins run per node: to act on one on another node, use that node's URL (--server)
    Ls,
}

pub async fn run(ctx: &Ctx, cmd: NodesCmd) -> anyhow::Result<Exit> {
    let NodesCmd::Ls = cmd;
    let mut api = ctx.api()?;
    ctx.out.print(&api.call(async |c| c.nodes().await).await?)?;
    Ok(Exit::Ok)
}

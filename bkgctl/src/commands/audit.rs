//! `bkgctl audit ls`: the audit log, newest first, with the API's filters.

use bkg_core::auth::AuditQuery;
use clap::{Args, Subcommand};

use super::Ctx;
use crate::exit::Exit;
use crate::output::note;

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// List audit events, newest first
    Ls(AuditLsArgs),
}

#[derive(Debug, Args)]
pub struct AuditLsArgs {
    /// Only events by this username (or key:<prefix>)
    #[arg(long, value_name = "WHO")]
    pub actor: Option<String>,
    /// Only this action, or every action under a prefix ending in a dot (key.)
    #[arg(long)]
    pub action: Option<String>,
    /// Only events about this target
    #[arg(long)]
    pub target: Option<String>,
    /// Only events at or after this time: RFC 3339, or an age like 24h
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only events before this time: RFC 3339, or an age like 1h
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    /// At most this many events [default: 100, at most 1000]
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Only events older than this id (the `next` of the previous page)
    #[arg(long, value_name = "ID")]
    pub before: Option<i64>,
}

pub async fn run(ctx: &Ctx, cmd: AuditCmd) -> anyhow::Result<Exit> {
    let AuditCmd::Ls(a) = cmd;
    let query = AuditQuery {
        actor: a.actor,
        action: a.action,
        target: a.target,
        since: a.since,
        until: a.until,
        limit: a.limit,
        before: a.before,
    };
    let mut api = ctx.api()?;
    let page = api.call(async |c| c.audit(&query).await).await?;
    ctx.out.print(&page)?;
    if let (Some(next), false) = (page.next, ctx.out.machine()) {
        note(format!("more events: add --before {next}"));
    }
    Ok(Exit::Ok)
}

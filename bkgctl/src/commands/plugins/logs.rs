//! `plugins logs`: the backfill, then (with `-f`) the live stream from the backfill's cursor,
//! so the two join without a gap or a duplicate. If the daemon reports that this client fell
//! behind and lines were dropped for it, the hole is fetched from the backfill API before
//! going on, so even a slow terminal misses nothing.

use bkg_core::client::ClientError;
use bkg_core::logs::{LogLevel, LogLine, LogQuery};
use bkg_core::ws::ServerMessage;
use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};

use crate::commands::{Ctx, Interrupt};
use crate::exit::{Exit, Fail};
use crate::session::Api;

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The plugin's id
    pub id: String,
    /// Keep printing lines as the plugin writes them, until Ctrl-C
    #[arg(short, long)]
    pub follow: bool,
    /// Only lines at this level or above
    #[arg(long, value_parser = level_parser())]
    pub level: Option<LogLevel>,
    /// Only lines at or after this time: RFC 3339, or an age like 90s, 5m, 2h
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Show at most the last N lines before following [default: the daemon's, 200]
    #[arg(long, value_name = "N")]
    pub tail: Option<u32>,
    /// Only lines whose message contains TEXT (case-insensitive)
    #[arg(long, value_name = "TEXT")]
    pub grep: Option<String>,
}

fn level_parser() -> impl TypedValueParser<Value = LogLevel> {
    PossibleValuesParser::new(["trace", "debug", "info", "warn", "error"])
        .map(|s| s.parse::<LogLevel>().expect("only the listed level names get here"))
}

/// The message filter, with the backfill's `q` semantics (case-insensitive substring).
struct Grep(Option<String>);

impl Grep {
    fn matches(&self, line: &LogLine) -> bool {
        self.0.as_ref().is_none_or(|q| line.message.to_lowercase().contains(q))
    }
}

pub async fn run(ctx: &Ctx, api: &mut Api, a: LogsArgs) -> anyhow::Result<Exit> {
    let mut interrupt = if a.follow { Some(Interrupt::catch()?) } else { None };
    let query =
        LogQuery { tail: a.tail, since: a.since.clone(), level: a.level, q: a.grep.clone(), cursor: None };
    let page = api.call(async |c| c.logs(&a.id, &query).await).await?;
    for line in &page.lines {
        ctx.out.print_item(line)?;
    }
    let Some(interrupt) = interrupt.as_mut() else { return Ok(Exit::Ok) };
    let grep = Grep(a.grep.as_ref().map(|g| g.to_lowercase()));
    let mut ws = api.call(async |c| c.ws().await).await?;
    ws.subscribe_logs(Some(&a.id), Some(page.cursor), a.level).await?;
    // The highest seq accounted for: printed, filtered out, or covered by the backfill.
    let mut last = page.cursor;
    loop {
        tokio::select! {
            msg = ws.next() => match msg {
                Some(Ok(ServerMessage::Logs(line))) => {
                    if line.seq > last {
                        last = line.seq;
                        if grep.matches(&line) {
                            ctx.out.print_item(&line)?;
                        }
                    }
                }
                Some(Ok(ServerMessage::Lagged(lag))) => {
                    if let Some(upto) = lag.last_missed_seq {
                        catch_up(ctx, api, &a, &grep, &mut last, upto).await?;
                    }
                }
                Some(Ok(ServerMessage::Error(body))) => {
                    return Err(ClientError::Api { status: body.code.http_status(), body }.into());
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
                None => {
                    return Err(Fail::new(Exit::Unreachable, "bkgd closed the log stream (is it shutting down?)").into());
                }
            },
            () = interrupt.recv() => return Ok(Exit::Interrupted),
        }
    }
}

/// Pages forward through the backfill from `last` until the dropped lines up to `upto` are
/// printed.
async fn catch_up(
    ctx: &Ctx,
    api: &mut Api,
    a: &LogsArgs,
    grep: &Grep,
    last: &mut u64,
    upto: u64,
) -> anyhow::Result<()> {
    while *last < upto {
        let query = LogQuery { level: a.level, cursor: Some(*last), ..Default::default() };
        let page = api.call(async |c| c.logs(&a.id, &query).await).await?;
        let before = *last;
        for line in &page.lines {
            if line.seq <= *last {
                continue;
            }
            *last = line.seq;
            if grep.matches(line) {
                ctx.out.print_item(line)?;
            }
        }
        if !page.truncated || *last == before {
            // Nothing more on disk either: the rest of the hole was filtered out or rotated away.
            *last = (*last).max(upto.min(page.cursor));
            return Ok(());
        }
    }
    Ok(())
}

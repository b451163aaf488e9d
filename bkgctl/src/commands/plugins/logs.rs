//! `plugins logs`: the backfill, then (with `-f`) the live stream from the backfill's cursor,
//! so the two join without a gap or a duplicate. If the daemon reports that this client fell
//! behind and lines were dropped for it, the hole is fetched from the backfill API (10,000
//! lines a request, waiting out the rate limit if it answers) before going on, so even a slow
//! terminal misses nothing; lines rotated out of the files before it could fetch them are
//! counted on stderr, exactly (the daemon's missed count less what was found).

use bkg_core::client::ClientError;
use bkg_core::logs::{LogLevel, LogLine, LogQuery};
use bkg_core::ws::ServerMessage;
use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use futures_util::FutureExt;

use crate::commands::{Ctx, Interrupt};
use crate::exit::{Exit, Fail};
use crate::session::Api;

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// The plugin's id
    pub id: String,
    /// Keep printing lines as the plugin writes them, until Ctrl-C (which exits 0). Lines this
    /// terminal was too slow for are fetched again from bkgd's files; any that were rotated
    /// away first are counted on stderr
    #[arg(short, long)]
    pub follow: bool,
    /// Only lines at this level or above
    #[arg(long, value_parser = level_parser())]
    pub level: Option<LogLevel>,
    /// Only lines at or after this time: RFC 3339, or an age like 90s, 5m, 2h
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Show at most the last N lines before following; 0 for only new lines [default: the
    /// daemon's, 200]
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
    let mut out = Pending::default();
    for line in &page.lines {
        out.push(ctx, line)?;
    }
    out.flush()?;
    let Some(interrupt) = interrupt.as_mut() else { return Ok(Exit::Ok) };
    let grep = Grep(a.grep.as_ref().map(|g| g.to_lowercase()));
    let mut ws = api.call(async |c| c.ws().await).await?;
    ws.subscribe_logs(Some(&a.id), Some(page.cursor), a.level).await?;
    // The highest seq accounted for: printed, filtered out, or covered by the backfill.
    let mut last = page.cursor;
    let mut taken = 0u32;
    loop {
        // What has already arrived is taken without waiting and written in one go; the
        // output is flushed whenever the stream pauses, so a quiet plugin's lines show at once.
        taken = taken.wrapping_add(1);
        if taken.is_multiple_of(1024) && interrupt.recv().now_or_never().is_some() {
            out.flush()?;
            return Ok(Exit::Ok);
        }
        let msg = match ws.next().now_or_never() {
            Some(msg) => msg,
            None => {
                out.flush()?;
                tokio::select! {
                    msg = ws.next() => msg,
                    // Ctrl-C is how a follow ends, as with `journalctl -f`: not a failure.
                    () = interrupt.recv() => return Ok(Exit::Ok),
                }
            }
        };
        match msg {
            Some(Ok(ServerMessage::Logs(line))) => {
                if line.seq > last {
                    last = line.seq;
                    if grep.matches(&line) {
                        out.push(ctx, &line)?;
                    }
                }
            }
            Some(Ok(ServerMessage::Lagged(lag))) => {
                let Some(upto) = lag.last_missed_seq else { continue };
                out.flush()?;
                let recovered = tokio::select! {
                    r = catch_up(ctx, api, &a, &grep, &mut last, upto) => r?,
                    () = interrupt.recv() => return Ok(Exit::Ok),
                };
                // Lines neither printed live nor found in the files: rotated away before
                // this client could fetch them. Said, never silently lost.
                let skipped = lag.missed.saturating_sub(recovered);
                if skipped > 0 {
                    crate::output::note(format!(
                        "bkgctl: skipped {skipped} line{} of {}: the plugin wrote faster than this \
                         terminal read and bkgd's log files rotated them away (logs.file_max_bytes, \
                         logs.file_keep)",
                        if skipped == 1 { "" } else { "s" },
                        a.id
                    ));
                }
            }
            Some(Ok(ServerMessage::Error(body))) => {
                out.flush()?;
                return Err(ClientError::Api { status: body.code.http_status(), body }.into());
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => {
                out.flush()?;
                return Err(e.into());
            }
            None => {
                out.flush()?;
                return Err(Fail::new(
                    Exit::Unreachable,
                    "bkgd closed the log stream (is it shutting down?)",
                )
                .into());
            }
        }
    }
}

/// Lines on their way to stdout, written together: one write per burst instead of per line.
#[derive(Default)]
struct Pending(String);

impl Pending {
    /// Most bytes held before they are written.
    const FLUSH_AT: usize = 64 * 1024;

    fn push(&mut self, ctx: &Ctx, line: &LogLine) -> anyhow::Result<()> {
        self.0.push_str(&ctx.out.item_text(line)?);
        if self.0.len() >= Self::FLUSH_AT {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        if !self.0.is_empty() {
            crate::output::write_stdout(&self.0)?;
            self.0.clear();
        }
        Ok(())
    }
}

/// Lines per backfill page when catching up: the API's largest, so a hole costs one request
/// per 10,000 lines and a flood cannot run the follower into the rate limit.
const CATCH_UP_PAGE: u32 = 10_000;

/// Pages forward through the backfill from `last` until the dropped lines up to `upto` are
/// printed, and no further: later lines come over the WebSocket, or are reported in a later
/// gap, whose count must not include lines printed here. Returns how many lines in
/// `(last, upto]` it found (at the level asked, before `--grep`), which the caller compares
/// with the daemon's count of missed lines.
async fn catch_up(
    ctx: &Ctx,
    api: &mut Api,
    a: &LogsArgs,
    grep: &Grep,
    last: &mut u64,
    upto: u64,
) -> anyhow::Result<u64> {
    let mut recovered = 0;
    let mut out = Pending::default();
    while *last < upto {
        let query =
            LogQuery { level: a.level, cursor: Some(*last), tail: Some(CATCH_UP_PAGE), ..Default::default() };
        let page = fetch(api, &a.id, &query).await?;
        let before = *last;
        let mut past_the_hole = false;
        for line in &page.lines {
            if line.seq <= *last {
                continue;
            }
            if line.seq > upto {
                past_the_hole = true;
                break;
            }
            *last = line.seq;
            recovered += 1;
            if grep.matches(line) {
                out.push(ctx, line)?;
            }
        }
        out.flush()?;
        if past_the_hole || !page.truncated || *last == before {
            // Nothing more of the hole on disk: the rest was filtered out or rotated away.
            break;
        }
    }
    *last = (*last).max(upto);
    Ok(recovered)
}

/// One backfill page; when the daemon's rate limit answers, waits as long as it says and asks
/// again: the lines wait on disk, and a follower must not die of its own requests.
async fn fetch(api: &mut Api, id: &str, query: &LogQuery) -> anyhow::Result<bkg_core::logs::LogPage> {
    let mut told = false;
    loop {
        match api.call(async |c| c.logs(id, query).await).await {
            Err(e) => {
                let Some(ClientError::Api { body, .. }) = e.downcast_ref::<ClientError>() else {
                    return Err(e);
                };
                if body.code != bkg_core::ErrorCode::RateLimited {
                    return Err(e);
                }
                let secs = body.details.as_ref().and_then(|d| d["retryAfterSecs"].as_u64()).unwrap_or(1);
                if !told {
                    crate::output::note(format!(
                        "bkgctl: bkgd's rate limit (auth.requests_per_minute) holds the catch-up \
                         back; fetching the missed lines again in {secs} s"
                    ));
                    told = true;
                }
                tokio::time::sleep(std::time::Duration::from_secs(secs)).await;
            }
            page => return page,
        }
    }
}

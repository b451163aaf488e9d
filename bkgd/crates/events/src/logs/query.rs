//! Backfill: answers `GET /api/plugins/{id}/logs` from the files (for what precedes the ring)
//! and the ring, with the `tail`, `since`, `level`, `q` and `cursor` filters.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use bkg_core::logs::{LogLevel, LogLine, LogPage, LogQuery};
use chrono::{DateTime, Utc};

use super::file::{first_seq, line_seq, plugin_files};
use super::{LineRef, LogBatch};

const DEFAULT_TAIL: u32 = 200;
const MAX_TAIL: u32 = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("{0}")]
    Bad(String),
    #[error("cannot read log files: {0}")]
    Io(#[from] std::io::Error),
}

struct Filter {
    since: Option<DateTime<Utc>>,
    level: LogLevel,
    needle: Option<String>,
}

impl Filter {
    fn new(q: &LogQuery) -> Result<Self, QueryError> {
        // An empty parameter (`?since=`) is no filter.
        let since = q.since.as_deref().filter(|s| !s.is_empty()).map(parse_since).transpose()?;
        Ok(Self {
            since,
            level: q.level.unwrap_or(LogLevel::Trace),
            needle: q.q.as_ref().map(|s| s.to_lowercase()),
        })
    }

    fn matches(&self, ts: &DateTime<Utc>, level: LogLevel, message: &str) -> bool {
        level >= self.level
            && self.since.is_none_or(|s| *ts >= s)
            && self.needle.as_ref().is_none_or(|n| contains_ci(message, n))
    }
}

fn contains_ci(haystack: &str, lower_needle: &str) -> bool {
    if haystack.is_ascii() && lower_needle.is_ascii() {
        let n = lower_needle.as_bytes();
        return n.is_empty() || haystack.as_bytes().windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(lower_needle)
}

/// The oldest age `since` accepts: 100 years, far beyond any log, and far inside the range of
/// time arithmetic.
pub const MAX_AGE_DAYS: i64 = 36_500;

/// `since` as RFC 3339 or an age such as `90s`, `5m`, `2h`, `1d` (at most [`MAX_AGE_DAYS`]).
pub fn parse_since(s: &str) -> Result<DateTime<Utc>, QueryError> {
    parse_time("since", s)
}

/// A point in time given as the query parameter `param` (`since`, `until`): RFC 3339 or an age.
pub fn parse_time(param: &str, s: &str) -> Result<DateTime<Utc>, QueryError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let bad = || {
        QueryError::Bad(format!(
            "{param}={s:?}: use RFC 3339 (2026-11-25T10:00:00Z) or an age like 90s, 5m, 2h, 1d"
        ))
    };
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
    let unit_secs: i64 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    let too_old =
        || QueryError::Bad(format!("{param}={s:?}: an age may be at most {MAX_AGE_DAYS}d (100 years)"));
    if num.is_empty() {
        return Err(bad());
    }
    // Digits only, so a parse failure means the number is too long for an i64.
    let secs = num.parse::<i64>().ok().and_then(|n| n.checked_mul(unit_secs)).ok_or_else(too_old)?;
    if secs > MAX_AGE_DAYS * 86_400 {
        return Err(too_old());
    }
    Ok(Utc::now() - chrono::Duration::seconds(secs))
}

/// Runs a query against a snapshot of the ring (`batches`, first held seq `ring_first`).
pub fn run(
    dir: &Path,
    plugin_id: &str,
    q: &LogQuery,
    ring_first: Option<u64>,
    batches: Vec<Arc<LogBatch>>,
    head: u64,
) -> Result<LogPage, QueryError> {
    let filter = Filter::new(q)?;
    let limit = q.tail.unwrap_or(DEFAULT_TAIL);
    if limit == 0 && q.cursor.is_some() {
        return Err(QueryError::Bad(format!(
            "tail=0 returns no lines; to page after a cursor, tail must be between 1 and {MAX_TAIL}"
        )));
    }
    if limit > MAX_TAIL {
        return Err(QueryError::Bad(format!("tail must be between 0 and {MAX_TAIL}")));
    }
    if limit == 0 {
        // Only the cursor, for a client that follows what comes next (`tail -n 0 -f`).
        let earlier = batches.iter().any(|b| b.iter().any(|l| filter.matches(&b.ts, l.level, l.message)))
            || !plugin_files(dir, plugin_id).is_empty();
        return Ok(LogPage { lines: Vec::new(), cursor: head, truncated: earlier });
    }
    let limit = limit as usize;
    if q.cursor.is_some_and(|c| c > i64::MAX as u64) {
        return Err(QueryError::Bad(format!("cursor must be at most {}", i64::MAX)));
    }
    // Lines before the ring are on disk; lines from the ring's first seq on are in `batches`.
    let disk_before = ring_first.unwrap_or(head + 1);

    let ring_lines = batches
        .iter()
        .flat_map(|b| b.iter().filter(|l| filter.matches(&b.ts, l.level, l.message)).map(move |l| (b, l)));

    if let Some(cursor) = q.cursor {
        // Forward paging after the cursor.
        let mut out: Vec<LogLine> = Vec::new();
        if cursor + 1 < disk_before {
            scan_disk(dir, plugin_id, cursor, disk_before, |line| {
                if filter.matches(&line.ts, line.level, &line.message) {
                    out.push(line);
                }
                out.len() <= limit
            })?;
        }
        for (b, l) in ring_lines.filter(|(_, l)| l.seq > cursor) {
            if out.len() > limit {
                break;
            }
            out.push(b.line(l));
        }
        let truncated = out.len() > limit;
        out.truncate(limit);
        let cursor = if truncated { out.last().map_or(cursor, |l| l.seq) } else { head.max(cursor) };
        return Ok(LogPage { lines: out, cursor, truncated });
    }

    // The tail: the last `limit` matching lines.
    let mut tail: VecDeque<LogLine> = VecDeque::with_capacity(limit + 1);
    let mut truncated = false;
    let ring: Vec<(&Arc<LogBatch>, LineRef<'_>)> = ring_lines.collect();
    if ring.len() < limit + 1 && disk_before > 1 {
        scan_disk(dir, plugin_id, 0, disk_before, |line| {
            if filter.matches(&line.ts, line.level, &line.message) {
                tail.push_back(line);
                if tail.len() > limit {
                    tail.pop_front();
                    truncated = true;
                }
            }
            true
        })?;
    }
    let skip = ring.len().saturating_sub(limit);
    truncated |= skip > 0;
    for (b, l) in ring.into_iter().skip(skip) {
        tail.push_back(b.line(l));
        if tail.len() > limit {
            tail.pop_front();
            truncated = true;
        }
    }
    Ok(LogPage { lines: tail.into(), cursor: head, truncated })
}

/// Up to `max` lines of one plugin with `after < seq < before` at `min` level or above, from
/// disk; true when they are all there are.
pub fn read_range(
    dir: &Path,
    plugin_id: &str,
    after: u64,
    before: u64,
    min: LogLevel,
    max: usize,
) -> Result<(Vec<LogLine>, bool), QueryError> {
    let mut out = Vec::new();
    let mut complete = true;
    scan_disk(dir, plugin_id, after, before, |line| {
        if line.level >= min {
            if out.len() == max {
                complete = false;
                return false;
            }
            out.push(line);
        }
        true
    })?;
    Ok((out, complete))
}

/// Calls `f` for each line on disk with `after < seq < before`, oldest first, until it
/// returns false. Files that cannot hold such lines are skipped by their first seq.
fn scan_disk(
    dir: &Path,
    plugin_id: &str,
    after: u64,
    before: u64,
    mut f: impl FnMut(LogLine) -> bool,
) -> Result<(), QueryError> {
    let files = plugin_files(dir, plugin_id);
    let firsts: Vec<Option<u64>> = files.iter().map(|p| first_seq(p)).collect();
    for (i, path) in files.iter().enumerate() {
        let next_first = firsts.get(i + 1).copied().flatten();
        if next_first.is_some_and(|n| n <= after + 1) || firsts[i].is_some_and(|s| s >= before) {
            continue;
        }
        let mut file = match std::fs::File::open(path) {
            Ok(f) => f,
            // Rotated away between listing and opening.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e.into()),
        };
        // Paging forward through a 16 MiB file must not read it from the start for each page.
        let start = if firsts[i].is_some_and(|s| s <= after) { seek_after(&mut file, after)? } else { 0 };
        file.seek(SeekFrom::Start(start))?;
        let mut reader = BufReader::with_capacity(256 * 1024, file);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            if reader.read_until(b'\n', &mut buf)? == 0 {
                break;
            }
            // The seq leads every line: lines outside the range are not parsed at all.
            match line_seq(&buf) {
                Some(seq) if seq <= after => continue,
                Some(seq) if seq >= before => return Ok(()),
                _ => {}
            }
            let Ok(parsed) = serde_json::from_slice::<LogLine>(&buf) else { continue };
            if parsed.seq <= after {
                continue;
            }
            if parsed.seq >= before {
                return Ok(());
            }
            if !f(parsed) {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// An offset of a line start in a log file at or before the first line with a seq above
/// `after`, found by bisecting the file (its lines are in seq order), so that reading from
/// there skips at most a few kilobytes of earlier lines.
fn seek_after(file: &mut std::fs::File, after: u64) -> std::io::Result<u64> {
    const CLOSE_ENOUGH: u64 = 64 * 1024;
    let (mut lo, mut hi) = (0u64, file.metadata()?.len());
    let mut chunk = vec![0u8; 16 * 1024];
    while hi - lo > CLOSE_ENOUGH {
        let mid = lo + (hi - lo) / 2;
        file.seek(SeekFrom::Start(mid))?;
        let n = file.read(&mut chunk)?;
        // The first whole line after `mid`: its start and its seq.
        let probe = chunk[..n].iter().position(|b| *b == b'\n').and_then(|nl| {
            let line = &chunk[nl + 1..n];
            line_seq(line).map(|seq| (mid + nl as u64 + 1, seq))
        });
        match probe {
            Some((start, seq)) if seq <= after => lo = start,
            // Past it, or no readable line here (a very long line): look earlier.
            _ => hi = mid,
        }
    }
    Ok(lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_accepts_ages_and_timestamps() {
        assert!(parse_since("5m").is_ok());
        assert!(parse_since("2026-11-25T10:00:00Z").is_ok());
        for bad in ["", "m", "5", "5y", "yesterday"] {
            assert!(parse_since(bad).is_err(), "{bad}");
        }
        for huge in ["300000000d", "99999999999h", "99999999999999999999999s", "36501d"] {
            let err = parse_since(huge).unwrap_err().to_string();
            assert!(err.contains("at most 36500d"), "{huge}: {err}");
        }
        assert!(parse_since("36500d").is_ok());
    }

    proptest::proptest! {
        /// Whatever a caller sends, the parser answers (no panic), and an age it accepts lies
        /// in the past within the limit.
        #[test]
        fn since_never_panics(s in "\\PC{0,40}") {
            let _ = parse_since(&s);
        }

        #[test]
        fn ages_within_the_limit_parse_and_beyond_it_are_refused(n in 0u64..=u64::MAX, unit in "[smhd]") {
            let secs = n.checked_mul(match unit.as_str() { "s" => 1, "m" => 60, "h" => 3600, _ => 86_400 });
            let parsed = parse_since(&format!("{n}{unit}"));
            match secs {
                Some(secs) if secs <= (MAX_AGE_DAYS * 86_400) as u64 => {
                    let t = parsed.expect("an age within the limit parses");
                    proptest::prop_assert!(t <= Utc::now());
                }
                _ => proptest::prop_assert!(parsed.is_err()),
            }
        }
    }

    #[test]
    fn case_insensitive_search() {
        assert!(contains_ci("Hello World", "world"));
        assert!(contains_ci("ÄBC", "äb"));
        assert!(!contains_ci("abc", "x"));
    }
}

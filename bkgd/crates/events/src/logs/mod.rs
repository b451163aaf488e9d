//! Plugin logs: sequencing, the in-memory ring per plugin, the files on disk, backfill queries
//! and live subscriptions.
//!
//! Invariants:
//! - Sequence numbers are assigned, batches appended to the ring, queued for the file writer
//!   and published to subscribers under one lock (`Logs::state`), so every line has one place
//!   in one order everywhere.
//! - A batch leaves the ring only once the file writer has written it, so every line is in the
//!   ring, on disk, or both: backfill reads the files for what precedes the ring and the ring for
//!   the rest, and a `logs` subscription with a cursor replays the same way before it becomes
//!   live under the lock. Backfill + follow therefore join with no gap and no duplicate.
//! - Nothing is dropped on the way to disk: when the writer falls behind, `append` waits, which
//!   stops reading the plugin's pipe and so slows the plugin down. Only live subscribers may
//!   miss lines, and they are told how many.

mod batch;
mod file;
mod ingest;
mod parse;
mod query;

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bkg_core::logs::{LogLevel, LogLine, LogPage, LogQuery};
use chrono::Utc;
use parking_lot::Mutex;
use tokio::sync::Notify;

pub use batch::{Entries, LineRef, LogBatch};
pub use ingest::{IngestGate, ingest_pipe};
pub use query::{QueryError, parse_since, parse_time};

use crate::config::LogsConfig;

/// Where new batches go live (the event hub). Called under the log lock, so every subscriber
/// sees lines in sequence order. This module never sees a WebSocket message.
pub trait LogFanout: Send + Sync + std::fmt::Debug {
    fn publish_logs(&self, batch: &Arc<LogBatch>);
}

/// One connection's side of a logs subscription (the event hub implements it): the lines it
/// missed, then live from the moment [`LogFollower::go_live`] is called under the log lock.
pub trait LogFollower {
    /// Lines of `batch` with seq >= `from_seq`, from the ring.
    fn replay_batch(&self, batch: Arc<LogBatch>, from_seq: u64);
    /// A line read back from disk.
    fn replay_line(&self, line: LogLine);
    /// From now on, new batches reach this connection through the fan-out.
    fn go_live(&self);
}

/// Most lines read back from disk at once for a subscription's replay.
const REPLAY_CHUNK: usize = 8192;

/// How many lines may wait for the file writer before readers are paused.
const MAX_PENDING_LINES: u64 = 16 * 1024;

#[derive(Debug, Default)]
struct Ring {
    batches: VecDeque<Arc<LogBatch>>,
    lines: usize,
}

#[derive(Debug)]
struct State {
    next_seq: u64,
    rings: HashMap<Arc<str>, Ring>,
}

#[derive(Debug)]
pub struct Logs {
    state: Mutex<State>,
    cfg: LogsConfig,
    dir: PathBuf,
    fanout: Arc<dyn LogFanout>,
    writer: file::WriterHandle,
    drained: Arc<Notify>,
    lines_total: AtomicU64,
}

impl Logs {
    /// Opens the log directory, continuing the sequence after the highest seq on disk.
    pub fn open(dir: PathBuf, cfg: LogsConfig, fanout: Arc<dyn LogFanout>) -> anyhow::Result<Arc<Self>> {
        crate::private_fs::dir(&dir)?;
        let next_seq = file::highest_seq(&dir)? + 1;
        let drained = Arc::new(Notify::new());
        let writer = file::spawn_writer(dir.clone(), cfg.clone(), next_seq - 1, drained.clone())?;
        Ok(Arc::new(Self {
            state: Mutex::new(State { next_seq, rings: HashMap::new() }),
            cfg,
            dir,
            fanout,
            writer,
            drained,
            lines_total: AtomicU64::new(0),
        }))
    }

    pub fn config(&self) -> &LogsConfig {
        &self.cfg
    }

    /// The highest seq assigned so far (0 when none).
    pub fn head(&self) -> u64 {
        self.state.lock().next_seq - 1
    }

    /// Lines appended since the daemon started.
    pub fn lines_total(&self) -> u64 {
        self.lines_total.load(Ordering::Relaxed)
    }

    /// Lines written to disk since the daemon started.
    pub fn lines_on_disk(&self) -> u64 {
        self.writer.lines_written()
    }

    /// Appends lines of one plugin run, waiting first while the file writer is far behind.
    pub async fn append(&self, plugin_id: &Arc<str>, run: u64, entries: Entries) {
        loop {
            let notified = self.drained.notified();
            if self.writer.pending() <= MAX_PENDING_LINES {
                break;
            }
            notified.await;
        }
        self.append_now(plugin_id, run, entries);
    }

    /// Appends without waiting (the daemon's own short notes about a plugin).
    pub fn append_now(&self, plugin_id: &Arc<str>, run: u64, entries: Entries) {
        if entries.is_empty() {
            return;
        }
        let n = entries.len() as u64;
        let mut st = self.state.lock();
        let batch = Arc::new(LogBatch::new(plugin_id.clone(), run, Utc::now(), st.next_seq, entries));
        st.next_seq += n;
        let written = self.writer.written_through();
        let ring = st.rings.entry(plugin_id.clone()).or_default();
        ring.lines += batch.len();
        ring.batches.push_back(batch.clone());
        while let Some(front) = ring.batches.front() {
            if ring.lines - front.len() < self.cfg.ring_lines || front.last_seq() > written {
                break;
            }
            ring.lines -= front.len();
            ring.batches.pop_front();
        }
        self.writer.send(batch.clone());
        self.fanout.publish_logs(&batch);
        drop(st);
        self.lines_total.fetch_add(n, Ordering::Relaxed);
    }

    /// A note from the daemon about a plugin (start, exit, restart...), in the plugin's stream.
    pub fn note(&self, plugin_id: &Arc<str>, run: u64, level: LogLevel, message: String) {
        let fields = Some(Box::new(serde_json::json!({"source": "bkgd"})));
        self.append_now(plugin_id, run, Entries::one(level, &message, fields));
    }

    /// First seq held in memory for the plugin(s), and the batches after `after`.
    fn snapshot(&self, plugin_id: Option<&str>, after: u64) -> (Option<u64>, Vec<Arc<LogBatch>>) {
        let st = self.state.lock();
        Self::snapshot_locked(&st, plugin_id, after)
    }

    fn snapshot_locked(st: &State, plugin_id: Option<&str>, after: u64) -> (Option<u64>, Vec<Arc<LogBatch>>) {
        let rings = st.rings.iter().filter(|(id, _)| plugin_id.is_none_or(|p| p == &***id));
        let mut first = None::<u64>;
        let mut out = Vec::new();
        for (_, ring) in rings {
            if let Some(f) = ring.batches.front() {
                first = Some(first.map_or(f.first_seq, |x| x.min(f.first_seq)));
            }
            out.extend(ring.batches.iter().filter(|b| b.last_seq() > after).cloned());
        }
        out.sort_by_key(|b| b.first_seq);
        (first, out)
    }

    /// Subscribes a connection to logs. With a cursor (one plugin only), it first replays every
    /// line after the cursor, from disk where the ring no longer reaches, then goes live under
    /// the lock, so nothing is missed or repeated in between.
    pub async fn subscribe(
        &self,
        follower: &(dyn LogFollower + Sync),
        plugin_id: Option<&str>,
        cursor: Option<u64>,
        level: Option<LogLevel>,
    ) -> Result<(), QueryError> {
        let (Some(plugin_id), Some(mut done)) = (plugin_id, cursor) else {
            if cursor.is_some() {
                return Err(QueryError::Bad("a logs subscription with a cursor needs a pluginId".into()));
            }
            let _st = self.state.lock();
            follower.go_live();
            return Ok(());
        };
        let min = level.unwrap_or(LogLevel::Trace);
        loop {
            // Under the lock: if the ring holds everything after `done`, replay it and go live.
            {
                let st = self.state.lock();
                let (first, batches) = Self::snapshot_locked(&st, Some(plugin_id), done);
                if first.is_none_or(|f| f <= done + 1) {
                    for b in batches {
                        let from = b.first_seq.max(done + 1);
                        follower.replay_batch(b, from);
                    }
                    follower.go_live();
                    return Ok(());
                }
            }
            // Outside the lock: read what precedes the ring from disk (it is there: batches
            // leave the ring only once written), then try again.
            // In chunks, so a far cursor never holds more than a chunk of lines in memory.
            let (first, _) = self.snapshot(Some(plugin_id), u64::MAX);
            let upto = first.unwrap_or_else(|| self.writer.written_through() + 1);
            let (lines, complete) = self.read_disk(plugin_id, done, upto, min).await?;
            let read_through =
                if complete { upto.saturating_sub(1) } else { lines.last().map_or(done, |l| l.seq) };
            for line in lines {
                follower.replay_line(line);
            }
            done = done.max(read_through);
        }
    }

    /// Up to [`REPLAY_CHUNK`] lines from disk; true when that was all of the range.
    async fn read_disk(
        &self,
        plugin_id: &str,
        after: u64,
        before: u64,
        min: LogLevel,
    ) -> Result<(Vec<LogLine>, bool), QueryError> {
        let dir = self.dir.clone();
        let plugin_id = plugin_id.to_owned();
        tokio::task::spawn_blocking(move || {
            query::read_range(&dir, &plugin_id, after, before, min, REPLAY_CHUNK)
        })
        .await
        .map_err(|e| QueryError::Io(std::io::Error::other(e)))?
    }

    /// Answers a backfill query from the files (what precedes the ring) and the ring.
    pub async fn query(&self, plugin_id: &str, q: &LogQuery) -> Result<LogPage, QueryError> {
        let (first, batches, head) = {
            let st = self.state.lock();
            let (first, batches) = Self::snapshot_locked(&st, Some(plugin_id), 0);
            (first, batches, st.next_seq - 1)
        };
        let dir = self.dir.clone();
        let plugin_id = plugin_id.to_string();
        let q = q.clone();
        tokio::task::spawn_blocking(move || query::run(&dir, &plugin_id, &q, first, batches, head))
            .await
            .map_err(|e| QueryError::Io(std::io::Error::other(e)))?
    }

    /// Flushes and stops the file writer.
    pub fn shutdown(&self) {
        self.writer.shutdown();
    }
}

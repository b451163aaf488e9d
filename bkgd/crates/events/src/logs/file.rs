//! Log files: one writer thread appends every plugin's lines as JSON (one `LogLine` per line)
//! to `<logs_dir>/<plugin>.log`, rotating it to `<plugin>.log.1` ... `.log.<keep>` by size.
//!
//! The writer takes whatever has queued up, formats it into one buffer per file and writes
//! each buffer with one syscall ("feed many, flush once"); in a flood, every 512 KiB, so the
//! buffer is reused rather than grown to the size of the round. Lines reach the OS with every round,
//! so a crash of the daemon loses none that were acknowledged as written; there is no fsync,
//! because losing the last log lines on power loss is an accepted trade for throughput.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use parking_lot::Mutex;
use tokio::sync::Notify;

use super::LogBatch;
use crate::config::LogsConfig;

enum Msg {
    Batch(Arc<LogBatch>),
    Shutdown(mpsc::Sender<()>),
}

#[derive(Debug, Default)]
struct Counters {
    pending: AtomicU64,
    written_through: AtomicU64,
    lines_written: AtomicU64,
}

#[derive(Debug)]
pub struct WriterHandle {
    tx: Mutex<Option<mpsc::Sender<Msg>>>,
    counters: Arc<Counters>,
}

impl WriterHandle {
    /// Queues a batch (called under the log lock, so batches arrive in seq order).
    pub fn send(&self, batch: Arc<LogBatch>) {
        let n = batch.len() as u64;
        if let Some(tx) = self.tx.lock().as_ref() {
            self.counters.pending.fetch_add(n, Ordering::AcqRel);
            if tx.send(Msg::Batch(batch)).is_err() {
                self.counters.pending.fetch_sub(n, Ordering::AcqRel);
            }
        }
    }

    /// Lines queued but not yet written.
    pub fn pending(&self) -> u64 {
        self.counters.pending.load(Ordering::Acquire)
    }

    /// Every line with a seq up to this one is on disk.
    pub fn written_through(&self) -> u64 {
        self.counters.written_through.load(Ordering::Acquire)
    }

    pub fn lines_written(&self) -> u64 {
        self.counters.lines_written.load(Ordering::Acquire)
    }

    /// Writes what is queued and stops the thread.
    pub fn shutdown(&self) {
        let Some(tx) = self.tx.lock().take() else { return };
        let (done_tx, done_rx) = mpsc::channel();
        if tx.send(Msg::Shutdown(done_tx)).is_ok() {
            let _ = done_rx.recv();
        }
    }
}

pub fn spawn_writer(
    dir: PathBuf,
    cfg: LogsConfig,
    written_through: u64,
    drained: Arc<Notify>,
) -> std::io::Result<WriterHandle> {
    let (tx, rx) = mpsc::channel();
    let counters = Arc::new(Counters::default());
    counters.written_through.store(written_through, Ordering::Release);
    let c = counters.clone();
    std::thread::Builder::new().name("bkgd-logwriter".into()).spawn(move || {
        Writer { dir, cfg, files: HashMap::new(), counters: c, drained, failing: Default::default() }.run(rx)
    })?;
    Ok(WriterHandle { tx: Mutex::new(Some(tx)), counters })
}

struct OpenLog {
    file: File,
    size: u64,
    buf: Vec<u8>,
}

struct Writer {
    dir: PathBuf,
    cfg: LogsConfig,
    files: HashMap<Arc<str>, OpenLog>,
    counters: Arc<Counters>,
    drained: Arc<Notify>,
    /// Plugins whose file could not be written last time (a full disk): reported once when it
    /// starts and once when it ends, not every round.
    failing: std::collections::HashSet<Arc<str>>,
}

/// Most batches taken in one round before writing.
const ROUND: usize = 512;

impl Writer {
    fn run(mut self, rx: mpsc::Receiver<Msg>) {
        let mut round = Vec::with_capacity(ROUND);
        let mut shutdown = None;
        while shutdown.is_none() {
            match rx.recv() {
                Ok(Msg::Batch(b)) => round.push(b),
                Ok(Msg::Shutdown(done)) => shutdown = Some(done),
                Err(_) => break,
            }
            while round.len() < ROUND && shutdown.is_none() {
                match rx.try_recv() {
                    Ok(Msg::Batch(b)) => round.push(b),
                    Ok(Msg::Shutdown(done)) => shutdown = Some(done),
                    Err(_) => break,
                }
            }
            self.write_round(&mut round);
        }
        if let Some(done) = shutdown {
            let _ = done.send(());
        }
    }

    fn write_round(&mut self, round: &mut Vec<Arc<LogBatch>>) {
        let mut lines = 0u64;
        let mut last_seq = None;
        for batch in round.drain(..) {
            lines += batch.len() as u64;
            last_seq = Some(batch.last_seq());
            if let Err(e) = self.format(&batch)
                && self.failing.insert(batch.plugin_id.clone())
            {
                tracing::error!(plugin = %batch.plugin_id, error = %e, "cannot write plugin log file; its lines stay in memory (the ring) and reach subscribers, but not the file, until it can be written again");
            }
        }
        for (id, log) in self.files.iter_mut() {
            let wrote = !log.buf.is_empty();
            match flush(log) {
                Err(e) if self.failing.insert(id.clone()) => {
                    tracing::error!(plugin = %id, error = %e, "cannot write plugin log file; its lines stay in memory (the ring) and reach subscribers, but not the file, until it can be written again");
                }
                Ok(()) if wrote && self.failing.remove(id) => {
                    tracing::warn!(plugin = %id, "plugin log file is written again; the lines logged while it could not be are not in it");
                }
                _ => {}
            }
        }
        if let Some(seq) = last_seq {
            self.counters.written_through.store(seq, Ordering::Release);
        }
        self.counters.lines_written.fetch_add(lines, Ordering::AcqRel);
        if self.counters.pending.fetch_sub(lines, Ordering::AcqRel) == lines {
            // Nothing queued: a flood is over (or there was none); its buffers go back.
            for log in self.files.values_mut() {
                log.buf.shrink_to(BUF_KEEP);
            }
        }
        self.drained.notify_waiters();
    }

    fn format(&mut self, batch: &LogBatch) -> std::io::Result<()> {
        if !self.files.contains_key(&batch.plugin_id) {
            let log = open(&log_path(&self.dir, &batch.plugin_id))?;
            self.files.insert(batch.plugin_id.clone(), log);
        }
        let max = self.cfg.file_max_bytes.max(4096);
        let mut log = self.files.get_mut(&batch.plugin_id).expect("inserted above");
        for l in batch.iter() {
            let before = log.buf.len();
            batch.write_json(&mut log.buf, l, false);
            log.buf.push(b'\n');
            if log.size + log.buf.len() as u64 > max && log.size + before as u64 > 0 {
                // Rotate before this line: what precedes it goes to the old file.
                let line = log.buf.split_off(before);
                flush(log)?;
                self.rotate(&batch.plugin_id)?;
                log = self.files.get_mut(&batch.plugin_id).expect("reopened by rotate");
                log.buf.extend_from_slice(&line);
            } else if log.buf.len() >= BUF_FLUSH {
                // A round of a flood is written in pieces rather than formatted whole: the
                // buffer stays small and is reused instead of growing to megabytes.
                flush(log)?;
            }
        }
        Ok(())
    }

    fn rotate(&mut self, plugin_id: &Arc<str>) -> std::io::Result<()> {
        let base = log_path(&self.dir, plugin_id);
        let keep = self.cfg.file_keep;
        let numbered = |n: u32| PathBuf::from(format!("{}.{n}", base.display()));
        if keep == 0 {
            std::fs::remove_file(&base)?;
        } else {
            let _ = std::fs::remove_file(numbered(keep));
            for n in (1..keep).rev() {
                let from = numbered(n);
                if from.exists() {
                    std::fs::rename(&from, numbered(n + 1))?;
                }
            }
            std::fs::rename(&base, numbered(1))?;
        }
        self.files.insert(plugin_id.clone(), open(&base)?);
        Ok(())
    }
}

fn open(path: &Path) -> std::io::Result<OpenLog> {
    let file = crate::private_fs::file_options().create(true).append(true).open(path)?;
    let size = file.metadata()?.len();
    Ok(OpenLog { file, size, buf: Vec::with_capacity(BUF_KEEP) })
}

fn flush(log: &mut OpenLog) -> std::io::Result<()> {
    if log.buf.is_empty() {
        return Ok(());
    }
    let written = log.file.write_all(&log.buf);
    match written {
        Ok(()) => log.size += log.buf.len() as u64,
        // Part of the buffer may have reached the file: cut it back to its last whole line, so
        // the next write does not continue a torn one. What could not be written is dropped
        // rather than kept: a full disk must not make the daemon's memory grow.
        Err(_) => {
            let _ = log.file.set_len(log.size);
        }
    }
    log.buf.clear();
    written
}

/// Bytes a plugin's write buffer starts with.
const BUF_KEEP: usize = 64 * 1024;

/// A buffer this full is written at once; it stays below this plus one line.
const BUF_FLUSH: usize = 512 * 1024;

pub fn log_path(dir: &Path, plugin_id: &str) -> PathBuf {
    dir.join(format!("{plugin_id}.log"))
}

/// A plugin's files, oldest first.
pub fn plugin_files(dir: &Path, plugin_id: &str) -> Vec<PathBuf> {
    let base = log_path(dir, plugin_id);
    let mut numbered: Vec<(u32, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let n = name.strip_prefix(&format!("{plugin_id}.log."))?.parse().ok()?;
            Some((n, e.path()))
        })
        .collect();
    numbered.sort_by_key(|n| std::cmp::Reverse(n.0));
    let mut out: Vec<PathBuf> = numbered.into_iter().map(|(_, p)| p).collect();
    if base.exists() {
        out.push(base);
    }
    out
}

/// The seq of the first complete line of a file.
pub fn first_seq(path: &Path) -> Option<u64> {
    let mut line = String::new();
    BufReader::new(File::open(path).ok()?).read_line(&mut line).ok()?;
    line_seq(line.as_bytes())
}

/// The seq of a line as the writer writes it (`{"seq":N,...`), without parsing the rest.
pub fn line_seq(line: &[u8]) -> Option<u64> {
    let rest = line.strip_prefix(br#"{"seq":"#)?;
    let end = rest.iter().position(|b| *b == b',')?;
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
}

/// The seq of the last complete line of a file.
fn last_seq(path: &Path) -> std::io::Result<Option<u64>> {
    let mut f = File::open(path)?;
    let len = f.metadata()?.len();
    let start = len.saturating_sub(256 * 1024);
    f.seek(SeekFrom::Start(start))?;
    let mut tail = Vec::new();
    f.read_to_end(&mut tail)?;
    let text = String::from_utf8_lossy(&tail);
    Ok(text.lines().rev().filter(|l| l.ends_with('}')).find_map(|l| line_seq(l.as_bytes())))
}

/// The highest seq in any log file of the directory (0 when there are none).
pub fn highest_seq(dir: &Path) -> std::io::Result<u64> {
    let mut max = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.ends_with(".log") || name.ends_with(".log.1") {
            max = max.max(last_seq(&path)?.unwrap_or(0));
        }
    }
    Ok(max)
}

//! Reads a plugin's stderr into the log pipeline: large reads, split at newlines, one batch
//! per read. Reads until the pipe reaches EOF (not until the process exits), so the last lines
//! of a process that exits right after writing them are never lost.
//!
//! A plugin that writes one line per `write(2)` faster than they are read would otherwise cost
//! a wake-up, a read, a batch and a hand-off to the file writer per line. When reads come back
//! small and close together ("hot"), the reader pauses one timer tick before the next read, so
//! the lines of that tick arrive in one read and one batch. During the pause the pipe is out of
//! the reactor: registered, every write would still wake the runtime's thread (epoll reports
//! each one) although nobody reads. For the pause not to stall the plugin, the pipe of a hot
//! plugin is grown to [`HOT_PIPE_BYTES`] once. A plugin that logs at a human rate meets none of
//! this: its lines are read the moment they are written.

use std::io::Read;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tokio::net::unix::pipe::Receiver;
use tokio::sync::Notify;

use super::parse::parse_line;
use super::{Entries, Logs};

const READ_CHUNK: usize = 256 * 1024;

/// A read that came back less than this long after the previous one, and not full, means the
/// plugin writes faster than its lines are read one by one. Longer than a pause (1-2 ms, see
/// below), so a flood stays hot from one pause to the next.
const HOT_GAP: Duration = Duration::from_millis(3);

/// The pause after a hot read: one tick of tokio's timer (which rounds up to whole
/// milliseconds), the most a hot line waits before it is read.
const HOT_PAUSE: Duration = Duration::from_millis(1);

/// The pipe size of a hot plugin: what it writes in a pause at millions of lines per second
/// (a full pipe blocks its writes). Linux lets an unprivileged process grow a pipe to 1 MiB
/// (`/proc/sys/fs/pipe-max-size`); when that fails the pipe keeps its size and the plugin is
/// slowed down, nothing more.
const HOT_PIPE_BYTES: i32 = 1 << 20;

/// Lets the plugin's other channel (its protocol replies on stdout) keep its order with the
/// log: a reply must not overtake the lines the plugin wrote before it, which a pause holds
/// back for up to two milliseconds and a busy runtime for longer (the reader's task may not
/// have run yet when the reply is routed). [`IngestGate::catch_up`] returns at once when the
/// pipe is empty and the reader waits for lines; otherwise it cuts a pause short and waits for
/// a read that began after the call.
#[derive(Debug)]
pub struct IngestGate {
    /// A second descriptor of the pipe's read end, to ask how much it holds (`FIONREAD`);
    /// `None` without a pipe, and from the moment the reader has ended.
    pipe: Mutex<Option<OwnedFd>>,
    /// The reader is waiting for the pipe to become readable: everything it read is appended.
    /// Stored before every read(2) and after every append, so "the pipe was empty, then the
    /// reader was waiting" means every byte written before that was appended.
    waiting: AtomicBool,
    /// The reader has ended: nothing more will be appended, so nothing is waited for.
    ended: AtomicBool,
    /// Tickets of `catch_up` calls, and the highest ticket a finished read began after.
    requested: AtomicU64,
    served: AtomicU64,
    wake: Notify,
    done: Notify,
}

impl Default for IngestGate {
    /// A gate without a pipe: before the reader's first read (or without a reader) nothing is
    /// held back.
    fn default() -> Self {
        Self {
            pipe: Mutex::new(None),
            waiting: AtomicBool::new(true),
            ended: AtomicBool::new(false),
            requested: AtomicU64::new(0),
            served: AtomicU64::new(0),
            wake: Notify::new(),
            done: Notify::new(),
        }
    }
}

impl IngestGate {
    /// The gate of the reader of `pipe` (the read end the reader gets). Without a second
    /// descriptor (the process is out of them) the gate still orders replies after pauses,
    /// only not after lines the reader has yet to be scheduled for.
    pub fn for_pipe(pipe: BorrowedFd<'_>) -> Self {
        let gate = Self::default();
        match pipe.try_clone_to_owned() {
            Ok(fd) => *gate.pipe.lock() = Some(fd),
            Err(e) => {
                tracing::warn!(error = %e, "cannot watch a plugin's stderr pipe; a reply may overtake its log lines")
            }
        }
        gate
    }

    /// Returns once the lines the plugin wrote before this call have been appended (or the
    /// reader has ended).
    pub async fn catch_up(&self) {
        let ticket = self.requested.fetch_add(1, Ordering::AcqRel) + 1;
        loop {
            let done = self.done.notified();
            tokio::pin!(done);
            // Registered before the check: a change between the two still wakes us.
            done.as_mut().enable();
            if self.ended.load(Ordering::SeqCst)
                || self.served.load(Ordering::Acquire) >= ticket
                || self.idle()
            {
                return;
            }
            self.wake.notify_one();
            done.await;
        }
    }

    /// Nothing is held back: the pipe is empty, and after that the reader waits for lines. In
    /// that order: a read(2) that emptied the pipe came after a `waiting = false`, and a later
    /// `waiting = true` only comes after that read's lines were appended.
    fn idle(&self) -> bool {
        let empty = match &*self.pipe.lock() {
            Some(fd) => rustix::io::ioctl_fionread(fd).map_or(true, |n| n == 0),
            None => true,
        };
        empty && self.waiting.load(Ordering::SeqCst)
    }

    fn set_waiting(&self, waiting: bool) {
        self.waiting.store(waiting, Ordering::SeqCst);
        if waiting {
            self.done.notify_waiters();
        }
    }

    /// A read that began after the tickets up to `ticket` has been appended.
    fn served(&self, ticket: u64) {
        self.served.fetch_max(ticket, Ordering::AcqRel);
        self.done.notify_waiters();
    }
}

/// Ends the gate on every path out of the reader, so `catch_up` never hangs, and closes its
/// descriptor of the pipe, so a plugin writing to a pipe nobody reads gets EPIPE.
struct Ended<'a>(&'a IngestGate);

impl Drop for Ended<'_> {
    fn drop(&mut self) {
        self.0.ended.store(true, Ordering::SeqCst);
        self.0.pipe.lock().take();
        self.0.done.notify_waiters();
    }
}

/// Where the next read comes from.
enum Pipe {
    /// In the reactor: reads wait for lines.
    Registered(Receiver),
    /// Out of it, during and right after a pause: reads take what is there.
    Paused(std::fs::File),
}

/// Ingests `pipe` (the read end of a pipe) as the log stream of one plugin run; returns at EOF
/// or on a read error.
pub async fn ingest_pipe(
    pipe: OwnedFd,
    logs: Arc<Logs>,
    plugin_id: Arc<str>,
    run: u64,
    gate: Arc<IngestGate>,
) {
    let _ended = Ended(&gate);
    let mut pipe = match Receiver::from_owned_fd(pipe) {
        Ok(p) => Pipe::Registered(p),
        Err(e) => {
            tracing::error!(plugin = %plugin_id, error = %e, "cannot read plugin stderr; its log lines are lost");
            return;
        }
    };
    let max_line = logs.config().max_line_bytes;
    let mut buf: Vec<u8> = Vec::with_capacity(READ_CHUNK);
    let mut last_read: Option<Instant> = None;
    let mut grown = false;
    loop {
        if buf.capacity() - buf.len() < READ_CHUNK / 4 {
            buf.reserve(READ_CHUNK);
        }
        let ticket = gate.requested.load(Ordering::Acquire);
        let read = match &mut pipe {
            Pipe::Registered(rx) => {
                gate.set_waiting(true);
                let ready = rx.readable().await;
                // Before the read(2), not after it: see `IngestGate::idle`.
                gate.set_waiting(false);
                match ready.and_then(|()| rx.try_read_buf(&mut buf)) {
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                    read => Some(read),
                }
            }
            Pipe::Paused(file) => read_now(file, &mut buf),
        };
        let Some(read) = read else {
            // Nothing came during the pause: back to waiting for lines.
            let Pipe::Paused(file) = pipe else { unreachable!("only a paused pipe reads nothing") };
            // The burst is over: its batches' memory can go back once the daemon is quiet.
            bkgd_base::memory::after_work();
            // Still the pipe checked above, still non-blocking.
            pipe = match Receiver::from_owned_fd_unchecked(file.into()) {
                Ok(rx) => Pipe::Registered(rx),
                Err(e) => {
                    tracing::error!(plugin = %plugin_id, error = %e, "cannot resume reading plugin stderr; its later log lines are lost");
                    return;
                }
            };
            continue;
        };
        let n = read.unwrap_or_else(|e| {
            tracing::warn!(plugin = %plugin_id, error = %e, "reading plugin stderr failed");
            0
        });
        let eof = n == 0;
        let now = Instant::now();
        // After a pause, lines that came during it keep the reader pausing.
        let hot = !eof
            && n < READ_CHUNK / 2
            && (matches!(pipe, Pipe::Paused(_)) || last_read.is_some_and(|t| now - t < HOT_GAP));
        last_read = Some(now);
        // One string for the messages of the read's complete lines, and room for their entries:
        // no allocation per line (a cut or last partial line may grow them once).
        let complete = memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1);
        let lines = memchr::memchr_iter(b'\n', &buf[..complete]).count();
        let mut entries = Entries::with_capacity(complete, lines);
        let mut start = 0;
        while let Some(pos) = memchr::memchr(b'\n', &buf[start..]) {
            push_split(&mut entries, &buf[start..start + pos], max_line);
            start += pos + 1;
        }
        // A partial line longer than the limit is cut; the rest of it becomes the next line.
        if buf.len() - start >= max_line || (eof && start < buf.len()) {
            push_split(&mut entries, &buf[start..], max_line);
            start = buf.len();
        }
        buf.drain(..start);
        logs.append(&plugin_id, run, entries).await;
        gate.served(ticket);
        if eof {
            return;
        }
        if hot {
            if let Pipe::Registered(rx) = pipe {
                let fd = match rx.into_nonblocking_fd() {
                    Ok(fd) => fd,
                    Err(e) => {
                        tracing::error!(plugin = %plugin_id, error = %e, "cannot pause reading plugin stderr; its later log lines are lost");
                        return;
                    }
                };
                if !grown {
                    grown = true;
                    let _ = nix::fcntl::fcntl(fd.as_fd(), nix::fcntl::FcntlArg::F_SETPIPE_SZ(HOT_PIPE_BYTES));
                }
                pipe = Pipe::Paused(fd.into());
            }
            tokio::select! {
                () = tokio::time::sleep(HOT_PAUSE) => {}
                () = gate.wake.notified() => {}
            }
        }
    }
}

/// One read of what a paused (non-blocking) pipe holds: `None` when it holds nothing,
/// `Some(0)` at EOF.
fn read_now(file: &mut std::fs::File, buf: &mut Vec<u8>) -> Option<std::io::Result<usize>> {
    let before = buf.len();
    // `take` bounds the read; `read_to_end` reads into the spare capacity.
    match Read::take(&mut *file, READ_CHUNK as u64).read_to_end(buf) {
        Ok(n) => Some(Ok(n)),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
            let n = buf.len() - before;
            (n > 0).then_some(Ok(n))
        }
        Err(e) => Some(Err(e)),
    }
}

fn push_split(entries: &mut Entries, line: &[u8], max: usize) {
    if line.len() <= max {
        parse_line(line, entries);
        return;
    }
    let mut rest = line;
    while !rest.is_empty() {
        // Cut at a UTF-8 boundary so a character is never split into two replacement chars.
        let mut cut = rest.len().min(max);
        while cut < rest.len() && cut > 0 && (rest[cut] & 0xC0) == 0x80 {
            cut -= 1;
        }
        if cut == 0 {
            cut = rest.len().min(max);
        }
        parse_line(&rest[..cut], entries);
        rest = &rest[cut..];
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::config::LogsConfig;
    use crate::logs::{LogBatch, LogFanout};

    #[derive(Debug)]
    struct NoFanout;
    impl LogFanout for NoFanout {
        fn publish_logs(&self, _: &Arc<LogBatch>) {}
    }

    /// `catch_up` returns at once while the reader waits for lines; otherwise it ends the
    /// reader's pause and waits until a read that began after it has been appended.
    #[test]
    fn catch_up_waits_for_a_read_after_it_only_while_the_reader_holds_lines_back() {
        use std::task::{Context, Poll, Waker};
        let mut cx = Context::from_waker(Waker::noop());
        let gate = IngestGate::default();
        assert!(std::pin::pin!(gate.catch_up()).poll(&mut cx).is_ready(), "nothing read yet");

        gate.set_waiting(false);
        let ticket = gate.requested.load(Ordering::Acquire);
        let mut caller = std::pin::pin!(gate.catch_up());
        assert!(caller.as_mut().poll(&mut cx).is_pending());
        assert!(std::pin::pin!(gate.wake.notified()).poll(&mut cx).is_ready(), "the pause is cut short");
        gate.served(ticket);
        assert!(caller.as_mut().poll(&mut cx).is_pending(), "that read began before the call");
        gate.served(ticket + 1);
        assert_eq!(caller.as_mut().poll(&mut cx), Poll::Ready(()));

        let mut caller = std::pin::pin!(gate.catch_up());
        assert!(caller.as_mut().poll(&mut cx).is_pending());
        gate.set_waiting(true);
        assert_eq!(caller.as_mut().poll(&mut cx), Poll::Ready(()), "the reader waits for lines again");
    }

    /// A reply routed before the reader has run (a busy runtime) still waits for the lines the
    /// plugin wrote before it: the gate sees them in the pipe.
    #[tokio::test]
    async fn catch_up_waits_for_lines_the_reader_has_not_read_yet() {
        use std::task::{Context, Waker};
        let dir = tempfile::tempdir().unwrap();
        let logs = Logs::open(dir.path().to_path_buf(), LogsConfig::default(), Arc::new(NoFanout)).unwrap();
        let (rx, tx) = nix::unistd::pipe().unwrap();
        let mut tx = std::fs::File::from(tx);
        tx.write_all(b"before the reply\n").unwrap();
        let gate = Arc::new(IngestGate::for_pipe(rx.as_fd()));
        let mut cx = Context::from_waker(Waker::noop());
        assert!(std::pin::pin!(gate.catch_up()).poll(&mut cx).is_pending(), "a line is in the pipe");

        let reader = tokio::spawn(ingest_pipe(rx, logs.clone(), "p".into(), 1, gate.clone()));
        gate.catch_up().await;
        let page = logs.query("p", &Default::default()).await.unwrap();
        assert_eq!(page.lines.iter().map(|l| l.message.as_str()).collect::<Vec<_>>(), ["before the reply"]);
        assert!(
            std::pin::pin!(gate.catch_up()).poll(&mut cx).is_ready(),
            "the pipe is empty, the reader waits"
        );

        drop(tx);
        reader.await.unwrap();
        assert!(gate.pipe.lock().is_none(), "the gate let go of the pipe");
        assert!(
            std::pin::pin!(gate.catch_up()).poll(&mut cx).is_ready(),
            "an ended reader holds nothing back"
        );
        logs.shutdown();
    }

    /// A writer of one line per write(2), as fast as it can go, on a real pipe: through the
    /// pauses and the pipe's growth, every line reaches the file once, whole and in order.
    #[tokio::test]
    async fn a_line_by_line_flood_arrives_whole_and_in_order() {
        const LINES: usize = 200_000;
        let dir = tempfile::tempdir().unwrap();
        let cfg = LogsConfig { file_max_bytes: 1 << 30, ..Default::default() };
        let logs = Logs::open(dir.path().to_path_buf(), cfg, Arc::new(NoFanout)).unwrap();
        let (rx, tx) = nix::unistd::pipe().unwrap();
        let line = |i: usize| format!("{i:010} {}", "x".repeat(88));
        let writer = std::thread::spawn(move || {
            let mut tx = std::fs::File::from(tx);
            for i in 0..LINES {
                tx.write_all(format!("{}\n", line(i)).as_bytes()).unwrap();
            }
        });
        ingest_pipe(rx, logs.clone(), "p".into(), 1, Arc::default()).await;
        writer.join().unwrap();
        logs.shutdown();
        let text = std::fs::read_to_string(dir.path().join("p.log")).unwrap();
        let mut n = 0;
        for (i, json) in text.lines().enumerate() {
            let got: bkg_core::logs::LogLine = serde_json::from_str(json).unwrap();
            assert_eq!((got.seq, got.message.as_str()), (i as u64 + 1, line(i).as_str()));
            n += 1;
        }
        assert_eq!(n, LINES);
    }

    #[test]
    fn long_lines_split_on_char_boundaries() {
        let mut out = Entries::default();
        let line = "é".repeat(300);
        push_split(&mut out, line.as_bytes(), 257);
        assert!(out.len() > 1);
        assert!(out.iter().all(|(_, message, _)| !message.contains('\u{fffd}')));
        assert_eq!(out.iter().map(|(_, message, _)| message).collect::<String>(), line);
    }
}

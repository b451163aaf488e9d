//! The plugin's ends of the pipes: a reader that turns the daemon's lines into messages, and
//! the single writer (a thread on stdout, a task on any other pipe) that owns the output so
//! protocol lines never interleave.
//!
//! The writer feeds every queued line into one buffer and flushes once the queue is empty:
//! per-message flushes cost a syscall each and measurably drop throughput under load, while
//! a flush per burst still puts a lone reply on the wire at once.

use std::io::{BufRead, Write};

use bkg_core::protocol::{DaemonMessage, PluginMessage};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, BufWriter};
use tokio::sync::{mpsc, oneshot};

/// One line from the daemon: a message, or why the line could not be parsed.
pub(crate) type Incoming = Result<DaemonMessage, String>;

/// Daemon lines waiting for the session loop; small, so a stalled loop pushes back on the
/// daemon instead of buffering without bound.
const INCOMING_QUEUE: usize = 256;
/// Lines waiting for the writer; a handler that streams faster than the daemon reads waits
/// here instead of growing memory.
const OUTGOING_QUEUE: usize = 1024;
const WRITE_BUFFER: usize = 64 * 1024;

fn parse_line(line: &[u8]) -> Option<Incoming> {
    bkg_core::ndjson::decode(line).map(|r| r.map_err(|e| e.to_string()))
}

/// Reads stdin on a dedicated OS thread. Tokio's own stdin does a blocking read on the runtime's
/// blocking pool that cannot be interrupted, which would make the runtime's shutdown hang after
/// a goodbye until the daemon closes the pipe; a detached thread just dies with the process.
pub(crate) fn stdin_reader() -> std::io::Result<mpsc::Receiver<Incoming>> {
    let (tx, rx) = mpsc::channel(INCOMING_QUEUE);
    std::thread::Builder::new().name("bkg-plugin-stdin".into()).spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut buf = Vec::new();
        while let Some(incoming) = next_message(&mut stdin, &mut buf) {
            if tx.blocking_send(incoming).is_err() {
                break;
            }
        }
    })?;
    Ok(rx)
}

/// The next message on `input`, blank lines skipped; `None` at EOF or after a read error
/// (logged).
fn next_message(input: &mut impl BufRead, buf: &mut Vec<u8>) -> Option<Incoming> {
    loop {
        buf.clear();
        match input.read_until(b'\n', buf) {
            Ok(0) => return None,
            Ok(_) => {
                if let Some(incoming) = parse_line(buf) {
                    return Some(incoming);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                crate::log::error(format_args!("reading stdin failed: {e}"));
                return None;
            }
        }
    }
}

/// Reads any async pipe on a task; used by [`crate::Plugin::serve`].
pub(crate) fn async_reader<R>(reader: R) -> mpsc::Receiver<Incoming>
where
    R: AsyncRead + Unpin + Send + 'static,
{
    let (tx, rx) = mpsc::channel(INCOMING_QUEUE);
    tokio::spawn(async move {
        let mut reader = BufReader::new(reader);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf).await {
                Ok(0) => break,
                Ok(_) => {
                    if let Some(incoming) = parse_line(&buf)
                        && tx.send(incoming).await.is_err()
                    {
                        break;
                    }
                }
                Err(e) => {
                    crate::log::error(format_args!("reading from the daemon failed: {e}"));
                    break;
                }
            }
        }
    });
    rx
}

enum Out {
    Line(Vec<u8>),
    /// Answered once every line queued before it has been flushed.
    Sync(oneshot::Sender<()>),
}

/// The output went away (the daemon closed its end, or the writer failed).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Closed;

/// A cheap handle for queueing messages to the writer.
#[derive(Clone)]
pub(crate) struct Outbox {
    tx: mpsc::Sender<Out>,
}

impl Outbox {
    pub(crate) async fn send(&self, msg: &PluginMessage) -> Result<(), Closed> {
        let line = match bkg_core::ndjson::encode(msg) {
            Ok(line) => line,
            Err(e) => {
                // Only non-string map keys can fail, which the protocol types do not have; a
                // message that cannot be encoded is dropped with a trace rather than killing
                // the plugin.
                crate::log::error(format_args!("could not encode a protocol message: {e}"));
                return Ok(());
            }
        };
        self.tx.send(Out::Line(line)).await.map_err(|_| Closed)
    }

    /// Waits until everything queued so far is flushed to the pipe.
    pub(crate) async fn sync(&self) -> Result<(), Closed> {
        let (ack, done) = oneshot::channel();
        self.tx.send(Out::Sync(ack)).await.map_err(|_| Closed)?;
        done.await.map_err(|_| Closed)
    }
}

/// Descriptor 1 as a file for the writer: a close-on-exec copy, not `std::io::stdout()`, which
/// is line-buffered and would write line by line.
pub(crate) fn stdout_file() -> std::io::Result<std::fs::File> {
    Ok(std::fs::File::from(std::os::fd::AsFd::as_fd(&std::io::stdout()).try_clone_to_owned()?))
}

/// The daemon's first message, read on the calling thread before the reader thread exists
/// (blank lines skipped; `None` at EOF). It reads through std's stdin buffer, which the reader
/// thread reads through too: whatever came in the same read after the hello is not lost.
pub(crate) fn first_message_blocking() -> Option<Incoming> {
    next_message(&mut std::io::stdin().lock(), &mut Vec::new())
}

/// Starts the writer thread that owns `out` (see [`stdout_file`]) for the rest of the session.
/// A thread, not a task on tokio's `Stdout`: that one hands every write to the blocking pool,
/// so every line would wait for a hop to another thread and back.
pub(crate) fn stdout_writer(out: std::fs::File) -> std::io::Result<Outbox> {
    let (tx, rx) = mpsc::channel(OUTGOING_QUEUE);
    std::thread::Builder::new().name("bkg-plugin-stdout".into()).spawn(move || {
        // `out` is closed when the session's last sender is gone.
        if let Err(e) = write_loop_blocking(rx, out)
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            crate::log::error(format_args!("writing to the daemon failed: {e}"));
        }
    })?;
    Ok(Outbox { tx })
}

/// [`write_loop`] on a thread: one `write` per burst of queued lines.
fn write_loop_blocking(mut rx: mpsc::Receiver<Out>, mut out: impl Write) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(WRITE_BUFFER);
    let mut acks = Vec::new();
    while let Some(first) = rx.blocking_recv() {
        let mut next = Some(first);
        while let Some(item) = next {
            match item {
                Out::Line(line) => {
                    buf.extend_from_slice(&line);
                    if buf.len() >= WRITE_BUFFER {
                        out.write_all(&buf)?;
                        buf.clear();
                    }
                }
                Out::Sync(ack) => acks.push(ack),
            }
            next = rx.try_recv().ok();
        }
        out.write_all(&buf)?;
        buf.clear();
        for ack in acks.drain(..) {
            let _ = ack.send(());
        }
    }
    Ok(())
}

/// Starts the writer task that owns `writer` for the rest of the session.
pub(crate) fn spawn_writer<W>(writer: W) -> Outbox
where
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (tx, rx) = mpsc::channel(OUTGOING_QUEUE);
    tokio::spawn(async move {
        if let Err(e) = write_loop(rx, writer).await {
            // A broken pipe means the daemon is gone; its stdin EOF ends the session.
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                crate::log::error(format_args!("writing to the daemon failed: {e}"));
            }
        }
    });
    Outbox { tx }
}

async fn write_loop<W>(mut rx: mpsc::Receiver<Out>, writer: W) -> std::io::Result<()>
where
    W: AsyncWrite + Unpin,
{
    let mut writer = BufWriter::with_capacity(WRITE_BUFFER, writer);
    let mut acks = Vec::new();
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        while let Some(out) = next {
            match out {
                Out::Line(line) => writer.write_all(&line).await?,
                Out::Sync(ack) => acks.push(ack),
            }
            next = rx.try_recv().ok();
        }
        writer.flush().await?;
        for ack in acks.drain(..) {
            let _ = ack.send(());
        }
    }
    writer.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_are_skipped_and_bad_lines_reported() {
        assert!(parse_line(b"  \r\n").is_none());
        assert!(matches!(
            parse_line(b"{\"type\":\"cancel\",\"id\":4}\r\n"),
            Some(Ok(DaemonMessage::Cancel { id: 4 }))
        ));
        let err = parse_line(b"not json\n").and_then(Result::err).unwrap();
        assert!(err.contains("not json"), "{err}");
    }

    #[tokio::test]
    async fn the_writer_thread_writes_long_lines_whole_and_in_order() {
        let (mut theirs, ours) = std::io::pipe().unwrap();
        let (tx, rx) = mpsc::channel(OUTGOING_QUEUE);
        // Lines of 100 KB and more: several fill the write buffer before the queue is empty.
        let writer = std::thread::spawn(move || write_loop_blocking(rx, ours));
        let outbox = Outbox { tx };
        let reader = std::thread::spawn(move || {
            let mut got = String::new();
            std::io::Read::read_to_string(&mut theirs, &mut got).unwrap();
            got
        });
        let big = "x".repeat(100_000);
        for n in 0..50 {
            outbox.send(&PluginMessage::Chunk { id: n, data: big.clone().into() }).await.unwrap();
        }
        outbox.sync().await.unwrap();
        drop(outbox);
        writer.join().unwrap().unwrap();
        let got = reader.join().unwrap();
        let lines: Vec<&str> = got.lines().collect();
        assert_eq!(lines.len(), 50);
        for (n, line) in lines.iter().enumerate() {
            assert_eq!(*line, format!("{{\"type\":\"chunk\",\"id\":{n},\"data\":\"{big}\"}}"));
        }
    }

    #[tokio::test]
    async fn lines_are_written_whole_and_in_order() {
        let (ours, theirs) = tokio::io::duplex(64);
        let outbox = spawn_writer(ours);
        let reader = tokio::spawn(async move {
            let mut lines = BufReader::new(theirs).lines();
            let mut got = Vec::new();
            while let Some(line) = lines.next_line().await.unwrap() {
                got.push(line);
            }
            got
        });
        for n in 0..500 {
            outbox.send(&PluginMessage::Chunk { id: 1, data: n.into() }).await.unwrap();
        }
        outbox.sync().await.unwrap();
        drop(outbox);
        let got = reader.await.unwrap();
        assert_eq!(got.len(), 500);
        for (n, line) in got.iter().enumerate() {
            assert_eq!(line, &format!("{{\"type\":\"chunk\",\"id\":1,\"data\":{n}}}"));
        }
    }
}

//! Reads a plugin's stderr into the log pipeline: large reads, split at newlines, one batch
//! per read. Reads until the pipe reaches EOF (not until the process exits), so the last lines
//! of a process that exits right after writing them are never lost.

use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncReadExt};

use super::Logs;
use super::parse::parse_line;

const READ_CHUNK: usize = 256 * 1024;

/// Ingests `pipe` as the log stream of one plugin run; returns at EOF or on a read error.
pub async fn ingest_pipe(mut pipe: impl AsyncRead + Unpin, logs: Arc<Logs>, plugin_id: Arc<str>, run: u64) {
    let max_line = logs.config().max_line_bytes;
    let mut buf: Vec<u8> = Vec::with_capacity(READ_CHUNK);
    loop {
        if buf.capacity() - buf.len() < READ_CHUNK / 4 {
            buf.reserve(READ_CHUNK);
        }
        let n = match pipe.read_buf(&mut buf).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(plugin = %plugin_id, error = %e, "reading plugin stderr failed");
                0
            }
        };
        let eof = n == 0;
        let mut entries = Vec::new();
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
        if eof {
            return;
        }
    }
}

fn push_split(entries: &mut Vec<super::Entry>, line: &[u8], max: usize) {
    if line.len() <= max {
        entries.push(parse_line(line));
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
        entries.push(parse_line(&rest[..cut]));
        rest = &rest[cut..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_split_on_char_boundaries() {
        let mut out = Vec::new();
        let line = "é".repeat(300);
        push_split(&mut out, line.as_bytes(), 257);
        assert!(out.iter().all(|e| !e.message.contains('\u{fffd}')));
        assert_eq!(out.iter().map(|e| e.message.as_str()).collect::<String>(), line);
    }
}

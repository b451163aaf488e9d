//! `LogBatch`: the unit the log pipeline moves around. Lines read from one pipe read share a
//! plugin, a run and a timestamp, and get contiguous sequence numbers, so a batch stores those
//! once and each line only its level, the range of its message in the batch's one text, and
//! its extra fields. The ring, the file writer and every WebSocket subscriber share one
//! `Arc<LogBatch>`; nothing is copied per consumer.

use std::sync::Arc;

use bkg_core::logs::{LogLevel, LogLine};
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use serde_json::Value;

/// One line of a batch. Its message is a range of the batch's `text`: a flood of short lines
/// costs one allocation per read, not one per line.
#[derive(Debug)]
struct Entry {
    level: LogLevel,
    start: u32,
    end: u32,
    fields: Option<Box<Value>>,
}

/// The lines of one read (or one note), collected before they become a [`LogBatch`]: every
/// message is appended to one string.
#[derive(Debug, Default)]
pub struct Entries {
    text: String,
    entries: Vec<Entry>,
}

/// The most bytes of messages one batch holds: the offsets of `Entry` are `u32`. A read holds
/// at most a read chunk and one cut line (`logs.max_line_bytes` is at most 16 MiB), and a
/// lossy decode at most triples that; [`Entries::push`] still refuses to pass it.
const MAX_TEXT: usize = u32::MAX as usize;

impl Entries {
    /// Room for `lines` lines of `bytes` bytes in all.
    pub fn with_capacity(bytes: usize, lines: usize) -> Self {
        Self { text: String::with_capacity(bytes), entries: Vec::with_capacity(lines) }
    }

    /// One line, for the daemon's own notes.
    pub fn one(level: LogLevel, message: &str, fields: Option<Box<Value>>) -> Self {
        let mut e = Self::with_capacity(message.len(), 1);
        e.push(level, message, fields);
        e
    }

    /// Appends a line; a message that would pass the batch's limit is cut at a character
    /// boundary (which the ingest's limits keep from happening).
    pub fn push(&mut self, level: LogLevel, message: &str, fields: Option<Box<Value>>) {
        let start = self.text.len();
        let mut keep = message.len().min(MAX_TEXT - start);
        while !message.is_char_boundary(keep) {
            keep -= 1;
        }
        self.text.push_str(&message[..keep]);
        self.entries.push(Entry { level, start: start as u32, end: self.text.len() as u32, fields });
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The lines as `(level, message, fields)`.
    pub fn iter(&self) -> impl Iterator<Item = (LogLevel, &str, Option<&Value>)> {
        self.entries
            .iter()
            .map(|e| (e.level, &self.text[e.start as usize..e.end as usize], e.fields.as_deref()))
    }
}

#[derive(Debug)]
pub struct LogBatch {
    pub plugin_id: Arc<str>,
    pub run: u64,
    pub ts: DateTime<Utc>,
    /// `ts` formatted once for every line of the batch.
    pub ts_text: String,
    /// Sequence number of the first line; the others follow without holes.
    pub first_seq: u64,
    lines: Entries,
}

/// A line of a batch, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineRef<'a> {
    pub seq: u64,
    pub level: LogLevel,
    pub message: &'a str,
    pub fields: Option<&'a Value>,
}

impl LogBatch {
    /// A batch of at least one line.
    pub fn new(plugin_id: Arc<str>, run: u64, ts: DateTime<Utc>, first_seq: u64, lines: Entries) -> Self {
        debug_assert!(!lines.is_empty(), "a batch holds at least one line");
        // Microseconds: what the JSON carries, so a line read back equals the line sent.
        let ts = ts.trunc_subsecs(6);
        let ts_text = ts.to_rfc3339_opts(SecondsFormat::Micros, true);
        Self { plugin_id, run, ts, ts_text, first_seq, lines }
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn last_seq(&self) -> u64 {
        self.first_seq + self.lines.len() as u64 - 1
    }

    /// The lines, in sequence order.
    pub fn iter(&self) -> impl Iterator<Item = LineRef<'_>> {
        self.lines.iter().enumerate().map(|(i, (level, message, fields))| LineRef {
            seq: self.first_seq + i as u64,
            level,
            message,
            fields,
        })
    }

    pub fn line(&self, l: LineRef<'_>) -> LogLine {
        LogLine {
            seq: l.seq,
            ts: self.ts,
            level: l.level,
            plugin_id: self.plugin_id.to_string(),
            run: self.run,
            message: l.message.to_owned(),
            fields: l.fields.cloned(),
        }
    }

    /// Appends the JSON of one line to `out`, exactly as serde writes a `LogLine` (or, with
    /// `ws_tag`, a `ServerMessage::Logs`), without building the intermediate struct: this is
    /// the hot path of the file writer and of every live subscriber.
    pub fn write_json(&self, out: &mut Vec<u8>, l: LineRef<'_>, ws_tag: bool) {
        let mut num = itoa::Buffer::new();
        out.extend_from_slice(if ws_tag { br#"{"type":"logs","seq":"# } else { br#"{"seq":"# });
        out.extend_from_slice(num.format(l.seq).as_bytes());
        out.extend_from_slice(br#","ts":""#);
        out.extend_from_slice(self.ts_text.as_bytes());
        out.extend_from_slice(br#"","level":""#);
        out.extend_from_slice(l.level.as_str().as_bytes());
        out.extend_from_slice(br#"","id":"#);
        write_json_str(out, &self.plugin_id);
        out.extend_from_slice(br#","run":"#);
        out.extend_from_slice(num.format(self.run).as_bytes());
        out.extend_from_slice(br#","message":"#);
        write_json_str(out, l.message);
        if let Some(fields) = l.fields {
            out.extend_from_slice(br#","fields":"#);
            let _ = serde_json::to_writer(&mut *out, fields);
        }
        out.push(b'}');
    }
}

fn write_json_str(out: &mut Vec<u8>, s: &str) {
    // Most log lines need no escaping: copied as they are. Otherwise serde_json's escaping
    // (writing into a Vec cannot fail); both give the bytes serde writes.
    if !needs_escape(s.as_bytes()) {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// Whether serde_json would escape a byte of `s` (a control character, `"` or `\\`). A fold
/// without early exit per 32 bytes, which the compiler turns into vector compares.
fn needs_escape(s: &[u8]) -> bool {
    s.chunks(32).any(|c| c.iter().fold(false, |acc, &b| acc | (b < 0x20) | (b == b'"') | (b == b'\\')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bkg_core::ws::ServerMessage;

    proptest::proptest! {
        #[test]
        fn strings_are_written_as_serde_writes_them(s in "\\PC*|[\\x00-\\x7f]*") {
            let mut ours = Vec::new();
            write_json_str(&mut ours, &s);
            proptest::prop_assert_eq!(ours, serde_json::to_vec(&s).unwrap());
        }
    }

    #[test]
    fn hand_written_json_equals_serde() {
        let mut lines = Entries::default();
        lines.push(LogLevel::Warn, "a \"quoted\" line\twith ünïcode \u{1}", None);
        lines.push(LogLevel::Error, "x", Some(Box::new(serde_json::json!({"k": [1, 2]}))));
        lines.push(LogLevel::Info, "", None);
        let batch = LogBatch::new("p\"1".into(), 3, Utc::now(), 41, lines);
        assert_eq!((batch.len(), batch.last_seq()), (3, 43));
        for l in batch.iter() {
            let mut out = Vec::new();
            batch.write_json(&mut out, l, true);
            let ours: ServerMessage = serde_json::from_slice(&out).unwrap();
            assert_eq!(ours, ServerMessage::Logs(batch.line(l)));
            let mut plain = Vec::new();
            batch.write_json(&mut plain, l, false);
            let line: LogLine = serde_json::from_slice(&plain).unwrap();
            assert_eq!(line, batch.line(l));
        }
        let messages: Vec<_> = batch.iter().map(|l| (l.seq, l.message)).collect();
        assert_eq!(messages, [(41, "a \"quoted\" line\twith ünïcode \u{1}"), (42, "x"), (43, "")]);
    }
}

//! `LogBatch`: the unit the log pipeline moves around. Lines read from one pipe read share a
//! plugin, a run and a timestamp, and get contiguous sequence numbers, so a batch stores those
//! once and each line only its level, message and extra fields. The ring, the file writer and
//! every WebSocket subscriber share one `Arc<LogBatch>`; nothing is copied per consumer.

use std::sync::Arc;

use bkg_core::logs::{LogLevel, LogLine};
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub level: LogLevel,
    pub message: String,
    pub fields: Option<Box<Value>>,
}

#[derive(Debug)]
pub struct LogBatch {
    pub plugin_id: Arc<str>,
    pub run: u64,
    pub ts: DateTime<Utc>,
    /// `ts` formatted once for every line of the batch.
    pub ts_text: String,
    /// Sequence number of `entries[0]`; the others follow without holes.
    pub first_seq: u64,
    pub entries: Vec<Entry>,
}

impl LogBatch {
    pub fn new(
        plugin_id: Arc<str>,
        run: u64,
        ts: DateTime<Utc>,
        first_seq: u64,
        entries: Vec<Entry>,
    ) -> Self {
        // Microseconds: what the JSON carries, so a line read back equals the line sent.
        let ts = ts.trunc_subsecs(6);
        let ts_text = ts.to_rfc3339_opts(SecondsFormat::Micros, true);
        Self { plugin_id, run, ts, ts_text, first_seq, entries }
    }

    pub fn last_seq(&self) -> u64 {
        self.first_seq + self.entries.len() as u64 - 1
    }

    /// `(seq, entry)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &Entry)> {
        self.entries.iter().enumerate().map(|(i, e)| (self.first_seq + i as u64, e))
    }

    pub fn line(&self, seq: u64, e: &Entry) -> LogLine {
        LogLine {
            seq,
            ts: self.ts,
            level: e.level,
            plugin_id: self.plugin_id.to_string(),
            run: self.run,
            message: e.message.clone(),
            fields: e.fields.as_deref().cloned(),
        }
    }

    /// Appends the JSON of one line to `out`, exactly as serde writes a `LogLine` (or, with
    /// `ws_tag`, a `ServerMessage::Logs`), without building the intermediate struct: this is
    /// the hot path of the file writer and of every live subscriber.
    pub fn write_json(&self, out: &mut Vec<u8>, seq: u64, e: &Entry, ws_tag: bool) {
        let mut num = itoa::Buffer::new();
        out.extend_from_slice(if ws_tag { br#"{"type":"logs","seq":"# } else { br#"{"seq":"# });
        out.extend_from_slice(num.format(seq).as_bytes());
        out.extend_from_slice(br#","ts":""#);
        out.extend_from_slice(self.ts_text.as_bytes());
        out.extend_from_slice(br#"","level":""#);
        out.extend_from_slice(e.level.as_str().as_bytes());
        out.extend_from_slice(br#"","id":"#);
        write_json_str(out, &self.plugin_id);
        out.extend_from_slice(br#","run":"#);
        out.extend_from_slice(num.format(self.run).as_bytes());
        out.extend_from_slice(br#","message":"#);
        write_json_str(out, &e.message);
        if let Some(fields) = &e.fields {
            out.extend_from_slice(br#","fields":"#);
            let _ = serde_json::to_writer(&mut *out, fields.as_ref());
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
        let batch = LogBatch::new(
            "p\"1".into(),
            3,
            Utc::now(),
            41,
            vec![
                Entry {
                    level: LogLevel::Warn,
                    message: "a \"quoted\" line\twith ünïcode \u{1}".into(),
                    fields: None,
                },
                Entry {
                    level: LogLevel::Error,
                    message: "x".into(),
                    fields: Some(Box::new(serde_json::json!({"k": [1, 2]}))),
                },
            ],
        );
        for (seq, e) in batch.iter() {
            let mut out = Vec::new();
            batch.write_json(&mut out, seq, e, true);
            let ours: ServerMessage = serde_json::from_slice(&out).unwrap();
            assert_eq!(ours, ServerMessage::Logs(batch.line(seq, e)));
            let mut plain = Vec::new();
            batch.write_json(&mut plain, seq, e, false);
            let line: LogLine = serde_json::from_slice(&plain).unwrap();
            assert_eq!(line, batch.line(seq, e));
        }
    }
}

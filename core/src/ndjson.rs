//! Newline-delimited JSON, the framing of the plugin protocol (`docs/PROTOCOL.md`,
//! "Framing"): one message per line, compact UTF-8 JSON (which never holds a raw newline),
//! ended by `\n`; `\r\n` is accepted and blank lines are skipped. The daemon, the Rust SDK and
//! its test harness all frame through here, so the three cannot drift apart.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The longest line either side accepts (64 MiB): anything longer is a bug, not a message.
pub const MAX_LINE: usize = 64 * 1024 * 1024;

/// How much of a bad line an error shows.
const EXCERPT: usize = 200;

/// Appends `msg` to `buf` as one line.
pub fn encode_into<T: Serialize>(buf: &mut Vec<u8>, msg: &T) -> serde_json::Result<()> {
    serde_json::to_writer(&mut *buf, msg)?;
    buf.push(b'\n');
    Ok(())
}

/// `msg` as one line.
pub fn encode<T: Serialize>(msg: &T) -> serde_json::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(128);
    encode_into(&mut buf, msg)?;
    Ok(buf)
}

/// A line that is not a message of the expected type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error} in line {excerpt:?}")]
pub struct DecodeError {
    /// What the JSON parser said.
    pub error: String,
    /// The start of the line, for the log.
    pub excerpt: String,
}

/// The message one line holds; `None` for a blank line, which is skipped.
pub fn decode<T: DeserializeOwned>(line: &[u8]) -> Option<Result<T, DecodeError>> {
    let line = line.trim_ascii();
    if line.is_empty() {
        return None;
    }
    Some(serde_json::from_slice(line).map_err(|e| DecodeError {
        error: e.to_string(),
        excerpt: String::from_utf8_lossy(&line[..line.len().min(EXCERPT)]).into_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn one_message_per_line_blank_lines_skipped_bad_lines_explained() {
        let line = encode(&json!({"type": "cancel", "id": 4, "text": "a\nb"})).unwrap();
        assert_eq!(line.iter().filter(|b| **b == b'\n').count(), 1, "only the terminator");
        assert!(line.ends_with(b"\n"));
        let back: Value = decode(&line).unwrap().unwrap();
        assert_eq!(back["text"], "a\nb");
        assert!(decode::<Value>(b"  \r\n").is_none());
        let crlf: Value = decode(b"{\"a\":1}\r\n").unwrap().unwrap();
        assert_eq!(crlf["a"], 1);
        let err = decode::<Value>(b"not json\n").unwrap().unwrap_err();
        assert_eq!(err.excerpt, "not json");
        assert!(err.to_string().contains("not json"), "{err}");
    }
}

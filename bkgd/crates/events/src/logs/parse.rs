//! Turns raw stderr bytes into log entries: JSON lines `{"level": ..., "message": ...}` keep
//! their level and extra fields; plain lines are `info`, except the first line of a Rust panic
//! or a Python traceback, which is `error`.

use bkg_core::logs::LogLevel;
use serde_json::Value;

use super::batch::Entries;

/// Parses one line (without its newline) and appends it to `out`.
pub fn parse_line(raw: &[u8], out: &mut Entries) {
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    if raw.first() == Some(&b'{') && parse_json(raw, out) {
        return;
    }
    // Valid UTF-8 (nearly every line) is checked by std's fast path and copied once;
    // `from_utf8_lossy` walks it in chunks, several times slower on a flood.
    match std::str::from_utf8(raw) {
        Ok(s) => out.push(level_of(s), s, None),
        Err(_) => {
            let s = String::from_utf8_lossy(raw);
            out.push(level_of(&s), &s, None);
        }
    }
}

/// Plain lines are `info`, except the first line of a crash.
fn level_of(m: &str) -> LogLevel {
    if is_crash_line(m) { LogLevel::Error } else { LogLevel::Info }
}

fn is_crash_line(m: &str) -> bool {
    (m.starts_with("thread '") && m.contains("' panicked at"))
        || m.starts_with("Traceback (most recent call last)")
}

/// Appends a JSON line with a message; false (and nothing appended) for anything else.
fn parse_json(raw: &[u8], out: &mut Entries) -> bool {
    let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(raw) else { return false };
    let message = match map.remove("message").or_else(|| map.remove("msg")) {
        Some(Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => return false,
    };
    let level = map
        .remove("level")
        .and_then(|l| l.as_str().and_then(LogLevel::parse_lenient))
        .unwrap_or(LogLevel::Info);
    let fields = (!map.is_empty()).then(|| Box::new(Value::Object(std::mem::take(&mut map))));
    out.push(level, &message, fields);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[u8]) -> (LogLevel, String, Option<Value>) {
        let mut out = Entries::default();
        parse_line(raw, &mut out);
        assert_eq!(out.len(), 1);
        let (level, message, fields) = out.iter().next().unwrap();
        (level, message.to_owned(), fields.cloned())
    }

    #[test]
    fn json_lines_keep_level_and_fields() {
        let (level, message, fields) = parse(br#"{"level":"WARNING","message":"disk low","free":12}"#);
        assert_eq!((level, message.as_str()), (LogLevel::Warn, "disk low"));
        assert_eq!(fields, Some(serde_json::json!({"free": 12})));
        let (level, message, fields) = parse(br#"{"msg":"short form"}"#);
        assert_eq!((level, message.as_str(), fields), (LogLevel::Info, "short form", None));
    }

    #[test]
    fn plain_and_broken_lines_are_info_panics_error() {
        assert_eq!(parse(b"hello\r").1, "hello");
        assert_eq!(parse(b"{not json").0, LogLevel::Info);
        assert_eq!(parse(br#"{"no":"message"}"#).1, r#"{"no":"message"}"#);
        assert_eq!(parse(b"thread 'main' panicked at src/main.rs:3:5:").0, LogLevel::Error);
        assert_eq!(parse(b"Traceback (most recent call last):").0, LogLevel::Error);
        assert_eq!(parse(&[0xff, b'a']).1, "\u{fffd}a");
    }
}

//! Turns raw stderr bytes into log entries: JSON lines `{"level": ..., "message": ...}` keep
//! their level and extra fields; plain lines are `info`, except the first line of a Rust panic
//! or a Python traceback, which is `error`.

use bkg_core::logs::LogLevel;
use serde_json::Value;

use super::batch::Entry;

pub fn parse_line(raw: &[u8]) -> Entry {
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    if raw.first() == Some(&b'{')
        && let Some(entry) = parse_json(raw)
    {
        return entry;
    }
    // Valid UTF-8 (nearly every line) is checked by std's fast path and copied once;
    // `from_utf8_lossy` walks it in chunks, several times slower on a flood.
    let message = match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(raw).into_owned(),
    };
    let level = if is_crash_line(&message) { LogLevel::Error } else { LogLevel::Info };
    Entry { level, message, fields: None }
}

fn is_crash_line(m: &str) -> bool {
    (m.starts_with("thread '") && m.contains("' panicked at"))
        || m.starts_with("Traceback (most recent call last)")
}

fn parse_json(raw: &[u8]) -> Option<Entry> {
    let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(raw) else { return None };
    let message = match map.remove("message").or_else(|| map.remove("msg")) {
        Some(Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => return None,
    };
    let level = map
        .remove("level")
        .and_then(|l| l.as_str().and_then(LogLevel::parse_lenient))
        .unwrap_or(LogLevel::Info);
    let fields = (!map.is_empty()).then(|| Box::new(Value::Object(std::mem::take(&mut map))));
    Some(Entry { level, message, fields })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_keep_level_and_fields() {
        let e = parse_line(br#"{"level":"WARNING","message":"disk low","free":12}"#);
        assert_eq!(e.level, LogLevel::Warn);
        assert_eq!(e.message, "disk low");
        assert_eq!(e.fields.as_deref(), Some(&serde_json::json!({"free": 12})));
        let e = parse_line(br#"{"msg":"short form"}"#);
        assert_eq!((e.level, e.message.as_str()), (LogLevel::Info, "short form"));
    }

    #[test]
    fn plain_and_broken_lines_are_info_panics_error() {
        assert_eq!(parse_line(b"hello\r").message, "hello");
        assert_eq!(parse_line(b"{not json").level, LogLevel::Info);
        assert_eq!(parse_line(br#"{"no":"message"}"#).message, r#"{"no":"message"}"#);
        assert_eq!(parse_line(b"thread 'main' panicked at src/main.rs:3:5:").level, LogLevel::Error);
        assert_eq!(parse_line(b"Traceback (most recent call last):").level, LogLevel::Error);
        assert_eq!(parse_line(&[0xff, b'a']).message, "\u{fffd}a");
    }
}

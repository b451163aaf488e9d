//! Structured logging to stderr, the plugin's log stream: one JSON object per line with `level`,
//! `message` and any extra fields, which the daemon records with their level.
//!
//! Each call formats the whole line first and writes it with one `write_all` under the stderr
//! lock, so lines from concurrent requests never interleave. Writes are synchronous: stderr is
//! a pipe the daemon drains continuously, and a logger that buffers in memory would lose the
//! last lines when the plugin exits or crashes.

use std::fmt::Display;
use std::io::Write;

pub use bkg_core::logs::LogLevel;
use serde_json::{Map, Value};

pub fn trace(message: impl Display) {
    event(LogLevel::Trace, message, Value::Null);
}

pub fn debug(message: impl Display) {
    event(LogLevel::Debug, message, Value::Null);
}

pub fn info(message: impl Display) {
    event(LogLevel::Info, message, Value::Null);
}

pub fn warn(message: impl Display) {
    event(LogLevel::Warn, message, Value::Null);
}

pub fn error(message: impl Display) {
    event(LogLevel::Error, message, Value::Null);
}

/// Writes one log line with extra fields. An object's keys become top-level keys of the line
/// (`level` and `message` cannot be overridden); any other non-null value is kept under
/// `data`.
pub fn event(level: LogLevel, message: impl Display, fields: Value) {
    let mut line = format_line(level, &message.to_string(), fields);
    line.push(b'\n');
    // A closed stderr leaves nowhere to report the failure; the line is dropped.
    let _ = std::io::stderr().lock().write_all(&line);
}

pub(crate) fn format_line(level: LogLevel, message: &str, fields: Value) -> Vec<u8> {
    let mut obj = Map::new();
    obj.insert("level".into(), Value::from(level.as_str()));
    obj.insert("message".into(), Value::from(message));
    match fields {
        Value::Null => {}
        Value::Object(extra) => {
            for (key, value) in extra {
                if key != "level" && key != "message" {
                    obj.insert(key, value);
                }
            }
        }
        other => {
            obj.insert("data".into(), other);
        }
    }
    serde_json::to_vec(&Value::Object(obj)).expect("a JSON value with string keys always serializes")
}

/// Replaces the process's panic hook with one that reports panics as `error` log lines with
/// their location, so the daemon records them at the right level instead of as plain info
/// lines. The SDK still turns a panicking request into an `error` reply.
pub(crate) fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = crate::serve::panic_message(info.payload());
        let location = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
        let thread = std::thread::current().name().unwrap_or("unnamed").to_owned();
        event(
            LogLevel::Error,
            format_args!("panicked: {payload}"),
            serde_json::json!({ "location": location, "thread": thread }),
        );
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_merged_and_cannot_override_level_or_message() {
        let line = format_line(LogLevel::Warn, "hi", json!({"level": "trace", "message": "x", "n": 3}));
        let v: Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(v, json!({"level": "warn", "message": "hi", "n": 3}));
    }

    #[test]
    fn non_object_fields_go_under_data() {
        let line = format_line(LogLevel::Info, "hi", json!([1, 2]));
        let v: Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(v, json!({"level": "info", "message": "hi", "data": [1, 2]}));
    }
}

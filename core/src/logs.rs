//! Log lines as the daemon records them, and the backfill query a client sends.
//!
//! Every line carries a daemon-wide monotonic `seq`. A client backfills with
//! `GET /api/plugins/{id}/logs`, takes the page's `cursor`, and subscribes to the `logs`
//! topic with that cursor: the daemon replays what came after it and then follows live, so
//! the join has no gap and no duplicate.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

impl LogLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Trace => "trace",
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
        }
    }

    /// Parses the level names plugins commonly write (`WARNING`, `err`, `fatal`...).
    pub fn parse_lenient(s: &str) -> Option<LogLevel> {
        Some(match s.to_ascii_lowercase().as_str() {
            "trace" => LogLevel::Trace,
            "debug" => LogLevel::Debug,
            "info" | "information" | "notice" => LogLevel::Info,
            "warn" | "warning" => LogLevel::Warn,
            "error" | "err" | "fatal" | "critical" | "crit" | "panic" => LogLevel::Error,
            _ => return None,
        })
    }
}

impl std::str::FromStr for LogLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LogLevel::parse_lenient(s)
            .ok_or_else(|| format!("unknown log level {s:?} (trace, debug, info, warn, error)"))
    }
}

impl std::fmt::Display for LogLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One log line of a plugin (or of the daemon about a plugin, with `stream: "daemon"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LogLine {
    /// Daemon-wide monotonic sequence number; the cursor for backfill and follow.
    pub seq: u64,
    /// When the daemon read the line.
    pub ts: DateTime<Utc>,
    pub level: LogLevel,
    #[serde(rename = "id")]
    pub plugin_id: String,
    /// Run number of the process that wrote the line.
    pub run: u64,
    pub message: String,
    /// Extra fields of a JSON log line, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Value>,
}

/// Query of `GET /api/plugins/{id}/logs`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogQuery {
    /// Return at most the last `tail` matching lines (default 200, max 10000). `0` returns no
    /// lines, only the cursor, to follow just what comes next (not with `cursor`).
    #[param(minimum = 0, maximum = 10000)]
    pub tail: Option<u32>,
    /// Only lines at or after this time: RFC 3339 (`2026-11-25T10:00:00Z`) or an age (`90s`, `5m`, `2h`).
    pub since: Option<String>,
    /// Only lines at this level or above.
    pub level: Option<LogLevel>,
    /// Only lines whose message contains this substring (case-insensitive).
    pub q: Option<String>,
    /// Only lines after this cursor (a `seq`); pages forward from there instead of taking the tail.
    pub cursor: Option<u64>,
}

/// Answer of the log backfill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LogPage {
    pub lines: Vec<LogLine>,
    /// Pass to the `logs` WebSocket subscription (or as `cursor` here) to continue after this
    /// page without a gap: the highest seq the daemon had assigned when it answered.
    pub cursor: u64,
    /// True when more matching lines exist beyond this page (older than the tail, or after
    /// a cursor page's limit); with `tail=0`, when the plugin has earlier lines.
    pub truncated: bool,
}

//! Short human forms of sizes, durations and times for tables (JSON keeps the raw values).

use std::time::Duration;

use chrono::{DateTime, Utc};

/// `1.5 MiB`.
pub fn bytes(n: u64) -> String {
    indicatif::HumanBytes(n).to_string()
}

/// `3s`, `4m10s`, `2h5m`, `3d4h`: two units at most, like `kubectl get`'s AGE.
pub fn duration(d: Duration) -> String {
    let s = d.as_secs();
    let (d_, h, m, sec) = (s / 86_400, (s / 3600) % 24, (s / 60) % 60, s % 60);
    match (d_, h, m) {
        (0, 0, 0) => format!("{sec}s"),
        (0, 0, _) if sec == 0 => format!("{m}m"),
        (0, 0, _) => format!("{m}m{sec}s"),
        (0, _, _) if m == 0 => format!("{h}h"),
        (0, _, _) => format!("{h}h{m}m"),
        _ if h == 0 => format!("{d_}d"),
        _ => format!("{d_}d{h}h"),
    }
}

pub fn secs(s: u64) -> String {
    duration(Duration::from_secs(s))
}

/// How long ago `t` was (`5m ago`); times in the future read `in 5m`.
pub fn ago(t: DateTime<Utc>) -> String {
    let delta = Utc::now().signed_duration_since(t);
    match delta.to_std() {
        Ok(d) => format!("{} ago", duration(d)),
        Err(_) => format!("in {}", duration((-delta).to_std().unwrap_or_default())),
    }
}

/// RFC 3339 in UTC with milliseconds: unambiguous and sortable.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_use_two_units() {
        assert_eq!(secs(0), "0s");
        assert_eq!(secs(59), "59s");
        assert_eq!(secs(60), "1m");
        assert_eq!(secs(250), "4m10s");
        assert_eq!(secs(7500), "2h5m");
        assert_eq!(secs(3 * 86_400 + 4 * 3600 + 5), "3d4h");
    }
}

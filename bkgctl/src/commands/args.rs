//! Parsers for argument values that several commands share: durations, points in time, roles.

use std::time::Duration;

use bkg_core::auth::Role;
use chrono::{DateTime, Utc};
use clap::builder::{PossibleValuesParser, TypedValueParser};

/// `500ms`, `30s`, `5m`, `2h`, `7d`, or a number of seconds.
pub fn duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().map_err(|_| format!("{s:?} is not a duration (e.g. 30s, 5m, 2h, 7d)"))?;
    let ms = match unit {
        "ms" => n,
        "" | "s" => n * 1000,
        "m" => n * 60_000,
        "h" => n * 3_600_000,
        "d" => n * 86_400_000,
        _ => return Err(format!("{s:?} has an unknown unit (ms, s, m, h, d)")),
    };
    Ok(Duration::from_millis(ms))
}

/// An RFC 3339 time, or a duration from now (`30d` = thirty days from now).
pub fn time_from_now(s: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let d = duration(s).map_err(|_| format!("{s:?} is neither an RFC 3339 time nor a duration like 30d"))?;
    let d = chrono::Duration::from_std(d).map_err(|e| e.to_string())?;
    Ok(Utc::now() + d)
}

/// One of the role names, listed in help and completions.
pub fn role_parser() -> impl TypedValueParser<Value = Role> {
    PossibleValuesParser::new(Role::ALL.map(Role::as_str))
        .map(|s| s.parse::<Role>().expect("only the listed role names get here"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(duration("30").unwrap(), Duration::from_secs(30));
        assert_eq!(duration("5m").unwrap(), Duration::from_secs(300));
        assert_eq!(duration("2d").unwrap(), Duration::from_secs(172_800));
        assert!(duration("5x").is_err());
        assert!(duration("m").is_err());
    }

    #[test]
    fn times_parse() {
        assert_eq!(time_from_now("2030-01-01T00:00:00Z").unwrap().to_rfc3339(), "2030-01-01T00:00:00+00:00");
        assert!(time_from_now("1d").unwrap() > Utc::now());
        assert!(time_from_now("tomorrow").is_err());
    }
}

//! Usage analytics as the API speaks them: hourly rollups of what the daemon did (invocations
//! per plugin and capability with outcome and latency bucket, tokens generated, embeddings
//! computed, model downloads, logins), answered by `GET /api/analytics/usage`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What a usage row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UsageMetric {
    /// Capability invocations through the API (also the OpenAI-compatible routes).
    Invocations,
    /// Tokens a plugin generated (results that report `completionTokens`).
    Tokens,
    /// Embedding vectors a plugin computed (results with an `embeddings` array).
    Embeddings,
    /// Model downloads that ended (`success`: ready; `failure`: failed or invalid).
    ModelDownloads,
    /// Password logins (`success` or `failure`).
    Logins,
}

impl UsageMetric {
    pub const ALL: [UsageMetric; 5] = [
        UsageMetric::Invocations,
        UsageMetric::Tokens,
        UsageMetric::Embeddings,
        UsageMetric::ModelDownloads,
        UsageMetric::Logins,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UsageMetric::Invocations => "invocations",
            UsageMetric::Tokens => "tokens",
            UsageMetric::Embeddings => "embeddings",
            UsageMetric::ModelDownloads => "model_downloads",
            UsageMetric::Logins => "logins",
        }
    }
}

impl std::str::FromStr for UsageMetric {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UsageMetric::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| format!("unknown usage metric {s:?}"))
    }
}

/// How long an invocation took, in coarse buckets (rollups keep counts, not durations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LatencyBucket {
    /// Under 10 ms.
    Lt10ms,
    /// 10 ms to under 100 ms.
    Lt100ms,
    /// 100 ms to under 1 s.
    Lt1s,
    /// 1 s to under 10 s.
    Lt10s,
    /// 10 s or more.
    Ge10s,
}

impl LatencyBucket {
    pub const ALL: [LatencyBucket; 5] = [
        LatencyBucket::Lt10ms,
        LatencyBucket::Lt100ms,
        LatencyBucket::Lt1s,
        LatencyBucket::Lt10s,
        LatencyBucket::Ge10s,
    ];

    pub fn of(ms: f64) -> Self {
        match ms {
            m if m < 10.0 => LatencyBucket::Lt10ms,
            m if m < 100.0 => LatencyBucket::Lt100ms,
            m if m < 1_000.0 => LatencyBucket::Lt1s,
            m if m < 10_000.0 => LatencyBucket::Lt10s,
            _ => LatencyBucket::Ge10s,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LatencyBucket::Lt10ms => "lt10ms",
            LatencyBucket::Lt100ms => "lt100ms",
            LatencyBucket::Lt1s => "lt1s",
            LatencyBucket::Lt10s => "lt10s",
            LatencyBucket::Ge10s => "ge10s",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        LatencyBucket::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// The width of the answer's time buckets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum UsageInterval {
    #[default]
    Hour,
    Day,
}

/// Filters of `GET /api/analytics/usage`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsageQuery {
    /// RFC 3339 or an age like `24h` or `7d` (default `24h`).
    pub since: Option<String>,
    /// RFC 3339 or an age; default now.
    pub until: Option<String>,
    /// Only this plugin's rows.
    pub plugin: Option<String>,
    /// Only this metric.
    pub metric: Option<UsageMetric>,
    /// Bucket width of the answer: `hour` (default) or `day` (UTC days).
    pub interval: Option<UsageInterval>,
}

/// One bucket of one series: how many of `metric` happened in `[ts, ts + interval)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UsagePoint {
    /// Start of the bucket (UTC).
    pub ts: DateTime<Utc>,
    pub metric: UsageMetric,
    /// The plugin, for invocations, tokens and embeddings; absent otherwise.
    pub plugin: Option<String>,
    /// The capability, for invocations, tokens and embeddings.
    pub capability: Option<String>,
    /// `success` or `failure`, for invocations, downloads and logins.
    pub outcome: Option<String>,
    /// Invocations only.
    pub latency: Option<LatencyBucket>,
    pub count: u64,
}

/// Answer of `GET /api/analytics/usage`, oldest bucket first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UsageReport {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub interval: UsageInterval,
    /// How many days of rollups the daemon keeps (`analytics.retention_days`).
    pub retention_days: u32,
    pub points: Vec<UsagePoint>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_and_names_round_trip() {
        assert_eq!(LatencyBucket::of(9.9), LatencyBucket::Lt10ms);
        assert_eq!(LatencyBucket::of(10.0), LatencyBucket::Lt100ms);
        assert_eq!(LatencyBucket::of(999.0), LatencyBucket::Lt1s);
        assert_eq!(LatencyBucket::of(60_000.0), LatencyBucket::Ge10s);
        for b in LatencyBucket::ALL {
            assert_eq!(LatencyBucket::parse(b.as_str()), Some(b));
            assert_eq!(serde_json::to_value(b).unwrap(), b.as_str());
        }
        for m in UsageMetric::ALL {
            assert_eq!(m.as_str().parse::<UsageMetric>().unwrap(), m);
            assert_eq!(serde_json::to_value(m).unwrap(), m.as_str());
        }
    }
}

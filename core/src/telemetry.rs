//! Telemetry samples: resource use of a plugin's process tree plus invocation throughput.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Latency percentiles over the sampling window, in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Latency {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Throughput {
    /// Invocations completed per second over the last window.
    pub invocations_per_sec: f64,
    /// Invocations completed since the daemon started.
    pub invocations_total: u64,
    /// Invocations that ended in an error since the daemon started.
    pub errors_total: u64,
    pub in_flight: u64,
    pub latency_ms: Latency,
    /// Counters the plugin reported itself (e.g. `tokens_per_s`).
    pub counters: BTreeMap<String, f64>,
}

/// One sample of one plugin: what the `telemetry` WebSocket topic carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TelemetrySample {
    pub id: String,
    pub ts: DateTime<Utc>,
    /// CPU use of the whole process tree, percent of one core.
    pub cpu: f64,
    /// Resident memory of the whole process tree, bytes.
    pub mem: u64,
    /// Number of processes in the tree.
    pub processes: u32,
    pub uptime: u64,
    pub restarts: u64,
    pub throughput: Throughput,
}

/// Answer of `GET /api/plugins/{id}/telemetry`: recent history, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TelemetryHistory {
    pub samples: Vec<TelemetrySample>,
}

//! Answers of the health endpoints.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `GET /healthz` (the process is up) and `GET /readyz` (store reachable, supervisor running).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    pub status: String,
    pub version: String,
    /// The commit the daemon was built from (`unknown` when built outside a git checkout
    /// without `BKG_COMMIT`); empty from daemons before 0.2.0.
    #[serde(default)]
    pub commit: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<HealthCheck>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HealthCheck {
    pub name: String,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

//! The cluster: several bkgd on one PostgreSQL database. Users, sessions, API keys, the model
//! registry and the audit log are shared; plugins run per node. `GET /api/nodes` lists every
//! node that ran against the database with the plugins it last reported.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::plugin::PluginSummary;

/// Whether a node is serving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum NodeState {
    /// Its heartbeat is recent (or it is the node answering).
    Up,
    /// It missed three heartbeats without shutting down: crashed, or cut off from the database.
    Down,
    /// It shut down cleanly.
    Stopped,
}

impl NodeState {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeState::Up => "up",
            NodeState::Down => "down",
            NodeState::Stopped => "stopped",
        }
    }
}

/// One node of `GET /api/nodes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    /// Stable across restarts (kept in the node's data dir).
    pub id: String,
    pub name: String,
    /// Where clients reach it.
    pub url: String,
    pub version: String,
    pub commit: String,
    pub state: NodeState,
    /// The node that answered this request.
    pub current: bool,
    pub started_at: DateTime<Utc>,
    /// Its last heartbeat (now, for the node answering).
    pub last_seen: DateTime<Utc>,
    /// Its plugins: live for the node answering, as last reported for the others.
    pub plugins: Vec<PluginSummary>,
}

/// `GET /api/nodes` answer, by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NodeList {
    pub nodes: Vec<NodeInfo>,
}

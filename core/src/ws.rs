//! Messages of the `/ws/plugins` WebSocket.
//!
//! The client sends `{"action":"SUB"|"UNSUB","topic":..., "pluginId"?: ...}`; the server sends
//! events tagged by `type`. `logs` subscriptions may carry a `cursor` (from a log backfill) so
//! the daemon replays what came after it before following live.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ErrorBody;
use crate::logs::{LogLevel, LogLine};
use crate::models::ModelEvent;
use crate::plugin::PluginStatus;
use crate::telemetry::TelemetrySample;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Topic {
    Status,
    Logs,
    Telemetry,
    /// Model downloads: status and progress (`pluginId` does not apply).
    Models,
}

impl Topic {
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Status => "status",
            Topic::Logs => "logs",
            Topic::Telemetry => "telemetry",
            Topic::Models => "models",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Action {
    #[serde(rename = "SUB")]
    Sub,
    #[serde(rename = "UNSUB")]
    Unsub,
}

/// Client -> server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientMessage {
    pub action: Action,
    pub topic: Topic,
    /// Limit the subscription to one plugin; all plugins when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin_id: Option<String>,
    /// `logs` only: replay lines with a greater seq before following live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<u64>,
    /// `logs` only: deliver only lines at this level or above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<LogLevel>,
}

/// Server -> client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ServerMessage {
    Status(PluginStatus),
    Logs(LogLine),
    Telemetry(TelemetrySample),
    /// Download status and progress of a model.
    Model(ModelEvent),
    /// Acknowledges a SUB or UNSUB.
    Ack(Ack),
    /// The client fell behind and `missed` events were dropped for it (it never slows others).
    Lagged(Lagged),
    /// A bad client message; the connection stays open.
    Error(ErrorBody),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ack {
    pub action: Action,
    pub topic: Topic,
    pub plugin_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Lagged {
    pub missed: u64,
    /// For `logs`: the seq of the last line dropped, so a client can backfill the hole.
    pub last_missed_seq: Option<u64>,
}

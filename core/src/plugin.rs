//! Plugin vocabulary shared by the daemon, the clients and the SDK: manifests, lifecycle states,
//! status and summary DTOs, capability descriptions.
//!
//! A manifest is what a plugin author writes (TOML on disk, or compiled into `bkgd` for the
//! built-in plugins); the DTOs are what the API answers. Both are plain data here: loading,
//! resolving paths and supervising processes is the daemon's business.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// The lifecycle state of one plugin.
///
/// `Starting` becomes `Running` only after the protocol handshake completed; `Backoff` waits for
/// the next automatic restart; `Failed` means the restart policy gave up (a crash loop) or the
/// plugin could not be started at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PluginState {
    Stopped,
    Starting,
    Running,
    Stopping,
    Backoff,
    Failed,
}

impl PluginState {
    pub fn as_str(self) -> &'static str {
        match self {
            PluginState::Stopped => "stopped",
            PluginState::Starting => "starting",
            PluginState::Running => "running",
            PluginState::Stopping => "stopping",
            PluginState::Backoff => "backoff",
            PluginState::Failed => "failed",
        }
    }
}

impl std::fmt::Display for PluginState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the operator asked for; persisted so a restarted daemon brings back running plugins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DesiredState {
    Running,
    Stopped,
}

/// Where a manifest came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PluginSource {
    /// Shipped with bkg.
    Builtin,
    /// Found in the plugins directory.
    User,
}

/// How the last process of a plugin ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExitInfo {
    /// Exit code, when the process exited on its own.
    pub code: Option<i32>,
    /// Signal number, when a signal ended it.
    pub signal: Option<i32>,
    /// Run number of the process that ended.
    pub run: u64,
    pub at: DateTime<Utc>,
}

/// The live status of one plugin: what `GET /api/plugins/{id}/status` answers and what the
/// `status` WebSocket topic carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PluginStatus {
    pub id: String,
    pub status: PluginState,
    pub desired: DesiredState,
    /// Pid of the current process (the process group leader), while one exists.
    pub pid: Option<u32>,
    /// Run number of the current (or last) process; increases with every spawn.
    pub run: u64,
    /// Seconds since the current process became `running`; 0 otherwise.
    pub uptime: u64,
    /// Automatic restarts after failures since the operator last started the plugin.
    pub restarts: u64,
    /// Why the plugin is in its state (e.g. "exited with code 3", "handshake timed out").
    pub reason: Option<String>,
    pub last_exit: Option<ExitInfo>,
    /// When the next automatic restart happens, in `backoff`.
    pub next_retry_at: Option<DateTime<Utc>>,
    /// When the plugin entered its current state.
    pub since: DateTime<Utc>,
}

/// One row of `GET /api/plugins`.
// The strings are shared (`Arc<str>`, JSON strings on the wire): the daemon keeps them per
// plugin and answers the list, its hottest authenticated route, without copying them. (A
// plain comment: doc comments become the schema's description in the OpenAPI document.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PluginSummary {
    #[schema(value_type = String)]
    pub id: Arc<str>,
    #[schema(value_type = String)]
    pub name: Arc<str>,
    #[schema(value_type = String)]
    pub version: Arc<str>,
    #[schema(value_type = String)]
    pub description: Arc<str>,
    pub source: PluginSource,
    pub status: PluginState,
    pub pid: Option<u32>,
    pub uptime: u64,
    pub restarts: u64,
    /// The node (bkgd) running it, by name; plugins run per node (`GET /api/nodes`).
    #[serde(default)]
    #[schema(value_type = String)]
    pub node: Arc<str>,
}

/// `GET /api/plugins` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PluginList {
    pub plugins: Vec<PluginSummary>,
}

/// `GET /api/plugins/{id}` answer: the manifest as resolved, the live status, the capabilities
/// and the effective config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PluginDetail {
    pub id: String,
    pub name: String,
    pub version: String,
    pub description: String,
    pub source: PluginSource,
    pub command: Vec<String>,
    pub status: PluginStatus,
    pub capabilities: Vec<CapabilitySpec>,
    /// Protocol features the running instance announced in its hello.
    pub features: Vec<String>,
    /// Version the running instance reported in its hello.
    pub running_version: Option<String>,
    pub config: Value,
    pub config_schema: Value,
    pub restart: RestartPolicy,
    pub timeouts: Timeouts,
    /// The plugin's runtime and whether it is installed, when its manifest declares one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<crate::runtime::RuntimeStatus>,
}

/// One capability of a plugin, with the JSON schemas of its input and output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CapabilitySpec {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// JSON schema the daemon validates every invocation's input against.
    #[serde(default = "any_schema")]
    pub input_schema: Value,
    /// JSON schema of the final output (documentation; not enforced).
    #[serde(default = "any_schema")]
    pub output_schema: Value,
    /// Whether the capability sends partial results before its final result.
    #[serde(default)]
    pub streaming: bool,
    /// The permission a caller needs besides `plugins:invoke`. The manifest's `[permissions]`
    /// table has the last word; a plugin may declare one in its hello where the manifest
    /// says nothing. The API shows the effective one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<crate::auth::Permission>,
}

/// `GET /api/plugins/{id}/capabilities` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CapabilityList {
    pub capabilities: Vec<CapabilitySpec>,
}

fn any_schema() -> Value {
    Value::Object(Default::default())
}

/// When to restart a plugin whose process ended without being asked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RestartMode {
    Never,
    OnFailure,
    Always,
}

/// Restart policy of a plugin: exponential backoff with a cap and jitter; a run shorter than
/// `stable_after_ms` counts as a fast failure, and `max_fast_failures` of them in a row give up
/// to `failed`. A stable run resets both the backoff and the count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct RestartPolicy {
    pub mode: RestartMode,
    pub initial_backoff_ms: u64,
    pub max_backoff_ms: u64,
    pub multiplier: f64,
    /// Fraction of the delay added or removed at random, 0.0..=1.0.
    pub jitter: f64,
    pub max_fast_failures: u32,
    pub stable_after_ms: u64,
}

impl Default for RestartPolicy {
    fn default() -> Self {
        Self {
            mode: RestartMode::OnFailure,
            initial_backoff_ms: 500,
            max_backoff_ms: 30_000,
            multiplier: 2.0,
            jitter: 0.2,
            max_fast_failures: 5,
            stable_after_ms: 10_000,
        }
    }
}

impl RestartPolicy {
    /// The delay before restart number `attempt` (0-based) before jitter: initial * multiplier^n,
    /// capped.
    pub fn base_delay_ms(&self, attempt: u32) -> u64 {
        let exp = self.multiplier.max(1.0).powi(attempt.min(64) as i32);
        let delay = (self.initial_backoff_ms as f64 * exp).min(self.max_backoff_ms as f64);
        delay.max(0.0) as u64
    }

    /// Applies jitter from a uniform sample `u` in `0.0..1.0`: the delay moves by up to
    /// `jitter` of itself in either direction and never exceeds the cap.
    pub fn jittered_delay_ms(&self, attempt: u32, u: f64) -> u64 {
        let base = self.base_delay_ms(attempt) as f64;
        let jitter = self.jitter.clamp(0.0, 1.0);
        let factor = 1.0 + jitter * (2.0 * u.clamp(0.0, 1.0) - 1.0);
        (base * factor).min(self.max_backoff_ms as f64).max(0.0) as u64
    }
}

/// Per-plugin timeouts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Timeouts {
    /// How long a new process may take to complete the hello handshake.
    pub handshake_ms: u64,
    /// How long after SIGTERM the group gets SIGKILL.
    pub stop_ms: u64,
    /// How long one invocation may take before the daemon gives up on it (0 = no limit).
    pub invoke_ms: u64,
    /// How long a hot swap waits for in-flight calls on the old instance to finish.
    pub drain_ms: u64,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self { handshake_ms: 10_000, stop_ms: 5_000, invoke_ms: 600_000, drain_ms: 30_000 }
    }
}

/// A plugin manifest as written by its author (`plugin.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginManifest {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub description: String,
    /// argv of the plugin; a relative program path is resolved against the manifest's folder.
    pub command: Vec<String>,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Working directory, relative to the manifest's folder; defaults to that folder.
    #[serde(default)]
    pub cwd: Option<String>,
    /// Start the plugin when the daemon starts and no desired state was persisted yet.
    #[serde(default)]
    pub autostart: bool,
    #[serde(default)]
    pub restart: RestartPolicy,
    #[serde(default)]
    pub timeouts: Timeouts,
    #[serde(default)]
    pub config: ConfigSpec,
    /// Capabilities as documented while the plugin is stopped; the running instance's hello
    /// is authoritative.
    #[serde(default)]
    pub capabilities: Vec<CapabilitySpec>,
    /// Free-form hints shown to operators (e.g. expected memory).
    #[serde(default)]
    pub resources: BTreeMap<String, Value>,
    /// Capabilities that need a permission besides `plugins:invoke`, by name (e.g.
    /// `admin = "plugins:admin"`). The daemon enforces them and audits every such call.
    #[serde(default)]
    pub permissions: BTreeMap<String, crate::auth::Permission>,
    /// A Python or Node.js environment with dependencies, installed by an admin before start.
    #[serde(default)]
    pub runtime: Option<crate::runtime::RuntimeSpec>,
    /// Other plugins' capabilities this plugin may invoke through the daemon
    /// (`plugins.invoke`), as `plugin.capability` or `plugin.*`.
    #[serde(default)]
    pub calls: Vec<String>,
    /// A service identity the daemon grants the plugin for its REST API: an API key with this
    /// role and scopes, owned by the service user `plugin-<id>`, handed over in the hello.
    #[serde(default)]
    pub identity: Option<IdentitySpec>,
}

/// `[identity]` of a manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdentitySpec {
    pub role: crate::auth::Role,
    /// The permissions the key is limited to (within the role); required, so a grant is
    /// always spelled out.
    pub scopes: Vec<crate::auth::Permission>,
}

/// The configuration a plugin accepts: a JSON schema and the defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigSpec {
    #[serde(default = "any_schema")]
    pub schema: Value,
    #[serde(default = "any_schema")]
    pub default: Value,
}

impl Default for ConfigSpec {
    fn default() -> Self {
        Self { schema: any_schema(), default: any_schema() }
    }
}

/// Answer of `POST /api/plugins/{id}/config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConfigApplied {
    pub config: Value,
    /// How the new config reached the plugin.
    pub applied: ConfigApplyMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConfigApplyMode {
    /// The running instance took it through the protocol's `configure` message.
    Live,
    /// A new instance was started with it and traffic moved over (hot swap).
    Swap,
    /// The plugin is not running; the config is used at the next start.
    Stored,
}

/// Answer of the lifecycle endpoints (`start`, `stop`, `restart`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LifecycleResponse {
    pub id: String,
    pub action: String,
    pub status: PluginStatus,
}

/// Answer of a non-streaming invocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvokeResponse {
    pub output: Value,
    /// Run number of the instance that answered.
    pub run: u64,
    pub duration_ms: f64,
}

/// One line of a streamed invocation (`application/x-ndjson`); as SSE, the variant name is the
/// event name and the payload its data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvokeEvent {
    Chunk(Value),
    Result(Value),
    Error(crate::error::ErrorBody),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        let p = RestartPolicy {
            initial_backoff_ms: 100,
            max_backoff_ms: 1000,
            multiplier: 2.0,
            jitter: 0.0,
            ..Default::default()
        };
        let delays: Vec<u64> = (0..6).map(|n| p.jittered_delay_ms(n, 0.5)).collect();
        assert_eq!(delays, vec![100, 200, 400, 800, 1000, 1000]);
    }

    #[test]
    fn jitter_stays_within_bounds() {
        let p = RestartPolicy { initial_backoff_ms: 1000, jitter: 0.2, ..Default::default() };
        assert_eq!(p.jittered_delay_ms(0, 0.0), 800);
        assert_eq!(p.jittered_delay_ms(0, 1.0), 1200);
        assert_eq!(p.jittered_delay_ms(0, 0.5), 1000);
    }

    #[test]
    fn manifest_parses_with_defaults() {
        let m: PluginManifest =
            serde_json::from_value(serde_json::json!({"id": "x", "command": ["./x"]})).unwrap();
        assert_eq!(m.restart, RestartPolicy::default());
        assert_eq!(m.timeouts.stop_ms, 5000);
    }
}

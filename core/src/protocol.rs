//! The plugin protocol: the messages `bkgd` and a plugin exchange as newline-delimited JSON over
//! the plugin's stdin (daemon -> plugin) and stdout (plugin -> daemon). No I/O lives here.
//!
//! `docs/PROTOCOL.md` is the prose version for plugin authors in any language; the tests at the
//! bottom pin the wire shapes it shows.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::plugin::CapabilitySpec;

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: ProtocolVersion = ProtocolVersion { major: 1, minor: 1 };

/// Features this daemon offers to plugins; a plugin lists the ones it uses, and the session
/// uses the intersection.
pub mod feature {
    /// The plugin honours `cancel` messages.
    pub const CANCEL: &str = "cancel";
    /// The plugin applies `configure` messages live (without a restart).
    pub const CONFIG_LIVE: &str = "config.live";
    /// The plugin may send `call` messages to use daemon-owned services.
    pub const CALLBACKS: &str = "callbacks";
    /// The plugin sends `metrics` messages with its own counters.
    pub const METRICS: &str = "metrics";
}

/// Defines [`ProtocolCode`] from one list: the variants, their wire strings and `ALL`.
macro_rules! protocol_codes {
    ($($(#[$doc:meta])* $name:ident = $wire:literal,)*) => {
        /// The error codes bkg itself defines for `error` messages and callback answers: the
        /// daemon's answers to callbacks and plugin-to-plugin calls, and the SDKs' own. Plugins
        /// may answer with codes of their own too, so the wire field stays a string; compare
        /// with [`ProtocolCode::as_str`] or [`ProtocolError::is`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ProtocolCode {
            $($(#[$doc])* $name,)*
        }

        impl ProtocolCode {
            /// Every code, in definition order.
            pub const ALL: &'static [ProtocolCode] = &[$(Self::$name),*];

            /// The code as it travels.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$name => $wire,)*
                }
            }
        }
    };
}

protocol_codes! {
    /// The caller's input does not fit the capability's schema.
    BadInput = "bad_input",
    /// A callback's parameters do not fit the method.
    BadParams = "bad_params",
    Internal = "internal",
    Cancelled = "cancelled",
    /// A handler panicked (the SDK caught it).
    Panic = "panic",
    UnknownCapability = "unknown_capability",
    /// A callback method the daemon does not have.
    UnknownMethod = "unknown_method",
    /// `plugins.invoke` named a request that is not in flight.
    UnknownRequest = "unknown_request",
    DuplicateId = "duplicate_id",
    ShuttingDown = "shutting_down",
    Unsupported = "unsupported",
    FeatureNotNegotiated = "feature_not_negotiated",
    /// The daemon went away while a callback waited.
    DaemonGone = "daemon_gone",
    /// A path the caller passed lies outside the plugin's folders (see "Paths" in
    /// `docs/PROTOCOL.md`); with `client_error` the daemon answers 403 `path_not_allowed`.
    PathNotAllowed = "path_not_allowed",
    NotFound = "not_found",
    NotRunning = "not_running",
    ModelNotReady = "model_not_ready",
    /// The calling plugin's manifest does not list the capability in `calls`.
    CallNotAllowed = "call_not_allowed",
    CallCycle = "call_cycle",
    CallTooDeep = "call_too_deep",
    /// The user a call is made for lacks the capability's permission.
    Forbidden = "forbidden",
    Timeout = "timeout",
    PluginCrashed = "plugin_crashed",
}

impl std::fmt::Display for ProtocolCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The codes as string constants, for matching on the wire field.
pub mod codes {
    use super::ProtocolCode;

    pub const PATH_NOT_ALLOWED: &str = ProtocolCode::PathNotAllowed.as_str();
}

/// `major.minor`. Compatibility rule: the majors must be equal; minors may differ, and each
/// side uses only what the lower minor defines (new minors only add optional fields, messages
/// and features, which the other side ignores).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ProtocolVersion {
    pub major: u32,
    pub minor: u32,
}

impl ProtocolVersion {
    pub fn is_compatible_with(self, other: ProtocolVersion) -> bool {
        self.major == other.major
    }
}

impl std::fmt::Display for ProtocolVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl std::str::FromStr for ProtocolVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (major, minor) = s.split_once('.').ok_or_else(|| format!("bad protocol version {s:?}"))?;
        Ok(Self {
            major: major.parse().map_err(|_| format!("bad protocol version {s:?}"))?,
            minor: minor.parse().map_err(|_| format!("bad protocol version {s:?}"))?,
        })
    }
}

impl Serialize for ProtocolVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ProtocolVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The daemon's hello, the first line a plugin reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DaemonHello {
    pub protocol: ProtocolVersion,
    pub daemon_version: String,
    pub plugin_id: String,
    /// Run number of this process (1 for the first spawn).
    pub run: u64,
    pub features: Vec<String>,
    /// The effective configuration.
    pub config: Value,
    /// Since 1.1: the plugin's own data folder (created by the daemon, private to its user).
    /// Paths a caller passes to a capability are relative to it, or lie inside one of
    /// `allowed_paths`; see "Paths" in `docs/PROTOCOL.md`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<String>,
    /// Since 1.1: further folders an administrator allowed this plugin (absolute paths).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_paths: Vec<String>,
    /// Since 1.1: the daemon's REST API and the service identity granted to the plugin, when
    /// its manifest asks for one (`[identity]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<DaemonApi>,
}

/// The daemon's REST API as a plugin reaches it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct DaemonApi {
    /// Base URL, e.g. `http://127.0.0.1:8420`.
    pub url: String,
    /// An API key of the plugin's service identity (`Authorization: Bearer`); valid while this
    /// process runs, replaced at every start, deleted when the plugin stops.
    pub token: String,
    /// A PEM file to trust when the daemon serves a self-signed certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
}

impl std::fmt::Debug for DaemonApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DaemonApi")
            .field("url", &self.url)
            .field("token", &"***")
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

/// The plugin's hello, its first line on stdout. The plugin is `running` once it is received
/// and compatible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PluginHello {
    pub protocol: ProtocolVersion,
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub capabilities: Vec<CapabilitySpec>,
    #[serde(default)]
    pub features: Vec<String>,
}

/// An error a plugin reports for one request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolError {
    /// A short machine-readable code of the plugin's choosing (`bad_input`, `not_loaded`...).
    pub code: String,
    pub message: String,
    /// Whether the caller's input was at fault (the daemon answers 4xx instead of 502).
    #[serde(default)]
    pub client_error: bool,
}

impl ProtocolError {
    /// An error with one of bkg's own codes.
    pub fn new(code: ProtocolCode, message: impl Into<String>, client_error: bool) -> Self {
        Self { code: code.as_str().to_string(), message: message.into(), client_error }
    }

    /// Whether the code is `code`.
    pub fn is(&self, code: ProtocolCode) -> bool {
        self.code == code.as_str()
    }
}

/// Who an invocation is for: the user (or API key) whose request started it, and, when other
/// plugins called on their behalf (`plugins.invoke`), the plugins it passed through.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Caller {
    /// The user as the audit log names them (`alice`, or `alice (key bkg_abcdefgh)`); absent
    /// for a plugin's own background work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The plugin that called this one, if any (the last of `chain`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin: Option<String>,
    /// The plugins the request passed through, outermost first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
}

/// Daemon -> plugin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DaemonMessage {
    Hello(DaemonHello),
    /// Run `capability` on `input`; answer with `chunk`* then `result` or `error`, same `id`.
    Invoke {
        id: u64,
        capability: String,
        input: Value,
        /// Since 1.1: who the request is for (absent from older daemons).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        caller: Option<Caller>,
    },
    /// The caller went away; stop working on `id` (only sent when `cancel` was negotiated).
    Cancel {
        id: u64,
    },
    /// Apply a new configuration; answer with `result` or `error`, same `id`.
    Configure {
        id: u64,
        config: Value,
    },
    /// The answer to a plugin's `call`.
    CallResult {
        id: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        result: Option<Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<ProtocolError>,
    },
    /// Finish in-flight work and exit; SIGTERM follows after the plugin's stop timeout.
    Goodbye {
        reason: String,
    },
}

/// Plugin -> daemon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PluginMessage {
    Hello(PluginHello),
    /// A partial result of a streaming capability (a chat token, a progress step).
    Chunk {
        id: u64,
        data: Value,
    },
    /// The final result of request `id`.
    Result {
        id: u64,
        output: Value,
    },
    /// Request `id` failed.
    Error {
        id: u64,
        error: ProtocolError,
    },
    /// Call a daemon-owned service (see [`methods`]); the daemon answers with `call_result`.
    Call {
        id: u64,
        method: String,
        params: Value,
    },
    /// Plugin-reported counters (e.g. `tokens_per_s`), shown with the plugin's telemetry.
    Metrics {
        counters: BTreeMap<String, f64>,
    },
    /// The plugin is about to exit on its own.
    Goodbye {
        #[serde(default)]
        reason: String,
    },
}

/// Daemon-owned services a plugin may `call` (feature `callbacks`), with typed parameters.
/// Plugins never open the database; they ask the daemon.
pub mod methods {
    use serde::{Deserialize, Serialize};
    use serde_json::Value;

    pub const DOCUMENTS_PUT: &str = "documents.put";
    pub const DOCUMENTS_LIST: &str = "documents.list";
    pub const DOCUMENTS_DELETE: &str = "documents.delete";
    pub const COLLECTIONS_LIST: &str = "collections.list";
    /// Resolves a model of the registry to its local folder; only `ready` models resolve. The
    /// daemon records that the calling plugin run uses the model (deleting it then needs
    /// `force`).
    pub const MODELS_RESOLVE: &str = "models.resolve";
    /// Invokes another plugin's capability through the daemon; allowed only for the
    /// capabilities the calling plugin's manifest lists in `calls`.
    pub const PLUGINS_INVOKE: &str = "plugins.invoke";

    /// Parameters of `plugins.invoke`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct PluginsInvoke {
        pub plugin: String,
        pub capability: String,
        #[serde(default)]
        pub input: Value,
        /// The id of the caller's own request this call is made for, so the daemon knows the
        /// user and the chain of plugins; absent for background work (then only capabilities
        /// that need no permission besides `plugins:invoke` may be called).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub request: Option<u64>,
    }

    /// A document as stored by the daemon (`documents` + `embeddings` tables).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Document {
        /// Assigned by the daemon when absent; an existing id is replaced.
        #[serde(default)]
        pub id: Option<String>,
        pub text: String,
        #[serde(default)]
        pub metadata: Value,
        /// The document's embedding, stored with `model`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub embedding: Option<Vec<f32>>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct DocumentsPut {
        pub collection: String,
        /// The embedding model the vectors come from.
        #[serde(default)]
        pub model: Option<String>,
        pub documents: Vec<Document>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct DocumentsPutResult {
        pub ids: Vec<String>,
    }

    /// Pages through a collection in id order.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct DocumentsList {
        pub collection: String,
        /// Return documents with ids greater than this.
        #[serde(default)]
        pub after: Option<String>,
        #[serde(default = "default_limit")]
        pub limit: u32,
        #[serde(default)]
        pub with_embeddings: bool,
    }

    fn default_limit() -> u32 {
        500
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct DocumentsListResult {
        pub documents: Vec<Document>,
        /// Pass as `after` for the next page; absent at the end.
        pub next: Option<String>,
    }

    /// Deletes the given ids, or the whole collection when `ids` is absent.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct DocumentsDelete {
        pub collection: String,
        #[serde(default)]
        pub ids: Option<Vec<String>>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct DocumentsDeleteResult {
        pub deleted: u64,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct CollectionInfo {
        pub collection: String,
        pub documents: u64,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct CollectionsListResult {
        pub collections: Vec<CollectionInfo>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ModelsResolve {
        /// A model id, or a repo name (`org/name`; the newest ready revision).
        pub model: String,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct ModelsResolveResult {
        pub id: String,
        pub repo: String,
        /// Folder holding the model's files (the hub cache's snapshot folder).
        pub path: String,
        /// The files' paths inside `path`.
        pub files: Vec<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn protocol_codes_are_their_wire_strings() {
        for &code in ProtocolCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), json!(code.as_str()));
            assert!(ProtocolError::new(code, "m", false).is(code));
        }
    }

    #[test]
    fn wire_shapes_match_the_protocol_doc() {
        let invoke =
            DaemonMessage::Invoke { id: 7, capability: "echo".into(), input: json!({"a": 1}), caller: None };
        assert_eq!(
            serde_json::to_value(&invoke).unwrap(),
            json!({"type": "invoke", "id": 7, "capability": "echo", "input": {"a": 1}})
        );
        let hello: PluginMessage = serde_json::from_value(json!({
            "type": "hello", "protocol": "1.0", "name": "x", "version": "0.1.0",
            "capabilities": [{"name": "echo"}], "features": ["cancel"]
        }))
        .unwrap();
        match hello {
            PluginMessage::Hello(h) => {
                assert!(h.protocol.is_compatible_with(PROTOCOL_VERSION));
                assert_eq!(h.capabilities[0].name, "echo");
            }
            other => panic!("unexpected {other:?}"),
        }
        let err: PluginMessage = serde_json::from_value(json!({
            "type": "error", "id": 3, "error": {"code": "bad_input", "message": "no"}
        }))
        .unwrap();
        assert!(matches!(err, PluginMessage::Error { id: 3, .. }));
    }

    #[test]
    fn compatibility_is_by_major() {
        let v = |s: &str| s.parse::<ProtocolVersion>().unwrap();
        assert!(v("1.0").is_compatible_with(v("1.7")));
        assert!(!v("1.0").is_compatible_with(v("2.0")));
        assert!("1".parse::<ProtocolVersion>().is_err());
    }
}

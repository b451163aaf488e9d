//! The one closed set of things that can happen to the app: keys and resizes from the
//! terminal, frame ticks, and what the network tasks learned. Everything reaches the loop as an
//! [`Event`]; the app answers with [`Cmd`]s that the loop hands to the network tasks.

use bkg_core::auth::{ApiKey, ApiKeySecret, AuditEvent, Me, User};
use bkg_core::cluster::NodeInfo;
use bkg_core::logs::LogLine;
use bkg_core::models::{Model, ModelEvent, ValidationReport};
use bkg_core::plugin::{PluginDetail, PluginStatus, PluginSummary};
use bkg_core::telemetry::TelemetrySample;
use ratatui::crossterm::event::KeyEvent;
use serde_json::Value;

/// `Net` is boxed: log lines arrive by the thousand and keys should not pay for their size.
#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    Resize(u16, u16),
    Net(Box<Net>),
}

/// What a network task reports.
#[derive(Debug, Clone)]
pub enum Net {
    /// The WebSocket is (again) connected and subscribed.
    Connected,
    /// The daemon wants a login: there is no credential, or the stored session was rejected
    /// (never sent for an explicit `--token`/`BKG_TOKEN`). The WebSocket task has stopped.
    LoginNeeded,
    /// The login form's attempt failed; the message to show in the form.
    LoginFailed(String),
    /// Logged in as this user; the session is stored where `bkgctl login` stores it.
    LoggedIn(String),
    /// The WebSocket is gone; the task retries after `retry_in_ms`.
    Disconnected {
        error: String,
        retry_in_ms: u64,
    },
    /// `/auth/me`; `None` when the daemon has no auth API.
    Me(Option<Box<Me>>),
    Plugins(Vec<PluginSummary>),
    Status(PluginStatus),
    Telemetry(TelemetrySample),
    TelemetryHistory {
        id: String,
        samples: Vec<TelemetrySample>,
    },
    Detail(Box<PluginDetail>),
    /// The backfill of the followed plugin's logs, and the cursor the live stream continues
    /// after.
    LogBackfill {
        id: String,
        lines: Vec<LogLine>,
        cursor: u64,
    },
    Log(LogLine),
    /// The daemon dropped events for this connection because it fell behind; `last_missed_seq`
    /// is set when log lines were among them.
    Lagged {
        missed: u64,
        last_missed_seq: Option<u64>,
    },
    Models(Vec<Model>),
    Model(ModelEvent),
    Validated(ValidationReport),
    Keys(Vec<ApiKey>),
    /// A key's secret, shown once (create and rotate).
    Secret(Box<ApiKeySecret>),
    Users(Vec<User>),
    Audit(Vec<AuditEvent>),
    /// `GET /api/nodes`: every bkgd on the server's database.
    Nodes(Vec<NodeInfo>),
    InvokeChunk(Value),
    InvokeDone(Result<Value, String>),
    /// A chunk of an invoke a plugin-specific view sent ([`Cmd::ViewInvoke`]), with its tag.
    ViewChunk {
        to: ViewCall,
        chunk: Value,
    },
    /// The end of such an invoke: its result or the daemon's error.
    ViewDone {
        to: ViewCall,
        result: Result<Value, String>,
    },
    /// The daemon rejected a config; the message and the schema violations.
    ConfigRejected {
        message: String,
        details: Vec<String>,
    },
    /// A one-line outcome for the status line (`ok` false shows it as an error).
    Notice {
        ok: bool,
        text: String,
    },
    /// A request failed in a way that belongs to one screen (e.g. the list could not load).
    LoadFailed {
        what: Screenish,
        error: String,
    },
}

/// Which list a [`Net::LoadFailed`] belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screenish {
    Plugins,
    Models,
    Keys,
    Users,
    Audit,
    Nodes,
}

/// Which view an invoke's answer belongs to, and which of its requests (`seq`): an answer to
/// an older request (e.g. a cancelled chat reply) is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViewCall {
    pub view: ViewKind,
    pub seq: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    /// llmserver's `chat`.
    Chat,
    /// brainml's `stats` (the collections list).
    Stats,
    /// brainml's `query`.
    Query,
}

/// What the app asks the outside world to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Cmd {
    Start(String),
    Stop(String),
    Restart(String),
    /// Follow this plugin's logs (backfill, then live), or none.
    Follow(Option<String>),
    LoadDetail(String),
    LoadPlugins,
    LoadModels,
    Pull(String),
    Validate(String),
    DeleteModel(String),
    LoadKeys,
    /// A new API key with this name and, if given, this role (else the caller's).
    CreateKey {
        name: String,
        role: Option<bkg_core::auth::Role>,
    },
    RotateKey(String),
    DisableKey(String),
    DeleteKey(String),
    LoadUsers,
    LoadAudit,
    LoadNodes,
    Invoke {
        id: String,
        capability: String,
        input: Value,
    },
    /// An invoke for a plugin-specific view (chat, collections); its chunks and result come
    /// back as [`Net::ViewChunk`] / [`Net::ViewDone`] with the same tag.
    ViewInvoke {
        id: String,
        capability: String,
        input: Value,
        to: ViewCall,
    },
    SetConfig {
        id: String,
        config: Value,
    },
    /// Suspend the UI, edit this text in `$EDITOR`, then send it as the plugin's config.
    EditConfig {
        id: String,
        text: String,
    },
    SaveLines {
        path: String,
        lines: Vec<String>,
    },
    SwitchContext(String),
    /// Log in with a password and store the session (the login form).
    Login {
        username: String,
        password: Secret,
    },
    /// Connect again with the credential now stored (after a login).
    Reconnect,
    Quit,
}

/// A password: never printed by `Debug`, so it cannot end up in a log or a panic message.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

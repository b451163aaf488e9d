//! The app's whole state and how events change it. [`App::update`] is the only place state
//! changes; drawing (`ui`) only reads it. Requests to the outside world are queued as
//! [`Cmd`]s in `outbox`, which the loop hands to the network tasks.

mod keys;
pub use keys::screen_actions;
mod login;
pub use login::{KEYS as LOGIN_KEYS, LoginField, LoginForm};
mod stats;
pub mod views;

use std::collections::HashMap;

use bkg_core::auth::{ApiKey, ApiKeySecret, AuditEvent, Me, Permission, User};
use bkg_core::cluster::NodeInfo;
use bkg_core::models::Model;
use bkg_core::plugin::{PluginDetail, PluginState, PluginSummary};
use serde_json::Value;

pub use self::stats::Stats;
use crate::event::{Cmd, Event, Net, Screenish};
use crate::logbuf::LogView;
use crate::settings::Settings;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Plugins,
    Dashboard(String),
    Logs(String),
    Models,
    Keys,
    Users,
    Audit,
    /// Every bkgd on the server's database, with its plugins.
    Nodes,
}

impl Screen {
    pub fn title(&self) -> String {
        match self {
            Screen::Plugins => "plugins".into(),
            Screen::Dashboard(id) => format!("plugin {id}"),
            Screen::Logs(id) => format!("logs {id}"),
            Screen::Models => "models".into(),
            Screen::Keys => "keys".into(),
            Screen::Users => "users".into(),
            Screen::Audit => "audit".into(),
            Screen::Nodes => "nodes".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Logs,
    Config,
    Capabilities,
    /// llmserver's chat (only for plugins that have it: [`views::view_tab`]).
    Chat,
    /// brainml's collections and query box (likewise).
    Collections,
}

impl Tab {
    pub fn name(self) -> &'static str {
        match self {
            Tab::Logs => "Logs",
            Tab::Config => "Config",
            Tab::Capabilities => "Capabilities",
            Tab::Chat => "Chat",
            Tab::Collections => "Collections",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Conn {
    Connecting,
    Connected,
    Disconnected { error: String, retry_in_ms: u64 },
}

/// What a text input at the bottom line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Palette,
    Filter,
    Search,
    PullRepo,
    KeyName,
    InvokeInput,
    AuditFilter,
    /// The chat tab's message line (drawn in the tab, not on the status line).
    ChatMessage,
    /// The collections tab's query box (likewise).
    Query,
}

impl InputKind {
    pub fn prompt(self) -> &'static str {
        match self {
            InputKind::Palette => ":",
            InputKind::Filter | InputKind::Search | InputKind::AuditFilter => "/",
            InputKind::PullRepo => "pull repo (owner/name): ",
            InputKind::KeyName => "new key name [admin|developer|readonly]: ",
            InputKind::InvokeInput => "input JSON: ",
            InputKind::ChatMessage => "> ",
            InputKind::Query => "query: ",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub kind: InputKind,
    pub text: String,
}

/// A yes/no question and what `y` does.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub question: String,
    pub on_yes: Cmd,
}

/// The invoke panel of the capabilities tab.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Invoke {
    pub capability: String,
    pub input: String,
    pub chunks: Vec<String>,
    pub result: Option<Result<String, String>>,
    pub running: bool,
}

#[derive(Debug, Clone)]
pub struct App {
    pub settings: Settings,
    pub server: String,
    pub context: Option<String>,
    pub screen: Screen,
    /// Where `Esc` goes back to.
    pub history: Vec<Screen>,
    pub conn: Conn,
    /// The login form, shown instead of the screens while there is no usable credential.
    pub login: Option<LoginForm>,
    /// `None` until `/auth/me` answered (or the daemon has no auth).
    pub me: Option<Me>,
    pub plugins: Vec<PluginSummary>,
    pub plugins_loaded: bool,
    pub stats: HashMap<String, Stats>,
    pub selected: usize,
    pub filter: String,
    pub detail: Option<PluginDetail>,
    pub tab: Tab,
    pub logs: LogView,
    pub cap_selected: usize,
    pub invoke: Invoke,
    pub chat: views::Chat,
    pub collections: views::Collections,
    pub config_error: Option<(String, Vec<String>)>,
    pub models: Vec<Model>,
    pub models_loaded: bool,
    pub model_selected: usize,
    pub keys: Vec<ApiKey>,
    pub keys_loaded: bool,
    pub key_selected: usize,
    pub users: Vec<User>,
    pub users_loaded: bool,
    pub user_selected: usize,
    pub audit: Vec<AuditEvent>,
    pub audit_loaded: bool,
    pub audit_filter: String,
    pub nodes: Vec<NodeInfo>,
    pub nodes_loaded: bool,
    pub node_selected: usize,
    pub load_errors: HashMap<&'static str, String>,
    pub secret: Option<ApiKeySecret>,
    pub input: Option<Input>,
    pub confirm: Option<Confirm>,
    pub help: bool,
    pub notice: Option<(bool, String)>,
    pub outbox: Vec<Cmd>,
    pub quit: bool,
}

impl App {
    pub fn new(settings: Settings, server: &str, context: Option<String>) -> Self {
        Self {
            settings,
            server: server.to_string(),
            context,
            screen: Screen::Plugins,
            history: Vec::new(),
            conn: Conn::Connecting,
            login: None,
            me: None,
            plugins: Vec::new(),
            plugins_loaded: false,
            stats: HashMap::new(),
            selected: 0,
            filter: String::new(),
            detail: None,
            tab: Tab::Logs,
            logs: LogView::default(),
            cap_selected: 0,
            invoke: Invoke::default(),
            chat: views::Chat::default(),
            collections: views::Collections::default(),
            config_error: None,
            models: Vec::new(),
            models_loaded: false,
            model_selected: 0,
            keys: Vec::new(),
            keys_loaded: false,
            key_selected: 0,
            users: Vec::new(),
            users_loaded: false,
            user_selected: 0,
            audit: Vec::new(),
            audit_loaded: false,
            audit_filter: String::new(),
            nodes: Vec::new(),
            nodes_loaded: false,
            node_selected: 0,
            load_errors: HashMap::new(),
            secret: None,
            input: None,
            confirm: None,
            help: false,
            notice: None,
            outbox: Vec::new(),
            quit: false,
        }
    }

    /// Whether the caller may start and stop plugins. Unknown (no answer yet, or no auth API)
    /// counts as allowed: the daemon decides anyway.
    pub fn can(&self, p: Permission) -> bool {
        self.me.as_ref().is_none_or(|me| me.permissions.contains(&p))
    }

    pub fn role_name(&self) -> Option<&'static str> {
        self.me.as_ref().map(|m| m.role.as_str())
    }

    /// The plugins the list shows (after the `/` filter).
    pub fn visible_plugins(&self) -> Vec<&PluginSummary> {
        let f = self.filter.to_ascii_lowercase();
        self.plugins
            .iter()
            .filter(|p| {
                f.is_empty()
                    || p.id.to_ascii_lowercase().contains(&f)
                    || p.name.to_ascii_lowercase().contains(&f)
                    || p.status.as_str().contains(&f)
            })
            .collect()
    }

    pub fn selected_plugin(&self) -> Option<&PluginSummary> {
        self.visible_plugins().get(self.selected).copied()
    }

    /// The plugin the current screen is about.
    pub fn current_plugin_id(&self) -> Option<String> {
        match &self.screen {
            Screen::Dashboard(id) | Screen::Logs(id) => Some(id.clone()),
            Screen::Plugins => self.selected_plugin().map(|p| p.id.to_string()),
            _ => None,
        }
    }

    pub fn plugin_state(&self, id: &str) -> Option<PluginState> {
        self.plugins.iter().find(|p| *p.id == *id).map(|p| p.status)
    }

    pub fn filtered_audit(&self) -> Vec<&AuditEvent> {
        let f = self.audit_filter.to_ascii_lowercase();
        self.audit
            .iter()
            .filter(|e| {
                f.is_empty()
                    || e.action.to_ascii_lowercase().contains(&f)
                    || e.actor.as_deref().unwrap_or("").to_ascii_lowercase().contains(&f)
                    || e.target.as_deref().unwrap_or("").to_ascii_lowercase().contains(&f)
                    || e.outcome.contains(&f)
            })
            .collect()
    }

    /// Applies one event.
    pub fn update(&mut self, event: Event) {
        match event {
            Event::Key(k) => self.on_key(k),
            Event::Resize(..) => {}
            Event::Net(n) => self.on_net(*n),
        }
    }

    pub fn take_outbox(&mut self) -> Vec<Cmd> {
        std::mem::take(&mut self.outbox)
    }

    pub fn go(&mut self, screen: Screen) {
        if screen == self.screen {
            return;
        }
        let old = std::mem::replace(&mut self.screen, screen);
        self.history.push(old);
        self.entered();
    }

    pub(crate) fn back(&mut self) {
        if let Some(prev) = self.history.pop() {
            self.screen = prev;
            self.entered();
        }
    }

    /// What a screen needs when it is shown: its data, and the right log subscription.
    fn entered(&mut self) {
        let follow = match &self.screen {
            Screen::Dashboard(id) | Screen::Logs(id) => Some(id.clone()),
            _ => None,
        };
        if let Some(id) = &follow {
            if self.logs.plugin.as_deref() != Some(id) {
                self.logs = LogView::for_plugin(id);
                self.outbox.push(Cmd::Follow(Some(id.clone())));
            }
            if self.detail.as_ref().is_none_or(|d| &d.id != id) {
                self.detail = None;
                self.cap_selected = 0;
                self.invoke = Invoke::default();
                self.chat = views::Chat::default();
                self.collections = views::Collections::default();
                self.config_error = None;
                self.outbox.push(Cmd::LoadDetail(id.clone()));
            }
        } else if self.logs.plugin.is_some() {
            self.logs = LogView::default();
            self.outbox.push(Cmd::Follow(None));
        }
        match self.screen {
            Screen::Models => self.outbox.push(Cmd::LoadModels),
            Screen::Keys => self.outbox.push(Cmd::LoadKeys),
            Screen::Users => self.outbox.push(Cmd::LoadUsers),
            Screen::Audit => self.outbox.push(Cmd::LoadAudit),
            Screen::Nodes => self.outbox.push(Cmd::LoadNodes),
            _ => {}
        }
    }

    /// Asks again for what the current screen shows (after a login, with the new session).
    fn reload_screen(&mut self) {
        match self.screen.clone() {
            Screen::Dashboard(id) | Screen::Logs(id) => {
                self.outbox.push(Cmd::Follow(Some(id.clone())));
                self.outbox.push(Cmd::LoadDetail(id));
            }
            Screen::Plugins => {}
            Screen::Models => self.outbox.push(Cmd::LoadModels),
            Screen::Keys => self.outbox.push(Cmd::LoadKeys),
            Screen::Users => self.outbox.push(Cmd::LoadUsers),
            Screen::Audit => self.outbox.push(Cmd::LoadAudit),
            Screen::Nodes => self.outbox.push(Cmd::LoadNodes),
        }
    }

    fn on_net(&mut self, n: Net) {
        match n {
            Net::LoginNeeded => self.login_needed(),
            Net::LoginFailed(error) => self.login_failed(error),
            Net::LoggedIn(username) => self.logged_in(username),
            Net::Connected => {
                if matches!(self.conn, Conn::Disconnected { .. }) {
                    self.logs.reconnected();
                }
                self.conn = Conn::Connected;
            }
            Net::Disconnected { error, retry_in_ms } => self.conn = Conn::Disconnected { error, retry_in_ms },
            Net::Me(me) => self.me = me.map(|b| *b),
            Net::Plugins(list) => {
                self.plugins = list;
                self.plugins_loaded = true;
                self.load_errors.remove("plugins");
                self.clamp();
            }
            Net::Status(s) => {
                if let Some(p) = self.plugins.iter_mut().find(|p| *p.id == *s.id) {
                    p.status = s.status;
                    p.pid = s.pid;
                    p.uptime = s.uptime;
                    p.restarts = s.restarts;
                } else if self.plugins_loaded {
                    // A plugin added by a reload: the list needs its name and version.
                    self.outbox.push(Cmd::LoadPlugins);
                }
                if let Some(d) = self.detail.as_mut().filter(|d| d.id == s.id) {
                    d.status = s;
                }
            }
            Net::Telemetry(t) => {
                if let Some(p) = self.plugins.iter_mut().find(|p| *p.id == *t.id) {
                    p.uptime = t.uptime;
                    p.restarts = t.restarts;
                }
                if let Some(d) = self.detail.as_mut().filter(|d| d.id == t.id) {
                    d.status.uptime = t.uptime;
                }
                self.stats.entry(t.id.clone()).or_default().push(t);
            }
            Net::TelemetryHistory { id, samples } => {
                let stats = self.stats.entry(id).or_default();
                if stats.is_empty() {
                    for s in samples {
                        stats.push(s);
                    }
                }
            }
            Net::Detail(d) => {
                if self.current_plugin_id().as_deref() == Some(&d.id) {
                    self.detail = Some(*d);
                    // A plugin that no longer has its view (e.g. upgraded without it).
                    if !self.tabs().contains(&self.tab) {
                        self.tab = Tab::Logs;
                    }
                }
            }
            Net::LogBackfill { id, lines, .. } => {
                if self.logs.plugin.as_deref() == Some(&id) {
                    for l in lines {
                        self.logs.push(l);
                    }
                }
            }
            Net::Log(line) => {
                if self.logs.plugin.as_deref() == Some(&line.plugin_id) {
                    self.logs.push(line);
                }
            }
            // Only log lines matter here: a lost telemetry sample is replaced by the next one.
            Net::Lagged { missed, last_missed_seq: Some(_) } => {
                if self.logs.plugin.is_some() {
                    self.logs.skipped(missed);
                }
            }
            Net::Lagged { last_missed_seq: None, .. } => {}
            Net::Models(m) => {
                self.models = m;
                self.models_loaded = true;
                self.load_errors.remove("models");
                self.model_selected = self.model_selected.min(self.models.len().saturating_sub(1));
            }
            Net::Model(ev) => {
                if let Some(m) = self.models.iter_mut().find(|m| m.id == ev.id) {
                    m.status = ev.status;
                    m.progress = ev.progress;
                    m.error = ev.error;
                } else if self.screen == Screen::Models {
                    self.outbox.push(Cmd::LoadModels);
                }
            }
            Net::Validated(r) => {
                let text = if r.ok {
                    format!("{}: every file verified", r.model.id)
                } else {
                    format!("{}: {}", r.model.id, r.problems.join("; "))
                };
                self.notice = Some((r.ok, text));
                if let Some(m) = self.models.iter_mut().find(|m| m.id == r.model.id) {
                    *m = r.model;
                }
            }
            Net::Keys(k) => {
                self.keys = k;
                self.keys_loaded = true;
                self.load_errors.remove("keys");
                self.key_selected = self.key_selected.min(self.keys.len().saturating_sub(1));
            }
            Net::Secret(s) => {
                self.secret = Some(*s);
                self.outbox.push(Cmd::LoadKeys);
            }
            Net::Users(u) => {
                self.users = u;
                self.users_loaded = true;
                self.load_errors.remove("users");
            }
            Net::Audit(a) => {
                self.audit = a;
                self.audit_loaded = true;
                self.load_errors.remove("audit");
            }
            Net::Nodes(n) => {
                self.nodes = n;
                self.nodes_loaded = true;
                self.load_errors.remove("nodes");
                self.node_selected = self.node_selected.min(self.nodes.len().saturating_sub(1));
            }
            Net::InvokeChunk(v) => self.invoke.chunks.push(compact(&v)),
            Net::InvokeDone(r) => {
                self.invoke.running = false;
                self.invoke.result = Some(r.map(|v| serde_json::to_string_pretty(&v).unwrap_or_default()));
            }
            Net::ViewChunk { to, chunk } => self.on_view_chunk(to, chunk),
            Net::ViewDone { to, result } => self.on_view_done(to, result),
            Net::ConfigRejected { message, details } => {
                self.tab = Tab::Config;
                self.config_error = Some((message, details));
            }
            Net::Notice { ok, text } => {
                if ok && text.starts_with("config applied") {
                    self.config_error = None;
                }
                self.notice = Some((ok, text));
            }
            Net::LoadFailed { what, error } => {
                let key = match what {
                    Screenish::Plugins => "plugins",
                    Screenish::Models => "models",
                    Screenish::Keys => "keys",
                    Screenish::Users => "users",
                    Screenish::Audit => "audit",
                    Screenish::Nodes => "nodes",
                };
                self.load_errors.insert(key, error);
            }
        }
    }

    pub(crate) fn clamp(&mut self) {
        let n = self.visible_plugins().len();
        self.selected = self.selected.min(n.saturating_sub(1));
    }
}

/// One line of JSON for a streamed chunk (a string chunk shows as its text).
fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;

//! The plugin supervisor: loads manifests, runs one lifecycle actor per plugin, restores the
//! desired state after a daemon restart, and stops everything on shutdown.
//!
//! Code map: `manifest` (finding manifests), `shipped` (the Python and Node SDKs and the
//! built-in script plugins, written from the binary), `spawn` (process groups, no orphans, reaping),
//! `process` (creating a plugin process without a fork, waiting for its exit),
//! `instance` (one process: handshake, protocol I/O, calls in flight), `lines` (a plugin's
//! stdout cut into lines, bad ones included), `actor` (the state machine), `handle` (what the
//! API may do with a plugin), `callbacks` (daemon services for plugins), `stats` (invocation
//! counters and latencies).

mod actor;
pub mod bundle;
pub mod callbacks;
pub mod calls;
mod handle;
mod identity;
pub mod instance;
pub mod lines;
pub mod manifest;
pub mod process;
pub mod runtime;
pub mod shipped;
pub mod spawn;
pub mod stats;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use bkg_core::plugin::{DesiredState, PluginState};
use bkg_core::runtime::ReloadReport;
use parking_lot::RwLock;
use tokio::sync::mpsc;

pub use handle::PluginHandle;
pub use instance::Reply;

use crate::events::EventHub;
use crate::logs::Logs;
use crate::store::{PluginStateRow, Store};
use spawn::Spawner;

/// What every plugin task shares.
#[derive(Debug)]
pub struct Ctx {
    pub logs: Arc<Logs>,
    pub store: Store,
    pub hub: Arc<EventHub>,
    pub spawner: Arc<Spawner>,
    /// Answers `models.resolve` callbacks and tracks which runs use which model.
    pub models: Arc<crate::models::ModelManager>,
    /// Where plugins' own data folders live (`<data_dir>/plugin-data/<id>`).
    pub plugin_data: std::path::PathBuf,
    /// Further folders an admin allowed each plugin (`supervisor.allowed_paths`).
    pub allowed_paths: BTreeMap<String, Vec<std::path::PathBuf>>,
    /// The Python and Node SDKs, on every plugin's `PYTHONPATH` and `NODE_PATH`.
    pub sdks: shipped::SdkPaths,
    /// Where plugins' runtimes are installed (`<data_dir>/runtimes/<id>`).
    pub runtimes: std::path::PathBuf,
    /// The supervisor itself, for plugin-to-plugin calls (set once it exists).
    pub supervisor: std::sync::OnceLock<std::sync::Weak<Supervisor>>,
    /// Where plugins with a service identity reach the daemon's API (set once it listens).
    pub api: std::sync::OnceLock<ApiAddress>,
    /// This node's name (plugins run per node; lists name it).
    pub node: String,
}

/// The daemon's API as plugins reach it.
#[derive(Debug, Clone)]
pub struct ApiAddress {
    pub url: String,
    /// The self-signed certificate to trust, when there is one.
    pub ca_file: Option<String>,
}

impl Ctx {
    pub fn supervisor(&self) -> Option<Arc<Supervisor>> {
        self.supervisor.get().and_then(std::sync::Weak::upgrade)
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum SupervisorError {
    #[error("plugin {id:?} is {state}, not running; start it first")]
    NotRunning { id: String, state: PluginState },
    #[error("plugin {id:?} has no capability {capability:?}; it has: {}", available.join(", "))]
    CapabilityNotFound { id: String, capability: String, available: Vec<String> },
    #[error("the input does not match the schema: {}", .0.iter().map(|(p, m)| if p.is_empty() { m.clone() } else { format!("{p}: {m}") }).collect::<Vec<_>>().join("; "))]
    Schema(Vec<(String, String)>),
    #[error("the plugin could not be started: {0}")]
    StartFailed(String),
    #[error("the plugin cannot start: {0}")]
    RuntimeMissing(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the plugin rejected the configuration: {0}")]
    PluginRejected(String),
    #[error("the daemon is shutting down")]
    ShuttingDown,
    #[error("{0}")]
    Internal(String),
}

/// Where manifests come from, for the first load and every reload.
#[derive(Debug, Clone)]
pub struct ManifestSource {
    pub plugins_dir: PathBuf,
    /// Where the built-in script plugins were written; `None`: no built-in plugins.
    pub builtin: Option<PathBuf>,
}

#[derive(Debug)]
pub struct Supervisor {
    ctx: Arc<Ctx>,
    /// Replaced whole by a reload; readers take a snapshot.
    plugins: RwLock<BTreeMap<String, Arc<PluginHandle>>>,
    source: ManifestSource,
    /// One reload at a time.
    reloading: tokio::sync::Mutex<()>,
    reaper: tokio::task::JoinHandle<()>,
}

impl Supervisor {
    /// Creates the plugins and starts those that should run: the ones persisted as running,
    /// and `autostart` ones that have no persisted state yet.
    pub fn start(
        ctx: Arc<Ctx>,
        source: ManifestSource,
        manifests: Vec<manifest::Loaded>,
        states: Vec<PluginStateRow>,
    ) -> Arc<Self> {
        let mut plugins = BTreeMap::new();
        for loaded in manifests {
            let id = loaded.manifest.id.clone();
            let row = states.iter().find(|r| r.plugin_id == id);
            plugins.insert(id, new_plugin(&ctx, loaded, row));
        }
        let reaper = tokio::spawn(reap_on_sigchld(ctx.spawner.clone()));
        let sup = Arc::new(Self {
            ctx: ctx.clone(),
            plugins: RwLock::new(plugins),
            source,
            reloading: tokio::sync::Mutex::new(()),
            reaper,
        });
        let _ = ctx.supervisor.set(Arc::downgrade(&sup));
        sup
    }

    pub fn get(&self, id: &str) -> Option<Arc<PluginHandle>> {
        self.plugins.read().get(id).cloned()
    }

    /// A snapshot of every plugin, in id order.
    pub fn all(&self) -> std::vec::IntoIter<Arc<PluginHandle>> {
        self.plugins.read().values().cloned().collect::<Vec<_>>().into_iter()
    }

    pub fn spawner(&self) -> &Arc<Spawner> {
        &self.ctx.spawner
    }

    /// Picks up new, changed and removed manifests in the plugins directory. Running plugins
    /// are never touched: a changed or removed manifest of a running plugin is reported as
    /// deferred and applies at a reload after it stopped.
    pub async fn reload(&self) -> crate::store::StoreResult<ReloadReport> {
        let _one_at_a_time = self.reloading.lock().await;
        let (manifests, errors) = manifest::load_all(&self.source);
        let states = self.ctx.store.plugin_states().await?;
        let mut report = ReloadReport { errors, ..Default::default() };
        let current = self.plugins.read().clone();
        let mut next = current.clone();
        let mut seen = BTreeSet::new();
        let idle = |h: &PluginHandle| matches!(h.status().status, PluginState::Stopped | PluginState::Failed);
        for loaded in manifests {
            let id = loaded.manifest.id.clone();
            seen.insert(id.clone());
            let row = states.iter().find(|r| r.plugin_id == id);
            match current.get(&id) {
                None => {
                    next.insert(id.clone(), new_plugin(&self.ctx, loaded, row));
                    report.added.push(id);
                }
                Some(h) if h.loaded.manifest == loaded.manifest && h.loaded.base_dir == loaded.base_dir => {
                    report.unchanged.push(id)
                }
                Some(h) if idle(h) => {
                    h.shutdown().await;
                    next.insert(id.clone(), new_plugin(&self.ctx, loaded, row));
                    report.updated.push(id);
                }
                Some(_) => report.deferred.push(id),
            }
        }
        for (id, h) in &current {
            if seen.contains(id) {
                continue;
            }
            if idle(h) {
                h.shutdown().await;
                next.remove(id);
                report.removed.push(id.clone());
            } else {
                report.deferred.push(id.clone());
            }
        }
        *self.plugins.write() = next;
        for id in report.added.iter().chain(&report.updated) {
            if let Some(h) = self.get(id) {
                self.ctx.hub.publish_status(&h.status());
            }
        }
        Ok(report)
    }

    /// Stops every plugin (in parallel) without touching their desired state, then the guard.
    pub async fn shutdown(&self) {
        let all: Vec<_> = self.all().collect();
        futures_util::future::join_all(all.iter().map(|h| h.shutdown())).await;
        self.reaper.abort();
        self.ctx.spawner.reap_adopted();
        self.ctx.spawner.shutdown();
    }
}

/// A plugin's handle and actor, with its persisted desired state and config (or the
/// manifest's defaults); started when it should run.
fn new_plugin(ctx: &Arc<Ctx>, loaded: manifest::Loaded, row: Option<&PluginStateRow>) -> Arc<PluginHandle> {
    let id = loaded.manifest.id.clone();
    let desired = match row {
        Some(r) => r.desired,
        None if loaded.manifest.autostart => DesiredState::Running,
        None => DesiredState::Stopped,
    };
    let config = match row.and_then(|r| r.config.clone()) {
        Some(c) if loaded.config_validator.is_valid(&c) => c,
        Some(_) => {
            tracing::warn!(plugin = %id, "saved config no longer matches the plugin's schema; using the defaults");
            loaded.manifest.config.default.clone()
        }
        None => loaded.manifest.config.default.clone(),
    };
    let (tx, rx) = mpsc::channel(64);
    let handle = Arc::new(PluginHandle::new(loaded, ctx.clone(), desired, config, tx));
    tokio::spawn(actor::Actor::new(handle.clone(), rx).run());
    if desired == DesiredState::Running {
        let h = handle.clone();
        tokio::spawn(async move {
            if let Err(e) = h.start(None).await {
                tracing::warn!(plugin = %h.id, error = %e, "plugin did not come back up");
            }
        });
    }
    handle
}

/// Reaps plugin descendants re-parented to the daemon as they die.
async fn reap_on_sigchld(spawner: Arc<Spawner>) {
    let Ok(mut sig) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::child()) else {
        tracing::warn!(
            "cannot listen for SIGCHLD; orphaned plugin descendants are reaped when their plugin stops"
        );
        return;
    };
    while sig.recv().await.is_some() {
        if spawner.forget_empty_groups() {
            // A /proc scan: on the blocking pool, not on a runtime worker (see instance.rs).
            let spawner = spawner.clone();
            let _ = tokio::task::spawn_blocking(move || spawner.reap_adopted()).await;
        }
    }
}

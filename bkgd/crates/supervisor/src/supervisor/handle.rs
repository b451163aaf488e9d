//! `PluginHandle`: everything the API layer may do with one plugin. Lifecycle requests go to
//! the plugin's actor; invocations go straight to the current instance; reads come from
//! snapshots the actor keeps up to date.

use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwapOption;
use bkg_core::auth::Permission;
use bkg_core::plugin::{
    CapabilitySpec, ConfigApplied, ConfigApplyMode, DesiredState, PluginDetail, PluginState, PluginStatus,
    PluginSummary,
};
use bkg_core::protocol::feature;
use parking_lot::Mutex;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use super::instance::{Call, Closed, Instance};
use super::manifest::Loaded;
use super::stats::Stats;
use super::{Ctx, SupervisorError};
use crate::logs::Logs;
use crate::store::NewAuditEvent;

/// What the last instance announced in its hello, kept for when the plugin is stopped.
#[derive(Debug, Clone)]
struct Seen {
    capabilities: Vec<CapabilitySpec>,
    features: Vec<String>,
    version: String,
}

/// Where the actor answers a command: the plugin's status once the command took effect.
pub(super) type Reply = oneshot::Sender<Result<PluginStatus, SupervisorError>>;

/// What the handle asks of its plugin's actor (`actor.rs`), which owns the plugin's state.
#[derive(Debug)]
pub enum Command {
    Start(Reply, Option<NewAuditEvent>),
    Stop(Reply, Option<NewAuditEvent>),
    Restart(Reply),
    /// Stop for daemon shutdown: the desired state is kept, so the plugin comes back.
    Shutdown(oneshot::Sender<()>),
}

pub struct PluginHandle {
    pub id: Arc<str>,
    pub loaded: Loaded,
    /// The manifest's strings of a [`PluginSummary`] and the node's name, made once:
    /// `GET /api/plugins` shares them instead of copying them per request.
    names: SummaryNames,
    pub stats: Arc<Stats>,
    ctx: Arc<Ctx>,
    current: ArcSwapOption<Instance>,
    status: Mutex<(PluginStatus, Option<Instant>)>,
    desired: Mutex<DesiredState>,
    config: Mutex<Value>,
    seen: Mutex<Option<Seen>>,
    cmd: mpsc::Sender<Command>,
    /// Serialises config changes so two of them cannot interleave their swaps.
    config_lock: tokio::sync::Mutex<()>,
    /// An install of the plugin's runtime in progress, or the last one's failure.
    pub(super) runtime_live: Mutex<super::runtime::Live>,
}

struct SummaryNames {
    name: Arc<str>,
    version: Arc<str>,
    description: Arc<str>,
    node: Arc<str>,
}

impl std::fmt::Debug for PluginHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginHandle").field("id", &self.id).finish()
    }
}

/// How long a plugin may take to answer a live `configure`.
const CONFIGURE_TIMEOUT: Duration = Duration::from_secs(30);

impl PluginHandle {
    pub(super) fn new(
        loaded: Loaded,
        ctx: Arc<Ctx>,
        desired: DesiredState,
        config: Value,
        cmd: mpsc::Sender<Command>,
    ) -> Self {
        let id: Arc<str> = loaded.manifest.id.as_str().into();
        let status = PluginStatus {
            id: id.to_string(),
            status: PluginState::Stopped,
            desired,
            pid: None,
            run: 0,
            uptime: 0,
            restarts: 0,
            reason: None,
            last_exit: None,
            next_retry_at: None,
            since: chrono::Utc::now(),
        };
        let m = &loaded.manifest;
        let names = SummaryNames {
            name: if m.name.is_empty() { id.clone() } else { m.name.as_str().into() },
            version: m.version.as_str().into(),
            description: m.description.as_str().into(),
            node: ctx.node.as_str().into(),
        };
        Self {
            id,
            loaded,
            names,
            stats: Arc::new(Stats::default()),
            ctx,
            current: ArcSwapOption::empty(),
            status: Mutex::new((status, None)),
            desired: Mutex::new(desired),
            config: Mutex::new(config),
            seen: Mutex::new(None),
            cmd,
            config_lock: tokio::sync::Mutex::new(()),
            runtime_live: Mutex::new(Default::default()),
        }
    }

    pub(super) fn ctx(&self) -> &Arc<Ctx> {
        &self.ctx
    }

    pub fn logs(&self) -> &Arc<Logs> {
        &self.ctx.logs
    }

    pub fn config(&self) -> Value {
        self.config.lock().clone()
    }

    pub fn desired(&self) -> DesiredState {
        *self.desired.lock()
    }

    pub(super) fn set_desired(&self, d: DesiredState) {
        *self.desired.lock() = d;
    }

    /// The plugin's own data folder and the folders an admin allowed it.
    pub fn paths(&self) -> super::instance::PluginPaths {
        super::instance::PluginPaths {
            data_dir: self.ctx.plugin_data.join(&*self.id),
            allowed: self.ctx.allowed_paths.get(&*self.id).cloned().unwrap_or_default(),
        }
    }

    /// Environment of a plugin process: the daemon's, the manifest's, who it is, where its
    /// data folder is, and the SDKs on `PYTHONPATH` and `NODE_PATH`.
    pub(super) fn process_env(&self, run: u64) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> =
            self.loaded.manifest.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        env.push(("BKG_PLUGIN_ID".into(), self.id.to_string()));
        env.push(("BKG_PLUGIN_RUN".into(), run.to_string()));
        env.push(("BKG_PLUGIN_DATA_DIR".into(), self.paths().data_dir.display().to_string()));
        let sdk_env = self.ctx.sdks.env(&env);
        env.extend(sdk_env);
        let runtime_env = self.runtime_env(&env);
        env.extend(runtime_env);
        env
    }

    pub(super) fn set_current(&self, inst: Option<Arc<Instance>>) {
        if let Some(i) = &inst {
            *self.seen.lock() = Some(Seen {
                capabilities: i.hello.capabilities.clone(),
                features: i.features.clone(),
                version: i.hello.version.clone(),
            });
        }
        self.current.store(inst);
    }

    /// The instance that takes new calls, if the plugin is running.
    pub fn current(&self) -> Option<Arc<Instance>> {
        self.current.load_full()
    }

    pub(super) fn set_status(&self, status: PluginStatus, running_since: Option<Instant>) {
        *self.status.lock() = (status, running_since);
    }

    pub fn status(&self) -> PluginStatus {
        let (mut status, since) = self.status.lock().clone();
        status.uptime = since.map(|t| t.elapsed().as_secs()).unwrap_or(0);
        status
    }

    pub fn summary(&self) -> PluginSummary {
        // The four fields it shows, not a copy of the whole status (`GET /api/plugins` is hot).
        let (state, pid, restarts, uptime) = {
            let guard = self.status.lock();
            let (s, since) = &*guard;
            (s.status, s.pid, s.restarts, since.map(|t| t.elapsed().as_secs()).unwrap_or(0))
        };
        let n = &self.names;
        PluginSummary {
            id: self.id.clone(),
            name: n.name.clone(),
            version: n.version.clone(),
            description: n.description.clone(),
            source: self.loaded.source,
            status: state,
            pid,
            uptime,
            restarts,
            node: n.node.clone(),
        }
    }

    /// Capabilities of the running instance, else of the last one, else the manifest's, each
    /// with the permission it effectively needs.
    pub fn capabilities(&self) -> Vec<CapabilitySpec> {
        let mut caps = if let Some(i) = self.current() {
            i.hello.capabilities.clone()
        } else if let Some(seen) = self.seen.lock().as_ref() {
            seen.capabilities.clone()
        } else {
            self.loaded.manifest.capabilities.clone()
        };
        for c in &mut caps {
            c.permission = self.loaded.manifest.permissions.get(&c.name).copied().or(c.permission);
        }
        caps
    }

    /// The permission `capability` needs besides `plugins:invoke`: the manifest's (the
    /// operator's word), else the one the running plugin declared in its hello.
    pub fn capability_permission(&self, capability: &str) -> Option<Permission> {
        self.loaded
            .manifest
            .permissions
            .get(capability)
            .copied()
            .or_else(|| self.current().and_then(|i| i.capability(capability).and_then(|c| c.permission)))
    }

    pub fn detail(&self) -> PluginDetail {
        let m = &self.loaded.manifest;
        let summary = self.summary();
        let seen = self
            .current()
            .map(|i| (i.features.clone(), i.hello.version.clone()))
            .or_else(|| self.seen.lock().as_ref().map(|s| (s.features.clone(), s.version.clone())));
        PluginDetail {
            id: summary.id.to_string(),
            name: summary.name.to_string(),
            version: summary.version.to_string(),
            description: summary.description.to_string(),
            source: summary.source,
            command: m.command.clone(),
            status: self.status(),
            capabilities: self.capabilities(),
            features: seen.as_ref().map(|s| s.0.clone()).unwrap_or_default(),
            running_version: self.current().map(|i| i.hello.version.clone()),
            config: self.config(),
            config_schema: m.config.schema.clone(),
            restart: m.restart.clone(),
            timeouts: m.timeouts.clone(),
            runtime: self.runtime_status(),
        }
    }

    async fn ask(
        &self,
        make: impl FnOnce(oneshot::Sender<Result<PluginStatus, SupervisorError>>) -> Command,
    ) -> Result<PluginStatus, SupervisorError> {
        let (tx, rx) = oneshot::channel();
        self.cmd.send(make(tx)).await.map_err(|_| SupervisorError::ShuttingDown)?;
        rx.await.map_err(|_| SupervisorError::ShuttingDown)?
    }

    /// Starts the plugin; answers once it is running (handshake done) or the start failed.
    /// The audit row, if any, commits with the desired state.
    pub async fn start(&self, audit: Option<NewAuditEvent>) -> Result<PluginStatus, SupervisorError> {
        self.ask(|r| Command::Start(r, audit)).await
    }

    /// Stops the plugin; answers once its process has been reaped.
    pub async fn stop(&self, audit: Option<NewAuditEvent>) -> Result<PluginStatus, SupervisorError> {
        self.ask(|r| Command::Stop(r, audit)).await
    }

    /// Restarts the plugin; a running one is hot-swapped (no call fails in between).
    pub async fn restart(&self) -> Result<PluginStatus, SupervisorError> {
        self.ask(Command::Restart).await
    }

    pub(super) async fn shutdown(&self) {
        let (tx, rx) = oneshot::channel();
        if self.cmd.send(Command::Shutdown(tx)).await.is_ok() {
            let _ = rx.await;
        }
    }

    /// Starts a call on the current instance after checking the capability and the input.
    pub fn begin_call(
        &self,
        capability: &str,
        mut input: Value,
        origin: Arc<super::calls::Origin>,
    ) -> Result<Call, SupervisorError> {
        for _ in 0..8 {
            let Some(inst) = self.current() else { break };
            if inst.capability(capability).is_none() {
                return Err(SupervisorError::CapabilityNotFound {
                    id: self.id.to_string(),
                    capability: capability.to_string(),
                    available: inst.capabilities().iter().map(|c| c.name.clone()).collect(),
                });
            }
            inst.validate(capability, &input).map_err(SupervisorError::Schema)?;
            match inst.begin(capability, input, origin.clone()) {
                Ok(call) => return Ok(call),
                // Retired or gone between the load and the call: take the next instance.
                Err(Closed(back)) => input = back,
            }
        }
        Err(SupervisorError::NotRunning { id: self.id.to_string(), state: self.status().status })
    }

    /// Validates and applies a new configuration: live through the protocol when the running
    /// plugin supports it, by a hot swap when it does not, or stored for the next start.
    pub async fn set_config(
        &self,
        config: Value,
        audit: Option<NewAuditEvent>,
    ) -> Result<ConfigApplied, SupervisorError> {
        let errors: Vec<(String, String)> = self
            .loaded
            .config_validator
            .iter_errors(&config)
            .map(|e| (e.instance_path().to_string(), e.to_string()))
            .take(20)
            .collect();
        if !errors.is_empty() {
            return Err(SupervisorError::Schema(errors));
        }
        let _guard = self.config_lock.lock().await;
        let previous = self.config();
        let mode = match self.current() {
            Some(inst) if inst.has_feature(feature::CONFIG_LIVE) => {
                inst.configure(config.clone(), CONFIGURE_TIMEOUT)
                    .await
                    .map_err(SupervisorError::PluginRejected)?;
                *self.config.lock() = config.clone();
                ConfigApplyMode::Live
            }
            Some(_) => {
                *self.config.lock() = config.clone();
                if let Err(e) = self.restart().await {
                    *self.config.lock() = previous;
                    return Err(e);
                }
                ConfigApplyMode::Swap
            }
            None => {
                *self.config.lock() = config.clone();
                ConfigApplyMode::Stored
            }
        };
        let audit = audit.map(|mut a| {
            a.details = serde_json::json!({"applied": mode});
            a
        });
        if let Err(e) = self.ctx.store.set_plugin_config(&self.id, &config, audit.as_ref()).await {
            tracing::error!(plugin = %self.id, error = %e, "cannot persist the plugin config");
            return Err(SupervisorError::Internal("the config was applied but could not be saved".into()));
        }
        Ok(ConfigApplied { config, applied: mode })
    }
}

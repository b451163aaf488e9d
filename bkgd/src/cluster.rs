//! This bkgd as a node of a cluster: several bkgd on one PostgreSQL database share users,
//! sessions, API keys, the model registry and the audit log, and each runs its own plugins.
//!
//! A node has a stable id (a file in its data dir), a name and a URL. It registers at start
//! (which also claims the plugin state a single daemon left before clusters), and on
//! PostgreSQL writes a heartbeat with its plugin list every `cluster.heartbeat_ms` and as soon
//! as a plugin changes state (at most once a second), so every node can list the whole
//! cluster. A clean shutdown marks it `stopped`; a node silent for three heartbeats is `down`.
//! On SQLite there is one node: it registers, and writes nothing more until it stops (no timer
//! runs while idle).
//!
//! Credentials are not this module's business: a change committed by any node reaches the
//! others through the store (`Store::watch_credentials`).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use bkg_core::cluster::{NodeInfo, NodeList, NodeState};
use bkg_core::plugin::PluginSummary;
use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::events::EventHub;
use crate::store::{NodeRow, Store, now_ms};
use crate::supervisor::Supervisor;

/// Heartbeats a node may miss before it is shown `down`.
const MISSED_BEATS: u64 = 3;
/// A burst of plugin state changes is reported at most this often.
const REPORT_AT_MOST_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub url: String,
    started_at: i64,
    heartbeat: Duration,
}

impl Node {
    /// This node's identity: its id from `<data_dir>/node-id` (made on first start), its name
    /// and URL from `[cluster]` or else the host name and the listen address.
    pub fn identify(config: &Config, listening: std::net::SocketAddr) -> anyhow::Result<Node> {
        let id = node_id(&config.data_dir)?;
        // The kernel's host name, as gethostname(2) answers it.
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .ok()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "localhost".into());
        let name =
            if config.cluster.node_name.is_empty() { host.clone() } else { config.cluster.node_name.clone() };
        let url = if config.cluster.advertise_url.is_empty() {
            let scheme = if config.http.tls_enabled() { "https" } else { "http" };
            let ip = listening.ip();
            let host = if ip.is_unspecified() {
                host
            } else if ip.is_ipv6() {
                format!("[{ip}]")
            } else {
                ip.to_string()
            };
            format!("{scheme}://{host}:{}", listening.port())
        } else {
            config.cluster.advertise_url.trim_end_matches('/').to_string()
        };
        Ok(Node {
            id,
            name,
            url,
            started_at: now_ms(),
            heartbeat: Duration::from_millis(config.cluster.heartbeat_ms),
        })
    }

    fn row(&self, plugins: String) -> NodeRow {
        NodeRow {
            id: self.id.clone(),
            name: self.name.clone(),
            url: self.url.clone(),
            version: bkg_core::VERSION.into(),
            git_commit: crate::COMMIT.into(),
            started_at: self.started_at,
            heartbeat_at: now_ms(),
            stopped_at: None,
            plugins,
        }
    }

    fn alive_ms(&self) -> i64 {
        (self.heartbeat.as_millis() as i64) * MISSED_BEATS as i64
    }

    /// Registers this node; the store handle it returns reads and writes this node's plugin
    /// state. Refuses to start when a live node already has this name.
    pub async fn register(&self, store: &Store) -> anyhow::Result<Store> {
        match store
            .register_node(&self.row("[]".into()), self.alive_ms())
            .await
            .context("cannot register this node")?
        {
            Ok(()) => Ok(store.for_node(&self.id)),
            Err(taken) => anyhow::bail!(
                "another bkgd on this database is called {:?} and is alive ({}, last heartbeat {} ms ago): give this one another cluster.node_name",
                taken.name,
                taken.url,
                now_ms() - taken.heartbeat_at
            ),
        }
    }
}

/// The node's id, kept in the data dir so a restart is the same node.
fn node_id(data_dir: &Path) -> anyhow::Result<String> {
    let path = data_dir.join("node-id");
    match std::fs::read_to_string(&path) {
        Ok(id) if !id.trim().is_empty() => Ok(id.trim().to_string()),
        _ => {
            let id = uuid::Uuid::new_v4().to_string();
            let _ = std::fs::remove_file(&path);
            crate::private_fs::write_new(&path, id.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            Ok(id)
        }
    }
}

/// The running node: answers `GET /api/nodes` and keeps its heartbeat.
#[derive(Debug)]
pub struct Cluster {
    node: Node,
    store: Store,
    supervisor: Arc<Supervisor>,
    shared: bool,
}

impl Cluster {
    pub fn new(node: Node, store: Store, supervisor: Arc<Supervisor>) -> Arc<Self> {
        let shared = store.backend() == "postgres";
        Arc::new(Self { node, store, supervisor, shared })
    }

    pub fn node(&self) -> &Node {
        &self.node
    }

    fn plugins(&self) -> Vec<PluginSummary> {
        self.supervisor.all().map(|h| h.summary()).collect()
    }

    fn plugins_json(&self) -> String {
        serde_json::to_string(&self.plugins()).unwrap_or_else(|_| "[]".into())
    }

    /// On PostgreSQL, writes the heartbeat until `token` is cancelled: every heartbeat
    /// interval, and soon after a plugin changes state. A failed write is logged and retried
    /// at the next beat (the database may be restarting).
    pub fn run(
        self: &Arc<Self>,
        hub: Arc<EventHub>,
        token: CancellationToken,
    ) -> Option<tokio::task::JoinHandle<()>> {
        if !self.shared {
            return None;
        }
        let me = self.clone();
        Some(tokio::spawn(async move {
            let mut beat = tokio::time::interval(me.node.heartbeat);
            beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = token.cancelled() => return,
                    _ = beat.tick() => {}
                    _ = hub.status_changed.notified() => {
                        // Let a burst of changes (a restart is several) settle into one report.
                        tokio::select! {
                            _ = token.cancelled() => return,
                            _ = tokio::time::sleep(REPORT_AT_MOST_EVERY) => {}
                        }
                    }
                }
                if let Err(e) = me.store.node_heartbeat(&me.node.id, &me.plugins_json()).await {
                    tracing::warn!(error = %e, "cannot write this node's heartbeat");
                }
            }
        }))
    }

    /// A clean shutdown: the node is listed as `stopped` with its (stopped) plugins.
    pub async fn leave(&self) {
        if let Err(e) = self.store.node_stopped(&self.node.id, &self.plugins_json()).await {
            tracing::warn!(error = %e, "cannot mark this node stopped");
        }
    }

    /// Every node; this one from memory, the others as the database has them.
    pub async fn nodes(&self) -> Result<NodeList, crate::store::StoreError> {
        let rows = self.store.nodes().await?;
        let now = now_ms();
        let alive_ms = self.node.alive_ms();
        let mut nodes: Vec<NodeInfo> = rows
            .into_iter()
            .map(|r| {
                let current = r.id == self.node.id;
                let state = if current {
                    NodeState::Up
                } else if r.stopped_at.is_some() {
                    NodeState::Stopped
                } else if now - r.heartbeat_at > alive_ms {
                    NodeState::Down
                } else {
                    NodeState::Up
                };
                let plugins = if current {
                    self.plugins()
                } else {
                    serde_json::from_str::<Vec<PluginSummary>>(&r.plugins).unwrap_or_default()
                };
                NodeInfo {
                    id: r.id,
                    name: r.name,
                    url: r.url,
                    version: r.version,
                    commit: r.git_commit,
                    state,
                    current,
                    started_at: time(r.started_at),
                    last_seen: if current { Utc::now() } else { time(r.heartbeat_at) },
                    plugins,
                }
            })
            .collect();
        nodes.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        Ok(NodeList { nodes })
    }
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

//! Telemetry: samples every running plugin's process group (CPU %, RSS, process count;
//! computed by `sysinfo`), adds uptime, restarts and invocation throughput, keeps a bounded
//! history for sparklines, and publishes each sample on the `telemetry` topic.
//!
//! Once per `telemetry.interval_ms` while someone watches (a WebSocket subscription to the
//! topic, or a telemetry or `/metrics` read within the last [`WATCHED_FOR`]); otherwise once
//! per [`IDLE_EVERY`], so an idle daemon does no periodic work worth the name. A new watcher
//! wakes the sampler at once ([`Telemetry::demand`]).
//!
//! A plugin's "process tree" is its process group: it includes children that outlived their
//! parent, which a walk over parent links would miss.

pub mod prometheus;

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bkg_core::plugin::PluginState;
use bkg_core::telemetry::TelemetrySample;
use chrono::Utc;
use parking_lot::Mutex;
use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};

use crate::events::EventHub;
use crate::supervisor::Supervisor;
use crate::supervisor::spawn::processes_by_group;

/// How long a telemetry or `/metrics` read keeps the sampler at full rate.
pub const WATCHED_FOR: Duration = Duration::from_secs(60);
/// The sampling interval when nobody watches.
pub const IDLE_EVERY: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub struct Telemetry {
    history: Mutex<HashMap<String, VecDeque<TelemetrySample>>>,
    keep: usize,
    /// The daemon's own CPU % and RSS, for `/metrics`.
    daemon: Mutex<(f64, u64)>,
    /// When telemetry was last asked for.
    demanded: Mutex<Option<Instant>>,
    wake: tokio::sync::Notify,
}

impl Telemetry {
    pub fn new(keep: usize) -> Arc<Self> {
        Arc::new(Self {
            history: Mutex::new(HashMap::new()),
            keep: keep.max(1),
            daemon: Mutex::new((0.0, 0)),
            demanded: Mutex::new(None),
            wake: tokio::sync::Notify::new(),
        })
    }

    /// Someone reads telemetry (a subscription, the history, a metrics scrape): sample at full
    /// rate for [`WATCHED_FOR`], starting now if the sampler was idle.
    pub fn demand(&self) {
        let was_idle =
            self.demanded.lock().replace(Instant::now()).is_none_or(|t| t.elapsed() >= WATCHED_FOR);
        if was_idle {
            self.wake.notify_one();
        }
    }

    fn watched(&self, hub: &EventHub) -> bool {
        hub.watching(bkg_core::ws::Topic::Telemetry)
            || self.demanded.lock().is_some_and(|t| t.elapsed() < WATCHED_FOR)
    }

    /// Recent samples of one plugin, oldest first.
    pub fn history(&self, id: &str) -> Vec<TelemetrySample> {
        self.history.lock().get(id).map(|h| h.iter().cloned().collect()).unwrap_or_default()
    }

    /// The newest sample of every plugin that has one.
    pub fn latest(&self) -> Vec<TelemetrySample> {
        self.history.lock().values().filter_map(|h| h.back().cloned()).collect()
    }

    pub fn daemon(&self) -> (f64, u64) {
        *self.daemon.lock()
    }

    fn push(&self, sample: TelemetrySample) {
        let mut h = self.history.lock();
        let q = h.entry(sample.id.clone()).or_default();
        q.push_back(sample);
        while q.len() > self.keep {
            q.pop_front();
        }
    }
}

/// Samples until `shutdown` fires.
pub async fn run_sampler(
    sup: Arc<Supervisor>,
    telemetry: Arc<Telemetry>,
    hub: Arc<EventHub>,
    interval: Duration,
    shutdown: tokio_util::sync::CancellationToken,
) {
    let Ok(mut sys) = System::new() else {
        tracing::warn!("process metrics are unavailable on this system; telemetry has no CPU and memory");
        return;
    };
    let me = Pid::from_u32(std::process::id());
    // The pids sampled last time: sysinfo forgets a dead process only when it is asked about
    // it (`ProcessesToUpdate::Some` with `remove_dead_processes` looks at the listed pids
    // alone), so every ended plugin process's entry stayed in its map for good.
    let mut sampled: Vec<Pid> = Vec::new();
    let mut last = Instant::now();
    let mut first = true;
    loop {
        if !first {
            let every = if telemetry.watched(&hub) { interval } else { IDLE_EVERY };
            tokio::select! {
                () = tokio::time::sleep(every.saturating_sub(last.elapsed())) => {}
                // A new watcher: sample now rather than at the end of an idle wait.
                () = telemetry.wake.notified() => {}
                () = shutdown.cancelled() => return,
            }
        }
        first = false;
        let elapsed = last.elapsed();
        last = Instant::now();
        let running: Vec<_> = sup.all().filter_map(|h| h.current().map(|i| (h.clone(), i.pid))).collect();
        let pgids: Vec<i32> = running.iter().map(|(_, pgid)| *pgid as i32).collect();
        // Reading /proc takes a while: on the blocking pool, so no runtime worker (and no task
        // it just woke) waits for it.
        let before = std::mem::take(&mut sampled);
        let scan = tokio::task::spawn_blocking(move || {
            let groups = if pgids.is_empty() { HashMap::new() } else { processes_by_group() };
            let mut pids: Vec<Pid> = vec![me];
            for pgid in &pgids {
                if let Some(members) = groups.get(pgid) {
                    pids.extend(members.iter().filter(|p| !p.zombie).map(|p| Pid::from_u32(p.pid as u32)));
                }
            }
            // Last time's pids too, so the ones that are gone are dropped from `sys`.
            let mut asked = pids.clone();
            asked.extend(before);
            sys.refresh_processes_specifics(
                ProcessesToUpdate::Some(&asked),
                true,
                ProcessRefreshKind::nothing().with_cpu().with_memory().without_tasks(),
            );
            (sys, groups, pids)
        });
        let (back, groups, now_sampled) = match scan.await {
            Ok(done) => done,
            Err(e) => {
                tracing::error!(error = %e, "the telemetry scan failed; telemetry stops");
                return;
            }
        };
        sys = back;
        sampled = now_sampled;
        if let Some(p) = sys.process(me) {
            *telemetry.daemon.lock() = (p.cpu_usage() as f64, p.memory());
        }
        for (h, pgid) in running {
            let members: Vec<Pid> = groups
                .get(&(pgid as i32))
                .map(|m| m.iter().filter(|p| !p.zombie).map(|p| Pid::from_u32(p.pid as u32)).collect())
                .unwrap_or_default();
            let (cpu, mem) = members
                .iter()
                .filter_map(|pid| sys.process(*pid))
                .fold((0.0f64, 0u64), |(c, m), p| (c + p.cpu_usage() as f64, m + p.memory()));
            let status = h.status();
            if status.status != PluginState::Running {
                continue;
            }
            let sample = TelemetrySample {
                id: h.id.to_string(),
                ts: Utc::now(),
                cpu,
                mem,
                processes: members.len() as u32,
                uptime: status.uptime,
                restarts: status.restarts,
                throughput: h.stats.sample(elapsed),
            };
            telemetry.push(sample.clone());
            hub.publish_telemetry(sample);
        }
    }
}

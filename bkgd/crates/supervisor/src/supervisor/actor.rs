//! The lifecycle state machine of one plugin, run as one task ("actor") per plugin. Lifecycle
//! commands arrive on a channel and are applied in order; process events (handshake done,
//! process exited, backoff elapsed, stop finished) arrive as futures the loop waits on. Only
//! this task changes a plugin's state, so transitions never race.
//!
//! Invocations do not pass through here: they go straight to the current instance
//! (`PluginHandle::current`), which the actor swaps atomically.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bkg_core::logs::LogLevel;
use bkg_core::plugin::{DesiredState, ExitInfo, PluginState, PluginStatus, RestartMode};
use chrono::Utc;
use tokio::sync::{mpsc, oneshot};

use super::SupervisorError;
use super::handle::{Command, PluginHandle, Reply};
use super::instance::{self, Instance, LaunchError, Pending, describe_exit};
use crate::store::NewAuditEvent;

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// Operator start (or restore at daemon start).
    Start,
    /// Automatic restart after a failure.
    Retry,
    /// Hot swap of a running plugin.
    Swap,
}

struct Launching {
    purpose: Purpose,
    pending: Pending,
    handshake: BoxFuture<Result<Arc<Instance>, LaunchError>>,
}

enum Event {
    Command(Option<Command>),
    Launched(Result<Arc<Instance>, LaunchError>),
    Exited(Option<ExitInfo>),
    BackoffElapsed,
    Stopped(ExitInfo),
    Retired,
}

pub struct Actor {
    h: Arc<PluginHandle>,
    rx: mpsc::Receiver<Command>,
    state: PluginState,
    run: u64,
    restarts: u64,
    fast_failures: u32,
    current: Option<Arc<Instance>>,
    running_since: Option<Instant>,
    launching: Option<Launching>,
    backoff: Option<Pin<Box<tokio::time::Sleep>>>,
    next_retry_at: Option<chrono::DateTime<Utc>>,
    stopping: Option<BoxFuture<ExitInfo>>,
    retiring: tokio::task::JoinSet<()>,
    retiring_instances: Vec<Arc<Instance>>,
    start_waiters: Vec<Reply>,
    swap_waiters: Vec<Reply>,
    stop_waiters: Vec<Reply>,
    deferred: VecDeque<Command>,
    shutdown: Option<oneshot::Sender<()>>,
    /// The write of the desired state, done beside the process work; answers wait for it.
    persist_job: Option<tokio::task::JoinHandle<()>>,
    reason: Option<String>,
    last_exit: Option<ExitInfo>,
    since: chrono::DateTime<Utc>,
}

fn fail_waiters(waiters: Vec<Reply>, err: SupervisorError) {
    for w in waiters {
        let _ = w.send(Err(err.clone()));
    }
}

async fn sleep_opt(s: Option<&mut Pin<Box<tokio::time::Sleep>>>) {
    match s {
        Some(s) => s.await,
        None => std::future::pending().await,
    }
}

async fn maybe<T>(f: Option<&mut BoxFuture<T>>) -> T {
    match f {
        Some(f) => f.await,
        None => std::future::pending().await,
    }
}

impl Actor {
    pub fn new(h: Arc<PluginHandle>, rx: mpsc::Receiver<Command>) -> Self {
        Self {
            h,
            rx,
            state: PluginState::Stopped,
            run: 0,
            restarts: 0,
            fast_failures: 0,
            current: None,
            running_since: None,
            launching: None,
            backoff: None,
            next_retry_at: None,
            stopping: None,
            retiring: tokio::task::JoinSet::new(),
            retiring_instances: Vec::new(),
            start_waiters: Vec::new(),
            swap_waiters: Vec::new(),
            stop_waiters: Vec::new(),
            deferred: VecDeque::new(),
            shutdown: None,
            persist_job: None,
            reason: None,
            last_exit: None,
            since: Utc::now(),
        }
    }

    pub async fn run(mut self) {
        self.publish();
        loop {
            let event = {
                let current = self.current.clone();
                let exited = async move {
                    match current {
                        Some(i) => i.exited().await,
                        None => std::future::pending().await,
                    }
                };
                let backoff = sleep_opt(self.backoff.as_mut());
                tokio::select! {
                    cmd = self.rx.recv(), if self.shutdown.is_none() => Event::Command(cmd),
                    res = maybe(self.launching.as_mut().map(|l| &mut l.handshake)) => Event::Launched(res),
                    info = exited => Event::Exited(info),
                    () = backoff => Event::BackoffElapsed,
                    info = maybe(self.stopping.as_mut()) => Event::Stopped(info),
                    Some(_) = self.retiring.join_next(), if !self.retiring.is_empty() => Event::Retired,
                }
            };
            match event {
                Event::Command(Some(cmd)) => self.on_command(cmd).await,
                Event::Command(None) => return,
                Event::Launched(res) => self.on_launched(res).await,
                Event::Exited(info) => self.on_exit(info),
                Event::BackoffElapsed => {
                    self.backoff = None;
                    self.next_retry_at = None;
                    self.restarts += 1;
                    self.launch(Purpose::Retry).await;
                }
                Event::Stopped(info) => self.on_stopped(info).await,
                Event::Retired => self.retiring_instances.retain(|i| !i.has_exited()),
            }
            // Starting, stopping and reaping leave freed buffers behind (handshakes, pipes).
            bkgd_base::memory::after_work();
            if self.shutdown.is_some() && self.is_settled() {
                while self.retiring.join_next().await.is_some() {}
                if let Some(done) = self.shutdown.take() {
                    let _ = done.send(());
                }
                return;
            }
        }
    }

    /// No process of this plugin is starting, running or stopping.
    fn is_settled(&self) -> bool {
        self.current.is_none() && self.launching.is_none() && self.stopping.is_none()
    }

    async fn on_command(&mut self, cmd: Command) {
        use PluginState::*;
        match cmd {
            Command::Start(reply, audit) => match self.state {
                Running => {
                    let _ = reply.send(Ok(self.status()));
                }
                Starting => self.start_waiters.push(reply),
                Stopping => self.deferred.push_back(Command::Start(reply, audit)),
                Stopped | Failed | Backoff if self.h.runtime_missing().is_some() => {
                    // Installing is an admin's explicit step, never a surprise at start.
                    let why = self.h.runtime_missing().unwrap_or_default();
                    self.set_state(Failed, Some(why.clone()));
                    let _ = reply.send(Err(SupervisorError::RuntimeMissing(why)));
                }
                Stopped | Failed | Backoff => {
                    self.persist(DesiredState::Running, audit);
                    self.backoff = None;
                    self.next_retry_at = None;
                    self.fast_failures = 0;
                    self.restarts = 0;
                    self.start_waiters.push(reply);
                    self.launch(Purpose::Start).await;
                }
            },
            Command::Restart(reply) => match self.state {
                Running if self.launching.is_none() => {
                    self.swap_waiters.push(reply);
                    self.launch(Purpose::Swap).await;
                }
                Running => self.swap_waiters.push(reply),
                _ => self.deferred_or_start(reply).await,
            },
            Command::Stop(reply, audit) => {
                self.persist(DesiredState::Stopped, audit);
                self.stop_waiters.push(reply);
                self.begin_stop("stopped by request").await;
            }
            Command::Shutdown(done) => {
                self.shutdown = Some(done);
                self.begin_stop("daemon shutting down").await;
                for inst in &self.retiring_instances {
                    let inst = inst.clone();
                    let stop = self.stop_timeout();
                    self.retiring.spawn(async move {
                        inst.terminate(stop).await;
                    });
                }
            }
        }
    }

    async fn deferred_or_start(&mut self, reply: Reply) {
        if self.state == PluginState::Stopping {
            self.deferred.push_back(Command::Start(reply, None));
        } else {
            Box::pin(self.on_command(Command::Start(reply, None))).await;
        }
    }

    fn stop_timeout(&self) -> Duration {
        Duration::from_millis(self.h.loaded.manifest.timeouts.stop_ms)
    }

    /// Begins stopping whatever runs; answers stop waiters at once when nothing does.
    async fn begin_stop(&mut self, why: &str) {
        self.backoff = None;
        self.next_retry_at = None;
        let stop = self.stop_timeout();
        if let Some(l) = self.launching.take() {
            fail_waiters(
                std::mem::take(&mut self.start_waiters),
                SupervisorError::Conflict(format!("{why} before it finished starting")),
            );
            fail_waiters(
                std::mem::take(&mut self.swap_waiters),
                SupervisorError::Conflict(format!("{why} during the restart")),
            );
            let pending = l.pending;
            let old = self.current.take();
            self.h.set_current(None);
            self.stopping = Some(Box::pin(async move {
                if let Some(old) = old {
                    old.terminate(stop).await;
                }
                pending.terminate(stop).await
            }));
        } else if let Some(inst) = self.current.take() {
            self.h.set_current(None);
            self.running_since = None;
            self.stopping = Some(Box::pin(async move { inst.terminate(stop).await }));
        } else if self.stopping.is_none() {
            self.set_state(PluginState::Stopped, None);
            self.persisted().await;
            for w in std::mem::take(&mut self.stop_waiters) {
                let _ = w.send(Ok(self.status()));
            }
            return;
        }
        self.set_state(PluginState::Stopping, Some(why.to_string()));
    }

    async fn on_stopped(&mut self, info: ExitInfo) {
        self.stopping = None;
        self.h.logs().note(
            &self.h.id,
            info.run,
            LogLevel::Info,
            format!("stopped ({})", describe_exit(Some(&info))),
        );
        self.last_exit = Some(info);
        self.h.revoke_identity().await;
        self.set_state(PluginState::Stopped, None);
        self.persisted().await;
        for w in std::mem::take(&mut self.stop_waiters) {
            let _ = w.send(Ok(self.status()));
        }
        while let Some(cmd) = self.deferred.pop_front() {
            if self.shutdown.is_some() {
                if let Command::Start(r, _) | Command::Restart(r) | Command::Stop(r, _) = cmd {
                    let _ = r.send(Err(SupervisorError::ShuttingDown));
                }
                continue;
            }
            Box::pin(self.on_command(cmd)).await;
        }
    }

    async fn launch(&mut self, purpose: Purpose) {
        self.run += 1;
        let run = self.run;
        let m = &self.h.loaded.manifest;
        let spec = instance::process_spec(
            &m.command,
            &self.h.loaded.base_dir,
            m.cwd.as_deref(),
            self.h.process_env(run),
        );
        let handshake = Duration::from_millis(m.timeouts.handshake_ms);
        let api = match self.h.grant_identity().await {
            Ok(api) => api,
            Err(e) => return self.launch_failed(purpose, LaunchError::Identity(e), 0).await,
        };
        let ctx = self.h.ctx().clone();
        let spawned = instance::spawn(
            ctx,
            self.h.stats.clone(),
            self.h.id.clone(),
            run,
            instance::Launch { spec, config: self.h.config(), paths: self.h.paths(), api },
            handshake,
        )
        .await;
        match spawned {
            Ok((pending, fut)) => {
                self.h.logs().note(
                    &self.h.id,
                    run,
                    LogLevel::Info,
                    format!("spawned pid {} (run {run})", pending.pid),
                );
                self.launching = Some(Launching { purpose, pending, handshake: Box::pin(fut) });
                if purpose != Purpose::Swap {
                    self.set_state(PluginState::Starting, None);
                }
            }
            Err(e) => self.launch_failed(purpose, e, 0).await,
        }
    }

    async fn on_launched(&mut self, res: Result<Arc<Instance>, LaunchError>) {
        let Some(l) = self.launching.take() else { return };
        match res {
            Ok(inst) => {
                let old = self.current.replace(inst.clone());
                self.h.set_current(Some(inst.clone()));
                self.running_since = Some(Instant::now());
                inst.note(
                    LogLevel::Info,
                    format!(
                        "running: {} {} (protocol {}, pid {})",
                        inst.hello.name, inst.hello.version, inst.hello.protocol, inst.pid
                    ),
                );
                if let Some(old) = old {
                    self.retire(old);
                }
                self.set_state(PluginState::Running, None);
                self.persisted().await;
                let status = self.status();
                for w in std::mem::take(&mut self.start_waiters)
                    .into_iter()
                    .chain(std::mem::take(&mut self.swap_waiters))
                {
                    let _ = w.send(Ok(status.clone()));
                }
            }
            Err(e) => {
                let stop = Duration::from_millis(200).min(self.stop_timeout());
                let info = l.pending.terminate(stop).await;
                let run = info.run;
                if l.purpose != Purpose::Swap {
                    self.last_exit = Some(info);
                }
                self.launch_failed(l.purpose, e, run).await;
            }
        }
    }

    /// Lets the old instance finish its calls in flight, then stops it (hot swap).
    fn retire(&mut self, old: Arc<Instance>) {
        let drain = Duration::from_millis(self.h.loaded.manifest.timeouts.drain_ms);
        let stop = self.stop_timeout();
        self.retiring_instances.push(old.clone());
        self.retiring.spawn(async move {
            let left = old.drain(drain).await;
            if left > 0 {
                old.note(
                    LogLevel::Warn,
                    format!("{left} calls still in flight after {} ms; stopping anyway", drain.as_millis()),
                );
            }
            let info = old.terminate(stop).await;
            old.note(
                LogLevel::Info,
                format!("previous instance (run {}) {} after the swap", old.run, describe_exit(Some(&info))),
            );
        });
    }

    async fn launch_failed(&mut self, purpose: Purpose, e: LaunchError, run: u64) {
        let message = e.to_string();
        self.h.logs().note(
            &self.h.id,
            run.max(self.run),
            LogLevel::Error,
            format!("start failed: {message}"),
        );
        if purpose == Purpose::Swap {
            // The old instance keeps serving.
            for w in std::mem::take(&mut self.swap_waiters) {
                let _ = w.send(Err(SupervisorError::StartFailed(format!(
                    "{message}; the previous instance keeps running"
                ))));
            }
            return;
        }
        self.failure(message.clone(), Duration::ZERO);
        self.persisted().await;
        let err = match self.state {
            PluginState::Backoff => SupervisorError::StartFailed(format!(
                "{}; retrying in {} ms",
                message,
                self.next_retry_at.map(|t| (t - Utc::now()).num_milliseconds().max(0)).unwrap_or(0)
            )),
            _ => SupervisorError::StartFailed(self.reason.clone().unwrap_or(message)),
        };
        fail_waiters(std::mem::take(&mut self.start_waiters), err);
    }

    /// The current instance exited without being asked to.
    fn on_exit(&mut self, info: Option<ExitInfo>) {
        let Some(inst) = self.current.take() else { return };
        self.h.set_current(None);
        let ran = self.running_since.take().map(|t| t.elapsed()).unwrap_or_default();
        let what = describe_exit(info.as_ref());
        inst.note(LogLevel::Error, format!("process {what} after {} ms", ran.as_millis()));
        self.last_exit = info.clone();
        let clean = info.as_ref().is_some_and(|i| i.code == Some(0));
        match (self.h.loaded.manifest.restart.mode, clean) {
            (RestartMode::Never, true) | (RestartMode::OnFailure, true) => {
                self.set_state(PluginState::Stopped, Some(format!("process {what}")));
            }
            (RestartMode::Never, false) => {
                self.set_state(PluginState::Failed, Some(format!("process {what}")))
            }
            _ => self.failure(format!("process {what}"), ran),
        }
    }

    /// Applies the restart policy after a failure of a run that lasted `ran`.
    fn failure(&mut self, what: String, ran: Duration) {
        let policy = self.h.loaded.manifest.restart.clone();
        if ran >= Duration::from_millis(policy.stable_after_ms) {
            self.fast_failures = 0;
        } else {
            self.fast_failures += 1;
        }
        if policy.mode == RestartMode::Never {
            self.set_state(PluginState::Failed, Some(what));
            return;
        }
        if self.fast_failures >= policy.max_fast_failures {
            let reason = format!("gave up after {} fast failures in a row; last: {what}", self.fast_failures);
            self.h.logs().note(&self.h.id, self.run, LogLevel::Error, reason.clone());
            self.set_state(PluginState::Failed, Some(reason));
            return;
        }
        let attempt = self.fast_failures.saturating_sub(1);
        let delay = Duration::from_millis(policy.jittered_delay_ms(attempt, rand::random::<f64>()));
        self.h.logs().note(
            &self.h.id,
            self.run,
            LogLevel::Warn,
            format!(
                "restarting in {} ms (attempt {} of {})",
                delay.as_millis(),
                self.fast_failures + 1,
                policy.max_fast_failures
            ),
        );
        self.backoff = Some(Box::pin(tokio::time::sleep(delay)));
        self.next_retry_at = Some(Utc::now() + chrono::Duration::milliseconds(delay.as_millis() as i64));
        self.set_state(PluginState::Backoff, Some(what));
    }

    /// Persists the desired state in the background, after any earlier write, so the database
    /// round trip overlaps with starting or stopping the process.
    fn persist(&mut self, desired: DesiredState, audit: Option<NewAuditEvent>) {
        self.h.set_desired(desired);
        let h = self.h.clone();
        let earlier = self.persist_job.take();
        self.persist_job = Some(tokio::spawn(async move {
            if let Some(earlier) = earlier {
                let _ = earlier.await;
            }
            if let Err(e) = h.ctx().store.set_desired_state(&h.id, desired, audit.as_ref()).await {
                tracing::error!(plugin = %h.id, error = %e, "cannot persist the desired state");
            }
        }));
    }

    /// Waits until the desired state is on disk (before an answer says it is).
    async fn persisted(&mut self) {
        if let Some(job) = self.persist_job.take() {
            let _ = job.await;
        }
    }

    fn set_state(&mut self, state: PluginState, reason: Option<String>) {
        if state != self.state {
            self.since = Utc::now();
        }
        self.state = state;
        self.reason = reason;
        self.publish();
    }

    fn status(&self) -> PluginStatus {
        PluginStatus {
            id: self.h.id.to_string(),
            status: self.state,
            desired: self.h.desired(),
            pid: self.current.as_ref().map(|i| i.pid).or(self
                .launching
                .as_ref()
                .filter(|l| l.purpose != Purpose::Swap)
                .map(|l| l.pending.pid)),
            run: self.current.as_ref().map(|i| i.run).unwrap_or(self.run),
            uptime: self.running_since.map(|t| t.elapsed().as_secs()).unwrap_or(0),
            restarts: self.restarts,
            reason: self.reason.clone(),
            last_exit: self.last_exit.clone(),
            next_retry_at: self.next_retry_at,
            since: self.since,
        }
    }

    fn publish(&self) {
        let status = self.status();
        self.h.set_status(status.clone(), self.running_since);
        self.h.ctx().hub.publish_status(&status);
    }
}

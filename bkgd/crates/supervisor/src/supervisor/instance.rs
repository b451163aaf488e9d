//! One plugin process ("instance") from spawn to reaping: the handshake, the protocol I/O
//! tasks, the table of calls in flight, draining and termination.
//!
//! Tasks per instance: a stdin writer (the only writer of the pipe, batching messages), a stdout
//! reader (routes protocol messages to calls in flight), a stderr reader (the log stream), and a
//! waiter that reaps the process and publishes its exit.

use std::collections::HashMap;
use std::os::fd::AsFd;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bkg_core::logs::LogLevel;
use bkg_core::plugin::{CapabilitySpec, ExitInfo};
use bkg_core::protocol::{
    DaemonHello, DaemonMessage, PROTOCOL_VERSION, PluginHello, PluginMessage, ProtocolError, feature,
};
use chrono::Utc;
use futures_util::StreamExt;
use nix::sys::signal::Signal;
use parking_lot::Mutex;
use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::sync::{Notify, mpsc, watch};
use tokio_util::codec::FramedRead;

use super::Ctx;
use super::callbacks;
use super::calls::Origin;
use super::lines::{Line, ProtocolLines};
use super::spawn::ProcessSpec;
use super::stats::Stats;

/// Largest protocol line a plugin may send (results can be large: embeddings, documents).
const MAX_PROTOCOL_LINE: usize = bkg_core::ndjson::MAX_LINE;

/// What a call in flight receives.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Chunk(Value),
    Result(Value),
    Error(ProtocolError),
    /// The process went away (crash, stop) before answering.
    Gone(String),
}

#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    #[error("cannot start {program}: {source}")]
    Spawn { program: String, source: std::io::Error },
    #[error("exited during the handshake ({0})")]
    ExitedEarly(String),
    #[error("did not complete the handshake within {0} ms")]
    HandshakeTimeout(u64),
    #[error("protocol error in the handshake: {0}")]
    Protocol(String),
    #[error("speaks protocol {0}, this daemon speaks {PROTOCOL_VERSION} (majors must match)")]
    Incompatible(String),
    #[error("cannot prepare its data folder: {0}")]
    DataDir(String),
    #[error("{0}")]
    Identity(String),
}

/// The folders a plugin may use: its own (created private before each spawn) and the ones an
/// admin allowed it. Told to the plugin in the hello and in `BKG_PLUGIN_DATA_DIR`.
#[derive(Debug, Clone)]
pub struct PluginPaths {
    pub data_dir: PathBuf,
    pub allowed: Vec<PathBuf>,
}

/// What a new process of a plugin starts with: its process, and what its hello tells it.
#[derive(Debug)]
pub struct Launch {
    pub spec: ProcessSpec,
    pub config: Value,
    pub paths: PluginPaths,
    /// The daemon's API with the plugin's service identity, when its manifest asks for one.
    pub api: Option<bkg_core::protocol::DaemonApi>,
}

#[derive(Debug, Default)]
struct Calls {
    next_id: u64,
    pending: HashMap<u64, mpsc::UnboundedSender<Reply>>,
    /// Who each invocation in flight is for (plugin-to-plugin calls made for it look it up).
    origins: HashMap<u64, Arc<Origin>>,
    draining: bool,
    gone: Option<String>,
}

/// The call table was closed to new calls (the instance is being retired or has exited); the
/// input comes back so the caller can retry on the instance that replaced this one.
#[derive(Debug)]
pub struct Closed(pub Value);

/// A running, handshaken plugin process.
pub struct Instance {
    pub plugin_id: Arc<str>,
    pub run: u64,
    pub pid: u32,
    pub hello: PluginHello,
    /// Features both sides support.
    pub features: Vec<String>,
    validators: HashMap<String, jsonschema::Validator>,
    tx: mpsc::UnboundedSender<DaemonMessage>,
    calls: Mutex<Calls>,
    /// The stderr reader's: a reply waits for the log lines written before it.
    log_gate: Arc<crate::logs::IngestGate>,
    idle: Notify,
    exit: watch::Receiver<Option<ExitInfo>>,
    pub spawned_at: Instant,
    ctx: Arc<Ctx>,
    stats: Arc<Stats>,
    next_config_id: AtomicU64,
}

impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Instance")
            .field("plugin_id", &self.plugin_id)
            .field("run", &self.run)
            .field("pid", &self.pid)
            .finish()
    }
}

/// A spawned process whose handshake has not completed yet. Dropping it does not kill the
/// process; [`Pending::kill`] does.
pub struct Pending {
    pub pid: u32,
    pub run: u64,
    pub exit: watch::Receiver<Option<ExitInfo>>,
    ctx: Arc<Ctx>,
}

impl Pending {
    /// SIGTERM to the group, SIGKILL after `stop`; returns once the process has been reaped.
    pub async fn terminate(&self, stop: Duration) -> ExitInfo {
        terminate(&self.ctx, self.pid, self.exit.clone(), stop, None).await
    }
}

/// Spawns the process and returns it with the future that completes its handshake.
pub async fn spawn(
    ctx: Arc<Ctx>,
    stats: Arc<Stats>,
    plugin_id: Arc<str>,
    run: u64,
    Launch { spec, config, paths, api }: Launch,
    handshake_timeout: Duration,
) -> Result<(Pending, impl Future<Output = Result<Arc<Instance>, LaunchError>> + Send + 'static), LaunchError>
{
    crate::private_fs::dir(&paths.data_dir).map_err(|e| LaunchError::DataDir(format!("{e:#}")))?;
    let program = spec.program.display().to_string();
    let mut child = ctx
        .spawner
        .spawn(spec)
        .await
        .map_err(|source| LaunchError::Spawn { program: program.clone(), source })?;
    let pid = child.id();
    let stdin = child.stdin.take().expect("stdin is piped");
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let spawned_at = Instant::now();

    let log_gate = Arc::new(crate::logs::IngestGate::for_pipe(stderr.as_fd()));
    tokio::spawn(crate::logs::ingest_pipe(
        stderr,
        ctx.logs.clone(),
        plugin_id.clone(),
        run,
        log_gate.clone(),
    ));

    // The waiter: reap, clean up the group, publish the exit.
    let (exit_tx, exit_rx) = watch::channel(None);
    {
        let ctx = ctx.clone();
        let waiter_plugin = plugin_id.clone();
        tokio::spawn(async move {
            let status = child.wait().await;
            let (code, signal) = match &status {
                Ok(s) => {
                    use std::os::unix::process::ExitStatusExt;
                    (s.code(), s.signal())
                }
                Err(_) => (None, None),
            };
            ctx.spawner.group_ended(pid);
            // The run is over: the models it resolved are no longer in use by it.
            ctx.models.release(&waiter_plugin, run);
            let _ = exit_tx.send(Some(ExitInfo { code, signal, run, at: Utc::now() }));
            // After publishing the exit, and off the runtime's workers when the group has
            // processes left: scanning /proc takes a while, and a worker busy with it holds the
            // task the exit just woke (tokio's LIFO slot cannot be stolen), which added
            // milliseconds to every stop.
            if ctx.spawner.forget_empty_groups() {
                let spawner = ctx.spawner.clone();
                let _ = tokio::task::spawn_blocking(move || spawner.reap_adopted()).await;
            }
        });
    }

    let (tx, rx) = mpsc::unbounded_channel::<DaemonMessage>();
    tokio::spawn(write_stdin(stdin, rx));
    let hello = DaemonHello {
        protocol: PROTOCOL_VERSION,
        daemon_version: bkg_core::VERSION.to_string(),
        plugin_id: plugin_id.to_string(),
        run,
        features: daemon_features(),
        config,
        data_dir: Some(paths.data_dir.display().to_string()),
        allowed_paths: paths.allowed.iter().map(|p| p.display().to_string()).collect(),
        api,
    };
    let _ = tx.send(DaemonMessage::Hello(hello));

    let pending = Pending { pid, run, exit: exit_rx.clone(), ctx: ctx.clone() };
    let mut lines = FramedRead::new(stdout, ProtocolLines::new(MAX_PROTOCOL_LINE));
    let handshake = async move {
        let mut exit = exit_rx.clone();
        let read_hello = async {
            loop {
                match lines.next().await {
                    Some(Ok(Line::Bytes(line))) => {
                        return match bkg_core::ndjson::decode::<PluginMessage>(&line) {
                            None => continue,
                            Some(Ok(PluginMessage::Hello(h))) => Ok(h),
                            Some(Ok(other)) => {
                                Err(LaunchError::Protocol(format!("expected hello, got {}", kind(&other))))
                            }
                            Some(Err(e)) => Err(LaunchError::Protocol(format!(
                                "not a protocol message ({}): {}",
                                e.error, e.excerpt
                            ))),
                        };
                    }
                    Some(Ok(Line::TooLong)) => {
                        return Err(LaunchError::Protocol(format!(
                            "a line over {MAX_PROTOCOL_LINE} bytes instead of hello"
                        )));
                    }
                    Some(Err(e)) => return Err(LaunchError::Protocol(e.to_string())),
                    None => {
                        let info = exit.wait_for(Option::is_some).await.ok().and_then(|e| e.clone());
                        return Err(LaunchError::ExitedEarly(describe_exit(info.as_ref())));
                    }
                }
            }
        };
        let hello = tokio::time::timeout(handshake_timeout, read_hello)
            .await
            .map_err(|_| LaunchError::HandshakeTimeout(handshake_timeout.as_millis() as u64))??;
        if !hello.protocol.is_compatible_with(PROTOCOL_VERSION) {
            return Err(LaunchError::Incompatible(hello.protocol.to_string()));
        }
        let validators = compile_validators(&hello.capabilities)?;
        let ours = daemon_features();
        let features = hello.features.iter().filter(|f| ours.contains(f)).cloned().collect();
        let instance = Arc::new(Instance {
            plugin_id,
            run,
            pid,
            hello,
            features,
            validators,
            tx,
            calls: Mutex::new(Calls { next_id: 1, ..Default::default() }),
            log_gate,
            idle: Notify::new(),
            exit: exit_rx,
            spawned_at,
            ctx,
            stats,
            next_config_id: AtomicU64::new(1 << 62),
        });
        tokio::spawn(read_stdout(lines, Arc::downgrade(&instance), instance.exit.clone()));
        Ok(instance)
    };
    Ok((pending, handshake))
}

fn daemon_features() -> Vec<String> {
    [feature::CANCEL, feature::CONFIG_LIVE, feature::CALLBACKS, feature::METRICS].map(String::from).to_vec()
}

/// The validators of a hello's capabilities, compiled from the input schemas the plugin sent
/// (public for the fuzzer, which feeds it every hello it decodes).
pub fn compile_validators(
    caps: &[CapabilitySpec],
) -> Result<HashMap<String, jsonschema::Validator>, LaunchError> {
    caps.iter()
        .map(|c| {
            jsonschema::validator_for(&c.input_schema).map(|v| (c.name.clone(), v)).map_err(|e| {
                LaunchError::Protocol(format!("capability {:?} has an invalid input schema: {e}", c.name))
            })
        })
        .collect()
}

fn kind(m: &PluginMessage) -> &'static str {
    match m {
        PluginMessage::Hello(_) => "hello",
        PluginMessage::Chunk { .. } => "chunk",
        PluginMessage::Result { .. } => "result",
        PluginMessage::Error { .. } => "error",
        PluginMessage::Call { .. } => "call",
        PluginMessage::Metrics { .. } => "metrics",
        PluginMessage::Goodbye { .. } => "goodbye",
    }
}

pub fn describe_exit(info: Option<&ExitInfo>) -> String {
    match info {
        Some(ExitInfo { code: Some(c), .. }) => format!("exited with code {c}"),
        Some(ExitInfo { signal: Some(s), .. }) => {
            let name = Signal::try_from(*s).map(|s| s.as_str()).unwrap_or("unknown signal");
            format!("killed by {name}")
        }
        _ => "exited".to_string(),
    }
}

/// The only writer of a plugin's stdin: takes what has queued up, writes it, flushes once.
async fn write_stdin(
    mut stdin: tokio::net::unix::pipe::Sender,
    mut rx: mpsc::UnboundedReceiver<DaemonMessage>,
) {
    let mut buf = Vec::with_capacity(16 * 1024);
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        while let Some(msg) = next {
            // Only non-string map keys fail to encode, which the protocol types do not have.
            let _ = bkg_core::ndjson::encode_into(&mut buf, &msg);
            next = if buf.len() < 1 << 20 { rx.try_recv().ok() } else { None };
        }
        if stdin.write_all(&buf).await.is_err() || stdin.flush().await.is_err() {
            return;
        }
        buf.clear();
    }
}

/// Routes what the plugin writes on stdout after the handshake.
async fn read_stdout(
    mut lines: FramedRead<tokio::net::unix::pipe::Receiver, ProtocolLines>,
    instance: std::sync::Weak<Instance>,
    mut exit: watch::Receiver<Option<ExitInfo>>,
) {
    // Bad lines are items (see `lines`): only the end of stdout or a read error ends this.
    while let Some(line) = lines.next().await {
        let Some(inst) = instance.upgrade() else { return };
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                inst.note(LogLevel::Warn, format!("cannot read stdout any more: {e}"));
                break;
            }
        };
        match line {
            Line::Bytes(line) => match bkg_core::ndjson::decode::<PluginMessage>(&line) {
                None => {}
                Some(Ok(msg)) => {
                    if matches!(msg, PluginMessage::Result { .. } | PluginMessage::Error { .. }) {
                        // The caller may read the log next: what the call wrote comes first.
                        inst.log_gate.catch_up().await;
                    }
                    inst.route(msg)
                }
                Some(Err(e)) => inst.note(
                    LogLevel::Warn,
                    format!("stdout line is not a protocol message ({}): {}", e.error, e.excerpt),
                ),
            },
            Line::TooLong => {
                inst.note(LogLevel::Warn, format!("stdout line over {MAX_PROTOCOL_LINE} bytes dropped"))
            }
        }
    }
    // EOF: wait for the exit to name the reason in the failed calls.
    let info = exit.wait_for(Option::is_some).await.ok().and_then(|e| e.clone());
    if let Some(inst) = instance.upgrade() {
        inst.fail_all(format!("plugin process {}", describe_exit(info.as_ref())));
    }
}

impl Instance {
    fn route(self: &Arc<Self>, msg: PluginMessage) {
        match msg {
            PluginMessage::Chunk { id, data } => self.deliver(id, Reply::Chunk(data), false),
            PluginMessage::Result { id, output } => self.deliver(id, Reply::Result(output), true),
            PluginMessage::Error { id, error } => self.deliver(id, Reply::Error(error), true),
            PluginMessage::Call { id, method, params } => {
                let this = self.clone();
                tokio::spawn(async move {
                    let (result, error) = match callbacks::handle(&this, &method, params).await {
                        Ok(v) => (Some(v), None),
                        Err(e) => (None, Some(e)),
                    };
                    let _ = this.tx.send(DaemonMessage::CallResult { id, result, error });
                });
            }
            PluginMessage::Metrics { counters } => {
                self.stats.set_counters(counters);
            }
            PluginMessage::Goodbye { reason } => {
                self.note(LogLevel::Info, format!("plugin said goodbye: {reason}"));
            }
            PluginMessage::Hello(_) => self.note(LogLevel::Warn, "second hello ignored".into()),
        }
    }

    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }

    /// Who invocation `id` (in flight) is for.
    pub fn origin_of(&self, id: u64) -> Option<Arc<Origin>> {
        self.calls.lock().origins.get(&id).cloned()
    }

    fn deliver(&self, id: u64, reply: Reply, last: bool) {
        let mut calls = self.calls.lock();
        if last {
            calls.origins.remove(&id);
        }
        let Some(tx) = (if last { calls.pending.remove(&id) } else { calls.pending.get(&id).cloned() })
        else {
            return; // cancelled or unknown: nobody waits for it
        };
        let _ = tx.send(reply);
        if last && calls.pending.is_empty() {
            self.idle.notify_waiters();
        }
    }

    fn fail_all(&self, reason: String) {
        let mut calls = self.calls.lock();
        calls.gone = Some(reason.clone());
        calls.origins.clear();
        for (_, tx) in calls.pending.drain() {
            let _ = tx.send(Reply::Gone(reason.clone()));
        }
        self.idle.notify_waiters();
    }

    /// Writes a daemon note into this plugin's log stream.
    pub fn note(&self, level: LogLevel, message: String) {
        self.ctx.logs.note(&self.plugin_id, self.run, level, message);
    }

    pub fn capabilities(&self) -> &[CapabilitySpec] {
        &self.hello.capabilities
    }

    pub fn capability(&self, name: &str) -> Option<&CapabilitySpec> {
        self.hello.capabilities.iter().find(|c| c.name == name)
    }

    /// Validates `input` against the capability's schema; the errors as `(pointer, message)`.
    pub fn validate(&self, capability: &str, input: &Value) -> Result<(), Vec<(String, String)>> {
        let Some(v) = self.validators.get(capability) else { return Ok(()) };
        let errors: Vec<(String, String)> =
            v.iter_errors(input).map(|e| (e.instance_path().to_string(), e.to_string())).take(20).collect();
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    pub fn has_feature(&self, f: &str) -> bool {
        self.features.iter().any(|x| x == f)
    }

    /// Starts a call. Fails with [`Closed`] when the instance is draining or gone, so the caller
    /// can retry on the instance that replaced it.
    pub fn begin(
        self: &Arc<Self>,
        capability: &str,
        input: Value,
        origin: Arc<Origin>,
    ) -> Result<Call, Closed> {
        let (tx, rx) = mpsc::unbounded_channel();
        let caller = Some(origin.caller());
        let id = {
            let mut calls = self.calls.lock();
            if calls.draining || calls.gone.is_some() {
                return Err(Closed(input));
            }
            let id = calls.next_id;
            calls.next_id += 1;
            calls.pending.insert(id, tx);
            calls.origins.insert(id, origin);
            id
        };
        let invoke = DaemonMessage::Invoke { id, capability: capability.to_string(), input, caller };
        if let Err(e) = self.tx.send(invoke) {
            let mut calls = self.calls.lock();
            calls.pending.remove(&id);
            calls.origins.remove(&id);
            let DaemonMessage::Invoke { input, .. } = e.0 else { unreachable!("we sent an invoke") };
            return Err(Closed(input));
        }
        Ok(Call { id, rx, instance: self.clone(), finished: false })
    }

    /// Sends a new configuration through the protocol and waits for the plugin's answer.
    pub async fn configure(&self, config: Value, timeout: Duration) -> Result<(), String> {
        let id = self.next_config_id.fetch_add(1, Ordering::Relaxed);
        let (tx, mut rx) = mpsc::unbounded_channel();
        self.calls.lock().pending.insert(id, tx);
        if self.tx.send(DaemonMessage::Configure { id, config }).is_err() {
            self.calls.lock().pending.remove(&id);
            return Err("the plugin process is gone".into());
        }
        match tokio::time::timeout(timeout, rx.recv()).await {
            Ok(Some(Reply::Result(_))) => Ok(()),
            Ok(Some(Reply::Error(e))) => Err(format!("{}: {}", e.code, e.message)),
            Ok(Some(Reply::Gone(reason))) => Err(reason),
            Ok(Some(Reply::Chunk(_)) | None) => Err("the plugin did not answer the configure request".into()),
            Err(_) => {
                self.calls.lock().pending.remove(&id);
                Err(format!("the plugin did not answer within {} ms", timeout.as_millis()))
            }
        }
    }

    /// Calls in flight.
    pub fn in_flight(&self) -> usize {
        self.calls.lock().pending.len()
    }

    /// Closes the instance to new calls and waits until the calls in flight are done (or the
    /// timeout passes). Returns how many were still in flight at the end.
    pub async fn drain(&self, timeout: Duration) -> usize {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.idle.notified();
            {
                let mut calls = self.calls.lock();
                calls.draining = true;
                if calls.pending.is_empty() {
                    return 0;
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.in_flight();
            }
        }
    }

    /// Says goodbye, then SIGTERM to the group and SIGKILL after `stop`; returns once reaped.
    pub async fn terminate(&self, stop: Duration) -> ExitInfo {
        self.calls.lock().draining = true;
        terminate(&self.ctx, self.pid, self.exit.clone(), stop, Some(&self.tx)).await
    }

    /// Resolves when the process has exited.
    pub async fn exited(&self) -> Option<ExitInfo> {
        let mut exit = self.exit.clone();
        exit.wait_for(Option::is_some).await.ok().and_then(|e| e.clone())
    }

    pub fn has_exited(&self) -> bool {
        self.exit.borrow().is_some()
    }
}

async fn terminate(
    ctx: &Ctx,
    pid: u32,
    mut exit: watch::Receiver<Option<ExitInfo>>,
    stop: Duration,
    tx: Option<&mpsc::UnboundedSender<DaemonMessage>>,
) -> ExitInfo {
    if let Some(info) = exit.borrow().clone() {
        return info;
    }
    if let Some(tx) = tx {
        let _ = tx.send(DaemonMessage::Goodbye { reason: "stopping".into() });
    }
    ctx.spawner.signal_group(pid, Signal::SIGTERM);
    let exited = tokio::time::timeout(stop, exit.wait_for(Option::is_some)).await.is_ok();
    if !exited {
        ctx.spawner.signal_group(pid, Signal::SIGKILL);
    }
    let info = exit.wait_for(Option::is_some).await.ok().and_then(|e| e.clone());
    info.unwrap_or(ExitInfo { code: None, signal: None, run: 0, at: Utc::now() })
}

/// A call in flight. Dropping it before the final reply cancels the call in the plugin.
pub struct Call {
    pub id: u64,
    rx: mpsc::UnboundedReceiver<Reply>,
    instance: Arc<Instance>,
    finished: bool,
}

impl Call {
    pub fn run(&self) -> u64 {
        self.instance.run
    }

    /// The next reply; after a final one (`Result`, `Error`, `Gone`) it returns `None`.
    pub async fn next(&mut self) -> Option<Reply> {
        if self.finished {
            return None;
        }
        let reply = self.rx.recv().await.unwrap_or_else(|| Reply::Gone("the plugin process is gone".into()));
        if !matches!(reply, Reply::Chunk(_)) {
            self.finished = true;
        }
        Some(reply)
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let mut calls = self.instance.calls.lock();
        calls.origins.remove(&self.id);
        if calls.pending.remove(&self.id).is_some() {
            if self.instance.has_feature(feature::CANCEL) {
                let _ = self.instance.tx.send(DaemonMessage::Cancel { id: self.id });
            }
            if calls.pending.is_empty() {
                self.instance.idle.notify_waiters();
            }
        }
    }
}

/// Resolves a manifest command into what to spawn.
pub fn process_spec(
    command: &[String],
    base: &std::path::Path,
    cwd: Option<&str>,
    env: Vec<(String, String)>,
) -> ProcessSpec {
    let program = PathBuf::from(&command[0]);
    let program =
        if program.components().count() > 1 && program.is_relative() { base.join(program) } else { program };
    ProcessSpec {
        program,
        args: command[1..].to_vec(),
        env,
        cwd: cwd.map(|c| base.join(c)).unwrap_or_else(|| base.to_path_buf()),
    }
}

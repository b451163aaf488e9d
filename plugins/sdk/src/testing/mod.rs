//! A test harness for plugin authors: [`TestDaemon`] plays the daemon's side of the protocol
//! against a plugin, either a real process (any language, spawned like the daemon spawns it)
//! or a [`crate::Plugin`] in the test's own process. Tests invoke capabilities, read chunks and
//! results, cancel, configure, answer the plugin's callbacks from a [`MemoryStore`], send
//! goodbye and check the exit. Every wait has a deadline (30 s by default), so a broken plugin
//! fails the test instead of hanging it; nothing waits by sleeping.
//!
//! ```no_run
//! # async fn demo() -> Result<(), bkg_plugin_sdk::testing::HarnessError> {
//! use bkg_plugin_sdk::testing::TestDaemon;
//! use serde_json::json;
//!
//! let mut plugin = TestDaemon::new().start(["./my-plugin"]).await?;
//! let outcome = plugin.invoke("echo", json!({"a": 1})).await?;
//! assert_eq!(outcome.output(), &json!({"a": 1}));
//! plugin.goodbye("test over").await?;
//! assert!(plugin.wait_exit().await?.success());
//! # Ok(()) }
//! ```

mod connection;
mod invocation;
mod process;
mod store;

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use bkg_core::protocol::{
    DaemonHello, PROTOCOL_VERSION, PluginHello, ProtocolError, ProtocolVersion, feature,
};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

pub use connection::Connection;
pub use invocation::{Invocation, Outcome, Reply};
pub use nix::sys::signal::Signal;
pub use process::PluginProcess;
pub use store::MemoryStore;

use crate::error::RunError;
use crate::plugin::Plugin;

/// Answers a plugin's `call`: `(method, params) -> result or error`.
pub type CallHandler = Arc<dyn Fn(&str, Value) -> Result<Value, ProtocolError> + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    #[error("could not spawn the plugin: {0}")]
    Spawn(std::io::Error),
    #[error("timed out after {after:?} waiting for {what}")]
    Timeout { what: String, after: Duration },
    #[error("closed: {what}")]
    Closed { what: String },
    #[error("protocol violation: {0}")]
    Protocol(String),
    #[error("the plugin speaks protocol {plugin}, the harness {ours}")]
    Incompatible { plugin: ProtocolVersion, ours: ProtocolVersion },
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// The daemon side's settings: what its hello says, how long waits may take, how callbacks are
/// answered, and the environment of spawned plugins.
#[derive(Clone)]
pub struct TestDaemon {
    hello: DaemonHello,
    timeout: Duration,
    store: MemoryStore,
    calls: Option<CallHandler>,
    env: Vec<(OsString, OsString)>,
    cwd: Option<PathBuf>,
}

impl Default for TestDaemon {
    fn default() -> Self {
        Self::new()
    }
}

impl TestDaemon {
    /// A daemon offering every feature, with plugin id `test`, run 1 and config `{}`.
    pub fn new() -> Self {
        TestDaemon {
            hello: DaemonHello {
                protocol: PROTOCOL_VERSION,
                daemon_version: format!("bkg-plugin-sdk-harness/{}", env!("CARGO_PKG_VERSION")),
                plugin_id: "test".into(),
                run: 1,
                features: [feature::CANCEL, feature::CONFIG_LIVE, feature::CALLBACKS, feature::METRICS]
                    .map(str::to_owned)
                    .to_vec(),
                config: json!({}),
                data_dir: None,
                allowed_paths: Vec::new(),
                api: None,
            },
            timeout: Duration::from_secs(30),
            store: MemoryStore::new(),
            calls: None,
            env: Vec::new(),
            cwd: None,
        }
    }

    pub fn plugin_id(mut self, id: impl Into<String>) -> Self {
        self.hello.plugin_id = id.into();
        self
    }

    pub fn run(mut self, run: u64) -> Self {
        self.hello.run = run;
        self
    }

    pub fn config(mut self, config: Value) -> Self {
        self.hello.config = config;
        self
    }

    /// The plugin's data folder the hello names (none by default), and folders an admin
    /// allowed it; see `Session::resolve_path`.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>, allowed: &[PathBuf]) -> Self {
        self.hello.data_dir = Some(dir.into().display().to_string());
        self.hello.allowed_paths = allowed.iter().map(|p| p.display().to_string()).collect();
        self
    }

    /// The features the daemon offers (all four by default).
    pub fn features<I, S>(mut self, features: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.hello.features = features.into_iter().map(Into::into).collect();
        self
    }

    pub fn protocol(mut self, protocol: ProtocolVersion) -> Self {
        self.hello.protocol = protocol;
        self
    }

    /// The deadline of every wait (30 s by default: generous, since CI machines are slow, and
    /// only reached when a plugin is broken).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Answers callbacks with `handler` instead of the built-in [`MemoryStore`].
    pub fn call_handler(
        mut self,
        handler: impl Fn(&str, Value) -> Result<Value, ProtocolError> + Send + Sync + 'static,
    ) -> Self {
        self.calls = Some(Arc::new(handler));
        self
    }

    /// The store that answers callbacks by default, to look at what a plugin stored.
    pub fn store(&self) -> &MemoryStore {
        &self.store
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env.push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    pub fn current_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cwd = Some(dir.into());
        self
    }

    fn call_handler_or_store(&self) -> CallHandler {
        match &self.calls {
            Some(handler) => handler.clone(),
            None => {
                let store = self.store.clone();
                Arc::new(move |method, params| store.handle(method, params))
            }
        }
    }

    /// Spawns `argv` with piped stdio in a new process group, without the handshake. Call it
    /// inside a tokio runtime (a `#[tokio::test]`): the pipes are read by tasks.
    pub fn spawn<I, S>(&self, argv: I) -> Result<PluginProcess, HarnessError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut argv = argv.into_iter();
        let program = argv.next().ok_or_else(|| HarnessError::Spawn(std::io::Error::other("empty argv")))?;
        let mut cmd = tokio::process::Command::new(program.as_ref());
        cmd.args(argv)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .kill_on_drop(true);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        if let Some(dir) = &self.cwd {
            cmd.current_dir(dir);
        }
        let mut child = cmd.spawn().map_err(HarnessError::Spawn)?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(HarnessError::Spawn(std::io::Error::other("stdio was not piped")));
        };
        let conn =
            Connection::new(stdout, stdin, self.hello.clone(), self.call_handler_or_store(), self.timeout);
        PluginProcess::new(conn, child, self.timeout)
    }

    /// Spawns `argv` and completes the handshake; fails when the plugin's protocol is
    /// incompatible, as the daemon would.
    pub async fn start<I, S>(&self, argv: I) -> Result<PluginProcess, HarnessError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let process = self.spawn(argv)?;
        check_compatible(&process.handshake().await?)?;
        Ok(process)
    }

    /// Runs `plugin` on a task of the current tokio runtime over in-memory pipes, without the
    /// handshake.
    pub fn connect(&self, plugin: Plugin) -> InProcessPlugin {
        let (daemon_end, plugin_end) = tokio::io::duplex(256 * 1024);
        let (plugin_read, plugin_write) = tokio::io::split(plugin_end);
        let (daemon_read, daemon_write) = tokio::io::split(daemon_end);
        let task = tokio::spawn(plugin.serve(plugin_read, plugin_write));
        let conn = Connection::new(
            daemon_read,
            daemon_write,
            self.hello.clone(),
            self.call_handler_or_store(),
            self.timeout,
        );
        InProcessPlugin { conn, task, timeout: self.timeout }
    }

    /// [`TestDaemon::connect`] plus the handshake.
    pub async fn start_in_process(&self, plugin: Plugin) -> Result<InProcessPlugin, HarnessError> {
        let running = self.connect(plugin);
        check_compatible(&running.handshake().await?)?;
        Ok(running)
    }
}

fn check_compatible(hello: &PluginHello) -> Result<(), HarnessError> {
    if PROTOCOL_VERSION.is_compatible_with(hello.protocol) {
        Ok(())
    } else {
        Err(HarnessError::Incompatible { plugin: hello.protocol, ours: PROTOCOL_VERSION })
    }
}

/// A [`Plugin`] served on a task of the test's runtime.
pub struct InProcessPlugin {
    conn: Connection,
    task: JoinHandle<Result<(), RunError>>,
    timeout: Duration,
}

impl InProcessPlugin {
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Waits for `Plugin::serve` to return, i.e. the in-process "exit".
    pub async fn wait_exit(self) -> Result<Result<(), RunError>, HarnessError> {
        match tokio::time::timeout(self.timeout, self.task).await {
            Ok(Ok(result)) => Ok(result),
            Ok(Err(join)) => Err(HarnessError::Protocol(format!("the plugin task failed: {join}"))),
            Err(_) => Err(HarnessError::Timeout { what: "the plugin to return".into(), after: self.timeout }),
        }
    }
}

impl std::ops::Deref for InProcessPlugin {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        &self.conn
    }
}

//! `Plugin`: the builder a plugin's `main` fills with capabilities and hooks, and the entry
//! points that connect it to the daemon over stdin/stdout (or any pair of pipes, for tests).

use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;

use bkg_core::plugin::CapabilitySpec;
use bkg_core::protocol::{PluginMessage, feature};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite};

use crate::ctx::Ctx;
use crate::error::{PluginError, RunError};
use crate::session::Session;
use crate::transport;

pub(crate) type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;
pub(crate) type Handler = Arc<dyn Fn(Ctx, Value) -> BoxFuture<Result<Value, PluginError>> + Send + Sync>;
pub(crate) type ConfigureHandler = Arc<dyn Fn(Value) -> BoxFuture<Result<(), PluginError>> + Send + Sync>;
pub(crate) type ReadyHook = Box<dyn FnOnce(Session) -> BoxFuture<()> + Send>;

pub struct Plugin {
    pub(crate) name: String,
    pub(crate) version: String,
    /// In declaration order, which is the order the hello lists them in.
    pub(crate) capabilities: Vec<(CapabilitySpec, Handler)>,
    pub(crate) on_configure: Option<ConfigureHandler>,
    pub(crate) on_ready: Option<ReadyHook>,
    pub(crate) extra_features: Vec<String>,
}

impl Plugin {
    /// `name` and `version` are what the plugin reports in its hello (the daemon shows the
    /// version as the running version).
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        Plugin {
            name: name.into(),
            version: version.into(),
            capabilities: Vec::new(),
            on_configure: None,
            on_ready: None,
            extra_features: Vec::new(),
        }
    }

    /// Adds a capability. Each request runs `handler` on its own task; a panic in it becomes an
    /// `error` reply with code `panic`.
    ///
    /// # Panics
    /// When a capability of the same name was already added: that is a bug in the plugin, and
    /// failing at startup beats silently answering with the wrong handler.
    pub fn capability<F, Fut>(mut self, spec: impl Into<CapabilitySpec>, handler: F) -> Self
    where
        F: Fn(Ctx, Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, PluginError>> + Send + 'static,
    {
        let spec = spec.into();
        assert!(
            !self.capabilities.iter().any(|(s, _)| s.name == spec.name),
            "capability {:?} is declared twice",
            spec.name
        );
        let handler: Handler = Arc::new(move |ctx, input| Box::pin(handler(ctx, input)));
        self.capabilities.push((spec, handler));
        self
    }

    /// Applies configuration changes live (announces feature `config.live`). Configure requests
    /// run one at a time in arrival order; when the handler succeeds, the new config becomes the
    /// snapshot [`Session::config`] returns.
    pub fn on_configure<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), PluginError>> + Send + 'static,
    {
        self.on_configure = Some(Arc::new(move |config| Box::pin(handler(config))));
        self
    }

    /// Runs once after the handshake and before the first request is handled, e.g. to start a
    /// background task that reports metrics. Requests wait until it returns, so spawn anything
    /// long-running.
    pub fn on_ready<F, Fut>(mut self, hook: F) -> Self
    where
        F: FnOnce(Session) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.on_ready = Some(Box::new(move |session| Box::pin(hook(session))));
        self
    }

    /// Announces a protocol feature the SDK does not infer: `feature::CALLBACKS` to use
    /// [`Session::call`], `feature::METRICS` to send metrics. `cancel` is always announced (the
    /// SDK answers cancelled requests itself) and `config.live` comes with
    /// [`Plugin::on_configure`].
    pub fn feature(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        if !self.extra_features.contains(&name) {
            self.extra_features.push(name);
        }
        self
    }

    pub(crate) fn features(&self) -> Vec<String> {
        let mut features = vec![feature::CANCEL.to_owned()];
        if self.on_configure.is_some() {
            features.push(feature::CONFIG_LIVE.to_owned());
        }
        for f in &self.extra_features {
            if !features.contains(f) {
                features.push(f.clone());
            }
        }
        features
    }

    /// Speaks the protocol on stdin/stdout until the daemon says goodbye (after in-flight
    /// requests finished) or closes stdin (in-flight requests are cancelled). Call it once per
    /// process; never write to stdout yourself, it carries the protocol.
    ///
    /// Also installs a panic hook that logs panics as JSON `error` lines on stderr.
    pub async fn run(self) -> Result<(), RunError> {
        crate::log::install_panic_hook();
        let incoming = transport::stdin_reader()?;
        let outbox = transport::stdout_writer(transport::stdout_file()?)?;
        crate::serve::serve(self, incoming, outbox).await
    }

    /// [`Plugin::run`] on a new multi-threaded runtime, for a plain `fn main`.
    ///
    /// The handshake comes first, on this thread, before the runtime, the reader and the
    /// writer exist: the daemon counts a start until our hello, and making the runtime (a
    /// worker thread per core, the CPU quota read from cgroup files) and the two threads, then
    /// passing the hello from one to the next, was most of the plugin's share of it.
    pub fn run_blocking(self) -> Result<(), RunError> {
        crate::log::install_panic_hook();
        let mut out = transport::stdout_file()?;
        let daemon = crate::serve::daemon_hello(transport::first_message_blocking())?;
        // As `serve` does: the hello goes out even to an incompatible daemon.
        let hello = PluginMessage::Hello(crate::serve::hello_of(&self));
        let line = bkg_core::ndjson::encode(&hello).map_err(|e| RunError::Io(std::io::Error::other(e)))?;
        out.write_all(&line).map_err(|_| RunError::OutputClosed)?;
        crate::serve::check_protocol(&daemon)?;
        let incoming = transport::stdin_reader()?;
        let outbox = transport::stdout_writer(out)?;
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
        let result = runtime.block_on(crate::serve::session(self, daemon, incoming, outbox));
        // After stdin EOF, handlers that ignore cancellation may still be running; the daemon
        // is gone, so they must not keep the process alive.
        runtime.shutdown_background();
        result
    }

    /// The whole `fn main` of a plugin: [`Plugin::run_blocking`], with a fatal error (a broken
    /// pipe to the daemon, a failed handshake) written to stderr, the daemon's log of this
    /// plugin, and exit code 1.
    pub fn main(self) -> std::process::ExitCode {
        let name = self.name.clone();
        match self.run_blocking() {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{name}: {e}");
                std::process::ExitCode::FAILURE
            }
        }
    }

    /// Speaks the protocol over any pair of pipes instead of stdin/stdout, e.g. an in-process
    /// test through `tokio::io::duplex` (see [`crate::testing::TestDaemon::connect`]).
    pub async fn serve<R, W>(self, reader: R, writer: W) -> Result<(), RunError>
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let incoming = transport::async_reader(reader);
        let outbox = transport::spawn_writer(writer);
        crate::serve::serve(self, incoming, outbox).await
    }
}

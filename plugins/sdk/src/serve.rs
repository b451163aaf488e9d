//! The session loop: the handshake, then dispatch of the daemon's messages — each invocation
//! on its own task, cancels to their request, configures in order through one worker, call
//! results to their caller — until goodbye (drain, then return) or EOF without goodbye (cancel,
//! then return).

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use bkg_core::protocol::{
    Caller, DaemonHello, DaemonMessage, PROTOCOL_VERSION, PluginHello, PluginMessage, ProtocolError,
};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinError;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::ctx::Ctx;
use crate::error::{PluginError, RunError, codes};
use crate::log;
use crate::plugin::{ConfigureHandler, Handler, Plugin};
use crate::session::Session;
use crate::transport::{Incoming, Outbox};

type Inflight = Arc<Mutex<HashMap<u64, CancellationToken>>>;

pub(crate) async fn serve(
    plugin: Plugin,
    mut incoming: mpsc::Receiver<Incoming>,
    outbox: Outbox,
) -> Result<(), RunError> {
    let daemon = daemon_hello(incoming.recv().await)?;
    // The hello goes out even to an incompatible daemon, which can then name both versions
    // in its error instead of reporting a plugin that died silently.
    outbox.send(&PluginMessage::Hello(hello_of(&plugin))).await.map_err(|_| RunError::OutputClosed)?;
    outbox.sync().await.map_err(|_| RunError::OutputClosed)?;
    check_protocol(&daemon)?;
    session(plugin, daemon, incoming, outbox).await
}

/// The plugin's hello.
pub(crate) fn hello_of(plugin: &Plugin) -> PluginHello {
    PluginHello {
        protocol: PROTOCOL_VERSION,
        name: plugin.name.clone(),
        version: plugin.version.clone(),
        capabilities: plugin.capabilities.iter().map(|(spec, _)| spec.clone()).collect(),
        features: plugin.features(),
    }
}

/// The daemon's hello, from its first message (`None`: stdin closed before it).
pub(crate) fn daemon_hello(first: Option<Incoming>) -> Result<DaemonHello, RunError> {
    match first {
        None => Err(RunError::NoHello),
        Some(Ok(DaemonMessage::Hello(hello))) => Ok(hello),
        Some(Ok(other)) => Err(RunError::Handshake(format!("got a {} message", message_type(&other)))),
        Some(Err(e)) => Err(RunError::Handshake(e)),
    }
}

/// Whether this plugin can talk to the daemon; checked after our hello went out.
pub(crate) fn check_protocol(daemon: &DaemonHello) -> Result<(), RunError> {
    if PROTOCOL_VERSION.is_compatible_with(daemon.protocol) {
        Ok(())
    } else {
        Err(RunError::IncompatibleProtocol { daemon: daemon.protocol, ours: PROTOCOL_VERSION })
    }
}

/// Everything after the handshake: dispatch until goodbye or EOF.
pub(crate) async fn session(
    plugin: Plugin,
    daemon: DaemonHello,
    mut incoming: mpsc::Receiver<Incoming>,
    outbox: Outbox,
) -> Result<(), RunError> {
    let negotiated = plugin.features().into_iter().filter(|f| daemon.features.contains(f)).collect();
    let session = Session::new(daemon, negotiated, outbox.clone());
    let Plugin { capabilities, on_configure, on_ready, .. } = plugin;
    if let Some(hook) = on_ready {
        hook(session.clone()).await;
    }

    let tracker = TaskTracker::new();
    let configure_tx = on_configure.map(|handler| {
        let (tx, rx) = mpsc::unbounded_channel();
        tracker.spawn(configure_worker(rx, handler, session.clone()));
        tx
    });
    let mut dispatcher = Dispatcher {
        handlers: capabilities
            .into_iter()
            .map(|(spec, h)| (spec.name.clone(), (Arc::from(spec.name), h)))
            .collect(),
        inflight: Inflight::default(),
        tracker: tracker.clone(),
        session,
        configure_tx,
        draining: false,
    };
    loop {
        tokio::select! {
            msg = incoming.recv() => match msg {
                Some(Ok(msg)) => dispatcher.handle(msg).await,
                Some(Err(e)) => log::warn(format_args!("ignoring an invalid line from the daemon: {e}")),
                None if dispatcher.draining => {
                    // A daemon may close stdin right after its goodbye; it still reads our
                    // replies, so the drain goes on, but no call will be answered any more.
                    dispatcher.session.fail_calls();
                    tracker.wait().await;
                    break;
                }
                None => {
                    dispatcher.daemon_gone();
                    return Ok(());
                }
            },
            () = tracker.wait(), if dispatcher.draining => break,
        }
    }
    // Every reply is queued; make sure it reached the pipe before the process may exit.
    let _ = outbox.sync().await;
    Ok(())
}

fn message_type(msg: &DaemonMessage) -> String {
    serde_json::to_value(msg)
        .ok()
        .and_then(|v| v.get("type").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

struct Dispatcher {
    handlers: HashMap<String, (Arc<str>, Handler)>,
    inflight: Inflight,
    tracker: TaskTracker,
    session: Session,
    /// Dropped on goodbye so the configure worker finishes its queue and ends.
    configure_tx: Option<mpsc::UnboundedSender<(u64, Value)>>,
    draining: bool,
}

impl Dispatcher {
    async fn handle(&mut self, msg: DaemonMessage) {
        match msg {
            DaemonMessage::Hello(_) => log::warn("ignoring a second hello from the daemon"),
            DaemonMessage::Invoke { id, capability, input, caller } => {
                self.invoke(id, capability, input, caller).await
            }
            DaemonMessage::Cancel { id } => {
                // An unknown id is a request that already finished: its reply crossed the cancel.
                if let Some(token) = lock(&self.inflight).get(&id) {
                    token.cancel();
                }
            }
            DaemonMessage::Configure { id, config } => self.configure(id, config).await,
            DaemonMessage::CallResult { id, result, error } => {
                let reply = match error {
                    Some(error) => Err(error),
                    None => Ok(result.unwrap_or(Value::Null)),
                };
                self.session.complete_call(id, reply);
            }
            DaemonMessage::Goodbye { reason } => {
                let inflight = lock(&self.inflight).len();
                log::info(format_args!("goodbye from the daemon ({reason}); finishing {inflight} requests"));
                self.draining = true;
                self.configure_tx = None;
                self.tracker.close();
            }
        }
    }

    async fn invoke(&mut self, id: u64, capability: String, input: Value, caller: Option<Caller>) {
        if self.draining {
            return self
                .reply_error(id, PluginError::new(codes::SHUTTING_DOWN, "the plugin is stopping"))
                .await;
        }
        let Some((name, handler)) = self.handlers.get(&capability) else {
            let e =
                PluginError::new(codes::UNKNOWN_CAPABILITY, format!("no capability named {capability:?}"));
            return self.reply_error(id, e.client()).await;
        };
        let token = CancellationToken::new();
        let duplicate = {
            let mut inflight = lock(&self.inflight);
            let duplicate = inflight.contains_key(&id);
            if !duplicate {
                inflight.insert(id, token.clone());
            }
            duplicate
        };
        if duplicate {
            let e = PluginError::new(codes::DUPLICATE_ID, format!("request {id} is already in flight"));
            return self.reply_error(id, e).await;
        }
        let ctx = Ctx::new(id, name.clone(), caller, token.clone(), self.session.clone());
        let (name, handler) = (name.clone(), handler.clone());
        let inflight = self.inflight.clone();
        let outbox = self.session.outbox().clone();
        self.tracker.spawn(async move {
            // The handler runs on a task of its own so that a panic ends only that task and is
            // reported below; calling it inside the task also catches a handler that panics
            // before returning its future.
            let outcome = match tokio::spawn(async move { handler(ctx, input).await }).await {
                Ok(outcome) => outcome,
                Err(e) => Err(join_error(&name, e)),
            };
            lock(&inflight).remove(&id);
            let msg = match outcome {
                _ if token.is_cancelled() => error_message(id, PluginError::cancelled()),
                Ok(output) => PluginMessage::Result { id, output },
                Err(e) => error_message(id, e),
            };
            // A closed outbox means the daemon is gone; there is nobody left to tell.
            let _ = outbox.send(&msg).await;
        });
    }

    async fn configure(&mut self, id: u64, config: Value) {
        let refused = match &self.configure_tx {
            Some(tx) => {
                tx.send((id, config)).err().map(|_| PluginError::internal("the configure worker stopped"))
            }
            None if self.draining => Some(PluginError::new(codes::SHUTTING_DOWN, "the plugin is stopping")),
            None => {
                Some(PluginError::new(codes::UNSUPPORTED, "this plugin does not apply configuration live"))
            }
        };
        if let Some(e) = refused {
            self.reply_error(id, e).await;
        }
    }

    async fn reply_error(&self, id: u64, error: PluginError) {
        let _ = self.session.outbox().send(&error_message(id, error)).await;
    }

    /// stdin closed: nobody will read replies or answer calls any more.
    fn daemon_gone(&self) {
        for token in lock(&self.inflight).values() {
            token.cancel();
        }
        self.session.fail_calls();
    }
}

/// Applies configurations one at a time, in the order the daemon sent them, so the last one
/// sent is the one that sticks.
async fn configure_worker(
    mut rx: mpsc::UnboundedReceiver<(u64, Value)>,
    handler: ConfigureHandler,
    session: Session,
) {
    while let Some((id, config)) = rx.recv().await {
        let (h, c) = (handler.clone(), config.clone());
        let outcome = match tokio::spawn(async move { h(c).await }).await {
            Ok(outcome) => outcome,
            Err(e) => Err(join_error("configure", e)),
        };
        let msg = match outcome {
            Ok(()) => {
                // Updated before the reply so a request sent after it sees the new config.
                session.set_config(config);
                PluginMessage::Result { id, output: Value::Null }
            }
            Err(e) => error_message(id, e),
        };
        let _ = session.outbox().send(&msg).await;
    }
}

fn error_message(id: u64, error: PluginError) -> PluginMessage {
    PluginMessage::Error { id, error: ProtocolError::from(error) }
}

fn join_error(what: &str, e: JoinError) -> PluginError {
    if e.is_panic() {
        let payload = e.into_panic();
        PluginError::new(codes::PANIC, format!("{what} panicked: {}", panic_message(payload.as_ref())))
    } else {
        PluginError::internal(format!("{what} was aborted"))
    }
}

pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a non-string panic payload".to_owned()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

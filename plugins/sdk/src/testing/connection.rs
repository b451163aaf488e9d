//! `Connection`: the daemon's side of one plugin session in a test — sends the daemon's
//! messages, routes the plugin's replies to their request, answers the plugin's callbacks and
//! records metrics, stray stdout lines and goodbyes. Every wait has a deadline.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bkg_core::protocol::{DaemonHello, DaemonMessage, PluginHello, PluginMessage};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{Notify, mpsc};
use tokio::time::Instant;

use super::invocation::{Invocation, Outcome, Reply};
use super::{CallHandler, HarnessError};

#[derive(Clone)]
pub struct Connection {
    shared: Arc<Shared>,
    timeout: Duration,
}

struct Shared {
    /// `None` once the test closed the plugin's stdin.
    writer: tokio::sync::Mutex<Option<Box<dyn AsyncWrite + Send + Unpin>>>,
    state: Mutex<State>,
    changed: Notify,
    next_id: AtomicU64,
    hello: DaemonHello,
    calls: CallHandler,
}

#[derive(Default)]
struct State {
    hello: Option<PluginHello>,
    routes: HashMap<u64, mpsc::UnboundedSender<Reply>>,
    metrics: Vec<BTreeMap<String, f64>>,
    /// Lines on stdout that are not protocol messages.
    garbage: Vec<String>,
    /// Valid messages that fit no request: a second hello, a reply to an unknown id.
    unexpected: Vec<PluginMessage>,
    calls: Vec<(String, Value)>,
    goodbye: Option<String>,
    /// The plugin's stdout reached EOF.
    closed: bool,
}

impl Connection {
    pub(crate) fn new<R, W>(
        reader: R,
        writer: W,
        hello: DaemonHello,
        calls: CallHandler,
        timeout: Duration,
    ) -> Self
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let shared = Arc::new(Shared {
            writer: tokio::sync::Mutex::new(Some(Box::new(writer))),
            state: Mutex::new(State::default()),
            changed: Notify::new(),
            next_id: AtomicU64::new(1),
            hello,
            calls,
        });
        let conn = Connection { shared, timeout };
        tokio::spawn(conn.clone().read_loop(reader));
        conn
    }

    /// The same connection with another deadline for its waits, e.g. a short one to assert
    /// that something does not happen.
    pub fn with_timeout(&self, timeout: Duration) -> Connection {
        Connection { shared: self.shared.clone(), timeout }
    }

    /// The deadline of this connection's waits.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The daemon hello this connection sends.
    pub fn daemon_hello(&self) -> &DaemonHello {
        &self.shared.hello
    }

    /// Sends the daemon's hello and waits for the plugin's. The plugin's protocol version is
    /// not judged here, so tests can look at an incompatible hello.
    pub async fn handshake(&self) -> Result<PluginHello, HarnessError> {
        self.send(&DaemonMessage::Hello(self.shared.hello.clone())).await?;
        self.wait_hello().await
    }

    /// Waits for the plugin's hello (without sending the daemon's).
    pub async fn wait_hello(&self) -> Result<PluginHello, HarnessError> {
        self.wait_for("the plugin's hello", |s| s.hello.clone()).await
    }

    pub fn hello(&self) -> Option<PluginHello> {
        self.state().hello.clone()
    }

    /// A fresh request id (shared by invoke and configure, like the daemon's).
    pub fn next_id(&self) -> u64 {
        self.shared.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Sends `invoke` and returns a handle to read the replies.
    pub async fn start(&self, capability: &str, input: Value) -> Result<Invocation, HarnessError> {
        let id = self.next_id();
        let rx = self.route(id);
        self.send(&DaemonMessage::Invoke { id, capability: capability.to_owned(), input, caller: None })
            .await?;
        Ok(Invocation { id, rx, conn: self.clone() })
    }

    /// Invokes a capability and collects its chunks and final reply.
    pub async fn invoke(&self, capability: &str, input: Value) -> Result<Outcome, HarnessError> {
        self.start(capability, input).await?.finish().await
    }

    /// Sends `configure` and waits for the answer (a `result` with output `null`, or an error).
    pub async fn configure(&self, config: Value) -> Result<Outcome, HarnessError> {
        let id = self.next_id();
        let rx = self.route(id);
        self.send(&DaemonMessage::Configure { id, config }).await?;
        Invocation { id, rx, conn: self.clone() }.finish().await
    }

    pub async fn goodbye(&self, reason: &str) -> Result<(), HarnessError> {
        self.send(&DaemonMessage::Goodbye { reason: reason.to_owned() }).await
    }

    pub async fn send(&self, msg: &DaemonMessage) -> Result<(), HarnessError> {
        let line = bkg_core::ndjson::encode(msg).map_err(|e| HarnessError::Protocol(e.to_string()))?;
        self.write(&line).await
    }

    /// Writes a raw line (a newline is added), e.g. to test how a plugin treats garbage.
    pub async fn send_line(&self, line: &str) -> Result<(), HarnessError> {
        let mut buf = Vec::with_capacity(line.len() + 1);
        buf.extend_from_slice(line.as_bytes());
        buf.push(b'\n');
        self.write(&buf).await
    }

    async fn write(&self, buf: &[u8]) -> Result<(), HarnessError> {
        let mut writer = self.shared.writer.lock().await;
        let w = writer.as_mut().ok_or(HarnessError::Closed { what: "stdin (closed by the test)".into() })?;
        let write = async {
            w.write_all(buf).await?;
            w.flush().await
        };
        match tokio::time::timeout(self.timeout, write).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                Err(HarnessError::Closed { what: "the plugin's stdin (it exited?)".into() })
            }
            Ok(Err(e)) => Err(HarnessError::Io(e)),
            Err(_) => {
                Err(HarnessError::Timeout { what: "writing to the plugin".into(), after: self.timeout })
            }
        }
    }

    /// Closes the plugin's stdin, which tells it the daemon is gone.
    pub async fn close_stdin(&self) {
        let writer = self.shared.writer.lock().await.take();
        if let Some(mut w) = writer {
            let _ = w.shutdown().await;
        }
    }

    /// Every `metrics` message so far.
    pub fn metrics(&self) -> Vec<BTreeMap<String, f64>> {
        self.state().metrics.clone()
    }

    /// Waits for a `metrics` message that satisfies `pred`.
    pub async fn wait_metrics(
        &self,
        pred: impl Fn(&BTreeMap<String, f64>) -> bool,
    ) -> Result<BTreeMap<String, f64>, HarnessError> {
        self.wait_for("a matching metrics message", |s| s.metrics.iter().find(|m| pred(m)).cloned()).await
    }

    /// Lines on the plugin's stdout that were not protocol messages.
    pub fn garbage(&self) -> Vec<String> {
        self.state().garbage.clone()
    }

    /// Waits for the first non-protocol line on stdout.
    pub async fn wait_garbage(&self) -> Result<String, HarnessError> {
        self.wait_for("a non-protocol line on stdout", |s| s.garbage.first().cloned()).await
    }

    /// Valid messages that fit no request (a second hello, replies to unknown ids).
    pub fn unexpected(&self) -> Vec<PluginMessage> {
        self.state().unexpected.clone()
    }

    /// The daemon callbacks the plugin made, in order: `(method, params)`.
    pub fn calls(&self) -> Vec<(String, Value)> {
        self.state().calls.clone()
    }

    /// The reason of the plugin's own `goodbye`, if it sent one.
    pub fn plugin_goodbye(&self) -> Option<String> {
        self.state().goodbye.clone()
    }

    /// Waits until the plugin's stdout reaches EOF.
    pub async fn wait_closed(&self) -> Result<(), HarnessError> {
        let deadline = Instant::now() + self.timeout;
        loop {
            let notified = self.shared.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.state().closed {
                return Ok(());
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Err(HarnessError::Timeout {
                    what: "the plugin's stdout to close".into(),
                    after: self.timeout,
                });
            }
        }
    }

    pub fn is_closed(&self) -> bool {
        self.state().closed
    }

    fn route(&self, id: u64) -> mpsc::UnboundedReceiver<Reply> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.state().routes.insert(id, tx);
        rx
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until `check` finds something. Registers for the wake-up before checking, so a
    /// change between the check and the wait is never missed.
    async fn wait_for<T>(&self, what: &str, check: impl Fn(&State) -> Option<T>) -> Result<T, HarnessError> {
        let deadline = Instant::now() + self.timeout;
        loop {
            let notified = self.shared.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let state = self.state();
                if let Some(found) = check(&state) {
                    return Ok(found);
                }
                if state.closed {
                    return Err(HarnessError::Closed {
                        what: format!("the plugin's stdout, waiting for {what}"),
                    });
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Err(HarnessError::Timeout { what: what.to_owned(), after: self.timeout });
            }
        }
    }

    async fn read_loop<R: AsyncRead + Unpin>(self, reader: R) {
        let mut reader = BufReader::new(reader);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            match bkg_core::ndjson::decode::<PluginMessage>(&buf) {
                None => continue,
                Some(Ok(msg)) => self.dispatch(msg),
                Some(Err(_)) => {
                    self.state().garbage.push(String::from_utf8_lossy(buf.trim_ascii()).into_owned())
                }
            }
            self.shared.changed.notify_waiters();
        }
        let mut state = self.state();
        state.closed = true;
        // Dropping the routes ends every open invocation with "closed".
        state.routes.clear();
        drop(state);
        self.shared.changed.notify_waiters();
    }

    fn dispatch(&self, msg: PluginMessage) {
        let mut state = self.state();
        match msg {
            PluginMessage::Hello(hello) if state.hello.is_none() => state.hello = Some(hello),
            PluginMessage::Chunk { id, data } => match state.routes.get(&id) {
                Some(tx) => drop(tx.send(Reply::Chunk(data))),
                None => state.unexpected.push(PluginMessage::Chunk { id, data }),
            },
            PluginMessage::Result { id, output } => match state.routes.remove(&id) {
                Some(tx) => drop(tx.send(Reply::Result(output))),
                None => state.unexpected.push(PluginMessage::Result { id, output }),
            },
            PluginMessage::Error { id, error } => match state.routes.remove(&id) {
                Some(tx) => drop(tx.send(Reply::Error(error))),
                None => state.unexpected.push(PluginMessage::Error { id, error }),
            },
            PluginMessage::Call { id, method, params } => {
                state.calls.push((method.clone(), params.clone()));
                // Answered on a task: writing to the plugin must never stall reading from it.
                let conn = self.clone();
                tokio::spawn(async move {
                    let (result, error) = match (conn.shared.calls)(&method, params) {
                        Ok(result) => (Some(result), None),
                        Err(error) => (None, Some(error)),
                    };
                    let _ = conn.send(&DaemonMessage::CallResult { id, result, error }).await;
                });
            }
            PluginMessage::Metrics { counters } => state.metrics.push(counters),
            PluginMessage::Goodbye { reason } => state.goodbye = Some(reason),
            other @ PluginMessage::Hello(_) => state.unexpected.push(other),
        }
    }
}

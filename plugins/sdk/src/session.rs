//! `Session`: the plugin's handle on its connection to the daemon once the handshake is done —
//! the daemon's hello, the negotiated features, the live configuration, daemon callbacks and
//! metrics. Cheap to clone; every request's `Ctx` carries one.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use bkg_core::protocol::{DaemonHello, PluginMessage, ProtocolError, feature, methods};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::sync::oneshot;

use crate::error::{PluginError, codes};
use crate::metrics::Metrics;
use crate::transport::Outbox;

type CallReply = Result<Value, ProtocolError>;

#[derive(Clone)]
pub struct Session {
    inner: Arc<Shared>,
}

struct Shared {
    daemon: DaemonHello,
    features: Vec<String>,
    outbox: Outbox,
    /// Swapped whole on configure so a handler's snapshot never changes under it.
    config: Mutex<Arc<Value>>,
    /// Calls waiting for the daemon's `call_result`, by the plugin's own call id.
    calls: Mutex<HashMap<u64, oneshot::Sender<CallReply>>>,
    next_call: AtomicU64,
    /// Set once stdin closed: no call can be answered any more.
    input_closed: AtomicBool,
}

impl Session {
    pub(crate) fn new(daemon: DaemonHello, features: Vec<String>, outbox: Outbox) -> Self {
        let config = Arc::new(daemon.config.clone());
        Session {
            inner: Arc::new(Shared {
                daemon,
                features,
                outbox,
                config: Mutex::new(config),
                calls: Mutex::new(HashMap::new()),
                next_call: AtomicU64::new(1),
                input_closed: AtomicBool::new(false),
            }),
        }
    }

    /// The daemon's hello: its version, this plugin's id and run number, the initial config.
    pub fn daemon(&self) -> &DaemonHello {
        &self.inner.daemon
    }

    /// The plugin id the daemon knows this plugin by.
    pub fn plugin_id(&self) -> &str {
        &self.inner.daemon.plugin_id
    }

    /// The run number of this process (1 for the first spawn, +1 per restart).
    pub fn run(&self) -> u64 {
        self.inner.daemon.run
    }

    /// The features both sides announced; only these may be used.
    pub fn features(&self) -> &[String] {
        &self.inner.features
    }

    pub fn has_feature(&self, name: &str) -> bool {
        self.inner.features.iter().any(|f| f == name)
    }

    /// A snapshot of the effective configuration: the hello's, or the last one a configure
    /// handler accepted.
    pub fn config(&self) -> Arc<Value> {
        self.inner.config.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub(crate) fn set_config(&self, config: Value) {
        *self.inner.config.lock().unwrap_or_else(PoisonError::into_inner) = Arc::new(config);
    }

    pub(crate) fn outbox(&self) -> &Outbox {
        &self.inner.outbox
    }

    /// Calls a daemon-owned service (feature `callbacks`) and waits for its answer. The
    /// daemon's error comes back as a `PluginError` with the daemon's code.
    pub async fn call(&self, method: &str, params: Value) -> Result<Value, PluginError> {
        if !self.has_feature(feature::CALLBACKS) {
            return Err(PluginError::new(
                codes::FEATURE_NOT_NEGOTIATED,
                format!(
                    "cannot call {method}: the `callbacks` feature was not negotiated (announce it with Plugin::feature)"
                ),
            ));
        }
        let id = self.inner.next_call.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        self.calls().insert(id, tx);
        // Checked after registering: `fail_calls` sets the flag before clearing the table, so a
        // call either sees the flag or is cleared with the table, and never waits forever.
        if self.inner.input_closed.load(Ordering::SeqCst) {
            self.calls().remove(&id);
            return Err(daemon_gone(method));
        }
        let sent =
            self.inner.outbox.send(&PluginMessage::Call { id, method: method.to_owned(), params }).await;
        if sent.is_err() {
            self.calls().remove(&id);
            return Err(daemon_gone(method));
        }
        match rx.await {
            Ok(reply) => reply.map_err(PluginError::from),
            Err(_) => Err(daemon_gone(method)),
        }
    }

    /// [`Session::call`] with typed parameters and result.
    pub async fn call_typed<P, R>(&self, method: &str, params: &P) -> Result<R, PluginError>
    where
        P: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        let params = serde_json::to_value(params)
            .map_err(|e| PluginError::internal(format!("cannot encode the parameters of {method}: {e}")))?;
        let result = self.call(method, params).await?;
        serde_json::from_value(result)
            .map_err(|e| PluginError::internal(format!("unexpected answer from the daemon to {method}: {e}")))
    }

    pub async fn documents_put(
        &self,
        params: &methods::DocumentsPut,
    ) -> Result<methods::DocumentsPutResult, PluginError> {
        self.call_typed(methods::DOCUMENTS_PUT, params).await
    }

    pub async fn documents_list(
        &self,
        params: &methods::DocumentsList,
    ) -> Result<methods::DocumentsListResult, PluginError> {
        self.call_typed(methods::DOCUMENTS_LIST, params).await
    }

    /// Every document of `collection` (with their embeddings when asked), paging through
    /// `documents.list` a thousand at a time.
    pub async fn documents_all(
        &self,
        collection: &str,
        with_embeddings: bool,
    ) -> Result<Vec<methods::Document>, PluginError> {
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .documents_list(&methods::DocumentsList {
                    collection: collection.into(),
                    after: after.take(),
                    limit: 1000,
                    with_embeddings,
                })
                .await?;
            out.extend(page.documents);
            match page.next {
                Some(n) => after = Some(n),
                None => return Ok(out),
            }
        }
    }

    pub async fn documents_delete(
        &self,
        params: &methods::DocumentsDelete,
    ) -> Result<methods::DocumentsDeleteResult, PluginError> {
        self.call_typed(methods::DOCUMENTS_DELETE, params).await
    }

    /// The local folder of a `ready` model of the daemon's registry, by id or repo name. The
    /// daemon counts this run as a user of the model.
    pub async fn models_resolve(
        &self,
        params: &methods::ModelsResolve,
    ) -> Result<methods::ModelsResolveResult, PluginError> {
        self.call_typed(methods::MODELS_RESOLVE, params).await
    }

    pub async fn collections_list(&self) -> Result<methods::CollectionsListResult, PluginError> {
        self.call_typed(methods::COLLECTIONS_LIST, &json!({})).await
    }

    /// A reporter for plugin counters that can be moved into background tasks.
    pub fn metrics(&self) -> Metrics {
        Metrics::new(self.inner.outbox.clone(), self.has_feature(feature::METRICS))
    }

    /// Sends counters now (feature `metrics`; a no-op when it was not negotiated).
    pub async fn report_metrics<I, K>(&self, counters: I) -> Result<(), PluginError>
    where
        I: IntoIterator<Item = (K, f64)>,
        K: Into<String>,
    {
        self.metrics().report(counters).await
    }

    pub(crate) fn complete_call(&self, id: u64, reply: CallReply) {
        match self.calls().remove(&id) {
            // The caller may have been dropped (its request was aborted); nothing to do.
            Some(tx) => drop(tx.send(reply)),
            None => crate::log::warn(format_args!("ignoring call_result for unknown call id {id}")),
        }
    }

    /// Fails every pending and future call: stdin closed, so no answer can arrive.
    pub(crate) fn fail_calls(&self) {
        self.inner.input_closed.store(true, Ordering::SeqCst);
        self.calls().clear();
    }

    fn calls(&self) -> std::sync::MutexGuard<'_, HashMap<u64, oneshot::Sender<CallReply>>> {
        self.inner.calls.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn daemon_gone(method: &str) -> PluginError {
    PluginError::new(codes::DAEMON_GONE, format!("the daemon went away before answering {method}"))
}

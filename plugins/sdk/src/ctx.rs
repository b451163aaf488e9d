//! `Ctx`: what a capability handler gets for one request — its id, who it is for, streaming of
//! partial results, cancellation, calls to other plugins on the caller's behalf, and (through
//! `Deref` to [`Session`]) config, callbacks and metrics.

use std::ops::Deref;
use std::sync::Arc;

use bkg_core::protocol::methods::{PLUGINS_INVOKE, PluginsInvoke};
use bkg_core::protocol::{Caller, PluginMessage};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::error::{PluginError, codes};
use crate::session::Session;

#[derive(Clone)]
pub struct Ctx {
    id: u64,
    capability: Arc<str>,
    caller: Option<Arc<Caller>>,
    cancel: CancellationToken,
    session: Session,
}

impl Ctx {
    pub(crate) fn new(
        id: u64,
        capability: Arc<str>,
        caller: Option<Caller>,
        cancel: CancellationToken,
        session: Session,
    ) -> Self {
        Ctx { id, capability, caller: caller.map(Arc::new), cancel, session }
    }

    /// Who the request is for (the user, and the plugins it passed through); `None` from a
    /// daemon older than protocol 1.1.
    pub fn caller(&self) -> Option<&Caller> {
        self.caller.as_deref()
    }

    /// Invokes another plugin's capability through the daemon on behalf of this request's
    /// caller (feature `callbacks`; the plugin's manifest must list it in `calls`). Answers
    /// the other plugin's final output.
    pub async fn invoke_plugin(
        &self,
        plugin: &str,
        capability: &str,
        input: Value,
    ) -> Result<Value, PluginError> {
        let params = PluginsInvoke {
            plugin: plugin.to_owned(),
            capability: capability.to_owned(),
            input,
            request: Some(self.id),
        };
        self.session.call_typed(PLUGINS_INVOKE, &params).await
    }

    /// The daemon's request id.
    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn capability(&self) -> &str {
        &self.capability
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Sends a partial result. Fails with `cancelled` once the daemon cancelled the request, so
    /// a streaming loop written with `?` stops by itself.
    pub async fn chunk(&self, data: Value) -> Result<(), PluginError> {
        if self.is_cancelled() {
            return Err(PluginError::cancelled());
        }
        self.session
            .outbox()
            .send(&PluginMessage::Chunk { id: self.id, data })
            .await
            .map_err(|_| PluginError::new(codes::DAEMON_GONE, "the daemon went away"))
    }

    /// Whether the daemon cancelled this request (or went away).
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// Completes when the daemon cancels this request (or goes away); race it against slow
    /// work with `tokio::select!`. Whatever the handler returns after a cancel, the SDK
    /// answers `cancelled`.
    pub async fn cancelled(&self) {
        self.cancel.cancelled().await
    }
}

impl Deref for Ctx {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.session
    }
}

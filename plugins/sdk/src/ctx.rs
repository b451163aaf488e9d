//! `Ctx`: what a capability handler gets for one request — its id, streaming of partial
//! results, cancellation, and (through `Deref` to [`Session`]) config, callbacks and metrics.

use std::ops::Deref;
use std::sync::Arc;

use bkg_core::protocol::PluginMessage;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::error::{PluginError, codes};
use crate::session::Session;

#[derive(Clone)]
pub struct Ctx {
    id: u64,
    capability: Arc<str>,
    cancel: CancellationToken,
    session: Session,
}

impl Ctx {
    pub(crate) fn new(id: u64, capability: Arc<str>, cancel: CancellationToken, session: Session) -> Self {
        Ctx { id, capability, cancel, session }
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

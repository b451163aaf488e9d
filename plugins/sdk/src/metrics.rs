//! `Metrics`: reports plugin counters (`metrics` messages) through the protocol writer, e.g.
//! tokens per second, which the daemon shows with the plugin's telemetry.

use std::collections::BTreeMap;

use bkg_core::protocol::PluginMessage;

use crate::error::{PluginError, codes};
use crate::transport::Outbox;

#[derive(Clone)]
pub struct Metrics {
    outbox: Outbox,
    enabled: bool,
}

impl Metrics {
    pub(crate) fn new(outbox: Outbox, enabled: bool) -> Self {
        Metrics { outbox, enabled }
    }

    /// Whether the daemon takes metrics (both sides announced feature `metrics`).
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Sends one `metrics` message. Does nothing when the feature was not negotiated, since a
    /// daemon that did not ask for metrics must not receive them. Non-finite values are left
    /// out: JSON cannot carry them and the daemon would reject the whole message.
    pub async fn report<I, K>(&self, counters: I) -> Result<(), PluginError>
    where
        I: IntoIterator<Item = (K, f64)>,
        K: Into<String>,
    {
        if !self.enabled {
            return Ok(());
        }
        let counters: BTreeMap<String, f64> =
            counters.into_iter().filter(|(_, v)| v.is_finite()).map(|(k, v)| (k.into(), v)).collect();
        self.outbox
            .send(&PluginMessage::Metrics { counters })
            .await
            .map_err(|_| PluginError::new(codes::DAEMON_GONE, "the daemon went away"))
    }
}

//! One request as the test sees it: its replies (`Reply`), their collection into an `Outcome`,
//! and the `Invocation` handle that reads them with a deadline and can cancel.

use bkg_core::protocol::{DaemonMessage, ProtocolError};
use serde_json::Value;
use tokio::sync::mpsc;

use super::HarnessError;
use super::connection::Connection;

/// One message the plugin sent about a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Chunk(Value),
    Result(Value),
    Error(ProtocolError),
}

/// Everything a finished request produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub chunks: Vec<Value>,
    pub result: Result<Value, ProtocolError>,
}

impl Outcome {
    /// The successful output.
    ///
    /// # Panics
    /// When the request failed, with the plugin's error in the message (a test assertion).
    pub fn output(&self) -> &Value {
        match &self.result {
            Ok(output) => output,
            Err(e) => panic!("expected a result, the plugin answered error {e:?}"),
        }
    }

    /// The error.
    ///
    /// # Panics
    /// When the request succeeded (a test assertion).
    pub fn error(&self) -> &ProtocolError {
        match &self.result {
            Ok(output) => panic!("expected an error, the plugin answered result {output}"),
            Err(e) => e,
        }
    }
}

/// One request in flight.
pub struct Invocation {
    pub(crate) id: u64,
    pub(crate) rx: mpsc::UnboundedReceiver<Reply>,
    pub(crate) conn: Connection,
}

impl Invocation {
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The next chunk, result or error of this request.
    pub async fn next(&mut self) -> Result<Reply, HarnessError> {
        match tokio::time::timeout(self.conn.timeout(), self.rx.recv()).await {
            Ok(Some(reply)) => Ok(reply),
            Ok(None) => Err(HarnessError::Closed {
                what: format!("the plugin's stdout before request {} ended", self.id),
            }),
            Err(_) => Err(HarnessError::Timeout {
                what: format!("a reply to request {}", self.id),
                after: self.conn.timeout(),
            }),
        }
    }

    /// Asks the plugin to stop this request.
    pub async fn cancel(&self) -> Result<(), HarnessError> {
        self.conn.send(&DaemonMessage::Cancel { id: self.id }).await
    }

    /// Reads the remaining chunks and the final reply.
    pub async fn finish(mut self) -> Result<Outcome, HarnessError> {
        let mut chunks = Vec::new();
        loop {
            match self.next().await? {
                Reply::Chunk(data) => chunks.push(data),
                Reply::Result(output) => return Ok(Outcome { chunks, result: Ok(output) }),
                Reply::Error(error) => return Ok(Outcome { chunks, result: Err(error) }),
            }
        }
    }
}

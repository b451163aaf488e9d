//! The errors of the SDK: `PluginError` is what a capability answers a request with, `RunError`
//! is why the plugin's connection to the daemon ended abnormally.

use bkg_core::protocol::{ProtocolError, ProtocolVersion};

/// The error a capability (or a configure handler, or a daemon callback) reports for one request.
/// It becomes the protocol's `error` message; `code` is short and machine-readable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct PluginError {
    pub code: String,
    pub message: String,
    /// The caller's input was at fault; the daemon answers 4xx instead of 502.
    pub client_error: bool,
}

/// The codes the SDK itself uses, so daemons and tests can match on them (the strings of
/// [`bkg_core::protocol::ProtocolCode`], which holds every code bkg defines).
pub mod codes {
    use bkg_core::protocol::ProtocolCode;

    pub const BAD_INPUT: &str = ProtocolCode::BadInput.as_str();
    pub const INTERNAL: &str = ProtocolCode::Internal.as_str();
    pub const CANCELLED: &str = ProtocolCode::Cancelled.as_str();
    pub const PANIC: &str = ProtocolCode::Panic.as_str();
    pub const UNKNOWN_CAPABILITY: &str = ProtocolCode::UnknownCapability.as_str();
    pub const DUPLICATE_ID: &str = ProtocolCode::DuplicateId.as_str();
    pub const SHUTTING_DOWN: &str = ProtocolCode::ShuttingDown.as_str();
    pub const UNSUPPORTED: &str = ProtocolCode::Unsupported.as_str();
    pub const FEATURE_NOT_NEGOTIATED: &str = ProtocolCode::FeatureNotNegotiated.as_str();
    pub const DAEMON_GONE: &str = ProtocolCode::DaemonGone.as_str();
    /// A path outside the plugin's folders (see [`crate::Session::resolve_path`]).
    pub const PATH_NOT_ALLOWED: &str = ProtocolCode::PathNotAllowed.as_str();
}

impl PluginError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { code: code.into(), message: message.into(), client_error: false }
    }

    /// An error caused by the caller's input (`client_error = true`).
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(codes::BAD_INPUT, message).client()
    }

    /// A failure inside the plugin (`client_error = false`).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(codes::INTERNAL, message)
    }

    /// The request was cancelled by the daemon; the SDK sends this for every cancelled request.
    pub fn cancelled() -> Self {
        Self::new(codes::CANCELLED, "the request was cancelled")
    }

    /// Marks the error as the caller's fault.
    pub fn client(mut self) -> Self {
        self.client_error = true;
        self
    }

    pub fn is_cancelled(&self) -> bool {
        self.code == codes::CANCELLED
    }
}

impl From<PluginError> for ProtocolError {
    fn from(e: PluginError) -> Self {
        ProtocolError { code: e.code, message: e.message, client_error: e.client_error }
    }
}

impl From<ProtocolError> for PluginError {
    fn from(e: ProtocolError) -> Self {
        PluginError { code: e.code, message: e.message, client_error: e.client_error }
    }
}

/// Why [`crate::Plugin::run`] (or `serve`) returned an error instead of ending cleanly on
/// goodbye or stdin EOF.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("the daemon closed the connection before sending its hello")]
    NoHello,
    #[error("the daemon's first message was not a hello: {0}")]
    Handshake(String),
    #[error("the daemon speaks protocol {daemon}, this plugin speaks {ours} (the majors must match)")]
    IncompatibleProtocol { daemon: ProtocolVersion, ours: ProtocolVersion },
    #[error("the connection to the daemon closed while sending the hello")]
    OutputClosed,
    #[error("plugin I/O failed: {0}")]
    Io(#[from] std::io::Error),
}

//! `Error`: what the domain (auth, models, supervisor) answers when a request cannot be done:
//! a stable machine-readable `ErrorCode` (the vocabulary clients and the plugin protocol share,
//! defined in core), a message that says how to fix it, and optional details. The domain picks
//! the code, never an HTTP status: `api::error` is the one place that turns an `Error` into an
//! HTTP answer (status, headers, body), and the API layer calls it `ApiError`.
//!
//! Internal errors keep their cause for the daemon's log and show callers a generic message.

use bkg_core::{ErrorBody, ErrorCode};
use serde_json::Value;

#[derive(Debug)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    pub details: Option<Value>,
    /// For `RateLimited`: seconds until a retry can succeed (sent as `Retry-After`).
    pub retry_after: Option<u64>,
    /// Only for `Internal`: what really went wrong, for the daemon's log.
    source: Option<anyhow::Error>,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), details: None, retry_after: None, source: None }
    }

    /// 429 with `Retry-After` (at least one second, never the `0` some limiters send).
    pub fn rate_limited(retry_after_secs: u64, message: &str) -> Self {
        let secs = retry_after_secs.max(1);
        Self {
            retry_after: Some(secs),
            // Also in the body, for clients that see only the body (a WebSocket, a wrapper).
            details: Some(serde_json::json!({ "retryAfterSecs": secs })),
            ..Self::new(ErrorCode::RateLimited, format!("{message}; retry in {secs} s"))
        }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn internal(source: impl Into<anyhow::Error>) -> Self {
        Self {
            code: ErrorCode::Internal,
            message: "internal error; see the daemon log".into(),
            details: None,
            retry_after: None,
            source: Some(source.into()),
        }
    }

    /// `invalid_request`: the caller's input cannot be used; the message says why.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, message)
    }

    /// `unauthorized`: no valid credential.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unauthorized, message)
    }

    /// `conflict`: the request contradicts the current state (a name taken, a model in use).
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, message)
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, what)
    }

    pub fn plugin_not_found(id: &str) -> Self {
        Self::new(
            ErrorCode::PluginNotFound,
            format!("no plugin with id {id:?}; `GET /api/plugins` lists them"),
        )
    }

    /// For `Internal`: what really went wrong, for the daemon's log (never for the caller).
    pub fn cause(&self) -> Option<&anyhow::Error> {
        self.source.as_ref()
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody { code: self.code, message: self.message.clone(), details: self.details.clone() }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

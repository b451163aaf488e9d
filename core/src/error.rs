//! Stable, machine-readable error codes and the JSON error body every bkg API answers with.
//!
//! The code strings are a public contract: scripts match on them, so a code is never renamed
//! and the HTTP status that goes with it lives here too, next to the name, so the daemon's
//! mapping and the clients' expectations cannot drift apart.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Every error code the API can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request body is not valid JSON or has the wrong shape.
    InvalidJson,
    /// A query parameter or path segment is malformed.
    InvalidRequest,
    /// The input did not validate against a capability's or config's JSON schema.
    SchemaViolation,
    /// The request body exceeds the configured limit.
    PayloadTooLarge,
    /// No route or resource under that path.
    NotFound,
    PluginNotFound,
    CapabilityNotFound,
    /// The plugin is not in a state that allows the operation (e.g. invoke while stopped).
    PluginNotRunning,
    /// A lifecycle operation conflicts with one in progress.
    Conflict,
    /// The plugin could not be started (spawn failed, crashed or timed out in the handshake).
    PluginStartFailed,
    /// The plugin refused the input (e.g. a shape mismatch, an unknown model); the plugin's own
    /// code is in `details.pluginCode`.
    InvalidInput,
    /// The plugin answered an invocation with an error of its own.
    PluginError,
    /// The plugin process went away while a call was in flight.
    PluginCrashed,
    /// The invocation was cancelled (client went away or explicit cancel).
    Cancelled,
    /// The plugin did not answer in time.
    Timeout,
    /// The HTTP method is not allowed on this route.
    MethodNotAllowed,
    /// Authentication is missing or invalid.
    Unauthorized,
    /// Authenticated, but the role lacks the permission.
    Forbidden,
    /// A path lies outside the folders the daemon or the plugin may use (absolute, `..`, or a
    /// symlink leading out), or names the daemon's own data.
    PathNotAllowed,
    /// Too many requests; see `Retry-After`.
    RateLimited,
    /// The daemon is shutting down or not ready yet.
    Unavailable,
    /// An upstream server the daemon depends on (the model hub) failed or cannot be reached.
    UpstreamError,
    /// The daemon could not write because its disk (the data dir's filesystem, or
    /// PostgreSQL's) is full; nothing was changed. Retry once space is freed.
    StorageFull,
    /// Something failed inside the daemon; details are in the daemon's log, never in the answer.
    Internal,
}

impl ErrorCode {
    /// Every code, for tests and documentation.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::InvalidJson,
        ErrorCode::InvalidRequest,
        ErrorCode::SchemaViolation,
        ErrorCode::PayloadTooLarge,
        ErrorCode::NotFound,
        ErrorCode::PluginNotFound,
        ErrorCode::CapabilityNotFound,
        ErrorCode::PluginNotRunning,
        ErrorCode::Conflict,
        ErrorCode::PluginStartFailed,
        ErrorCode::InvalidInput,
        ErrorCode::PluginError,
        ErrorCode::PluginCrashed,
        ErrorCode::Cancelled,
        ErrorCode::Timeout,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::PathNotAllowed,
        ErrorCode::RateLimited,
        ErrorCode::Unavailable,
        ErrorCode::UpstreamError,
        ErrorCode::StorageFull,
        ErrorCode::Internal,
    ];

    /// The HTTP status that goes with the code. One exhaustive mapping for the whole API.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::InvalidJson | ErrorCode::InvalidRequest | ErrorCode::SchemaViolation => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden | ErrorCode::PathNotAllowed => 403,
            ErrorCode::NotFound | ErrorCode::PluginNotFound | ErrorCode::CapabilityNotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PluginNotRunning | ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::InvalidInput => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::Cancelled => 499,
            ErrorCode::Internal => 500,
            ErrorCode::PluginError
            | ErrorCode::PluginCrashed
            | ErrorCode::PluginStartFailed
            | ErrorCode::UpstreamError => 502,
            ErrorCode::Unavailable => 503,
            ErrorCode::Timeout => 504,
            ErrorCode::StorageFull => 507,
        }
    }

    /// The wire name, e.g. `plugin_not_found`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::SchemaViolation => "schema_violation",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::NotFound => "not_found",
            ErrorCode::PluginNotFound => "plugin_not_found",
            ErrorCode::CapabilityNotFound => "capability_not_found",
            ErrorCode::PluginNotRunning => "plugin_not_running",
            ErrorCode::Conflict => "conflict",
            ErrorCode::PluginStartFailed => "plugin_start_failed",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::PluginError => "plugin_error",
            ErrorCode::PluginCrashed => "plugin_crashed",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Timeout => "timeout",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::PathNotAllowed => "path_not_allowed",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::UpstreamError => "upstream_error",
            ErrorCode::StorageFull => "storage_full",
            ErrorCode::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of every error answer: `{"code": "...", "message": "..."}` plus optional details
/// (for a schema violation: the JSON pointer of the offending value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), details: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_serde() {
        for &code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}

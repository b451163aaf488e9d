//! `ApiError`: the one error type of every handler, and its one mapping to an HTTP answer.
//!
//! Handlers return `Result<_, ApiError>` and use `?`. The status comes from the error code
//! (`ErrorCode::http_status`, in core, so clients share it); internal errors are logged with
//! their cause and answered with a generic message, never with internals.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bkg_core::{ErrorBody, ErrorCode};
use serde_json::Value;

#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub details: Option<Value>,
    /// For `RateLimited`: seconds until a retry can succeed (sent as `Retry-After`).
    pub retry_after: Option<u64>,
    /// Only for `Internal`: what really went wrong, for the daemon's log.
    source: Option<anyhow::Error>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), details: None, retry_after: None, source: None }
    }

    /// 429 with `Retry-After` (at least one second, never the `0` some limiters send).
    pub fn rate_limited(retry_after_secs: u64, message: &str) -> Self {
        let secs = retry_after_secs.max(1);
        Self {
            retry_after: Some(secs),
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

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, what)
    }

    pub fn plugin_not_found(id: &str) -> Self {
        Self::new(
            ErrorCode::PluginNotFound,
            format!("no plugin with id {id:?}; `GET /api/plugins` lists them"),
        )
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody { code: self.code, message: self.message.clone(), details: self.details.clone() }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(source) = &self.source {
            tracing::error!(error = format!("{source:#}"), "internal error answering a request");
        }
        let status =
            StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut resp = (status, Json(self.body())).into_response();
        let headers = resp.headers_mut();
        if let Some(secs) = self.retry_after {
            headers.insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(secs));
        }
        if self.code == ErrorCode::Unauthorized {
            headers.insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"bkg\""),
            );
        }
        resp
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::internal(e)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                ErrorCode::InvalidJson,
                "expected a JSON body with `Content-Type: application/json`",
            ),
            JsonRejection::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                ApiError::new(ErrorCode::PayloadTooLarge, "request body is larger than http.body_limit_bytes")
            }
            other => ApiError::new(ErrorCode::InvalidJson, other.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::new(ErrorCode::InvalidRequest, r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::new(ErrorCode::InvalidRequest, r.body_text())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

//! The one mapping from a domain [`Error`] to an HTTP answer: the status comes from the error
//! code (`ErrorCode::http_status`, in core, so clients share it), `Retry-After` for rate limits,
//! `WWW-Authenticate` for 401, and a `{code, message, details}` body. Internal errors are
//! logged here with their cause and answered with a generic message, never with internals.
//! Also here: axum's rejections (bad JSON, path, query) as the same kind of answer.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bkg_core::ErrorCode;

pub use crate::error::Error;

/// What every handler returns on failure: the domain's error, answered over HTTP. A newtype
/// (the domain's `Error` lives in `bkgd-base`, which knows nothing of axum), with the domain's
/// constructors and, through `Deref`, its fields.
#[derive(Debug)]
pub struct ApiError(pub Error);

pub type ApiResult<T> = Result<T, ApiError>;

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        Self(e)
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        Self(e.into())
    }
}

impl std::ops::Deref for ApiError {
    type Target = Error;

    fn deref(&self) -> &Error {
        &self.0
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self(Error::new(code, message))
    }

    pub fn internal(source: impl Into<anyhow::Error>) -> Self {
        Self(Error::internal(source))
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self(Error::bad_request(message))
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self(Error::unauthorized(message))
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self(Error::conflict(message))
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self(Error::not_found(what))
    }

    pub fn plugin_not_found(id: &str) -> Self {
        Self(Error::plugin_not_found(id))
    }

    pub fn rate_limited(retry_after_secs: u64, message: &str) -> Self {
        Self(Error::rate_limited(retry_after_secs, message))
    }

    pub fn with_details(self, details: serde_json::Value) -> Self {
        Self(self.0.with_details(details))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(source) = self.cause() {
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

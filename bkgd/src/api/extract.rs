//! Extractors whose rejections are `ApiError`s, so malformed paths, queries and bodies get the
//! same `{code, message}` answers as everything else.

use axum::extract::{FromRequest, FromRequestParts};

use super::error::ApiError;

/// A JSON body that must be an object (the shape of every request DTO; serde would otherwise
/// also accept a struct written as an array).
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(req, state).await?;
        if !value.is_object() {
            return Err(ApiError::new(bkg_core::ErrorCode::InvalidJson, "the body must be a JSON object"));
        }
        serde_json::from_value(value)
            .map(ApiJson)
            .map_err(|e| ApiError::new(bkg_core::ErrorCode::InvalidJson, format!("invalid body: {e}")))
    }
}

/// Path parameters.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// Query parameters.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// A JSON body that may be absent (an empty body or `null` means `None`).
#[derive(Debug)]
pub struct OptionalJson<T>(pub Option<T>);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    bkg_core::ErrorCode::PayloadTooLarge,
                    "request body is larger than http.body_limit_bytes",
                )
            } else {
                ApiError::new(bkg_core::ErrorCode::InvalidRequest, e.body_text())
            }
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(None));
        }
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::new(bkg_core::ErrorCode::InvalidJson, format!("invalid JSON body: {e}"))
        })?;
        if value.is_null() {
            return Ok(OptionalJson(None));
        }
        if !value.is_object() {
            return Err(ApiError::new(bkg_core::ErrorCode::InvalidJson, "the body must be a JSON object"));
        }
        serde_json::from_value(value)
            .map(|v| OptionalJson(Some(v)))
            .map_err(|e| ApiError::new(bkg_core::ErrorCode::InvalidJson, format!("invalid body: {e}")))
    }
}

/// An optional time query parameter (`since`, `until`): RFC 3339 or an age (`5m`, `2h`); empty
/// means unset. A bad value is a 400 that names the parameter.
pub fn time_param(
    name: &str,
    value: Option<&str>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, ApiError> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| {
            crate::logs::parse_time(name, v)
                .map_err(|e| ApiError::new(bkg_core::ErrorCode::InvalidRequest, e.to_string()))
        })
        .transpose()
}

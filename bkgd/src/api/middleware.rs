//! Request middleware: the per-client rate limit (with `RateLimit-*` headers and `Retry-After`
//! on 429) and OpenAI-shaped error bodies on `/v1/…` (one layer), CORS, and the security
//! headers sent with every answer (HSTS only over TLS).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bkg_core::ErrorBody;
use bkg_core::openai::OpenAiError;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

use super::AppState;
use super::error::ApiError;
use super::principal::client_ip_of;
use crate::auth::ratelimit::Verdict;

/// What the rate-limit layer holds: the daemon's state, and the header values that are the
/// same in every answer (or one of a few), made once instead of formatted per request.
#[derive(Debug, Clone)]
pub struct RateLimit(Arc<RateLimitHeaders>);

#[derive(Debug)]
struct RateLimitHeaders {
    state: Arc<AppState>,
    limit: HeaderValue,
    policy: HeaderValue,
    /// `0..=60`: the seconds until the window resets (the window is a minute).
    seconds: Vec<HeaderValue>,
}

impl RateLimit {
    pub fn new(state: Arc<AppState>) -> Self {
        let limit = state.auth.requests.limit();
        let policy =
            HeaderValue::from_str(&format!("{limit};w=60")).unwrap_or(HeaderValue::from_static("60"));
        Self(Arc::new(RateLimitHeaders {
            state,
            limit: HeaderValue::from(limit),
            policy,
            seconds: (0..=60u64).map(HeaderValue::from).collect(),
        }))
    }

    fn seconds(&self, n: u64) -> HeaderValue {
        usize::try_from(n)
            .ok()
            .and_then(|i| self.0.seconds.get(i))
            .cloned()
            .unwrap_or_else(|| HeaderValue::from(n))
    }
}

/// The rate limit and, on `/v1/…`, OpenAI-shaped errors (of the limit, the handlers and
/// everything between): one layer, since every request passes both and each `from_fn` layer
/// costs a boxed future and a clone of the inner service per request.
pub async fn rate_limit_and_openai_errors(
    State(limits): State<RateLimit>,
    req: Request,
    next: Next,
) -> Response {
    let openai = req.uri().path().starts_with("/v1/");
    let resp = rate_limit(&limits, req, next).await;
    if openai { openai_error(resp).await } else { resp }
}

async fn rate_limit(limits: &RateLimit, req: Request, next: Next) -> Response {
    let state = &limits.0.state;
    let (parts, body) = req.into_parts();
    let ip = client_ip_of(&parts, state);
    let req = Request::from_parts(parts, body);
    match state.auth.requests.hit(&ip) {
        Verdict::Limited { retry_after_secs } => {
            let limit = state.auth.requests.limit();
            let mut resp = ApiError::rate_limited(
                retry_after_secs,
                &format!("more than {limit} requests per minute from {ip}"),
            )
            .into_response();
            put_limit_headers(&mut resp, limits, HeaderValue::from_static("0"), retry_after_secs);
            resp
        }
        Verdict::Allowed { remaining, reset_secs } => {
            let mut resp = next.run(req).await;
            put_limit_headers(&mut resp, limits, HeaderValue::from(remaining), reset_secs);
            resp
        }
    }
}

fn put_limit_headers(resp: &mut Response, limits: &RateLimit, remaining: HeaderValue, reset: u64) {
    let h = resp.headers_mut();
    // These four, CORS's and the security headers, in one growth of the map rather than several
    // (an answer of `json::Json` already has the room).
    h.reserve(super::json::HEADERS);
    h.insert(HeaderName::from_static("ratelimit-limit"), limits.0.limit.clone());
    h.insert(HeaderName::from_static("ratelimit-remaining"), remaining);
    h.insert(HeaderName::from_static("ratelimit-reset"), limits.seconds(reset));
    h.insert(HeaderName::from_static("ratelimit-policy"), limits.0.policy.clone());
}

/// CORS: `*` (any origin, never with credentials) or the configured origins.
pub fn cors(origins: &[String]) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static("x-api-key"),
        ])
        .expose_headers([
            header::RETRY_AFTER,
            HeaderName::from_static("ratelimit-limit"),
            HeaderName::from_static("ratelimit-remaining"),
            HeaderName::from_static("ratelimit-reset"),
        ]);
    if origins.iter().any(|o| o == "*") {
        layer.allow_origin(Any)
    } else {
        let list: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
        layer.allow_origin(AllowOrigin::list(list))
    }
}

pub async fn security_headers(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.http.tls_enabled() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    resp
}

/// How much of an error body is read to reshape it; bkg's error bodies are a few hundred bytes.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// On `/v1/…` every error (from a handler, the auth extractors, the rate limit, the body limit
/// or the fallbacks) is answered as OpenAI does, `{"error": {message, type, param, code}}`,
/// so OpenAI clients show the message; `code` stays bkg's stable error code.
async fn openai_error(resp: Response) -> Response {
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, ERROR_BODY_LIMIT).await.unwrap_or_default();
    let error = match serde_json::from_slice::<ErrorBody>(&bytes) {
        Ok(e) => OpenAiError::new(status.as_u16(), Some(e.code.to_string()), e.message),
        Err(_) => {
            let text = String::from_utf8_lossy(&bytes).trim().to_string();
            let reason = status.canonical_reason().unwrap_or("error").to_string();
            OpenAiError::new(status.as_u16(), None, if text.is_empty() { reason } else { text })
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let body = serde_json::to_vec(&error).unwrap_or_default();
    Response::from_parts(parts, axum::body::Body::from(body))
}

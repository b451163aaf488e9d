//! Request middleware: the per-client rate limit (with `RateLimit-*` headers and `Retry-After`
//! on 429), CORS, and the security headers sent with every answer (HSTS only over TLS).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, Any, CorsLayer};

use super::AppState;
use crate::auth::principal::client_ip_of;
use crate::auth::ratelimit::Verdict;
use crate::error::ApiError;

pub async fn rate_limit(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let ip = client_ip_of(&parts, &state);
    let req = Request::from_parts(parts, body);
    let limit = state.auth.requests.limit();
    match state.auth.requests.hit(&ip) {
        Verdict::Limited { retry_after_secs } => {
            let mut resp = ApiError::rate_limited(
                retry_after_secs,
                &format!("more than {limit} requests per minute from {ip}"),
            )
            .into_response();
            put_limit_headers(&mut resp, limit, 0, retry_after_secs);
            resp
        }
        Verdict::Allowed { remaining, reset_secs } => {
            let mut resp = next.run(req).await;
            put_limit_headers(&mut resp, limit, remaining, reset_secs);
            resp
        }
    }
}

fn put_limit_headers(resp: &mut Response, limit: u32, remaining: u32, reset: u64) {
    let h = resp.headers_mut();
    h.insert(HeaderName::from_static("ratelimit-limit"), HeaderValue::from(limit));
    h.insert(HeaderName::from_static("ratelimit-remaining"), HeaderValue::from(remaining));
    h.insert(HeaderName::from_static("ratelimit-reset"), HeaderValue::from(reset));
    h.insert(
        HeaderName::from_static("ratelimit-policy"),
        HeaderValue::from_str(&format!("{limit};w=60")).unwrap_or(HeaderValue::from_static("60")),
    );
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

//! `/healthz` (the process answers), `/readyz` (the store answers and the supervisor runs) and
//! `/metrics` (Prometheus text).

use std::sync::Arc;

use super::json::Json;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bkg_core::health::{Health, HealthCheck};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::principal::{Require, perm};
use super::{AppState, State};
use crate::telemetry::prometheus;
use bkg_core::ErrorBody;

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new().routes(routes!(healthz)).routes(routes!(readyz)).routes(routes!(metrics))
}

/// The daemon process is up.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, body = Health)))]
async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: bkg_core::VERSION.into(),
        commit: crate::COMMIT.into(),
        checks: vec![],
    })
}

/// The daemon can serve: the database answers and it is not shutting down.
#[utoipa::path(get, path = "/readyz", tag = "health", responses((status = 200, body = Health), (status = 503, body = Health)))]
async fn readyz(state: State) -> impl IntoResponse {
    let db = state.store.ping().await;
    let checks = vec![
        HealthCheck {
            name: format!("database ({})", state.store.backend()),
            ok: db.is_ok(),
            message: db.err().map(|e| e.to_string()),
        },
        HealthCheck {
            name: "accepting work".into(),
            ok: !state.shutdown.is_cancelled(),
            message: state.shutdown.is_cancelled().then(|| "shutting down".into()),
        },
    ];
    let ok = checks.iter().all(|c| c.ok);
    let status = if ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = Health {
        status: if ok { "ready" } else { "not ready" }.into(),
        version: bkg_core::VERSION.into(),
        commit: crate::COMMIT.into(),
        checks,
    };
    (status, Json(body))
}

/// Plugin and daemon metrics in the Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "health", security(("bearer" = [])),
    responses((status = 200, content_type = "text/plain", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn metrics(state: State, _: Require<perm::AnalyticsRead>) -> impl IntoResponse {
    // A scraper watches: sample at full rate while it keeps scraping.
    state.telemetry.demand();
    let text = prometheus::render(&state.supervisor, &state.telemetry, &state.logs, &state.hub);
    ([(header::CONTENT_TYPE, prometheus::CONTENT_TYPE)], text)
}

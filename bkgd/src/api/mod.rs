//! The HTTP API: the router, shared state, middleware (rate limit, CORS, security headers), the
//! OpenAPI document, and the mapping of supervisor errors to answers. Each feature module owns
//! its routes: `plugins`, `invoke`, `health`, `ws`, `auth`, `sessions`, `users`, `keys`, `audit`,
//! `models`, `openai`, `analytics`, `daemon_config`; `ui` serves the web UI for every other
//! path. Every route declares its permission with an extractor (`Require<perm::X>`); the few
//! public ones are listed in `PUBLIC_ROUTES`, and a test walks every route of the OpenAPI
//! document.

mod analytics;
mod audit;
mod auth;
mod daemon_config;
pub mod error;
mod extract;
mod health;
mod invoke;
pub mod ip;
mod json;
mod keys;
mod middleware;
mod models;
mod nodes;
mod openai;
mod openapi;
mod plugins;
pub mod principal;
mod runtimes;
mod sessions;
pub mod ui;
mod users;
mod ws;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use bkg_core::ErrorCode;
use serde_json::json;
use tower::{Service, ServiceBuilder};
use utoipa_axum::router::OpenApiRouter;

pub use openapi::{PUBLIC_ROUTES, openapi_document};
pub use ws::parse_client_message;

use crate::auth::Auth;
use crate::config::Config;
use crate::events::EventHub;
use crate::logs::Logs;
use crate::store::Store;
use crate::supervisor::{PluginHandle, Supervisor, SupervisorError};
use crate::telemetry::Telemetry;
use error::ApiError;

/// What every handler can reach.
#[derive(Debug)]
pub struct AppState {
    pub config: Config,
    pub store: Store,
    pub supervisor: Arc<Supervisor>,
    pub logs: Arc<Logs>,
    pub hub: Arc<EventHub>,
    pub telemetry: Arc<Telemetry>,
    pub auth: Arc<Auth>,
    pub models: Arc<crate::models::ModelManager>,
    pub usage: Arc<crate::usage::Usage>,
    pub cluster: Arc<crate::cluster::Cluster>,
    pub shutdown: tokio_util::sync::CancellationToken,
}

pub type State = axum::extract::State<Arc<AppState>>;

impl AppState {
    pub fn plugin(&self, id: &str) -> Result<Arc<PluginHandle>, ApiError> {
        self.supervisor.get(id).ok_or_else(|| ApiError::plugin_not_found(id))
    }
}

/// The routes with their OpenAPI description.
pub fn openapi_router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::with_openapi(openapi::base())
        .merge(plugins::router())
        .merge(runtimes::router())
        .merge(invoke::router())
        .merge(health::router())
        .merge(auth::router())
        .merge(sessions::router())
        .merge(users::router())
        .merge(keys::router())
        .merge(audit::router())
        .merge(models::router())
        .merge(nodes::router())
        .merge(openai::router())
        .merge(analytics::router())
        .merge(daemon_config::router())
        .merge(openapi::router())
}

/// The whole application: the routes inside the middleware every request passes (security
/// headers, CORS, the rate limit, the body limit), outermost first.
///
/// The middleware wraps the router once rather than every route (`Router::layer`): axum clones
/// a route's whole service stack for each request it routes there, and each layer adds a boxed
/// future per request, so per-route layers cost about twenty allocations per request that
/// wrapping once does not (counted with a uprobe on malloc under `wrk`).
pub fn router(
    state: Arc<AppState>,
) -> impl Service<
    axum::extract::Request,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future: Send + 'static,
> + Clone
+ Send
+ Sync
+ 'static {
    let body_limit = state.config.http.body_limit_bytes;
    let (router, _) = openapi_router().split_for_parts();
    let routes = router
        .merge(ws::router())
        .fallback_service(ui::router(ui::Files::Built))
        .method_not_allowed_fallback(|| async {
            ApiError::new(ErrorCode::MethodNotAllowed, "this route does not accept that method")
        })
        .with_state(state.clone());
    ServiceBuilder::new()
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(middleware::cors(&state.config.http.cors_origins))
        .layer(axum::middleware::from_fn_with_state(
            middleware::RateLimit::new(state.clone()),
            middleware::rate_limit_and_openai_errors,
        ))
        .layer(DefaultBodyLimit::max(body_limit))
        .service(routes)
}

impl From<SupervisorError> for ApiError {
    fn from(e: SupervisorError) -> Self {
        let message = e.to_string();
        match e {
            SupervisorError::NotRunning { id, state } => ApiError::new(ErrorCode::PluginNotRunning, message)
                .with_details(json!({"pluginId": id, "status": state})),
            SupervisorError::CapabilityNotFound { available, .. } => {
                ApiError::new(ErrorCode::CapabilityNotFound, message)
                    .with_details(json!({"available": available}))
            }
            SupervisorError::Schema(errors) => ApiError::new(ErrorCode::SchemaViolation, message)
                .with_details(json!(
                    errors.iter().map(|(p, m)| json!({"path": p, "message": m})).collect::<Vec<_>>()
                )),
            SupervisorError::StartFailed(_) => ApiError::new(ErrorCode::PluginStartFailed, message),
            SupervisorError::RuntimeMissing(_) => ApiError::new(ErrorCode::Conflict, message),
            SupervisorError::Conflict(_) => ApiError::new(ErrorCode::Conflict, message),
            SupervisorError::PluginRejected(_) => ApiError::new(ErrorCode::InvalidInput, message),
            SupervisorError::ShuttingDown => ApiError::new(ErrorCode::Unavailable, message),
            SupervisorError::Internal(m) => ApiError::internal(anyhow::anyhow!(m)),
        }
    }
}

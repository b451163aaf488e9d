//! Plugin routes: list, detail, lifecycle (start, stop, restart), status, capabilities, logs,
//! telemetry history and config.

use std::sync::Arc;

use super::json::Json;
use bkg_core::ErrorBody;
use bkg_core::ErrorCode;
use bkg_core::logs::{LogPage, LogQuery};
use bkg_core::plugin::{
    CapabilityList, ConfigApplied, LifecycleResponse, PluginDetail, PluginList, PluginStatus,
};
use bkg_core::telemetry::TelemetryHistory;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::principal::{ClientIp, Require, perm};
use super::{AppState, State};
use crate::auth::admin::audit;
use crate::logs::QueryError;

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(start))
        .routes(routes!(stop))
        .routes(routes!(restart))
        .routes(routes!(status))
        .routes(routes!(capabilities))
        .routes(routes!(logs))
        .routes(routes!(telemetry))
        .routes(routes!(config))
}

/// Every plugin with its status.
#[utoipa::path(get, path = "/api/plugins", tag = "plugins", security(("bearer" = [])),
    responses((status = 200, body = PluginList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list(state: State, _: Require<perm::PluginsRead>) -> Json<PluginList> {
    Json(PluginList { plugins: state.supervisor.all().map(|h| h.summary()).collect() })
}

/// One plugin: manifest, status, capabilities, config.
#[utoipa::path(get, path = "/api/plugins/{id}", tag = "plugins", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = PluginDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn detail(
    state: State,
    _: Require<perm::PluginsRead>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<PluginDetail>> {
    Ok(Json(state.plugin(&id)?.detail()))
}

/// Starts a plugin; answers once it is running (its handshake completed).
#[utoipa::path(post, path = "/api/plugins/{id}/start", tag = "plugins", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = LifecycleResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 502, body = ErrorBody)))]
async fn start(
    state: State,
    who: Require<perm::PluginsLifecycle>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<LifecycleResponse>> {
    let h = state.plugin(&id)?;
    let status = h.start(Some(audit(who.principal(), ip, "plugin.start", &id, json!({})))).await?;
    Ok(Json(LifecycleResponse { id, action: "start".into(), status }))
}

/// Stops a plugin: SIGTERM to its process group, SIGKILL after its stop timeout; answers once
/// the process is gone.
#[utoipa::path(post, path = "/api/plugins/{id}/stop", tag = "plugins", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = LifecycleResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn stop(
    state: State,
    who: Require<perm::PluginsLifecycle>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<LifecycleResponse>> {
    let h = state.plugin(&id)?;
    let status = h.stop(Some(audit(who.principal(), ip, "plugin.stop", &id, json!({})))).await?;
    Ok(Json(LifecycleResponse { id, action: "stop".into(), status }))
}

/// Restarts a plugin. A running plugin is hot-swapped: the new instance takes new calls once
/// its handshake completed, the old one finishes its calls in flight and then stops.
#[utoipa::path(post, path = "/api/plugins/{id}/restart", tag = "plugins", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = LifecycleResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 502, body = ErrorBody)))]
async fn restart(
    state: State,
    who: Require<perm::PluginsLifecycle>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<LifecycleResponse>> {
    let h = state.plugin(&id)?;
    let result = h.restart().await;
    // Recorded with its outcome, after the fact: a restart that failed is not a restart.
    let mut event = audit(who.principal(), ip, "plugin.restart", &id, json!({}));
    if let Err(e) = &result {
        event.success = false;
        event.details = json!({"error": e.to_string()});
    }
    state.store.audit(&event).await?;
    Ok(Json(LifecycleResponse { id, action: "restart".into(), status: result? }))
}

/// The plugin's lifecycle status.
#[utoipa::path(get, path = "/api/plugins/{id}/status", tag = "plugins", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = PluginStatus), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn status(
    state: State,
    _: Require<perm::PluginsRead>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<PluginStatus>> {
    Ok(Json(state.plugin(&id)?.status()))
}

/// The plugin's capabilities with their input and output schemas.
#[utoipa::path(get, path = "/api/plugins/{id}/capabilities", tag = "plugins", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = CapabilityList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn capabilities(
    state: State,
    _: Require<perm::PluginsRead>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<CapabilityList>> {
    Ok(Json(CapabilityList { capabilities: state.plugin(&id)?.capabilities() }))
}

/// Log backfill. Pass the answer's `cursor` to a `logs` WebSocket subscription to follow on
/// without a gap.
#[utoipa::path(get, path = "/api/plugins/{id}/logs", tag = "plugins", params(("id" = String, Path), LogQuery), security(("bearer" = [])),
    responses((status = 200, body = LogPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn logs(
    state: State,
    _: Require<perm::PluginsRead>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<LogQuery>,
) -> ApiResult<Json<LogPage>> {
    state.plugin(&id)?;
    let page = state.logs.query(&id, &q).await.map_err(|e| match e {
        QueryError::Bad(m) => ApiError::new(ErrorCode::InvalidRequest, m),
        QueryError::Io(e) => ApiError::internal(e),
    })?;
    Ok(Json(page))
}

/// Recent telemetry samples of the plugin, oldest first.
#[utoipa::path(get, path = "/api/plugins/{id}/telemetry", tag = "plugins", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = TelemetryHistory), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn telemetry(
    state: State,
    _: Require<perm::PluginsRead>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<TelemetryHistory>> {
    state.plugin(&id)?;
    state.telemetry.demand();
    Ok(Json(TelemetryHistory { samples: state.telemetry.history(&id) }))
}

/// Replaces the plugin's configuration (validated against its schema); applied live when the
/// plugin supports it, else by a hot swap, else at the next start.
#[utoipa::path(post, path = "/api/plugins/{id}/config", tag = "plugins", params(("id" = String, Path)), security(("bearer" = [])),
    request_body = Object,
    responses((status = 200, body = ConfigApplied), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody)))]
async fn config(
    state: State,
    who: Require<perm::PluginsConfigure>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
    ApiJson(config): ApiJson<Value>,
) -> ApiResult<Json<ConfigApplied>> {
    let h = state.plugin(&id)?;
    let event = audit(who.principal(), ip, "plugin.config", &id, json!({}));
    Ok(Json(h.set_config(config, Some(event)).await?))
}

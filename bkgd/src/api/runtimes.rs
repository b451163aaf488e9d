//! Installing plugins and their runtimes, and reloading the plugins directory (admins only:
//! each runs code or writes files with the daemon's rights). `POST /api/plugins/{id}/install`
//! installs a plugin's `[runtime]`, streaming the installer's output as NDJSON when asked;
//! `PUT /api/plugins/{id}/bundle` writes an uploaded plugin folder (a tar archive) into the
//! plugins directory; `POST /api/plugins/reload` picks up new and changed manifests without
//! touching running plugins. Each leaves an audit row.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::Arc;

use super::json::Json;
use axum::body::{Body, Bytes};
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use bkg_core::plugin::PluginSource;
use bkg_core::runtime::{BundleInstalled, InstallEvent, ReloadReport, RuntimeStatus};
use bkg_core::{ErrorBody, ErrorCode};
use serde_json::json;
use tokio::sync::mpsc;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult};
use super::extract::ApiPath;
use super::principal::{ClientIp, Require, perm};
use super::{AppState, State};
use crate::auth::Principal;
use crate::auth::admin::audit;
use crate::store::NewAuditEvent;
use crate::supervisor::bundle::{self, BundleError};
use crate::supervisor::runtime::InstallError;

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(install))
        .routes(routes!(upload).layer(DefaultBodyLimit::max(bundle::MAX_BYTES as usize + (1 << 20))))
        .routes(routes!(reload))
}

impl From<InstallError> for ApiError {
    fn from(e: InstallError) -> Self {
        let code = match e {
            InstallError::NoRuntime(_) | InstallError::Running(..) | InstallError::Busy(_) => {
                ErrorCode::Conflict
            }
            InstallError::Failed(_) => ErrorCode::UpstreamError,
        };
        ApiError::new(code, e.to_string())
    }
}

fn event(
    who: &Principal,
    ip: IpAddr,
    action: &str,
    id: &str,
    ok: bool,
    details: serde_json::Value,
) -> NewAuditEvent {
    NewAuditEvent { success: ok, ..audit(who, ip, action, id, details) }
}

/// Installs the plugin's runtime (a Python venv with its requirements, or `npm ci`); the
/// plugin must be stopped. With `Accept: application/x-ndjson` the answer streams
/// `InstallEvent`s: the installer's output lines as they come, then `done` or `error`.
#[utoipa::path(post, path = "/api/plugins/{id}/install", tag = "plugins", params(("id" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = RuntimeStatus, description = "Installed; with Accept: application/x-ndjson a stream of InstallEvent"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "No [runtime], the plugin is running, or an install is running"),
        (status = 502, body = ErrorBody, description = "The installer failed; the message has its last lines")))]
async fn install(
    state: State,
    who: Require<perm::PluginsAdmin>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let h = state.plugin(&id)?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let store = state.store.clone();
    let who = who.principal().clone();
    let task = tokio::spawn(async move {
        let result = h.install_runtime(tx).await;
        let details = match &result {
            Ok(s) => json!({"kind": s.kind}),
            Err(e) => json!({"error": e.to_string()}),
        };
        store.audit(&event(&who, ip, "plugin.install", &h.id, result.is_ok(), details)).await?;
        Ok::<_, ApiError>(result?)
    });
    let streaming = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/x-ndjson"));
    if !streaming {
        // The output still reaches the plugin's log; the caller waits for the outcome.
        while rx.recv().await.is_some() {}
        return task.await.map_err(ApiError::internal)?.map(|s| Json(s).into_response());
    }
    // Errors found before anything ran (running, busy, no runtime) are answered as errors.
    let Some(first) = rx.recv().await else {
        return task.await.map_err(ApiError::internal)?.map(|s| ndjson(&[InstallEvent::Done(s)]));
    };
    let (events, out) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let _ = events.send(InstallEvent::Output(first));
        while let Some(line) = rx.recv().await {
            let _ = events.send(InstallEvent::Output(line));
        }
        let last = match task.await {
            Ok(Ok(s)) => InstallEvent::Done(s),
            Ok(Err(e)) => InstallEvent::Error(e.body()),
            Err(e) => InstallEvent::Error(ApiError::internal(e).body()),
        };
        let _ = events.send(last);
    });
    let body = futures_util::stream::unfold(out, |mut out| async move {
        let ev = out.recv().await?;
        Some((Ok::<_, Infallible>(ndjson_line(&ev)), out))
    });
    Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], Body::from_stream(body)).into_response())
}

fn ndjson_line(ev: &InstallEvent) -> Vec<u8> {
    let mut line = serde_json::to_vec(ev).unwrap_or_default();
    line.push(b'\n');
    line
}

fn ndjson(events: &[InstallEvent]) -> Response {
    let body: Vec<u8> = events.iter().flat_map(ndjson_line).collect();
    ([(header::CONTENT_TYPE, "application/x-ndjson")], body).into_response()
}

/// Writes an uploaded plugin folder (an uncompressed tar archive whose root holds the
/// `plugin.toml` of plugin `id`) into the plugins directory, replacing the plugin's folder,
/// then reloads. Refused while the plugin runs, and for built-in plugins. Dependencies are not
/// part of a bundle: install them with `POST /api/plugins/{id}/install`.
#[utoipa::path(put, path = "/api/plugins/{id}/bundle", tag = "plugins", params(("id" = String, Path)),
    security(("bearer" = [])), request_body(content = Vec<u8>, content_type = "application/x-tar"),
    responses((status = 200, body = BundleInstalled), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)))]
async fn upload(
    state: State,
    who: Require<perm::PluginsAdmin>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
    body: Bytes,
) -> ApiResult<Json<BundleInstalled>> {
    if !crate::supervisor::manifest::valid_id(&id) {
        return Err(ApiError::new(
            ErrorCode::InvalidRequest,
            format!("{id:?} is not a plugin id (lowercase letters, digits, - and _)"),
        ));
    }
    if let Some(h) = state.supervisor.get(&id) {
        if h.loaded.source == PluginSource::Builtin {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("{id} is built into bkgd and cannot be replaced"),
            ));
        }
        let s = h.status().status;
        if !matches!(s, bkg_core::plugin::PluginState::Stopped | bkg_core::plugin::PluginState::Failed) {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("{id} is {s}; stop it before replacing its folder"),
            ));
        }
    }
    let dir = state.config.plugins_dir.clone();
    let plugin = id.clone();
    let unpacked = tokio::task::spawn_blocking(move || bundle::install(&body, &plugin, &dir))
        .await
        .map_err(ApiError::internal)?;
    let details = match &unpacked {
        Ok(u) => json!({"files": u.files, "bytes": u.bytes}),
        Err(e) => json!({"error": e.to_string()}),
    };
    state.store.audit(&event(who.principal(), ip, "plugin.bundle", &id, unpacked.is_ok(), details)).await?;
    let unpacked = unpacked.map_err(|e| match e {
        BundleError::Invalid(_) => ApiError::new(ErrorCode::InvalidRequest, e.to_string()),
        BundleError::Io(_) => ApiError::internal(anyhow::anyhow!(e.to_string())),
    })?;
    let reload = state.supervisor.reload().await?;
    Ok(Json(BundleInstalled { id, files: unpacked.files, bytes: unpacked.bytes, reload }))
}

/// Picks up new, changed and removed manifests in the plugins directory. Running plugins are
/// left alone: their changes are reported as `deferred` and apply at a reload once stopped.
#[utoipa::path(post, path = "/api/plugins/reload", tag = "plugins", security(("bearer" = [])),
    responses((status = 200, body = ReloadReport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn reload(
    state: State,
    who: Require<perm::PluginsAdmin>,
    ClientIp(ip): ClientIp,
) -> ApiResult<Json<ReloadReport>> {
    let report = state.supervisor.reload().await?;
    let details = json!({"added": report.added, "updated": report.updated, "removed": report.removed, "errors": report.errors.len()});
    state.store.audit(&audit(who.principal(), ip, "plugin.reload", "plugins", details)).await?;
    Ok(Json(report))
}

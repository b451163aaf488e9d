//! `/auth/sessions`: the caller's own login sessions, listed and revoked one by one (the web
//! UI's settings page). Revoking a session ends its tokens at once and closes its WebSockets.

use std::sync::Arc;

use super::json::Json;
use axum::http::StatusCode;
use bkg_core::auth::{AuthMethod, SessionInfo, SessionList};
use bkg_core::{ErrorBody, ErrorCode};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult};
use super::extract::ApiPath;
use super::principal::{Authenticated, ClientIp};
use super::{AppState, State};
use crate::auth::Principal;
use crate::store::{NewAuditEvent, ms_to_time, now_ms};

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(revoke))
}

/// Sessions belong to logins; an API key has none and may not manage its owner's.
fn login_only(p: &Principal) -> Result<(), ApiError> {
    if p.method == AuthMethod::Jwt {
        return Ok(());
    }
    Err(ApiError::new(ErrorCode::Forbidden, "sessions are managed by a logged-in user, not with an API key"))
}

/// The caller's live login sessions, newest first.
#[utoipa::path(get, path = "/auth/sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = SessionList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list(state: State, Authenticated(p): Authenticated) -> ApiResult<Json<SessionList>> {
    login_only(&p)?;
    let rows = state.store.live_sessions(&p.user_id, now_ms()).await?;
    let sessions = rows
        .into_iter()
        .map(|s| SessionInfo {
            current: p.session_id.as_deref() == Some(s.id.as_str()),
            id: s.id,
            created_at: ms_to_time(s.created_at),
            expires_at: ms_to_time(s.expires_at),
            ip: s.ip,
        })
        .collect();
    Ok(Json(SessionList { sessions }))
}

/// Ends one of the caller's sessions (another tab or device, or this one).
#[utoipa::path(delete, path = "/auth/sessions/{id}", tag = "auth", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn revoke(
    state: State,
    Authenticated(p): Authenticated,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    login_only(&p)?;
    let mut tx = state.store.begin().await?;
    if !tx.revoke_own_session(&id, &p.user_id, now_ms()).await? {
        return Err(ApiError::not_found(format!("you have no live session {id:?}")));
    }
    tx.audit(&NewAuditEvent {
        action: "auth.session_revoke".into(),
        actor: Some(p.actor()),
        target: Some(p.user_id.clone()),
        success: true,
        ip: Some(ip.to_string()),
        details: json!({"session": id}),
    })
    .await?;
    tx.commit().await?;
    state.hub.close_where(|o| o.session_id.as_deref() == Some(id.as_str()));
    Ok(StatusCode::NO_CONTENT)
}

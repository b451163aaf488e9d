//! `/auth/*`: login, refresh, logout, the caller's identity, password change.

use std::sync::Arc;

use super::json::Json;
use axum::http::StatusCode;
use bkg_core::ErrorBody;
use bkg_core::auth::{ChangePassword, LoginRequest, LogoutRequest, Me, RefreshRequest, TokenPair};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, OptionalJson};
use super::principal::{Authenticated, ClientIp};
use super::{AppState, State};

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(password))
}

/// Logs in with a username and password; answers a short-lived access token and a refresh token.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenPair), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn login(
    state: State,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Json<TokenPair>> {
    let answer = state.auth.login(&req.username, &req.password, ip).await;
    state.usage.login(answer.is_ok());
    Ok(Json(answer?))
}

/// Trades a refresh token for a new pair. Each refresh token works once; presenting a used one
/// revokes its whole session.
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenPair), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn refresh(
    state: State,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> ApiResult<Json<TokenPair>> {
    Ok(Json(state.auth.refresh(&req.refresh_token, ip).await?))
}

/// Ends this login session (or, with `all`, every session of the user); its tokens stop working
/// at once and its WebSocket connections close.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(("bearer" = [])),
    request_body(content = Option<LogoutRequest>, description = "optional"),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn logout(
    state: State,
    Authenticated(p): Authenticated,
    ClientIp(ip): ClientIp,
    OptionalJson(body): OptionalJson<LogoutRequest>,
) -> ApiResult<StatusCode> {
    let all = body.is_some_and(|b| b.all);
    state.auth.logout(&p, all, ip).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who the caller is and what they may do.
#[utoipa::path(get, path = "/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn me(state: State, Authenticated(p): Authenticated) -> ApiResult<Json<Me>> {
    let user = state
        .store
        .user_by_id(&p.user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("this user no longer exists"))?;
    Ok(Json(Me {
        user: user.dto(),
        role: p.role,
        permissions: p.permissions(),
        method: p.method,
        key_id: p.key_id.clone(),
        session_id: p.session_id.clone(),
    }))
}

/// Changes the caller's own password; every session of the user ends (log in again).
#[utoipa::path(post, path = "/auth/password", tag = "auth", security(("bearer" = [])), request_body = ChangePassword,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn password(
    state: State,
    Authenticated(p): Authenticated,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<ChangePassword>,
) -> ApiResult<StatusCode> {
    state.auth.change_password(&p, &req.current_password, &req.new_password, ip).await?;
    Ok(StatusCode::NO_CONTENT)
}

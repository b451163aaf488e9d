//! `/admin/users`: list, create, update, delete users.

use std::sync::Arc;

use super::json::Json;
use axum::http::StatusCode;
use bkg_core::ErrorBody;
use bkg_core::auth::{CreateUser, UpdateUser, User, UserList};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ApiResult;
use super::extract::{ApiJson, ApiPath};
use super::principal::{ClientIp, Require, perm};
use super::{AppState, State};

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(update, delete))
}

/// Every user (never their password hashes).
#[utoipa::path(get, path = "/admin/users", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = UserList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list(state: State, _: Require<perm::UsersRead>) -> ApiResult<Json<UserList>> {
    Ok(Json(UserList { users: state.auth.list_users().await? }))
}

/// Creates a user.
#[utoipa::path(post, path = "/admin/users", tag = "users", security(("bearer" = [])), request_body = CreateUser,
    responses((status = 201, body = User), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create(
    state: State,
    who: Require<perm::UsersWrite>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<CreateUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    Ok((StatusCode::CREATED, Json(state.auth.create_user(who.principal(), &req, ip).await?)))
}

/// Changes a user's role, password or disabled flag. Any of these ends the user's sessions.
/// The last enabled admin cannot be demoted or disabled.
#[utoipa::path(put, path = "/admin/users/{id}", tag = "users", params(("id" = String, Path)), security(("bearer" = [])),
    request_body = UpdateUser,
    responses((status = 200, body = User), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update(
    state: State,
    who: Require<perm::UsersWrite>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<UpdateUser>,
) -> ApiResult<Json<User>> {
    Ok(Json(state.auth.update_user(who.principal(), &id, &req, ip).await?))
}

/// Deletes a user and their keys. The last enabled admin cannot be deleted.
#[utoipa::path(delete, path = "/admin/users/{id}", tag = "users", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete(
    state: State,
    who: Require<perm::UsersWrite>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    state.auth.delete_user(who.principal(), &id, ip).await?;
    Ok(StatusCode::NO_CONTENT)
}

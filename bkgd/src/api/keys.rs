//! `/admin/api-keys`: users manage their own keys, admins everyone's.

use std::sync::Arc;

use super::json::Json;
use axum::http::StatusCode;
use bkg_core::ErrorBody;
use bkg_core::auth::{ApiKey, ApiKeyList, ApiKeySecret, CreateApiKey, RotateApiKey, UpdateApiKey};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ApiResult;
use super::extract::{ApiJson, ApiPath, ApiQuery, OptionalJson};
use super::principal::{ClientIp, Require, perm};
use super::{AppState, State};

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(update, delete)).routes(routes!(rotate))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
struct KeyFilter {
    /// Admins: only this user's keys.
    user_id: Option<String>,
}

/// The caller's keys (admins: everyone's). Never the secrets.
#[utoipa::path(get, path = "/admin/api-keys", tag = "api-keys", params(KeyFilter), security(("bearer" = [])),
    responses((status = 200, body = ApiKeyList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list(
    state: State,
    who: Require<perm::KeysOwn>,
    ApiQuery(f): ApiQuery<KeyFilter>,
) -> ApiResult<Json<ApiKeyList>> {
    Ok(Json(ApiKeyList { keys: state.auth.list_keys(who.principal(), f.user_id.as_deref()).await? }))
}

/// Creates a key. The answer holds the secret; it is shown this once and never again.
#[utoipa::path(post, path = "/admin/api-keys", tag = "api-keys", security(("bearer" = [])), request_body = CreateApiKey,
    responses((status = 201, body = ApiKeySecret), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn create(
    state: State,
    who: Require<perm::KeysOwn>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<CreateApiKey>,
) -> ApiResult<(StatusCode, Json<ApiKeySecret>)> {
    Ok((StatusCode::CREATED, Json(state.auth.create_key(who.principal(), &req, ip).await?)))
}

/// Changes the given fields of a key (name, role, scopes, expiry, enabled); PUT and PATCH
/// both change only what is given.
#[utoipa::path(method(put, patch), path = "/admin/api-keys/{id}", tag = "api-keys", params(("id" = String, Path)), security(("bearer" = [])),
    request_body = UpdateApiKey,
    responses((status = 200, body = ApiKey), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn update(
    state: State,
    who: Require<perm::KeysOwn>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<UpdateApiKey>,
) -> ApiResult<Json<ApiKey>> {
    Ok(Json(state.auth.update_key(who.principal(), &id, &req, ip).await?))
}

/// Deletes a key; it stops working at once.
#[utoipa::path(delete, path = "/admin/api-keys/{id}", tag = "api-keys", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn delete(
    state: State,
    who: Require<perm::KeysOwn>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    state.auth.delete_key(who.principal(), &id, ip).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives a key a new secret (shown once). With a grace period the old secret keeps working
/// until it ends; without, it stops at once.
#[utoipa::path(post, path = "/admin/api-keys/{id}/rotate", tag = "api-keys", params(("id" = String, Path)), security(("bearer" = [])),
    request_body(content = Option<RotateApiKey>, description = "optional"),
    responses((status = 200, body = ApiKeySecret), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn rotate(
    state: State,
    who: Require<perm::KeysOwn>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
    OptionalJson(body): OptionalJson<RotateApiKey>,
) -> ApiResult<Json<ApiKeySecret>> {
    let req = body.unwrap_or_default();
    Ok(Json(state.auth.rotate_key(who.principal(), &id, &req, ip).await?))
}

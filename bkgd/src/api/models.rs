//! `/api/models`: the model registry. List and show, download from the hub (202, a background
//! job), import from a local folder, validate, delete. Progress is also on the `models`
//! WebSocket topic.

use std::sync::Arc;

use super::json::Json;
use axum::http::StatusCode;
use bkg_core::ErrorBody;
use bkg_core::models::{
    DownloadAccepted, DownloadRequest, ImportRequest, Model, ModelList, ValidationReport,
};
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ApiResult;
use super::extract::{ApiJson, ApiPath, ApiQuery, OptionalJson};
use super::principal::{ClientIp, Require, perm};
use super::{AppState, State};

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(show, delete))
        .routes(routes!(download))
        .routes(routes!(import))
        .routes(routes!(validate))
}

/// Every registered model, oldest first, with live progress for downloads.
#[utoipa::path(get, path = "/api/models", tag = "models", security(("bearer" = [])),
    responses((status = 200, body = ModelList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list(state: State, _: Require<perm::ModelsRead>) -> ApiResult<Json<ModelList>> {
    Ok(Json(ModelList { models: state.models.list().await? }))
}

/// One model: files with hashes, status, progress (bytes, rate, ETA), problems, users.
#[utoipa::path(get, path = "/api/models/{id}", tag = "models", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Model), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn show(
    state: State,
    _: Require<perm::ModelsRead>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Model>> {
    Ok(Json(state.models.get(&id).await?))
}

/// Starts downloading a model from the hub and answers at once (202) with the model and its
/// job. Asking again for the same repo and revision joins the existing model (`created:
/// false`) instead of downloading twice; a failed or invalid one is downloaded again.
#[utoipa::path(post, path = "/api/models/download", tag = "models", security(("bearer" = [])),
    request_body = DownloadRequest,
    responses((status = 202, body = DownloadAccepted), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "The hub has no such repo or revision"),
        (status = 409, body = ErrorBody), (status = 502, body = ErrorBody, description = "The hub failed or cannot be reached")))]
async fn download(
    state: State,
    who: Require<perm::ModelsWrite>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<DownloadRequest>,
) -> ApiResult<(StatusCode, Json<DownloadAccepted>)> {
    Ok((StatusCode::ACCEPTED, Json(state.models.download(req, who.principal(), ip).await?)))
}

/// Registers a model from a folder on the daemon's machine: its files are copied into the
/// cache, hashed and checked like a download. Admins only, and only from the folders listed in
/// `models.import_roots` (403 `path_not_allowed` otherwise; never the data dir or the cache,
/// nor anything a symlink leads to outside the roots).
#[utoipa::path(post, path = "/api/models/import", tag = "models", security(("bearer" = [])),
    request_body = ImportRequest,
    responses((status = 201, body = Model), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn import(
    state: State,
    who: Require<perm::ModelsImport>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<ImportRequest>,
) -> ApiResult<(StatusCode, Json<Model>)> {
    Ok((StatusCode::CREATED, Json(state.models.import(req, who.principal(), ip).await?)))
}

/// Re-hashes every file and parses safetensors and GGUF headers and `config.json`. The
/// model becomes `ready` or `invalid`; `ok` and `problems` say why.
#[utoipa::path(post, path = "/api/models/{id}/validate", tag = "models", params(("id" = String, Path)),
    security(("bearer" = [])), request_body(content = Option<Object>, description = "Empty, or `{}`"),
    responses((status = 200, body = ValidationReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn validate(
    state: State,
    who: Require<perm::ModelsWrite>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
    OptionalJson(_body): OptionalJson<Value>,
) -> ApiResult<Json<ValidationReport>> {
    Ok(Json(state.models.validate(&id, who.principal(), ip).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DeleteParams {
    /// Delete even while a running plugin uses the model.
    #[serde(default)]
    force: bool,
}

/// Deletes a model: cancels its download if one runs, removes the files no other snapshot
/// needs, and the registry entry. 409 while a running plugin uses it, unless `force=true`.
#[utoipa::path(delete, path = "/api/models/{id}", tag = "models", params(("id" = String, Path), DeleteParams),
    security(("bearer" = [])),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn delete(
    state: State,
    who: Require<perm::ModelsWrite>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
    ApiQuery(p): ApiQuery<DeleteParams>,
) -> ApiResult<StatusCode> {
    state.models.delete(&id, p.force, who.principal(), ip).await?;
    Ok(StatusCode::NO_CONTENT)
}

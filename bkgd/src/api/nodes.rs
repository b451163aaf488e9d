//! `GET /api/nodes`: every bkgd on this database (one on SQLite) with its state and plugins.

use std::sync::Arc;

use super::json::Json;
use bkg_core::ErrorBody;
use bkg_core::cluster::NodeList;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ApiResult;
use super::principal::{Require, perm};
use super::{AppState, State};

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new().routes(routes!(list))
}

/// Every node of the cluster: the one answering (`current`) with its live plugins, the others
/// as their last heartbeat reported them (`up`, `down` after three missed heartbeats, or
/// `stopped` after a clean shutdown). Plugins run per node; a client acts on one through its
/// node's `url`.
#[utoipa::path(get, path = "/api/nodes", tag = "nodes", security(("bearer" = [])),
    responses((status = 200, body = NodeList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list(state: State, _: Require<perm::PluginsRead>) -> ApiResult<Json<NodeList>> {
    Ok(Json(state.cluster.nodes().await?))
}

//! `GET /admin/config`: the daemon's effective configuration, read-only, secrets redacted.

use std::sync::Arc;

use super::json::Json;
use bkg_core::ErrorBody;
use bkg_core::daemon::EffectiveConfig;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult};
use super::principal::{Require, perm};
use super::{AppState, State};

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new().routes(routes!(show))
}

/// The configuration after every layer (defaults, file, `BKG_*`, flags), as `bkgd config show`
/// prints it, with every secret replaced by `***`. Changing it means editing the file or the
/// environment and restarting bkgd.
#[utoipa::path(get, path = "/admin/config", tag = "health", security(("bearer" = [])),
    responses((status = 200, body = EffectiveConfig), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn show(state: State, _: Require<perm::ConfigRead>) -> ApiResult<Json<EffectiveConfig>> {
    let config = serde_json::to_value(state.config.redacted()).map_err(ApiError::internal)?;
    Ok(Json(EffectiveConfig {
        version: bkg_core::VERSION.into(),
        database_backend: state.store.backend().into(),
        config,
    }))
}

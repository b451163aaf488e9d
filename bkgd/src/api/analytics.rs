//! `GET /api/analytics/usage`: the usage rollups (see `crate::usage`), per hour or per day.

use std::sync::Arc;

use super::json::Json;
use bkg_core::analytics::{UsageQuery, UsageReport};
use bkg_core::{ErrorBody, ErrorCode};
use chrono::Utc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult};
use super::extract::{ApiQuery, time_param};
use super::principal::{Require, perm};
use super::{AppState, State};

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new().routes(routes!(usage))
}

/// Usage analytics: invocations per plugin and capability (with outcome and latency bucket),
/// tokens generated, embeddings computed, model downloads and logins, counted per hour (or
/// summed per UTC day), oldest first. Kept for `analytics.retention_days`.
#[utoipa::path(get, path = "/api/analytics/usage", tag = "analytics", params(UsageQuery), security(("bearer" = [])),
    responses((status = 200, body = UsageReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn usage(
    state: State,
    _: Require<perm::AnalyticsRead>,
    ApiQuery(q): ApiQuery<UsageQuery>,
) -> ApiResult<Json<UsageReport>> {
    let now = Utc::now();
    let since = time_param("since", q.since.as_deref())?.unwrap_or(now - chrono::Duration::hours(24));
    let until = time_param("until", q.until.as_deref())?.unwrap_or(now);
    if since >= until {
        return Err(ApiError::new(ErrorCode::InvalidRequest, "since must be before until"));
    }
    let report = state
        .usage
        .report(since, until, q.interval.unwrap_or_default(), q.plugin.as_deref(), q.metric)
        .await?;
    Ok(Json(report))
}

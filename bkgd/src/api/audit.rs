//! `GET /admin/audit`: the audit log, newest first, with filters and keyset paging.

use std::sync::Arc;

use super::json::Json;
use bkg_core::ErrorBody;
use bkg_core::ErrorCode;
use bkg_core::auth::{AuditPage, AuditQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult};
use super::extract::{ApiQuery, time_param};
use super::principal::{Require, perm};
use super::{AppState, State};
use crate::store::AuditFilter;

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new().routes(routes!(list))
}

/// Audit events, newest first. `action` may be a prefix ending in `.` (`key.`).
#[utoipa::path(get, path = "/admin/audit", tag = "audit", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = AuditPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list(
    state: State,
    _: Require<perm::AuditRead>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::new(ErrorCode::InvalidRequest, "limit must be between 1 and 1000"));
    }
    if q.before.is_some_and(|b| b < 1) {
        return Err(ApiError::new(ErrorCode::InvalidRequest, "before must be at least 1 (an event id)"));
    }
    let filter = AuditFilter {
        actor: q.actor.clone(),
        action: q.action.clone(),
        target: q.target.clone(),
        since: time_param("since", q.since.as_deref())?,
        until: time_param("until", q.until.as_deref())?,
        before: q.before,
        limit: limit + 1,
    };
    let mut events = state.store.audit_events(&filter).await?;
    let next = if events.len() > limit as usize {
        events.truncate(limit as usize);
        events.last().map(|e| e.id)
    } else {
        None
    };
    Ok(Json(AuditPage { events, next }))
}

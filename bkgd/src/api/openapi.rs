//! The OpenAPI document, generated from the handlers' annotations, served at
//! `/api/openapi.json`; a committed copy (`docs/openapi.json`) is checked by a test.

use std::sync::{Arc, OnceLock};

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;

/// Routes that need no credentials, as `(method, path)`. Everything else requires a permission.
pub const PUBLIC_ROUTES: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/api/openapi.json"),
    ("post", "/auth/login"),
    ("post", "/auth/refresh"),
];

pub fn base() -> OpenApi {
    let mut api = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("bkg")
                .version(bkg_core::VERSION)
                .description(Some(
                    "The bkgd API. Errors are `{code, message, details?}` with a stable code (on the OpenAI-compatible `/v1` routes, OpenAI's `{error: {message, type, param, code}}` with the same code). Authenticate with \
                     `Authorization: Bearer <access token or API key>` (or `X-API-Key`). Live events: the \
                     WebSocket `/ws/plugins` (send `{\"action\":\"SUB\",\"topic\":\"status|logs|telemetry|models\"}`; \
                     browsers pass their token as the subprotocol `bkg.bearer.<token>` next to `bkg.v1`).",
                ))
                .build(),
        )
        .build();
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("a JWT from /auth/login, or an API key"))
                .build(),
        ),
    );
    components
        .add_security_scheme("apiKey", SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))));
    api
}

/// The full document, as served.
pub fn openapi_document() -> OpenApi {
    super::openapi_router().split_for_parts().1
}

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new().routes(routes!(serve_document))
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "health", responses((status = 200, body = Object)))]
async fn serve_document() -> Json<&'static OpenApi> {
    static DOC: OnceLock<OpenApi> = OnceLock::new();
    Json(DOC.get_or_init(openapi_document))
}

//! The OpenAPI document, generated from the handlers' annotations, served at
//! `/api/openapi.json`; a committed copy (`docs/openapi.json`) is checked by a test.

use std::sync::{Arc, OnceLock};

use super::json::Json;
use bkg_core::plugin::InvokeEvent;
use bkg_core::ws::{ClientMessage, ServerMessage};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder};
use utoipa::{PartialSchema, ToSchema};
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
    // The WebSocket's messages and the events of a streamed invocation are no route's declared
    // body; listed so clients generate their types from this document too (the web UI does).
    let mut schemas = Vec::new();
    <ClientMessage as ToSchema>::schemas(&mut schemas);
    <ServerMessage as ToSchema>::schemas(&mut schemas);
    <InvokeEvent as ToSchema>::schemas(&mut schemas);
    schemas.push((ClientMessage::name().into(), ClientMessage::schema()));
    schemas.push((ServerMessage::name().into(), ServerMessage::schema()));
    schemas.push((InvokeEvent::name().into(), InvokeEvent::schema()));
    components.schemas.extend(schemas);
    api
}

/// The full document, as served.
pub fn openapi_document() -> OpenApi {
    let mut doc = super::openapi_router().split_for_parts().1;
    unique_operation_ids(&mut doc);
    doc
}

/// utoipa names operations after their handler functions, and several modules have a `list`;
/// OpenAPI wants each id unique (code generators key on it), so each is named after its method
/// and path instead: `get /api/plugins/{id}/logs` is `getApiPluginsIdLogs`.
fn unique_operation_ids(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let words: String = path
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut cs = w.chars();
                cs.next().map(|c| c.to_ascii_uppercase().to_string() + cs.as_str()).unwrap_or_default()
            })
            .collect();
        let ops = [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
        ];
        for (method, op) in ops {
            if let Some(op) = op.as_mut() {
                op.operation_id = Some(format!("{method}{words}"));
            }
        }
    }
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

//! The OpenAPI document: served, complete, and equal to the committed `docs/openapi.json`
//! (regenerate with `make generate`).

use serde_json::Value;

use crate::harness::daemon;

#[tokio::test(flavor = "multi_thread")]
async fn the_committed_document_is_fresh_and_served() {
    let generated = bkgd::api::openapi_document().to_pretty_json().unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed.trim_end() == generated.trim_end(),
        "docs/openapi.json is stale: run `make generate` (or `cargo run -p bkgd -- openapi > docs/openapi.json`)"
    );
    let d = daemon().start().await;
    let served: Value =
        d.http_anonymous().get(d.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(served, serde_json::from_str::<Value>(&generated).unwrap());
    for path in ["/api/plugins", "/auth/login", "/admin/api-keys/{id}/rotate", "/admin/audit"] {
        assert!(served["paths"].get(path).is_some(), "{path} is documented");
    }
}

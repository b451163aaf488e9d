//! `POST /api/plugins/{id}/config`: validated, applied live, by a swap, or stored.

use bkg_core::plugin::ConfigApplyMode;
use serde_json::json;

use crate::harness::daemon;

const SCHEMA: &str = "[config]\nschema = { type = \"object\", properties = { greeting = { type = \"string\" } }, additionalProperties = false }\ndefault = { greeting = \"hi\" }\n";

#[tokio::test(flavor = "multi_thread")]
async fn config_is_stored_applied_live_and_persisted() {
    let d = daemon().plugin("p", &["serve"], SCHEMA).start().await;
    let stored = d.client.set_config("p", &json!({"greeting": "hello"})).await.unwrap();
    assert_eq!(stored.applied, ConfigApplyMode::Stored);
    d.client.start("p").await.unwrap();
    let who = d.client.invoke("p", "whoami", &json!({})).await.unwrap();
    assert_eq!(who.output["config"], json!({"greeting": "hello"}), "the hello carries the stored config");

    let live = d.client.set_config("p", &json!({"greeting": "moin"})).await.unwrap();
    assert_eq!(live.applied, ConfigApplyMode::Live);
    let who2 = d.client.invoke("p", "whoami", &json!({})).await.unwrap();
    assert_eq!(who2.output["config"], json!({"greeting": "moin"}));
    assert_eq!(who2.output["pid"], who.output["pid"], "applied without a restart");
    assert_eq!(d.client.plugin("p").await.unwrap().config, json!({"greeting": "moin"}));

    let err = d.client.set_config("p", &json!({"colour": "red"})).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plugin_without_live_config_is_swapped() {
    let manifest = crate::harness::python_manifest();
    let d = daemon().raw_manifest("pyexample", &manifest).start().await;
    let detail = d.client.plugin("pyexample").await.unwrap();
    let config = detail.config.clone();
    let first = d.client.start("pyexample").await.unwrap();
    let applied = d.client.set_config("pyexample", &config).await.unwrap();
    // The Python example announces config.live, so this is live; its schema is its own.
    assert!(matches!(applied.applied, ConfigApplyMode::Live | ConfigApplyMode::Swap));
    let now = d.client.plugin_status("pyexample").await.unwrap();
    if applied.applied == ConfigApplyMode::Swap {
        assert_ne!(now.pid, first.status.pid);
    }
}

//! Daemon callbacks: typed helpers against the harness's in-memory store, the daemon's errors,
//! and calls without the negotiated feature.

use bkg_core::protocol::ProtocolError;
use bkg_core::protocol::methods::{Document, DocumentsDelete, DocumentsList, DocumentsPut};
use bkg_plugin_sdk::testing::TestDaemon;
use bkg_plugin_sdk::{capability, codes, feature, to_output};
use serde_json::json;

use super::echo_plugin;

fn librarian() -> bkg_plugin_sdk::Plugin {
    echo_plugin()
        .feature(feature::CALLBACKS)
        .capability(capability("file"), |ctx, input| async move {
            let collection = input["collection"].as_str().unwrap_or("books").to_owned();
            let documents = vec![
                Document {
                    id: None,
                    text: "one".into(),
                    metadata: json!({"n": 1}),
                    embedding: Some(vec![0.5]),
                },
                Document {
                    id: Some("fixed".into()),
                    text: "two".into(),
                    metadata: json!({}),
                    embedding: None,
                },
            ];
            let put = ctx
                .documents_put(&DocumentsPut { collection: collection.clone(), model: None, documents })
                .await?;
            let list = ctx
                .documents_list(&DocumentsList {
                    collection: collection.clone(),
                    after: None,
                    limit: 10,
                    with_embeddings: true,
                })
                .await?;
            let collections = ctx.collections_list().await?;
            let deleted = ctx
                .documents_delete(&DocumentsDelete { collection, ids: Some(vec!["fixed".into()]) })
                .await?;
            Ok(json!({
                "put": to_output(&put)?,
                "list": to_output(&list)?,
                "collections": to_output(&collections)?,
                "deleted": deleted.deleted,
            }))
        })
        .capability(capability("raw"), |ctx, input| async move {
            let method = input["method"].as_str().unwrap_or_default().to_owned();
            ctx.call(&method, input["params"].clone()).await
        })
}

#[tokio::test]
async fn typed_callbacks_reach_the_daemon_and_come_back() {
    let daemon = TestDaemon::new();
    let plugin = daemon.start_in_process(librarian()).await.unwrap();
    let out = plugin.invoke("file", json!({"collection": "books"})).await.unwrap();
    let out = out.output();
    assert_eq!(out["put"], json!({"ids": ["doc-000001", "fixed"]}));
    assert_eq!(out["list"]["documents"][0]["embedding"], json!([0.5]));
    assert_eq!(out["list"]["next"], json!(null));
    assert_eq!(out["collections"], json!({"collections": [{"collection": "books", "documents": 2}]}));
    assert_eq!(out["deleted"], json!(1));
    assert_eq!(daemon.store().documents("books").len(), 1);
    let methods: Vec<String> = plugin.calls().into_iter().map(|(m, _)| m).collect();
    assert_eq!(methods, ["documents.put", "documents.list", "collections.list", "documents.delete"]);
}

#[tokio::test]
async fn the_daemons_error_becomes_the_requests_error() {
    let daemon = TestDaemon::new().call_handler(|method, _params| {
        Err(ProtocolError {
            code: "quota".into(),
            message: format!("{method}: over quota"),
            client_error: false,
        })
    });
    let plugin = daemon.start_in_process(librarian()).await.unwrap();
    let out = plugin.invoke("raw", json!({"method": "documents.put", "params": {}})).await.unwrap();
    assert_eq!(out.error().code, "quota");
    assert_eq!(out.error().message, "documents.put: over quota");
}

#[tokio::test]
async fn calls_need_the_feature_on_both_sides() {
    // The plugin announces callbacks but this daemon does not offer them.
    let daemon = TestDaemon::new().features(["cancel"]);
    let plugin = daemon.start_in_process(librarian()).await.unwrap();
    let out = plugin.invoke("raw", json!({"method": "collections.list", "params": {}})).await.unwrap();
    assert_eq!(out.error().code, codes::FEATURE_NOT_NEGOTIATED);
    assert!(plugin.calls().is_empty());

    // The daemon offers them but the plugin did not announce them.
    let plain = echo_plugin().capability(capability("raw"), |ctx, _input| async move {
        ctx.call("collections.list", json!({})).await
    });
    let plugin = TestDaemon::new().start_in_process(plain).await.unwrap();
    let out = plugin.invoke("raw", json!({})).await.unwrap();
    assert_eq!(out.error().code, codes::FEATURE_NOT_NEGOTIATED);
}

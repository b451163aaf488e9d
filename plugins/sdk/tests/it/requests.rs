//! Requests: results, errors, unknown capabilities, panics, and concurrency.

use std::sync::Arc;

use bkg_plugin_sdk::testing::TestDaemon;
use bkg_plugin_sdk::{PluginError, capability, codes, parse_input};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::Notify;

use super::echo_plugin;

#[tokio::test]
async fn hello_lists_capabilities_and_answers_invocations() {
    let plugin = TestDaemon::new().start_in_process(echo_plugin()).await.unwrap();
    let hello = plugin.hello().unwrap();
    assert_eq!((hello.name.as_str(), hello.version.as_str()), ("sdk-test", "1.2.3"));
    assert_eq!(hello.capabilities[0].name, "echo");
    assert_eq!(hello.capabilities[0].input_schema, json!({"type": "object"}));
    assert_eq!(hello.features, vec!["cancel"]);
    let outcome = plugin.invoke("echo", json!({"a": [1, 2]})).await.unwrap();
    assert_eq!(outcome.output(), &json!({"a": [1, 2]}));
    assert!(outcome.chunks.is_empty());
}

#[tokio::test]
async fn errors_keep_code_message_and_client_flag() {
    #[derive(Deserialize)]
    struct Input {
        n: u32,
    }
    let plugin = echo_plugin()
        .capability(capability("typed"), |_ctx, input| async move {
            let input: Input = parse_input(input)?;
            Ok(json!(input.n + 1))
        })
        .capability(capability("broken"), |_ctx, _input| async move {
            Err::<serde_json::Value, _>(PluginError::internal("disk on fire"))
        });
    let plugin = TestDaemon::new().start_in_process(plugin).await.unwrap();
    assert_eq!(plugin.invoke("typed", json!({"n": 1})).await.unwrap().output(), &json!(2));
    let bad = plugin.invoke("typed", json!({"n": "x"})).await.unwrap();
    assert_eq!(bad.error().code, codes::BAD_INPUT);
    assert!(bad.error().client_error);
    let broken = plugin.invoke("broken", json!({})).await.unwrap();
    assert_eq!((broken.error().code.as_str(), broken.error().message.as_str()), ("internal", "disk on fire"));
    assert!(!broken.error().client_error);
    let unknown = plugin.invoke("nope", json!({})).await.unwrap();
    assert_eq!(unknown.error().code, codes::UNKNOWN_CAPABILITY);
    assert!(unknown.error().client_error);
}

#[tokio::test]
async fn a_panicking_handler_becomes_an_error_and_the_plugin_keeps_serving() {
    let plugin = echo_plugin().capability(capability("boom"), |_ctx, _input| async move {
        if true {
            panic!("kaboom");
        }
        Ok(json!(null))
    });
    let plugin = TestDaemon::new().start_in_process(plugin).await.unwrap();
    let outcome = plugin.invoke("boom", json!({})).await.unwrap();
    assert_eq!(outcome.error().code, codes::PANIC);
    assert!(outcome.error().message.contains("kaboom"), "{:?}", outcome.error());
    assert_eq!(
        plugin.invoke("echo", json!({"still": "alive"})).await.unwrap().output(),
        &json!({"still": "alive"})
    );
}

#[tokio::test]
async fn requests_run_concurrently_and_finish_out_of_order() {
    // `wait` finishes only after `release` ran: if requests were handled one at a time, the
    // first would block the second forever and the harness deadline would fail the test.
    let gate = Arc::new(Notify::new());
    let (g1, g2) = (gate.clone(), gate.clone());
    let plugin = echo_plugin()
        .capability(capability("wait"), move |_ctx, _input| {
            let gate = g1.clone();
            async move {
                gate.notified().await;
                Ok(json!("waited"))
            }
        })
        .capability(capability("release"), move |_ctx, _input| {
            let gate = g2.clone();
            async move {
                gate.notify_one();
                Ok(json!("released"))
            }
        });
    let plugin = TestDaemon::new().start_in_process(plugin).await.unwrap();
    let waiting = plugin.start("wait", json!({})).await.unwrap();
    let releasing = plugin.start("release", json!({})).await.unwrap();
    assert_eq!(releasing.finish().await.unwrap().output(), &json!("released"));
    assert_eq!(waiting.finish().await.unwrap().output(), &json!("waited"));
}

#[tokio::test]
async fn many_concurrent_requests_each_get_their_own_reply() {
    let plugin = TestDaemon::new().start_in_process(echo_plugin()).await.unwrap();
    let mut pending = Vec::new();
    for n in 0..200 {
        pending.push((n, plugin.start("echo", json!({"n": n})).await.unwrap()));
    }
    for (n, invocation) in pending {
        assert_eq!(invocation.finish().await.unwrap().output(), &json!({"n": n}));
    }
}

#[tokio::test]
async fn a_duplicate_request_id_is_refused() {
    let gate = Arc::new(Notify::new());
    let g = gate.clone();
    let plugin = echo_plugin().capability(capability("wait"), move |_ctx, _input| {
        let gate = g.clone();
        async move {
            gate.notified().await;
            Ok(json!("first"))
        }
    });
    let plugin = TestDaemon::new().start_in_process(plugin).await.unwrap();
    let first = plugin.start("wait", json!({})).await.unwrap();
    let id = first.id();
    plugin
        .send(&bkg_core::protocol::DaemonMessage::Invoke {
            id,
            capability: "echo".into(),
            input: json!({}),
            caller: None,
        })
        .await
        .unwrap();
    // The refusal carries the same id, so it reaches the first request's handle.
    let mut first = first;
    match first.next().await.unwrap() {
        bkg_plugin_sdk::testing::Reply::Error(e) => assert_eq!(e.code, codes::DUPLICATE_ID),
        other => panic!("expected the duplicate to be refused, got {other:?}"),
    }
    gate.notify_one();
}

//! AT-PLUG-001 and AT-PLUG-002: listing, start, stop, restart of real processes.

use bkg_core::plugin::{DesiredState, PluginState};
use serde_json::{Value, json};

use crate::harness::{alive, daemon, wait_until};

#[tokio::test(flavor = "multi_thread")]
async fn at_plug_001_list_has_ids_and_status() {
    let d = daemon().plugin("alpha", &["serve"], "").plugin("beta", &["serve"], "").start().await;
    let resp = d.http().get(d.url("/api/plugins")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    let plugins = body["plugins"].as_array().unwrap();
    assert_eq!(plugins.len(), 2);
    for p in plugins {
        assert!(!p["id"].as_str().unwrap().is_empty());
        assert_eq!(p["status"], "stopped");
    }
    let list = d.client.plugins().await.unwrap();
    assert_eq!(list.plugins.iter().map(|p| &*p.id).collect::<Vec<_>>(), ["alpha", "beta"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn at_plug_002_start_stop_restart_really_move_processes() {
    let d = daemon().plugin("p", &["serve"], "").start().await;

    let resp = d.http().post(d.url("/api/plugins/p/start")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let started: Value = resp.json().await.unwrap();
    assert_eq!(started["status"]["status"], "running");
    let pid = started["status"]["pid"].as_u64().unwrap() as u32;
    assert!(alive(pid), "pid {pid} runs after start");
    let who = d.client.invoke("p", "whoami", &json!({})).await.unwrap();
    assert_eq!(who.output["pid"], pid, "the running process is the one the API names");
    assert_eq!(who.output["run"], 1);

    let resp = d.http().post(d.url("/api/plugins/p/restart")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let restarted: Value = resp.json().await.unwrap();
    let new_pid = restarted["status"]["pid"].as_u64().unwrap() as u32;
    assert_ne!(new_pid, pid);
    assert!(alive(new_pid));
    wait_until("the old instance is gone after the swap", || async { !alive(pid) }).await;
    assert_eq!(d.client.invoke("p", "whoami", &json!({})).await.unwrap().output["pid"], new_pid);

    let resp = d.http().post(d.url("/api/plugins/p/stop")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let stopped: Value = resp.json().await.unwrap();
    assert_eq!(stopped["status"]["status"], "stopped");
    assert!(!alive(new_pid), "the process is gone when stop answers");
    let status = d.client.plugin_status("p").await.unwrap();
    assert_eq!(
        (status.status, status.desired, status.pid),
        (PluginState::Stopped, DesiredState::Stopped, None)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn start_and_stop_are_idempotent_and_detail_shows_the_hello() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    d.client.stop("p").await.unwrap();
    let a = d.client.start("p").await.unwrap();
    let b = d.client.start("p").await.unwrap();
    assert_eq!(a.status.pid, b.status.pid);
    let detail = d.client.plugin("p").await.unwrap();
    assert_eq!(detail.running_version.as_deref(), Some(env!("CARGO_PKG_VERSION")));
    assert!(detail.capabilities.iter().any(|c| c.name == "echo"));
    assert!(detail.features.iter().any(|f| f == "cancel"));
    let caps = d.client.capabilities("p").await.unwrap();
    assert!(
        caps.capabilities.iter().any(|c| c.name == "sleep" && c.input_schema["required"] == json!(["ms"]))
    );
    d.client.stop("p").await.unwrap();
    d.client.stop("p").await.unwrap();
    // Stopped plugins still show what they can do.
    assert!(!d.client.capabilities("p").await.unwrap().capabilities.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn invoke_streams_as_ndjson_and_sse() {
    use futures_util::StreamExt;
    let d = daemon().plugin("p", &["serve"], "").start().await;
    d.client.start("p").await.unwrap();

    let events: Vec<_> = d
        .client
        .invoke_stream("p", "stream", &json!({"count": 5, "text": "t"}))
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(events.len(), 6, "{events:?}");
    assert!(matches!(events.last(), Some(Ok(bkg_core::plugin::InvokeEvent::Result(_)))));

    let resp = d
        .http()
        .post(d.url("/api/plugins/p/invoke/stream"))
        .header("accept", "text/event-stream")
        .json(&json!({"count": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    assert_eq!(text.matches("event: chunk").count(), 3, "{text}");
    assert_eq!(text.matches("event: result").count(), 1, "{text}");

    // Non-streaming callers get the final result only.
    let out = d.client.invoke("p", "stream", &json!({"count": 2})).await.unwrap();
    assert_eq!(out.output, json!({"count": 2}), "the final result, without the chunks");
    assert!(
        out.duration_ms.is_finite() && out.duration_ms > 0.0,
        "a real call takes time: {}",
        out.duration_ms
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn plugin_errors_keep_their_code_and_the_plugin_keeps_running() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    d.client.start("p").await.unwrap();
    let err = d.client.invoke("p", "fail", &json!({})).await.unwrap_err();
    assert_eq!(err.status(), Some(502));
    let bkg_core::client::ClientError::Api { body, .. } = err else { panic!() };
    assert_eq!(body.details.unwrap()["pluginCode"], "requested_failure");
    assert_eq!(d.client.invoke("p", "echo", &json!({"x": 1})).await.unwrap().output, json!({"x": 1}));
}

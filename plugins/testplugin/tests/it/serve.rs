//! `serve`: every capability, live configuration, callbacks, metrics, goodbye and stdin EOF.

use std::os::unix::process::ExitStatusExt;

use bkg_plugin_sdk::testing::{HarnessError, Reply, Signal, TestDaemon};
use bkg_plugin_sdk::{codes, feature};
use serde_json::{Value, json};

use super::{BIN, start};

#[tokio::test]
async fn hello_announces_every_capability_with_a_schema_and_all_features() {
    let plugin = start(&["serve"]).await;
    let hello = plugin.hello().unwrap();
    let names: Vec<&str> = hello.capabilities.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "echo", "stream", "sleep", "fail", "log", "whoami", "exit", "store", "model", "file", "relay",
            "panic"
        ]
    );
    for cap in &hello.capabilities {
        assert_eq!(cap.input_schema["type"], "object", "{} has an object schema", cap.name);
        assert!(!cap.description.is_empty());
    }
    let sleep = hello.capabilities.iter().find(|c| c.name == "sleep").unwrap();
    assert_eq!(sleep.input_schema["required"], json!(["ms"]));
    assert_eq!(
        sleep.input_schema["properties"]["ms"],
        json!({"type": "integer", "minimum": 0, "maximum": 86_400_000})
    );
    assert!(hello.capabilities.iter().find(|c| c.name == "stream").unwrap().streaming);
    assert_eq!(hello.features, [feature::CANCEL, feature::CONFIG_LIVE, feature::CALLBACKS, feature::METRICS]);
}

#[tokio::test]
async fn echo_returns_its_input_and_counts_calls_in_metrics() {
    let plugin = start(&["serve"]).await;
    let input = json!({"nested": {"list": [1, "two", null]}, "unicode": "héllo ✓"});
    assert_eq!(plugin.invoke("echo", input.clone()).await.unwrap().output(), &input);
    assert_eq!(plugin.invoke("echo", json!({})).await.unwrap().output(), &json!({}));
    // Metrics precede each result, so both are already here.
    let counts: Vec<f64> = plugin.metrics().iter().map(|m| m["echo_calls"]).collect();
    assert_eq!(counts, [1.0, 2.0]);
}

#[tokio::test]
async fn stream_sends_count_chunks_then_the_count() {
    let plugin = start(&["serve"]).await;
    let outcome = plugin.invoke("stream", json!({"count": 5, "text": "hi"})).await.unwrap();
    let expected: Vec<Value> = (0..5).map(|n| json!({"n": n, "text": "hi"})).collect();
    assert_eq!(outcome.chunks, expected);
    assert_eq!(outcome.output(), &json!({"count": 5}));
    let empty = plugin.invoke("stream", json!({"count": 0})).await.unwrap();
    assert!(empty.chunks.is_empty());
    assert_eq!(empty.output(), &json!({"count": 0}));
}

#[tokio::test]
async fn a_long_stream_can_be_cancelled() {
    let plugin = start(&["serve"]).await;
    let mut stream = plugin.start("stream", json!({"count": 10_000_000})).await.unwrap();
    assert!(matches!(stream.next().await.unwrap(), Reply::Chunk(_)));
    stream.cancel().await.unwrap();
    assert_eq!(stream.finish().await.unwrap().error().code, codes::CANCELLED);
}

#[tokio::test]
async fn sleep_sleeps_and_honours_cancel() {
    let plugin = start(&["serve"]).await;
    assert_eq!(plugin.invoke("sleep", json!({"ms": 1})).await.unwrap().output(), &json!({"slept_ms": 1}));
    let sleeping = plugin.start("sleep", json!({"ms": 86_400_000})).await.unwrap();
    sleeping.cancel().await.unwrap();
    assert_eq!(sleeping.finish().await.unwrap().error().code, codes::CANCELLED);
}

#[tokio::test]
async fn fail_fails_with_requested_failure() {
    let plugin = start(&["serve"]).await;
    let out = plugin.invoke("fail", json!({})).await.unwrap();
    assert_eq!(out.error().code, "requested_failure");
    assert!(!out.error().client_error);
    let out = plugin.invoke("fail", json!({"message": "as planned", "client_error": true})).await.unwrap();
    assert_eq!((out.error().message.as_str(), out.error().client_error), ("as planned", true));
}

#[tokio::test]
async fn log_writes_json_and_plain_lines_to_stderr() {
    let plugin = start(&["serve"]).await;
    let out = plugin.invoke("log", json!({"count": 3, "level": "warn", "message": "careful"})).await.unwrap();
    assert_eq!(out.output(), &json!({"written": 3}));
    // Written before the result, so already on the pipe; the harness reads it in order.
    plugin.wait_stderr(|l| l.contains(r#""n":2"#)).await.unwrap();
    let json_lines: Vec<Value> = plugin
        .stderr_lines()
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["message"] == "careful")
        .collect();
    assert_eq!(
        json_lines,
        (0..3).map(|n| json!({"level": "warn", "message": "careful", "n": n})).collect::<Vec<_>>()
    );

    plugin.invoke("log", json!({"count": 2, "level": "plain", "message": "raw"})).await.unwrap();
    plugin.wait_stderr(|l| l == "raw 1").await.unwrap();
    assert!(plugin.stderr_lines().contains(&"raw 0".to_owned()));
}

#[tokio::test]
async fn whoami_reports_the_process_and_the_hello_and_follows_configure() {
    let daemon = TestDaemon::new().plugin_id("tp").run(4).config(json!({"k": 1}));
    let plugin = daemon.start([BIN, "serve"]).await.unwrap();
    let me = plugin.invoke("whoami", json!({})).await.unwrap().output().clone();
    assert_eq!(me["pid"], json!(plugin.pid()));
    assert_eq!(
        (me["run"].clone(), me["pluginId"].clone(), me["config"].clone()),
        (json!(4), json!("tp"), json!({"k": 1}))
    );
    assert_eq!(me["features"], json!(["cancel", "config.live", "callbacks", "metrics"]));

    assert_eq!(plugin.configure(json!({"k": 2})).await.unwrap().output(), &Value::Null);
    let me = plugin.invoke("whoami", json!({})).await.unwrap();
    assert_eq!(me.output()["config"], json!({"k": 2}));

    let refused = plugin.configure(json!({"k": 3, "reject": true})).await.unwrap();
    assert_eq!((refused.error().code.as_str(), refused.error().client_error), ("config_rejected", true));
    let me = plugin.invoke("whoami", json!({})).await.unwrap();
    assert_eq!(me.output()["config"], json!({"k": 2}));
}

#[tokio::test]
async fn store_puts_and_lists_documents_through_callbacks() {
    let daemon = TestDaemon::new();
    let plugin = daemon.start([BIN, "serve"]).await.unwrap();
    let out =
        plugin.invoke("store", json!({"collection": "notes", "texts": ["alpha", "beta"]})).await.unwrap();
    let out = out.output();
    assert_eq!(out["put"]["ids"].as_array().unwrap().len(), 2);
    let texts: Vec<&str> =
        out["list"]["documents"].as_array().unwrap().iter().map(|d| d["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["alpha", "beta"]);
    assert_eq!(daemon.store().documents("notes").len(), 2);
    let methods: Vec<String> = plugin.calls().into_iter().map(|(m, _)| m).collect();
    assert_eq!(methods, ["documents.put", "documents.list"]);
}

#[tokio::test]
async fn a_panic_is_an_error_reply_and_an_error_log_line() {
    let plugin = start(&["serve"]).await;
    let out = plugin.invoke("panic", json!({"message": "oh no"})).await.unwrap();
    assert_eq!(out.error().code, codes::PANIC);
    let line = plugin.wait_stderr(|l| l.contains("panicked: oh no")).await.unwrap();
    let line: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(line["level"], "error");
    assert_eq!(
        plugin.invoke("echo", json!({"after": "panic"})).await.unwrap().output(),
        &json!({"after": "panic"})
    );
}

#[tokio::test]
async fn exit_ends_the_process_mid_call_with_the_code() {
    let mut plugin = start(&["serve"]).await;
    let err = plugin.invoke("exit", json!({"code": 42})).await.unwrap_err();
    assert!(matches!(err, HarnessError::Closed { .. }), "{err}");
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(42));
}

#[tokio::test]
async fn goodbye_finishes_in_flight_work_and_exits_zero() {
    let mut plugin = start(&["serve"]).await;
    let sleeping = plugin.start("sleep", json!({"ms": 300})).await.unwrap();
    let streaming = plugin.start("stream", json!({"count": 2000})).await.unwrap();
    plugin.goodbye("test over").await.unwrap();
    assert_eq!(sleeping.finish().await.unwrap().output(), &json!({"slept_ms": 300}));
    assert_eq!(streaming.finish().await.unwrap().chunks.len(), 2000);
    let status = plugin.wait_exit().await.unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
    plugin.wait_stderr(|l| l.contains("goodbye from the daemon (test over)")).await.unwrap();
}

#[tokio::test]
async fn stdin_eof_exits_zero_without_waiting_for_work() {
    let mut plugin = start(&["serve"]).await;
    let _sleeping = plugin.start("sleep", json!({"ms": 86_400_000})).await.unwrap();
    assert_eq!(plugin.invoke("echo", json!({})).await.unwrap().output(), &json!({}));
    plugin.close_stdin().await;
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(0));
}

#[tokio::test]
async fn sigterm_ends_a_well_behaved_plugin() {
    let mut plugin = start(&["serve"]).await;
    plugin.signal_group(Signal::SIGTERM).unwrap();
    assert_eq!(plugin.wait_exit().await.unwrap().signal(), Some(Signal::SIGTERM as i32));
}

#[tokio::test]
async fn serve_one_thread_serves_the_same_plugin_and_ends_on_goodbye() {
    let mut plugin = start(&["serve-one-thread"]).await;
    let hello = plugin.hello().unwrap();
    let names: Vec<&str> = hello.capabilities.iter().map(|c| c.name.as_str()).collect();
    assert!(names.contains(&"echo") && names.contains(&"stream"), "{names:?}");
    assert_eq!(plugin.invoke("echo", json!({"a": 1})).await.unwrap().output(), &json!({"a": 1}));
    let streaming = plugin.start("stream", json!({"count": 100})).await.unwrap();
    plugin.goodbye("test over").await.unwrap();
    assert_eq!(streaming.finish().await.unwrap().chunks.len(), 100);
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(0));
}

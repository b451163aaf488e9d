//! The Python example plugin (on the Python SDK, standard library only), run as a real process
//! through the harness: the proof that the protocol works from another language, and that its
//! manifest matches what it says.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use bkg_core::plugin::PluginManifest;
use bkg_core::protocol::{PROTOCOL_VERSION, ProtocolVersion};
use bkg_plugin_sdk::testing::{PluginProcess, Reply, TestDaemon};
use serde_json::{Value, json};

fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/python")
}

fn manifest() -> PluginManifest {
    let text = std::fs::read_to_string(example_dir().join("plugin.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

/// Runs it in its folder with the Python SDK on `PYTHONPATH`, as the daemon does.
fn as_the_daemon_does(daemon: TestDaemon) -> TestDaemon {
    let sdk = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../sdk-python");
    daemon.current_dir(example_dir()).env("PYTHONPATH", sdk)
}

/// Spawns the plugin from its manifest's argv and folder, as the daemon would.
async fn start(daemon: TestDaemon) -> PluginProcess {
    let manifest = manifest();
    let program = example_dir().join(&manifest.command[0]);
    let argv = std::iter::once(program.into_os_string()).chain(manifest.command[1..].iter().map(Into::into));
    as_the_daemon_does(daemon).start(argv).await.unwrap()
}

#[test]
fn the_manifest_parses_and_points_at_an_executable() {
    let manifest = manifest();
    assert_eq!(manifest.id, "pyexample");
    let program = example_dir().join(&manifest.command[0]);
    let mode = std::fs::metadata(&program).unwrap().permissions().mode();
    assert!(mode & 0o111 != 0, "{} is executable", program.display());
    assert!(std::fs::read_to_string(&program).unwrap().starts_with("#!/usr/bin/env python3\n"));
}

#[tokio::test]
async fn the_hello_matches_the_manifest() {
    let plugin = start(TestDaemon::new()).await;
    let hello = plugin.hello().unwrap();
    assert_eq!(hello.protocol, PROTOCOL_VERSION);
    let manifest = manifest();
    assert_eq!((hello.name.as_str(), hello.version.as_str()), ("pyexample", manifest.version.as_str()));
    assert_eq!(hello.capabilities, manifest.capabilities);
    assert_eq!(hello.features, ["cancel", "config.live", "metrics"]);
}

#[tokio::test]
async fn word_count_counts() {
    let plugin = start(TestDaemon::new()).await;
    let out = plugin.invoke("word_count", json!({"text": "one two\nthree  four\n"})).await.unwrap();
    assert_eq!(out.output(), &json!({"words": 4, "lines": 2, "characters": 20}));
    let bad = plugin.invoke("word_count", json!({"text": 3})).await.unwrap();
    assert_eq!((bad.error().code.as_str(), bad.error().client_error), ("bad_input", true));
    let unknown = plugin.invoke("nope", json!({})).await.unwrap();
    assert_eq!(unknown.error().code, "unknown_capability");
}

#[tokio::test]
async fn reverse_stream_streams_words_and_follows_live_config() {
    let plugin = start(TestDaemon::new().config(json!({"uppercase": false}))).await;
    let out = plugin.invoke("reverse_stream", json!({"text": "hello big world"})).await.unwrap();
    assert_eq!(out.chunks, [json!({"word": "dlrow"}), json!({"word": "gib"}), json!({"word": "olleh"})]);
    assert_eq!(out.output(), &json!({"text": "dlrow gib olleh", "words": 3}));

    assert_eq!(plugin.configure(json!({"uppercase": true})).await.unwrap().output(), &Value::Null);
    let line = plugin.wait_stderr(|l| l.contains("configuration applied")).await.unwrap();
    let line: Value = serde_json::from_str(&line).unwrap();
    assert_eq!((line["level"].clone(), line["config"].clone()), (json!("info"), json!({"uppercase": true})));
    let out = plugin.invoke("reverse_stream", json!({"text": "ab cd"})).await.unwrap();
    assert_eq!(out.output(), &json!({"text": "DC BA", "words": 2}));
    assert_eq!(plugin.configure(json!([1])).await.unwrap().error().code, "bad_input");
}

#[tokio::test]
async fn requests_run_concurrently_and_slow_honours_cancel() {
    let plugin = start(TestDaemon::new()).await;
    let slow = plugin.start("slow", json!({"ms": 3_600_000})).await.unwrap();
    // Answered while `slow` is still sleeping: requests do not wait for each other.
    let out = plugin.invoke("word_count", json!({"text": "a b"})).await.unwrap();
    assert_eq!(out.output()["words"], 2);
    slow.cancel().await.unwrap();
    let mut slow = slow;
    match slow.next().await.unwrap() {
        Reply::Error(e) => assert_eq!(e.code, "cancelled"),
        other => panic!("expected cancelled, got {other:?}"),
    }
    let total = plugin.wait_metrics(|m| m.get("requests_total") == Some(&2.0)).await.unwrap();
    assert_eq!(total.len(), 1);
}

#[tokio::test]
async fn logs_are_json_lines_on_stderr() {
    let plugin = start(TestDaemon::new().plugin_id("py1").run(3)).await;
    let ready = plugin.wait_stderr(|l| l.contains("\"ready\"")).await.unwrap();
    let ready: Value = serde_json::from_str(&ready).unwrap();
    assert_eq!(ready, json!({"level": "info", "message": "ready", "plugin_id": "py1", "run": 3}));
    plugin.send_line("not json").await.unwrap();
    let warn = plugin.wait_stderr(|l| l.contains("not JSON")).await.unwrap();
    assert_eq!(serde_json::from_str::<Value>(&warn).unwrap()["level"], "warn");
}

#[tokio::test]
async fn goodbye_finishes_in_flight_requests_and_exits_zero() {
    let mut plugin = start(TestDaemon::new()).await;
    let short = plugin.start("slow", json!({"ms": 200})).await.unwrap();
    // Holds the drain open until it is cancelled, so the plugin is certainly still draining
    // when the next invoke arrives.
    let long = plugin.start("slow", json!({"ms": 3_600_000})).await.unwrap();
    plugin.goodbye("test over").await.unwrap();
    assert_eq!(plugin.invoke("word_count", json!({"text": ""})).await.unwrap().error().code, "shutting_down");
    assert_eq!(short.finish().await.unwrap().output(), &json!({"slept_ms": 200}));
    // Cancels still arrive while draining.
    long.cancel().await.unwrap();
    assert_eq!(long.finish().await.unwrap().error().code, "cancelled");
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(0));
}

#[tokio::test]
async fn stdin_eof_exits_zero_at_once() {
    let mut plugin = start(TestDaemon::new()).await;
    let _slow = plugin.start("slow", json!({"ms": 3_600_000})).await.unwrap();
    plugin.close_stdin().await;
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(0));
}

#[tokio::test]
async fn an_incompatible_daemon_gets_a_hello_and_the_plugin_exits() {
    let daemon = as_the_daemon_does(TestDaemon::new().protocol(ProtocolVersion { major: 2, minor: 0 }));
    let mut plugin = daemon.spawn([example_dir().join("example_plugin.py")]).unwrap();
    assert_eq!(plugin.handshake().await.unwrap().protocol, PROTOCOL_VERSION);
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(1));
    plugin.wait_stderr(|l| l.contains("incompatible protocol")).await.unwrap();
}

//! The conformance suite: the Rust, Python and Node SDKs, each through its conformance plugin
//! (`bkg-testplugin serve`, `plugins/sdk-python/examples/conformance.py`,
//! `plugins/sdk-node/examples/conformance.js`, with the same capabilities), held to the same
//! protocol by the same daemon harness: handshake, concurrent calls, streaming, errors,
//! cancel, live configuration, callbacks, paths, goodbye, EOF and a crash.

use std::path::PathBuf;

use bkg_core::protocol::feature;
use bkg_plugin_sdk::testing::{PluginProcess, TestDaemon};
use serde_json::{Value, json};

use super::BIN;

/// One SDK's conformance plugin: its name and argv.
fn sdks() -> Vec<(&'static str, Vec<String>)> {
    let plugins = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = |p: &str| plugins.join(p).display().to_string();
    vec![
        ("rust", vec![BIN.to_string(), "serve".into()]),
        ("python", vec!["python3".into(), path("sdk-python/examples/conformance.py")]),
        ("node", vec!["node".into(), path("sdk-node/examples/conformance.js")]),
    ]
}

async fn start(daemon: &TestDaemon, sdk: &str, argv: &[String]) -> PluginProcess {
    daemon.start(argv).await.unwrap_or_else(|e| panic!("{sdk}: the plugin did not start: {e}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_sdk_speaks_the_same_protocol() {
    for (sdk, argv) in sdks() {
        let p = start(&TestDaemon::new().config(json!({"greeting": "hi"})), sdk, &argv).await;
        let c = p.connection();

        // Handshake.
        let hello = c.hello().unwrap();
        assert!(hello.protocol.is_compatible_with(bkg_core::protocol::PROTOCOL_VERSION), "{sdk}");
        let names: Vec<&str> = hello.capabilities.iter().map(|c| c.name.as_str()).collect();
        for cap in ["echo", "stream", "sleep", "fail", "whoami", "exit", "store", "panic", "file"] {
            assert!(names.contains(&cap), "{sdk} lacks {cap}: {names:?}");
        }
        for f in [feature::CANCEL, feature::CONFIG_LIVE, feature::CALLBACKS, feature::METRICS] {
            assert!(hello.features.iter().any(|x| x == f), "{sdk} lacks feature {f}");
        }
        assert_eq!(
            c.invoke("whoami", json!({})).await.unwrap().output()["config"],
            json!({"greeting": "hi"})
        );

        // Concurrent calls: eight slow ones in flight do not hold up the rest.
        let mut slow = Vec::new();
        for _ in 0..8 {
            slow.push(c.start("sleep", json!({"ms": 200})).await.unwrap());
        }
        let echoes = futures_util::future::join_all((0..64).map(|n| c.invoke("echo", json!({"n": n})))).await;
        for (n, out) in echoes.into_iter().enumerate() {
            assert_eq!(out.unwrap().output(), &json!({"n": n}), "{sdk}");
        }
        for call in slow {
            assert_eq!(call.finish().await.unwrap().output(), &json!({"slept_ms": 200}), "{sdk}");
        }
        c.wait_metrics(|m| m.get("echo_calls").is_some_and(|v| *v >= 1.0)).await.unwrap();

        // Streaming: every chunk in order, then the result.
        let out = c.invoke("stream", json!({"count": 100, "text": "t"})).await.unwrap();
        assert_eq!(out.chunks.len(), 100, "{sdk}");
        assert!(out.chunks.iter().enumerate().all(|(n, c)| c == &json!({"n": n, "text": "t"})), "{sdk}");
        assert_eq!(out.output(), &json!({"count": 100}));

        // Errors keep their code and blame; the plugin keeps serving.
        let e = c.invoke("fail", json!({"message": "nope", "client_error": true})).await.unwrap();
        assert_eq!((e.error().code.as_str(), e.error().client_error), ("requested_failure", true), "{sdk}");
        let e = c.invoke("teleport", json!({})).await.unwrap();
        assert_eq!((e.error().code.as_str(), e.error().client_error), ("unknown_capability", true), "{sdk}");
        let e = c.invoke("panic", json!({"message": "boom"})).await.unwrap();
        assert_eq!((e.error().code.as_str(), e.error().client_error), ("panic", false), "{sdk}");
        assert!(e.error().message.contains("boom"), "{sdk}: {}", e.error().message);

        // Cancel.
        let call = c.start("sleep", json!({"ms": 3_600_000})).await.unwrap();
        call.cancel().await.unwrap();
        assert_eq!(call.finish().await.unwrap().error().code, "cancelled", "{sdk}");

        // Live configuration, in order; a refused one changes nothing.
        c.configure(json!({"greeting": "hello"})).await.unwrap().output();
        assert_eq!(
            c.invoke("whoami", json!({})).await.unwrap().output()["config"],
            json!({"greeting": "hello"})
        );
        assert_eq!(
            c.configure(json!({"reject": true})).await.unwrap().error().code,
            "config_rejected",
            "{sdk}"
        );
        assert_eq!(
            c.invoke("whoami", json!({})).await.unwrap().output()["config"],
            json!({"greeting": "hello"})
        );

        // Callbacks to the daemon.
        let out = c.invoke("store", json!({"collection": "notes", "texts": ["a", "b"]})).await.unwrap();
        let texts: Vec<&Value> =
            out.output()["list"]["documents"].as_array().unwrap().iter().map(|d| &d["text"]).collect();
        assert_eq!(texts, [&json!("a"), &json!("b")], "{sdk}");

        // Goodbye: new work is refused, work in flight finishes, exit 0.
        let inflight = c.start("sleep", json!({"ms": 300})).await.unwrap();
        c.goodbye("conformance").await.unwrap();
        let refused = c.invoke("echo", json!({})).await.unwrap();
        assert_eq!(refused.error().code, "shutting_down", "{sdk}");
        assert_eq!(inflight.finish().await.unwrap().output(), &json!({"slept_ms": 300}), "{sdk}");
        let mut p = p;
        assert_eq!(p.wait_exit().await.unwrap().code(), Some(0), "{sdk}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_sdk_exits_on_eof_and_crashes_show_as_exit_codes() {
    for (sdk, argv) in sdks() {
        let mut p = start(&TestDaemon::new(), sdk, &argv).await;
        let _slow = p.connection().start("sleep", json!({"ms": 3_600_000})).await.unwrap();
        p.connection().close_stdin().await;
        assert_eq!(p.wait_exit().await.unwrap().code(), Some(0), "{sdk}: EOF exits at once");

        let mut p = start(&TestDaemon::new(), sdk, &argv).await;
        let _ = p.connection().start("exit", json!({"code": 3})).await.unwrap();
        assert_eq!(p.wait_exit().await.unwrap().code(), Some(3), "{sdk}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_sdk_confines_paths_to_the_plugins_folders() {
    for (sdk, argv) in sdks() {
        let data = tempfile::tempdir().unwrap();
        let p = start(&TestDaemon::new().data_dir(data.path(), &[]), sdk, &argv).await;
        let c = p.connection();
        c.invoke("file", json!({"path": "a/b.txt", "text": "x"})).await.unwrap().output();
        assert_eq!(std::fs::read_to_string(data.path().join("a/b.txt")).unwrap(), "x", "{sdk}");
        assert_eq!(c.invoke("file", json!({"path": "a/b.txt"})).await.unwrap().output()["text"], "x");
        for bad in ["/etc/passwd", "../../etc/passwd", "a/../../x"] {
            for input in [json!({"path": bad}), json!({"path": bad, "text": "owned"})] {
                let e = c.invoke("file", input.clone()).await.unwrap();
                assert_eq!(
                    (e.error().code.as_str(), e.error().client_error),
                    ("path_not_allowed", true),
                    "{sdk} {input}"
                );
            }
        }
    }
}

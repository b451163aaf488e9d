//! Lifecycle: goodbye drains in-flight requests, stdin EOF cancels them, and the handshake's
//! failure modes (no hello, a wrong first message, an incompatible daemon).

use std::sync::Arc;

use bkg_core::protocol::{DaemonMessage, PROTOCOL_VERSION, ProtocolVersion};
use bkg_plugin_sdk::testing::TestDaemon;
use bkg_plugin_sdk::{RunError, capability, codes};
use serde_json::json;
use tokio::sync::{Notify, oneshot};

use super::echo_plugin;

#[tokio::test]
async fn goodbye_finishes_in_flight_requests_then_returns() {
    let gate = Arc::new(Notify::new());
    let g = gate.clone();
    let plugin = echo_plugin().capability(capability("wait"), move |_ctx, _input| {
        let gate = g.clone();
        async move {
            gate.notified().await;
            Ok(json!("finished"))
        }
    });
    let plugin = TestDaemon::new().start_in_process(plugin).await.unwrap();
    let waiting = plugin.start("wait", json!({})).await.unwrap();
    plugin.goodbye("test over").await.unwrap();
    // New work after goodbye is refused, but the request in flight still completes.
    assert_eq!(plugin.invoke("echo", json!({})).await.unwrap().error().code, codes::SHUTTING_DOWN);
    gate.notify_one();
    assert_eq!(waiting.finish().await.unwrap().output(), &json!("finished"));
    plugin.wait_exit().await.unwrap().unwrap();
}

#[tokio::test]
async fn stdin_closed_right_after_goodbye_still_drains() {
    let gate = Arc::new(Notify::new());
    let g = gate.clone();
    let plugin = echo_plugin().capability(capability("wait"), move |_ctx, _input| {
        let gate = g.clone();
        async move {
            gate.notified().await;
            Ok(json!("finished"))
        }
    });
    let plugin = TestDaemon::new().start_in_process(plugin).await.unwrap();
    let waiting = plugin.start("wait", json!({})).await.unwrap();
    plugin.goodbye("test over").await.unwrap();
    plugin.close_stdin().await;
    gate.notify_one();
    assert_eq!(waiting.finish().await.unwrap().output(), &json!("finished"));
    plugin.wait_exit().await.unwrap().unwrap();
}

#[tokio::test]
async fn stdin_eof_cancels_in_flight_requests_and_returns() {
    let (seen_tx, seen_rx) = oneshot::channel();
    let seen_tx = Arc::new(std::sync::Mutex::new(Some(seen_tx)));
    let plugin = echo_plugin().capability(capability("wait"), move |ctx, _input| {
        let seen_tx = seen_tx.clone();
        async move {
            ctx.cancelled().await;
            if let Some(tx) = seen_tx.lock().unwrap().take() {
                let _ = tx.send(());
            }
            Ok(json!(null))
        }
    });
    let plugin = TestDaemon::new().start_in_process(plugin).await.unwrap();
    let _waiting = plugin.start("wait", json!({})).await.unwrap();
    // Make sure the request is being handled before the pipe closes.
    assert_eq!(plugin.invoke("echo", json!({})).await.unwrap().output(), &json!({}));
    plugin.close_stdin().await;
    tokio::time::timeout(std::time::Duration::from_secs(30), seen_rx).await.unwrap().unwrap();
    plugin.wait_exit().await.unwrap().unwrap();
}

#[tokio::test]
async fn invalid_lines_from_the_daemon_are_skipped() {
    let plugin = TestDaemon::new().start_in_process(echo_plugin()).await.unwrap();
    plugin.send_line("this is not json").await.unwrap();
    plugin.send_line(r#"{"type": "no_such_message"}"#).await.unwrap();
    plugin.send_line("").await.unwrap();
    assert_eq!(plugin.invoke("echo", json!({"x": 1})).await.unwrap().output(), &json!({"x": 1}));
}

#[tokio::test]
async fn eof_before_hello_is_an_error() {
    let plugin = TestDaemon::new().connect(echo_plugin());
    plugin.close_stdin().await;
    assert!(matches!(plugin.wait_exit().await.unwrap(), Err(RunError::NoHello)));
}

#[tokio::test]
async fn a_first_message_other_than_hello_is_an_error() {
    let plugin = TestDaemon::new().connect(echo_plugin());
    plugin.send(&DaemonMessage::Cancel { id: 1 }).await.unwrap();
    match plugin.wait_exit().await.unwrap() {
        Err(RunError::Handshake(why)) => assert!(why.contains("cancel"), "{why}"),
        other => panic!("expected a handshake error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_incompatible_daemon_gets_our_hello_and_the_plugin_stops() {
    let daemon = TestDaemon::new().protocol(ProtocolVersion { major: 2, minor: 0 });
    let plugin = daemon.connect(echo_plugin());
    let hello = plugin.handshake().await.unwrap();
    assert_eq!(hello.protocol, PROTOCOL_VERSION);
    assert!(matches!(plugin.wait_exit().await.unwrap(), Err(RunError::IncompatibleProtocol { .. })));
}

#[tokio::test]
async fn a_newer_minor_is_compatible() {
    let daemon = TestDaemon::new().protocol(ProtocolVersion { major: PROTOCOL_VERSION.major, minor: 99 });
    let plugin = daemon.start_in_process(echo_plugin()).await.unwrap();
    assert_eq!(plugin.invoke("echo", json!({})).await.unwrap().output(), &json!({}));
}

#[tokio::test]
async fn calls_fail_once_stdin_closed_during_the_drain() {
    let gate = Arc::new(Notify::new());
    let g = gate.clone();
    let plugin = echo_plugin().feature(bkg_plugin_sdk::feature::CALLBACKS).capability(
        capability("late_call"),
        move |ctx, _input| {
            let gate = g.clone();
            async move {
                gate.notified().await;
                ctx.collections_list().await.map(|_| json!("answered"))
            }
        },
    );
    let plugin = TestDaemon::new().start_in_process(plugin).await.unwrap();
    let waiting = plugin.start("late_call", json!({})).await.unwrap();
    plugin.goodbye("test over").await.unwrap();
    plugin.close_stdin().await;
    gate.notify_one();
    // Whether the call was made before or after the plugin saw EOF, nobody can answer it.
    assert_eq!(waiting.finish().await.unwrap().error().code, codes::DAEMON_GONE);
    plugin.wait_exit().await.unwrap().unwrap();
}

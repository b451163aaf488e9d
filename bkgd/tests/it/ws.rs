//! AT-WS-003 and the WebSocket's behaviour under bad input, slow clients and shutdown.

use bkg_core::ErrorCode;
use bkg_core::plugin::PluginState;
use bkg_core::ws::{ServerMessage, Topic};
use serde_json::json;

use crate::harness::daemon;

async fn next_matching<T>(
    ws: &mut bkg_core::client::WsClient,
    mut f: impl FnMut(ServerMessage) -> Option<T>,
) -> T {
    loop {
        let msg = ws.next().await.expect("connection open").expect("valid message");
        if let Some(t) = f(msg) {
            return t;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn at_ws_003_telemetry_and_logs() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    d.client.start("p").await.unwrap();
    let mut ws = d.client.ws().await.unwrap();
    ws.subscribe(Topic::Telemetry, Some("p")).await.unwrap();
    let sample = next_matching(&mut ws, |m| match m {
        ServerMessage::Telemetry(t) if t.mem > 0 => Some(t),
        _ => None,
    })
    .await;
    assert_eq!(sample.id, "p");
    assert!(sample.cpu.is_finite() && sample.cpu >= 0.0, "cpu {}", sample.cpu);
    assert!(sample.processes >= 1);

    // The raw JSON has the contract's field names.
    let raw = serde_json::to_value(ServerMessage::Telemetry(sample)).unwrap();
    for key in ["id", "cpu", "mem", "throughput"] {
        assert!(raw.get(key).is_some(), "telemetry has {key}: {raw}");
    }

    ws.subscribe_logs(Some("p"), None, None).await.unwrap();
    d.client.invoke("p", "log", &json!({"count": 1, "level": "plain", "message": "hello ws"})).await.unwrap();
    let line = next_matching(&mut ws, |m| match m {
        ServerMessage::Logs(l) if l.message == "hello ws 0" => Some(l),
        _ => None,
    })
    .await;
    assert_eq!(line.plugin_id, "p");

    let history = d.client.telemetry("p").await.unwrap();
    assert!(!history.samples.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn status_events_follow_the_lifecycle() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let mut ws = d.client.ws().await.unwrap();
    ws.subscribe(Topic::Status, None).await.unwrap();
    // The current state comes first.
    let first = next_matching(&mut ws, |m| match m {
        ServerMessage::Status(s) => Some(s),
        _ => None,
    })
    .await;
    assert_eq!(first.status, PluginState::Stopped);
    d.client.start("p").await.unwrap();
    next_matching(&mut ws, |m| {
        matches!(m, ServerMessage::Status(ref s) if s.status == PluginState::Starting).then_some(())
    })
    .await;
    next_matching(&mut ws, |m| {
        matches!(m, ServerMessage::Status(ref s) if s.status == PluginState::Running && s.pid.is_some())
            .then_some(())
    })
    .await;
    ws.unsubscribe(Topic::Status, None).await.unwrap();
    next_matching(&mut ws, |m| {
        matches!(m, ServerMessage::Ack(ref a) if a.action == bkg_core::ws::Action::Unsub).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_messages_get_error_events_and_the_connection_stays() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let mut ws = d.client.ws().await.unwrap();
    let cases = [
        ("not json", ErrorCode::InvalidJson),
        (r#"{"action":"SUB","topic":"weather"}"#, ErrorCode::InvalidJson),
        (r#"{"action":"JUMP","topic":"logs"}"#, ErrorCode::InvalidJson),
        (r#"{"action":"SUB","topic":"logs","pluginId":"nope"}"#, ErrorCode::PluginNotFound),
        (r#"{"action":"SUB","topic":"status","cursor":3}"#, ErrorCode::InvalidRequest),
        (r#"{"action":"SUB","topic":"logs","cursor":3}"#, ErrorCode::InvalidRequest),
    ];
    for (text, code) in cases {
        ws.send_text(text.into()).await.unwrap();
        let err = next_matching(&mut ws, |m| match m {
            ServerMessage::Error(e) => Some(e),
            _ => None,
        })
        .await;
        assert_eq!(err.code, code, "{text}: {}", err.message);
    }
    ws.subscribe(Topic::Status, Some("p")).await.unwrap();
    next_matching(&mut ws, |m| matches!(m, ServerMessage::Status(_)).then_some(())).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_messages_close_the_connection_with_1009() {
    let d = daemon().plugin("p", &["serve"], "").config(|c| c.ws.max_message_bytes = 1024).start().await;
    let mut ws = d.client.ws().await.unwrap();
    ws.send_text("x".repeat(4096)).await.unwrap();
    assert_eq!(ws.wait_close().await, Some(1009), "message too big");
    // Other clients are unaffected.
    let mut ok = d.client.ws().await.unwrap();
    ok.subscribe(Topic::Status, None).await.unwrap();
    next_matching(&mut ok, |m| matches!(m, ServerMessage::Ack(_)).then_some(())).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_client_is_told_what_it_missed_and_never_blocks_the_daemon() {
    const LINES: u64 = 100_000;
    let d = daemon().plugin("p", &["serve"], "").config(|c| c.ws.queue_events = 1000).start().await;
    d.client.start("p").await.unwrap();
    let mut slow = d.client.ws().await.unwrap();
    slow.subscribe_logs(Some("p"), None, None).await.unwrap();
    next_matching(&mut slow, |m| matches!(m, ServerMessage::Ack(_)).then_some(())).await;
    // The slow client reads nothing while the plugin writes; the write completes regardless.
    d.client.invoke("p", "log", &json!({"count": LINES, "level": "plain", "message": "S"})).await.unwrap();
    d.client.invoke("p", "log", &json!({"count": 1, "level": "plain", "message": "LAST"})).await.unwrap();
    let q = bkg_core::logs::LogQuery { tail: Some(1), q: Some("LAST".into()), ..Default::default() };
    let last = d.client.logs("p", &q).await.unwrap().lines.pop().expect("the daemon kept every line").seq;
    // Read until LAST arrives or a notice says it was dropped too.
    let (mut received, mut missed) = (0u64, 0u64);
    loop {
        match slow.next().await.unwrap().unwrap() {
            ServerMessage::Logs(l) if l.message.starts_with("S ") => received += 1,
            ServerMessage::Logs(l) if l.message == "LAST 0" => {
                received += 1;
                break;
            }
            ServerMessage::Lagged(l) => {
                missed += l.missed;
                if l.last_missed_seq.expect("log drops name their last seq") >= last {
                    break;
                }
            }
            _ => {}
        }
    }
    assert!(missed > 0, "the slow client was told it missed lines");
    assert_eq!(received + missed, LINES + 1, "what it got and what it was told it missed add up");
    assert!(received < LINES, "it did not get everything ({received})");
}

#[tokio::test(flavor = "multi_thread")]
async fn shutdown_closes_with_1001() {
    let mut d = daemon().plugin("p", &["serve"], "").start().await;
    let mut ws = d.client.ws().await.unwrap();
    ws.subscribe(Topic::Status, None).await.unwrap();
    next_matching(&mut ws, |m| matches!(m, ServerMessage::Ack(_)).then_some(())).await;
    let (code, ()) = tokio::join!(ws.wait_close(), d.shutdown());
    assert_eq!(code, Some(1001));
}

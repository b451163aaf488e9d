//! `crash-now` and `crash-after`: exits before and after the handshake with chosen codes.

use bkg_plugin_sdk::testing::{HarnessError, TestDaemon};
use serde_json::json;

use super::spawn;

#[tokio::test]
async fn crash_now_exits_with_the_default_code_before_hello() {
    let mut plugin = spawn(&TestDaemon::new(), &["crash-now"]);
    assert!(matches!(plugin.wait_hello().await, Err(HarnessError::Closed { .. })));
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(3));
    assert!(plugin.hello().is_none());
}

#[tokio::test]
async fn crash_now_takes_a_code() {
    let mut plugin = spawn(&TestDaemon::new(), &["crash-now", "17"]);
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(17));
    assert!(plugin.wait_hello().await.is_err());
}

#[tokio::test]
async fn crash_after_handshakes_then_exits_with_the_code() {
    let mut plugin = spawn(&TestDaemon::new(), &["crash-after", "100", "5"]);
    plugin.handshake().await.unwrap();
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(5));
    plugin.wait_stderr(|l| l.contains("crashing after 100 ms with code 5")).await.unwrap();
}

#[tokio::test]
async fn crash_after_serves_until_it_crashes() {
    // A long delay so the request is certainly answered first; the harness then kills it.
    let plugin = spawn(&TestDaemon::new(), &["crash-after", "600000"]);
    plugin.handshake().await.unwrap();
    assert_eq!(plugin.invoke("echo", json!({"a": 1})).await.unwrap().output(), &json!({"a": 1}));
}

#[tokio::test]
async fn bad_arguments_exit_non_zero_with_a_message() {
    let mut plugin = spawn(&TestDaemon::new(), &["crash-after"]);
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(1));
    plugin.wait_stderr(|l| l.contains("missing argument <ms>")).await.unwrap();
}

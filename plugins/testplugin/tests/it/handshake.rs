//! `hang-handshake` and `bad-protocol`: handshakes that never complete or complete wrongly.

use std::os::unix::process::ExitStatusExt;
use std::time::Duration;

use bkg_core::protocol::{DaemonMessage, PluginMessage, ProtocolVersion};
use bkg_plugin_sdk::testing::{HarnessError, Signal, TestDaemon};
use serde_json::json;

use super::{BIN, spawn};

#[tokio::test]
async fn hang_handshake_reads_but_never_answers() {
    let mut plugin = spawn(&TestDaemon::new(), &["hang-handshake"]);
    plugin.wait_stderr(|l| l.contains("never answering the hello")).await.unwrap();
    // Absence can only be shown over a window; a short one keeps the test fast, and a late
    // hello would still be caught by the check below.
    let impatient = plugin.with_timeout(Duration::from_millis(300));
    assert!(matches!(impatient.handshake().await, Err(HarnessError::Timeout { .. })));
    // It keeps reading: more lines are accepted without blocking.
    for _ in 0..1000 {
        plugin.send_line(r#"{"type":"cancel","id":1}"#).await.unwrap();
    }
    plugin.close_stdin().await;
    assert!(plugin.hello().is_none());
    assert!(plugin.try_exit().unwrap().is_none());
    plugin.signal_group(Signal::SIGTERM).unwrap();
    assert_eq!(plugin.wait_exit().await.unwrap().signal(), Some(Signal::SIGTERM as i32));
    assert!(plugin.hello().is_none());
}

#[tokio::test]
async fn bad_protocol_answers_with_version_two() {
    let mut plugin = spawn(&TestDaemon::new(), &["bad-protocol"]);
    let hello = plugin.handshake().await.unwrap();
    assert_eq!(hello.protocol, ProtocolVersion { major: 2, minor: 0 });
    plugin.close_stdin().await;
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(0));
}

#[tokio::test]
async fn the_harness_refuses_bad_protocol_like_the_daemon() {
    let err = TestDaemon::new().start([BIN, "bad-protocol"]).await.err().unwrap();
    assert!(matches!(err, HarnessError::Incompatible { plugin, .. } if plugin.major == 2), "{err}");
}

// `serve` runs the SDK's `Plugin::main`, which does the handshake on the main thread before the
// runtime and the reader and writer threads exist; these cover that path as a real process.

#[tokio::test]
async fn messages_in_the_same_write_as_the_hello_are_not_lost() {
    let mut plugin = spawn(&TestDaemon::new(), &["serve"]);
    // The daemon's hello, an invoke and a goodbye in one write: the hello is read before the
    // reader thread exists, the rest must reach it all the same.
    let mut lines = bkg_core::ndjson::encode(&DaemonMessage::Hello(plugin.daemon_hello().clone())).unwrap();
    let invoke =
        DaemonMessage::Invoke { id: 1000, capability: "echo".into(), input: json!({"n": 7}), caller: None };
    bkg_core::ndjson::encode_into(&mut lines, &invoke).unwrap();
    bkg_core::ndjson::encode_into(&mut lines, &DaemonMessage::Goodbye { reason: "test".into() }).unwrap();
    plugin.send_line(String::from_utf8(lines).unwrap().trim_end()).await.unwrap();
    assert_eq!(plugin.wait_hello().await.unwrap().name, "bkg-testplugin");
    // The goodbye drains the invoke, then the plugin ends cleanly.
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(0));
    let replies = plugin.unexpected();
    assert!(
        replies
            .iter()
            .any(|m| matches!(m, PluginMessage::Result { id: 1000, output } if output == &json!({"n": 7}))),
        "{replies:?}"
    );
}

#[tokio::test]
async fn eof_before_the_hello_ends_with_an_error() {
    let mut plugin = spawn(&TestDaemon::new(), &["serve"]);
    plugin.close_stdin().await;
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(1));
    let stderr = plugin.wait_stderr_eof().await.unwrap().join("\n");
    assert!(stderr.contains("closed the connection before sending its hello"), "{stderr}");
}

#[tokio::test]
async fn a_first_message_other_than_hello_ends_with_an_error() {
    let mut plugin = spawn(&TestDaemon::new(), &["serve"]);
    plugin.send(&DaemonMessage::Cancel { id: 1 }).await.unwrap();
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(1));
    let stderr = plugin.wait_stderr_eof().await.unwrap().join("\n");
    assert!(stderr.contains("first message was not a hello: got a cancel message"), "{stderr}");
    assert!(plugin.hello().is_none());
}

#[tokio::test]
async fn an_incompatible_daemon_gets_the_hello_then_the_plugin_ends() {
    let mut plugin = spawn(&TestDaemon::new().protocol(ProtocolVersion { major: 2, minor: 0 }), &["serve"]);
    let hello = plugin.handshake().await.unwrap();
    assert_eq!(hello.protocol, bkg_core::protocol::PROTOCOL_VERSION);
    assert_eq!(plugin.wait_exit().await.unwrap().code(), Some(1));
    let stderr = plugin.wait_stderr_eof().await.unwrap().join("\n");
    assert!(stderr.contains("the daemon speaks protocol 2.0"), "{stderr}");
}

//! `hang-handshake` and `bad-protocol`: handshakes that never complete or complete wrongly.

use std::os::unix::process::ExitStatusExt;
use std::time::Duration;

use bkg_core::protocol::ProtocolVersion;
use bkg_plugin_sdk::testing::{HarnessError, Signal, TestDaemon};

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

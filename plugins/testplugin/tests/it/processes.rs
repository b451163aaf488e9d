//! `ignore-sigterm` and `grandchildren`: the processes a stop must escalate to SIGKILL for, and
//! the strays only a process-group kill reaches.

use std::os::unix::process::ExitStatusExt;

use bkg_plugin_sdk::testing::Signal;
use nix::unistd::{Pid, getpgid};
use serde_json::json;

use super::{proc_state, start, wait_dead};

#[tokio::test]
async fn ignore_sigterm_survives_sigterm_goodbye_and_eof_until_sigkill() {
    let mut plugin = start(&["ignore-sigterm"]).await;
    plugin.signal_group(Signal::SIGTERM).unwrap();
    // An ignored signal is discarded when sent; had it been fatal, the process would die
    // before it could answer this request.
    assert_eq!(
        plugin.invoke("echo", json!({"alive": true})).await.unwrap().output(),
        &json!({"alive": true})
    );
    plugin.goodbye("please stop").await.unwrap();
    plugin.wait_stderr(|l| l.contains("staying alive until SIGKILL")).await.unwrap();
    plugin.close_stdin().await;
    plugin.signal_group(Signal::SIGTERM).unwrap();
    assert!(plugin.try_exit().unwrap().is_none());
    plugin.signal_group(Signal::SIGKILL).unwrap();
    // Killed by the signal, so it had not exited on its own before.
    assert_eq!(plugin.wait_exit().await.unwrap().signal(), Some(Signal::SIGKILL as i32));
}

#[tokio::test]
async fn grandchildren_share_the_group_and_die_with_it() {
    let mut plugin = start(&["grandchildren", "3"]).await;
    let out = plugin.invoke("children", json!({})).await.unwrap();
    let pids: Vec<u32> =
        out.output()["pids"].as_array().unwrap().iter().map(|p| p.as_u64().unwrap() as u32).collect();
    assert_eq!(pids.len(), 3);
    for &pid in &pids {
        let pgid = getpgid(Some(Pid::from_raw(pid as i32))).unwrap();
        assert_eq!(pgid.as_raw() as u32, plugin.pid(), "grandchild {pid} is in the plugin's group");
        assert!(matches!(proc_state(pid), Some(s) if s != 'Z'), "grandchild {pid} is alive");
    }
    // It still serves like `serve`.
    assert_eq!(plugin.invoke("echo", json!({"x": 1})).await.unwrap().output(), &json!({"x": 1}));

    // Killing only the plugin leaves the grandchildren running and holding its stdout open.
    plugin.signal(Signal::SIGKILL).unwrap();
    assert_eq!(plugin.wait_exit().await.unwrap().signal(), Some(Signal::SIGKILL as i32));
    for &pid in &pids {
        assert!(matches!(proc_state(pid), Some(s) if s != 'Z'), "grandchild {pid} outlived its parent");
    }
    assert!(!plugin.is_closed(), "grandchildren still hold the stdout pipe");

    // The group kill reaches them, and only then do the pipes reach EOF.
    plugin.signal_group(Signal::SIGKILL).unwrap();
    for &pid in &pids {
        wait_dead(pid).await;
    }
    plugin.wait_closed().await.unwrap();
    plugin.wait_stderr_eof().await.unwrap();
}

#[tokio::test]
async fn grandchildren_default_to_two() {
    let plugin = start(&["grandchildren"]).await;
    let out = plugin.invoke("children", json!({})).await.unwrap();
    assert_eq!(out.output()["pids"].as_array().unwrap().len(), 2);
}

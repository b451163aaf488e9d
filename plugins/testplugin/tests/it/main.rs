//! Every mode of `bkg-testplugin`, driven as a real process through the SDK's harness, the way
//! the daemon's supervisor will drive it.

// The whole crate is test code; clippy's test exemption covers only #[test] functions, not the
// helpers beside them.
#![allow(clippy::unwrap_used)]

mod conformance;
mod crashes;
mod handshake;
mod help;
mod processes;
mod serve;
mod streams;

use bkg_plugin_sdk::testing::{PluginProcess, TestDaemon};

const BIN: &str = env!("CARGO_BIN_EXE_bkg-testplugin");

/// Spawns the test plugin in `mode` (no handshake).
fn spawn(daemon: &TestDaemon, args: &[&str]) -> PluginProcess {
    daemon.spawn(std::iter::once(BIN).chain(args.iter().copied())).expect("spawn bkg-testplugin")
}

/// Spawns the test plugin in `mode` and completes the handshake.
async fn start(args: &[&str]) -> PluginProcess {
    TestDaemon::new()
        .start(std::iter::once(BIN).chain(args.iter().copied()))
        .await
        .expect("start bkg-testplugin")
}

/// The state letter of a process from /proc (`Z` for a zombie), or `None` once it is gone.
fn proc_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may contain spaces; the state follows the last ')'.
    stat.rsplit_once(')').and_then(|(_, rest)| rest.trim_start().chars().next())
}

/// Polls until the process is gone or a zombie (a dead process its new parent has not reaped
/// yet), with a generous deadline.
async fn wait_dead(pid: u32) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match proc_state(pid) {
            None | Some('Z') | Some('X') => return,
            Some(state) => {
                assert!(tokio::time::Instant::now() < deadline, "process {pid} still alive ({state})")
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

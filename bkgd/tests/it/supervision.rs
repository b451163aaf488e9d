//! The supervisor against misbehaving plugins: crash loops and the backoff schedule, plugins
//! that ignore SIGTERM, spawn grandchildren, hang in the handshake, speak the wrong protocol,
//! write garbage on stdout; no orphans and no zombies, also after 200 crash cycles and after
//! SIGKILL of bkgd.

use std::time::{Duration, Instant};

use bkg_core::ErrorCode;
use bkg_core::logs::LogQuery;
use bkg_core::plugin::PluginState;
use serde_json::json;

use crate::harness::{FAST_RESTART, alive, daemon, testplugin, wait_until, zombies_in};

async fn messages(d: &crate::harness::TestDaemon, id: &str) -> Vec<String> {
    let q = LogQuery { tail: Some(10_000), ..Default::default() };
    d.client.logs(id, &q).await.unwrap().lines.into_iter().map(|l| l.message).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn crash_loop_follows_the_backoff_schedule_then_fails() {
    let d = daemon().plugin("crashy", &["crash-now", "7"], FAST_RESTART).start().await;
    let err = d.client.start("crashy").await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::PluginStartFailed), "{err}");
    assert!(err.to_string().contains("code 7"), "{err}");
    wait_until("the crash loop gives up", || async {
        d.client.plugin_status("crashy").await.unwrap().status == PluginState::Failed
    })
    .await;
    let status = d.client.plugin_status("crashy").await.unwrap();
    assert_eq!(status.restarts, 3, "4 fast failures = the first start + 3 restarts");
    assert!(status.reason.as_deref().unwrap().contains("4 fast failures"), "{:?}", status.reason);
    assert_eq!(status.last_exit.as_ref().and_then(|e| e.code), Some(7));
    // initial 10 ms, doubling, capped at 40 ms, no jitter.
    let delays: Vec<String> =
        messages(&d, "crashy").await.into_iter().filter(|m| m.starts_with("restarting in")).collect();
    assert_eq!(
        delays,
        [
            "restarting in 10 ms (attempt 2 of 4)",
            "restarting in 20 ms (attempt 3 of 4)",
            "restarting in 40 ms (attempt 4 of 4)"
        ]
    );
    // An operator start begins a fresh series.
    assert!(d.client.start("crashy").await.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stable_run_resets_the_failure_count() {
    // Every run lasts 100 ms, longer than the 50 ms that count as stable: never `failed`.
    let restart = "[restart]\ninitialBackoffMs = 1\nmaxBackoffMs = 1\njitter = 0.0\nmaxFastFailures = 2\nstableAfterMs = 50\n";
    let d = daemon().plugin("p", &["crash-after", "100"], restart).start().await;
    d.client.start("p").await.unwrap();
    wait_until("4 restarts", || async {
        let s = d.client.plugin_status("p").await.unwrap();
        assert_ne!(s.status, PluginState::Failed, "{s:?}");
        s.restarts >= 4
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_ignoring_plugin_is_killed_after_its_stop_timeout() {
    let d = daemon().plugin("stubborn", &["ignore-sigterm"], "[timeouts]\nstopMs = 300\n").start().await;
    let pid = d.client.start("stubborn").await.unwrap().status.pid.unwrap();
    let t = Instant::now();
    let stopped = d.client.stop("stubborn").await.unwrap();
    let took = t.elapsed();
    assert!(took >= Duration::from_millis(300), "it waited for the timeout ({took:?})");
    assert!(took < Duration::from_millis(1300), "killed within timeout + 1 s ({took:?})");
    assert_eq!(stopped.status.last_exit.unwrap().signal, Some(9));
    assert!(!alive(pid));
}

#[tokio::test(flavor = "multi_thread")]
async fn grandchildren_die_with_their_plugin() {
    let d = daemon().plugin("gc", &["grandchildren", "3"], "").start().await;
    let pid = d.client.start("gc").await.unwrap().status.pid.unwrap();
    let kids: Vec<u32> = serde_json::from_value(
        d.client.invoke("gc", "children", &json!({})).await.unwrap().output["pids"].clone(),
    )
    .unwrap();
    assert_eq!(kids.len(), 3);
    assert!(kids.iter().all(|k| alive(*k)));
    d.client.stop("gc").await.unwrap();
    wait_until("grandchildren are gone", || async { kids.iter().all(|k| !alive(*k)) }).await;
    wait_until("no zombies are left", || async { zombies_in(&[pid as i32]).is_empty() }).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn no_orphans_or_zombies_after_200_crash_cycles() {
    let restart = "[restart]\ninitialBackoffMs = 1\nmaxBackoffMs = 1\njitter = 0.0\nmaxFastFailures = 1000\n";
    let d = daemon()
        .plugin("crashy", &["crash-now"], restart)
        .plugin("gc", &["grandchildren", "2"], restart)
        .start()
        .await;
    let _ = d.client.start("crashy").await;
    let mut groups = Vec::new();
    let mut kids = Vec::new();
    d.client.start("gc").await.unwrap();
    for _ in 0..20 {
        // A plugin with grandchildren crashes mid-call; its grandchildren must not survive it.
        let pid = d.pid_of("gc").await;
        groups.push(pid as i32);
        let k: Vec<u32> = serde_json::from_value(
            d.client.invoke("gc", "children", &json!({})).await.unwrap().output["pids"].clone(),
        )
        .unwrap();
        kids.extend(k);
        let before = d.client.plugin_status("gc").await.unwrap().restarts;
        let _ = d.client.invoke("gc", "exit", &json!({"code": 1})).await;
        wait_until("gc is back", || async {
            let s = d.client.plugin_status("gc").await.unwrap();
            s.status == PluginState::Running && s.restarts > before
        })
        .await;
    }
    wait_until("200 crash cycles", || async {
        d.client.plugin_status("crashy").await.unwrap().restarts >= 200
    })
    .await;
    d.client.stop("crashy").await.unwrap();
    d.client.stop("gc").await.unwrap();
    wait_until("every grandchild is gone", || async { kids.iter().all(|k| !alive(*k)) }).await;
    wait_until("no zombies of these groups remain", || async { zombies_in(&groups).is_empty() }).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn handshake_hang_times_out_and_bad_protocol_is_refused() {
    let no_retry = "[restart]\nmode = \"never\"\n[timeouts]\nhandshakeMs = 300\n";
    let d = daemon()
        .plugin("hang", &["hang-handshake"], no_retry)
        .plugin("v2", &["bad-protocol"], no_retry)
        .start()
        .await;
    let err = d.client.start("hang").await.unwrap_err();
    assert!(err.to_string().contains("did not complete the handshake within 300 ms"), "{err}");
    let s = d.client.plugin_status("hang").await.unwrap();
    assert_eq!(s.status, PluginState::Failed);
    assert!(s.pid.is_none());
    let err = d.client.start("v2").await.unwrap_err();
    assert!(err.to_string().contains("speaks protocol 2.0"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_program_is_a_clear_start_error() {
    let manifest = "id = \"ghost\"\ncommand = [\"./does-not-exist\"]\n[restart]\nmode = \"never\"\n";
    let d = daemon().raw_manifest("ghost", manifest).start().await;
    let err = d.client.start("ghost").await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::PluginStartFailed));
    assert!(err.to_string().contains("does-not-exist"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn crash_during_a_call_is_reported_and_the_plugin_restarts() {
    let d = daemon().plugin("p", &["serve"], FAST_RESTART).start().await;
    d.client.start("p").await.unwrap();
    let err = d.client.invoke("p", "exit", &json!({"code": 5})).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::PluginCrashed), "{err}");
    assert!(err.to_string().contains("exited with code 5"), "{err}");
    wait_until("restarted", || async {
        let s = d.client.plugin_status("p").await.unwrap();
        s.status == PluginState::Running && s.restarts == 1
    })
    .await;
    d.client.invoke("p", "echo", &json!({})).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_of_bkgd_leaves_no_orphans() {
    // This test plays init: orphans of the killed daemon are re-parented to it.
    nix::sys::prctl::set_child_subreaper(true).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let plugins = dir.path().join("plugins");
    std::fs::create_dir_all(&plugins).unwrap();
    std::fs::write(
        plugins.join("gc.toml"),
        crate::harness::manifest("gc", &["grandchildren", "2"], "autostart = true"),
    )
    .unwrap();
    std::fs::write(
        plugins.join("s.toml"),
        crate::harness::manifest("s", &["ignore-sigterm"], "autostart = true"),
    )
    .unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let _ = testplugin();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bkgd"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .arg("--plugins-dir")
        .arg(&plugins)
        .arg("--cache-dir")
        .arg(dir.path().join("cache"))
        .env("BKG_SUPERVISOR__BUILTIN_PLUGINS", "false")
        .env("BKG_BOOTSTRAP_ADMIN_PASSWORD", crate::harness::ADMIN_PASSWORD)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let anonymous = bkg_core::client::Client::new(&format!("http://127.0.0.1:{port}")).unwrap();
    wait_until("bkgd answers", || async { anonymous.health().await.is_ok() }).await;
    let token = anonymous.login("admin", crate::harness::ADMIN_PASSWORD).await.unwrap().access_token;
    let client = anonymous.with_token(token);
    wait_until("both plugins run", || async {
        let Ok(list) = client.plugins().await else { return false };
        list.plugins.iter().all(|p| p.status == PluginState::Running)
    })
    .await;
    let gc = client.plugin_status("gc").await.unwrap().pid.unwrap();
    let s = client.plugin_status("s").await.unwrap().pid.unwrap();
    let kids: Vec<u32> = serde_json::from_value(
        client.invoke("gc", "children", &json!({})).await.unwrap().output["pids"].clone(),
    )
    .unwrap();
    let mut all: Vec<u32> = vec![gc, s];
    all.extend(&kids);
    assert!(all.iter().all(|p| alive(*p)));

    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    wait_until("every plugin process is gone", || async { all.iter().all(|p| !alive(*p)) }).await;
    // Reap what was re-parented to us, then check nothing is left in the plugins' groups.
    let groups = [gc as i32, s as i32];
    wait_until("the orphans' zombies are reaped", || async {
        for z in zombies_in(&groups) {
            let _ = nix::sys::wait::waitpid(nix::unistd::Pid::from_raw(z), None);
        }
        let left = bkgd::supervisor::spawn::processes_by_group();
        groups.iter().all(|g| left.get(g).is_none_or(|m| m.is_empty()))
    })
    .await;
}

/// A line that is not JSON, then one that is not even UTF-8: both are logged and skipped, and
/// the answers after them still arrive (the second used to end the reading of stdout for good).
#[tokio::test(flavor = "multi_thread")]
async fn garbage_on_stdout_is_logged_and_the_plugin_keeps_answering() {
    // Were stdout no longer read, the first echo would time out (in 10 s, not the default 10 min).
    let d = daemon().plugin("p", &["stdout-garbage"], "[timeouts]\ninvokeMs = 10000\n").start().await;
    d.client.start("p").await.unwrap();
    for n in 0..3 {
        let out = d.client.invoke("p", "echo", &json!({"n": n})).await.unwrap().output;
        assert_eq!(out, json!({"n": n}));
    }
    let skipped: Vec<String> = messages(&d, "p")
        .await
        .into_iter()
        .filter(|m| m.starts_with("stdout line is not a protocol message"))
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].ends_with("this line is not JSON"), "{skipped:?}");
    assert!(skipped[1].ends_with("\u{fffd}\u{fffd} nor UTF-8"), "{skipped:?}");
}

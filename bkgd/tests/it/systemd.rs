//! The systemd unit in `packaging/systemd/` and bkgd's side of it: the unit verifies and scores
//! "OK" or better in `systemd-analyze security`, its environment is configuration bkgd accepts,
//! and the real binary speaks the notify protocol (ready, watchdog, stopping) without handing
//! the socket to its plugins.

use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use bkg_core::plugin::PluginState;

use crate::harness::{ADMIN_PASSWORD, manifest, testplugin, wait_until};

fn unit_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../packaging/systemd/bkgd.service")
}

/// The unit with `ExecStart` pointing at the bkgd Cargo built (verify checks that it exists).
fn unit_for_this_build(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(unit_file()).unwrap();
    assert!(text.contains("ExecStart=/usr/local/bin/bkgd\n"), "the unit starts /usr/local/bin/bkgd");
    let path = dir.join("bkgd.service");
    std::fs::write(&path, text.replace("/usr/local/bin/bkgd", env!("CARGO_BIN_EXE_bkgd"))).unwrap();
    path
}

fn systemd_analyze(args: &[&str], unit: &Path) -> std::process::Output {
    Command::new("systemd-analyze").args(args).arg(unit).output().unwrap_or_else(|e| {
        panic!(
            "systemd-analyze is needed to check packaging/systemd/bkgd.service ({e}): apt-get install systemd"
        )
    })
}

#[test]
fn the_unit_verifies_and_is_hardened() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_for_this_build(dir.path());
    let verify = systemd_analyze(&["verify"], &unit);
    let said = String::from_utf8_lossy(&verify.stderr);
    assert!(verify.status.success() && said.trim().is_empty(), "systemd-analyze verify: {said}");

    let security = systemd_analyze(&["security", "--offline=true", "--no-pager"], &unit);
    let report = String::from_utf8_lossy(&security.stdout);
    let overall = report
        .lines()
        .find_map(|l| {
            l.split_once("Overall exposure level for bkgd.service:").map(|(_, r)| r.trim().to_string())
        })
        .unwrap_or_else(|| panic!("no overall exposure in:\n{report}"));
    let mut words = overall.split_whitespace();
    let score: f64 = words.next().unwrap().parse().unwrap();
    let level = words.next().unwrap();
    assert!(matches!(level, "SAFE" | "OK"), "exposure {overall}:\n{report}");
    assert!(score <= 2.0, "exposure {overall} (1.3 when written):\n{report}");
}

/// The unit's `Environment=` lines, with the specifiers it uses expanded as systemd does for
/// a system service.
fn unit_environment() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(unit_file()).unwrap();
    text.lines()
        .filter_map(|l| l.strip_prefix("Environment="))
        .flat_map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_string(), v.replace("%S", "/var/lib").replace("%C", "/var/cache"))
        })
        .collect()
}

#[test]
fn the_units_environment_is_configuration_bkgd_takes() {
    let out = Command::new(env!("CARGO_BIN_EXE_bkgd"))
        .args(["config", "show"])
        .env_clear()
        .envs(unit_environment())
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.trim().is_empty(), "no warnings (e.g. an unknown BKG_* variable): {said}");
    let config: toml::Value = toml::from_str(&shown).unwrap();
    assert_eq!(config["data_dir"].as_str(), Some("/var/lib/bkg"), "{shown}");
    assert_eq!(config["cache_dir"].as_str(), Some("/var/cache/bkg"), "{shown}");
    assert_eq!(config["plugins_dir"].as_str(), Some("/var/lib/bkg/plugins"), "{shown}");
}

/// Every notify message bkgd sends, read as they come by a thread of their own (systemd reads
/// at once too; a socket nobody reads would fill and drop them).
fn listen(sock: UnixDatagram) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = sock.recv(&mut buf) {
            if tx.send(String::from_utf8_lossy(&buf[..n]).to_string()).is_err() {
                break;
            }
        }
    });
    rx
}

/// Takes messages until one has the line `wanted` (60 s at most).
fn expect(rx: &std::sync::mpsc::Receiver<String>, wanted: &str, seen: &mut Vec<String>) {
    loop {
        let msg = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|e| panic!("no {wanted:?} after {seen:?}: {e}"));
        seen.push(msg.clone());
        if msg.lines().any(|l| l == wanted) {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bkgd_notifies_systemd_and_keeps_the_socket_from_its_plugins() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("notify.sock");
    let messages = listen(UnixDatagram::bind(&socket).unwrap());
    let plugins = dir.path().join("plugins");
    std::fs::create_dir_all(&plugins).unwrap();
    let _ = testplugin();
    std::fs::write(plugins.join("n.toml"), manifest("n", &["serve"], "autostart = true")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut bkgd = bkg_testkit::bkgd_command(Path::new(env!("CARGO_BIN_EXE_bkgd")), dir.path(), port)
        .env("NOTIFY_SOCKET", &socket)
        .env("WATCHDOG_USEC", "200000")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();

    let mut seen = Vec::new();
    expect(&messages, "READY=1", &mut seen);
    assert!(seen.last().unwrap().contains(&format!("MAINPID={}", bkgd.id())), "{seen:?}");
    // Ready means serving: the port answers without waiting.
    let anonymous = bkg_core::client::Client::new(&format!("http://127.0.0.1:{port}")).unwrap();
    let ready = reqwest::get(format!("http://127.0.0.1:{port}/readyz")).await.unwrap();
    assert_eq!(ready.status(), 200);
    expect(&messages, "WATCHDOG=1", &mut seen);

    let token = anonymous.login("admin", ADMIN_PASSWORD).await.unwrap().access_token;
    let client = anonymous.with_token(token);
    wait_until("the plugin runs", || async {
        client.plugin_status("n").await.is_ok_and(|p| p.status == PluginState::Running)
    })
    .await;
    let pid = client.plugin_status("n").await.unwrap().pid.unwrap();
    let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
    let names: Vec<String> = environ
        .split(|b| *b == 0)
        .filter_map(|kv| kv.split(|b| *b == b'=').next())
        .map(|k| String::from_utf8_lossy(k).to_string())
        .collect();
    assert!(names.iter().any(|n| n == "BKG_PLUGIN_ID"), "a plugin env: {names:?}");
    for hidden in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"] {
        assert!(!names.iter().any(|n| n == hidden), "{hidden} reached the plugin: {names:?}");
    }

    nix::sys::signal::kill(nix::unistd::Pid::from_raw(bkgd.id() as i32), nix::sys::signal::Signal::SIGTERM)
        .unwrap();
    expect(&messages, "STOPPING=1", &mut seen);
    let status = bkgd.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

/// `bkgd --version` and `/healthz` name the release and the commit.
#[tokio::test(flavor = "multi_thread")]
async fn version_and_health_name_the_commit() {
    let out = Command::new(env!("CARGO_BIN_EXE_bkgd")).arg("--version").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(text, format!("bkgd {} (commit {})", env!("CARGO_PKG_VERSION"), bkgd::COMMIT));
    let head = Command::new("git")
        .args(["-C", env!("CARGO_MANIFEST_DIR"), "rev-parse", "--short=12", "HEAD"])
        .output()
        .unwrap();
    if head.status.success() && std::env::var("BKG_COMMIT").is_err() {
        let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
        assert_eq!(bkgd::COMMIT, head, "built from the checked-out commit");
    }
    let d = crate::harness::daemon().start().await;
    let health = d.client.health().await.unwrap();
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(health.commit, bkgd::COMMIT);
}

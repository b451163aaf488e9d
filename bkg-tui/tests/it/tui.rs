//! The acceptance walk-throughs of issue 10, each against its own daemon and tmux server.

use bkg_core::auth::{CreateUser, Role};
use bkg_core::plugin::PluginState;
use serde_json::json;

use crate::harness::{Daemon, Tmux, daemon, wait_until};

const PLUGIN: &str = "echo";

/// The first screen line that mentions the plugin (its list row or the dashboard header).
fn row<'a>(screen: &'a str, needle: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(needle))
}

async fn wait_state(d: &Daemon, state: PluginState) {
    wait_until(&format!("{PLUGIN} is {state}"), || async {
        d.client.plugin_status(PLUGIN).await.is_ok_and(|s| s.status == state)
    })
    .await;
}

async fn log(d: &Daemon, message: &str) {
    d.client.invoke(PLUGIN, "log", &json!({"count": 1, "message": message})).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn start_logs_search_stop_models_quit() {
    let d = daemon(PLUGIN).await;
    let token = d.key(Role::Admin).await;
    let cfg = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(&d.url(""), &token, cfg.path());

    let screen = tmux
        .wait("the plugin list shows the test plugin", |s| {
            row(s, PLUGIN).is_some_and(|r| r.contains("stopped"))
        })
        .await;
    assert!(screen.contains("Plugins (1)"), "{screen}");

    tmux.type_text("s");
    tmux.wait("the plugin runs", |s| row(s, PLUGIN).is_some_and(|r| r.contains("running"))).await;
    wait_state(&d, PluginState::Running).await;

    tmux.key("Enter");
    tmux.wait_text("Logs echo").await;
    log(&d, "hello-from-the-plugin").await;
    tmux.wait_text("hello-from-the-plugin").await;

    tmux.type_text("/hello");
    tmux.key("Enter");
    tmux.wait_text("/hello").await;
    let styled = tmux.screen_styled();
    let line = styled.lines().find(|l| l.contains("-from-the-plugin")).expect("the log line is on screen");
    // The match is wrapped in its own style: an escape sequence right before and right after.
    let at = line.find("hello").expect("the match is there");
    assert!(
        line[..at].ends_with('m') && line[..at].contains("\u{1b}["),
        "the match is not highlighted: {line:?}"
    );
    assert!(line[at + 5..].starts_with('\u{1b}'), "the highlight does not end after the match: {line:?}");

    tmux.key("Escape");
    tmux.type_text("x");
    tmux.wait_text("stop echo?").await;
    tmux.type_text("y");
    tmux.wait("the plugin is stopped", |s| s.contains("○ stopped")).await;
    wait_state(&d, PluginState::Stopped).await;

    tmux.type_text(":models");
    tmux.key("Enter");
    tmux.wait_text("Models (0)").await;

    tmux.type_text("q");
    tmux.wait_text("bkg-tui exited 0").await;
    let screen = tmux.wait_text("icanon").await;
    assert!(
        screen.contains("icanon echo") && !screen.contains("-icanon"),
        "the terminal is not back in cooked mode:\n{screen}"
    );
    assert!(!screen.contains("Models ("), "the alternate screen was not left:\n{screen}");
}

#[tokio::test(flavor = "multi_thread")]
async fn reconnects_after_bkgd_restarts_and_logs_continue() {
    let mut d = daemon(PLUGIN).await;
    let token = d.key(Role::Admin).await;
    d.client.start(PLUGIN).await.unwrap();
    wait_state(&d, PluginState::Running).await;
    let cfg = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(&d.url(""), &token, cfg.path());
    tmux.wait("the plugin runs", |s| row(s, PLUGIN).is_some_and(|r| r.contains("running"))).await;
    tmux.key("Enter");
    tmux.wait_text("Logs echo").await;
    log(&d, "before-the-restart").await;
    tmux.wait_text("before-the-restart").await;

    d.shutdown().await;
    tmux.wait_text("disconnected, retrying in").await;

    d.restart().await;
    // A restarted bkgd brings back the plugins that were meant to be running.
    wait_state(&d, PluginState::Running).await;
    tmux.wait("the banner is gone", |s| !s.contains("disconnected") && s.contains("| connected")).await;
    log(&d, "after-the-restart").await;
    let screen = tmux.wait_text("after-the-restart").await;
    assert!(screen.contains("before-the-restart"), "earlier lines were lost:\n{screen}");
    assert_eq!(screen.matches("before-the-restart").count(), 1, "a line was duplicated:\n{screen}");
}

#[tokio::test(flavor = "multi_thread")]
async fn readonly_user_sees_no_start_and_is_told_why() {
    let d = daemon(PLUGIN).await;
    let user = CreateUser {
        username: "viewer".into(),
        password: "a long enough password".into(),
        role: Role::Readonly,
    };
    d.client.create_user(&user).await.unwrap();
    let pair = bkg_core::client::Client::new(&d.url(""))
        .unwrap()
        .login("viewer", "a long enough password")
        .await
        .unwrap();
    let cfg = tempfile::tempdir().unwrap();
    let tmux = Tmux::start_with(&d.url(""), &pair.access_token, cfg.path(), &[("NO_COLOR", "1".into())]);
    let screen = tmux
        .wait("the list and the role are shown", |s| s.contains("(readonly)") && row(s, PLUGIN).is_some())
        .await;
    assert!(!screen.contains("s start") && !screen.contains("x stop"), "start/stop offered:\n{screen}");
    tmux.type_text("s");
    tmux.wait_text("lacks plugins:lifecycle").await;
    assert_eq!(d.client.plugin_status(PLUGIN).await.unwrap().status, PluginState::Stopped);

    // NO_COLOR: attributes only (bold, reverse), no colour in any escape sequence.
    let styled = tmux.screen_styled();
    for seq in styled.split('\u{1b}').skip(1) {
        let params = seq.trim_start_matches('[').split('m').next().unwrap_or("");
        for p in params.split(';').filter_map(|p| p.parse::<u32>().ok()) {
            assert!(
                !matches!(p, 30..=38 | 40..=48 | 90..=97 | 100..=107),
                "a colour under NO_COLOR: {seq:?}"
            );
        }
    }

    // A resize redraws for the new size: at 80 columns the restart count makes room.
    assert!(screen.contains("RESTARTS"), "{screen}");
    tmux.resize(80, 24);
    let screen =
        tmux.wait("the list is laid out for 80x24", |s| !s.contains("RESTARTS") && s.contains("INV/S")).await;
    assert!(screen.lines().all(|l| l.chars().count() <= 80), "{screen}");
}

#[tokio::test(flavor = "multi_thread")]
async fn config_in_the_editor_and_invoke_with_streamed_chunks() {
    let d = daemon(PLUGIN).await;
    let token = d.key(Role::Admin).await;
    d.client.start(PLUGIN).await.unwrap();
    wait_state(&d, PluginState::Running).await;
    let cfg = tempfile::tempdir().unwrap();
    // The "editor" replaces the file with what the test put into `next.json`.
    let next = cfg.path().join("next.json");
    let editor = cfg.path().join("edit.sh");
    std::fs::write(&editor, format!("#!/bin/sh\ncat {:?} > \"$1\"\n", next.display().to_string())).unwrap();
    let editor_cmd = format!("sh {}", editor.display());
    let tmux = Tmux::start_with(
        &d.url(""),
        &token,
        cfg.path(),
        &[("EDITOR", editor_cmd.clone()), ("VISUAL", editor_cmd)],
    );
    tmux.wait("the plugin runs", |s| row(s, PLUGIN).is_some_and(|r| r.contains("running"))).await;

    tmux.type_text("c");
    tmux.wait_text("edit in $EDITOR").await;
    std::fs::write(&next, r#"{"threads": 0}"#).unwrap();
    tmux.type_text("e");
    let screen = tmux.wait_text("rejected:").await;
    assert!(screen.contains("threads"), "the violation names the field:\n{screen}");
    std::fs::write(&next, r#"{"threads": 4}"#).unwrap();
    tmux.type_text("e");
    tmux.wait_text("config applied").await;
    tmux.wait("the new config is shown", |s| s.contains(r#""threads": 4"#) && !s.contains("rejected:")).await;
    assert_eq!(d.client.plugin(PLUGIN).await.unwrap().config, json!({"threads": 4}));

    // Capabilities: `echo` is first, `stream` second.
    tmux.type_text("i");
    tmux.wait_text("input JSON: {}").await;
    tmux.key("BSpace");
    tmux.key("BSpace");
    tmux.type_text(r#"{"said": "hi-there"}"#);
    tmux.key("Enter");
    tmux.wait("the echo result is shown", |s| s.contains("result:") && s.contains("hi-there")).await;
    tmux.type_text("j");
    tmux.type_text("i");
    tmux.wait_text("input JSON: {}").await;
    tmux.key("C-u");
    tmux.type_text(r#"{"count": 3, "text": "chunky"}"#);
    tmux.key("Enter");
    let screen = tmux
        .wait("the stream's result is shown", |s| s.contains("result:") && s.contains("\"count\": 3"))
        .await;
    assert!(screen.matches("chunky").count() >= 3, "every chunk is shown:\n{screen}");
}

#[tokio::test(flavor = "multi_thread")]
async fn keeps_up_with_a_flood_of_log_lines() {
    const LINES: u32 = 50_000;
    let d = crate::harness::daemon_with(PLUGIN, &["flood", &LINES.to_string()]).await;
    let token = d.key(Role::Admin).await;
    let cfg = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(&d.url(""), &token, cfg.path());
    tmux.wait("the list shows the plugin", |s| row(s, PLUGIN).is_some()).await;
    tmux.key("Enter");
    tmux.wait_text("Logs echo").await;
    d.client.start(PLUGIN).await.unwrap();
    // The last line arrives on screen: the view follows the end however fast lines come, and
    // anything the connection had to drop is shown as a counted marker instead.
    tmux.wait_text(&format!("flood done {LINES}")).await;
    tmux.type_text("q");
    tmux.wait_text("bkg-tui exited 0").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn uses_the_session_stored_by_bkgctl_login() {
    use bkg_core::client::config::credentials::{Credential, Session, Store};
    let d = daemon(PLUGIN).await;
    let cfg = tempfile::tempdir().unwrap();
    // What `bkgctl login` writes: a session keyed by the server's normalised URL.
    let anonymous = bkg_core::client::Client::new(&d.url("")).unwrap();
    let pair = anonymous.login(bkg_testkit::ADMIN, bkg_testkit::ADMIN_PASSWORD).await.unwrap();
    let store = Store::new(cfg.path());
    let lock = store.lock().unwrap();
    let session = Credential::Session(Session::from_pair(bkg_testkit::ADMIN, &pair));
    store.put(&lock, anonymous.base_url().as_str(), Some(session)).unwrap();
    drop(lock);
    let tmux = Tmux::start(&d.url(""), "", cfg.path());
    let screen = tmux
        .wait("the list shows as the logged-in admin", |s| {
            s.contains("admin (admin)") && row(s, PLUGIN).is_some()
        })
        .await;
    assert!(!screen.contains("cannot"), "{screen}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_token_says_how_to_log_in() {
    let d = daemon(PLUGIN).await;
    let cfg = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(&d.url(""), "bkg_not_a_key", cfg.path());
    let screen = tmux
        .wait("the banner explains", |s| s.contains("disconnected, retrying") && s.contains("bkgctl login"))
        .await;
    // The user chose that token: no login form in its place.
    assert!(!screen.contains("Log in to bkgd"), "{screen}");
    tmux.type_text("q");
    tmux.wait_text("bkg-tui exited 0").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn keys_come_from_the_settings_file() {
    let d = daemon(PLUGIN).await;
    let token = d.key(Role::Admin).await;
    let cfg = tempfile::tempdir().unwrap();
    std::fs::write(
        cfg.path().join("bkg-tui.toml"),
        "[keys]\nstart = \"S\"\n[colors]\nrunning = \"#00ff00\"\n",
    )
    .unwrap();
    let tmux = Tmux::start(&d.url(""), &token, cfg.path());
    tmux.wait("the footer shows the new key", |s| s.contains("S start") && row(s, PLUGIN).is_some()).await;
    tmux.type_text("s");
    tmux.type_text("S");
    wait_state(&d, PluginState::Running).await;
}

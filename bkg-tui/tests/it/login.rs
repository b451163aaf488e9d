//! The login form: without a token or a stored session, bkg-tui asks for a username and a
//! password, logs in as `bkgctl login` does and stores the session where bkgctl finds it.

use bkg_core::client::config::credentials::{Credential, Store};

use crate::harness::{Tmux, daemon};

const PLUGIN: &str = "echo";

#[tokio::test(flavor = "multi_thread")]
async fn the_login_form_logs_in_and_stores_the_session_for_the_next_start() {
    let d = daemon(PLUGIN).await;
    let cfg = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(&d.url(""), "", cfg.path());
    let screen =
        tmux.wait("the login form", |s| s.contains("Log in to bkgd") && s.contains("username")).await;
    assert!(screen.contains("not logged in"), "{screen}");

    // A wrong password: the error in place, the username kept, the password cleared.
    tmux.type_text(bkg_testkit::ADMIN);
    tmux.key("Tab");
    tmux.type_text("not-the-password");
    tmux.wait_text("••••••••••••••••").await;
    tmux.key("Enter");
    let screen = tmux.wait_text("wrong username or password").await;
    assert!(!screen.contains("not-the-password"), "{screen}");
    assert!(!screen.contains('•'), "the password is cleared: {screen}");
    assert!(screen.lines().any(|l| l.contains("username") && l.contains(bkg_testkit::ADMIN)), "{screen}");
    let store = Store::new(cfg.path());
    let key = bkg_core::client::Client::new(&d.url("")).unwrap().base_url().to_string();
    assert_eq!(store.get(&key).unwrap(), None, "nothing is stored after a failed login");

    // The right one: the plugin list, as the admin.
    tmux.type_text(bkg_testkit::ADMIN_PASSWORD);
    tmux.key("Enter");
    let screen = tmux
        .wait("the plugin list as the admin", |s| {
            s.contains("admin (admin)") && s.lines().any(|l| l.contains(PLUGIN) && l.contains("stopped"))
        })
        .await;
    assert!(!screen.contains("Log in to bkgd"), "{screen}");
    assert!(!screen.contains(bkg_testkit::ADMIN_PASSWORD), "{screen}");

    // Stored as `bkgctl login` stores it: a session for this server, readable by its owner only.
    match store.get(&key).unwrap() {
        Some(Credential::Session(s)) => assert_eq!(s.username, bkg_testkit::ADMIN),
        other => panic!("no session stored for {key}: {other:?}"),
    }
    let text = std::fs::read_to_string(store.path()).unwrap();
    assert!(text.contains("kind = \"session\"") && !text.contains(bkg_testkit::ADMIN_PASSWORD), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(store.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    tmux.type_text("q");
    tmux.wait_text("bkg-tui exited 0").await;
    drop(tmux);

    // A second start with the same config dir goes straight to the list.
    let tmux = Tmux::start(&d.url(""), "", cfg.path());
    let screen = tmux
        .wait("the plugin list without a login", |s| {
            s.contains("admin (admin)") && s.lines().any(|l| l.contains(PLUGIN))
        })
        .await;
    assert!(!screen.contains("Log in to bkgd"), "{screen}");
    tmux.type_text("q");
    tmux.wait_text("bkg-tui exited 0").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stored_session_the_daemon_rejects_brings_up_the_form() {
    use bkg_core::client::config::credentials::Session;
    let d = daemon(PLUGIN).await;
    let cfg = tempfile::tempdir().unwrap();
    let key = bkg_core::client::Client::new(&d.url("")).unwrap().base_url().to_string();
    // A stale access token and a refresh token the daemon never issued: the refresh gets a 401.
    let past = chrono::Utc::now() - chrono::Duration::hours(1);
    let dead = Session {
        username: bkg_testkit::ADMIN.into(),
        access_token: "not-a-jwt".into(),
        access_expires_at: past,
        refresh_token: "not-a-refresh-token".into(),
        refresh_expires_at: chrono::Utc::now() + chrono::Duration::days(1),
    };
    let store = Store::new(cfg.path());
    store.remember(&key, Credential::Session(dead)).unwrap();
    let tmux = Tmux::start(&d.url(""), "", cfg.path());
    tmux.wait("the login form", |s| s.contains("Log in to bkgd")).await;
    tmux.type_text(bkg_testkit::ADMIN);
    tmux.key("Tab");
    tmux.type_text(bkg_testkit::ADMIN_PASSWORD);
    tmux.key("Enter");
    tmux.wait("the plugin list", |s| s.contains("admin (admin)") && s.lines().any(|l| l.contains(PLUGIN)))
        .await;
    assert!(
        matches!(store.get(&key).unwrap(), Some(Credential::Session(s)) if s.access_token != "not-a-jwt")
    );
    tmux.key("Escape");
    tmux.type_text("q");
    tmux.wait_text("bkg-tui exited 0").await;
}

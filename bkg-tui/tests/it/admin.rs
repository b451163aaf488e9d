//! `:keys` (create with the secret shown once, disable, rotate, delete), `:users` and the live
//! `:audit` tail with its filter.

use bkg_core::auth::Role;

use crate::harness::Tmux;

/// Moves the selection (the row drawn with `> `) to the row containing `needle`.
async fn select(tmux: &Tmux, needle: &str) {
    for _ in 0..10 {
        let screen = tmux.screen();
        if screen.lines().any(|l| l.contains("> ") && l.contains(needle)) {
            return;
        }
        tmux.type_text("j");
        tmux.wait("the selection moved", |s| s != screen).await;
    }
    panic!("cannot select {needle}:\n{}", tmux.screen());
}

#[tokio::test(flavor = "multi_thread")]
async fn keys_users_and_audit() {
    let d = bkg_testkit::daemon().start().await;
    let token = d.key(Role::Admin).await;
    let cfg = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(&d.url(""), &token, cfg.path());
    tmux.wait_text("Plugins (0)").await;

    tmux.type_text(":keys");
    tmux.key("Enter");
    tmux.wait_text("API keys (1)").await;
    tmux.type_text("c");
    tmux.wait_text("new key name").await;
    tmux.type_text("ci-deploy developer");
    tmux.key("Enter");
    let screen = tmux.wait_text("shown once").await;
    assert!(screen.contains("API key ci-deploy (developer)"), "{screen}");
    // The whole secret, not the short prefix the list shows.
    let secret =
        screen.split(|c: char| c == '│' || c.is_whitespace()).find(|t| t.starts_with("bkg_") && t.len() > 24);
    let secret = secret.unwrap_or_else(|| panic!("no secret on screen:\n{screen}")).to_string();
    assert!(bkg_core::client::Client::new(&d.url("")).unwrap().with_token(secret.clone()).me().await.is_ok());
    tmux.key("Escape");
    tmux.wait("the popup is gone and the key listed", |s| {
        !s.contains("shown once") && s.contains("API keys (2)")
    })
    .await;
    assert!(!tmux.screen().contains(&secret), "the secret is shown once only");

    select(&tmux, "ci-deploy").await;
    tmux.type_text("D");
    tmux.wait("the key is disabled", |s| {
        s.lines().any(|l| l.contains("ci-deploy") && l.contains("disabled"))
    })
    .await;
    tmux.type_text("r");
    tmux.wait_text("rotate API key ci-deploy").await;
    tmux.type_text("y");
    tmux.wait_text("shown once").await;
    tmux.key("Escape");
    tmux.wait("the popup is gone", |s| !s.contains("shown once")).await;
    select(&tmux, "ci-deploy").await;
    tmux.type_text("d");
    tmux.wait_text("delete API key ci-deploy").await;
    tmux.type_text("y");
    tmux.wait("the key is deleted", |s| s.contains("API keys (1)") && !s.contains("ci-deploy")).await;

    tmux.type_text(":users");
    tmux.key("Enter");
    tmux.wait("the admin is listed", |s| s.contains("Users (1)") && s.contains("admin")).await;

    tmux.type_text(":audit");
    tmux.key("Enter");
    tmux.wait("the key events are in the audit log", |s| {
        s.contains("key.create") && s.contains("key.delete")
    })
    .await;
    tmux.type_text("/rotate");
    tmux.key("Enter");
    tmux.wait("only rotations are shown", |s| s.contains("key.rotate") && !s.contains("key.create")).await;
}

//! Login, refresh rotation and reuse detection, logout, password and role changes: revocation
//! is effective on the next request, and the WebSocket connections of revoked sessions close.

use bkg_core::ErrorCode;
use bkg_core::auth::{AuditQuery, Role, UpdateUser};
use bkg_core::ws::Topic;

use crate::harness::{ADMIN_PASSWORD, daemon};

#[tokio::test(flavor = "multi_thread")]
async fn login_me_refresh_and_reuse_revokes_the_family() {
    // No grace period: every reuse after the first use is a reuse (the grace has its own test).
    let d = daemon().config(|c| c.auth.refresh_reuse_grace_secs = 0).start().await;
    let err = d.anonymous.login("admin", "wrong-password-here").await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Unauthorized));
    let err = d.anonymous.login("nobody", "wrong-password-here").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        d.anonymous.login("admin", "wrong-password-here").await.unwrap_err().to_string(),
        "no user enumeration"
    );

    let pair = d.anonymous.login("admin", ADMIN_PASSWORD).await.unwrap();
    assert_eq!(pair.token_type, "Bearer");
    let me = d.anonymous.clone().with_token(&pair.access_token).me().await.unwrap();
    assert_eq!((me.user.username.as_str(), me.role), ("admin", Role::Admin));
    assert!(me.session_id.is_some());

    let second = d.anonymous.refresh(&pair.refresh_token).await.unwrap();
    assert_ne!(second.refresh_token, pair.refresh_token);
    let third = d.anonymous.refresh(&second.refresh_token).await.unwrap();
    // Presenting a used token again: the whole family is revoked.
    let err = d.anonymous.refresh(&pair.refresh_token).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Unauthorized));
    assert!(err.to_string().contains("already used"), "{err}");
    assert!(
        d.anonymous.refresh(&third.refresh_token).await.is_err(),
        "the newest refresh token of the family is dead too"
    );
    assert!(
        d.anonymous.clone().with_token(&third.access_token).me().await.is_err(),
        "and so is its access token"
    );

    let audit =
        d.client.audit(&AuditQuery { action: Some("auth.".into()), ..Default::default() }).await.unwrap();
    let actions: Vec<(&str, &str)> =
        audit.events.iter().map(|e| (e.action.as_str(), e.outcome.as_str())).collect();
    assert!(actions.contains(&("auth.refresh_reuse", "failure")), "{actions:?}");
    assert!(actions.contains(&("auth.login", "failure")));
    assert!(
        audit.events.iter().all(|e| !e.details.to_string().contains(ADMIN_PASSWORD)),
        "no secret in the audit log"
    );
}

/// Two tabs (or the web UI and the TUI of one user) refresh with the same token at the same
/// moment: within the grace period every one of them gets a working pair, and the session
/// lives on. (Reuse after the grace revokes the family: the test above.)
#[tokio::test(flavor = "multi_thread")]
async fn concurrent_refreshes_within_the_grace_keep_the_user_logged_in() {
    let d = daemon().start().await;
    for n in [2, 2, 2, 50] {
        let pair = d.anonymous.login("admin", ADMIN_PASSWORD).await.unwrap();
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let c = d.anonymous.clone();
                let t = pair.refresh_token.clone();
                tokio::spawn(async move { c.refresh(&t).await })
            })
            .collect();
        for t in tasks {
            let fresh = t.await.unwrap().expect("a concurrent refresh within the grace succeeds");
            let me = d.anonymous.clone().with_token(&fresh.access_token).me().await;
            assert!(me.is_ok(), "its access token works: {me:?}");
            let next = d.anonymous.refresh(&fresh.refresh_token).await;
            assert!(next.is_ok(), "and its refresh token refreshes once more: {next:?}");
        }
    }
    let reuse = AuditQuery { action: Some("auth.refresh_reuse".into()), ..Default::default() };
    assert!(d.client.audit(&reuse).await.unwrap().events.is_empty(), "nothing counted as reuse");
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_is_accepted_after_logout_or_a_role_change() {
    let d = daemon().start().await;
    let dev = d.user("dana", Role::Developer).await;
    assert!(dev.plugins().await.is_ok());
    // Requests race the logout; once it has answered, none may succeed.
    let hammer: Vec<_> = (0..8)
        .map(|_| {
            let c = dev.clone();
            tokio::spawn(async move {
                for _ in 0..20 {
                    let _ = c.me().await;
                }
            })
        })
        .collect();
    dev.logout(false).await.unwrap();
    for _ in 0..100 {
        assert_eq!(dev.me().await.unwrap_err().code(), Some(ErrorCode::Unauthorized));
    }
    for h in hammer {
        h.await.unwrap();
    }

    let rita = d.user("rita", Role::Developer).await;
    let users = d.client.users().await.unwrap();
    let id = users.users.iter().find(|u| u.username == "rita").unwrap().id.clone();
    d.client
        .update_user(&id, &UpdateUser { role: Some(Role::Readonly), ..Default::default() })
        .await
        .unwrap();
    for _ in 0..100 {
        assert_eq!(
            rita.plugins().await.unwrap_err().code(),
            Some(ErrorCode::Unauthorized),
            "the old token died with the role change"
        );
    }
    let fresh = d.anonymous.login("rita", "rita-password-123").await.unwrap();
    let me = d.anonymous.clone().with_token(fresh.access_token).me().await.unwrap();
    assert_eq!(me.role, Role::Readonly);
}

#[tokio::test(flavor = "multi_thread")]
async fn password_change_and_disabling_revoke_and_close_websockets() {
    let d = daemon().start().await;
    let dev = d.user("pat", Role::Developer).await;
    let mut ws = dev.ws().await.unwrap();
    ws.subscribe(Topic::Status, None).await.unwrap();
    dev.change_password("pat-password-123", "pat-new-password-456").await.unwrap();
    assert_eq!(ws.wait_close().await, Some(1008), "the WebSocket of the revoked session closes");
    assert!(dev.me().await.is_err());
    assert!(d.anonymous.login("pat", "pat-password-123").await.is_err());
    let again = d.anonymous.login("pat", "pat-new-password-456").await.unwrap();
    let dev = d.anonymous.clone().with_token(again.access_token);
    let id = dev.me().await.unwrap().user.id;
    d.client.update_user(&id, &UpdateUser { disabled: Some(true), ..Default::default() }).await.unwrap();
    assert_eq!(dev.me().await.unwrap_err().code(), Some(ErrorCode::Unauthorized));
    assert!(d.anonymous.login("pat", "pat-new-password-456").await.is_err());
    let err = dev.change_password("x", "y").await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Unauthorized));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_admin_is_protected_and_users_are_managed() {
    let d = daemon().start().await;
    let me = d.client.me().await.unwrap();
    let err = d
        .client
        .update_user(&me.user.id, &UpdateUser { role: Some(Role::Developer), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Conflict));
    assert_eq!(d.client.delete_user(&me.user.id).await.unwrap_err().code(), Some(ErrorCode::Conflict));
    let err = d
        .client
        .create_user(&bkg_core::auth::CreateUser {
            username: "Bad Name".into(),
            password: "long enough password".into(),
            role: Role::Readonly,
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::InvalidRequest));
    let err = d
        .client
        .create_user(&bkg_core::auth::CreateUser {
            username: "ok".into(),
            password: "short".into(),
            role: Role::Readonly,
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::InvalidRequest));
    let _ = d.user("second", Role::Admin).await;
    assert_eq!(
        d.client
            .create_user(&bkg_core::auth::CreateUser {
                username: "second".into(),
                password: "long enough password".into(),
                role: Role::Readonly
            })
            .await
            .unwrap_err()
            .code(),
        Some(ErrorCode::Conflict)
    );
    // With a second admin, the first may step down.
    d.client
        .update_user(&me.user.id, &UpdateUser { role: Some(Role::Developer), ..Default::default() })
        .await
        .unwrap();
    let listed = serde_json::to_string(
        &d.anonymous
            .clone()
            .with_token(d.anonymous.login("second", "second-password-123").await.unwrap().access_token)
            .users()
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(!listed.contains("argon2"), "password hashes never leave the daemon");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fresh_install_generates_the_admin_password_once() {
    // The harness logs in with a known password; this daemon starts without one.
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::harness::test_config(dir.path());
    config.auth.bootstrap_admin_password = String::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let data = config.data_dir.clone();
    let task = tokio::spawn(bkgd::run(config, listener, async {
        let _ = rx.await;
    }));
    let c = bkg_core::client::Client::new(&format!("http://{addr}")).unwrap();
    crate::harness::wait_until("up", || async { c.health().await.is_ok() }).await;
    let file = data.join("initial-admin-password");
    let pw = std::fs::read_to_string(&file).unwrap();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(pw.trim().len() >= 20);
    assert!(c.login("admin", pw.trim()).await.is_ok());
    assert!(c.login("admin", "admin").await.is_err(), "never a default password");
    let _ = tx.send(());
    task.await.unwrap().unwrap();
}

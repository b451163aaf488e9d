//! AT-AUTH-005 and the rest of API key management: creation (201, secret shown once), both
//! headers, rotation with and without grace, updates, expiry, ownership, rights never above
//! the owner's.

use bkg_core::ErrorCode;
use bkg_core::auth::{CreateApiKey, Permission, Role, RotateApiKey, UpdateApiKey};
use bkg_core::client::Client;
use serde_json::{Value, json};

use crate::harness::{daemon, wait_until};

#[tokio::test(flavor = "multi_thread")]
async fn at_auth_005_create_use_rotate() {
    let d = daemon().start().await;
    let resp = d.http().post(d.url("/admin/api-keys")).json(&json!({"name": "ci"})).send().await.unwrap();
    assert_eq!(resp.status(), 201);
    let created: Value = resp.json().await.unwrap();
    let secret = created["secret"].as_str().unwrap().to_string();
    let id = created["key"]["id"].as_str().unwrap().to_string();
    assert!(secret.starts_with("bkg_"));
    assert!(secret.starts_with(created["key"]["prefix"].as_str().unwrap()));

    let key_client = d.anonymous.clone().with_token(&secret);
    assert_eq!(key_client.plugins().await.unwrap().plugins.len(), 0);
    let by_header =
        d.http_anonymous().get(d.url("/api/plugins")).header("x-api-key", &secret).send().await.unwrap();
    assert_eq!(by_header.status(), 200);
    // Listing never shows a secret.
    let listed = d.http().get(d.url("/admin/api-keys")).send().await.unwrap().text().await.unwrap();
    assert!(!listed.contains(&secret[12..]));

    let rotated = d.client.rotate_api_key(&id, &RotateApiKey::default()).await.unwrap();
    assert_ne!(rotated.secret, secret);
    assert!(d.anonymous.clone().with_token(&rotated.secret).plugins().await.is_ok(), "the new secret works");
    assert_eq!(
        key_client.plugins().await.unwrap_err().code(),
        Some(ErrorCode::Unauthorized),
        "the old one stops at once"
    );

    // With a grace period the previous secret keeps working until the period ends.
    let graced = d.client.rotate_api_key(&id, &RotateApiKey { grace_period_seconds: Some(1) }).await.unwrap();
    let previous = d.anonymous.clone().with_token(&rotated.secret);
    assert!(previous.plugins().await.is_ok(), "inside the grace period");
    assert!(graced.key.previous_valid_until.is_some());
    assert!(d.anonymous.clone().with_token(&graced.secret).plugins().await.is_ok());
    wait_until("the grace period ends", || async { previous.plugins().await.is_err() }).await;

    let audit = d
        .client
        .audit(&bkg_core::auth::AuditQuery { target: Some(id.clone()), ..Default::default() })
        .await
        .unwrap();
    let actions: Vec<&str> = audit.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["key.rotate", "key.rotate", "key.create"]);
    assert!(audit.events.iter().all(|e| !e.details.to_string().contains(&graced.secret[12..])));
}

#[tokio::test(flavor = "multi_thread")]
async fn keys_follow_rules_of_ownership_rights_and_state() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let dev = d.user("dev", Role::Developer).await;
    let ro = d.user("ro", Role::Readonly).await;

    // Rights never above the owner's.
    let err = dev
        .create_api_key(&CreateApiKey { name: "x".into(), role: Some(Role::Admin), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::InvalidRequest));
    let err = ro
        .create_api_key(&CreateApiKey {
            name: "x".into(),
            scopes: Some(vec![Permission::PluginsInvoke]),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::InvalidRequest));
    let past = chrono::Utc::now() - chrono::Duration::hours(1);
    let err = dev
        .create_api_key(&CreateApiKey { name: "x".into(), expires_at: Some(past), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::InvalidRequest));

    // A developer key, scoped to reading plugins only.
    let k = dev
        .create_api_key(&CreateApiKey {
            name: "reader".into(),
            scopes: Some(vec![Permission::PluginsRead]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(k.key.role, Role::Developer);
    let key = d.anonymous.clone().with_token(&k.secret);
    assert!(key.plugins().await.is_ok());
    assert_eq!(key.start("p").await.unwrap_err().code(), Some(ErrorCode::Forbidden));

    // Others' keys are not found to non-admins; admins see every key.
    assert_eq!(ro.delete_api_key(&k.key.id).await.unwrap_err().code(), Some(ErrorCode::NotFound));
    assert!(ro.api_keys().await.unwrap().keys.is_empty());
    assert!(d.client.api_keys().await.unwrap().keys.iter().any(|x| x.id == k.key.id));
    let err = dev
        .create_api_key(&CreateApiKey {
            name: "for-ro".into(),
            user_id: Some(ro.me().await.unwrap().user.id),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Forbidden));

    // Disable, enable, expire, delete.
    dev.update_api_key(&k.key.id, &UpdateApiKey { enabled: Some(false), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(key.plugins().await.unwrap_err().code(), Some(ErrorCode::Unauthorized));
    let updated = dev
        .update_api_key(
            &k.key.id,
            &UpdateApiKey { enabled: Some(true), name: Some("renamed".into()), ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!(updated.name, "renamed");
    assert!(key.plugins().await.is_ok());
    let soon = chrono::Utc::now() + chrono::Duration::seconds(1);
    dev.update_api_key(&k.key.id, &UpdateApiKey { expires_at: Some(Some(soon)), ..Default::default() })
        .await
        .unwrap();
    wait_until("the key expires", || async { key.plugins().await.is_err() }).await;
    assert!(key.plugins().await.unwrap_err().to_string().contains("expired"));
    dev.update_api_key(&k.key.id, &UpdateApiKey { expires_at: Some(None), ..Default::default() })
        .await
        .unwrap();
    assert!(key.plugins().await.is_ok(), "clearing the expiry revives it");
    let listed = dev.api_keys().await.unwrap();
    assert!(listed.keys[0].last_used_at.is_some());
    dev.delete_api_key(&k.key.id).await.unwrap();
    assert_eq!(key.plugins().await.unwrap_err().code(), Some(ErrorCode::Unauthorized));

    // A key follows its owner: demoting the owner caps the key.
    let k2 =
        dev.create_api_key(&CreateApiKey { name: "lifecycle".into(), ..Default::default() }).await.unwrap();
    let key2 = d.anonymous.clone().with_token(&k2.secret);
    key2.start("p").await.unwrap();
    let dev_id = dev.me().await.unwrap().user.id;
    d.client
        .update_user(
            &dev_id,
            &bkg_core::auth::UpdateUser { role: Some(Role::Readonly), ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!(key2.stop("p").await.unwrap_err().code(), Some(ErrorCode::Forbidden));
    assert_eq!(key2.me().await.unwrap().role, Role::Readonly);

    // Made-up and mistyped keys never reach the database lookup's answer.
    let last = if k2.secret.ends_with('x') { 'y' } else { 'x' };
    let mistyped = format!("{}{last}", &k2.secret[..49]);
    for bad in ["bkg_", "bkg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &mistyped] {
        let c = Client::new(&d.url("")).unwrap().with_token(bad);
        assert_eq!(c.plugins().await.unwrap_err().code(), Some(ErrorCode::Unauthorized), "{bad}");
    }
}

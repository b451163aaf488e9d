//! The apikeys plugin (Node.js) against a real daemon: it acts through the REST API with the
//! service identity the daemon grants it (never a user's token), issues keys within its policy
//! and refuses beyond it, rotates exactly the old keys with or without a grace period, audits
//! unused and expiring keys, runs its policy on a schedule, and can never give a key more than
//! its owner has.

use std::path::PathBuf;

use bkg_core::auth::{AuditQuery, CreateApiKey, Role};
use bkg_core::client::{Client, ClientError};
use serde_json::{Value, json};

use crate::harness::{TestDaemon, daemon, wait_until};

fn manifest(config: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../plugins/apikeys");
    let text = std::fs::read_to_string(dir.join("plugin.toml")).unwrap();
    let script = format!("command = [\"node\", {:?}]", dir.join("apikeys.js").display().to_string());
    format!("{}\n{config}", text.replace("command = [\"node\", \"apikeys.js\"]", &script))
}

async fn apikeys(config: &str) -> TestDaemon {
    let d = daemon().raw_manifest("apikeys", &manifest(config)).start().await;
    d.client.start("apikeys").await.unwrap();
    d
}

fn plugin_code(r: &Result<impl std::fmt::Debug, ClientError>) -> Option<String> {
    match r {
        Err(ClientError::Api { body, .. }) => {
            body.details.as_ref().and_then(|d| d["pluginCode"].as_str()).map(str::to_owned)
        }
        _ => None,
    }
}

async fn call(c: &Client, capability: &str, input: Value) -> Result<Value, ClientError> {
    c.invoke("apikeys", capability, &input).await.map(|r| r.output)
}

#[tokio::test(flavor = "multi_thread")]
async fn apikeys_issues_within_policy_rotates_old_keys_and_audits() {
    let d = apikeys("").await;

    // The daemon granted it a service identity: exactly the manifest's role and scopes.
    let users = d.client.users().await.unwrap().users;
    let service = users.iter().find(|u| u.username == "plugin-apikeys").expect("the service user");
    let keys = d.client.api_keys().await.unwrap().keys;
    let granted: Vec<_> = keys.iter().filter(|k| k.user_id == service.id).collect();
    assert_eq!(granted.len(), 1);
    assert_eq!((granted[0].name.as_str(), granted[0].role), ("service:apikeys", Role::Admin));
    assert_eq!(
        serde_json::to_value(&granted[0].scopes).unwrap(),
        json!(["keys:own", "keys:all", "users:read", "audit:read"])
    );
    assert!(granted[0].expires_at.is_some(), "a granted key expires by itself");
    assert!(
        d.anonymous.login("plugin-apikeys", "anything-at-all-123").await.is_err(),
        "the service user cannot log in"
    );

    let carol = d.user("carol", Role::Developer).await;
    d.user("rob", Role::Readonly).await;

    // Within the policy.
    let issued = call(
        &d.client,
        "keys.issue",
        json!({"user": "carol", "name": "ci", "role": "developer", "lifetimeDays": 30}),
    )
    .await
    .unwrap();
    let secret = issued["secret"].as_str().unwrap();
    let me = d.anonymous.clone().with_token(secret).me().await.unwrap();
    assert_eq!((me.user.username.as_str(), me.role), ("carol", Role::Developer));

    // Beyond it, and beyond what the owner has: refused, nothing created.
    for input in [
        json!({"user": "carol", "name": "x", "role": "admin"}),
        json!({"user": "carol", "name": "x", "lifetimeDays": 365}),
    ] {
        assert_eq!(
            plugin_code(&call(&d.client, "keys.issue", input).await).as_deref(),
            Some("policy_violation")
        );
    }
    let above = call(&d.client, "keys.issue", json!({"user": "rob", "name": "x", "role": "developer"})).await;
    assert!(above.as_ref().unwrap_err().status().is_some_and(|s| (400..500).contains(&s)), "{above:?}");
    assert!(!d.client.api_keys().await.unwrap().keys.iter().any(|k| k.name == "x"));
    // Only those allowed to manage keys may use it.
    assert_eq!(
        call(&carol, "keys.issue", json!({"user": "carol", "name": "y"})).await.unwrap_err().status(),
        Some(403)
    );

    // Rotate exactly the keys made before B.
    let new_key = async |name: &str| {
        d.client.create_api_key(&CreateApiKey { name: name.into(), ..Default::default() }).await.unwrap()
    };
    let a = new_key("a").await;
    let b = new_key("b").await;
    let rotated = call(&d.client, "keys.rotate", json!({"createdBefore": b.key.created_at, "graceHours": 0}))
        .await
        .unwrap();
    let mut names: Vec<&str> =
        rotated["rotated"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    names.sort_unstable();
    assert_eq!(names, ["a", "ci"], "not b, not the service key");
    assert!(
        d.anonymous.clone().with_token(&a.secret).me().await.is_err(),
        "no grace: the old secret stops at once"
    );
    let a_new = rotated["rotated"].as_array().unwrap().iter().find(|r| r["name"] == "a").unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(d.anonymous.clone().with_token(&a_new).me().await.is_ok());

    // With a grace period the old secret keeps working.
    let graced = call(&d.client, "keys.rotate", json!({"key": b.key.id, "graceHours": 1})).await.unwrap();
    assert!(graced["rotated"][0]["previousValidUntil"].is_string());
    assert!(d.anonymous.clone().with_token(&b.secret).me().await.is_ok());

    // Audit: unused and expiring keys, and who rotated what.
    let c = d
        .client
        .create_api_key(&CreateApiKey {
            name: "c".into(),
            expires_at: Some(chrono::Utc::now() + chrono::Duration::days(2)),
            ..Default::default()
        })
        .await
        .unwrap();
    let audit = call(&d.client, "keys.audit", json!({"unusedDays": 30, "expiringDays": 7})).await.unwrap();
    let ids = |v: &Value| {
        v.as_array().unwrap().iter().map(|k| k["id"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert!(ids(&audit["unused"]).contains(&c.key.id));
    assert!(!ids(&audit["unused"]).iter().any(|id| *id == issued["key"]["id"]), "the ci key was used");
    assert_eq!(ids(&audit["expiring"]), std::slice::from_ref(&c.key.id));
    let events = audit["events"].as_array().unwrap();
    assert!(
        events.iter().any(|e| e["action"] == "key.rotate"
            && e["actor"].as_str().unwrap().starts_with("plugin-apikeys (key "))
    );

    let stats = call(&d.client, "stats", json!({})).await.unwrap();
    assert_eq!((stats["issued"].as_u64(), stats["rotated"].as_u64()), (Some(1), Some(3)));
    let invoked = d
        .client
        .audit(&AuditQuery { action: Some("plugin.invoke".into()), ..Default::default() })
        .await
        .unwrap();
    assert!(
        invoked
            .events
            .iter()
            .any(|e| e.details["capability"] == "keys.issue" && e.actor.as_deref() == Some("carol"))
    );

    // Its key outlives no process.
    d.client.stop("apikeys").await.unwrap();
    assert!(!d.client.api_keys().await.unwrap().keys.iter().any(|k| k.user_id == service.id));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_policy_runs_on_its_schedule() {
    // About every 0.7 s; the run counter is polled with a deadline, not timed.
    let d = daemon().raw_manifest("apikeys", &manifest("")).start().await;
    let mut config = d.client.plugin("apikeys").await.unwrap().config;
    config["policyEveryHours"] = json!(0.0002);
    d.client.set_config("apikeys", &config).await.unwrap();
    d.client.start("apikeys").await.unwrap();
    wait_until("a scheduled policy run", || async {
        call(&d.client, "stats", json!({})).await.is_ok_and(|s| s["policyRuns"].as_u64() >= Some(1))
    })
    .await;
    let stats = call(&d.client, "stats", json!({})).await.unwrap();
    assert_eq!(stats["lastPolicyRun"]["rotated"], json!([]), "no key is older than 30 days");
}

//! Needs the auth API. `keys ls|create|update|rotate|rm` (the secret is shown once and works
//! at once; a rotated or disabled key stops working), `users ls|create|update|rm` with
//! conflict and not-found exits, and `audit ls` with filters; table and JSON output.

use crate::harness::{Cli, daemon};

#[tokio::test(flavor = "multi_thread")]
async fn api_keys_lifecycle() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    let admin = Cli::new(&d);

    // AT-AUTH-005: create (201) and rotate.
    let out =
        admin.run(&["keys", "create", "ci", "--role", "developer", "--expires", "30d", "-o", "json"]).await;
    let out = out.expect(0);
    assert!(out.stderr.contains("only time the secret is shown"), "{}", out.stderr);
    let created = out.json();
    let id = created["key"]["id"].as_str().unwrap().to_string();
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with(created["key"]["prefix"].as_str().unwrap()));
    assert_eq!(created["key"]["role"], "developer");
    assert!(created["key"]["expiresAt"].is_string());

    let mut with_key = Cli::anonymous(&d);
    with_key.token = Some(secret.clone());
    with_key.run(&["plugins", "start", "p"]).await.expect(0);

    let ls = admin.run(&["keys", "ls", "-o", "json"]).await.expect(0);
    assert!(!ls.stdout.contains(&secret), "lists never show secrets");
    assert!(ls.json()["keys"].as_array().unwrap().iter().any(|k| k["id"] == id.as_str()));
    let table = admin.table(&["keys", "ls"]).await;
    assert!(table.starts_with("ID") && table.contains("ci"), "{table}");
    assert!(admin.table(&["keys", "ls", "-q"]).await.lines().any(|l| l == id));

    let table = admin.table(&["keys", "create", "tabled"]).await;
    assert!(table.contains("\nsecret: "), "{table}");

    // By name as well as by id.
    let updated = admin.json(&["keys", "update", "ci", "--name", "ci-2", "--scope", "plugins:read"]).await;
    assert_eq!(updated["name"], "ci-2");
    assert_eq!(updated["scopes"], serde_json::json!(["plugins:read"]));
    with_key.run(&["plugins", "stop", "p"]).await.expect(3);
    let table = admin.table(&["keys", "update", &id, "--all-scopes", "--no-expiry"]).await;
    assert!(
        table.contains("SCOPES:") && table.contains("all of the role") && table.contains("never"),
        "{table}"
    );
    admin.json(&["keys", "update", &id, "--disable"]).await;
    with_key.run(&["plugins", "ls"]).await.expect(3);
    admin.json(&["keys", "update", &id, "--enable"]).await;
    with_key.run(&["plugins", "ls"]).await.expect(0);
    admin.run(&["keys", "update", &id]).await.expect(2);

    let rotated = admin.run(&["keys", "rotate", &id, "-o", "json"]).await.expect(0);
    assert!(rotated.stderr.contains("only time the secret is shown"));
    let new_secret = rotated.json()["secret"].as_str().unwrap().to_string();
    assert_ne!(new_secret, secret);
    with_key.run(&["plugins", "ls"]).await.expect(3);
    with_key.token = Some(new_secret.clone());
    with_key.run(&["plugins", "ls"]).await.expect(0);
    let quiet = admin.table(&["keys", "rotate", &id, "--grace", "1h", "-q"]).await;
    assert!(
        quiet.trim().starts_with("bkg_") && quiet.trim() != new_secret,
        "-q prints the new secret: {quiet}"
    );
    // The old secret works during the grace period, the new one at once.
    with_key.run(&["plugins", "ls"]).await.expect(0);
    with_key.token = Some(quiet.trim().to_string());
    with_key.run(&["plugins", "ls"]).await.expect(0);

    let deleted = admin.json(&["keys", "rm", &id]).await;
    assert_eq!(deleted, serde_json::json!({"id": id, "deleted": true}));
    assert_eq!(admin.table(&["keys", "rm", "tabled"]).await.lines().count(), 1);
    admin.run(&["keys", "rm", &id]).await.expect(4);
    admin.run(&["keys", "create", "bad", "--scope", "everything"]).await.expect(2);
}

#[tokio::test(flavor = "multi_thread")]
async fn users_lifecycle() {
    let d = daemon().start().await;
    let admin = Cli::new(&d);
    let out = admin
        .run_with_stdin(
            &["users", "create", "dev", "--role", "developer", "--password-stdin", "-o", "json"],
            Some("dev password 1234\n"),
        )
        .await
        .expect(0);
    let user = out.json();
    assert_eq!(user["username"], "dev");
    assert_eq!(user["role"], "developer");
    let id = user["id"].as_str().unwrap().to_string();

    admin
        .run_with_stdin(
            &["users", "create", "dev", "--role", "readonly", "--password-stdin"],
            Some("x password 12345\n"),
        )
        .await
        .expect(5);
    // No terminal, no --password-stdin: nothing to prompt on.
    admin.run(&["users", "create", "other", "--role", "readonly"]).await.expect(2);

    let ls = admin.json(&["users", "ls"]).await;
    assert!(ls["users"].as_array().unwrap().iter().any(|u| u["username"] == "dev"));
    let table = admin.table(&["users", "ls"]).await;
    assert!(
        table.starts_with("ID") && table.lines().any(|l| l.contains("dev") && l.contains("developer")),
        "{table}"
    );

    assert_eq!(admin.json(&["users", "update", "dev", "--role", "readonly"]).await["role"], "readonly");
    let table = admin.table(&["users", "update", "dev", "--role", "readonly"]).await;
    assert!(table.starts_with("ID:") && table.contains("readonly"), "{table}");
    let table = admin
        .run_with_stdin(
            &["users", "create", "temp", "--role", "readonly", "--password-stdin"],
            Some("temp password 12345\n"),
        )
        .await
        .expect(0)
        .stdout;
    assert!(table.contains("USERNAME:") && table.contains("temp"), "{table}");
    assert!(admin.table(&["users", "rm", "temp"]).await.starts_with("deleted "));
    assert_eq!(admin.json(&["users", "update", &id, "--disable"]).await["disabled"], true);
    let dev = Cli::anonymous(&d);
    dev.run_with_stdin(&["login", "-u", "dev", "--password-stdin"], Some("dev password 1234\n"))
        .await
        .expect(3);
    admin.json(&["users", "update", "dev", "--enable"]).await;
    admin
        .run_with_stdin(&["users", "update", "dev", "--password-stdin"], Some("new password 56789\n"))
        .await
        .expect(0);
    dev.run_with_stdin(&["login", "-u", "dev", "--password-stdin"], Some("new password 56789\n"))
        .await
        .expect(0);

    assert_eq!(admin.json(&["users", "rm", "dev"]).await["deleted"], true);
    admin.run(&["users", "rm", "dev"]).await.expect(4);
    admin.run(&["users", "update", "dev", "--enable"]).await.expect(4);
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_log_with_filters() {
    let d = daemon().start().await;
    let admin = Cli::new(&d);
    admin.run(&["keys", "create", "a"]).await.expect(0);
    admin.run(&["keys", "create", "b"]).await.expect(0);

    let page = admin.json(&["audit", "ls", "--action", "key."]).await;
    let events = page["events"].as_array().unwrap();
    assert!(events.len() >= 2, "{page}");
    assert!(events.iter().all(|e| e["action"].as_str().unwrap().starts_with("key.")), "{page}");
    assert!(events.iter().all(|e| e["outcome"] == "success"));
    let one = admin.json(&["audit", "ls", "--limit", "1"]).await;
    assert_eq!(one["events"].as_array().unwrap().len(), 1);
    let next = one["next"].as_i64().expect("more than one event: a next page");
    let older = admin.json(&["audit", "ls", "--before", &next.to_string()]).await;
    assert!(older["events"].as_array().unwrap().iter().all(|e| e["id"].as_i64().unwrap() < next));
    let out = admin.run(&["audit", "ls", "--limit", "1"]).await.expect(0);
    assert!(out.stdout.starts_with("ID") && out.stdout.contains("ACTION"), "{}", out.stdout);
    assert!(out.stderr.contains("--before"), "{}", out.stderr);
    let login = admin.json(&["audit", "ls", "--actor", "admin", "--since", "1h"]).await;
    assert!(login["events"].as_array().unwrap().iter().all(|e| e["actor"] == "admin"));
}

//! Plugin-to-plugin calls through the daemon (`plugins.invoke`), with real plugin processes in
//! Rust, Python and Node: allowed only for what the caller's manifest lists, on behalf of the
//! user (a callee capability's permission is the user's to have), seen by the callee, bounded
//! against cycles and depth, and audited.

use std::path::PathBuf;

use bkg_core::auth::{AuditQuery, Role};
use bkg_core::client::ClientError;
use serde_json::{Value, json};

use crate::harness::{daemon, manifest};

fn plugin_code(r: &Result<impl std::fmt::Debug, ClientError>) -> Option<String> {
    match r {
        Err(ClientError::Api { body, .. }) => {
            body.details.as_ref().and_then(|d| d["pluginCode"].as_str()).map(str::to_owned)
        }
        _ => None,
    }
}

fn sdk_example(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../plugins").join(rel).display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn plugins_call_each_other_only_as_allowed_and_on_the_users_behalf() {
    let py = format!(
        "id = \"py\"\ncommand = [\"python3\", {:?}]\ncalls = [\"b.whoami\"]\n",
        sdk_example("sdk-python/examples/conformance.py")
    );
    let node = format!(
        "id = \"node\"\ncommand = [\"node\", {:?}]\ncalls = [\"py.relay\"]\n",
        sdk_example("sdk-node/examples/conformance.js")
    );
    let d = daemon()
        .plugin("a", &["serve"], "calls = [\"b.whoami\", \"b.echo\", \"b.relay\"]")
        .plugin(
            "b",
            &["serve"],
            "calls = [\"a.relay\", \"a.whoami\"]\n[permissions]\necho = \"plugins:admin\"",
        )
        .raw_manifest("py", &py)
        .raw_manifest("node", &node)
        .start()
        .await;
    for id in ["a", "b", "py", "node"] {
        d.client.start(id).await.unwrap();
    }
    let dev = d.user("dev", Role::Developer).await;
    let relay = |plugin: &str, capability: &str, input: Value| json!({"plugin": plugin, "capability": capability, "input": input});

    // The callee sees the user and the chain.
    let out = dev.invoke("a", "relay", &relay("b", "whoami", json!({}))).await.unwrap().output;
    assert_eq!(out["output"]["caller"], json!({"user": "dev", "plugin": "a", "chain": ["a"]}));
    let direct = dev.invoke("b", "whoami", &json!({})).await.unwrap().output;
    assert_eq!(direct["caller"], json!({"user": "dev"}), "a direct call names the user only");

    // Across languages: Node -> Python -> Rust.
    let out = dev
        .invoke("node", "relay", &relay("py", "relay", relay("b", "whoami", json!({}))))
        .await
        .unwrap()
        .output;
    assert_eq!(
        out["output"]["output"]["caller"],
        json!({"user": "dev", "plugin": "py", "chain": ["node", "py"]})
    );

    // Only what the manifest lists.
    let r = dev.invoke("a", "relay", &relay("b", "fail", json!({}))).await;
    assert_eq!(plugin_code(&r).as_deref(), Some("call_not_allowed"), "{r:?}");
    assert_eq!(r.unwrap_err().status(), Some(422), "the caller's request was at fault");

    // A plugin never lends a user a permission they lack.
    let r = dev.invoke("a", "relay", &relay("b", "echo", json!({"x": 1}))).await;
    assert_eq!(plugin_code(&r).as_deref(), Some("forbidden"), "{r:?}");
    let ok = d.client.invoke("a", "relay", &relay("b", "echo", json!({"x": 1}))).await.unwrap().output;
    assert_eq!(ok["output"], json!({"x": 1}), "an admin may");

    // No cycles: a -> b -> a.
    let r = dev.invoke("a", "relay", &relay("b", "relay", relay("a", "whoami", json!({})))).await;
    assert_eq!(plugin_code(&r).as_deref(), Some("call_cycle"), "{r:?}");

    let calls = d
        .client
        .audit(&AuditQuery { action: Some("plugin.call".into()), limit: Some(1000), ..Default::default() })
        .await
        .unwrap()
        .events;
    let seen: Vec<(&str, &str, &str)> = calls
        .iter()
        .map(|e| {
            (
                e.actor.as_deref().unwrap_or(""),
                e.target.as_deref().unwrap_or(""),
                e.details["outcome"].as_str().unwrap_or(""),
            )
        })
        .collect();
    for want in [
        ("plugin:a for dev", "b", "ok"),
        ("plugin:a for dev", "b", "call_not_allowed"),
        ("plugin:a for dev", "b", "forbidden"),
        ("plugin:b for dev", "a", "call_cycle"),
        ("plugin:py for dev", "b", "ok"),
        ("plugin:a for admin", "b", "ok"),
    ] {
        assert!(seen.contains(&want), "{want:?} in {seen:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn chains_are_at_most_four_plugins_long() {
    let mut b = daemon();
    for n in 1..=5 {
        let calls = format!("calls = [\"p{}.*\"]", n + 1);
        b = b.raw_manifest(&format!("p{n}"), &manifest(&format!("p{n}"), &["serve"], &calls));
    }
    let d = b.start().await;
    for n in 1..=5 {
        d.client.start(&format!("p{n}")).await.unwrap();
    }
    let mut input = json!({"plugin": "p5", "capability": "whoami"});
    for n in (2..=4).rev() {
        input = json!({"plugin": format!("p{n}"), "capability": "relay", "input": input});
    }
    // p1 -> p2 -> p3 -> p4 -> p5: the fifth plugin is one too many.
    let r = d.client.invoke("p1", "relay", &input).await;
    assert_eq!(plugin_code(&r).as_deref(), Some("call_too_deep"), "{r:?}");
    // Four are fine.
    let ok = d.client.invoke("p2", "relay", &input["input"]).await.unwrap().output;
    assert_eq!(ok["output"]["output"]["output"]["caller"]["chain"], json!(["p2", "p3", "p4"]));
}

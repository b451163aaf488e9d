//! Bad input gets a clear 4xx with a stable code: never a 500, never a panic.

use serde_json::{Value, json};

use crate::harness::daemon;

async fn expect(resp: reqwest::Response, status: u16, code: &str) -> Value {
    let got = resp.status().as_u16();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    assert_eq!((got, body["code"].as_str().unwrap_or("<none>")), (status, code), "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    body
}

#[tokio::test(flavor = "multi_thread")]
async fn every_kind_of_bad_request_has_its_code() {
    let schema = "[config]\nschema = { type = \"object\", properties = { greeting = { type = \"string\" } } }\ndefault = {}\n";
    let d = daemon()
        .plugin("p", &["serve"], schema)
        .config(|c| c.http.body_limit_bytes = 64 * 1024)
        .start()
        .await;
    let http = d.http();
    let invoke = |cap: &str| d.url(&format!("/api/plugins/p/invoke/{cap}"));

    // Not running yet.
    expect(http.post(invoke("echo")).json(&json!({})).send().await.unwrap(), 409, "plugin_not_running").await;
    d.client.start("p").await.unwrap();

    expect(http.get(d.url("/api/plugins/nope")).send().await.unwrap(), 404, "plugin_not_found").await;
    expect(http.post(d.url("/api/plugins/nope/start")).send().await.unwrap(), 404, "plugin_not_found").await;
    expect(http.get(d.url("/api/plugins/nope/logs")).send().await.unwrap(), 404, "plugin_not_found").await;
    let body = expect(
        http.post(invoke("teleport")).json(&json!({})).send().await.unwrap(),
        404,
        "capability_not_found",
    )
    .await;
    assert!(body["details"]["available"].as_array().unwrap().iter().any(|c| c == "echo"));
    expect(http.get(d.url("/api/nothing/here")).send().await.unwrap(), 404, "not_found").await;
    expect(http.delete(d.url("/api/plugins")).send().await.unwrap(), 405, "method_not_allowed").await;

    let raw =
        |body: &'static str| http.post(invoke("echo")).header("content-type", "application/json").body(body);
    expect(raw("{not json").send().await.unwrap(), 400, "invalid_json").await;
    expect(raw("").send().await.unwrap(), 400, "invalid_json").await;
    expect(http.post(invoke("echo")).body("{}").send().await.unwrap(), 400, "invalid_json").await;

    let body = expect(
        http.post(invoke("sleep")).json(&json!({"ms": -5})).send().await.unwrap(),
        400,
        "schema_violation",
    )
    .await;
    assert_eq!(body["details"][0]["path"], "/ms");
    expect(http.post(invoke("sleep")).json(&json!({})).send().await.unwrap(), 400, "schema_violation").await;
    // Inputs are JSON objects.
    expect(http.post(invoke("sleep")).json(&json!("a string")).send().await.unwrap(), 400, "invalid_json")
        .await;
    expect(http.post(invoke("echo")).json(&json!([1, 2])).send().await.unwrap(), 400, "invalid_json").await;

    let huge = json!({"blob": "x".repeat(100 * 1024)});
    expect(http.post(invoke("echo")).json(&huge).send().await.unwrap(), 413, "payload_too_large").await;

    expect(http.get(d.url("/api/plugins/p/logs?tail=abc")).send().await.unwrap(), 400, "invalid_request")
        .await;
    expect(http.get(d.url("/api/plugins/p/logs?level=loud")).send().await.unwrap(), 400, "invalid_request")
        .await;
    expect(
        http.get(d.url("/api/plugins/p/logs?since=yesterday")).send().await.unwrap(),
        400,
        "invalid_request",
    )
    .await;
    // Numbers beyond any sensible range are refused with the limit, never a panic or a 500.
    for query in [
        "/api/plugins/p/logs?since=300000000d",
        "/api/plugins/p/logs?since=99999999999999999999999s",
        "/admin/audit?since=99999999999h",
        "/admin/audit?until=36501d",
    ] {
        let body = expect(http.get(d.url(query)).send().await.unwrap(), 400, "invalid_request").await;
        assert!(body["message"].as_str().unwrap().contains("at most 36500d"), "{query}: {body}");
    }
    for (query, limit) in [
        ("/api/plugins/p/logs?tail=0&cursor=5", "tail=0 returns no lines"),
        ("/api/plugins/p/logs?tail=10001", "between 0 and 10000"),
        ("/api/plugins/p/logs?tail=4294967296", "tail"),
        ("/api/plugins/p/logs?cursor=18446744073709551615", "cursor"),
        ("/admin/audit?limit=1001", "between 1 and 1000"),
        ("/admin/audit?before=0", "at least 1"),
    ] {
        let body = expect(http.get(d.url(query)).send().await.unwrap(), 400, "invalid_request").await;
        assert!(body["message"].as_str().unwrap().contains(limit), "{query}: {body}");
    }
    let ok = http.get(d.url("/api/plugins/p/logs?since=36500d")).send().await.unwrap();
    assert_eq!(ok.status(), 200, "the oldest age allowed works");

    expect(
        http.post(d.url("/api/plugins/p/config")).json(&json!({"greeting": 5})).send().await.unwrap(),
        400,
        "schema_violation",
    )
    .await;

    // After all that, the plugin still answers.
    assert_eq!(d.client.invoke("p", "echo", &json!({"ok": true})).await.unwrap().output, json!({"ok": true}));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_timed_out_call_is_cancelled_in_the_plugin() {
    let d = daemon().plugin("p", &["serve"], "[timeouts]\ninvokeMs = 200\n").start().await;
    d.client.start("p").await.unwrap();
    let err = d.client.invoke("p", "sleep", &json!({"ms": 60000})).await.unwrap_err();
    assert_eq!(err.status(), Some(504), "{err}");
    crate::harness::wait_until("the plugin saw the cancel", || async {
        let q = bkg_core::logs::LogQuery { q: Some("cancelled".into()), ..Default::default() };
        !d.client.logs("p", &q).await.unwrap().lines.is_empty()
    })
    .await;
}

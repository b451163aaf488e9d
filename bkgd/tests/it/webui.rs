//! What the web UI needs from the daemon beyond the plugin API: the UI itself at `/` (SPA
//! fallback, API paths still JSON), usage analytics recorded by real calls, the caller's own
//! sessions, and the effective configuration with secrets redacted.

use bkg_core::analytics::{UsageInterval, UsageMetric, UsageQuery};
use bkg_core::auth::{CreateApiKey, Role};
use serde_json::json;

use crate::harness::{ADMIN_PASSWORD, daemon};

#[tokio::test(flavor = "multi_thread")]
async fn the_ui_is_served_at_the_root_and_api_paths_keep_json_404s() {
    let d = daemon().start().await;
    let http = d.http_anonymous();
    for path in ["/", "/plugins/llmserver", "/core/plugins/candle", "/settings"] {
        let resp = http.get(d.url(path)).send().await.unwrap();
        // 200 with a UI build on disk, 503 with the page that says how to build it.
        assert!(matches!(resp.status().as_u16(), 200 | 503), "{path}: {}", resp.status());
        let h = resp.headers();
        assert_eq!(h["content-type"], "text/html; charset=utf-8", "{path}");
        assert_eq!(h["cache-control"], "no-cache", "{path}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'") && !csp.contains("unsafe"), "{csp}");
    }
    for path in ["/api/nope", "/admin/nope", "/auth/nope", "/v1/nope", "/ws/nope"] {
        let resp = http.get(d.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), 404, "{path}");
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(
            body["code"].as_str().or(body["error"]["code"].as_str()),
            Some("not_found"),
            "{path}: {body}"
        );
    }
    let post = http.post(d.url("/plugins")).send().await.unwrap();
    assert_eq!(post.status(), 404, "only GET reaches the UI");
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_analytics_count_real_invocations_and_logins() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    d.client.start("p").await.unwrap();
    d.client.invoke("p", "echo", &json!({"x": 1})).await.unwrap();
    d.client.invoke("p", "echo", &json!({"x": 2})).await.unwrap();
    d.client.invoke("p", "fail", &json!({})).await.unwrap_err();
    d.anonymous.login("admin", "wrong password").await.unwrap_err();

    let q = UsageQuery { since: Some("1h".into()), ..Default::default() };
    let report = d.client.usage(&q).await.unwrap();
    let sum = |metric: UsageMetric, outcome: &str, cap: Option<&str>| -> u64 {
        report
            .points
            .iter()
            .filter(|p| p.metric == metric && p.outcome.as_deref() == Some(outcome))
            .filter(|p| cap.is_none_or(|c| p.capability.as_deref() == Some(c)))
            .map(|p| p.count)
            .sum()
    };
    assert_eq!(sum(UsageMetric::Invocations, "success", Some("echo")), 2, "{report:?}");
    assert_eq!(sum(UsageMetric::Invocations, "failure", Some("fail")), 1);
    assert!(report.points.iter().all(|p| p.metric != UsageMetric::Invocations || p.latency.is_some()));
    // The harness's own login, and the wrong password.
    assert!(sum(UsageMetric::Logins, "success", None) >= 1);
    assert_eq!(sum(UsageMetric::Logins, "failure", None), 1);

    let daily = d
        .client
        .usage(&UsageQuery {
            since: Some("7d".into()),
            plugin: Some("p".into()),
            interval: Some(UsageInterval::Day),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(daily.points.iter().all(|p| p.plugin.as_deref() == Some("p")));
    assert_eq!(daily.points.iter().map(|p| p.count).sum::<u64>(), 3);

    let bad = d.client.usage(&UsageQuery { since: Some("soon".into()), ..Default::default() }).await;
    assert_eq!(bad.unwrap_err().status(), Some(400));
}

#[tokio::test(flavor = "multi_thread")]
async fn users_list_and_revoke_their_own_sessions_only() {
    let d = daemon().start().await;
    let other = d.anonymous.login("admin", ADMIN_PASSWORD).await.unwrap();
    let other_client = d.anonymous.clone().with_token(other.access_token);
    let mine = d.client.sessions().await.unwrap().sessions;
    assert!(mine.len() >= 2, "{mine:?}");
    assert_eq!(mine.iter().filter(|s| s.current).count(), 1);
    let other_id = other_client.me().await.unwrap().session_id.unwrap();
    assert!(mine.iter().any(|s| s.id == other_id && !s.current));

    // Another user cannot end the admin's session; the admin can.
    let bob = d.user("bob", Role::Readonly).await;
    assert_eq!(bob.revoke_session(&other_id).await.unwrap_err().status(), Some(404));
    assert!(bob.sessions().await.unwrap().sessions.iter().all(|s| s.id != other_id));
    d.client.revoke_session(&other_id).await.unwrap();
    assert_eq!(other_client.me().await.unwrap_err().status(), Some(401), "its token stops at once");
    assert!(d.client.sessions().await.unwrap().sessions.iter().all(|s| s.id != other_id));
    assert_eq!(d.client.revoke_session(&other_id).await.unwrap_err().status(), Some(404));

    let key =
        d.client.create_api_key(&CreateApiKey { name: "k".into(), ..Default::default() }).await.unwrap();
    let by_key = d.anonymous.clone().with_token(key.secret);
    assert_eq!(by_key.sessions().await.unwrap_err().status(), Some(403));
    let audit = d.http().get(d.url("/admin/audit?action=auth.session_revoke")).send().await.unwrap();
    let page: serde_json::Value = audit.json().await.unwrap();
    assert_eq!(page["events"][0]["details"]["session"], other_id.as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn admins_read_the_effective_config_without_secrets() {
    let d = daemon()
        .config(|c| {
            c.auth.jwt_secret = "a-very-secret-jwt-signing-key-0123456789".into();
            c.models.hub_token = "hf_not_for_your_eyes".into();
        })
        .start()
        .await;
    let cfg = d.client.daemon_config().await.unwrap();
    assert_eq!(cfg.database_backend, "sqlite");
    assert_eq!(cfg.config["auth"]["jwt_secret"], "***");
    assert_eq!(cfg.config["models"]["hub_token"], "***");
    assert_eq!(cfg.config["telemetry"]["interval_ms"], 100);
    let text = cfg.config.to_string();
    assert!(
        !text.contains("a-very-secret") && !text.contains("hf_not_for") && !text.contains(ADMIN_PASSWORD)
    );
    let dev = d.user("dev", Role::Developer).await;
    assert_eq!(dev.daemon_config().await.unwrap_err().status(), Some(403));
}

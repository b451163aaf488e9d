//! TLS (self-signed for trying it out) with HSTS, security headers, CORS, the browser way to
//! authenticate the WebSocket (subprotocol), the Origin check, and bad input on auth routes.

use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::harness::{ADMIN_PASSWORD, daemon, test_config};

#[tokio::test(flavor = "multi_thread")]
async fn self_signed_tls_with_hsts() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.http.tls_self_signed = true;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let data = config.data_dir.clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(bkgd::run(config, listener, async {
        let _ = rx.await;
    }));
    let (cert, _) = bkgd::tls::self_signed_paths(&data);
    crate::harness::wait_until("the certificate exists", || async { cert.exists() }).await;
    let pem = std::fs::read(&cert).unwrap();
    let client =
        bkg_core::client::Client::new_with_ca(&format!("https://localhost:{}", addr.port()), &pem).unwrap();
    crate::harness::wait_until("https answers", || async { client.health().await.is_ok() }).await;
    let t = client.login("admin", ADMIN_PASSWORD).await.unwrap();
    assert!(client.clone().with_token(t.access_token).me().await.is_ok());
    let raw = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .build()
        .unwrap()
        .get(format!("https://localhost:{}/healthz", addr.port()))
        .send()
        .await
        .unwrap();
    assert!(raw.headers()["strict-transport-security"].to_str().unwrap().contains("max-age="));
    // Plain HTTP to the TLS port fails, and an untrusting client refuses the certificate.
    assert!(
        reqwest::get(format!("http://127.0.0.1:{}/healthz", addr.port()))
            .await
            .map(|r| !r.status().is_success())
            .unwrap_or(true)
    );
    assert!(reqwest::get(format!("https://localhost:{}/healthz", addr.port())).await.is_err());
    let _ = tx.send(());
    task.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn security_headers_and_cors() {
    let d = daemon().start().await;
    let resp =
        d.http().get(d.url("/api/plugins")).header("origin", "https://ui.example").send().await.unwrap();
    let h = resp.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["access-control-allow-origin"], "*");
    assert!(h.get("access-control-allow-credentials").is_none(), "never credentials with *");
    assert!(h.get("strict-transport-security").is_none(), "HSTS only over TLS");
    let pre = d
        .http_anonymous()
        .request(reqwest::Method::OPTIONS, d.url("/api/plugins"))
        .header("origin", "https://ui.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(pre.status().is_success());
    let limited =
        daemon().config(|c| c.http.cors_origins = vec!["https://admin.example".into()]).start().await;
    let resp = limited
        .http()
        .get(limited.url("/api/plugins"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(resp.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn browsers_authenticate_the_websocket_with_a_subprotocol_and_origin_is_checked() {
    let d = daemon().config(|c| c.ws.allowed_origins = vec!["https://admin.example".into()]).start().await;
    let token = d.client.token().unwrap().to_string();
    let url = format!("ws://{}/ws/plugins", d.addr);
    let with = |protocols: Option<String>, origin: Option<&str>| {
        let mut req = url.as_str().into_client_request().unwrap();
        if let Some(p) = protocols {
            req.headers_mut().insert("sec-websocket-protocol", p.parse().unwrap());
        }
        if let Some(o) = origin {
            req.headers_mut().insert("origin", o.parse().unwrap());
        }
        req
    };
    let (mut ws, resp) = tokio_tungstenite::connect_async(with(
        Some(format!("bkg.v1, bkg.bearer.{token}")),
        Some("https://admin.example"),
    ))
    .await
    .unwrap();
    assert_eq!(resp.headers()["sec-websocket-protocol"], "bkg.v1");
    use futures_util::SinkExt;
    ws.send(tokio_tungstenite::tungstenite::Message::Text(r#"{"action":"SUB","topic":"status"}"#.into()))
        .await
        .unwrap();
    let first = ws.next().await.unwrap().unwrap();
    let v: Value = serde_json::from_str(first.to_text().unwrap()).unwrap();
    assert_eq!(v["type"], "ack");
    // Same origin as the daemon is fine; a foreign page is not, even with a valid token.
    let same = format!("http://{}", d.addr);
    assert!(
        tokio_tungstenite::connect_async(with(Some(format!("bkg.v1, bkg.bearer.{token}")), Some(&same)))
            .await
            .is_ok()
    );
    let err = tokio_tungstenite::connect_async(with(
        Some(format!("bkg.v1, bkg.bearer.{token}")),
        Some("https://evil.example"),
    ))
    .await
    .unwrap_err();
    assert!(err.to_string().contains("403"), "{err}");
    let err = tokio_tungstenite::connect_async(with(Some("bkg.v1".into()), None)).await.unwrap_err();
    assert!(err.to_string().contains("401"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_on_auth_routes_is_4xx_with_a_code() {
    let d = daemon().start().await;
    let cases: Vec<(&str, &str, Value, u16)> = vec![
        ("post", "/auth/login", json!({"username": "admin"}), 400),
        ("post", "/auth/login", json!({"username": "admin", "password": ADMIN_PASSWORD, "extra": 1}), 400),
        ("post", "/auth/login", json!({"username": 5, "password": []}), 400),
        (
            "post",
            "/auth/login",
            json!({"username": "x".repeat(100_000), "password": "y".repeat(100_000)}),
            401,
        ),
        ("post", "/auth/refresh", json!({"refreshToken": "x".repeat(10_000)}), 401),
        (
            "post",
            "/admin/users",
            json!({"username": "u".repeat(1000), "password": "long enough password", "role": "readonly"}),
            400,
        ),
        (
            "post",
            "/admin/users",
            json!({"username": "ok", "password": "p".repeat(5000), "role": "readonly"}),
            400,
        ),
        (
            "post",
            "/admin/users",
            json!({"username": "ok", "password": "long enough password", "role": "root"}),
            400,
        ),
        ("post", "/admin/api-keys", json!({"name": "n".repeat(10_000)}), 400),
        ("post", "/admin/api-keys", json!({"name": "ok", "scopes": ["plugins:fly"]}), 400),
        ("post", "/admin/api-keys", json!({"name": "ok", "expiresAt": "tomorrow"}), 400),
        ("post", "/admin/api-keys/nope/rotate", json!({"gracePeriodSeconds": -1}), 400),
        ("post", "/admin/api-keys/nope/rotate", json!({}), 404),
        ("put", "/admin/users/nope", json!({"role": "admin"}), 404),
        ("get", "/admin/audit?limit=abc", json!(null), 400),
        ("get", "/admin/audit?since=whenever", json!(null), 400),
    ];
    for (method, path, body, want) in cases {
        let mut req = d
            .http()
            .request(reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(), d.url(path));
        if !body.is_null() {
            req = req.json(&body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        assert_eq!(status, want, "{method} {path}: {body}");
        assert!(body["code"].is_string(), "{method} {path}: {body}");
    }
    let raw = d
        .http()
        .post(d.url("/auth/login"))
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
}

#[tokio::test(flavor = "multi_thread")]
async fn x_api_key_takes_api_keys_only() {
    let d = daemon().start().await;
    let http = reqwest::Client::new();
    let jwt = d.client.token().unwrap().to_string();
    let resp = http.get(d.url("/api/plugins")).header("x-api-key", &jwt).send().await.unwrap();
    assert_eq!(resp.status(), 401, "a session token in the key header");
    let body: Value = resp.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("X-API-Key takes API keys"), "{body}");

    let key = d
        .client
        .create_api_key(&bkg_core::auth::CreateApiKey { name: "k".into(), ..Default::default() })
        .await
        .unwrap()
        .secret;
    let resp = http.get(d.url("/api/plugins")).header("x-api-key", &key).send().await.unwrap();
    assert_eq!(resp.status(), 200, "an API key in the key header");
    let resp = http.get(d.url("/api/plugins")).bearer_auth(&jwt).send().await.unwrap();
    assert_eq!(resp.status(), 200, "the session token where it belongs");
}

//! 600 requests per minute per client IP, exactly; spoofed forwarding headers do not help; a
//! stricter limit on failed logins.

use bkg_core::ErrorCode;

use crate::harness::{ADMIN_PASSWORD, daemon};

#[tokio::test(flavor = "multi_thread")]
async fn the_601st_request_in_a_minute_is_refused_even_with_spoofed_forwarding() {
    let d = daemon().config(|c| c.auth.requests_per_minute = 600).start().await;
    let http = d.http_anonymous();
    // The harness already spent a few requests (health polls, login).
    let mut last_ok = None;
    let mut first_refusal = None;
    for i in 0..700u32 {
        let resp = http
            .get(d.url("/healthz"))
            .header("x-forwarded-for", format!("10.{}.{}.{}", i % 200, i % 100, i % 250))
            .header("x-real-ip", format!("10.9.9.{}", i % 250))
            .send()
            .await
            .unwrap();
        if resp.status() == 429 {
            first_refusal = Some(resp);
            break;
        }
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["ratelimit-limit"], "600");
        last_ok = Some(resp.headers()["ratelimit-remaining"].to_str().unwrap().parse::<u32>().unwrap());
    }
    assert_eq!(last_ok, Some(0), "every one of the 600 was allowed, the last with 0 remaining");
    let refused = first_refusal.expect("the 601st request is refused");
    let retry: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry >= 1);
    assert_eq!(refused.headers()["ratelimit-remaining"], "0");
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
}

#[tokio::test(flavor = "multi_thread")]
async fn trusted_proxies_forward_the_client_address() {
    let d = daemon()
        .config(|c| {
            c.auth.requests_per_minute = 50;
            c.auth.trusted_proxies = vec!["127.0.0.1".into()];
        })
        .start()
        .await;
    let http = d.http_anonymous();
    let hit = |ip: &'static str| http.get(d.url("/healthz")).header("x-forwarded-for", ip).send();
    for _ in 0..50 {
        assert_eq!(hit("198.51.100.1").await.unwrap().status(), 200);
    }
    assert_eq!(hit("198.51.100.1").await.unwrap().status(), 429);
    assert_eq!(
        hit("198.51.100.2").await.unwrap().status(),
        200,
        "another client behind the proxy has its own budget"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_logins_are_limited_more_strictly() {
    let d = daemon().config(|c| c.auth.login_failures = 5).start().await;
    for _ in 0..5 {
        let err = d.anonymous.login("admin", "wrong password!").await.unwrap_err();
        assert_eq!(err.code(), Some(ErrorCode::Unauthorized));
    }
    let err = d.anonymous.login("admin", ADMIN_PASSWORD).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::RateLimited), "even the right password waits");
    // Other routes are unaffected.
    assert!(d.client.plugins().await.is_ok());
}

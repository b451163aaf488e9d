//! Crafted bad JWTs: every one is refused with 401, on an HS256 and on an RS256 daemon.

use base64::Engine;
use bkg_core::ErrorCode;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::harness::daemon;

const SECRET: &str = "jwt-test-secret-0123456789abcdef0123456789";

fn b64(v: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v)
}

fn sign_hs(claims: &Value, secret: &[u8], alg: Algorithm) -> String {
    jsonwebtoken::encode(&Header::new(alg), claims, &EncodingKey::from_secret(secret)).unwrap()
}

/// A token with a hand-made header and payload and the given signature part.
fn raw(header: &Value, claims: &Value, signature: &str) -> String {
    format!("{}.{}.{signature}", b64(header.to_string().as_bytes()), b64(claims.to_string().as_bytes()))
}

async fn assert_refused(d: &crate::harness::TestDaemon, name: &str, token: &str) {
    let err =
        d.anonymous.clone().with_token(token).me().await.err().unwrap_or_else(|| panic!("{name}: accepted"));
    assert_eq!(err.code(), Some(ErrorCode::Unauthorized), "{name}: {err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn crafted_tokens_are_refused() {
    let d = daemon().config(|c| c.auth.jwt_secret = SECRET.into()).start().await;
    let me = d.client.me().await.unwrap();
    let now = chrono::Utc::now().timestamp();
    let good = json!({
        "sub": me.user.id, "sid": me.session_id.clone().unwrap(), "jti": "j1", "iss": "bkgd", "aud": "bkg",
        "iat": now, "nbf": now, "exp": now + 600,
    });
    // The reference: a well-made token is accepted, so the refusals below are about the defect.
    let ok = sign_hs(&good, SECRET.as_bytes(), Algorithm::HS256);
    assert!(d.anonymous.clone().with_token(&ok).me().await.is_ok());

    let with = |k: &str, v: Value| {
        let mut c = good.clone();
        c[k] = v;
        c
    };
    let without = |k: &str| {
        let mut c = good.clone();
        c.as_object_mut().unwrap().remove(k);
        c
    };
    let signature = ok.rsplit('.').next().unwrap().to_string();
    let mut cases: Vec<(&str, String)> = vec![
        ("alg none", raw(&json!({"alg": "none", "typ": "JWT"}), &good, "")),
        ("alg none with signature", raw(&json!({"alg": "none", "typ": "JWT"}), &good, &signature)),
        ("alg NONE", raw(&json!({"alg": "NONE"}), &good, "")),
        ("HS512 with the right secret", sign_hs(&good, SECRET.as_bytes(), Algorithm::HS512)),
        ("HS384 with the right secret", sign_hs(&good, SECRET.as_bytes(), Algorithm::HS384)),
        ("wrong key", sign_hs(&good, b"another-secret-of-the-same-length-0123456", Algorithm::HS256)),
        ("wrong issuer", sign_hs(&with("iss", json!("evil")), SECRET.as_bytes(), Algorithm::HS256)),
        ("wrong audience", sign_hs(&with("aud", json!("other")), SECRET.as_bytes(), Algorithm::HS256)),
        (
            "audience list without ours",
            sign_hs(&with("aud", json!(["a", "b"])), SECRET.as_bytes(), Algorithm::HS256),
        ),
        ("expired", sign_hs(&with("exp", json!(now - 120)), SECRET.as_bytes(), Algorithm::HS256)),
        ("not yet valid", sign_hs(&with("nbf", json!(now + 3600)), SECRET.as_bytes(), Algorithm::HS256)),
        (
            "issued in the future",
            sign_hs(&with("iat", json!(now + 3600)), SECRET.as_bytes(), Algorithm::HS256),
        ),
        (
            "exp as a string",
            sign_hs(&with("exp", json!((now + 600).to_string())), SECRET.as_bytes(), Algorithm::HS256),
        ),
        (
            "unknown session",
            sign_hs(&with("sid", json!("no-such-session")), SECRET.as_bytes(), Algorithm::HS256),
        ),
        (
            "subject of another user",
            sign_hs(&with("sub", json!("someone-else")), SECRET.as_bytes(), Algorithm::HS256),
        ),
        ("empty jti", sign_hs(&with("jti", json!("")), SECRET.as_bytes(), Algorithm::HS256)),
        ("garbage", "not.a.jwt".into()),
        ("two parts", ok.rsplit_once('.').unwrap().0.to_string()),
        ("empty signature", format!("{}.", ok.rsplit_once('.').unwrap().0)),
        ("truncated signature", ok[..ok.len() - 4].to_string()),
    ];
    for claim in ["exp", "iat", "nbf", "iss", "aud", "sub", "jti", "sid"] {
        cases.push((claim, sign_hs(&without(claim), SECRET.as_bytes(), Algorithm::HS256)));
    }
    // Tampered payload: the signature of the good token on a payload naming another user.
    let parts: Vec<&str> = ok.split('.').collect();
    let tampered =
        format!("{}.{}.{}", parts[0], b64(with("sub", json!("other")).to_string().as_bytes()), parts[2]);
    cases.push(("tampered payload", tampered));
    assert!(cases.len() >= 20);
    for (name, token) in &cases {
        assert_refused(&d, name, token).await;
    }
    // Still fine afterwards.
    assert!(d.anonymous.clone().with_token(&ok).me().await.is_ok());
}

#[tokio::test(flavor = "multi_thread")]
async fn rs256_refuses_hmac_tokens_made_with_its_public_key() {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let private = dir.path().join("jwt.key");
    let public = dir.path().join("jwt.pub");
    std::fs::write(&private, key.serialize_pem()).unwrap();
    std::fs::write(&public, key.public_key_pem()).unwrap();
    let d = daemon()
        .config(|c| {
            c.auth.jwt_algorithm = bkgd::config::JwtAlgorithm::Rs256;
            c.auth.jwt_private_key_file = private.display().to_string();
            c.auth.jwt_public_key_file = public.display().to_string();
        })
        .start()
        .await;
    let me = d.client.me().await.unwrap();
    let now = chrono::Utc::now().timestamp();
    let claims = json!({
        "sub": me.user.id, "sid": me.session_id.unwrap(), "jti": "j", "iss": "bkgd", "aud": "bkg",
        "iat": now, "nbf": now, "exp": now + 600,
    });
    let confused = sign_hs(&claims, key.public_key_pem().as_bytes(), Algorithm::HS256);
    assert_refused(&d, "HS256 signed with the RS256 public key", &confused).await;
    let confused_der = sign_hs(&claims, rcgen::PublicKeyData::der_bytes(&key), Algorithm::HS256);
    assert_refused(&d, "HS256 signed with the public key's DER", &confused_der).await;
    assert_refused(&d, "HS256 with a guessable secret", &sign_hs(&claims, b"secret", Algorithm::HS256)).await;
    // A token the daemon signed itself works.
    assert!(d.client.me().await.is_ok());
    let other = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let forged = jsonwebtoken::encode(
        &Header::new(Algorithm::RS256),
        &claims,
        &EncodingKey::from_rsa_pem(other.serialize_pem().as_bytes()).unwrap(),
    )
    .unwrap();
    assert_refused(&d, "RS256 signed with another key", &forged).await;
}

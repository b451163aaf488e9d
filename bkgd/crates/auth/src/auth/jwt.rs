//! Access tokens: short-lived JWTs, HS256 with a persisted secret by default or RS256 with a PEM
//! key pair. Validation is strict by construction (see NOTES-SECURITY): one algorithm only,
//! `exp, iat, nbf, iss, aud, sub` required and checked with a small leeway, `jti` and the
//! session id `sid` required, `iat` not in the future. Revocation is by session (checked
//! against the database on every request), never by a deny-list of token strings.
//!
//! A token is decoded and its signature checked once: the claims of a token that passed are
//! kept (by the token's text), and a later use of the same token checks only what time
//! changes (`exp`, `nbf`, `iat` against now, with the same leeway). The keys never change
//! while the daemon runs, so a signature that was good stays good; decoding was most of what an
//! authenticated request cost. A token that failed is not kept, so it is checked in full each
//! time.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use crate::config::{AuthConfig, JwtAlgorithm};
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub sid: String,
    pub jti: String,
    pub iss: String,
    pub aud: String,
    pub iat: u64,
    pub nbf: u64,
    pub exp: u64,
}

pub struct JwtKeys {
    algorithm: Algorithm,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl_secs: u64,
    leeway: u64,
    /// Tokens that passed [`JwtKeys::verify`], with their claims (see the module doc).
    /// Shared, so a request takes a reference count rather than a copy of five strings.
    verified: Mutex<HashMap<String, Arc<Claims>>>,
}

/// Verified tokens kept before the map is emptied: a bound on memory (about 600 bytes each),
/// far above the tokens in use at once (one per session, renewed every `access_ttl_secs`).
const MAX_VERIFIED: usize = 1000;

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys").field("algorithm", &self.algorithm).finish_non_exhaustive()
    }
}

/// Length of a generated HS256 secret.
const SECRET_BYTES: usize = 64;

impl JwtKeys {
    /// Loads (or, for HS256 without a configured secret, creates) the signing keys.
    pub async fn load(cfg: &AuthConfig, data_dir: &Path, store: &Store) -> anyhow::Result<Self> {
        let (algorithm, encoding, decoding) = match cfg.jwt_algorithm {
            JwtAlgorithm::Hs256 => {
                let secret = hs256_secret(cfg, data_dir, store).await?;
                (Algorithm::HS256, EncodingKey::from_secret(&secret), DecodingKey::from_secret(&secret))
            }
            JwtAlgorithm::Rs256 => {
                let private = std::fs::read(&cfg.jwt_private_key_file).map_err(|e| {
                    anyhow::anyhow!("cannot read auth.jwt_private_key_file {}: {e}", cfg.jwt_private_key_file)
                })?;
                let public = std::fs::read(&cfg.jwt_public_key_file).map_err(|e| {
                    anyhow::anyhow!("cannot read auth.jwt_public_key_file {}: {e}", cfg.jwt_public_key_file)
                })?;
                (
                    Algorithm::RS256,
                    EncodingKey::from_rsa_pem(&private).map_err(|e| {
                        anyhow::anyhow!("auth.jwt_private_key_file is not an RSA private key in PEM: {e}")
                    })?,
                    DecodingKey::from_rsa_pem(&public).map_err(|e| {
                        anyhow::anyhow!("auth.jwt_public_key_file is not an RSA public key in PEM: {e}")
                    })?,
                )
            }
        };
        Ok(Self::new(algorithm, encoding, decoding, cfg))
    }

    fn new(algorithm: Algorithm, encoding: EncodingKey, decoding: DecodingKey, cfg: &AuthConfig) -> Self {
        let mut validation = Validation::new(algorithm);
        validation.set_issuer(&[&cfg.issuer]);
        validation.set_audience(&[&cfg.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "nbf", "iss", "aud", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.validate_aud = true;
        validation.leeway = cfg.leeway_secs;
        Self {
            algorithm,
            encoding,
            decoding,
            validation,
            issuer: cfg.issuer.clone(),
            audience: cfg.audience.clone(),
            ttl_secs: cfg.access_ttl_secs,
            leeway: cfg.leeway_secs,
            verified: Mutex::new(HashMap::new()),
        }
    }

    pub fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }

    /// Issues an access token for a user's session.
    pub fn issue(&self, user_id: &str, session_id: &str) -> anyhow::Result<String> {
        let now = now_secs();
        let claims = Claims {
            sub: user_id.to_string(),
            sid: session_id.to_string(),
            jti: uuid::Uuid::new_v4().to_string(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            nbf: now,
            exp: now + self.ttl_secs,
        };
        Ok(jsonwebtoken::encode(&Header::new(self.algorithm), &claims, &self.encoding)?)
    }

    /// Checks a token's signature and claims; the session is checked by the caller.
    pub fn verify(&self, token: &str) -> Result<Arc<Claims>, String> {
        self.verify_at(token, now_secs())
    }

    /// [`JwtKeys::verify`] at the time `now` (seconds since the epoch).
    fn verify_at(&self, token: &str, now: u64) -> Result<Arc<Claims>, String> {
        let known = self.verified.lock().get(token).cloned();
        if let Some(claims) = known {
            if let Err(e) = self.check_times(&claims, now) {
                self.verified.lock().remove(token);
                return Err(e);
            }
            return Ok(claims);
        }
        let claims = Arc::new(self.decode(token, now)?);
        let mut verified = self.verified.lock();
        if verified.len() >= MAX_VERIFIED {
            verified.clear();
        }
        verified.insert(token.to_string(), claims.clone());
        Ok(claims)
    }

    /// What time changes, as `jsonwebtoken` and [`JwtKeys::decode`] check it.
    fn check_times(&self, c: &Claims, now: u64) -> Result<(), String> {
        if c.exp < now.saturating_sub(self.leeway) {
            return Err("expired".into());
        }
        if c.nbf > now + self.leeway {
            return Err("not valid yet".into());
        }
        if c.iat > now + self.leeway {
            return Err("issued in the future".into());
        }
        Ok(())
    }

    /// Decodes a token and checks its signature and every claim.
    fn decode(&self, token: &str, now: u64) -> Result<Claims, String> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| e.to_string())?;
        if data.header.alg != self.algorithm {
            return Err("wrong algorithm".into());
        }
        let claims = data.claims;
        // `jsonwebtoken` checked exp and nbf against its own clock; all three against `now`.
        self.check_times(&claims, now)?;
        if claims.jti.is_empty() || claims.sid.is_empty() || claims.sub.is_empty() {
            return Err("empty claim".into());
        }
        Ok(claims)
    }
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The HS256 secret: inline config, a file, or one generated once and kept 0600.
/// The HS256 secret: the configured one; else the generated one, which lives with the data
/// it protects: on SQLite in `<data_dir>/secrets/jwt-hs256.key` (one node), on PostgreSQL in
/// the database, shared by every node on it so a token from one is accepted by all (a node
/// that ran alone before offers its file's secret, so its tokens stay valid if it is first).
async fn hs256_secret(cfg: &AuthConfig, data_dir: &Path, store: &Store) -> anyhow::Result<Vec<u8>> {
    if !cfg.jwt_secret.is_empty() {
        anyhow::ensure!(cfg.jwt_secret.len() >= 32, "auth.jwt_secret must have at least 32 bytes");
        return Ok(cfg.jwt_secret.as_bytes().to_vec());
    }
    if !cfg.jwt_secret_file.is_empty() {
        let s = std::fs::read(&cfg.jwt_secret_file)
            .map_err(|e| anyhow::anyhow!("cannot read auth.jwt_secret_file {}: {e}", cfg.jwt_secret_file))?;
        let s = s.trim_ascii().to_vec();
        anyhow::ensure!(s.len() >= 32, "auth.jwt_secret_file must hold at least 32 bytes");
        return Ok(s);
    }
    let path = data_dir.join("secrets").join("jwt-hs256.key");
    let existing = match std::fs::read(&path) {
        Ok(existing) => {
            anyhow::ensure!(
                existing.len() >= 32,
                "{} is too short; delete it to generate a new secret",
                path.display()
            );
            Some(existing)
        }
        Err(_) => None,
    };
    if store.backend() == "postgres" {
        let candidate = existing.unwrap_or_else(|| (0..SECRET_BYTES).map(|_| rand::random::<u8>()).collect());
        let shared = store.shared_secret("jwt-hs256", &candidate).await?;
        anyhow::ensure!(shared.len() >= 32, "the JWT secret in the database is too short");
        return Ok(shared);
    }
    if let Some(existing) = existing {
        return Ok(existing);
    }
    let secret: Vec<u8> = (0..SECRET_BYTES).map(|_| rand::random::<u8>()).collect();
    crate::private_fs::write_new(&path, &secret)?;
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        let secret = b"unit-test-secret-0123456789abcdef0123456789";
        let cfg = AuthConfig::default();
        JwtKeys::new(
            Algorithm::HS256,
            EncodingKey::from_secret(secret),
            DecodingKey::from_secret(secret),
            &cfg,
        )
    }

    #[test]
    fn a_verified_token_is_kept_but_still_expires_on_time() {
        let keys = keys();
        let token = keys.issue("user", "session").unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(keys.verified.lock().len(), 1);
        // From the map: the same claims.
        assert_eq!(keys.verify(&token).unwrap(), claims);
        // Within the leeway after `exp` it is still good; past it, refused although kept, and
        // dropped from the map.
        let leeway = AuthConfig::default().leeway_secs;
        assert!(keys.verify_at(&token, claims.exp + leeway).is_ok());
        assert_eq!(keys.verify_at(&token, claims.exp + leeway + 1).unwrap_err(), "expired");
        assert!(keys.verified.lock().is_empty());
        // Before `nbf` (clock stepped back), refused too.
        keys.verify(&token).unwrap();
        assert!(keys.verify_at(&token, claims.nbf - leeway - 1).is_err());
    }

    #[test]
    fn a_refused_token_is_not_kept_and_the_map_is_bounded() {
        let keys = keys();
        let token = keys.issue("user", "session").unwrap();
        let (head, _) = token.rsplit_once('.').unwrap();
        let forged = format!("{head}.AAAA");
        assert!(keys.verify(&forged).is_err());
        assert!(keys.verify(&forged).is_err());
        assert!(keys.verified.lock().is_empty());
        for i in 0..MAX_VERIFIED + 10 {
            keys.verify(&keys.issue("user", &format!("s{i}")).unwrap()).unwrap();
        }
        assert!(keys.verified.lock().len() <= MAX_VERIFIED);
    }
}

//! Access tokens: short-lived JWTs, HS256 with a persisted secret by default or RS256 with a PEM
//! key pair. Validation is strict by construction (see NOTES-SECURITY): one algorithm only,
//! `exp, iat, nbf, iss, aud, sub` required and checked with a small leeway, `jti` and the
//! session id `sid` required, `iat` not in the future. Revocation is by session (checked
//! against the database on every request), never by a deny-list of token strings.

use std::path::Path;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
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
}

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
        let mut validation = Validation::new(algorithm);
        validation.set_issuer(&[&cfg.issuer]);
        validation.set_audience(&[&cfg.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "nbf", "iss", "aud", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.validate_aud = true;
        validation.leeway = cfg.leeway_secs;
        Ok(Self {
            algorithm,
            encoding,
            decoding,
            validation,
            issuer: cfg.issuer.clone(),
            audience: cfg.audience.clone(),
            ttl_secs: cfg.access_ttl_secs,
            leeway: cfg.leeway_secs,
        })
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
    pub fn verify(&self, token: &str) -> Result<Claims, String> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| e.to_string())?;
        if data.header.alg != self.algorithm {
            return Err("wrong algorithm".into());
        }
        let claims = data.claims;
        if claims.iat > now_secs() + self.leeway {
            return Err("issued in the future".into());
        }
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

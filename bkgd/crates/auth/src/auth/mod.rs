//! Authentication and authorisation: who may do what, and the flows that establish it.
//!
//! Code map: `password` (argon2id), `jwt` (access tokens), `apikey` (key format), `principal`
//! (the caller and what it may do; the extractors that read it from a request are
//! `api::principal`), `ratelimit` (sliding windows), `sessions` (login, refresh, logout,
//! password change), `admin` (users and API keys), `bootstrap` (the first admin), `cache`
//! (the credential rows every request checks, in memory).
//!
//! Invariants: every security-relevant change and its audit row commit in one transaction;
//! revocation (logout, password or role change, disabling a user or key) takes effect on the
//! next request: every request checks its session or key as the database has it, read from
//! `cache` only while no credential has changed since (see its module); the WebSocket
//! connections of revoked credentials are closed at once.

pub mod admin;
pub mod apikey;
mod bootstrap;
pub mod cache;
pub mod jwt;
pub mod password;
pub mod principal;
pub mod ratelimit;
mod sessions;

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bkg_core::auth::AuthMethod;

pub use bootstrap::bootstrap_admin;
pub use principal::Principal;

use crate::config::AuthConfig;
use crate::config::cidr::{Cidr, parse_cidr};
use crate::error::Error;
use crate::events::EventHub;
use crate::store::{Store, now_ms};
use jwt::JwtKeys;
use ratelimit::SlidingWindow;

pub struct Auth {
    pub cfg: AuthConfig,
    jwt: JwtKeys,
    store: Store,
    hub: Arc<EventHub>,
    /// Requests per client IP.
    pub requests: SlidingWindow<IpAddr>,
    /// Failed logins per client IP.
    pub login_failures: SlidingWindow<IpAddr>,
    pub trusted: Vec<Cidr>,
    credentials: cache::CredentialCache,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth").field("jwt", &self.jwt).finish_non_exhaustive()
    }
}

impl Auth {
    pub async fn new(
        cfg: &AuthConfig,
        data_dir: &Path,
        store: Store,
        hub: Arc<EventHub>,
    ) -> anyhow::Result<Arc<Self>> {
        let jwt = JwtKeys::load(cfg, data_dir, &store).await?;
        let trusted = cfg.trusted_proxies.iter().filter_map(|p| parse_cidr(p)).collect();
        Ok(Arc::new(Self {
            cfg: cfg.clone(),
            jwt,
            store,
            hub,
            requests: SlidingWindow::new(cfg.requests_per_minute, Duration::from_secs(60)),
            login_failures: SlidingWindow::new(
                cfg.login_failures,
                Duration::from_secs(cfg.login_failure_window_secs),
            ),
            trusted,
            credentials: cache::CredentialCache::new(),
        }))
    }

    /// Resolves a bearer credential (JWT or API key) to a principal, checking its session or
    /// key as the database has it (through `cache`): revoked credentials stop working on the
    /// very next request.
    pub async fn authenticate(&self, token: &str) -> Result<Principal, Error> {
        if apikey::looks_like_key(token) {
            self.authenticate_key(token).await
        } else {
            self.authenticate_jwt(token).await
        }
    }

    async fn authenticate_jwt(&self, token: &str) -> Result<Principal, Error> {
        let claims =
            self.jwt.verify(token).map_err(|_| Error::unauthorized("invalid or expired access token"))?;
        let rows = self
            .credentials
            .session(&self.store, &claims.sid)
            .await?
            .ok_or_else(|| Error::unauthorized("the session of this token does not exist"))?;
        let (session, user) = &*rows;
        if session.user_id != claims.sub || session.revoked_at.is_some() || session.expires_at <= now_ms() {
            return Err(Error::unauthorized("this session has ended; log in again"));
        }
        if user.disabled {
            return Err(Error::unauthorized("this user is disabled"));
        }
        Ok(Principal {
            user_id: user.id.clone(),
            username: user.username.clone(),
            role: user.role.0,
            scopes: Vec::new(),
            method: AuthMethod::Jwt,
            session_id: Some(session.id.clone()),
            key_id: None,
            key_prefix: None,
        })
    }

    async fn authenticate_key(&self, key: &str) -> Result<Principal, Error> {
        let invalid = || Error::unauthorized("invalid API key");
        let prefix = apikey::parse(key).ok_or_else(invalid)?;
        let row = self.credentials.key(&self.store, prefix).await?.ok_or_else(invalid)?;
        let hash = apikey::hash(key);
        let now = now_ms();
        let current = row.prefix == prefix && apikey::same_hash(&row.secret_hash, &hash);
        let previous = row.previous_prefix.as_deref() == Some(prefix)
            && row.previous_hash.as_deref().is_some_and(|h| apikey::same_hash(h, &hash))
            && row.previous_valid_until.is_some_and(|t| t > now);
        if !(current || previous) {
            return Err(invalid());
        }
        if !row.enabled {
            return Err(Error::unauthorized("this API key is disabled"));
        }
        if row.expires_at.is_some_and(|t| t <= now) {
            return Err(Error::unauthorized("this API key has expired"));
        }
        if row.owner_disabled {
            return Err(Error::unauthorized("the owner of this API key is disabled"));
        }
        if self.credentials.should_touch(&row.id, now)
            && let Err(e) = self.store.touch_key(&row.id, now).await
        {
            tracing::warn!(error = %e, "cannot record the use of an API key");
        }
        let role = row.role().min(row.owner_role.0);
        Ok(Principal {
            user_id: row.user_id.clone(),
            username: row.username.clone(),
            role,
            scopes: row.scopes(),
            method: AuthMethod::ApiKey,
            session_id: None,
            key_id: Some(row.id.clone()),
            key_prefix: Some(row.prefix.clone()),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn hub(&self) -> &EventHub {
        &self.hub
    }
}

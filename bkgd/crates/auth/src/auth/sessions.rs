//! Login sessions: login (with a stricter limit on failures), refresh with rotation and reuse
//! detection, logout, and password change.

use std::net::IpAddr;

use base64::Engine;
use bkg_core::ErrorCode;
use bkg_core::auth::{AuthMethod, TokenPair};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::ratelimit::Verdict;
use super::{Auth, Principal, password};
use crate::error::Error;
use crate::events::Owner;
use crate::store::{NewAuditEvent, RefreshOutcome, now_ms};

/// Opaque refresh tokens: 32 random bytes, base64url.
fn new_refresh_token() -> (String, String) {
    let bytes: [u8; 32] = std::array::from_fn(|_| rand::random::<u8>());
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = refresh_hash(&token);
    (token, hash)
}

fn refresh_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// What the audit log may hold of a name someone typed.
fn clip(s: &str) -> String {
    s.chars().take(64).collect()
}

impl Auth {
    fn pair(&self, access: String, refresh: String) -> TokenPair {
        TokenPair {
            access_token: access,
            token_type: "Bearer".into(),
            expires_in: self.jwt.ttl_secs(),
            refresh_token: refresh,
            refresh_expires_in: self.cfg.refresh_ttl_secs,
        }
    }

    /// Checks a username and password and opens a session.
    pub async fn login(&self, username: &str, pw: &str, ip: IpAddr) -> Result<TokenPair, Error> {
        if let Verdict::Limited { retry_after_secs } = self.login_failures.peek(&ip) {
            return Err(Error::rate_limited(retry_after_secs, "too many failed logins from your address"));
        }
        let user = self.store.user_by_name(username).await?;
        let stored = match &user {
            Some(u) => u.password_hash.clone(),
            None => password::decoy().await,
        };
        let verdict = password::verify(pw.to_string(), stored).await.map_err(Error::internal)?;
        let (user, rehash) = match (user, verdict) {
            (Some(u), Some(rehash)) if !u.disabled => (u, rehash),
            (user, _) => {
                self.login_failures.hit(&ip);
                let reason = match user {
                    None => "unknown user",
                    Some(u) if u.disabled => "user disabled",
                    Some(_) => "wrong password",
                };
                self.store
                    .audit(&NewAuditEvent {
                        action: "auth.login".into(),
                        actor: Some(clip(username)),
                        target: None,
                        success: false,
                        ip: Some(ip.to_string()),
                        details: json!({"reason": reason}),
                    })
                    .await?;
                return Err(Error::unauthorized("wrong username or password"));
            }
        };
        let now = now_ms();
        let session_id = uuid::Uuid::new_v4().to_string();
        let (refresh, refresh_hash) = new_refresh_token();
        let expires_at = now + (self.cfg.refresh_ttl_secs as i64) * 1000;
        let new_hash =
            if rehash { Some(password::hash(pw.to_string()).await.map_err(Error::internal)?) } else { None };
        let mut tx = self.store.begin().await?;
        tx.insert_session(&session_id, &user.id, now, expires_at, Some(&ip.to_string())).await?;
        tx.insert_refresh_token(&refresh_hash, &session_id, now, expires_at).await?;
        if let Some(h) = &new_hash {
            tx.update_user(&user.id, None, Some(h), None, now).await?;
        }
        tx.audit(&NewAuditEvent {
            action: "auth.login".into(),
            actor: Some(user.username.clone()),
            target: Some(user.id.clone()),
            success: true,
            ip: Some(ip.to_string()),
            details: json!({"session": session_id, "rehashed": new_hash.is_some()}),
        })
        .await?;
        tx.commit().await?;
        let access = self.jwt.issue(&user.id, &session_id).map_err(Error::internal)?;
        Ok(self.pair(access, refresh))
    }

    /// Trades a refresh token for a new pair. Presented again within the grace period it gets
    /// another pair; later, it revokes its session.
    pub async fn refresh(&self, token: &str, ip: IpAddr) -> Result<TokenPair, Error> {
        let (next, next_hash) = new_refresh_token();
        let now = now_ms();
        let expires = now + (self.cfg.refresh_ttl_secs as i64) * 1000;
        let grace_ms = (self.cfg.refresh_reuse_grace_secs as i64).saturating_mul(1000);
        match self.store.use_refresh_token(&refresh_hash(token), &next_hash, now, expires, grace_ms).await? {
            RefreshOutcome::Rotated { session_id, user } => {
                let access = self.jwt.issue(&user.id, &session_id).map_err(Error::internal)?;
                Ok(self.pair(access, next))
            }
            RefreshOutcome::Reused { session_id, user_id } => {
                self.store
                    .audit(&NewAuditEvent {
                        action: "auth.refresh_reuse".into(),
                        actor: None,
                        target: Some(user_id),
                        success: false,
                        ip: Some(ip.to_string()),
                        details: json!({"session": session_id}),
                    })
                    .await?;
                self.hub.close_where(|o| o.session_id.as_deref() == Some(session_id.as_str()));
                Err(Error::unauthorized(
                    "this refresh token was already used; its session is revoked; log in again",
                ))
            }
            RefreshOutcome::Invalid => Err(Error::unauthorized("invalid or expired refresh token")),
        }
    }

    /// Ends the caller's session (or all of the user's sessions).
    pub async fn logout(&self, p: &Principal, all: bool, ip: IpAddr) -> Result<(), Error> {
        let Some(session_id) = p.session_id.as_deref().filter(|_| p.method == AuthMethod::Jwt) else {
            return Err(Error::new(
                ErrorCode::Forbidden,
                "logout ends a login session; an API key has none (revoke keys with DELETE /admin/api-keys/{id})",
            ));
        };
        let now = now_ms();
        let mut tx = self.store.begin().await?;
        let revoked = if all {
            tx.revoke_user_sessions(&p.user_id, now).await?
        } else {
            tx.revoke_session(session_id, now).await? as u64
        };
        tx.audit(&NewAuditEvent {
            action: "auth.logout".into(),
            actor: Some(p.actor()),
            target: Some(p.user_id.clone()),
            success: true,
            ip: Some(ip.to_string()),
            details: json!({"all": all, "sessions": revoked}),
        })
        .await?;
        tx.commit().await?;
        if all {
            self.hub.close_where(|o| o.user_id == p.user_id && o.session_id.is_some());
        } else {
            self.hub.close_where(|o| o.session_id.as_deref() == Some(session_id));
        }
        Ok(())
    }

    /// A user changes their own password; every session of theirs ends.
    pub async fn change_password(
        &self,
        p: &Principal,
        current: &str,
        new: &str,
        ip: IpAddr,
    ) -> Result<(), Error> {
        if p.method != AuthMethod::Jwt {
            return Err(Error::new(
                ErrorCode::Forbidden,
                "API keys cannot change passwords; log in as the user",
            ));
        }
        password::check_new(new).map_err(|m| Error::new(ErrorCode::InvalidRequest, m))?;
        let user = self
            .store
            .user_by_id(&p.user_id)
            .await?
            .ok_or_else(|| Error::unauthorized("this user no longer exists"))?;
        if password::verify(current.to_string(), user.password_hash.clone())
            .await
            .map_err(Error::internal)?
            .is_none()
        {
            self.login_failures.hit(&ip);
            return Err(Error::new(ErrorCode::Forbidden, "the current password is wrong"));
        }
        let hash = password::hash(new.to_string()).await.map_err(Error::internal)?;
        let now = now_ms();
        let mut tx = self.store.begin().await?;
        tx.update_user(&user.id, None, Some(&hash), None, now).await?;
        tx.revoke_user_sessions(&user.id, now).await?;
        tx.audit(&NewAuditEvent {
            action: "user.password".into(),
            actor: Some(p.actor()),
            target: Some(user.id.clone()),
            success: true,
            ip: Some(ip.to_string()),
            details: json!({}),
        })
        .await?;
        tx.commit().await?;
        self.hub.close_where(|o: &Owner| o.user_id == user.id && o.session_id.is_some());
        Ok(())
    }
}

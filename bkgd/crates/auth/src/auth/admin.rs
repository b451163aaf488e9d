//! Managing users and API keys, with the rules a user expects: the last enabled admin cannot be
//! demoted, disabled or deleted; a key never has more rights than its owner; users manage their
//! own keys and admins everyone's (someone else's key is "not found" to a non-admin). Every
//! change commits with its audit row, and revocations close the affected WebSocket connections.

use std::net::IpAddr;

use bkg_core::ErrorCode;
use bkg_core::auth::{
    ApiKey, ApiKeySecret, CreateApiKey, CreateUser, Permission, Role, RotateApiKey, UpdateApiKey, UpdateUser,
    User,
};
use serde_json::json;

use super::{Auth, Principal, apikey, password};
use crate::error::Error;
use crate::store::{KeyChanges, KeyRow, NewAuditEvent, NewKey, RoleText, StoreError, Tx, UserRow, now_ms};

/// Longest grace period for a rotated key's previous secret.
const MAX_GRACE_SECS: u64 = 7 * 86_400;

fn user_not_found(id: &str) -> Error {
    Error::new(ErrorCode::NotFound, format!("no user with id {id:?}"))
}

fn key_not_found(id: &str) -> Error {
    Error::new(ErrorCode::NotFound, format!("no API key with id {id:?}"))
}

fn valid_username(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-' | b'@'))
}

/// An audit event of a principal's successful action.
pub fn audit(
    p: &Principal,
    ip: IpAddr,
    action: &str,
    target: &str,
    details: serde_json::Value,
) -> NewAuditEvent {
    NewAuditEvent {
        action: action.into(),
        actor: Some(p.actor()),
        target: Some(target.into()),
        success: true,
        ip: Some(ip.to_string()),
        details,
    }
}

impl Auth {
    pub async fn list_users(&self) -> Result<Vec<User>, Error> {
        Ok(self.store.users().await?.iter().map(UserRow::dto).collect())
    }

    pub async fn create_user(&self, p: &Principal, req: &CreateUser, ip: IpAddr) -> Result<User, Error> {
        if !valid_username(&req.username) {
            return Err(Error::bad_request("usernames are 1-64 of a-z, 0-9 and . _ - @"));
        }
        password::check_new(&req.password).map_err(Error::bad_request)?;
        if self.store.user_by_name(&req.username).await?.is_some() {
            return Err(Error::conflict(format!("a user named {:?} exists", req.username)));
        }
        let hash = password::hash(req.password.clone()).await.map_err(Error::internal)?;
        let now = now_ms();
        let user = UserRow {
            id: uuid::Uuid::new_v4().to_string(),
            username: req.username.clone(),
            password_hash: hash,
            role: RoleText(req.role),
            disabled: false,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        tx.insert_user(&user).await.map_err(|e| unique_to_conflict(e, "a user with that name exists"))?;
        tx.audit(&audit(
            p,
            ip,
            "user.create",
            &user.id,
            json!({"username": user.username, "role": req.role}),
        ))
        .await?;
        tx.commit().await?;
        Ok(user.dto())
    }

    pub async fn update_user(
        &self,
        p: &Principal,
        id: &str,
        req: &UpdateUser,
        ip: IpAddr,
    ) -> Result<User, Error> {
        if let Some(pw) = &req.password {
            password::check_new(pw).map_err(Error::bad_request)?;
        }
        let hash = match &req.password {
            Some(pw) => Some(password::hash(pw.clone()).await.map_err(Error::internal)?),
            None => None,
        };
        let now = now_ms();
        let mut tx = self.store.begin().await?;
        let user = tx.user_by_id(id).await?.ok_or_else(|| user_not_found(id))?;
        let loses_admin = user.role() == Role::Admin
            && !user.disabled
            && (req.role.is_some_and(|r| r != Role::Admin) || req.disabled == Some(true));
        if loses_admin && tx.other_enabled_admins(id).await? == 0 {
            return Err(Error::conflict("this is the last enabled admin; make another admin first"));
        }
        tx.update_user(id, req.role, hash.as_deref(), req.disabled, now).await?;
        let revoke = req.password.is_some()
            || req.role.is_some_and(|r| r != user.role())
            || req.disabled == Some(true);
        if revoke {
            tx.revoke_user_sessions(id, now).await?;
        }
        let changed: Vec<&str> = [
            req.role.map(|_| "role"),
            req.password.as_ref().map(|_| "password"),
            req.disabled.map(|_| "disabled"),
        ]
        .into_iter()
        .flatten()
        .collect();
        tx.audit(&audit(
            p,
            ip,
            "user.update",
            id,
            json!({"username": user.username, "changed": changed, "role": req.role, "disabled": req.disabled}),
        ))
        .await?;
        let updated = tx.user_by_id(id).await?.ok_or_else(|| user_not_found(id))?;
        tx.commit().await?;
        if revoke {
            // Keys follow their owner's role on every request; sessions end now.
            self.hub.close_where(|o| o.user_id == id);
        }
        Ok(updated.dto())
    }

    pub async fn delete_user(&self, p: &Principal, id: &str, ip: IpAddr) -> Result<(), Error> {
        let mut tx = self.store.begin().await?;
        let user = tx.user_by_id(id).await?.ok_or_else(|| user_not_found(id))?;
        if user.role() == Role::Admin && !user.disabled && tx.other_enabled_admins(id).await? == 0 {
            return Err(Error::conflict("this is the last enabled admin; make another admin first"));
        }
        tx.delete_user(id).await?;
        tx.audit(&audit(p, ip, "user.delete", id, json!({"username": user.username}))).await?;
        tx.commit().await?;
        self.hub.close_where(|o| o.user_id == id);
        Ok(())
    }

    /// The caller's keys, or everyone's for those allowed (optionally one user's).
    pub async fn list_keys(&self, p: &Principal, user: Option<&str>) -> Result<Vec<ApiKey>, Error> {
        let filter = if p.can(Permission::KeysAll) { user } else { Some(p.user_id.as_str()) };
        let now = now_ms();
        Ok(self.store.keys(filter).await?.iter().map(|k| k.dto(now)).collect())
    }

    /// Loads a key the caller may manage; others' keys are not found for non-admins.
    async fn own_key(&self, tx: &mut Tx, p: &Principal, id: &str) -> Result<KeyRow, Error> {
        let key = tx.key_by_id(id).await?.ok_or_else(|| key_not_found(id))?;
        if key.user_id != p.user_id && !p.can(Permission::KeysAll) {
            return Err(key_not_found(id));
        }
        Ok(key)
    }

    fn check_key_rights(owner_role: Role, role: Role, scopes: &[Permission]) -> Result<(), Error> {
        if role > owner_role {
            return Err(Error::bad_request(format!(
                "a key cannot have more rights than its owner (role {owner_role})"
            )));
        }
        if let Some(s) = scopes.iter().find(|s| !role.can(**s)) {
            return Err(Error::bad_request(format!("scope {s} is not part of role {role}")));
        }
        Ok(())
    }

    pub async fn create_key(
        &self,
        p: &Principal,
        req: &CreateApiKey,
        ip: IpAddr,
    ) -> Result<ApiKeySecret, Error> {
        let name = req.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Error::bad_request("key names are 1 to 100 characters"));
        }
        let owner_id = req.user_id.clone().unwrap_or_else(|| p.user_id.clone());
        if owner_id != p.user_id && !p.can(Permission::KeysAll) {
            return Err(Error::new(ErrorCode::Forbidden, "only admins create keys for other users"));
        }
        let owner = self.store.user_by_id(&owner_id).await?.ok_or_else(|| user_not_found(&owner_id))?;
        // A key made with a key cannot exceed the key it was made with.
        let ceiling = if owner_id == p.user_id { owner.role().min(p.role) } else { owner.role() };
        let role = req.role.unwrap_or(ceiling);
        let scopes = req.scopes.clone().unwrap_or_default();
        Self::check_key_rights(ceiling, role, &scopes)?;
        let now = now_ms();
        let expires_at = req.expires_at.map(|t| t.timestamp_millis());
        if expires_at.is_some_and(|t| t <= now) {
            return Err(Error::bad_request("expiresAt must be in the future"));
        }
        let (secret, prefix) = apikey::generate();
        let id = uuid::Uuid::new_v4().to_string();
        let mut tx = self.store.begin().await?;
        tx.insert_key(&NewKey {
            id: &id,
            user_id: &owner.id,
            name,
            prefix: &prefix,
            secret_hash: &apikey::hash(&secret),
            role,
            scopes: &scopes,
            expires_at,
            now,
        })
        .await?;
        tx.audit(&audit(
            p,
            ip,
            "key.create",
            &id,
            json!({"name": name, "prefix": prefix, "owner": owner.username, "role": role}),
        ))
        .await?;
        let row = tx.key_by_id(&id).await?.ok_or_else(|| key_not_found(&id))?;
        tx.commit().await?;
        Ok(ApiKeySecret { key: row.dto(now), secret })
    }

    pub async fn update_key(
        &self,
        p: &Principal,
        id: &str,
        req: &UpdateApiKey,
        ip: IpAddr,
    ) -> Result<ApiKey, Error> {
        let now = now_ms();
        let mut tx = self.store.begin().await?;
        let key = self.own_key(&mut tx, p, id).await?;
        if let Some(name) = &req.name
            && (name.trim().is_empty() || name.chars().count() > 100)
        {
            return Err(Error::bad_request("key names are 1 to 100 characters"));
        }
        let ceiling = if key.user_id == p.user_id { key.owner_role.0.min(p.role) } else { key.owner_role.0 };
        let role = req.role.unwrap_or(key.role());
        let scopes = req.scopes.clone().unwrap_or_else(|| key.scopes());
        if req.role.is_some() || req.scopes.is_some() {
            Self::check_key_rights(ceiling, role, &scopes)?;
        }
        if let Some(Some(t)) = req.expires_at
            && t.timestamp_millis() <= now
        {
            return Err(Error::bad_request("expiresAt must be in the future"));
        }
        let changes = KeyChanges {
            name: req.name.as_ref().map(|n| n.trim().to_string()),
            role: req.role,
            scopes: req.scopes.clone(),
            expires_at: req.expires_at.map(|o| o.map(|t| t.timestamp_millis())),
            enabled: req.enabled,
        };
        tx.update_key(id, &changes, now).await?;
        tx.audit(&audit(
            p,
            ip,
            "key.update",
            id,
            json!({"prefix": key.prefix, "name": changes.name, "role": req.role, "scopes": req.scopes, "enabled": req.enabled}),
        ))
        .await?;
        let row = tx.key_by_id(id).await?.ok_or_else(|| key_not_found(id))?;
        tx.commit().await?;
        if req.enabled == Some(false) || req.role.is_some() || req.scopes.is_some() {
            self.hub.close_where(|o| o.key_id.as_deref() == Some(id));
        }
        Ok(row.dto(now))
    }

    pub async fn delete_key(&self, p: &Principal, id: &str, ip: IpAddr) -> Result<(), Error> {
        let mut tx = self.store.begin().await?;
        let key = self.own_key(&mut tx, p, id).await?;
        tx.delete_key(id).await?;
        tx.audit(&audit(p, ip, "key.delete", id, json!({"prefix": key.prefix, "name": key.name}))).await?;
        tx.commit().await?;
        self.hub.close_where(|o| o.key_id.as_deref() == Some(id));
        Ok(())
    }

    pub async fn rotate_key(
        &self,
        p: &Principal,
        id: &str,
        req: &RotateApiKey,
        ip: IpAddr,
    ) -> Result<ApiKeySecret, Error> {
        let grace = req.grace_period_seconds.unwrap_or(0);
        if grace > MAX_GRACE_SECS {
            return Err(Error::bad_request(format!("gracePeriodSeconds is at most {MAX_GRACE_SECS}")));
        }
        let now = now_ms();
        let (secret, prefix) = apikey::generate();
        let mut tx = self.store.begin().await?;
        let key = self.own_key(&mut tx, p, id).await?;
        let previous_valid_until = (grace > 0).then(|| now + grace as i64 * 1000);
        tx.rotate_key(id, &prefix, &apikey::hash(&secret), previous_valid_until, now).await?;
        tx.audit(&audit(
            p,
            ip,
            "key.rotate",
            id,
            json!({"previousPrefix": key.prefix, "prefix": prefix, "graceSeconds": grace}),
        ))
        .await?;
        let row = tx.key_by_id(id).await?.ok_or_else(|| key_not_found(id))?;
        tx.commit().await?;
        if grace == 0 {
            self.hub.close_where(|o| o.key_id.as_deref() == Some(id));
        }
        Ok(ApiKeySecret { key: row.dto(now), secret })
    }
}

/// A unique-constraint failure (a race between the check and the insert) is a conflict.
fn unique_to_conflict(e: StoreError, message: &str) -> Error {
    if e.is_unique_violation() { Error::conflict(message) } else { Error::from(e) }
}

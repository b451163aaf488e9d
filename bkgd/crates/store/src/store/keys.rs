//! API keys: stored as a SHA-256 of the whole key, found by their public prefix (or, during a
//! rotation's grace period, the previous prefix).

use bkg_core::auth::{ApiKey, Permission, Role};

use super::users::{RoleText, ms_to_time};
use super::{Store, StoreResult, Tx, on_pool, on_tx};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct KeyRow {
    pub id: String,
    pub user_id: String,
    pub username: String,
    pub name: String,
    pub prefix: String,
    pub secret_hash: String,
    #[sqlx(try_from = "String")]
    pub role: RoleText,
    pub scopes: String,
    pub enabled: bool,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub previous_prefix: Option<String>,
    pub previous_hash: Option<String>,
    pub previous_valid_until: Option<i64>,
    pub rotated_at: Option<i64>,
    /// The owner's role and state: a key never does more than its owner may.
    #[sqlx(try_from = "String")]
    pub owner_role: RoleText,
    pub owner_disabled: bool,
}

impl KeyRow {
    pub fn role(&self) -> Role {
        self.role.0
    }

    pub fn scopes(&self) -> Vec<Permission> {
        serde_json::from_str(&self.scopes).unwrap_or_default()
    }

    pub fn dto(&self, now: i64) -> ApiKey {
        ApiKey {
            id: self.id.clone(),
            name: self.name.clone(),
            prefix: self.prefix.clone(),
            user_id: self.user_id.clone(),
            username: self.username.clone(),
            role: self.role.0,
            scopes: self.scopes(),
            enabled: self.enabled,
            expires_at: self.expires_at.map(ms_to_time),
            last_used_at: self.last_used_at.map(ms_to_time),
            previous_valid_until: self.previous_valid_until.filter(|t| *t > now).map(ms_to_time),
            created_at: ms_to_time(self.created_at),
            updated_at: ms_to_time(self.updated_at),
            rotated_at: self.rotated_at.map(ms_to_time),
        }
    }
}

const KEY_SELECT: &str =
    "SELECT k.id, k.user_id, u.username, k.name, k.prefix, k.secret_hash, k.role, k.scopes,
        k.enabled, k.expires_at, k.last_used_at, k.created_at, k.updated_at, k.previous_prefix,
        k.previous_hash, k.previous_valid_until, k.rotated_at, u.role AS owner_role, u.disabled AS owner_disabled
    FROM api_keys k JOIN users u ON u.id = k.user_id";

/// A new key's row fields.
#[derive(Debug, Clone)]
pub struct NewKey<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub name: &'a str,
    pub prefix: &'a str,
    pub secret_hash: &'a str,
    pub role: Role,
    pub scopes: &'a [Permission],
    pub expires_at: Option<i64>,
    pub now: i64,
}

/// Changes to a key; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct KeyChanges {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub scopes: Option<Vec<Permission>>,
    pub expires_at: Option<Option<i64>>,
    pub enabled: Option<bool>,
}

impl Store {
    /// Keys of one user, or of everyone.
    pub async fn keys(&self, user_id: Option<&str>) -> StoreResult<Vec<KeyRow>> {
        let sql = format!("{KEY_SELECT} WHERE ($1 IS NULL OR k.user_id = $1) ORDER BY k.created_at, k.id");
        on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(pool).await)
            .map_err(super::StoreError::from)
    }

    pub async fn key_by_id(&self, id: &str) -> StoreResult<Option<KeyRow>> {
        let sql = format!("{KEY_SELECT} WHERE k.id = $1");
        on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await)
            .map_err(super::StoreError::from)
    }

    /// The key whose current or previous prefix is `prefix`.
    pub async fn key_by_prefix(&self, prefix: &str) -> StoreResult<Option<KeyRow>> {
        let sql = format!("{KEY_SELECT} WHERE k.prefix = $1 OR k.previous_prefix = $1");
        on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(prefix).fetch_optional(pool).await).map_err(super::StoreError::from)
    }

    /// Records a use, at most once a minute per key (so authenticating is not a write each time).
    pub async fn touch_key(&self, id: &str, now: i64) -> StoreResult<()> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)")
                .bind(id)
                .bind(now)
                .bind(now - 60_000)
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}

impl Tx {
    pub async fn insert_key(&mut self, k: &NewKey<'_>) -> StoreResult<()> {
        // A new credential too: a cached "no such session or key" must not outlive it.
        self.changes_credentials();
        let scopes = serde_json::to_string(k.scopes).unwrap_or_else(|_| "[]".into());
        on_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO api_keys (id, user_id, name, prefix, secret_hash, role, scopes, enabled, expires_at, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8, $9, $9)",
            )
            .bind(k.id)
            .bind(k.user_id)
            .bind(k.name)
            .bind(k.prefix)
            .bind(k.secret_hash)
            .bind(k.role.as_str())
            .bind(scopes)
            .bind(k.expires_at)
            .bind(k.now)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    pub async fn key_by_id(&mut self, id: &str) -> StoreResult<Option<KeyRow>> {
        let sql = format!("{KEY_SELECT} WHERE k.id = $1");
        on_tx!(self, conn => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await)
            .map_err(super::StoreError::from)
    }

    pub async fn update_key(&mut self, id: &str, c: &KeyChanges, now: i64) -> StoreResult<()> {
        self.changes_credentials();
        let scopes = c.scopes.as_ref().map(|s| serde_json::to_string(s).unwrap_or_else(|_| "[]".into()));
        let (set_expiry, expires_at) = match c.expires_at {
            Some(v) => (true, v),
            None => (false, None),
        };
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE api_keys SET name = COALESCE($2, name), role = COALESCE($3, role), scopes = COALESCE($4, scopes),
                        expires_at = CASE WHEN $5 THEN $6 ELSE expires_at END, enabled = COALESCE($7, enabled),
                        updated_at = $8
                 WHERE id = $1",
            )
            .bind(id)
            .bind(&c.name)
            .bind(c.role.map(Role::as_str))
            .bind(scopes)
            .bind(set_expiry)
            .bind(expires_at)
            .bind(c.enabled)
            .bind(now)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    /// Gives a key a new secret; the old one keeps working until `previous_valid_until`
    /// (`None`: it stops at once).
    pub async fn rotate_key(
        &mut self,
        id: &str,
        prefix: &str,
        secret_hash: &str,
        previous_valid_until: Option<i64>,
        now: i64,
    ) -> StoreResult<()> {
        self.changes_credentials();
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE api_keys SET
                    previous_prefix = CASE WHEN $4 IS NULL THEN NULL ELSE prefix END,
                    previous_hash = CASE WHEN $4 IS NULL THEN NULL ELSE secret_hash END,
                    previous_valid_until = $4,
                    prefix = $2, secret_hash = $3, updated_at = $5, rotated_at = $5
                 WHERE id = $1",
            )
            .bind(id)
            .bind(prefix)
            .bind(secret_hash)
            .bind(previous_valid_until)
            .bind(now)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    pub async fn delete_key(&mut self, id: &str) -> StoreResult<bool> {
        self.changes_credentials();
        on_tx!(self, conn => {
            Ok(sqlx::query("DELETE FROM api_keys WHERE id = $1").bind(id).execute(conn).await?.rows_affected() > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::backends;
    use crate::store::{RoleText, UserRow};

    #[tokio::test]
    async fn keys_round_trip_rotate_and_touch() {
        for t in backends().await {
            let s = &t.store;
            let mut tx = s.begin().await.unwrap();
            tx.insert_user(&UserRow {
                id: "u1".into(),
                username: "ann".into(),
                password_hash: "h".into(),
                role: RoleText(Role::Developer),
                disabled: false,
                created_at: 1,
                updated_at: 1,
            })
            .await
            .unwrap();
            let k = NewKey {
                id: "k1",
                user_id: "u1",
                name: "ci",
                prefix: "bkg_AAAAAAAA",
                secret_hash: "hash1",
                role: Role::Readonly,
                scopes: &[Permission::PluginsRead],
                expires_at: Some(9_000),
                now: 100,
            };
            tx.insert_key(&k).await.unwrap();
            tx.commit().await.unwrap();

            let row = s.key_by_prefix("bkg_AAAAAAAA").await.unwrap().unwrap();
            assert_eq!(
                (row.username.as_str(), row.role(), row.owner_role.0),
                ("ann", Role::Readonly, Role::Developer)
            );
            assert_eq!(row.scopes(), vec![Permission::PluginsRead]);
            assert_eq!(row.dto(100).expires_at.map(|t| t.timestamp_millis()), Some(9_000));

            let mut tx = s.begin().await.unwrap();
            let changes = KeyChanges {
                name: Some("renamed".into()),
                expires_at: Some(None),
                enabled: Some(false),
                ..Default::default()
            };
            tx.update_key("k1", &changes, 200).await.unwrap();
            tx.rotate_key("k1", "bkg_BBBBBBBB", "hash2", Some(5_000), 300).await.unwrap();
            tx.commit().await.unwrap();
            let row = s.key_by_id("k1").await.unwrap().unwrap();
            assert_eq!(
                (row.name.as_str(), row.enabled, row.expires_at),
                ("renamed", false, None),
                "{}",
                s.backend()
            );
            assert_eq!((row.prefix.as_str(), row.secret_hash.as_str()), ("bkg_BBBBBBBB", "hash2"));
            assert_eq!(row.previous_prefix.as_deref(), Some("bkg_AAAAAAAA"));
            assert_eq!(row.previous_hash.as_deref(), Some("hash1"));
            assert_eq!(
                s.key_by_prefix("bkg_AAAAAAAA").await.unwrap().unwrap().id,
                "k1",
                "found by its previous prefix"
            );
            let mut tx = s.begin().await.unwrap();
            tx.rotate_key("k1", "bkg_CCCCCCCC", "hash3", None, 400).await.unwrap();
            tx.commit().await.unwrap();
            assert!(
                s.key_by_prefix("bkg_BBBBBBBB").await.unwrap().is_none(),
                "no grace: the old secret is gone"
            );

            s.touch_key("k1", 1_000_000).await.unwrap();
            s.touch_key("k1", 1_030_000).await.unwrap();
            assert_eq!(
                s.key_by_id("k1").await.unwrap().unwrap().last_used_at,
                Some(1_000_000),
                "at most once a minute"
            );
            s.touch_key("k1", 1_061_000).await.unwrap();
            assert_eq!(s.key_by_id("k1").await.unwrap().unwrap().last_used_at, Some(1_061_000));

            assert_eq!(s.keys(Some("u1")).await.unwrap().len(), 1);
            assert_eq!(s.keys(Some("nobody")).await.unwrap().len(), 0);
            let mut tx = s.begin().await.unwrap();
            assert!(tx.delete_key("k1").await.unwrap());
            tx.commit().await.unwrap();
            assert!(s.keys(None).await.unwrap().is_empty());
            t.drop_db().await;
        }
    }
}

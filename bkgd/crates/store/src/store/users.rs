//! Users and their login sessions (refresh-token families).

use bkg_core::auth::{Role, User};
use chrono::{TimeZone, Utc};

use super::{Store, StoreResult, Tx, on_pool, on_tx};

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    #[sqlx(try_from = "String")]
    pub role: RoleText,
    pub disabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A role as stored (TEXT); converts with the database's CHECK constraint as the guarantee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleText(pub Role);

impl TryFrom<String> for RoleText {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse().map(RoleText)
    }
}

pub fn ms_to_time(ms: i64) -> chrono::DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

impl UserRow {
    pub fn role(&self) -> Role {
        self.role.0
    }

    pub fn dto(&self) -> User {
        User {
            id: self.id.clone(),
            username: self.username.clone(),
            role: self.role.0,
            disabled: self.disabled,
            created_at: ms_to_time(self.created_at),
            updated_at: ms_to_time(self.updated_at),
        }
    }
}

const USER_COLUMNS: &str = "id, username, password_hash, role, disabled, created_at, updated_at";

/// What a session row says about whether its tokens may be used.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

/// A live login session as its user sees it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LiveSession {
    pub id: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub ip: Option<String>,
}

/// The result of presenting a refresh token.
#[derive(Debug, Clone, PartialEq)]
pub enum RefreshOutcome {
    /// The token was valid and is now used up (or had been used within the grace period); a
    /// new one was stored in the same family.
    Rotated { session_id: String, user: UserRow },
    /// The token had been used before the grace period: its family (session) is now revoked.
    Reused { session_id: String, user_id: String },
    /// Unknown, expired, or its session is revoked or expired, or its user disabled.
    Invalid,
}

impl Store {
    pub async fn count_users(&self) -> StoreResult<i64> {
        on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await)
            .map_err(super::StoreError::from)
    }

    pub async fn user_by_name(&self, username: &str) -> StoreResult<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
        on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(pool).await).map_err(super::StoreError::from)
    }

    pub async fn user_by_id(&self, id: &str) -> StoreResult<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await)
            .map_err(super::StoreError::from)
    }

    pub async fn users(&self) -> StoreResult<Vec<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY username");
        on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await)
            .map_err(super::StoreError::from)
    }

    /// The session and its user, for checking an access token.
    pub async fn session(&self, id: &str) -> StoreResult<Option<(SessionRow, UserRow)>> {
        let Some(session) = on_pool!(self, pool => {
            sqlx::query_as::<_, SessionRow>("SELECT id, user_id, expires_at, revoked_at FROM sessions WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        }) else {
            return Ok(None);
        };
        Ok(self.user_by_id(&session.user_id).await?.map(|u| (session, u)))
    }

    /// The sessions of a user that are neither revoked nor expired at `now`, newest first.
    pub async fn live_sessions(&self, user_id: &str, now: i64) -> StoreResult<Vec<LiveSession>> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, created_at, expires_at, ip FROM sessions
                 WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2
                 ORDER BY created_at DESC, id",
            )
            .bind(user_id)
            .bind(now)
            .fetch_all(pool)
            .await
        })
        .map_err(super::StoreError::from)
    }

    /// Uses a refresh token: atomically marks it used and stores its successor. A token used
    /// again within `grace_ms` of its first use (two tabs refreshing at once; concurrent uses
    /// wait for the first one's row lock and then see it used) gets a successor of its own in
    /// the same family; used again later, it revokes the family.
    pub async fn use_refresh_token(
        &self,
        token_hash: &str,
        next_hash: &str,
        now: i64,
        next_expires_at: i64,
        grace_ms: i64,
    ) -> StoreResult<RefreshOutcome> {
        let mut tx = self.begin().await?;
        let used: Option<String> = on_tx!(&mut tx, conn => {
            sqlx::query_scalar(
                "UPDATE refresh_tokens SET used_at = $2
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
                 RETURNING session_id",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(conn)
            .await?
        });
        let session_id = match used {
            Some(session_id) => session_id,
            None => {
                let seen: Option<(String, Option<i64>)> = on_tx!(&mut tx, conn => {
                    sqlx::query_as("SELECT session_id, used_at FROM refresh_tokens WHERE token_hash = $1")
                        .bind(token_hash)
                        .fetch_optional(conn)
                        .await?
                });
                match seen {
                    Some((session_id, Some(used_at)))
                        if grace_ms > 0 && now.saturating_sub(used_at) <= grace_ms =>
                    {
                        session_id
                    }
                    Some((session_id, Some(_))) => {
                        let user_id: Option<String> = on_tx!(&mut tx, conn => {
                            sqlx::query_scalar(
                                "UPDATE sessions SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING user_id",
                            )
                            .bind(&session_id)
                            .bind(now)
                            .fetch_optional(conn)
                            .await?
                        });
                        tx.changes_credentials();
                        tx.commit().await?;
                        return Ok(user_id.map_or(RefreshOutcome::Invalid, |user_id| {
                            RefreshOutcome::Reused { session_id, user_id }
                        }));
                    }
                    _ => return Ok(RefreshOutcome::Invalid),
                }
            }
        };
        let session: Option<SessionRow> = on_tx!(&mut tx, conn => {
            sqlx::query_as("SELECT id, user_id, expires_at, revoked_at FROM sessions WHERE id = $1")
                .bind(&session_id)
                .fetch_optional(conn)
                .await?
        });
        let Some(session) = session.filter(|s| s.revoked_at.is_none() && s.expires_at > now) else {
            return Ok(RefreshOutcome::Invalid);
        };
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let user: Option<UserRow> = on_tx!(&mut tx, conn => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(&session.user_id).fetch_optional(conn).await?
        });
        let Some(user) = user.filter(|u| !u.disabled) else {
            return Ok(RefreshOutcome::Invalid);
        };
        tx.insert_refresh_token(next_hash, &session_id, now, next_expires_at.min(session.expires_at)).await?;
        tx.commit().await?;
        Ok(RefreshOutcome::Rotated { session_id, user })
    }
}

impl Tx {
    pub async fn insert_user(&mut self, u: &UserRow) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO users (id, username, password_hash, role, disabled, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&u.id)
            .bind(&u.username)
            .bind(&u.password_hash)
            .bind(u.role.0.as_str())
            .bind(u.disabled)
            .bind(u.created_at)
            .bind(u.updated_at)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    pub async fn user_by_id(&mut self, id: &str) -> StoreResult<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        on_tx!(self, conn => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await)
            .map_err(super::StoreError::from)
    }

    /// Enabled admins other than `except`.
    pub async fn other_enabled_admins(&mut self, except: &str) -> StoreResult<i64> {
        on_tx!(self, conn => {
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND NOT disabled AND id <> $1")
                .bind(except)
                .fetch_one(conn)
                .await
        }).map_err(super::StoreError::from)
    }

    pub async fn update_user(
        &mut self,
        id: &str,
        role: Option<Role>,
        password_hash: Option<&str>,
        disabled: Option<bool>,
        now: i64,
    ) -> StoreResult<()> {
        self.changes_credentials();
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE users SET role = COALESCE($2, role), password_hash = COALESCE($3, password_hash),
                        disabled = COALESCE($4, disabled), updated_at = $5
                 WHERE id = $1",
            )
            .bind(id)
            .bind(role.map(Role::as_str))
            .bind(password_hash)
            .bind(disabled)
            .bind(now)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    pub async fn delete_user(&mut self, id: &str) -> StoreResult<bool> {
        self.changes_credentials();
        on_tx!(self, conn => {
            sqlx::query("DELETE FROM api_keys WHERE user_id = $1").bind(id).execute(&mut *conn).await?;
            let n = sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(&mut *conn).await?.rows_affected();
            Ok(n > 0)
        })
    }

    pub async fn insert_session(
        &mut self,
        id: &str,
        user_id: &str,
        now: i64,
        expires_at: i64,
        ip: Option<&str>,
    ) -> StoreResult<()> {
        // A new credential too: a cached "no such session or key" must not outlive it.
        self.changes_credentials();
        on_tx!(self, conn => {
            sqlx::query("INSERT INTO sessions (id, user_id, created_at, expires_at, ip) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(user_id)
                .bind(now)
                .bind(expires_at)
                .bind(ip)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    pub async fn insert_refresh_token(
        &mut self,
        hash: &str,
        session_id: &str,
        now: i64,
        expires_at: i64,
    ) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query("INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(hash)
                .bind(session_id)
                .bind(now)
                .bind(expires_at)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// Revokes one session of `user_id`; returns whether it was live and theirs.
    pub async fn revoke_own_session(&mut self, id: &str, user_id: &str, now: i64) -> StoreResult<bool> {
        self.changes_credentials();
        on_tx!(self, conn => {
            let n = sqlx::query(
                "UPDATE sessions SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3",
            )
            .bind(id)
            .bind(user_id)
            .bind(now)
            .execute(conn)
            .await?
            .rows_affected();
            Ok(n > 0)
        })
    }

    /// Revokes one session; returns whether it was live.
    pub async fn revoke_session(&mut self, id: &str, now: i64) -> StoreResult<bool> {
        self.changes_credentials();
        on_tx!(self, conn => {
            let n = sqlx::query("UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                .bind(id)
                .bind(now)
                .execute(conn)
                .await?
                .rows_affected();
            Ok(n > 0)
        })
    }

    /// Revokes every session of a user (logout-all, password or role change, disabling).
    pub async fn revoke_user_sessions(&mut self, user_id: &str, now: i64) -> StoreResult<u64> {
        self.changes_credentials();
        on_tx!(self, conn => {
            Ok(sqlx::query("UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
                .bind(user_id)
                .bind(now)
                .execute(conn)
                .await?
                .rows_affected())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::backends;

    fn user(id: &str, name: &str, role: Role) -> UserRow {
        UserRow {
            id: id.into(),
            username: name.into(),
            password_hash: "h".into(),
            role: RoleText(role),
            disabled: false,
            created_at: 1,
            updated_at: 1,
        }
    }

    #[tokio::test]
    async fn users_sessions_and_refresh_rotation() {
        for t in backends().await {
            let s = &t.store;
            let mut tx = s.begin().await.unwrap();
            tx.insert_user(&user("u1", "ann", Role::Admin)).await.unwrap();
            tx.insert_user(&user("u2", "bob", Role::Developer)).await.unwrap();
            tx.commit().await.unwrap();
            let mut tx = s.begin().await.unwrap();
            assert!(
                tx.insert_user(&user("u3", "ann", Role::Readonly)).await.is_err(),
                "usernames are unique"
            );
            drop(tx);
            assert_eq!(s.count_users().await.unwrap(), 2);
            assert_eq!(s.user_by_name("bob").await.unwrap().unwrap().role(), Role::Developer);

            let mut tx = s.begin().await.unwrap();
            assert_eq!(tx.other_enabled_admins("u1").await.unwrap(), 0);
            tx.update_user("u2", Some(Role::Admin), Some("h2"), None, 5).await.unwrap();
            assert_eq!(tx.other_enabled_admins("u1").await.unwrap(), 1);
            tx.insert_session("s1", "u2", 10, 1_000, Some("127.0.0.1")).await.unwrap();
            tx.insert_refresh_token("r1", "s1", 10, 1_000).await.unwrap();
            tx.commit().await.unwrap();
            let bob = s.user_by_id("u2").await.unwrap().unwrap();
            assert_eq!((bob.role(), bob.password_hash.as_str(), bob.updated_at), (Role::Admin, "h2", 5));

            // Rotation: r1 -> r2. r1 again within the grace (5 ms here) gets a successor of its
            // own (r2b) and both successors work; r1 after the grace revokes the family.
            let rotated_in_s1 = |out: &RefreshOutcome| matches!(out, RefreshOutcome::Rotated { session_id, .. } if session_id == "s1");
            let out = s.use_refresh_token("r1", "r2", 20, 900, 5).await.unwrap();
            assert!(rotated_in_s1(&out), "{}", s.backend());
            let out = s.use_refresh_token("r1", "r2b", 25, 900, 5).await.unwrap();
            assert!(rotated_in_s1(&out), "reuse within the grace: {out:?} on {}", s.backend());
            let out = s.use_refresh_token("r2b", "r3b", 26, 900, 5).await.unwrap();
            assert!(rotated_in_s1(&out), "the grace pair works: {out:?}");
            let out = s.use_refresh_token("r1", "r3", 26, 900, 5).await.unwrap();
            assert_eq!(out, RefreshOutcome::Reused { session_id: "s1".into(), user_id: "u2".into() });
            assert_eq!(s.use_refresh_token("r2", "r4", 27, 900, 5).await.unwrap(), RefreshOutcome::Invalid);
            assert!(s.session("s1").await.unwrap().unwrap().0.revoked_at.is_some());
            assert_eq!(s.use_refresh_token("nope", "r5", 27, 900, 5).await.unwrap(), RefreshOutcome::Invalid);

            // Expired tokens and sessions of disabled users do not refresh.
            let mut tx = s.begin().await.unwrap();
            tx.insert_session("s2", "u2", 10, 1_000, None).await.unwrap();
            tx.insert_refresh_token("old", "s2", 10, 15).await.unwrap();
            tx.insert_refresh_token("fresh", "s2", 10, 1_000).await.unwrap();
            tx.commit().await.unwrap();
            assert_eq!(s.use_refresh_token("old", "x1", 20, 900, 5).await.unwrap(), RefreshOutcome::Invalid);
            let mut tx = s.begin().await.unwrap();
            tx.update_user("u2", None, None, Some(true), 30).await.unwrap();
            tx.commit().await.unwrap();
            assert_eq!(
                s.use_refresh_token("fresh", "x2", 31, 900, 5).await.unwrap(),
                RefreshOutcome::Invalid
            );

            let live = s.live_sessions("u2", 20).await.unwrap();
            assert_eq!(live.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), ["s2"], "s1 is revoked");
            assert!(s.live_sessions("u2", 1_000).await.unwrap().is_empty(), "expired sessions are not live");
            let mut tx = s.begin().await.unwrap();
            assert_eq!(tx.revoke_user_sessions("u2", 40).await.unwrap(), 1);
            assert!(tx.delete_user("u2").await.unwrap());
            tx.commit().await.unwrap();
            assert!(s.session("s2").await.unwrap().is_none(), "sessions go with their user");
            t.drop_db().await;
        }
    }
}

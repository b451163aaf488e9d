//! `Tx`: a transaction on whichever backend is in use, so a change and its audit row (or any
//! other writes that must land together) commit as one, written with the same portable SQL as
//! the rest of the store.
//!
//! The durability rule (SQLite runs in WAL mode with `synchronous = NORMAL`): every
//! acknowledged commit survives a crash of bkgd, `kill -9` included, because SQLite has
//! written it to the WAL before `COMMIT` returns. Power loss (or a kernel crash) can undo what
//! the OS had not yet written back, so a commit that must survive that too is synced before
//! it is acknowledged: every transaction that changes a credential (users, sessions, keys:
//! a revoked session or deleted key never comes back) and every one with an audit row, except
//! the desired-state write of a plugin start, stop or restart and its audit row. Those two
//! commit together or not at all; what power loss can undo is the last few seconds of them,
//! and after the reboot the plugins start as the older desired state says. PostgreSQL keeps
//! its own (server-side) guarantees.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Pool, Store, StoreResult};

pub struct Tx {
    pub(crate) conn: TxConn,
    /// Set by the writes that can end or change a credential (sessions, keys, users), so the
    /// commit moves [`Store::credentials_epoch`] on.
    changes_credentials: bool,
    credentials_epoch: Arc<AtomicU64>,
    /// Set by [`Tx::audit`]: an audit row is synced to disk before the commit is acknowledged,
    /// unless it records a plugin lifecycle change (see [`Tx::lifecycle`]).
    audited: bool,
    /// Set by the desired-state write of start, stop and restart (see the module's rule).
    lifecycle: bool,
    /// SQLite's write-ahead log, synced after a commit that must survive power loss.
    wal: Option<Arc<PathBuf>>,
    synced_commits: Arc<AtomicU64>,
    /// The node of the store handle that began it (plugin state is per node).
    pub(crate) node: Arc<str>,
}

pub(crate) enum TxConn {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.conn {
            TxConn::Sqlite(_) => "Tx(sqlite)",
            TxConn::Postgres(_) => "Tx(postgres)",
        })
    }
}

/// Runs `$body` with `$conn` bound to the transaction's connection (`&mut *tx`).
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match &mut $tx.conn {
            crate::store::tx::TxConn::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            crate::store::tx::TxConn::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

impl Store {
    pub async fn begin(&self) -> StoreResult<Tx> {
        let conn = match &self.pool {
            Pool::Sqlite(p) => TxConn::Sqlite(p.begin().await?),
            Pool::Postgres(p) => TxConn::Postgres(p.begin().await?),
        };
        Ok(Tx {
            conn,
            changes_credentials: false,
            credentials_epoch: self.credentials_epoch.clone(),
            audited: false,
            lifecycle: false,
            wal: self.wal.clone(),
            synced_commits: self.synced_commits.clone(),
            node: self.node.clone(),
        })
    }

    /// Moves on whenever a committed change may have ended or changed a credential (a session
    /// revoked, a key deleted, disabled or rotated, a user's role or password changed). A cache
    /// of credentials keeps what it read under the epoch it read it in, and trusts it only
    /// while the epoch is the same.
    pub fn credentials_epoch(&self) -> u64 {
        self.credentials_epoch.load(Ordering::Acquire)
    }

    /// Commits that were synced to disk before they were acknowledged (SQLite; for tests of
    /// the durability rule).
    pub fn synced_commits(&self) -> u64 {
        self.synced_commits.load(Ordering::Acquire)
    }
}

impl Tx {
    pub async fn commit(mut self) -> StoreResult<()> {
        if self.changes_credentials {
            // Other nodes on the same PostgreSQL hear of it when (and only if) this commits.
            self.notify_credentials().await?;
        }
        let must_survive_power_loss = self.changes_credentials || (self.audited && !self.lifecycle);
        match self.conn {
            TxConn::Sqlite(t) => t.commit().await?,
            TxConn::Postgres(t) => t.commit().await?,
        }
        // After the commit: a reader that saw the old rows read them under the old epoch. And
        // before the sync, so a failed sync cannot leave the old rows cached.
        if self.changes_credentials {
            self.credentials_epoch.fetch_add(1, Ordering::AcqRel);
        }
        // `wal` is SQLite's (a file); PostgreSQL has none.
        if must_survive_power_loss && let Some(wal) = self.wal.clone() {
            // A failed sync leaves the change committed but not known to be on disk: the
            // caller gets the error, not an acknowledgement it cannot stand behind.
            sync_wal(wal).await?;
            self.synced_commits.fetch_add(1, Ordering::AcqRel);
        }
        Ok(())
    }

    /// Marks this transaction as one that changes credentials (see [`Store::credentials_epoch`]).
    pub(crate) fn changes_credentials(&mut self) {
        self.changes_credentials = true;
    }

    /// Marks this transaction as one that has written an audit row.
    pub(crate) fn audited(&mut self) {
        self.audited = true;
    }

    /// Marks this transaction as a plugin lifecycle change (a desired state), which power loss
    /// may undo (see the module's rule).
    pub(crate) fn lifecycle(&mut self) {
        self.lifecycle = true;
    }
}

/// Makes what SQLite has committed to its WAL durable: with `synchronous = NORMAL` a commit
/// writes the WAL but does not fsync it. fsync of any descriptor of the file flushes all of its
/// data. No WAL file means a checkpoint moved everything into the database and synced it.
async fn sync_wal(wal: Arc<PathBuf>) -> StoreResult<()> {
    let synced = tokio::task::spawn_blocking(move || match std::fs::File::open(&*wal) {
        Ok(f) => f.sync_data(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    })
    .await
    .map_err(std::io::Error::other)
    .and_then(|r| r);
    synced.map_err(|e| sqlx::Error::Io(e).into())
}

#[cfg(test)]
mod tests {
    use bkg_core::plugin::DesiredState;

    use crate::store::NewAuditEvent;
    use crate::store::testing::backends;

    #[tokio::test]
    async fn credentials_and_audit_are_synced_before_they_are_acknowledged_plugin_lifecycle_is_not() {
        for t in backends().await {
            let s = &t.store;
            // PostgreSQL keeps its own guarantees: nothing is synced by the store there.
            let synced = |n: u64| if s.backend() == "sqlite" { n } else { 0 };
            if s.backend() == "sqlite" {
                let level: i64 = crate::store::on_pool!(s, pool => {
                    sqlx::query_scalar("PRAGMA synchronous").fetch_one(pool).await.unwrap()
                });
                assert_eq!(level, 1, "synchronous = NORMAL");
            }
            // A stop and its audit row: durable across a crash of bkgd, not synced.
            let stop = NewAuditEvent { action: "plugin.stop".into(), success: true, ..Default::default() };
            s.set_desired_state("a", DesiredState::Stopped, Some(&stop)).await.unwrap();
            assert_eq!(s.synced_commits(), 0);
            // Any other audit row is synced.
            let login = NewAuditEvent { action: "auth.login".into(), ..Default::default() };
            s.audit(&login).await.unwrap();
            assert_eq!(s.synced_commits(), synced(1));
            // So is a change of a credential, audited or not.
            let mut tx = s.begin().await.unwrap();
            tx.changes_credentials();
            tx.commit().await.unwrap();
            assert_eq!(s.synced_commits(), synced(2));
            // A transaction that changes credentials while it also writes a desired state is
            // still synced: the credential decides.
            let mut tx = s.begin().await.unwrap();
            tx.set_desired_state("a", DesiredState::Running).await.unwrap();
            tx.changes_credentials();
            tx.commit().await.unwrap();
            assert_eq!(s.synced_commits(), synced(3));
            let events =
                s.audit_events(&crate::store::AuditFilter { limit: 10, ..Default::default() }).await.unwrap();
            assert_eq!(events.len(), 2);
            t.drop_db().await;
        }
    }
}

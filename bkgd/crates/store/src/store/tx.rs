//! `Tx`: a transaction on whichever backend is in use, so a change and its audit row (or any
//! other writes that must land together) commit as one, written with the same portable SQL as
//! the rest of the store.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Pool, Store, StoreResult};

pub struct Tx {
    pub(crate) conn: TxConn,
    /// Set by the writes that can end or change a credential (sessions, keys, users), so the
    /// commit moves [`Store::credentials_epoch`] on.
    changes_credentials: bool,
    credentials_epoch: Arc<AtomicU64>,
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
}

impl Tx {
    pub async fn commit(mut self) -> StoreResult<()> {
        if self.changes_credentials {
            // Other nodes on the same PostgreSQL hear of it when (and only if) this commits.
            self.notify_credentials().await?;
        }
        match self.conn {
            TxConn::Sqlite(t) => t.commit().await?,
            TxConn::Postgres(t) => t.commit().await?,
        }
        // After the commit: a reader that saw the old rows read them under the old epoch.
        if self.changes_credentials {
            self.credentials_epoch.fetch_add(1, Ordering::AcqRel);
        }
        Ok(())
    }

    /// Marks this transaction as one that changes credentials (see [`Store::credentials_epoch`]).
    pub(crate) fn changes_credentials(&mut self) {
        self.changes_credentials = true;
    }
}

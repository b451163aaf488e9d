//! `Tx`: a transaction on whichever backend is in use, so a change and its audit row (or any
//! other writes that must land together) commit as one, written with the same portable SQL as
//! the rest of the store.

use super::{Pool, Store, StoreResult};

pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Tx::Sqlite(_) => "Tx(sqlite)",
            Tx::Postgres(_) => "Tx(postgres)",
        })
    }
}

/// Runs `$body` with `$conn` bound to the transaction's connection (`&mut *tx`).
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            crate::store::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            crate::store::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

impl Store {
    pub async fn begin(&self) -> StoreResult<Tx> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }
}

impl Tx {
    pub async fn commit(self) -> StoreResult<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await.map_err(super::StoreError::from),
            Tx::Postgres(t) => t.commit().await.map_err(super::StoreError::from),
        }
    }
}

//! The store: the only code that touches the database. SQLite (default, a file in the data
//! dir) or PostgreSQL (by URL), behind one type with one method per use case.
//!
//! Both backends run the same SQL text: queries use `$n` placeholders, which SQLite accepts
//! too, and only portable SQL (`ON CONFLICT ... DO UPDATE`, BIGINT millisecond times, JSON as
//! TEXT). The `on_pool!` macro expands one query body for each pool type, so a query is written
//! once and type-checked against both drivers. Migrations live in `migrations/{sqlite,postgres}`
//! with identical versions and are embedded at build time.
//!
//! Durability promise: SQLite runs in WAL mode with `synchronous = FULL`, so an acknowledged
//! write survives a crash of the daemon and of the machine (auth, keys and audit must not lose
//! acknowledged writes; the other tables are written rarely or in batches, so one setting for
//! all costs little). PostgreSQL keeps its own server-side guarantees.

mod audit;
mod documents;
mod keys;
mod models;
mod plugins;
mod tx;
mod usage;
mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use audit::{AuditFilter, NewAuditEvent};
pub use keys::{KeyChanges, KeyRow, NewKey};
pub use models::ModelRow;
pub use plugins::PluginStateRow;
pub use tx::Tx;
pub(crate) use tx::on_tx;
pub use usage::UsageRow;
pub use users::{LiveSession, RefreshOutcome, RoleText, SessionRow, UserRow, ms_to_time};

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A handle to the database. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
}

/// Runs `$body` with `$pool` bound to the concrete pool of whichever backend is in use.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            crate::store::Pool::Sqlite($pool) => $body,
            crate::store::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Store {
    /// Connects and runs pending migrations. `url` is `sqlite://path` or `postgres://...`.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let store = if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            // Password and key hashes and the audit log live here: private whatever the umask.
            let file = opts.get_filename();
            if file != std::path::Path::new(":memory:") {
                crate::private_fs::sqlite_files(file)?;
            }
            let pool = SqlitePoolOptions::new().max_connections(8).connect_with(opts).await?;
            SQLITE_MIGRATOR.run(&pool).await?;
            Store { pool: Pool::Sqlite(pool) }
        } else {
            let opts = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            POSTGRES_MIGRATOR.run(&pool).await?;
            Store { pool: Pool::Postgres(pool) }
        };
        Ok(store)
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// Checks the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
    }

    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

/// Milliseconds since the Unix epoch, the time format of every table.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
pub(crate) mod testing {
    //! Runs a store test on every backend: a fresh SQLite file, and a fresh PostgreSQL database
    //! when `BKG_TEST_DATABASE_URL` is set (`.ci/run` and `make test` set it).

    use super::Store;

    pub struct TestStore {
        pub store: Store,
        _dir: Option<tempfile::TempDir>,
        pg: Option<(String, String)>,
    }

    impl TestStore {
        pub async fn drop_db(self) {
            self.store.close().await;
            if let Some((admin, name)) = self.pg {
                let pool = sqlx::PgPool::connect(&admin).await.expect("admin connection");
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
                    .execute(&pool)
                    .await
                    .expect("drop test database");
            }
        }
    }

    pub async fn backends() -> Vec<TestStore> {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let mut out = vec![TestStore {
            store: Store::connect(&url).await.expect("sqlite store"),
            _dir: Some(dir),
            pg: None,
        }];
        if let Some(pg) = pg_database().await {
            out.push(pg);
        }
        out
    }

    /// A fresh, empty PostgreSQL database for one test.
    pub async fn pg_database() -> Option<TestStore> {
        let admin = std::env::var("BKG_TEST_DATABASE_URL").ok().filter(|s| !s.is_empty())?;
        let name = format!("bkg_test_{}", uuid::Uuid::new_v4().simple());
        let pool = sqlx::PgPool::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("BKG_TEST_DATABASE_URL={admin} is not reachable: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&pool)
            .await
            .expect("create test database");
        pool.close().await;
        let mut url = url::Url::parse(&admin).expect("BKG_TEST_DATABASE_URL is a URL");
        url.set_path(&name);
        let store = Store::connect(url.as_str()).await.expect("postgres store");
        Some(TestStore { store, _dir: None, pg: Some((admin, name)) })
    }
}

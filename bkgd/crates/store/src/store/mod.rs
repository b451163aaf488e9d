//! The store: the only code that touches the database. SQLite (default, a file in the data
//! dir) or PostgreSQL (by URL), behind one type with one method per use case.
//!
//! Both backends run the same SQL text: queries use `$n` placeholders, which SQLite accepts
//! too, and only portable SQL (`ON CONFLICT ... DO UPDATE`, BIGINT millisecond times, JSON as
//! TEXT). The `on_pool!` macro expands one query body for each pool type, so a query is written
//! once and type-checked against both drivers. Migrations live in `migrations/{sqlite,postgres}`
//! with identical versions and are embedded at build time.
//!
//! Durability promise: SQLite runs in WAL mode with `synchronous = NORMAL`, so every
//! acknowledged write survives a crash of the daemon (`kill -9` included); credentials and
//! audit rows are also synced to disk before they are acknowledged, so power loss cannot undo
//! them; only plugin lifecycle changes and usage figures can lose their last seconds to a power
//! loss. The rule is written out in [`tx`]. PostgreSQL keeps its own server-side guarantees.

mod audit;
mod documents;
mod keys;
mod models;
mod nodes;
mod plugins;
mod tx;
mod usage;
mod users;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use audit::{AuditFilter, NewAuditEvent};
pub use keys::{KeyChanges, KeyRow, NewKey};
pub use models::ModelRow;
pub use nodes::NodeRow;
pub use plugins::PluginStateRow;
pub use tx::Tx;
pub(crate) use tx::on_tx;
pub use usage::UsageRow;
pub use users::{LiveSession, RefreshOutcome, RoleText, SessionRow, UserRow, ms_to_time};
/// A database failure. Callers learn only what they can act on (a unique constraint that a
/// race hit between a check and an insert); everything else is an internal error for the log.
/// No `sqlx` type leaves the store.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct StoreError(#[from] sqlx::Error);

impl StoreError {
    pub fn is_unique_violation(&self) -> bool {
        matches!(&self.0, sqlx::Error::Database(db) if db.is_unique_violation())
    }

    /// The database's disk is full: SQLite's `SQLITE_FULL` (13, or an I/O error that is
    /// `ENOSPC`) or PostgreSQL's `disk_full` (53100). Nothing of the transaction was written.
    pub fn is_disk_full(&self) -> bool {
        match &self.0 {
            sqlx::Error::Database(db) => {
                let code = db.code();
                let code = code.as_deref().unwrap_or("");
                code == "13" || code == "53100" || db.message().contains("database or disk is full")
            }
            sqlx::Error::Io(e) => e.raw_os_error() == Some(28),
            _ => false,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// To a caller of the domain, a database failure is an internal error (logged, never shown).
impl From<StoreError> for crate::error::Error {
    fn from(e: StoreError) -> Self {
        if e.is_disk_full() {
            tracing::error!(error = %e, "the database's disk is full");
            return crate::error::Error::new(
                bkg_core::ErrorCode::StorageFull,
                "the database has no space left on its disk; nothing was changed: free space where the data dir (or PostgreSQL) lives and retry",
            );
        }
        crate::error::Error::internal(e)
    }
}

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A handle to the database. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    /// See [`Store::credentials_epoch`].
    credentials_epoch: Arc<AtomicU64>,
    /// SQLite's write-ahead log (`<file>-wal`), synced after commits that must survive power
    /// loss; `None` for PostgreSQL and an in-memory SQLite.
    wal: Option<Arc<PathBuf>>,
    /// See [`Store::synced_commits`].
    synced_commits: Arc<AtomicU64>,
    /// The node whose plugin state this handle reads and writes (see [`Store::for_node`]).
    node: Arc<str>,
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

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../../migrations/postgres");

impl Store {
    /// Connects and runs pending migrations. `url` is `sqlite://path` or `postgres://...`.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let store = if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // Durable across crashes of bkgd; what must survive power loss is synced by
                // `Tx::commit` (the rule is in `tx`).
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            // Password and key hashes and the audit log live here: private whatever the umask.
            let file = opts.get_filename();
            let wal = if file != std::path::Path::new(":memory:") {
                crate::private_fs::sqlite_files(file)?;
                let mut wal = file.as_os_str().to_owned();
                wal.push("-wal");
                Some(Arc::new(PathBuf::from(wal)))
            } else {
                None
            };
            let pool = SqlitePoolOptions::new().max_connections(8).connect_with(opts).await?;
            SQLITE_MIGRATOR.run(&pool).await?;
            Store {
                pool: Pool::Sqlite(pool),
                credentials_epoch: Arc::default(),
                wal,
                synced_commits: Arc::default(),
                node: "".into(),
            }
        } else {
            let opts = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            POSTGRES_MIGRATOR.run(&pool).await?;
            Store {
                pool: Pool::Postgres(pool),
                credentials_epoch: Arc::default(),
                wal: None,
                synced_commits: Arc::default(),
                node: "".into(),
            }
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

    /// The same database, reading and writing the plugin state of node `id` (plugins run per
    /// node; everything else is shared). Before a node registers, its handle uses node `''`,
    /// where the state of a daemon from before clusters lives.
    pub fn for_node(&self, id: &str) -> Store {
        Store { node: id.into(), ..self.clone() }
    }

    /// The node this handle acts for.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// Checks the database answers (for `/readyz`).
    pub async fn ping(&self) -> StoreResult<()> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
            .map_err(StoreError::from)
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
    //! from `bkg-testkit` (which fails the test when CI expects PostgreSQL and it is missing).

    use super::Store;

    pub struct TestStore {
        pub store: Store,
        _dir: Option<tempfile::TempDir>,
        pub pg: Option<bkg_testkit::PgDatabase>,
    }

    impl TestStore {
        pub async fn drop_db(self) {
            self.store.close().await;
            if let Some(db) = self.pg {
                db.drop().await;
            }
        }
    }

    pub async fn backends() -> Vec<TestStore> {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("bkg.db").display());
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
        let db = bkg_testkit::PgDatabase::create().await?;
        let store = Store::connect(&db.url).await.expect("postgres store");
        Some(TestStore { store, _dir: None, pg: Some(db) })
    }
}

#[cfg(test)]
mod migration_trees {
    //! The SQLite and PostgreSQL migrations are written by hand, side by side. This keeps them
    //! in step: the same files, and the same statements apart from a short list of type
    //! spellings the two databases need.

    use std::path::Path;

    /// `(SQLite, PostgreSQL)`: the only differences allowed between the two trees.
    const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
        ("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"),
        ("BLOB", "BYTEA"),
    ];

    fn statements(path: &Path) -> Vec<String> {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        text.lines()
            .map(|l| l.split("--").next().unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn sqlite_and_postgres_migrations_stay_in_step() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../migrations");
        let (lite, pg) = (root.join("sqlite"), root.join("postgres"));
        assert_eq!(names(&lite), names(&pg), "both trees hold the same migration files");
        for name in names(&lite) {
            let ours = statements(&lite.join(&name));
            let theirs = statements(&pg.join(&name));
            assert_eq!(ours.len(), theirs.len(), "{name}: different number of lines");
            for (a, b) in ours.iter().zip(&theirs) {
                let mapped = KNOWN_DIFFERENCES.iter().fold(a.clone(), |s, (lite, pg)| s.replace(lite, pg));
                assert_eq!(
                    &mapped, b,
                    "{name}: the SQLite line {a:?} and the PostgreSQL line {b:?} differ beyond the known type spellings"
                );
            }
        }
    }
}

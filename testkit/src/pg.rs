//! A fresh PostgreSQL database per test, on the server `BKG_TEST_DATABASE_URL` names.
//!
//! Tests run their store and daemon checks on SQLite always and on PostgreSQL when the variable
//! is set. So that a CI that lost its database cannot stay green by skipping, CI and
//! `make test` also set `BKG_REQUIRE_POSTGRES=1`: then a missing variable fails the test.

/// Whether this run must include PostgreSQL.
pub fn required() -> bool {
    std::env::var("BKG_REQUIRE_POSTGRES").is_ok_and(|v| v == "1" || v == "true")
}

/// The server's URL, or `None` (with a note) when PostgreSQL is not part of this run.
pub fn server_url() -> Option<String> {
    match std::env::var("BKG_TEST_DATABASE_URL").ok().filter(|s| !s.is_empty()) {
        Some(url) => Some(url),
        None if required() => panic!(
            "BKG_REQUIRE_POSTGRES=1 but BKG_TEST_DATABASE_URL is not set: this run must test PostgreSQL \
             (set it to e.g. postgres://postgres@127.0.0.1:5432/postgres)"
        ),
        None => {
            eprintln!("BKG_TEST_DATABASE_URL is not set: this check runs on SQLite only here (CI sets it)");
            None
        }
    }
}

/// A database created for one test; [`PgDatabase::drop`] removes it.
#[derive(Debug)]
pub struct PgDatabase {
    /// Connection URL of the new database.
    pub url: String,
    name: String,
    admin: String,
}

impl PgDatabase {
    /// Creates an empty database, or `None` when PostgreSQL is not part of this run. A server
    /// that is named but cannot be reached always fails the test.
    pub async fn create() -> Option<Self> {
        let admin = server_url()?;
        let name = format!("bkg_test_{}", uuid::Uuid::new_v4().simple());
        let pool = sqlx::PgPool::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("BKG_TEST_DATABASE_URL={admin} is not reachable: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&pool)
            .await
            .expect("create the test database");
        pool.close().await;
        let mut url = url::Url::parse(&admin).expect("BKG_TEST_DATABASE_URL is a URL");
        url.set_path(&name);
        Some(Self { url: url.to_string(), name, admin })
    }

    /// Drops the database, closing whatever still connects to it.
    pub async fn drop(self) {
        let pool = sqlx::PgPool::connect(&self.admin).await.expect("admin connection");
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name)))
            .execute(&pool)
            .await
            .expect("drop the test database");
        pool.close().await;
    }
}

//! The model registry's rows (`models`). The manager in `crate::models` owns the logic; this
//! module only reads and writes rows, in a transaction when an audit row goes with the change.

use super::{Store, StoreResult, Tx, on_pool, on_tx};

/// One row of `models`. `files`, `globs` and `problems` are JSON text.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ModelRow {
    pub id: String,
    pub repo: String,
    pub revision: String,
    pub commit_sha: Option<String>,
    pub source: String,
    pub files: String,
    pub globs: Option<String>,
    pub total_bytes: i64,
    pub done_bytes: i64,
    pub status: String,
    pub error: Option<String>,
    pub snapshot_path: Option<String>,
    pub problems: String,
    pub last_validated_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// `SELECT <every column> FROM models <tail>`, as one static string.
macro_rules! select {
    ($tail:literal) => {
        concat!(
            "SELECT id, repo, revision, commit_sha, source, files, globs, total_bytes, done_bytes, status, ",
            "error, snapshot_path, problems, last_validated_at, created_at, updated_at FROM models ",
            $tail
        )
    };
}

impl Store {
    pub async fn models(&self) -> StoreResult<Vec<ModelRow>> {
        Ok(on_pool!(self, pool => sqlx::query_as(select!("ORDER BY created_at, id")).fetch_all(pool).await?))
    }

    pub async fn model(&self, id: &str) -> StoreResult<Option<ModelRow>> {
        Ok(
            on_pool!(self, pool => sqlx::query_as(select!("WHERE id = $1")).bind(id).fetch_optional(pool).await?),
        )
    }

    pub async fn model_by_revision(&self, repo: &str, revision: &str) -> StoreResult<Option<ModelRow>> {
        Ok(on_pool!(self, pool => {
            sqlx::query_as(select!("WHERE repo = $1 AND revision = $2")).bind(repo).bind(revision).fetch_optional(pool).await?
        }))
    }

    /// Writes a row outside of any other change (progress, status).
    pub async fn save_model(&self, row: &ModelRow) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        tx.save_model(row).await?;
        tx.commit().await
    }
}

impl Tx {
    /// Inserts or replaces the whole row.
    pub async fn save_model(&mut self, r: &ModelRow) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO models (id, repo, revision, commit_sha, source, files, globs, total_bytes, done_bytes,
                                     status, error, snapshot_path, problems, last_validated_at, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                 ON CONFLICT (id) DO UPDATE SET
                    commit_sha = excluded.commit_sha, source = excluded.source, files = excluded.files,
                    globs = excluded.globs, total_bytes = excluded.total_bytes, done_bytes = excluded.done_bytes,
                    status = excluded.status, error = excluded.error, snapshot_path = excluded.snapshot_path,
                    problems = excluded.problems, last_validated_at = excluded.last_validated_at,
                    updated_at = excluded.updated_at",
            )
            .bind(&r.id)
            .bind(&r.repo)
            .bind(&r.revision)
            .bind(&r.commit_sha)
            .bind(&r.source)
            .bind(&r.files)
            .bind(&r.globs)
            .bind(r.total_bytes)
            .bind(r.done_bytes)
            .bind(&r.status)
            .bind(&r.error)
            .bind(&r.snapshot_path)
            .bind(&r.problems)
            .bind(r.last_validated_at)
            .bind(r.created_at)
            .bind(r.updated_at)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    /// Removes the row; `false` when there was none.
    pub async fn delete_model(&mut self, id: &str) -> StoreResult<bool> {
        let n = on_tx!(self, conn => {
            sqlx::query("DELETE FROM models WHERE id = $1").bind(id).execute(conn).await?.rows_affected()
        });
        Ok(n > 0)
    }
}

//! The cluster's shared tables: `nodes` (every bkgd that ran against this database, its
//! heartbeat and a snapshot of its plugins), `secrets` (what every node must share, e.g. the
//! generated JWT signing secret), and the notification that tells the other nodes a credential
//! changed (PostgreSQL `LISTEN/NOTIFY`, see [`Store::watch_credentials`]).

use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::{Pool, Store, StoreResult, Tx, now_ms, on_pool, on_tx};

/// The PostgreSQL channel a commit that changed credentials notifies.
pub(crate) const CREDENTIALS_CHANNEL: &str = "bkg_credentials";

/// One row of `nodes`.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct NodeRow {
    pub id: String,
    pub name: String,
    pub url: String,
    pub version: String,
    pub git_commit: String,
    pub started_at: i64,
    pub heartbeat_at: i64,
    pub stopped_at: Option<i64>,
    /// JSON array of the node's plugins as it last reported them.
    pub plugins: String,
}

impl Store {
    /// Registers (or re-registers, after a restart) this node. The first node to register on a
    /// database that a single daemon used before adopts that daemon's plugin state. Fails when
    /// another node that is still alive (a heartbeat within `alive_ms`) has the same name.
    pub async fn register_node(&self, node: &NodeRow, alive_ms: i64) -> StoreResult<Result<(), NodeRow>> {
        let mut tx = self.begin().await?;
        let others: Vec<NodeRow> = on_tx!(tx, conn => {
            sqlx::query_as("SELECT * FROM nodes WHERE id <> $1").bind(&node.id).fetch_all(conn).await?
        });
        if let Some(taken) = others.iter().find(|o| {
            o.name == node.name && o.stopped_at.is_none() && node.heartbeat_at - o.heartbeat_at < alive_ms
        }) {
            return Ok(Err(taken.clone()));
        }
        if others.is_empty() {
            on_tx!(tx, conn => {
                sqlx::query("UPDATE plugin_state SET node_id = $1 WHERE node_id = ''")
                    .bind(&node.id)
                    .execute(conn)
                    .await?;
            });
        }
        on_tx!(tx, conn => {
            sqlx::query(
                "INSERT INTO nodes (id, name, url, version, git_commit, started_at, heartbeat_at, stopped_at, plugins)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url,
                   version = excluded.version, git_commit = excluded.git_commit,
                   started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at,
                   stopped_at = NULL, plugins = excluded.plugins",
            )
            .bind(&node.id)
            .bind(&node.name)
            .bind(&node.url)
            .bind(&node.version)
            .bind(&node.git_commit)
            .bind(node.started_at)
            .bind(node.heartbeat_at)
            .bind(&node.plugins)
            .execute(conn)
            .await?;
        });
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// The node is alive; `plugins` is its plugin list as JSON.
    pub async fn node_heartbeat(&self, id: &str, plugins: &str) -> StoreResult<()> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE nodes SET heartbeat_at = $2, plugins = $3, stopped_at = NULL WHERE id = $1")
                .bind(id)
                .bind(now_ms())
                .bind(plugins)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The node shut down cleanly (its plugins are stopped).
    pub async fn node_stopped(&self, id: &str, plugins: &str) -> StoreResult<()> {
        let now = now_ms();
        on_pool!(self, pool => {
            sqlx::query("UPDATE nodes SET heartbeat_at = $2, stopped_at = $2, plugins = $3 WHERE id = $1")
                .bind(id)
                .bind(now)
                .bind(plugins)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Every node, by name.
    pub async fn nodes(&self) -> StoreResult<Vec<NodeRow>> {
        Ok(on_pool!(self, pool => {
            sqlx::query_as("SELECT * FROM nodes ORDER BY name, id").fetch_all(pool).await?
        }))
    }

    /// The shared secret `name`: the one stored, or else `candidate`, stored now. Every node
    /// gets the same bytes, whichever came first.
    pub async fn shared_secret(&self, name: &str, candidate: &[u8]) -> StoreResult<Vec<u8>> {
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
                .bind(name)
                .bind(candidate)
                .bind(now_ms())
                .execute(pool)
                .await?;
            let (value,): (Vec<u8>,) =
                sqlx::query_as("SELECT value FROM secrets WHERE name = $1").bind(name).fetch_one(pool).await?;
            Ok(value)
        })
    }

    /// On PostgreSQL, listens for credential changes committed by any node (another bkgd on the
    /// same database) and moves [`Store::credentials_epoch`] on for each, so this node's
    /// credential cache drops what it holds at once. When the listening connection is lost,
    /// the epoch moves on too (notifications may have been missed) and it reconnects; the
    /// cache's own freshness bound (1 s) covers the time in between. On SQLite there is no
    /// other node: nothing to do.
    pub fn watch_credentials(&self, token: CancellationToken) -> Option<tokio::task::JoinHandle<()>> {
        let Pool::Postgres(pool) = &self.pool else { return None };
        let pool = pool.clone();
        let epoch = self.credentials_epoch.clone();
        Some(tokio::spawn(async move {
            let mut backoff = Duration::from_millis(100);
            while !token.is_cancelled() {
                let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
                    Ok(l) => l,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen for credential changes; retrying");
                        tokio::select! {
                            _ = token.cancelled() => return,
                            _ = tokio::time::sleep(backoff) => {}
                        }
                        backoff = (backoff * 2).min(Duration::from_secs(5));
                        continue;
                    }
                };
                if let Err(e) = listener.listen(CREDENTIALS_CHANNEL).await {
                    tracing::warn!(error = %e, "cannot listen for credential changes; retrying");
                    tokio::select! {
                        _ = token.cancelled() => return,
                        _ = tokio::time::sleep(backoff) => {}
                    }
                    continue;
                }
                backoff = Duration::from_millis(100);
                // Whatever changed while nobody listened is unknown: trust nothing cached.
                epoch.fetch_add(1, Ordering::AcqRel);
                loop {
                    let got = tokio::select! {
                        _ = token.cancelled() => return,
                        got = listener.try_recv() => got,
                    };
                    match got {
                        Ok(Some(_)) => {
                            epoch.fetch_add(1, Ordering::AcqRel);
                        }
                        // The connection was lost and is back: changes in between were missed.
                        Ok(None) => {
                            epoch.fetch_add(1, Ordering::AcqRel);
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "lost the credential-change listener; reconnecting");
                            epoch.fetch_add(1, Ordering::AcqRel);
                            break;
                        }
                    }
                }
            }
        }))
    }
}

impl Tx {
    /// On PostgreSQL, tells every node listening that this transaction changes credentials
    /// (delivered when it commits, not at all if it rolls back).
    pub(crate) async fn notify_credentials(&mut self) -> StoreResult<()> {
        if let super::tx::TxConn::Postgres(t) = &mut self.conn {
            sqlx::query("SELECT pg_notify($1, '')").bind(CREDENTIALS_CHANNEL).execute(&mut **t).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{backends, pg_database};
    use bkg_core::plugin::DesiredState;

    fn node(id: &str, name: &str, heartbeat_at: i64) -> NodeRow {
        NodeRow {
            id: id.into(),
            name: name.into(),
            url: format!("http://{name}:8420"),
            version: "0.2.0".into(),
            git_commit: "abc".into(),
            started_at: heartbeat_at,
            heartbeat_at,
            stopped_at: None,
            plugins: "[]".into(),
        }
    }

    #[tokio::test]
    async fn nodes_register_beat_stop_and_adopt_a_single_daemons_plugins() {
        for t in backends().await {
            let s = &t.store;
            // A daemon from before clusters left its plugin state under node ''.
            s.set_desired_state("p", DesiredState::Running, None).await.unwrap();
            let now = now_ms();
            s.register_node(&node("a", "alpha", now), 15_000).await.unwrap().unwrap();
            let a = s.for_node("a");
            assert_eq!(a.plugin_states().await.unwrap().len(), 1, "the first node adopts it");
            // A second node starts with none; its name must not be taken by a live node.
            let taken = s.register_node(&node("b", "alpha", now), 15_000).await.unwrap().unwrap_err();
            assert_eq!(taken.id, "a");
            s.register_node(&node("b", "beta", now), 15_000).await.unwrap().unwrap();
            assert!(s.for_node("b").plugin_states().await.unwrap().is_empty());
            s.node_heartbeat("b", r#"[{"id":"x"}]"#).await.unwrap();
            s.node_stopped("a", "[]").await.unwrap();
            let rows = s.nodes().await.unwrap();
            assert_eq!(rows.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(), ["alpha", "beta"]);
            assert!(rows[0].stopped_at.is_some() && rows[1].stopped_at.is_none());
            assert_eq!(rows[1].plugins, r#"[{"id":"x"}]"#);
            // A stopped node's name is free again; its own restart re-registers it.
            s.register_node(&node("a", "alpha", now_ms()), 15_000).await.unwrap().unwrap();
            assert!(s.nodes().await.unwrap()[0].stopped_at.is_none());
            t.drop_db().await;
        }
    }

    #[tokio::test]
    async fn a_shared_secret_is_the_first_nodes() {
        for t in backends().await {
            let first = t.store.shared_secret("jwt", b"first-candidate").await.unwrap();
            let second = t.store.shared_secret("jwt", b"second-candidate").await.unwrap();
            assert_eq!(first, b"first-candidate");
            assert_eq!(second, first);
            t.drop_db().await;
        }
    }

    /// A credential change committed through one store handle (one node) moves the epoch of
    /// another handle on the same PostgreSQL database (another node) without any read.
    #[tokio::test]
    async fn a_credential_change_on_one_node_reaches_the_other() {
        let Some(t) = pg_database().await else { return };
        let url = t.pg.as_ref().unwrap().url.clone();
        let other = Store::connect(&url).await.unwrap();
        let token = CancellationToken::new();
        let watcher = other.watch_credentials(token.clone()).unwrap();
        // The listener's first step moves the epoch on; wait for it so the next move is ours.
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while other.credentials_epoch() == 0 {
            assert!(std::time::Instant::now() < deadline, "the listener did not start");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let before = other.credentials_epoch();
        let mut tx = t.store.begin().await.unwrap();
        tx.changes_credentials();
        tx.commit().await.unwrap();
        while other.credentials_epoch() == before {
            assert!(std::time::Instant::now() < deadline, "no notification arrived");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        token.cancel();
        let _ = watcher.await;
        other.close().await;
        t.drop_db().await;
    }
}

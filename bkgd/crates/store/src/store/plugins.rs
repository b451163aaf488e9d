//! Persisted plugin state: the desired state and the config of every plugin.

use bkg_core::plugin::DesiredState;
use serde_json::Value;

use super::{NewAuditEvent, Store, StoreResult, Tx, now_ms, on_pool, on_tx};

#[derive(Debug, Clone, PartialEq)]
pub struct PluginStateRow {
    pub plugin_id: String,
    pub desired: DesiredState,
    pub config: Option<Value>,
}

#[derive(sqlx::FromRow)]
struct Row {
    plugin_id: String,
    desired: String,
    config: Option<String>,
}

impl Store {
    /// Every plugin's persisted state on this handle's node.
    pub async fn plugin_states(&self) -> StoreResult<Vec<PluginStateRow>> {
        let rows: Vec<Row> = on_pool!(self, pool => {
            sqlx::query_as("SELECT plugin_id, desired, config FROM plugin_state WHERE node_id = $1 ORDER BY plugin_id")
                .bind(&*self.node)
                .fetch_all(pool)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| PluginStateRow {
                plugin_id: r.plugin_id,
                desired: if r.desired == "running" { DesiredState::Running } else { DesiredState::Stopped },
                config: r.config.and_then(|c| serde_json::from_str(&c).ok()),
            })
            .collect())
    }

    /// Persists the desired state, with the audit row of whoever asked, in one transaction.
    pub async fn set_desired_state(
        &self,
        plugin_id: &str,
        desired: DesiredState,
        audit: Option<&NewAuditEvent>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        tx.set_desired_state(plugin_id, desired).await?;
        if let Some(a) = audit {
            tx.audit(a).await?;
        }
        tx.commit().await
    }

    /// Persists a plugin's config, with its audit row, in one transaction.
    pub async fn set_plugin_config(
        &self,
        plugin_id: &str,
        config: &Value,
        audit: Option<&NewAuditEvent>,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        tx.set_plugin_config(plugin_id, config).await?;
        if let Some(a) = audit {
            tx.audit(a).await?;
        }
        tx.commit().await
    }
}

impl Tx {
    pub async fn set_desired_state(&mut self, plugin_id: &str, desired: DesiredState) -> StoreResult<()> {
        let desired = match desired {
            DesiredState::Running => "running",
            DesiredState::Stopped => "stopped",
        };
        self.lifecycle();
        on_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO plugin_state (node_id, plugin_id, desired, updated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (node_id, plugin_id) DO UPDATE SET desired = excluded.desired, updated_at = excluded.updated_at",
            )
            .bind(&*self.node)
            .bind(plugin_id)
            .bind(desired)
            .bind(now_ms())
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    pub async fn set_plugin_config(&mut self, plugin_id: &str, config: &Value) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO plugin_state (node_id, plugin_id, desired, config, updated_at) VALUES ($1, $2, 'stopped', $3, $4)
                 ON CONFLICT (node_id, plugin_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at",
            )
            .bind(&*self.node)
            .bind(plugin_id)
            .bind(config.to_string())
            .bind(now_ms())
            .execute(conn)
            .await?;
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::backends;

    #[tokio::test]
    async fn desired_state_and_config_round_trip() {
        for t in backends().await {
            let s = &t.store;
            assert!(s.plugin_states().await.unwrap().is_empty());
            s.set_desired_state("a", DesiredState::Running, None).await.unwrap();
            s.set_plugin_config("a", &serde_json::json!({"x": 1}), None).await.unwrap();
            s.set_plugin_config("b", &serde_json::json!({"y": 2}), None).await.unwrap();
            s.set_desired_state("a", DesiredState::Stopped, None).await.unwrap();
            let audit = NewAuditEvent { action: "plugin.start".into(), success: true, ..Default::default() };
            s.set_desired_state("a", DesiredState::Running, Some(&audit)).await.unwrap();
            let events =
                s.audit_events(&crate::store::AuditFilter { limit: 10, ..Default::default() }).await.unwrap();
            assert_eq!(events.len(), 1);
            let rows = s.plugin_states().await.unwrap();
            assert_eq!(rows.len(), 2, "{}", s.backend());
            assert_eq!(rows[0].desired, DesiredState::Running);
            assert_eq!(rows[0].config, Some(serde_json::json!({"x": 1})));
            assert_eq!(rows[1].desired, DesiredState::Stopped);
            // Plugins run per node: another node's handle sees none of it, and its own writes
            // stay its own.
            let other = s.for_node("node-b");
            assert!(other.plugin_states().await.unwrap().is_empty());
            other.set_desired_state("a", DesiredState::Stopped, None).await.unwrap();
            assert_eq!(s.plugin_states().await.unwrap()[0].desired, DesiredState::Running);
            assert_eq!(other.plugin_states().await.unwrap()[0].desired, DesiredState::Stopped);
            t.drop_db().await;
        }
    }
}

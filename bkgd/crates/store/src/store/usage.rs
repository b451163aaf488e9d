//! Usage rollups (`usage_hourly`): counts added by upsert, read back by time range, pruned
//! past the retention.

use super::{Store, StoreResult, on_pool, on_tx};

/// One series of one hour. Dimensions that do not apply to the metric are empty strings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, sqlx::FromRow)]
pub struct UsageRow {
    /// Start of the hour, Unix milliseconds.
    pub hour: i64,
    pub metric: String,
    pub plugin: String,
    pub capability: String,
    pub outcome: String,
    pub latency: String,
    pub count: i64,
}

impl Store {
    /// Adds every row's count to its series, in one transaction.
    pub async fn add_usage(&self, rows: &[UsageRow]) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        for r in rows {
            on_tx!(&mut tx, conn => {
                sqlx::query(
                    "INSERT INTO usage_hourly (hour, metric, plugin, capability, outcome, latency, count)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (hour, metric, plugin, capability, outcome, latency)
                     DO UPDATE SET count = usage_hourly.count + excluded.count",
                )
                .bind(r.hour)
                .bind(&r.metric)
                .bind(&r.plugin)
                .bind(&r.capability)
                .bind(&r.outcome)
                .bind(&r.latency)
                .bind(r.count)
                .execute(conn)
                .await?;
            });
        }
        tx.commit().await
    }

    /// Rows with `since <= hour < until`, optionally of one plugin and metric, oldest first.
    pub async fn usage(
        &self,
        since: i64,
        until: i64,
        plugin: Option<&str>,
        metric: Option<&str>,
    ) -> StoreResult<Vec<UsageRow>> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT hour, metric, plugin, capability, outcome, latency, count FROM usage_hourly
                 WHERE hour >= $1 AND hour < $2 AND ($3 IS NULL OR plugin = $3) AND ($4 IS NULL OR metric = $4)
                 ORDER BY hour, metric, plugin, capability, outcome, latency",
            )
            .bind(since)
            .bind(until)
            .bind(plugin)
            .bind(metric)
            .fetch_all(pool)
            .await
        }).map_err(super::StoreError::from)
    }

    /// Deletes the rollups of hours before `before`; returns how many rows went.
    pub async fn prune_usage(&self, before: i64) -> StoreResult<u64> {
        on_pool!(self, pool => {
            Ok(sqlx::query("DELETE FROM usage_hourly WHERE hour < $1").bind(before).execute(pool).await?.rows_affected())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::backends;

    fn row(hour: i64, metric: &str, plugin: &str, count: i64) -> UsageRow {
        UsageRow {
            hour,
            metric: metric.into(),
            plugin: plugin.into(),
            capability: "chat".into(),
            outcome: "success".into(),
            latency: "lt1s".into(),
            count,
        }
    }

    #[tokio::test]
    async fn counts_add_up_filter_and_prune() {
        for t in backends().await {
            let s = &t.store;
            let h = 3_600_000;
            s.add_usage(&[row(h, "invocations", "llm", 2), row(2 * h, "tokens", "llm", 40)]).await.unwrap();
            s.add_usage(&[row(h, "invocations", "llm", 3), row(h, "invocations", "other", 1)]).await.unwrap();
            let all = s.usage(0, 10 * h, None, None).await.unwrap();
            assert_eq!(all.len(), 3, "{}", s.backend());
            assert_eq!(all[0], row(h, "invocations", "llm", 5), "the upsert adds");
            let llm = s.usage(0, 10 * h, Some("llm"), None).await.unwrap();
            assert_eq!(llm.iter().map(|r| r.count).sum::<i64>(), 45);
            let tokens = s.usage(0, 10 * h, None, Some("tokens")).await.unwrap();
            assert_eq!(tokens, [row(2 * h, "tokens", "llm", 40)]);
            assert!(s.usage(2 * h + 1, 10 * h, None, None).await.unwrap().is_empty(), "until is exclusive");
            assert_eq!(s.prune_usage(2 * h).await.unwrap(), 2);
            assert_eq!(s.usage(0, 10 * h, None, None).await.unwrap().len(), 1);
            t.drop_db().await;
        }
    }
}

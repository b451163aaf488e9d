//! Audit events: rows of `analytics_events` with kind `audit`, written inside the transaction
//! of the change they record, and queried newest first with filters and keyset paging.

use bkg_core::auth::AuditEvent;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

use super::{Store, StoreResult, Tx, now_ms, on_pool, on_tx};

/// An event to record. `details` must never hold a secret.
#[derive(Debug, Clone, Default)]
pub struct NewAuditEvent {
    pub action: String,
    pub actor: Option<String>,
    pub target: Option<String>,
    /// `true`: `success`; `false`: `failure`.
    pub success: bool,
    pub ip: Option<String>,
    pub details: Value,
}

/// Filters of an audit query, already parsed.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    /// An exact action, or a prefix when it ends in `.`.
    pub action: Option<String>,
    pub target: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub before: Option<i64>,
    pub limit: u32,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    ts: i64,
    action: String,
    actor: Option<String>,
    target: Option<String>,
    outcome: String,
    ip: Option<String>,
    details: String,
}

impl Tx {
    /// Records an audit event in this transaction.
    pub async fn audit(&mut self, e: &NewAuditEvent) -> StoreResult<()> {
        let details = if e.details.is_null() { "{}".to_string() } else { e.details.to_string() };
        self.audited();
        on_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO analytics_events (ts, kind, action, actor, target, outcome, ip, details)
                 VALUES ($1, 'audit', $2, $3, $4, $5, $6, $7)",
            )
            .bind(now_ms())
            .bind(&e.action)
            .bind(&e.actor)
            .bind(&e.target)
            .bind(if e.success { "success" } else { "failure" })
            .bind(&e.ip)
            .bind(details)
            .execute(conn)
            .await?;
        });
        Ok(())
    }
}

impl Store {
    /// Records an event that is not part of another change (e.g. a failed login).
    pub async fn audit(&self, e: &NewAuditEvent) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        tx.audit(e).await?;
        tx.commit().await
    }

    /// Audit events matching `f`, newest first.
    pub async fn audit_events(&self, f: &AuditFilter) -> StoreResult<Vec<AuditEvent>> {
        // Absent filters bind as NULL and match everything.
        let (action_exact, action_prefix) = match &f.action {
            Some(a) if a.ends_with('.') => (None, Some(format!("{a}%"))),
            Some(a) => (Some(a.clone()), None),
            None => (None, None),
        };
        let sql = "SELECT id, ts, action, actor, target, outcome, ip, details FROM analytics_events
                   WHERE kind = 'audit'
                     AND ($1 IS NULL OR actor = $1)
                     AND ($2 IS NULL OR action = $2)
                     AND ($3 IS NULL OR action LIKE $3)
                     AND ($4 IS NULL OR target = $4)
                     AND ($5 IS NULL OR ts >= $5)
                     AND ($6 IS NULL OR ts <= $6)
                     AND ($7 IS NULL OR id < $7)
                   ORDER BY id DESC LIMIT $8";
        let rows: Vec<Row> = on_pool!(self, pool => {
            sqlx::query_as(sql)
                .bind(&f.actor)
                .bind(&action_exact)
                .bind(&action_prefix)
                .bind(&f.target)
                .bind(f.since.map(|t| t.timestamp_millis()))
                .bind(f.until.map(|t| t.timestamp_millis()))
                .bind(f.before)
                .bind(f.limit.clamp(1, 1000) as i64)
                .fetch_all(pool)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| AuditEvent {
                id: r.id,
                ts: Utc.timestamp_millis_opt(r.ts).single().unwrap_or_default(),
                action: r.action,
                actor: r.actor,
                target: r.target,
                outcome: r.outcome,
                ip: r.ip,
                details: serde_json::from_str(&r.details).unwrap_or(Value::Null),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::backends;

    fn ev(action: &str, actor: &str) -> NewAuditEvent {
        NewAuditEvent {
            action: action.into(),
            actor: Some(actor.into()),
            target: Some("t1".into()),
            success: true,
            ip: Some("127.0.0.1".into()),
            details: serde_json::json!({"n": 1}),
        }
    }

    #[tokio::test]
    async fn events_commit_with_their_transaction_and_filter() {
        for t in backends().await {
            let s = &t.store;
            s.audit(&ev("auth.login", "ann")).await.unwrap();
            let mut tx = s.begin().await.unwrap();
            tx.audit(&ev("key.create", "ann")).await.unwrap();
            tx.audit(&ev("key.rotate", "bob")).await.unwrap();
            tx.commit().await.unwrap();
            // A rolled-back transaction leaves no event.
            let mut tx = s.begin().await.unwrap();
            tx.audit(&ev("user.delete", "bob")).await.unwrap();
            drop(tx);

            let all = s.audit_events(&AuditFilter { limit: 100, ..Default::default() }).await.unwrap();
            assert_eq!(
                all.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
                ["key.rotate", "key.create", "auth.login"],
                "{}",
                s.backend()
            );
            assert_eq!(all[0].details, serde_json::json!({"n": 1}));
            let keys = s
                .audit_events(&AuditFilter { action: Some("key.".into()), limit: 100, ..Default::default() })
                .await
                .unwrap();
            assert_eq!(keys.len(), 2);
            let ann = s
                .audit_events(&AuditFilter { actor: Some("ann".into()), limit: 100, ..Default::default() })
                .await
                .unwrap();
            assert_eq!(ann.len(), 2);
            let page = s.audit_events(&AuditFilter { limit: 1, ..Default::default() }).await.unwrap();
            let older = s
                .audit_events(&AuditFilter { limit: 10, before: Some(page[0].id), ..Default::default() })
                .await
                .unwrap();
            assert_eq!(older.len(), 2);
            let future = s
                .audit_events(&AuditFilter {
                    since: Some(Utc::now() + chrono::Duration::hours(1)),
                    limit: 10,
                    ..Default::default()
                })
                .await
                .unwrap();
            assert!(future.is_empty());
            t.drop_db().await;
        }
    }
}

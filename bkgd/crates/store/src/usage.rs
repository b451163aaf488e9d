//! Usage analytics: counts what the daemon does (invocations per plugin and capability with
//! outcome and latency bucket, tokens generated, embeddings computed, model downloads, logins)
//! in memory, and adds them to hourly rollups in the store (`usage_hourly`) every
//! `analytics.flush_interval_ms`, at shutdown, and before every read; rollups older than
//! `analytics.retention_days` are deleted once an hour.
//!
//! Recording is a hash-map update under a short lock, so the hot paths (invocations) never wait
//! for the database. A read flushes first under the same lock as the periodic flush, so an
//! answer always includes everything recorded before the request.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use bkg_core::analytics::{LatencyBucket, UsageInterval, UsageMetric, UsagePoint, UsageReport};
use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::config::AnalyticsConfig;
use crate::store::{Store, UsageRow, ms_to_time, now_ms};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    hour: i64,
    metric: UsageMetric,
    plugin: String,
    capability: String,
    outcome: &'static str,
    latency: &'static str,
}

impl Key {
    /// A daemon-wide event (no plugin, capability or latency), now.
    fn daemon(metric: UsageMetric, outcome: &'static str) -> Self {
        Key { hour: now_ms(), metric, plugin: String::new(), capability: String::new(), outcome, latency: "" }
    }
}

#[derive(Debug)]
pub struct Usage {
    store: Store,
    cfg: AnalyticsConfig,
    pending: Mutex<HashMap<Key, i64>>,
    /// Serialises flushes, so a read that flushed sees every earlier record committed.
    flushing: tokio::sync::Mutex<()>,
    /// Told when a record arrives with nothing pending: the flusher sleeps until then, so an
    /// idle daemon has no usage timer.
    recorded: tokio::sync::Notify,
}

fn outcome(ok: bool) -> &'static str {
    if ok { "success" } else { "failure" }
}

impl Usage {
    pub fn new(store: Store, cfg: &AnalyticsConfig) -> Arc<Self> {
        Arc::new(Self {
            store,
            cfg: cfg.clone(),
            pending: Mutex::new(HashMap::new()),
            flushing: tokio::sync::Mutex::new(()),
            recorded: tokio::sync::Notify::new(),
        })
    }

    /// Counts `n` for the series of `key`, in the hour `key.hour` (a time in ms) falls in.
    fn add(&self, mut key: Key, n: i64) {
        key.hour -= key.hour.rem_euclid(HOUR_MS);
        let mut pending = self.pending.lock();
        let first = pending.is_empty();
        *pending.entry(key).or_insert(0) += n;
        drop(pending);
        if first {
            self.recorded.notify_one();
        }
    }

    /// One finished invocation. A successful result that reports `completionTokens` counts as
    /// tokens generated, one with an `embeddings` array as that many embeddings computed.
    pub fn invocation(
        &self,
        plugin: &str,
        capability: &str,
        ok: bool,
        elapsed: Duration,
        output: Option<&Value>,
    ) {
        let key = |metric, outcome, latency| Key {
            hour: now_ms(),
            metric,
            plugin: plugin.to_string(),
            capability: capability.to_string(),
            outcome,
            latency,
        };
        let bucket = LatencyBucket::of(elapsed.as_secs_f64() * 1000.0).as_str();
        self.add(key(UsageMetric::Invocations, outcome(ok), bucket), 1);
        let Some(out) = output.filter(|_| ok) else { return };
        if let Some(tokens) = out.get("completionTokens").and_then(Value::as_u64).filter(|t| *t > 0) {
            self.add(key(UsageMetric::Tokens, "", ""), tokens as i64);
        }
        if let Some(vectors) = out.get("embeddings").and_then(Value::as_array).filter(|v| !v.is_empty()) {
            self.add(key(UsageMetric::Embeddings, "", ""), vectors.len() as i64);
        }
    }

    /// A model download that ended: ready (`ok`), or failed or invalid.
    pub fn download(&self, ok: bool) {
        self.add(Key::daemon(UsageMetric::ModelDownloads, outcome(ok)), 1);
    }

    /// A password login attempt.
    pub fn login(&self, ok: bool) {
        self.add(Key::daemon(UsageMetric::Logins, outcome(ok)), 1);
    }

    /// Adds what was recorded to the rollups. On a database error the counts stay pending.
    pub async fn flush(&self) -> crate::store::StoreResult<()> {
        let _one = self.flushing.lock().await;
        let taken = std::mem::take(&mut *self.pending.lock());
        let rows: Vec<UsageRow> = taken
            .iter()
            .map(|(k, n)| UsageRow {
                hour: k.hour,
                metric: k.metric.as_str().into(),
                plugin: k.plugin.clone(),
                capability: k.capability.clone(),
                outcome: k.outcome.into(),
                latency: k.latency.into(),
                count: *n,
            })
            .collect();
        if let Err(e) = self.store.add_usage(&rows).await {
            let mut pending = self.pending.lock();
            for (k, n) in taken {
                *pending.entry(k).or_insert(0) += n;
            }
            return Err(e);
        }
        Ok(())
    }

    /// Deletes rollups of hours that ended more than `retention_days` before `now`.
    pub async fn prune(&self, now: i64) -> crate::store::StoreResult<u64> {
        let keep = i64::from(self.cfg.retention_days) * DAY_MS;
        self.store.prune_usage(now - now.rem_euclid(HOUR_MS) - keep).await
    }

    /// Flushes what was recorded one interval after the first record (one write for all that
    /// arrives meanwhile; again after another interval if the database refused it), and prunes
    /// at start and every hour, until `shutdown` (the daemon flushes once more after its
    /// plugins stopped). Nothing recorded, nothing scheduled but the hourly prune.
    pub async fn run(self: Arc<Self>, shutdown: CancellationToken) {
        let interval = Duration::from_millis(self.cfg.flush_interval_ms);
        let hour = Duration::from_millis(HOUR_MS as u64);
        // None until the first prune, which happens at once.
        let mut pruned_at: Option<tokio::time::Instant> = None;
        loop {
            let prune_due = pruned_at.map_or(Duration::ZERO, |at| hour.saturating_sub(at.elapsed()));
            tokio::select! {
                () = self.recorded.notified() => {
                    tokio::select! {
                        () = tokio::time::sleep(interval) => {}
                        () = shutdown.cancelled() => return,
                    }
                    if let Err(e) = self.flush().await {
                        tracing::warn!(error = %e, "cannot store usage analytics; keeping them for the next try");
                        self.recorded.notify_one();
                    }
                }
                () = tokio::time::sleep(prune_due) => {
                    pruned_at = Some(tokio::time::Instant::now());
                    match self.prune(now_ms()).await {
                        Ok(0) => {}
                        Ok(n) => tracing::debug!(rows = n, "pruned old usage analytics"),
                        Err(e) => tracing::warn!(error = %e, "cannot prune usage analytics"),
                    }
                }
                () = shutdown.cancelled() => return,
            }
        }
    }

    /// The rollups in `[since, until)`, in hourly or daily buckets, oldest first.
    pub async fn report(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        interval: UsageInterval,
        plugin: Option<&str>,
        metric: Option<UsageMetric>,
    ) -> crate::store::StoreResult<UsageReport> {
        self.flush().await?;
        let width = match interval {
            UsageInterval::Hour => HOUR_MS,
            UsageInterval::Day => DAY_MS,
        };
        let (from, to) = (since.timestamp_millis(), until.timestamp_millis());
        // Whole buckets: the one `since` falls in, up to the one `until` falls in.
        let rows = self
            .store
            .usage(from - from.rem_euclid(width), to, plugin, metric.map(UsageMetric::as_str))
            .await?;
        let mut merged: BTreeMap<(i64, UsageMetric, String, String, String, String), i64> = BTreeMap::new();
        for r in rows {
            let Ok(m) = r.metric.parse::<UsageMetric>() else { continue };
            let bucket = r.hour - r.hour.rem_euclid(width);
            *merged.entry((bucket, m, r.plugin, r.capability, r.outcome, r.latency)).or_insert(0) += r.count;
        }
        let some = |s: String| Some(s).filter(|s| !s.is_empty());
        let points = merged
            .into_iter()
            .map(|((ts, metric, plugin, capability, outcome, latency), count)| UsagePoint {
                ts: ms_to_time(ts),
                metric,
                plugin: some(plugin),
                capability: some(capability),
                outcome: some(outcome),
                latency: LatencyBucket::parse(&latency),
                count: count.max(0) as u64,
            })
            .collect();
        Ok(UsageReport { since, until, interval, retention_days: self.cfg.retention_days, points })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::backends;
    use serde_json::json;

    /// The report of the last `hours` (up to a second from now).
    async fn last(usage: &Usage, hours: i64, interval: UsageInterval, plugin: Option<&str>) -> UsageReport {
        let now = Utc::now();
        let since = now - chrono::Duration::hours(hours);
        usage.report(since, now + chrono::Duration::seconds(1), interval, plugin, None).await.unwrap()
    }

    fn count(r: &UsageReport, m: UsageMetric, f: impl Fn(&UsagePoint) -> bool) -> u64 {
        r.points.iter().filter(|p| p.metric == m && f(p)).map(|p| p.count).sum()
    }

    #[tokio::test]
    async fn records_roll_up_by_hour_and_day_and_prune() {
        for t in backends().await {
            let cfg = AnalyticsConfig { retention_days: 1, ..AnalyticsConfig::default() };
            let usage = Usage::new(t.store.clone(), &cfg);
            let ms = Duration::from_millis;
            usage.invocation("llm", "chat", true, ms(250), Some(&json!({"completionTokens": 7})));
            usage.invocation("llm", "chat", true, ms(300), Some(&json!({"completionTokens": 5})));
            usage.invocation("llm", "chat", false, ms(3), None);
            usage.invocation("llm", "embeddings", true, ms(20), Some(&json!({"embeddings": [[1.0], [2.0]]})));
            usage.login(true);
            usage.login(false);
            usage.download(true);
            let hourly = last(&usage, 1, UsageInterval::Hour, None).await;
            let success = |p: &UsagePoint| p.outcome.as_deref() == Some("success");
            let failure = |p: &UsagePoint| p.outcome.as_deref() == Some("failure");
            assert_eq!(count(&hourly, UsageMetric::Invocations, success), 3, "{}", t.store.backend());
            assert_eq!(
                count(&hourly, UsageMetric::Invocations, |p| p.latency == Some(LatencyBucket::Lt1s)),
                2
            );
            assert_eq!(count(&hourly, UsageMetric::Invocations, failure), 1);
            assert_eq!(count(&hourly, UsageMetric::Tokens, |p| p.capability.as_deref() == Some("chat")), 12);
            assert_eq!(count(&hourly, UsageMetric::Embeddings, |_| true), 2);
            assert_eq!(count(&hourly, UsageMetric::Logins, failure), 1);
            assert_eq!(count(&hourly, UsageMetric::ModelDownloads, |p| p.plugin.is_none()), 1);

            // Recorded again after a flush: the same series add up; a day bucket holds both.
            usage.login(true);
            let daily = last(&usage, 7 * 24, UsageInterval::Day, None).await;
            assert_eq!(count(&daily, UsageMetric::Logins, success), 2);
            assert!(daily.points.iter().all(|p| p.ts.timestamp_millis() % DAY_MS == 0));
            let only = last(&usage, 1, UsageInterval::Hour, Some("llm")).await;
            assert!(
                !only.points.is_empty() && only.points.iter().all(|p| p.plugin.as_deref() == Some("llm"))
            );

            // With a retention of one day, everything is gone two days later.
            assert!(usage.prune(now_ms() + 2 * DAY_MS).await.unwrap() > 0);
            assert!(last(&usage, 1, UsageInterval::Hour, None).await.points.is_empty());
            t.drop_db().await;
        }
    }

    /// The background flusher writes a record without a read asking for it, and twice for
    /// records that come after a flush.
    #[tokio::test]
    async fn the_flusher_writes_what_was_recorded() {
        for t in backends().await {
            let cfg = AnalyticsConfig { flush_interval_ms: 10, ..AnalyticsConfig::default() };
            let usage = Usage::new(t.store.clone(), &cfg);
            let shutdown = CancellationToken::new();
            let task = tokio::spawn(usage.clone().run(shutdown.clone()));
            let stored = || async {
                let rows = t.store.usage(0, now_ms() + HOUR_MS, None, None).await.unwrap();
                rows.iter().filter(|r| r.metric == UsageMetric::Logins.as_str()).map(|r| r.count).sum::<i64>()
            };
            for want in [1, 2] {
                usage.login(true);
                let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
                while stored().await < want {
                    assert!(tokio::time::Instant::now() < deadline, "{}: not flushed", t.store.backend());
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
            shutdown.cancel();
            task.await.unwrap();
            t.drop_db().await;
        }
    }
}

//! The event hub: fans status, telemetry and log events out to WebSocket connections.
//!
//! Each connection owns a queue with a budget of `ws.queue_events` (a log line counts one, as
//! does a status or telemetry event). Publishing never blocks and never waits for a client:
//! when a connection's budget is spent, the event is dropped *for that connection only* and
//! counted. The client is told at the place of the gap: the next event accepted after a drop is
//! preceded by a `lagged` notice with the count (and, for logs, the last missed seq, so it can
//! backfill); a gap at the end is reported once the queue has drained. Memory per connection is
//! thereby bounded, and a slow client never slows the daemon or the other clients.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use bkg_core::logs::LogLevel;
use bkg_core::plugin::PluginStatus;
use bkg_core::telemetry::TelemetrySample;
use bkg_core::ws::Topic;
use parking_lot::{Mutex, RwLock};
use tokio::sync::mpsc;

use crate::logs::{LogBatch, LogFanout, LogFollower};

/// One event on its way to one connection.
#[derive(Debug, Clone)]
pub enum Event {
    Status(Arc<PluginStatus>),
    Telemetry(Arc<TelemetrySample>),
    Model(Arc<bkg_core::models::ModelEvent>),
    /// Lines of `batch` with seq >= `from_seq` (a replay may start in the middle of a batch).
    Logs {
        batch: Arc<LogBatch>,
        from_seq: u64,
    },
    /// Sent to the writer directly (acks, errors).
    Direct(Arc<bkg_core::ws::ServerMessage>),
}

/// One topic subscription of a connection.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sub {
    pub topic: Topic,
    /// `None`: every plugin.
    pub plugin_id: Option<String>,
}

/// Whose credentials a connection was opened with, so revoking them closes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Owner {
    pub user_id: String,
    pub session_id: Option<String>,
    pub key_id: Option<String>,
}

/// The hub's side of one connection.
#[derive(Debug)]
pub struct Subscriber {
    pub owner: Owner,
    /// Set when the owner's credentials were revoked; the writer closes the connection.
    revoked: tokio::sync::Notify,
    is_revoked: std::sync::atomic::AtomicBool,
    subs: RwLock<HashSet<Sub>>,
    /// Minimum log level per plugin filter (`None` key = all plugins).
    log_levels: RwLock<Vec<(Option<String>, LogLevel)>>,
    tx: mpsc::UnboundedSender<(Event, usize)>,
    queued: AtomicUsize,
    budget: usize,
    /// Drops not yet reported: `(count, last missed log seq)`. The lock also orders a notice
    /// before the first event accepted after the gap.
    gap: Mutex<(u64, u64)>,
    /// The hub's count of every event dropped for any connection.
    dropped: Arc<AtomicU64>,
}

impl Subscriber {
    fn wants(&self, topic: Topic, plugin_id: &str) -> bool {
        self.subs
            .read()
            .iter()
            .any(|s| s.topic == topic && s.plugin_id.as_deref().is_none_or(|p| p == plugin_id))
    }

    /// Lowest level this connection wants for a plugin's logs.
    pub fn min_level(&self, plugin_id: &str) -> LogLevel {
        self.log_levels
            .read()
            .iter()
            .filter(|(p, _)| p.as_deref().is_none_or(|p| p == plugin_id))
            .map(|(_, l)| *l)
            .min()
            .unwrap_or(LogLevel::Trace)
    }

    /// Resolves once the connection's credentials have been revoked.
    pub async fn revoked(&self) {
        let notified = self.revoked.notified();
        if self.is_revoked.load(Ordering::Acquire) {
            return;
        }
        notified.await;
    }

    fn revoke(&self) {
        self.is_revoked.store(true, Ordering::Release);
        self.revoked.notify_waiters();
    }

    /// Queues an event if the budget allows; otherwise counts it as missed.
    fn offer(&self, event: Event, cost: usize, last_seq: Option<u64>) {
        let mut gap = self.gap.lock();
        let queued = self.queued.load(Ordering::Acquire);
        if queued + cost > self.budget && queued > 0 {
            gap.0 += cost as u64;
            self.dropped.fetch_add(cost as u64, Ordering::Relaxed);
            if let Some(seq) = last_seq {
                gap.1 = gap.1.max(seq);
            }
            return;
        }
        if gap.0 > 0 {
            // The notice goes where the gap is, ahead of what follows it.
            let notice = lagged(std::mem::take(&mut *gap));
            self.queued.fetch_add(1, Ordering::AcqRel);
            let _ = self.tx.send((notice, 1));
        }
        self.queued.fetch_add(cost, Ordering::AcqRel);
        if self.tx.send((event, cost)).is_err() {
            self.queued.fetch_sub(cost, Ordering::AcqRel);
        }
    }

    /// Called by the connection's writer after it sent an event of `cost`.
    pub fn consumed(&self, cost: usize) {
        self.queued.fetch_sub(cost, Ordering::AcqRel);
    }

    /// For the writer once its queue looks empty: a notice for a gap at the end of the stream,
    /// if nothing was queued after it meanwhile.
    pub fn trailing_gap(&self, queue_empty: impl FnOnce() -> bool) -> Option<Event> {
        let mut gap = self.gap.lock();
        (gap.0 > 0 && queue_empty()).then(|| lagged(std::mem::take(&mut *gap)))
    }

    /// Events dropped and not yet reported.
    pub fn pending_missed(&self) -> u64 {
        self.gap.lock().0
    }

    /// Adds a subscription. For logs the caller holds the log lock (see `Logs::subscribe`).
    pub fn add(&self, sub: Sub, level: Option<LogLevel>) {
        if sub.topic == Topic::Logs {
            let mut levels = self.log_levels.write();
            levels.retain(|(p, _)| *p != sub.plugin_id);
            levels.push((sub.plugin_id.clone(), level.unwrap_or(LogLevel::Trace)));
        }
        self.subs.write().insert(sub);
    }

    pub fn remove(&self, sub: &Sub) -> bool {
        if sub.topic == Topic::Logs {
            self.log_levels.write().retain(|(p, _)| *p != sub.plugin_id);
        }
        self.subs.write().remove(sub)
    }

    /// Queues one message for this connection regardless of topics (acks, errors, the current
    /// status). Log replays go through [`LogsFollow`], which counts their lines and seqs.
    pub fn direct(&self, event: Event) {
        self.offer(event, 1, None);
    }
}

fn lagged((missed, last_seq): (u64, u64)) -> Event {
    Event::Direct(Arc::new(bkg_core::ws::ServerMessage::Lagged(bkg_core::ws::Lagged {
        missed,
        last_missed_seq: (last_seq > 0).then_some(last_seq),
    })))
}

/// The registry of connections.
#[derive(Debug, Default)]
pub struct EventHub {
    subscribers: RwLock<Vec<Arc<Subscriber>>>,
    dropped: Arc<AtomicU64>,
    /// Woken by every plugin status change (the cluster heartbeat reports them early).
    pub status_changed: tokio::sync::Notify,
}

impl EventHub {
    /// Registers a connection; the receiver feeds its writer with `(event, cost)`; the writer
    /// hands `cost` back through [`Subscriber::consumed`] once the event is sent.
    pub fn connect(
        &self,
        budget: usize,
        owner: Owner,
    ) -> (Arc<Subscriber>, mpsc::UnboundedReceiver<(Event, usize)>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let sub = Arc::new(Subscriber {
            owner,
            revoked: tokio::sync::Notify::new(),
            is_revoked: std::sync::atomic::AtomicBool::new(false),
            subs: RwLock::new(HashSet::new()),
            log_levels: RwLock::new(Vec::new()),
            tx,
            queued: AtomicUsize::new(0),
            budget,
            gap: Mutex::new((0, 0)),
            dropped: self.dropped.clone(),
        });
        self.subscribers.write().push(sub.clone());
        (sub, rx)
    }

    pub fn disconnect(&self, sub: &Arc<Subscriber>) {
        self.subscribers.write().retain(|s| !Arc::ptr_eq(s, sub));
    }

    /// Closes every connection whose owner matches (revoked credentials).
    pub fn close_where(&self, pred: impl Fn(&Owner) -> bool) {
        for s in self.subscribers.read().iter().filter(|s| pred(&s.owner)) {
            s.revoke();
        }
    }

    /// Events dropped for slow connections since the daemon started.
    pub fn dropped_total(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    pub fn connections(&self) -> usize {
        self.subscribers.read().len()
    }

    /// Whether any connection subscribes to `topic` (for any plugin).
    pub fn watching(&self, topic: Topic) -> bool {
        self.subscribers.read().iter().any(|s| s.subs.read().iter().any(|sub| sub.topic == topic))
    }

    pub fn publish_status(&self, status: &PluginStatus) {
        self.status_changed.notify_one();
        let event = Arc::new(status.clone());
        for s in self.subscribers.read().iter() {
            if s.wants(Topic::Status, &status.id) {
                s.offer(Event::Status(event.clone()), 1, None);
            }
        }
    }

    pub fn publish_telemetry(&self, sample: TelemetrySample) {
        let event = Arc::new(sample);
        for s in self.subscribers.read().iter() {
            if s.wants(Topic::Telemetry, &event.id) {
                s.offer(Event::Telemetry(event.clone()), 1, None);
            }
        }
    }

    pub fn publish_model(&self, event: bkg_core::models::ModelEvent) {
        let event = Arc::new(event);
        for s in self.subscribers.read().iter() {
            if s.wants(Topic::Models, "") {
                s.offer(Event::Model(event.clone()), 1, None);
            }
        }
    }

    /// Every subscriber, for closing them all on shutdown.
    pub fn all(&self) -> Vec<Arc<Subscriber>> {
        self.subscribers.read().clone()
    }
}

impl LogFanout for EventHub {
    /// Called with the log lock held, so replays and live lines cannot interleave wrongly.
    fn publish_logs(&self, batch: &Arc<LogBatch>) {
        for s in self.subscribers.read().iter() {
            if s.wants(Topic::Logs, &batch.plugin_id) {
                let min = s.min_level(&batch.plugin_id);
                let cost = batch.iter().filter(|l| l.level >= min).count();
                if cost > 0 {
                    s.offer(
                        Event::Logs { batch: batch.clone(), from_seq: batch.first_seq },
                        cost,
                        Some(batch.last_seq()),
                    );
                }
            }
        }
    }
}

/// A connection following one logs subscription: replays become `logs` messages queued
/// directly, and going live adds the subscription (under the log lock, see `Logs::subscribe`).
#[derive(Debug)]
pub struct LogsFollow<'a> {
    pub subscriber: &'a Subscriber,
    pub sub: Sub,
    pub level: Option<LogLevel>,
}

impl LogFollower for LogsFollow<'_> {
    // A replay may be dropped like a live batch: it counts the lines the connection asked for
    // and reports the last seq, so the client's missed count and backfill stay exact.
    fn replay_batch(&self, batch: Arc<LogBatch>, from_seq: u64) {
        let min = self.level.unwrap_or(LogLevel::Trace);
        let cost = batch.iter().filter(|l| l.seq >= from_seq && l.level >= min).count();
        if cost > 0 {
            let last = batch.last_seq();
            self.subscriber.offer(Event::Logs { batch, from_seq }, cost, Some(last));
        }
    }

    fn replay_line(&self, line: bkg_core::logs::LogLine) {
        let seq = line.seq;
        self.subscriber.offer(Event::Direct(Arc::new(bkg_core::ws::ServerMessage::Logs(line))), 1, Some(seq));
    }

    fn go_live(&self) {
        self.subscriber.add(self.sub.clone(), self.level);
    }
}

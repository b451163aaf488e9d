//! Live progress of a running download: bytes per file, the rate over a short window, and
//! the throttled publishing of `model.progress` events (at most every [`PUBLISH_EVERY`], and
//! once more when a burst ends in a stall, so a client never shows stale progress).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bkg_core::models::{ModelStatus, Progress};
use parking_lot::Mutex;

/// Events about one model's progress are published at most this often.
pub(super) const PUBLISH_EVERY: Duration = Duration::from_millis(250);
/// Rate samples span this long.
const RATE_WINDOW: Duration = Duration::from_secs(5);

/// Live progress of a running job, kept in memory and merged into the answers.
#[derive(Debug)]
pub struct Live {
    pub(super) job: String,
    pub(super) total: u64,
    pub(super) done: AtomicU64,
    pub(super) files: Mutex<HashMap<String, u64>>,
    pub(super) status: Mutex<ModelStatus>,
    pub(super) samples: Mutex<VecDeque<(Instant, u64)>>,
    /// When the last event went out and the progress it carried.
    pub(super) last_publish: Mutex<Option<(Instant, Progress)>>,
    pub(super) publish: Publisher,
}

/// Sends a progress event for the job.
pub(super) struct Publisher(pub(super) Box<dyn Fn(&Live) + Send + Sync>);

impl std::fmt::Debug for Publisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Publisher")
    }
}

impl Live {
    pub(super) fn set_status(&self, s: ModelStatus) {
        *self.status.lock() = s;
    }

    /// Bytes of `path` on disk so far; publishes a throttled progress event.
    pub(super) fn set_file(&self, path: &str, bytes: u64) {
        let total = {
            let mut files = self.files.lock();
            files.insert(path.to_string(), bytes);
            files.values().sum::<u64>()
        };
        self.done.store(total, Ordering::Relaxed);
        self.sample(total);
        self.publish_if_due(total == self.total);
    }

    /// Called every [`PUBLISH_EVERY`] while the job runs: the throttle in `set_file` drops the
    /// last burst before a stall (a slow hub, a held connection), so without this tick a client
    /// would see the progress of the burst's first chunk until the next byte arrives. It also
    /// lets the rate fall to zero while nothing arrives.
    pub(super) fn tick(&self) {
        self.sample(self.done.load(Ordering::Relaxed));
        self.publish_if_due(false);
    }

    pub(super) fn sample(&self, total: u64) {
        let now = Instant::now();
        let mut s = self.samples.lock();
        s.push_back((now, total));
        while s.len() > 2 && s.front().is_some_and(|(t, _)| now - *t > RATE_WINDOW) {
            s.pop_front();
        }
    }

    /// Publishes when the last event is older than [`PUBLISH_EVERY`] and said something else,
    /// or when `force`d (the last byte).
    pub(super) fn publish_if_due(&self, force: bool) {
        let now = Instant::now();
        let progress = self.progress();
        let due = {
            let mut last = self.last_publish.lock();
            let due = force || last.as_ref().is_none_or(|(t, p)| now - *t >= PUBLISH_EVERY && *p != progress);
            if due {
                *last = Some((now, progress));
            }
            due
        };
        if due {
            (self.publish.0)(self);
        }
    }

    pub(super) fn progress(&self) -> Progress {
        let done = self.done.load(Ordering::Relaxed);
        let rate = super::job::rate(&self.samples.lock());
        let left = self.total.saturating_sub(done);
        Progress {
            bytes_done: done,
            bytes_total: self.total,
            rate,
            eta_seconds: (rate > 0.0).then(|| left as f64 / rate),
        }
    }
}

//! Invocation statistics of one plugin: counters, calls in flight, latency histograms over a
//! sliding window, and the counters the plugin reports itself.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bkg_core::telemetry::{Latency, Throughput};
use hdrhistogram::Histogram;
use parking_lot::Mutex;

/// Windows kept for the latency percentiles (one per telemetry sample).
const WINDOWS: usize = 10;

#[derive(Debug)]
pub struct Stats {
    total: AtomicU64,
    errors: AtomicU64,
    in_flight: AtomicU64,
    /// Latencies of the current window; created on the first call, so idle plugins cost
    /// nothing (a histogram is tens of kilobytes).
    current: Mutex<Option<Histogram<u32>>>,
    windows: Mutex<VecDeque<Option<Histogram<u32>>>>,
    counters: Mutex<BTreeMap<String, f64>>,
}

fn histogram() -> Histogram<u32> {
    // Microseconds from 1 us to 1 hour with 2 significant digits (1 % resolution is plenty for
    // percentiles on a dashboard and keeps each histogram around 16 KB).
    Histogram::new_with_bounds(1, 3_600_000_000, 2).expect("static histogram bounds are valid")
}

impl Default for Stats {
    fn default() -> Self {
        Self {
            total: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            in_flight: AtomicU64::new(0),
            current: Mutex::new(None),
            windows: Mutex::new(VecDeque::new()),
            counters: Mutex::new(BTreeMap::new()),
        }
    }
}

/// Marks a call in flight until dropped or finished.
pub struct InFlight {
    stats: Arc<Stats>,
    done: bool,
}

impl InFlight {
    pub fn finish(mut self, elapsed: Duration, ok: bool) {
        self.done = true;
        self.stats.in_flight.fetch_sub(1, Ordering::AcqRel);
        self.stats.total.fetch_add(1, Ordering::Relaxed);
        if !ok {
            self.stats.errors.fetch_add(1, Ordering::Relaxed);
        }
        let us = (elapsed.as_micros() as u64).clamp(1, 3_600_000_000);
        let _ = self.stats.current.lock().get_or_insert_with(histogram).record(us);
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if !self.done {
            // Abandoned (client went away): counts as an error without a latency.
            self.stats.in_flight.fetch_sub(1, Ordering::AcqRel);
            self.stats.total.fetch_add(1, Ordering::Relaxed);
            self.stats.errors.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Stats {
    pub fn begin(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight { stats: self.clone(), done: false }
    }

    pub fn set_counters(&self, counters: BTreeMap<String, f64>) {
        let mut c = self.counters.lock();
        for (k, v) in counters {
            if v.is_finite() {
                c.insert(k, v);
            }
        }
    }

    pub fn totals(&self) -> (u64, u64, u64) {
        (
            self.total.load(Ordering::Relaxed),
            self.errors.load(Ordering::Relaxed),
            self.in_flight.load(Ordering::Relaxed),
        )
    }

    /// Closes the current window (called once per telemetry sample) and summarises the last
    /// windows: rate over `interval`, percentiles over up to `WINDOWS` intervals.
    pub fn sample(&self, interval: Duration) -> Throughput {
        let finished = self.current.lock().take();
        let count = finished.as_ref().map_or(0, |h| h.len());
        let mut windows = self.windows.lock();
        windows.push_back(finished);
        while windows.len() > WINDOWS {
            windows.pop_front();
        }
        let mut merged: Option<Histogram<u32>> = None;
        for h in windows.iter().flatten() {
            match merged.as_mut() {
                Some(m) => {
                    let _ = m.add(h);
                }
                None => merged = Some(h.clone()),
            }
        }
        let ms = |q: f64| merged.as_ref().map_or(0.0, |m| m.value_at_quantile(q) as f64 / 1000.0);
        let (total, errors, in_flight) = self.totals();
        Throughput {
            invocations_per_sec: count as f64 / interval.as_secs_f64().max(1e-3),
            invocations_total: total,
            errors_total: errors,
            in_flight,
            latency_ms: Latency {
                p50: ms(0.5),
                p90: ms(0.9),
                p99: ms(0.99),
                max: merged.as_ref().map_or(0.0, |m| m.max() as f64 / 1000.0),
            },
            counters: self.counters.lock().clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_cover_recent_windows_and_idle_costs_nothing() {
        let stats = Arc::new(Stats::default());
        assert!(stats.current.lock().is_none());
        for ms in [1u64, 2, 3, 4, 100] {
            stats.begin().finish(Duration::from_millis(ms), ms != 100);
        }
        let t = stats.sample(Duration::from_secs(1));
        assert_eq!((t.invocations_total, t.errors_total, t.in_flight), (5, 1, 0));
        assert_eq!(t.invocations_per_sec, 5.0);
        assert!((2.9..3.1).contains(&t.latency_ms.p50), "{:?}", t.latency_ms);
        assert!((99.0..101.0).contains(&t.latency_ms.max));
        // An idle window keeps the percentiles of the earlier ones and allocates nothing.
        let t = stats.sample(Duration::from_secs(1));
        assert_eq!(t.invocations_per_sec, 0.0);
        assert!((2.9..3.1).contains(&t.latency_ms.p50));
        assert!(stats.current.lock().is_none());
        drop(stats.begin());
        assert_eq!(stats.totals(), (6, 2, 0), "an abandoned call counts as an error");
    }
}

//! Rate limits as exact sliding windows: at most `limit` events per key within any window. A
//! token bucket (GCRA, as `tower_governor` implements) would let a client send its whole burst
//! and then the steady rate on top, up to twice the quota within the first minute; a sliding
//! window keeps "600 requests per minute" literally true. Memory is bounded by the limit per
//! active client, and idle clients are forgotten.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

#[derive(Debug)]
pub struct SlidingWindow<K> {
    limit: u32,
    window: Duration,
    state: Mutex<(HashMap<K, VecDeque<Instant>>, Instant)>,
}

/// The verdict on one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed {
        remaining: u32,
        reset_secs: u64,
    },
    /// Refused; retry after this many whole seconds (at least 1).
    Limited {
        retry_after_secs: u64,
    },
}

impl<K: Hash + Eq + Clone> SlidingWindow<K> {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self { limit: limit.max(1), window, state: Mutex::new((HashMap::new(), Instant::now())) }
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Counts an event for `key` if the window has room.
    pub fn hit(&self, key: &K) -> Verdict {
        self.check(key, true)
    }

    /// Whether an event would be allowed, without counting it.
    pub fn peek(&self, key: &K) -> Verdict {
        self.check(key, false)
    }

    fn check(&self, key: &K, count: bool) -> Verdict {
        let now = Instant::now();
        let mut guard = self.state.lock();
        let (map, last_sweep) = &mut *guard;
        if now.duration_since(*last_sweep) > self.window {
            let window = self.window;
            map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
            *last_sweep = now;
        }
        let q = map.entry(key.clone()).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            q.pop_front();
        }
        if q.len() as u32 >= self.limit {
            let oldest = *q.front().expect("a full window has an oldest event");
            let wait = self.window.saturating_sub(now.duration_since(oldest));
            return Verdict::Limited { retry_after_secs: wait.as_secs_f64().ceil().max(1.0) as u64 };
        }
        if count {
            q.push_back(now);
        }
        let reset = q.front().map_or(self.window, |t| self.window.saturating_sub(now.duration_since(*t)));
        Verdict::Allowed {
            remaining: self.limit - q.len() as u32,
            reset_secs: reset.as_secs_f64().ceil() as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_exact_and_per_key() {
        let w = SlidingWindow::new(3, Duration::from_secs(60));
        for left in [2, 1, 0] {
            assert_eq!(w.hit(&"a"), Verdict::Allowed { remaining: left, reset_secs: 60 });
        }
        let Verdict::Limited { retry_after_secs } = w.hit(&"a") else { panic!() };
        assert!((1..=60).contains(&retry_after_secs));
        assert!(matches!(w.hit(&"b"), Verdict::Allowed { .. }));
        assert!(matches!(w.peek(&"a"), Verdict::Limited { .. }));
    }
}

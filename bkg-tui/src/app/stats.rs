//! Recent telemetry of one plugin, for the list's numbers and the dashboard's sparklines.

use std::collections::VecDeque;

use bkg_core::telemetry::TelemetrySample;

/// Samples kept per plugin (at the daemon's default 1 s interval, two minutes).
pub const KEEP: usize = 120;

#[derive(Debug, Clone, Default)]
pub struct Stats {
    samples: VecDeque<TelemetrySample>,
}

impl Stats {
    pub fn push(&mut self, s: TelemetrySample) {
        if self.samples.len() == KEEP {
            self.samples.pop_front();
        }
        self.samples.push_back(s);
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    pub fn last(&self) -> Option<&TelemetrySample> {
        self.samples.back()
    }

    /// The last `n` values of `f`, oldest first.
    pub fn series(&self, n: usize, f: impl Fn(&TelemetrySample) -> f64) -> Vec<f64> {
        let skip = self.samples.len().saturating_sub(n);
        self.samples.iter().skip(skip).map(f).collect()
    }
}

//! The arithmetic every benchmark shares: the median of a run's samples and how a duration is
//! printed. The `/proc` readers (CPU, RSS, wake-ups of a process) live in `daemon`.

use std::cmp::Ordering;
use std::time::Duration;

/// The median (the upper one of an even count) of durations or figures. Panics on no samples:
/// every benchmark refuses zero rounds before it measures.
pub fn median<T: PartialOrd + Copy>(samples: impl AsRef<[T]>) -> T {
    let mut v = samples.as_ref().to_vec();
    assert!(!v.is_empty(), "the median of no samples");
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
    v[v.len() / 2]
}

/// A duration in milliseconds with two decimals, as the tables print it.
pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_durations_and_figures() {
        assert_eq!(
            median(vec![Duration::from_millis(3), Duration::from_millis(1), Duration::from_millis(2)]),
            Duration::from_millis(2)
        );
        assert_eq!(median([4.0, 1.0, 3.0, 2.0]), 3.0);
        assert_eq!(median(&[7.5][..]), 7.5);
        assert_eq!(ms(Duration::from_micros(1234)), "1.23 ms");
    }
}

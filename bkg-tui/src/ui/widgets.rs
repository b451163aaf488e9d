//! Small drawing helpers shared by the screens: the status badge, number formats, text
//! sparklines and a centred popup area.

use bkg_core::cluster::NodeState;
use bkg_core::plugin::PluginState;
use ratatui::layout::Rect;
use ratatui::text::Span;

use crate::theme::{Theme, badge_glyph, node_glyph};

/// The status badge: glyph and text, coloured by state.
pub fn badge(t: &Theme, s: PluginState) -> Span<'static> {
    Span::styled(format!("{} {}", badge_glyph(s), s.as_str()), t.state(s))
}

/// A node's state badge, like the plugin badge.
pub fn node_badge(t: &Theme, s: NodeState) -> Span<'static> {
    Span::styled(format!("{} {}", node_glyph(s), s.as_str()), t.node(s))
}

/// How long before `now` something happened, in the largest unit: `now`, `12s ago`, `3m ago`.
pub fn ago(secs: i64) -> String {
    if secs <= 0 { "now".into() } else { format!("{} ago", duration(secs as u64)) }
}

pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 { format!("{n} B") } else { format!("{v:.1} {}", UNITS[u]) }
}

pub fn duration(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h >= 24 {
        format!("{}d{:02}h", h / 24, h % 24)
    } else if h > 0 {
        format!("{h}h{m:02}m")
    } else if m > 0 {
        format!("{m}m{s:02}s")
    } else {
        format!("{s}s")
    }
}

/// A sparkline in text, for a table cell: one block character per value, scaled to the max.
pub fn spark(values: &[f64], width: usize) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let skip = values.len().saturating_sub(width);
    let values = &values[skip..];
    let max = values.iter().copied().fold(0.0_f64, f64::max);
    values
        .iter()
        .map(|v| if max <= 0.0 { BARS[0] } else { BARS[((v / max) * 7.0).round().clamp(0.0, 7.0) as usize] })
        .collect()
}

/// A popup of at most `w` x `h`, centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Cuts `s` to `max` characters, marking the cut.
pub fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(3 * 1024 * 1024), "3.0 MiB");
        assert_eq!(duration(59), "59s");
        assert_eq!(duration(3725), "1h02m");
        assert_eq!(spark(&[0.0, 1.0, 2.0], 10), "▁▅█");
        assert_eq!(cut("abcdef", 4), "abc…");
    }
}

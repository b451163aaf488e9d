//! The log view's state: a bounded ring of lines (with counted "lines skipped" markers, so
//! nothing is lost silently), and the view over it: pause, level filter, search with `n`/`N`,
//! wrap and timestamps. Pure data; drawing is in `ui::logs`.

use std::collections::VecDeque;

use bkg_core::logs::{LogLevel, LogLine};

/// Lines kept per view; older ones fall off the front (the daemon keeps them, `W` saves what
/// is shown).
pub const CAPACITY: usize = 10_000;

/// One entry of the ring.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Line(LogLine),
    /// The daemon dropped this many lines for us (it said so on the WebSocket).
    Skipped(u64),
    /// The connection was lost and re-established here.
    Reconnected,
}

impl Entry {
    fn level(&self) -> Option<LogLevel> {
        match self {
            Entry::Line(l) => Some(l.level),
            _ => None,
        }
    }

    /// The text searched and saved.
    pub fn text(&self, timestamps: bool) -> String {
        match self {
            Entry::Line(l) if timestamps => {
                format!("{} {:<5} {}", l.ts.format("%H:%M:%S%.3f"), l.level.as_str(), l.message)
            }
            Entry::Line(l) => format!("{:<5} {}", l.level.as_str(), l.message),
            Entry::Skipped(n) => format!("--- {n} lines skipped (the connection fell behind) ---"),
            Entry::Reconnected => "--- reconnected ---".to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct LogView {
    /// Whose logs these are.
    pub plugin: Option<String>,
    entries: VecDeque<Entry>,
    /// Absolute index of `entries[0]` (grows as the ring drops lines).
    first: u64,
    /// Highest `seq` seen: lines at or below it are duplicates (backfill and live overlap).
    pub last_seq: Option<u64>,
    /// When paused, the view ends at this absolute index (lines after it keep arriving).
    paused_at: Option<u64>,
    /// Minimum level shown.
    pub level: Option<LogLevel>,
    pub search: Option<String>,
    /// The match `n`/`N` moved to: the view ends there.
    pub current_match: Option<u64>,
    pub wrap: bool,
    pub timestamps: bool,
    /// Lines dropped off the front of the ring (not lost: the daemon still has them).
    pub evicted: u64,
}

impl Default for LogView {
    fn default() -> Self {
        Self {
            plugin: None,
            entries: VecDeque::new(),
            first: 0,
            last_seq: None,
            paused_at: None,
            level: None,
            search: None,
            current_match: None,
            wrap: false,
            timestamps: true,
            evicted: 0,
        }
    }
}

impl LogView {
    pub fn for_plugin(id: &str) -> Self {
        Self { plugin: Some(id.to_string()), ..Self::default() }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn end(&self) -> u64 {
        self.first + self.entries.len() as u64
    }

    fn push_entry(&mut self, e: Entry) {
        if self.entries.len() == CAPACITY {
            self.entries.pop_front();
            self.first += 1;
            self.evicted += 1;
        }
        self.entries.push_back(e);
    }

    /// Adds a line unless it is a duplicate; returns whether it was added.
    pub fn push(&mut self, line: LogLine) -> bool {
        if self.last_seq.is_some_and(|s| line.seq <= s) {
            return false;
        }
        self.last_seq = Some(line.seq);
        self.push_entry(Entry::Line(line));
        true
    }

    pub fn skipped(&mut self, n: u64) {
        // Consecutive reports add up into one marker.
        if let Some(Entry::Skipped(m)) = self.entries.back_mut() {
            *m += n;
            return;
        }
        self.push_entry(Entry::Skipped(n));
    }

    pub fn reconnected(&mut self) {
        if !self.entries.is_empty() {
            self.push_entry(Entry::Reconnected);
        }
    }

    pub fn paused(&self) -> bool {
        self.paused_at.is_some()
    }

    pub fn toggle_pause(&mut self) {
        self.paused_at = match self.paused_at {
            Some(_) => None,
            None => Some(self.end()),
        };
        self.current_match = None;
    }

    /// Lines that arrived since the view was paused.
    pub fn pending(&self) -> u64 {
        self.paused_at.map_or(0, |p| self.end().saturating_sub(p))
    }

    pub fn cycle_level(&mut self) {
        self.level = match self.level {
            None => Some(LogLevel::Debug),
            Some(LogLevel::Trace | LogLevel::Debug) => Some(LogLevel::Info),
            Some(LogLevel::Info) => Some(LogLevel::Warn),
            Some(LogLevel::Warn) => Some(LogLevel::Error),
            Some(LogLevel::Error) => None,
        };
    }

    fn shown(&self, e: &Entry) -> bool {
        match (self.level, e.level()) {
            (Some(min), Some(l)) => l >= min,
            _ => true,
        }
    }

    fn matches(&self, e: &Entry) -> bool {
        match &self.search {
            Some(q) if !q.is_empty() => contains_ci(&e.text(self.timestamps), q),
            _ => false,
        }
    }

    /// Where the view ends (exclusive absolute index).
    fn view_end(&self) -> u64 {
        let end = self.current_match.map(|m| m + 1).or(self.paused_at).unwrap_or(self.end());
        end.clamp(self.first, self.end())
    }

    /// The last `n` shown entries ending at the view's end, oldest first.
    pub fn visible(&self, n: usize) -> Vec<(u64, &Entry)> {
        // A view paused so long that the ring dropped what it showed shows the oldest lines
        // kept, a screenful, rather than a shrinking rest.
        let mut end = self.view_end();
        if self.evicted > 0 {
            end = end.max(self.first + n as u64).min(self.end());
        }
        let mut out = Vec::with_capacity(n);
        let mut i = end;
        while i > self.first && out.len() < n {
            i -= 1;
            let e = &self.entries[(i - self.first) as usize];
            if self.shown(e) {
                out.push((i, e));
            }
        }
        out.reverse();
        out
    }

    /// The newest line in the ring (whatever the view shows).
    pub fn newest_line(&self) -> Option<&LogLine> {
        self.entries.iter().rev().find_map(|e| match e {
            Entry::Line(l) => Some(l),
            _ => None,
        })
    }

    /// Every shown entry as text (what `W` saves).
    pub fn shown_text(&self) -> Vec<String> {
        self.entries.iter().filter(|e| self.shown(e)).map(|e| e.text(self.timestamps)).collect()
    }

    pub fn is_match(&self, e: &Entry) -> bool {
        self.matches(e)
    }

    pub fn set_search(&mut self, q: Option<String>) {
        self.search = q.filter(|q| !q.is_empty());
        self.current_match = None;
    }

    /// Moves to the next (`forward`) or previous match from the current one (or from the end);
    /// returns whether there was one.
    pub fn jump(&mut self, forward: bool) -> bool {
        if self.search.is_none() {
            return false;
        }
        let from = self.current_match.unwrap_or_else(|| self.paused_at.unwrap_or(self.end()));
        let found = if forward {
            (from + 1..self.end()).find(|&i| self.at(i).is_some_and(|e| self.shown(e) && self.matches(e)))
        } else {
            (self.first..from.min(self.end()))
                .rev()
                .find(|&i| self.at(i).is_some_and(|e| self.shown(e) && self.matches(e)))
        };
        if let Some(i) = found {
            self.current_match = Some(i);
        }
        found.is_some()
    }

    fn at(&self, i: u64) -> Option<&Entry> {
        i.checked_sub(self.first).and_then(|k| self.entries.get(k as usize))
    }

    /// Back to following the end: no pause, no jumped-to match.
    pub fn follow(&mut self) {
        self.paused_at = None;
        self.current_match = None;
    }
}

/// Case-insensitive substring test (ASCII folding, as the daemon's `q` filter).
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.to_ascii_lowercase().contains(&needle.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn line(seq: u64, level: LogLevel, msg: &str) -> LogLine {
        LogLine {
            seq,
            ts: Utc.with_ymd_and_hms(2026, 12, 6, 8, 0, 0).unwrap(),
            level,
            plugin_id: "p".into(),
            run: 1,
            message: msg.into(),
            fields: None,
        }
    }

    #[test]
    fn dedupes_by_seq_and_keeps_a_bounded_ring() {
        let mut v = LogView::for_plugin("p");
        assert!(v.push(line(1, LogLevel::Info, "a")));
        assert!(!v.push(line(1, LogLevel::Info, "a")));
        for s in 2..CAPACITY as u64 + 10 {
            v.push(line(s, LogLevel::Info, "x"));
        }
        assert_eq!(v.len(), CAPACITY);
        assert_eq!(v.evicted, 9);
    }

    #[test]
    fn skipped_lines_are_counted_not_hidden() {
        let mut v = LogView::for_plugin("p");
        v.push(line(1, LogLevel::Info, "a"));
        v.skipped(5);
        v.skipped(7);
        let vis = v.visible(10);
        assert_eq!(vis.len(), 2);
        assert_eq!(vis[1].1, &Entry::Skipped(12));
    }

    #[test]
    fn pause_freezes_the_view_and_level_filters() {
        let mut v = LogView::for_plugin("p");
        v.push(line(1, LogLevel::Debug, "dbg"));
        v.push(line(2, LogLevel::Warn, "warn"));
        v.toggle_pause();
        v.push(line(3, LogLevel::Info, "later"));
        assert_eq!(v.visible(10).len(), 2);
        assert_eq!(v.pending(), 1);
        v.toggle_pause();
        assert_eq!(v.visible(10).len(), 3);
        v.level = Some(LogLevel::Info);
        assert_eq!(v.visible(10).len(), 2);
    }

    #[test]
    fn a_long_pause_still_shows_a_screenful() {
        let mut v = LogView::for_plugin("p");
        v.push(line(1, LogLevel::Info, "a"));
        v.toggle_pause();
        for s in 2..CAPACITY as u64 + 100 {
            v.push(line(s, LogLevel::Info, "x"));
        }
        assert_eq!(v.visible(5).len(), 5);
        assert_eq!(v.pending(), CAPACITY as u64 + 98);
    }

    #[test]
    fn search_jumps_between_matches() {
        let mut v = LogView::for_plugin("p");
        for (i, m) in ["foo", "bar", "Foo again", "baz"].iter().enumerate() {
            v.push(line(i as u64 + 1, LogLevel::Info, m));
        }
        v.set_search(Some("foo".into()));
        assert!(v.jump(false));
        assert_eq!(v.current_match, Some(2));
        assert!(v.jump(false));
        assert_eq!(v.current_match, Some(0));
        assert!(!v.jump(false));
        assert!(v.jump(true));
        assert_eq!(v.current_match, Some(2));
        assert_eq!(v.visible(10).last().unwrap().0, 2);
    }
}

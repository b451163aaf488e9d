//! The log view, as the dashboard's pane and as the full screen (`l`): the lines that fit,
//! search matches highlighted, and a title that says what the view is doing (paused, level,
//! search, lines skipped).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::app::App;
use crate::logbuf::{Entry, LogView};
use crate::theme::Theme;

pub fn draw_full(app: &App, id: &str, frame: &mut Frame, area: Rect) {
    pane(app, id, frame, area);
}

/// The log pane with its border and title.
pub fn pane(app: &App, id: &str, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let v = &app.logs;
    let mut title = format!(" Logs {id} ");
    if v.paused() {
        title.push_str(&format!("[paused, {} new] ", v.pending()));
    } else if v.current_match.is_some() {
        title.push_str("[at match] ");
    } else {
        title.push_str("[follow] ");
    }
    if let Some(l) = v.level {
        title.push_str(&format!("level>={} ", l.as_str()));
    }
    if let Some(q) = &v.search {
        title.push_str(&format!("/{q} "));
    }
    if v.wrap {
        title.push_str("wrap ");
    }
    let block = Block::bordered().title(Line::styled(title, t.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if v.is_empty() {
        frame.render_widget(Paragraph::new("no log lines yet").style(t.muted()), inner);
        return;
    }
    let lines: Vec<Line> = v.visible(inner.height as usize).into_iter().map(|(_, e)| line(t, v, e)).collect();
    // Wrapped lines take more rows: show the end, as a terminal would.
    let w = inner.width.max(1) as usize;
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(w).max(1)).sum();
    let mut p = Paragraph::new(lines);
    if v.wrap {
        p = p.wrap(Wrap { trim: false }).scroll((rows.saturating_sub(inner.height as usize) as u16, 0));
    }
    frame.render_widget(p, inner);
}

fn line<'a>(t: &Theme, v: &LogView, e: &'a Entry) -> Line<'a> {
    let Entry::Line(l) = e else {
        return Line::styled(e.text(false), t.warn());
    };
    let level_style = match l.level {
        bkg_core::logs::LogLevel::Error => t.error(),
        bkg_core::logs::LogLevel::Warn => t.warn(),
        bkg_core::logs::LogLevel::Info => Style::new(),
        _ => t.muted(),
    };
    let mut spans = Vec::new();
    if v.timestamps {
        spans.push(Span::styled(format!("{} ", l.ts.format("%H:%M:%S%.3f")), t.muted()));
    }
    spans.push(Span::styled(format!("{:<5} ", l.level.as_str()), level_style));
    match v.search.as_deref().filter(|_| v.is_match(e)) {
        Some(q) => spans.extend(highlight(&l.message, q, t.matched())),
        None => spans.push(Span::raw(l.message.as_str())),
    }
    Line::from(spans)
}

/// Splits `text` into spans with every case-insensitive occurrence of `q` styled.
fn highlight<'a>(text: &'a str, q: &str, style: Style) -> Vec<Span<'a>> {
    let lower = text.to_ascii_lowercase();
    let q = q.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(pos) = lower[at..].find(&q) {
        let start = at + pos;
        let end = start + q.len();
        if start > at {
            out.push(Span::raw(&text[at..start]));
        }
        out.push(Span::styled(&text[start..end], style));
        at = end;
        if q.is_empty() {
            break;
        }
    }
    if at < text.len() {
        out.push(Span::raw(&text[at..]));
    }
    out
}

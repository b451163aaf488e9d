//! The screens behind the palette: models (with download progress), API keys, users, audit.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Gauge, Paragraph, Row, Table, TableState};

use super::widgets::{bytes, cut};
use crate::app::App;

/// The loading / error / empty states every list shares; `None` when there are rows to show.
pub(super) fn placeholder(
    app: &App,
    key: &str,
    loaded: bool,
    empty: bool,
    empty_msg: &str,
) -> Option<Vec<Line<'static>>> {
    let t = &app.settings.theme;
    if let Some(err) = app.load_errors.get(key) {
        return Some(vec![
            Line::styled(format!("cannot load {key}: {err}"), t.error()),
            Line::raw("R retries"),
        ]);
    }
    if !loaded {
        return Some(vec![Line::raw(format!("loading {key}..."))]);
    }
    empty.then(|| vec![Line::styled(empty_msg.to_string(), t.muted())])
}

pub(super) fn list_block(app: &App, title: String) -> Block<'static> {
    Block::bordered().title(Line::styled(title, app.settings.theme.title()))
}

pub fn models(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let block = list_block(app, format!(" Models ({}) ", app.models.len()));
    if let Some(lines) = placeholder(
        app,
        "models",
        app.models_loaded,
        app.models.is_empty(),
        "no models: p pulls one from the hub",
    ) {
        frame.render_widget(Paragraph::new(lines).block(block), area);
        return;
    }
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    // The id is in the detail's title; narrow terminals give its column to the repo.
    let wide = area.width >= 100;
    let rows: Vec<Row> = app
        .models
        .iter()
        .map(|m| {
            let status = m.status.as_str();
            let style = match status {
                "ready" => t.ok(),
                "failed" => t.error(),
                _ => t.warn(),
            };
            let mut cells = vec![Cell::from(Line::styled(status, style)), Cell::from(m.repo.clone())];
            if wide {
                cells.push(Cell::from(m.id.clone()));
            }
            cells.extend([Cell::from(bytes(m.total_bytes)), Cell::from(m.used_by.join(","))]);
            Row::new(cells)
        })
        .collect();
    let mut widths =
        vec![Constraint::Length(12), Constraint::Min(20), Constraint::Length(10), Constraint::Length(10)];
    let mut header = vec!["STATUS", "REPO", "SIZE", "USED BY"];
    if wide {
        widths.insert(2, Constraint::Length(13));
        header.insert(2, "ID");
    }
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.title()))
        .row_highlight_style(t.selected())
        .highlight_symbol("> ")
        .block(block);
    let mut state = TableState::default().with_selected(Some(app.model_selected));
    frame.render_stateful_widget(table, list_area, &mut state);
    let Some(m) = app.models.get(app.model_selected) else { return };
    let detail = list_block(app, format!(" {} ({}, {}) ", m.repo, m.id, m.revision));
    let inner = detail.inner(detail_area);
    frame.render_widget(detail, detail_area);
    let [gauge_area, files_area] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    let p = &m.progress;
    let ratio =
        if p.bytes_total == 0 { 0.0 } else { (p.bytes_done as f64 / p.bytes_total as f64).clamp(0.0, 1.0) };
    let label = format!(
        "{} / {}{}",
        bytes(p.bytes_done),
        bytes(p.bytes_total),
        p.eta_seconds.map_or(String::new(), |e| format!("  eta {e:.0}s"))
    );
    frame.render_widget(Gauge::default().ratio(ratio).label(label).gauge_style(t.accent()), gauge_area);
    let mut lines: Vec<Line> = m
        .files
        .iter()
        .map(|f| {
            let mark = if f.verified { "verified" } else { "unverified" };
            Line::from(format!("{:<10} {:>10}  {}", mark, bytes(f.size), cut(&f.path, 50)))
        })
        .collect();
    if let Some(e) = &m.error {
        lines.insert(0, Line::styled(format!("error: {e}"), t.error()));
    }
    for p in &m.problems {
        lines.insert(0, Line::styled(format!("problem: {p}"), t.error()));
    }
    frame.render_widget(Paragraph::new(lines), files_area);
}

pub fn keys(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let block = list_block(app, format!(" API keys ({}) ", app.keys.len()));
    if let Some(lines) =
        placeholder(app, "keys", app.keys_loaded, app.keys.is_empty(), "no API keys: c creates one")
    {
        frame.render_widget(Paragraph::new(lines).block(block), area);
        return;
    }
    let rows: Vec<Row> = app
        .keys
        .iter()
        .map(|k| {
            Row::new(vec![
                Cell::from(Line::styled(
                    if k.enabled { "enabled" } else { "disabled" },
                    if k.enabled { t.ok() } else { t.muted() },
                )),
                Cell::from(k.name.clone()),
                Cell::from(k.prefix.clone()),
                Cell::from(k.role.as_str()),
                Cell::from(k.username.clone()),
                Cell::from(k.last_used_at.map_or("never".into(), |d| d.format("%Y-%m-%d %H:%M").to_string())),
            ])
        })
        .collect();
    let widths = [
        Constraint::Length(9),
        Constraint::Min(10),
        Constraint::Length(12),
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Length(16),
    ];
    let table = Table::new(rows, widths)
        .header(Row::new(vec!["STATE", "NAME", "PREFIX", "ROLE", "OWNER", "LAST USED"]).style(t.title()))
        .row_highlight_style(t.selected())
        .highlight_symbol("> ")
        .block(block);
    let mut state = TableState::default().with_selected(Some(app.key_selected));
    frame.render_stateful_widget(table, area, &mut state);
}

pub fn users(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let block = list_block(app, format!(" Users ({}) ", app.users.len()));
    if let Some(lines) = placeholder(app, "users", app.users_loaded, app.users.is_empty(), "no users") {
        frame.render_widget(Paragraph::new(lines).block(block), area);
        return;
    }
    let rows: Vec<Row> = app
        .users
        .iter()
        .map(|u| {
            Row::new(vec![
                Cell::from(u.username.clone()),
                Cell::from(u.role.as_str()),
                Cell::from(Line::styled(
                    if u.disabled { "disabled" } else { "active" },
                    if u.disabled { t.muted() } else { t.ok() },
                )),
                Cell::from(u.created_at.format("%Y-%m-%d").to_string()),
            ])
        })
        .collect();
    let widths = [Constraint::Min(12), Constraint::Length(10), Constraint::Length(9), Constraint::Length(11)];
    let table = Table::new(rows, widths)
        .header(Row::new(vec!["USERNAME", "ROLE", "STATE", "CREATED"]).style(t.title()))
        .row_highlight_style(t.selected())
        .highlight_symbol("> ")
        .block(block);
    let mut state = TableState::default().with_selected(Some(app.user_selected));
    frame.render_stateful_widget(table, area, &mut state);
}

pub fn audit(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let events = app.filtered_audit();
    let filter =
        if app.audit_filter.is_empty() { String::new() } else { format!(", filter /{}", app.audit_filter) };
    let block = list_block(app, format!(" Audit (live, {} events{filter}) ", events.len()));
    if let Some(lines) = placeholder(app, "audit", app.audit_loaded, events.is_empty(), "no audit events") {
        frame.render_widget(Paragraph::new(lines).block(block), area);
        return;
    }
    let rows: Vec<Row> = events
        .iter()
        .map(|e| {
            Row::new(vec![
                Cell::from(e.ts.format("%m-%d %H:%M:%S").to_string()),
                Cell::from(e.action.clone()),
                Cell::from(e.actor.clone().unwrap_or_default()),
                Cell::from(e.target.clone().unwrap_or_default()),
                Cell::from(Line::styled(
                    e.outcome.clone(),
                    if e.outcome == "success" { t.ok() } else { t.error() },
                )),
            ])
        })
        .collect();
    let widths = [
        Constraint::Length(14),
        Constraint::Length(18),
        Constraint::Length(12),
        Constraint::Min(10),
        Constraint::Length(8),
    ];
    let table = Table::new(rows, widths)
        .header(Row::new(vec!["TIME", "ACTION", "ACTOR", "TARGET", "OUTCOME"]).style(t.title()))
        .block(block);
    frame.render_widget(table, area);
}

//! The start screen: every plugin with its status badge and live numbers.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState};

use super::widgets::{badge, bytes, duration, spark};
use crate::app::App;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let title = if app.filter.is_empty() {
        format!(" Plugins ({}) ", app.plugins.len())
    } else {
        format!(
            " Plugins ({} of {}, filter /{}) ",
            app.visible_plugins().len(),
            app.plugins.len(),
            app.filter
        )
    };
    let block = Block::bordered().title(Line::styled(title, t.title()));
    if let Some(err) = app.load_errors.get("plugins") {
        let text =
            vec![Line::styled(format!("cannot list plugins: {err}"), t.error()), Line::raw("R retries")];
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    }
    if !app.plugins_loaded {
        frame.render_widget(Paragraph::new("loading plugins...").block(block), area);
        return;
    }
    let visible = app.visible_plugins();
    if visible.is_empty() {
        let msg = if app.plugins.is_empty() {
            "no plugins: drop a manifest into bkgd's plugins directory and reload"
        } else {
            "no plugin matches the filter (Esc clears it)"
        };
        frame.render_widget(Paragraph::new(msg).style(t.muted()).block(block), area);
        return;
    }
    // Narrow terminals drop the node first (on one node it says little), then the sparkline
    // and the restart count.
    let wide = area.width >= 100;
    let mut header = vec!["STATUS", "ID", "PID", "CPU%", "MEM", "UPTIME"];
    let mut widths = vec![
        Constraint::Length(12),
        Constraint::Min(10),
        Constraint::Length(7),
        Constraint::Length(6),
        Constraint::Length(10),
        Constraint::Length(7),
    ];
    // Very wide terminals have room for the plugin's name.
    let names = area.width >= 140;
    if names {
        header.insert(2, "NAME");
        widths.insert(2, Constraint::Min(16));
    }
    if wide {
        header.push("RESTARTS");
        widths.push(Constraint::Length(8));
    }
    header.push("INV/S");
    widths.push(Constraint::Length(6));
    if wide {
        header.push("CPU");
        widths.push(Constraint::Length(20));
    }
    let node = area.width >= 120;
    if node {
        header.push("NODE");
        widths.push(Constraint::Length(12));
    }
    let rows: Vec<Row> = visible
        .iter()
        .map(|p| {
            let stats = app.stats.get(&*p.id);
            let last = stats.and_then(|s| s.last());
            let running = p.pid.is_some();
            let num = |s: String| if running { s } else { "-".to_string() };
            let mut cells = vec![Cell::from(badge(t, p.status)), Cell::from(&*p.id)];
            if names {
                cells.push(Cell::from(&*p.name));
            }
            cells.extend([
                Cell::from(p.pid.map_or("-".into(), |p| p.to_string())),
                Cell::from(num(last.map_or("-".into(), |l| format!("{:.1}", l.cpu)))),
                Cell::from(num(last.map_or("-".into(), |l| bytes(l.mem)))),
                Cell::from(num(duration(p.uptime))),
            ]);
            if wide {
                cells.push(Cell::from(p.restarts.to_string()));
            }
            cells.push(Cell::from(num(
                last.map_or("-".into(), |l| format!("{:.1}", l.throughput.invocations_per_sec))
            )));
            if wide {
                let series = stats.map(|s| s.series(20, |x| x.cpu)).unwrap_or_default();
                cells.push(Cell::from(Line::styled(spark(&series, 20), t.accent())));
            }
            if node {
                cells.push(Cell::from(&*p.node));
            }
            Row::new(cells)
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.title()))
        .row_highlight_style(t.selected())
        .highlight_symbol("> ")
        .block(block);
    let mut state = TableState::default().with_selected(Some(app.selected));
    frame.render_stateful_widget(table, area, &mut state);
}

//! The nodes screen: every bkgd on the server's database (one on SQLite) with its state, and
//! below the list the selected node's plugins. Plugins are acted on through the node that runs
//! them, so another node's entry says which URL to connect to.

use bkg_core::cluster::NodeInfo;
use bkg_core::plugin::PluginState;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::admin::{list_block, placeholder};
use super::widgets::{ago, badge, node_badge};
use crate::app::App;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let block = list_block(app, format!(" Nodes (live, {}; * is this server) ", app.nodes.len()));
    if let Some(lines) = placeholder(app, "nodes", app.nodes_loaded, app.nodes.is_empty(), "no nodes") {
        frame.render_widget(Paragraph::new(lines).block(block), area);
        return;
    }
    // Times are shown relative to the answering node's clock (its `lastSeen` is its now), so a
    // client's clock does not matter.
    let now = app.nodes.iter().find(|n| n.current).map(|n| n.last_seen);
    let list_h = (app.nodes.len() as u16 + 3).min(area.height / 2).max(4);
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Length(list_h), Constraint::Min(0)]).areas(area);
    let rows: Vec<Row> = app
        .nodes
        .iter()
        .map(|n| {
            let running = n.plugins.iter().filter(|p| p.status == PluginState::Running).count();
            let seen = match now {
                _ if n.current => "now".to_string(),
                Some(now) => ago((now - n.last_seen).num_seconds()),
                None => n.last_seen.format("%m-%d %H:%M:%S").to_string(),
            };
            Row::new(vec![
                Cell::from(Line::styled(if n.current { "*" } else { "" }, t.accent())),
                Cell::from(n.name.clone()),
                Cell::from(node_badge(t, n.state)),
                Cell::from(n.url.clone()),
                Cell::from(n.version.clone()),
                Cell::from(format!("{running}/{}", n.plugins.len())),
                Cell::from(seen),
            ])
        })
        .collect();
    // The URL is what a user needs to act on another node's plugins: it gets the most room.
    let widths = [
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(9),
        Constraint::Fill(2),
        Constraint::Length(7),
        Constraint::Length(7),
        Constraint::Length(10),
    ];
    let header =
        Row::new(vec!["", "NAME", "STATE", "URL", "VERSION", "RUNNING", "LAST SEEN"]).style(t.title());
    let table = Table::new(rows, widths)
        .header(header)
        .row_highlight_style(t.selected())
        .highlight_symbol("> ")
        .block(block);
    let mut state = TableState::default().with_selected(Some(app.node_selected));
    frame.render_stateful_widget(table, list_area, &mut state);
    if let Some(n) = app.nodes.get(app.node_selected) {
        plugins(app, n, frame, detail_area);
    }
}

/// The selected node: its build and start, and its plugins as it last reported them.
fn plugins(app: &App, n: &NodeInfo, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let block = list_block(app, format!(" Plugins on {} ({}) ", n.name, n.plugins.len()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut head = vec![Line::from(vec![
        Span::raw(format!("bkgd {}", n.version)),
        Span::styled(format!(" (commit {})", n.commit), t.muted()),
        Span::raw(format!("  started {}", n.started_at.format("%Y-%m-%d %H:%M:%S UTC"))),
    ])];
    if !n.current {
        head.push(Line::styled(
            format!("acted on through its own URL: bkg-tui --server {}", n.url),
            t.warn(),
        ));
    }
    let [head_area, list_area] =
        Layout::vertical([Constraint::Length(head.len() as u16), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(head), head_area);
    if n.plugins.is_empty() {
        frame.render_widget(Paragraph::new(Line::styled("no plugins", t.muted())), list_area);
        return;
    }
    let rows: Vec<Row> = n
        .plugins
        .iter()
        .map(|p| {
            Row::new(vec![
                Cell::from(badge(t, p.status)),
                Cell::from(&*p.id),
                Cell::from(&*p.name),
                Cell::from(&*p.version),
            ])
        })
        .collect();
    let widths = [Constraint::Length(12), Constraint::Min(10), Constraint::Min(10), Constraint::Length(10)];
    let table =
        Table::new(rows, widths).header(Row::new(vec!["STATUS", "ID", "NAME", "VERSION"]).style(t.title()));
    frame.render_widget(table, list_area);
}

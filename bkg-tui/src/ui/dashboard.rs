//! One plugin's dashboard: header with state and actions, telemetry sparklines, and tabs for
//! the live logs, the config, the capabilities (with the invoke panel) and, where the plugin
//! has one, its own view (chat, collections: `views.rs`).

use bkg_core::auth::Permission;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Sparkline, Tabs, Wrap};

use super::widgets::{badge, bytes, cut, duration};
use crate::app::{App, Tab};
use crate::settings::Action;

pub fn draw(app: &App, id: &str, frame: &mut Frame, area: Rect) {
    let compact = area.height < 30;
    let [head, sparks, tabs, body] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Length(if compact { 3 } else { 5 }),
        Constraint::Length(1),
        Constraint::Min(3),
    ])
    .areas(area);
    header(app, id, frame, head);
    sparklines(app, id, frame, sparks);
    let t = &app.settings.theme;
    let all = app.tabs();
    let titles: Vec<&str> = all.iter().map(|t| t.name()).collect();
    let sel = all.iter().position(|x| *x == app.tab).unwrap_or(0);
    frame.render_widget(Tabs::new(titles).select(sel).highlight_style(t.selected()).divider("|"), tabs);
    match app.tab {
        Tab::Logs => super::logs::pane(app, id, frame, body),
        Tab::Config => config(app, frame, body),
        Tab::Capabilities => capabilities(app, frame, body),
        Tab::Chat => super::views::chat(app, frame, body),
        Tab::Collections => super::views::collections(app, frame, body),
    }
}

fn header(app: &App, id: &str, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let block = Block::bordered().title(Line::styled(format!(" {id} "), t.title()));
    let summary = app.plugins.iter().find(|p| *p.id == *id);
    let mut first = Vec::new();
    if let Some(d) = &app.detail {
        first.push(badge(t, d.status.status));
        first.push(Span::raw(format!("  {} v{}", d.name, d.version)));
        first.push(Span::raw(format!("  run {}", d.status.run)));
        if let Some(pid) = d.status.pid {
            first.push(Span::raw(format!("  pid {pid}  up {}", duration(d.status.uptime))));
        }
        first.push(Span::raw(format!("  restarts {}", d.status.restarts)));
    } else if let Some(p) = summary {
        first.push(badge(t, p.status));
        first.push(Span::raw(format!("  {} v{}", p.name, p.version)));
    } else {
        first.push(Span::styled("loading...", t.muted()));
    }
    let mut second = Vec::new();
    let exit = app.detail.as_ref().and_then(|d| {
        d.status.reason.clone().or_else(|| {
            d.status.last_exit.as_ref().map(|e| match (e.code, e.signal) {
                (Some(c), _) => format!("code {c} (run {})", e.run),
                (None, Some(s)) => format!("signal {s} (run {})", e.run),
                _ => format!("run {}", e.run),
            })
        })
    });
    second.push(Span::styled("exit: ", t.muted()));
    second.push(Span::raw(exit.unwrap_or_else(|| "-".into())));
    second.push(Span::raw("  "));
    let km = &app.settings.keymap;
    let mut actions = Vec::new();
    if app.can(Permission::PluginsLifecycle) {
        actions.extend([(Action::Start, "start"), (Action::Stop, "stop"), (Action::Restart, "restart")]);
    }
    actions.extend([(Action::Logs, "logs"), (Action::Invoke, "invoke")]);
    for (a, name) in actions {
        second.push(Span::styled(format!("[{}]", km.label(a)), t.key()));
        second.push(Span::raw(format!("{name} ")));
    }
    frame.render_widget(Paragraph::new(vec![Line::from(first), Line::from(second)]).block(block), area);
}

fn sparklines(app: &App, id: &str, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let stats = app.stats.get(id);
    let last = stats.and_then(|s| s.last());
    let cols = Layout::horizontal([Constraint::Ratio(1, 4); 4]).split(area);
    let width = cols[0].width.saturating_sub(2) as usize;
    let series = |f: &dyn Fn(&bkg_core::telemetry::TelemetrySample) -> f64, scale: f64| -> Vec<u64> {
        stats
            .map(|s| s.series(width, f))
            .unwrap_or_default()
            .into_iter()
            .map(|v| (v * scale).round() as u64)
            .collect()
    };
    let boxes = [
        (format!("cpu {}", last.map_or("-".into(), |l| format!("{:.1}%", l.cpu))), series(&|s| s.cpu, 10.0)),
        (format!("mem {}", last.map_or("-".into(), |l| bytes(l.mem))), series(&|s| s.mem as f64, 1.0)),
        (
            format!(
                "inv/s {}",
                last.map_or("-".into(), |l| format!("{:.1}", l.throughput.invocations_per_sec))
            ),
            series(&|s| s.throughput.invocations_per_sec, 100.0),
        ),
        (
            format!(
                "p50/p99 {}",
                last.map_or("-".into(), |l| format!(
                    "{:.0}/{:.0}ms",
                    l.throughput.latency_ms.p50, l.throughput.latency_ms.p99
                ))
            ),
            series(&|s| s.throughput.latency_ms.p99, 100.0),
        ),
    ];
    for (i, (title, data)) in boxes.into_iter().enumerate() {
        let block = Block::bordered().title(Line::styled(cut(&title, width), t.title()));
        frame.render_widget(Sparkline::default().data(&data).style(t.accent()).block(block), cols[i]);
    }
}

fn config(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let key = app.settings.keymap.label(Action::Edit);
    let block =
        Block::bordered().title(Line::styled(format!(" Config ({key}: edit in $EDITOR) "), t.title()));
    let Some(d) = &app.detail else {
        frame.render_widget(Paragraph::new("loading...").block(block), area);
        return;
    };
    let mut lines = Vec::new();
    if let Some((msg, details)) = &app.config_error {
        lines.push(Line::styled(format!("rejected: {msg}"), t.error()));
        for d in details {
            lines.push(Line::styled(format!("  {d}"), t.error()));
        }
        lines.push(Line::default());
    }
    let text = serde_json::to_string_pretty(&d.config).unwrap_or_default();
    lines.extend(text.lines().map(|l| Line::raw(l.to_string())));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn capabilities(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let Some(d) = &app.detail else {
        frame.render_widget(
            Paragraph::new("loading...").block(Block::bordered().title(" Capabilities ")),
            area,
        );
        return;
    };
    let [list_area, right] =
        Layout::horizontal([Constraint::Percentage(30), Constraint::Percentage(70)]).areas(area);
    let items: Vec<ListItem> = d
        .capabilities
        .iter()
        .map(|c| ListItem::new(if c.streaming { format!("{} ~", c.name) } else { c.name.clone() }))
        .collect();
    let key = app.settings.keymap.label(Action::Invoke);
    let list = List::new(items)
        .block(Block::bordered().title(Line::styled(format!(" Capabilities ({key}: invoke) "), t.title())))
        .highlight_style(t.selected());
    let mut state = ListState::default().with_selected(Some(app.cap_selected));
    frame.render_stateful_widget(list, list_area, &mut state);
    let Some(cap) = d.capabilities.get(app.cap_selected) else {
        frame.render_widget(Paragraph::new("no capabilities").block(Block::bordered()), right);
        return;
    };
    let showing_invoke =
        app.invoke.capability == cap.name && (app.invoke.running || app.invoke.result.is_some());
    let mut lines = vec![Line::raw(cap.description.clone())];
    if showing_invoke {
        lines.push(Line::styled(format!("input: {}", app.invoke.input), t.muted()));
        for c in &app.invoke.chunks {
            lines.push(Line::raw(c.clone()));
        }
        match &app.invoke.result {
            None => lines.push(Line::styled("running...", t.warn())),
            Some(Ok(text)) => {
                lines.push(Line::styled("result:", t.ok()));
                lines.extend(text.lines().map(|l| Line::raw(l.to_string())));
            }
            Some(Err(e)) => lines.push(Line::styled(format!("error: {e}"), t.error())),
        }
    } else {
        lines.push(Line::styled("input schema:", t.muted()));
        let schema = serde_json::to_string_pretty(&cap.input_schema).unwrap_or_default();
        lines.extend(schema.lines().map(|l| Line::raw(l.to_string())));
    }
    let title = if showing_invoke { format!(" invoke {} ", cap.name) } else { format!(" {} ", cap.name) };
    let p = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(Block::bordered().title(Line::styled(title, t.title())));
    frame.render_widget(p, right);
}

//! Drawing: a pure function of the app's state (`draw` takes `&App`). The frame is a top bar,
//! an optional "disconnected" banner, the screen's body, a status line (notice, prompt or
//! question) and a footer with the keys; help and the one-time secret are popups on top.

mod admin;
mod dashboard;
mod login;
mod logs;
mod nodes;
mod overlays;
mod plugins;
mod views;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{App, Conn, InputKind, Screen, Tab, screen_actions};
use crate::settings::Action;

pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let banner = matches!(app.conn, Conn::Disconnected { .. });
    let [top, banner_area, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(banner)),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    top_bar(app, frame, top);
    if let Conn::Disconnected { error, retry_in_ms } = &app.conn {
        // The server is in the top bar; the error usually names it again.
        let text = format!(" disconnected, retrying in {:.1}s: {error}", *retry_in_ms as f64 / 1000.0);
        frame.render_widget(Paragraph::new(text).style(app.settings.theme.banner()), banner_area);
    }
    if let Some(form) = &app.login {
        login::draw(app, form, frame, body);
        status_line(app, frame, status);
        login_footer(app, frame, footer);
        return;
    }
    match &app.screen {
        Screen::Plugins => plugins::draw(app, frame, body),
        Screen::Dashboard(id) => dashboard::draw(app, id, frame, body),
        Screen::Logs(id) => logs::draw_full(app, id, frame, body),
        Screen::Models => admin::models(app, frame, body),
        Screen::Keys => admin::keys(app, frame, body),
        Screen::Users => admin::users(app, frame, body),
        Screen::Audit => admin::audit(app, frame, body),
        Screen::Nodes => nodes::draw(app, frame, body),
    }
    status_line(app, frame, status);
    footer_line(app, frame, footer);
    if app.help {
        overlays::help(app, frame, area);
    }
    if let Some(secret) = &app.secret {
        overlays::secret(app, secret, frame, area);
    }
}

fn top_bar(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let conn = match app.conn {
        _ if app.login.is_some() => Span::styled("not logged in", t.warn()),
        Conn::Connecting => Span::styled("connecting", t.warn()),
        Conn::Connected => Span::styled("connected", t.ok()),
        Conn::Disconnected { .. } => Span::styled("disconnected", t.error()),
    };
    // A narrow terminal names only the context; the server is in the man page's config.
    let target = match &app.context {
        Some(c) if area.width < 100 => c.clone(),
        Some(c) => format!("{c} ({})", app.server.trim_end_matches('/')),
        None => app.server.trim_end_matches('/').to_string(),
    };
    let mut spans = vec![
        Span::styled(" bkg ", t.accent()),
        Span::raw(if app.login.is_some() { "log in".into() } else { app.screen.title() }),
        Span::styled(" | ", t.muted()),
        Span::raw(target),
        Span::styled(" | ", t.muted()),
        conn,
    ];
    if let Some(me) = &app.me {
        spans.push(Span::styled(" | ", t.muted()));
        spans.push(Span::raw(format!("{} ({})", me.user.username, me.role.as_str())));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn status_line(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let line = if let Some(c) = &app.confirm {
        Line::from(vec![Span::styled(c.question.clone(), t.warn()), Span::raw(" [y/n]")])
    } else if let Some(input) =
        app.input.as_ref().filter(|i| !matches!(i.kind, InputKind::ChatMessage | InputKind::Query))
    {
        Line::from(vec![
            Span::styled(input.kind.prompt(), t.accent()),
            Span::raw(input.text.clone()),
            Span::raw("█"),
        ])
    } else if let Some((ok, text)) = &app.notice {
        Line::from(Span::styled(text.clone(), if *ok { t.ok() } else { t.error() }))
    } else {
        Line::default()
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The keys of the current screen, as many as fit.
fn footer_line(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let mut spans = Vec::new();
    let mut width = 0usize;
    for a in screen_actions(app) {
        if matches!(a, Action::Up | Action::Down) {
            continue;
        }
        // The dashboard's header shows the plugin actions; the footer keeps room for the rest.
        let in_header =
            matches!(a, Action::Start | Action::Stop | Action::Restart | Action::Logs | Action::Invoke);
        if in_header && matches!(app.screen, Screen::Dashboard(_)) {
            continue;
        }
        let key = app.settings.keymap.label(a);
        let name = match (a, app.tab) {
            (Action::Open, Tab::Chat) if matches!(app.screen, Screen::Dashboard(_)) => "write",
            (Action::Open | Action::Filter, Tab::Collections)
                if matches!(app.screen, Screen::Dashboard(_)) =>
            {
                "query"
            }
            _ => short_name(a),
        };
        let w = key.chars().count() + name.len() + 2;
        if width + w > area.width as usize {
            break;
        }
        width += w;
        spans.push(Span::styled(key, t.key()));
        spans.push(Span::raw(format!(" {name} ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The login form's keys.
fn login_footer(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let mut spans = Vec::new();
    let mut width = 0usize;
    for (key, name) in login::KEYS {
        let w = key.chars().count() + name.len() + 2;
        if width + w > area.width as usize {
            break;
        }
        width += w;
        spans.push(Span::styled(key, t.key()));
        spans.push(Span::raw(format!(" {name} ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn short_name(a: Action) -> &'static str {
    match a {
        Action::NextPane => "tab",
        Action::NextMatch => "next",
        Action::PrevMatch => "prev",
        Action::Timestamps => "time",
        Action::Palette => "cmd",
        Action::Filter => "find",
        other => other.name(),
    }
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod screen_tests;

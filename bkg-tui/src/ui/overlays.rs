//! Popups drawn over the screen: the help with every key, and an API key's one-time secret.

use bkg_core::auth::ApiKeySecret;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::widgets::{centered, cut};
use crate::app::App;
use crate::settings::Action;

pub fn help(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let km = &app.settings.keymap;
    // One column when it fits, else as many as needed (80x24 takes two).
    let rows = area.height.saturating_sub(3).max(1) as usize;
    let cols = Action::ALL.len().div_ceil(rows).max(1);
    let popup_w = if cols == 1 { 76 } else { area.width };
    let per_col = Action::ALL.len().div_ceil(cols);
    let popup = centered(area, popup_w, per_col as u16 + 3);
    frame.render_widget(Clear, popup);
    let block = Block::bordered().title(Line::styled(" Keys (any key closes) ", t.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [note, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Line::styled(
            "arrows move too; Ctrl-C always quits; Ctrl-X stops a chat reply",
            t.muted(),
        )),
        note,
    );
    let areas = Layout::horizontal(vec![Constraint::Ratio(1, cols as u32); cols]).split(body);
    for (i, chunk) in Action::ALL.chunks(per_col).enumerate() {
        let width = areas[i].width.saturating_sub(8) as usize;
        let lines: Vec<Line> = chunk
            .iter()
            .map(|a| {
                Line::from(vec![
                    Span::styled(format!("{:>6} ", km.label(*a)), t.key()),
                    Span::raw(cut(a.describe(), width)),
                ])
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), areas[i]);
    }
}

pub fn secret(app: &App, s: &ApiKeySecret, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let lines = vec![
        Line::raw(format!("API key {} ({})", s.key.name, s.key.role.as_str())),
        Line::default(),
        Line::styled(s.secret.clone(), t.accent()),
        Line::default(),
        Line::styled("This secret is shown once; copy it now. Any key closes.", t.warn()),
    ];
    let popup = centered(area, 76, 7);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(Line::styled(" New secret ", t.title()))),
        popup,
    );
}

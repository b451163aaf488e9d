//! The login form, drawn instead of a screen while there is no usable credential. The
//! password is drawn as one `•` per character, never in clear.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::widgets::{centered, cut};
pub use crate::app::LOGIN_KEYS as KEYS;
use crate::app::{App, LoginField, LoginForm};

pub fn draw(app: &App, form: &LoginForm, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let popup = centered(area, 64.min(area.width), 12.min(area.height));
    let width = popup.width.saturating_sub(14) as usize;
    let field = |name: &str, value: String, at: LoginField| {
        let focused = form.field == at && !form.busy;
        let mut spans =
            vec![Span::styled(format!(" {name:<10}"), if focused { t.accent() } else { t.muted() })];
        // The end of the value shows when it is wider than the field.
        let shown: String = {
            let n = value.chars().count();
            value.chars().skip(n.saturating_sub(width.saturating_sub(1))).collect()
        };
        spans.push(Span::raw(shown));
        if focused {
            spans.push(Span::raw("█"));
        }
        Line::from(spans)
    };
    let server = app.server.trim_end_matches('/').to_string();
    let button = if form.busy {
        Line::styled("           logging in…", t.warn())
    } else if form.field == LoginField::Submit {
        Line::from(vec![Span::raw("           "), Span::styled("[ log in ]", t.selected())])
    } else {
        Line::from(vec![Span::raw("           "), Span::styled("[ log in ]", t.key())])
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!(" {:<10}", "server"), t.muted()),
            Span::raw(cut(&server, width)),
        ]),
        Line::default(),
        field("username", form.username.clone(), LoginField::Username),
        field("password", "•".repeat(form.password.chars().count()), LoginField::Password),
        Line::default(),
        button,
        Line::default(),
    ];
    match &form.error {
        Some(e) => lines.push(Line::styled(format!(" {e}"), t.error())),
        None => lines.push(Line::styled(" The session is stored as `bkgctl login` stores it.", t.muted())),
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(Line::styled(" Log in to bkgd ", t.title()))),
        popup,
    );
}

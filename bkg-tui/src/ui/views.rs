//! The dashboard's plugin-specific tabs: the chat (llmserver) and the collections with a
//! query box (brainml). Like every screen, a pure function of the app's state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, List, ListItem, ListState, Paragraph, Row, Table, TableState};

use super::widgets::cut;
use crate::app::views::{Speaker, invoke_denied};
use crate::app::{App, InputKind};
use crate::settings::Action;

/// The text of a focused input of `kind`, if that input is open.
fn typing(app: &App, kind: InputKind) -> Option<&str> {
    app.input.as_ref().filter(|i| i.kind == kind).map(|i| i.text.as_str())
}

/// Wraps `text` at `width` columns (words, and words longer than a line cut), keeping its
/// line breaks.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut len = 0;
        for word in para.split(' ') {
            let mut word: Vec<char> = word.chars().collect();
            let sep = usize::from(len > 0);
            if len + sep + word.len() > width && len > 0 {
                out.push(std::mem::take(&mut line));
                len = 0;
            } else if sep == 1 {
                line.push(' ');
                len += 1;
            }
            while word.len() > width {
                let rest = word.split_off(width);
                out.push(word.iter().collect());
                word = rest;
            }
            len += word.len();
            line.extend(word);
        }
        out.push(line);
    }
    out
}

/// The input box under a pane: the text being typed, or how to start typing.
fn input_box(app: &App, kind: InputKind, title: &str, idle: Line<'static>, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let inner = area.width.saturating_sub(2) as usize;
    let line = match typing(app, kind) {
        Some(text) => {
            let prompt = kind.prompt();
            // The end of a long line stays visible.
            let room = inner.saturating_sub(prompt.len() + 1);
            let skip = text.chars().count().saturating_sub(room);
            let shown: String = text.chars().skip(skip).collect();
            Line::from(vec![Span::styled(prompt, t.accent()), Span::raw(shown), Span::raw("█")])
        }
        None => idle,
    };
    let border = if typing(app, kind).is_some() { t.accent() } else { Style::default() };
    let block = Block::bordered().border_style(border).title(Line::styled(format!(" {title} "), t.title()));
    frame.render_widget(Paragraph::new(line).block(block), area);
}

pub fn chat(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let [conv, input] = Layout::vertical([Constraint::Min(3), Constraint::Length(3)]).areas(area);
    let chat = &app.chat;
    let width = conv.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = Vec::new();
    for (i, turn) in chat.turns.iter().enumerate() {
        let (who, style) = match turn.speaker {
            Speaker::User => ("you", t.accent()),
            Speaker::Assistant => ("assistant", t.ok()),
        };
        let streaming =
            chat.pending.is_some() && i + 1 == chat.turns.len() && turn.speaker == Speaker::Assistant;
        let head = if streaming { format!("{who} …") } else { who.to_string() };
        lines.push(Line::styled(head, style));
        for l in wrap(&turn.text, width.saturating_sub(2)) {
            lines.push(Line::raw(format!("  {l}")));
        }
    }
    if let Some(e) = &chat.error {
        for l in wrap(&format!("error: {e}"), width) {
            lines.push(Line::styled(l, t.error()));
        }
    }
    if let Some(s) = &chat.status {
        lines.push(Line::styled(s.clone(), t.muted()));
    }
    if lines.is_empty() {
        match invoke_denied(app) {
            Some(why) => lines.extend(wrap(&why, width).into_iter().map(|l| Line::styled(l, t.warn()))),
            None => lines.push(Line::styled("no messages yet", t.muted())),
        }
    }
    // The newest lines show, unless scrolled back.
    let rows = conv.height.saturating_sub(2) as usize;
    let max_back = lines.len().saturating_sub(rows);
    let back = (chat.scroll_back as usize).min(max_back);
    let start = lines.len().saturating_sub(rows + back);
    let shown: Vec<Line> = lines.into_iter().skip(start).take(rows).collect();
    let title = if back > 0 { format!(" Chat ({back} lines back) ") } else { " Chat ".to_string() };
    frame.render_widget(
        Paragraph::new(shown).block(Block::bordered().title(Line::styled(title, t.title()))),
        conv,
    );

    let km = &app.settings.keymap;
    let idle = if invoke_denied(app).is_some() {
        Line::styled("read-only", t.warn())
    } else if chat.pending.is_some() {
        Line::styled(
            cut(&format!("replying… ({} or Ctrl-X cancels)", km.label(Action::Back)), width),
            t.warn(),
        )
    } else {
        Line::styled(cut(&format!("{}: write a message", km.label(Action::Open)), width), t.muted())
    };
    input_box(app, InputKind::ChatMessage, "message", idle, frame, input);
}

pub fn collections(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.settings.theme;
    let c = &app.collections;
    let km = &app.settings.keymap;
    let [list_area, right] =
        Layout::horizontal([Constraint::Percentage(30), Constraint::Percentage(70)]).areas(area);
    let list_title = if c.loading && c.list.is_some() { " Collections … " } else { " Collections " };
    let list_block = Block::bordered().title(Line::styled(list_title, t.title()));
    let inner = list_area.width.saturating_sub(2) as usize;
    let denied = invoke_denied(app);
    match (&c.list, &denied) {
        (_, Some(why)) => {
            let lines: Vec<Line> = wrap(why, inner).into_iter().map(|l| Line::styled(l, t.warn())).collect();
            frame.render_widget(Paragraph::new(lines).block(list_block), list_area);
        }
        (None, None) => frame.render_widget(Paragraph::new("loading...").block(list_block), list_area),
        (Some(Err(e)), None) => {
            let lines: Vec<Line> =
                wrap(&format!("error: {e}"), inner).into_iter().map(|l| Line::styled(l, t.error())).collect();
            frame.render_widget(Paragraph::new(lines).block(list_block), list_area);
        }
        (Some(Ok(rows)), None) if rows.is_empty() => {
            let text = "no collections yet: index documents with `bkgctl plugins invoke brainml index ...`";
            let lines: Vec<Line> =
                wrap(text, inner).into_iter().map(|l| Line::styled(l, t.muted())).collect();
            frame.render_widget(Paragraph::new(lines).block(list_block), list_area);
        }
        (Some(Ok(rows)), None) => {
            let items: Vec<ListItem> = rows
                .iter()
                .map(|r| {
                    let count = r.documents.to_string();
                    let name_room = inner.saturating_sub(count.len() + 1);
                    let name = cut(&r.name, name_room);
                    let pad = inner.saturating_sub(name.chars().count() + count.len());
                    ListItem::new(format!("{name}{}{count}", " ".repeat(pad)))
                })
                .collect();
            let list = List::new(items).block(list_block).highlight_style(t.selected());
            let mut state = ListState::default().with_selected(Some(c.selected));
            frame.render_stateful_widget(list, list_area, &mut state);
        }
    }

    let [query_area, hits_area] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(right);
    let qwidth = query_area.width.saturating_sub(2) as usize;
    let idle = match c.selected_name() {
        _ if denied.is_some() => Line::styled("read-only", t.warn()),
        Some(name) if c.query.is_empty() => Line::styled(
            cut(&format!("{} or {}: query {name}", km.label(Action::Filter), km.label(Action::Open)), qwidth),
            t.muted(),
        ),
        Some(_) => Line::raw(cut(&c.query, qwidth)),
        None => Line::styled("select a collection to query", t.muted()),
    };
    let title = match c.selected_name() {
        Some(name) => format!("query {}", cut(name, qwidth.saturating_sub(10))),
        None => "query".into(),
    };
    input_box(app, InputKind::Query, &title, idle, frame, query_area);

    let hits_title = if c.query_collection.is_empty() {
        " Hits ".to_string()
    } else {
        format!(" Hits in {} ", c.query_collection)
    };
    let block =
        Block::bordered().title(Line::styled(cut(&hits_title, hits_area.width as usize - 2), t.title()));
    let hwidth = hits_area.width.saturating_sub(2) as usize;
    match &c.hits {
        None if c.querying => {
            frame.render_widget(Paragraph::new(Line::styled("querying…", t.warn())).block(block), hits_area)
        }
        None => frame
            .render_widget(Paragraph::new(Line::styled("no query yet", t.muted())).block(block), hits_area),
        Some(Err(e)) => {
            let lines: Vec<Line> = wrap(&format!("error: {e}"), hwidth)
                .into_iter()
                .map(|l| Line::styled(l, t.error()))
                .collect();
            frame.render_widget(Paragraph::new(lines).block(block), hits_area);
        }
        Some(Ok(hits)) if hits.is_empty() => {
            frame.render_widget(Paragraph::new(Line::styled("no hits", t.muted())).block(block), hits_area)
        }
        Some(Ok(hits)) => {
            // The id column goes first on a narrow terminal.
            let with_id = hwidth >= 48;
            let id_w = if hwidth >= 100 { 24 } else { 12 };
            let text_w = hwidth.saturating_sub(6 + 1 + if with_id { id_w + 1 } else { 0 });
            let rows: Vec<Row> = hits
                .iter()
                .map(|h| {
                    let mut cells = vec![Cell::from(format!("{:.3}", h.score))];
                    if with_id {
                        cells.push(Cell::from(cut(&h.id, id_w)));
                    }
                    cells.push(Cell::from(cut(&h.text, text_w)));
                    Row::new(cells)
                })
                .collect();
            let (header, widths) = if with_id {
                (
                    vec!["SCORE", "ID", "TEXT"],
                    vec![Constraint::Length(6), Constraint::Length(id_w as u16), Constraint::Min(10)],
                )
            } else {
                (vec!["SCORE", "TEXT"], vec![Constraint::Length(6), Constraint::Min(10)])
            };
            let table = Table::new(rows, widths).header(Row::new(header).style(t.title())).block(block);
            frame.render_stateful_widget(table, hits_area, &mut TableState::default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_words_and_cuts_long_ones() {
        assert_eq!(wrap("hello big world", 9), vec!["hello big", "world"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a\nb", 10), vec!["a", "b"]);
        assert_eq!(wrap("", 10), vec![""]);
    }
}

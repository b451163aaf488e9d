//! Tables and key-value blocks for `-o table`: borderless columns like `kubectl get`, within
//! the terminal's width on a TTY and within 80 columns otherwise, coloured only when
//! [`Style::color`] says so.

use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};

use super::Style;

/// Width of a table when stdout is not a terminal.
pub const PIPE_WIDTH: u16 = 80;

/// How a state reads at a glance; mapped to a colour on terminals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Busy,
    Bad,
    Plain,
}

/// A cell for a state word, coloured by its tone when colour is on.
pub fn tone(style: &Style, text: impl ToString, tone: Tone) -> Cell {
    let cell = Cell::new(text);
    if !style.color {
        return cell;
    }
    match tone {
        Tone::Good => cell.fg(Color::Green),
        Tone::Busy => cell.fg(Color::Yellow),
        Tone::Bad => cell.fg(Color::Red).add_attribute(Attribute::Bold),
        Tone::Plain => cell,
    }
}

/// Inline text in the tone's colour (ANSI), for lines that are not tables.
pub fn paint(style: &Style, text: &str, tone: Tone) -> String {
    let code = match tone {
        _ if !style.color => return text.to_string(),
        Tone::Good => "32",
        Tone::Busy => "33",
        Tone::Bad => "1;31",
        Tone::Plain => return text.to_string(),
    };
    format!("\u{1b}[{code}m{text}\u{1b}[0m")
}

fn base(style: &Style) -> Table {
    let mut table = Table::new();
    table.load_style(presets::NOTHING).set_content_arrangement(ContentArrangement::Dynamic);
    if style.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    if !style.tty {
        table.set_width(PIPE_WIDTH);
    }
    table
}

fn finish(mut table: Table) -> String {
    // No padding before the first column, two spaces between columns.
    for (i, column) in table.column_iter_mut().enumerate() {
        column.set_padding((if i == 0 { 0 } else { 1 }, 1));
    }
    let mut text: String =
        table.to_string().lines().map(|l| format!("{}\n", l.trim_end())).collect::<Vec<_>>().concat();
    if text.is_empty() {
        text.push('\n');
    }
    text
}

/// Rows under a header line.
pub fn list(style: &Style, headers: &[&str], rows: Vec<Vec<Cell>>) -> String {
    let mut table = base(style);
    table.set_header(headers.iter().map(Cell::new));
    for row in rows {
        table.add_row(row);
    }
    finish(table)
}

/// `KEY  value` lines for one object.
pub fn pairs(style: &Style, pairs: Vec<(&str, Cell)>) -> String {
    let mut table = base(style);
    for (key, value) in pairs {
        table.add_row(vec![Cell::new(format!("{key}:")), value]);
    }
    finish(table)
}

/// A cell that shows `-` for nothing.
pub fn opt<T: ToString>(v: Option<T>) -> Cell {
    Cell::new(v.map(|v| v.to_string()).unwrap_or_else(|| "-".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIPE: Style = Style { color: false, tty: false };

    #[test]
    fn tables_fit_80_columns_when_piped() {
        let long = "x".repeat(200);
        let text = list(&PIPE, &["ID", "DESCRIPTION"], vec![vec![Cell::new("a"), Cell::new(&long)]]);
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        assert!(text.starts_with("ID"), "no leading padding: {text:?}");
    }

    #[test]
    fn no_escape_codes_without_colour() {
        let text = list(&PIPE, &["STATUS"], vec![vec![tone(&PIPE, "failed", Tone::Bad)]]);
        assert!(!text.contains('\u{1b}'), "{text:?}");
    }
}

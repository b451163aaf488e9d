//! Tables and key-value blocks for `-o table`: borderless columns like `kubectl get` (a name
//! is never split), prose wrapped at word boundaries within the terminal's width
//! on a TTY and within 80 columns otherwise, coloured only when [`Style::color`] says so.

use comfy_table::{Attribute, Cell, Color, ColumnConstraint, ContentArrangement, Table, presets};

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

/// Rows under a header line. A column of single words (ids, names, states) is never wrapped,
/// as in `kubectl get`: a row too wide for the terminal runs past it, but names stay whole for
/// reading, copying and `grep`. Only columns of prose wrap, at spaces.
pub fn list(style: &Style, headers: &[&str], rows: Vec<Vec<Cell>>) -> String {
    let mut table = base(style);
    table.set_header(headers.iter().map(Cell::new));
    let mut prose = vec![false; headers.len()];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(p) = prose.get_mut(i) {
                *p |= cell.content().contains(char::is_whitespace);
            }
        }
        table.add_row(row);
    }
    for (column, prose) in table.column_iter_mut().zip(prose) {
        if !prose {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
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
        let long = "many words of prose ".repeat(10);
        let text = list(&PIPE, &["ID", "DESCRIPTION"], vec![vec![Cell::new("a"), Cell::new(&long)]]);
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        assert!(text.starts_with("ID"), "no leading padding: {text:?}");
    }

    #[test]
    fn names_are_never_split() {
        let name = "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF";
        let prose = "a small instruction-tuned model for chat, quantised to eight bits, ".repeat(2);
        let rows = vec![vec![Cell::new(name), Cell::new("downloading"), Cell::new(&prose)]];
        let text = list(&PIPE, &["ID", "STATUS", "DESCRIPTION"], rows.clone());
        assert!(text.lines().nth(1).unwrap().starts_with(name), "{text}");
        assert!(text.contains("downloading"), "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= 80), "prose still wraps: {text}");
        let wide = Cell::new(name.repeat(3));
        let text = list(&PIPE, &["ID", "STATUS"], vec![vec![wide, Cell::new("ok")]]);
        assert!(text.contains(&name.repeat(3)), "longer than the width and still whole: {text}");
    }

    #[test]
    fn no_escape_codes_without_colour() {
        let text = list(&PIPE, &["STATUS"], vec![vec![tone(&PIPE, "failed", Tone::Bad)]]);
        assert!(!text.contains('\u{1b}'), "{text:?}");
    }
}

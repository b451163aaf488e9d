//! How results reach stdout: `-o table|json|yaml` and `--quiet`, the same for every command.
//!
//! JSON is the API's own answer (camelCase, the DTOs of `bkg-core`), so the CLI's contract is
//! the API's contract; commands that compose several calls document their own shape in
//! `bkgctl/README.md`. Streams (logs, streamed invocations) are JSON Lines, or one YAML
//! document per item. Tables go through [`table`], which keeps them within the width.

pub mod human;
pub mod table;

use std::io::{IsTerminal, Write};

use serde::Serialize;

/// The `-o` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people (the default).
    Table,
    /// The API's JSON, stable for scripts.
    Json,
    /// The same data as YAML.
    Yaml,
}

/// Terminal facts that decide how human output looks.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Colour: only on a terminal, never with `NO_COLOR` or `TERM=dumb`.
    pub color: bool,
    /// stdout is a terminal: tables take its width; otherwise they fit 80 columns.
    pub tty: bool,
}

impl Style {
    pub fn detect() -> Self {
        let tty = std::io::stdout().is_terminal();
        Self { color: tty && color_allowed(), tty }
    }
}

/// `NO_COLOR` (any non-empty value, see no-color.org) and `TERM=dumb` turn colour off.
pub fn color_allowed() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    !no_color && !dumb
}

/// A result that can be shown to people and listed by id, besides being serialized.
pub trait Render: Serialize {
    /// The table (or key-value block) for `-o table`, ending with a newline.
    fn human(&self, style: &Style) -> String;
    /// What `--quiet` prints, one per line: the ids of the objects in the result.
    fn ids(&self) -> Vec<String>;
}

/// The output settings of one invocation.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub format: Format,
    pub quiet: bool,
    pub style: Style,
}

impl Output {
    pub fn new(format: Format, quiet: bool) -> Self {
        Self { format, quiet, style: Style::detect() }
    }

    /// Prints one result in the chosen format.
    pub fn print<T: Render>(&self, value: &T) -> anyhow::Result<()> {
        let text = if self.quiet {
            lines(value.ids())
        } else {
            match self.format {
                Format::Table => value.human(&self.style),
                Format::Json => json_pretty(value)?,
                Format::Yaml => yaml(value)?,
            }
        };
        write_stdout(&text)
    }

    /// Prints one item of a stream: a JSON line, a YAML document, or its human form.
    pub fn print_item<T: Render>(&self, value: &T) -> anyhow::Result<()> {
        write_stdout(&self.item_text(value)?)
    }

    /// The text [`Output::print_item`] prints, for a caller that writes many at once.
    pub fn item_text<T: Render>(&self, value: &T) -> anyhow::Result<String> {
        Ok(if self.quiet {
            lines(value.ids())
        } else {
            match self.format {
                Format::Table => value.human(&self.style),
                Format::Json => {
                    let mut line = serde_json::to_string(value)?;
                    line.push('\n');
                    line
                }
                Format::Yaml => format!("---\n{}", yaml(value)?),
            }
        })
    }

    /// Whether the user asked for machine-readable output (then progress and notes go to
    /// stderr only, and nothing decorative reaches stdout).
    pub fn machine(&self) -> bool {
        self.quiet || self.format != Format::Table
    }
}

fn lines(ids: Vec<String>) -> String {
    ids.into_iter().map(|id| id + "\n").collect()
}

pub fn json_pretty<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}

fn yaml<T: Serialize>(value: &T) -> anyhow::Result<String> {
    let mut text = serde_saphyr::to_string(value).map_err(|e| anyhow::anyhow!("cannot write YAML: {e}"))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// Writes and flushes, so a follower's lines appear as they come and a closed pipe surfaces
/// as an error (which `exit::report` treats as a quiet success).
pub fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// A note for people on stderr (never part of the machine-readable output).
pub fn note(text: impl std::fmt::Display) {
    eprintln!("{text}");
}

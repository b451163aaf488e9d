//! How each API answer looks in a table and what `--quiet` lists: one [`Render`]
//! implementation per DTO, grouped like the API (`plugins`, `models`, `admin`), plus the
//! small shapes bkgctl composes itself.

mod admin;
mod models;
mod nodes;
mod plugins;
mod runtimes;

use serde::Serialize;

use crate::output::{Render, Style};

pub use models::progress_text;
pub use plugins::state_tone;

/// What `rm` commands print: `{"id": "...", "deleted": true}` (the API answers 204 without a
/// body, so bkgctl says what happened itself).
#[derive(Debug, Serialize)]
pub struct Deleted {
    pub id: String,
    pub deleted: bool,
}

impl Render for Deleted {
    fn human(&self, _style: &Style) -> String {
        format!("deleted {}\n", self.id)
    }

    fn ids(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

/// A JSON value shown as is: pretty JSON in a table context, one line per item in streams.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct Json(pub serde_json::Value);

impl Render for Json {
    fn human(&self, _style: &Style) -> String {
        match &self.0 {
            // A bare string is printed raw, so `$(bkgctl plugins config get p key)` gets the
            // value and not a quoted JSON string.
            serde_json::Value::String(s) => format!("{s}\n"),
            other => crate::output::json_pretty(other).unwrap_or_else(|_| format!("{other}\n")),
        }
    }

    fn ids(&self) -> Vec<String> {
        Vec::new()
    }
}

//! Plugin installs: a runtime's state, a reload's report, an uploaded bundle.

use bkg_core::runtime::{BundleInstalled, ReloadReport, RuntimeState, RuntimeStatus};
use comfy_table::Cell;

use crate::output::table::{self, Tone};
use crate::output::{Render, Style, human};

pub fn runtime_text(r: &RuntimeStatus) -> (String, Tone) {
    let kind = format!("{:?}", r.kind).to_lowercase();
    let (state, tone) = match r.state {
        RuntimeState::Installed => ("installed", Tone::Good),
        RuntimeState::Installing => ("installing", Tone::Busy),
        RuntimeState::Outdated => ("outdated (install again)", Tone::Busy),
        RuntimeState::NotInstalled => ("not installed", Tone::Bad),
        RuntimeState::Failed => ("install failed", Tone::Bad),
    };
    (format!("{kind}: {state}"), tone)
}

impl Render for RuntimeStatus {
    fn human(&self, style: &Style) -> String {
        let (text, tone) = runtime_text(self);
        let mut rows = vec![("RUNTIME", table::tone(style, text, tone))];
        if let Some(t) = self.installed_at {
            rows.push(("INSTALLED", Cell::new(human::ago(t))));
        }
        if let Some(m) = &self.message {
            rows.push(("MESSAGE", Cell::new(m)));
        }
        table::pairs(style, rows)
    }

    fn ids(&self) -> Vec<String> {
        Vec::new()
    }
}

fn list(ids: &[String]) -> Cell {
    Cell::new(if ids.is_empty() { "-".into() } else { ids.join(", ") })
}

impl Render for ReloadReport {
    fn human(&self, style: &Style) -> String {
        let mut rows = vec![
            ("ADDED", list(&self.added)),
            ("UPDATED", list(&self.updated)),
            ("REMOVED", list(&self.removed)),
            ("DEFERRED", list(&self.deferred)),
            ("UNCHANGED", list(&self.unchanged)),
        ];
        for e in &self.errors {
            rows.push(("ERROR", table::tone(style, e, Tone::Bad)));
        }
        table::pairs(style, rows)
    }

    fn ids(&self) -> Vec<String> {
        self.added.iter().chain(&self.updated).cloned().collect()
    }
}

impl Render for BundleInstalled {
    fn human(&self, style: &Style) -> String {
        let mut out =
            format!("installed plugin {} ({} files, {})\n", self.id, self.files, human::bytes(self.bytes));
        out.push_str(&self.reload.human(style));
        out
    }

    fn ids(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

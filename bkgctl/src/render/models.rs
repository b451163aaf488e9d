//! Models: the registry list, one model with its files, download and validation answers.

use bkg_core::models::{DownloadAccepted, Model, ModelList, ModelStatus, Progress, ValidationReport};
use comfy_table::Cell;

use crate::output::table::{self, Tone};
use crate::output::{Render, Style, human};

pub fn model_tone(s: ModelStatus) -> Tone {
    match s {
        ModelStatus::Ready => Tone::Good,
        ModelStatus::Queued | ModelStatus::Downloading | ModelStatus::Verifying => Tone::Busy,
        ModelStatus::Invalid | ModelStatus::Failed => Tone::Bad,
    }
}

/// `12.0 MiB / 40.0 MiB (30%), 2.0 MiB/s, 14s left`.
pub fn progress_text(p: &Progress) -> String {
    let mut text = format!("{} / {}", human::bytes(p.bytes_done), human::bytes(p.bytes_total));
    if let Some(percent) = (p.bytes_done * 100).checked_div(p.bytes_total) {
        text.push_str(&format!(" ({percent}%)"));
    }
    if p.rate > 0.0 {
        text.push_str(&format!(", {}/s", human::bytes(p.rate as u64)));
    }
    if let Some(eta) = p.eta_seconds {
        text.push_str(&format!(", {} left", human::secs(eta.ceil() as u64)));
    }
    text
}

fn done_percent(m: &Model) -> String {
    match m.progress.bytes_total {
        0 if m.status == ModelStatus::Ready => "100%".into(),
        0 => "-".into(),
        total => format!("{}%", m.progress.bytes_done.min(total) * 100 / total),
    }
}

impl Render for ModelList {
    fn human(&self, style: &Style) -> String {
        let rows = self
            .models
            .iter()
            .map(|m| {
                vec![
                    Cell::new(&m.id),
                    Cell::new(&m.repo),
                    Cell::new(&m.revision),
                    table::tone(style, m.status, model_tone(m.status)),
                    Cell::new(human::bytes(m.total_bytes)),
                    Cell::new(done_percent(m)),
                ]
            })
            .collect();
        table::list(style, &["ID", "REPO", "REVISION", "STATUS", "SIZE", "DONE"], rows)
    }

    fn ids(&self) -> Vec<String> {
        self.models.iter().map(|m| m.id.clone()).collect()
    }
}

impl Render for Model {
    fn human(&self, style: &Style) -> String {
        let mut rows = vec![
            ("ID", Cell::new(&self.id)),
            ("REPO", Cell::new(&self.repo)),
            ("REVISION", Cell::new(&self.revision)),
            ("COMMIT", table::opt(self.commit.as_ref())),
            ("SOURCE", Cell::new(format!("{:?}", self.source).to_lowercase())),
            ("STATUS", table::tone(style, self.status, model_tone(self.status))),
            ("SIZE", Cell::new(human::bytes(self.total_bytes))),
        ];
        if self.status.is_active() {
            rows.push(("PROGRESS", Cell::new(progress_text(&self.progress))));
        }
        if let Some(error) = &self.error {
            rows.push(("ERROR", Cell::new(error)));
        }
        rows.push(("PATH", table::opt(self.path.as_ref())));
        rows.push((
            "USED BY",
            Cell::new(if self.used_by.is_empty() { "-".into() } else { self.used_by.join(", ") }),
        ));
        rows.push(("VALIDATED", table::opt(self.last_validated_at.map(human::ago))));
        for problem in &self.problems {
            rows.push(("PROBLEM", Cell::new(problem)));
        }
        rows.push(("CREATED", Cell::new(human::ago(self.created_at))));
        let mut text = table::pairs(style, rows);
        if !self.files.is_empty() {
            let files = self
                .files
                .iter()
                .map(|f| {
                    let sha = f.sha256.as_deref().map(|s| s.chars().take(12).collect::<String>());
                    vec![
                        Cell::new(&f.path),
                        Cell::new(human::bytes(f.size)),
                        table::opt(sha),
                        Cell::new(if f.verified { "yes" } else { "no" }),
                    ]
                })
                .collect();
            text.push('\n');
            text.push_str(&table::list(style, &["FILE", "SIZE", "SHA256", "VERIFIED"], files));
        }
        text
    }

    fn ids(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

impl Render for DownloadAccepted {
    fn human(&self, _style: &Style) -> String {
        let m = &self.model;
        if self.created {
            format!("downloading {}@{} as model {} (job {})\n", m.repo, m.revision, m.id, self.job)
        } else {
            format!("{}@{} is already registered as model {} ({})\n", m.repo, m.revision, m.id, m.status)
        }
    }

    fn ids(&self) -> Vec<String> {
        vec![self.model.id.clone()]
    }
}

impl Render for ValidationReport {
    fn human(&self, style: &Style) -> String {
        let verdict = if self.ok {
            table::paint(style, "valid", Tone::Good)
        } else {
            table::paint(style, "invalid", Tone::Bad)
        };
        let mut text = format!("model {} ({}): {verdict}\n", self.model.id, self.model.repo);
        for p in &self.problems {
            text.push_str(&format!("  - {p}\n"));
        }
        text
    }

    fn ids(&self) -> Vec<String> {
        vec![self.model.id.clone()]
    }
}

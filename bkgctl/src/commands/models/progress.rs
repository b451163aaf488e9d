//! Download progress on stderr: an indicatif bar (bytes, rate, ETA) when stderr is a
//! terminal, plain lines otherwise (on every status change and at most one a second), and
//! nothing with `--quiet`. Rate and ETA are the daemon's, so every client shows the same.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use bkg_core::models::{Model, ModelStatus, Progress};
use indicatif::{HumanBytes, HumanDuration, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output::{Output, human, note};
use crate::render::progress_text;

pub enum Display {
    Bar(ProgressBar),
    Lines { repo: String, last: Option<(ModelStatus, Instant)> },
    Silent,
}

const TEMPLATE: &str = "{prefix} [{bar:30}] {bytes}/{total_bytes} {msg}";
const LINE_EVERY: Duration = Duration::from_secs(1);

impl Display {
    pub fn new(out: &Output, repo: &str) -> Self {
        if out.quiet {
            return Display::Silent;
        }
        if !std::io::stderr().is_terminal() {
            return Display::Lines { repo: repo.to_string(), last: None };
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(TEMPLATE)
            .expect("the template is a constant that parses")
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(repo.to_string());
        // Events come when the daemon sends them; the tick redraws the latest one even when a
        // burst of events fell inside the bar's redraw rate limit.
        bar.enable_steady_tick(Duration::from_millis(200));
        Display::Bar(bar)
    }

    pub fn update(&mut self, status: ModelStatus, p: &Progress) {
        match self {
            Display::Bar(bar) => {
                bar.set_length(p.bytes_total);
                bar.set_position(p.bytes_done);
                bar.set_message(match status {
                    ModelStatus::Downloading => {
                        let mut msg = format!("{}/s", HumanBytes(p.rate as u64));
                        if let Some(eta) = p.eta_seconds {
                            msg.push_str(&format!(
                                " ETA {}",
                                HumanDuration(Duration::from_secs_f64(eta.max(0.0)))
                            ));
                        }
                        msg
                    }
                    other => other.to_string(),
                });
            }
            Display::Lines { repo, last } => {
                let due = match last {
                    None => true,
                    Some((s, at)) => *s != status || at.elapsed() >= LINE_EVERY,
                };
                if due {
                    let progress =
                        if p.bytes_total > 0 { format!(" {}", progress_text(p)) } else { String::new() };
                    note(format!("pull {repo}: {status}{progress}"));
                    *last = Some((status, Instant::now()));
                }
            }
            Display::Silent => {}
        }
    }

    /// Leaves the finished bar (or a last line) in place.
    pub fn done(&mut self, model: &Model) {
        let summary = format!("{} files, {}", model.files.len(), human::bytes(model.total_bytes));
        match self {
            Display::Bar(bar) => {
                bar.set_position(bar.length().unwrap_or(0));
                bar.finish_with_message(format!("ready ({summary})"));
            }
            Display::Lines { repo, .. } => note(format!("pull {repo}: ready ({summary})")),
            Display::Silent => {}
        }
    }

    /// Stops drawing and leaves the terminal clean.
    pub fn abandon(&mut self) {
        if let Display::Bar(bar) = self {
            bar.abandon();
        }
    }
}

//! Plugins: lists, details, status, capabilities, lifecycle answers, log lines, config and
//! invocation results.

use bkg_core::logs::{LogLevel, LogLine};
use bkg_core::plugin::{
    CapabilityList, ConfigApplied, ConfigApplyMode, InvokeResponse, LifecycleResponse, PluginDetail,
    PluginList, PluginState, PluginStatus,
};
use comfy_table::Cell;

use crate::output::table::{self, Tone};
use crate::output::{Render, Style, human};

pub fn state_tone(s: PluginState) -> Tone {
    match s {
        PluginState::Running => Tone::Good,
        PluginState::Starting | PluginState::Stopping | PluginState::Backoff => Tone::Busy,
        PluginState::Failed => Tone::Bad,
        PluginState::Stopped => Tone::Plain,
    }
}

fn uptime(s: u64, state: PluginState) -> String {
    if state == PluginState::Running { human::secs(s) } else { "-".into() }
}

impl Render for PluginList {
    fn human(&self, style: &Style) -> String {
        let rows = self
            .plugins
            .iter()
            .map(|p| {
                vec![
                    Cell::new(&p.id),
                    Cell::new(&p.name),
                    Cell::new(&p.version),
                    table::tone(style, p.status, state_tone(p.status)),
                    table::opt(p.pid),
                    Cell::new(uptime(p.uptime, p.status)),
                    Cell::new(p.restarts),
                    Cell::new(&p.node),
                ]
            })
            .collect();
        table::list(style, &["ID", "NAME", "VERSION", "STATUS", "PID", "UPTIME", "RESTARTS", "NODE"], rows)
    }

    fn ids(&self) -> Vec<String> {
        self.plugins.iter().map(|p| p.id.to_string()).collect()
    }
}

fn exit_text(s: &PluginStatus) -> Option<String> {
    s.last_exit.as_ref().map(|e| {
        let how = match (e.code, e.signal) {
            (Some(c), _) => format!("code {c}"),
            (None, Some(sig)) => format!("signal {sig}"),
            (None, None) => "unknown".into(),
        };
        format!("{how} (run {}, {})", e.run, human::ago(e.at))
    })
}

fn status_rows(style: &Style, s: &PluginStatus) -> Vec<(&'static str, Cell)> {
    let mut rows = vec![
        ("STATUS", table::tone(style, s.status, state_tone(s.status))),
        ("DESIRED", Cell::new(format!("{:?}", s.desired).to_lowercase())),
        ("PID", table::opt(s.pid)),
        ("RUN", Cell::new(s.run)),
        ("UPTIME", Cell::new(uptime(s.uptime, s.status))),
        ("RESTARTS", Cell::new(s.restarts)),
        ("SINCE", Cell::new(human::ago(s.since))),
    ];
    if let Some(reason) = &s.reason {
        rows.push(("REASON", Cell::new(reason)));
    }
    if let Some(exit) = exit_text(s) {
        rows.push(("LAST EXIT", Cell::new(exit)));
    }
    if let Some(at) = s.next_retry_at {
        rows.push(("NEXT RETRY", Cell::new(human::ago(at))));
    }
    rows
}

impl Render for PluginStatus {
    fn human(&self, style: &Style) -> String {
        let mut rows = vec![("ID", Cell::new(&self.id))];
        rows.extend(status_rows(style, self));
        table::pairs(style, rows)
    }

    fn ids(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

impl Render for PluginDetail {
    fn human(&self, style: &Style) -> String {
        let version = match &self.running_version {
            Some(v) if *v != self.version => format!("{} (running {v})", self.version),
            _ => self.version.clone(),
        };
        let mut rows = vec![
            ("ID", Cell::new(&self.id)),
            ("NAME", Cell::new(&self.name)),
            ("VERSION", Cell::new(version)),
            ("SOURCE", Cell::new(format!("{:?}", self.source).to_lowercase())),
        ];
        if !self.description.is_empty() {
            rows.push(("DESCRIPTION", Cell::new(&self.description)));
        }
        rows.extend(status_rows(style, &self.status));
        let caps: Vec<&str> = self.capabilities.iter().map(|c| c.name.as_str()).collect();
        rows.extend([
            ("COMMAND", Cell::new(self.command.join(" "))),
            ("CAPABILITIES", Cell::new(if caps.is_empty() { "-".into() } else { caps.join(", ") })),
            (
                "FEATURES",
                Cell::new(if self.features.is_empty() { "-".into() } else { self.features.join(", ") }),
            ),
            ("CONFIG", Cell::new(self.config.to_string())),
        ]);
        if let Some(r) = &self.runtime {
            let (text, tone) = super::runtimes::runtime_text(r);
            rows.push(("RUNTIME", table::tone(style, text, tone)));
        }
        table::pairs(style, rows)
    }

    fn ids(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

impl Render for CapabilityList {
    fn human(&self, style: &Style) -> String {
        let rows = self
            .capabilities
            .iter()
            .map(|c| {
                vec![
                    Cell::new(&c.name),
                    Cell::new(if c.streaming { "yes" } else { "no" }),
                    Cell::new(&c.description),
                ]
            })
            .collect();
        table::list(style, &["NAME", "STREAMING", "DESCRIPTION"], rows)
    }

    fn ids(&self) -> Vec<String> {
        self.capabilities.iter().map(|c| c.name.clone()).collect()
    }
}

impl Render for LifecycleResponse {
    fn human(&self, style: &Style) -> String {
        let s = &self.status;
        let state = table::paint(style, s.status.as_str(), state_tone(s.status));
        match s.pid {
            Some(pid) => format!("{} {}: {state} (pid {pid}, run {})\n", self.action, self.id, s.run),
            None => format!("{} {}: {state}\n", self.action, self.id),
        }
    }

    fn ids(&self) -> Vec<String> {
        vec![self.id.clone()]
    }
}

impl Render for LogLine {
    fn human(&self, style: &Style) -> String {
        let tone = match self.level {
            LogLevel::Error => Tone::Bad,
            LogLevel::Warn => Tone::Busy,
            LogLevel::Info => Tone::Good,
            LogLevel::Debug | LogLevel::Trace => Tone::Plain,
        };
        let level = table::paint(style, &format!("{:<5}", self.level.as_str().to_uppercase()), tone);
        format!("{} {level} [{}] {}\n", human::timestamp(self.ts), self.run, self.message)
    }

    fn ids(&self) -> Vec<String> {
        vec![self.seq.to_string()]
    }
}

impl Render for ConfigApplied {
    fn human(&self, _style: &Style) -> String {
        let how = match self.applied {
            ConfigApplyMode::Live => "applied live by the running plugin",
            ConfigApplyMode::Swap => "applied by a hot swap to a new instance",
            ConfigApplyMode::Stored => "stored; used at the next start",
        };
        format!("config {how}\n")
    }

    fn ids(&self) -> Vec<String> {
        Vec::new()
    }
}

impl Render for InvokeResponse {
    fn human(&self, _style: &Style) -> String {
        crate::output::json_pretty(&self.output).unwrap_or_else(|_| format!("{}\n", self.output))
    }

    fn ids(&self) -> Vec<String> {
        Vec::new()
    }
}

/// One event of a streamed invocation: chunks one per line, the result pretty-printed.
impl Render for bkg_core::plugin::InvokeEvent {
    fn human(&self, _style: &Style) -> String {
        use bkg_core::plugin::InvokeEvent;
        match self {
            InvokeEvent::Chunk(v) => format!("{v}\n"),
            InvokeEvent::Result(v) => crate::output::json_pretty(v).unwrap_or_else(|_| format!("{v}\n")),
            InvokeEvent::Error(e) => format!("error: {}: {}\n", e.code, e.message),
        }
    }

    fn ids(&self) -> Vec<String> {
        Vec::new()
    }
}

//! Colours and text styles. Every colour the UI uses comes from [`Theme`], so `NO_COLOR`
//! (and the settings file) change all of them in one place; the mono theme marks state with
//! text and bold/reverse only.

use bkg_core::cluster::NodeState;
use bkg_core::plugin::PluginState;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub color: bool,
    pub running: Color,
    pub stopped: Color,
    pub starting: Color,
    pub failed: Color,
    pub accent: Color,
    pub error: Color,
    pub warn: Color,
    pub muted: Color,
    pub highlight_bg: Color,
    pub match_bg: Color,
}

impl Theme {
    pub fn color() -> Self {
        Self {
            color: true,
            running: Color::Green,
            stopped: Color::Gray,
            starting: Color::Yellow,
            failed: Color::Red,
            accent: Color::Cyan,
            error: Color::Red,
            warn: Color::Yellow,
            muted: Color::DarkGray,
            highlight_bg: Color::Blue,
            match_bg: Color::Yellow,
        }
    }

    pub fn mono() -> Self {
        Self {
            color: false,
            running: Color::Reset,
            stopped: Color::Reset,
            starting: Color::Reset,
            failed: Color::Reset,
            accent: Color::Reset,
            error: Color::Reset,
            warn: Color::Reset,
            muted: Color::Reset,
            highlight_bg: Color::Reset,
            match_bg: Color::Reset,
        }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color { Style::new().fg(c) } else { Style::new() }
    }

    pub fn state(&self, s: PluginState) -> Style {
        let c = match s {
            PluginState::Running => self.running,
            PluginState::Stopped => self.stopped,
            PluginState::Starting | PluginState::Stopping | PluginState::Backoff => self.starting,
            PluginState::Failed => self.failed,
        };
        let style = self.fg(c);
        if matches!(s, PluginState::Failed) { style.add_modifier(Modifier::BOLD) } else { style }
    }

    /// A node's state in the plugin states' colours: up as running, down as failed, stopped as
    /// stopped.
    pub fn node(&self, s: NodeState) -> Style {
        self.state(match s {
            NodeState::Up => PluginState::Running,
            NodeState::Down => PluginState::Failed,
            NodeState::Stopped => PluginState::Stopped,
        })
    }

    pub fn accent(&self) -> Style {
        self.fg(self.accent).add_modifier(Modifier::BOLD)
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn muted(&self) -> Style {
        if self.color { self.fg(self.muted) } else { Style::new().add_modifier(Modifier::DIM) }
    }

    pub fn error(&self) -> Style {
        self.fg(self.error).add_modifier(Modifier::BOLD)
    }

    pub fn warn(&self) -> Style {
        self.fg(self.warn)
    }

    pub fn ok(&self) -> Style {
        self.fg(self.running)
    }

    /// The selected row.
    pub fn selected(&self) -> Style {
        if self.color {
            Style::new().bg(self.highlight_bg).fg(Color::White).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// A search match inside a log line.
    pub fn matched(&self) -> Style {
        if self.color {
            Style::new().bg(self.match_bg).fg(Color::Black)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
        }
    }

    pub fn banner(&self) -> Style {
        if self.color {
            Style::new().bg(self.error).fg(Color::White).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn key(&self) -> Style {
        self.fg(self.accent).add_modifier(Modifier::BOLD)
    }
}

/// The status badge's glyph: shape as well as colour, so state reads without colour too.
pub fn badge_glyph(s: PluginState) -> &'static str {
    match s {
        PluginState::Running => "●",
        PluginState::Stopped => "○",
        PluginState::Starting | PluginState::Stopping => "◐",
        PluginState::Backoff => "◌",
        PluginState::Failed => "✖",
    }
}

/// A node state's glyph, the same shapes as the plugin badge's.
pub fn node_glyph(s: NodeState) -> &'static str {
    match s {
        NodeState::Up => "●",
        NodeState::Down => "✖",
        NodeState::Stopped => "○",
    }
}

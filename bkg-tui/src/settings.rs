//! `bkg-tui.toml` in the OS config dir (next to bkgctl's files): key bindings and colours.
//! Every field is optional; unknown fields are an error that names the file and the fix.
//!
//! ```toml
//! [keys]
//! start = "s"
//! stop = "x"
//! quit = "q"
//!
//! [colors]
//! running = "green"
//! failed = "#ff5555"
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use serde::Deserialize;

use crate::theme::Theme;

pub const FILE: &str = "bkg-tui.toml";

/// Everything a key can mean. Which actions a key triggers depends on the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Quit,
    Help,
    Palette,
    Filter,
    Back,
    Open,
    Up,
    Down,
    NextPane,
    Start,
    Stop,
    Restart,
    Logs,
    Config,
    Invoke,
    Edit,
    Pause,
    Level,
    Wrap,
    Timestamps,
    NextMatch,
    PrevMatch,
    Save,
    Pull,
    Validate,
    Delete,
    Create,
    Rotate,
    Disable,
    Refresh,
}

impl Action {
    pub const ALL: [Action; 30] = [
        Action::Quit,
        Action::Help,
        Action::Palette,
        Action::Filter,
        Action::Back,
        Action::Open,
        Action::Up,
        Action::Down,
        Action::NextPane,
        Action::Start,
        Action::Stop,
        Action::Restart,
        Action::Logs,
        Action::Config,
        Action::Invoke,
        Action::Edit,
        Action::Pause,
        Action::Level,
        Action::Wrap,
        Action::Timestamps,
        Action::NextMatch,
        Action::PrevMatch,
        Action::Save,
        Action::Pull,
        Action::Validate,
        Action::Delete,
        Action::Create,
        Action::Rotate,
        Action::Disable,
        Action::Refresh,
    ];

    /// The name used in the settings file.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Palette => "palette",
            Action::Filter => "filter",
            Action::Back => "back",
            Action::Open => "open",
            Action::Up => "up",
            Action::Down => "down",
            Action::NextPane => "next-pane",
            Action::Start => "start",
            Action::Stop => "stop",
            Action::Restart => "restart",
            Action::Logs => "logs",
            Action::Config => "config",
            Action::Invoke => "invoke",
            Action::Edit => "edit",
            Action::Pause => "pause",
            Action::Level => "level",
            Action::Wrap => "wrap",
            Action::Timestamps => "timestamps",
            Action::NextMatch => "next-match",
            Action::PrevMatch => "prev-match",
            Action::Save => "save",
            Action::Pull => "pull",
            Action::Validate => "validate",
            Action::Delete => "delete",
            Action::Create => "create",
            Action::Rotate => "rotate",
            Action::Disable => "disable",
            Action::Refresh => "refresh",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "this help",
            Action::Palette => {
                "command palette (:plugins :models :keys :users :audit :nodes :logs <id> :ctx <name>)"
            }
            Action::Filter => "filter the list / search the logs",
            Action::Back => "back, close a dialog, clear a search, cancel a chat reply",
            Action::Open => "open the item; Chat: write a message; Collections: query",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::NextPane => "next tab or pane",
            Action::Start => "start the plugin",
            Action::Stop => "stop the plugin (asks y/n)",
            Action::Restart => "restart the plugin",
            Action::Logs => "full-screen logs",
            Action::Config => "the plugin's config",
            Action::Invoke => "invoke a capability",
            Action::Edit => "edit the config in $EDITOR",
            Action::Pause => "pause / resume the logs",
            Action::Level => "cycle the minimum log level",
            Action::Wrap => "wrap long log lines",
            Action::Timestamps => "show / hide timestamps",
            Action::NextMatch => "next search match",
            Action::PrevMatch => "previous search match",
            Action::Save => "save the shown log lines to a file",
            Action::Pull => "pull (download) a model",
            Action::Validate => "validate the model's files",
            Action::Delete => "delete (asks y/n)",
            Action::Create => "create an API key (`name [role]`)",
            Action::Rotate => "rotate the key (new secret, shown once)",
            Action::Disable => "disable the key",
            Action::Refresh => "reload from the server",
        }
    }

    fn default_key(self) -> KeyCode {
        KeyCode::Char(match self {
            Action::Quit => 'q',
            Action::Help => '?',
            Action::Palette => ':',
            Action::Filter => '/',
            Action::Back => return KeyCode::Esc,
            Action::Open => return KeyCode::Enter,
            Action::Up => 'k',
            Action::Down => 'j',
            Action::NextPane => return KeyCode::Tab,
            Action::Start => 's',
            Action::Stop => 'x',
            Action::Restart => 'r',
            Action::Logs => 'l',
            Action::Config => 'c',
            Action::Invoke => 'i',
            Action::Edit => 'e',
            Action::Pause => 'p',
            Action::Level => 'v',
            Action::Wrap => 'w',
            Action::Timestamps => 't',
            Action::NextMatch => 'n',
            Action::PrevMatch => 'N',
            Action::Save => 'W',
            Action::Pull => 'p',
            Action::Validate => 'v',
            Action::Delete => 'd',
            Action::Create => 'c',
            Action::Rotate => 'r',
            Action::Disable => 'D',
            Action::Refresh => 'R',
        })
    }
}

/// Which key does what.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    keys: BTreeMap<Action, KeyCode>,
}

impl Default for Keymap {
    fn default() -> Self {
        Self { keys: Action::ALL.iter().map(|a| (*a, a.default_key())).collect() }
    }
}

impl Keymap {
    pub fn key(&self, a: Action) -> KeyCode {
        self.keys.get(&a).copied().unwrap_or(KeyCode::Null)
    }

    /// The key's label for the footer and the help.
    pub fn label(&self, a: Action) -> String {
        key_label(self.key(a))
    }

    /// The first of `candidates` bound to `key` (arrows always move, Ctrl-C always quits).
    pub fn lookup(&self, key: &KeyEvent, candidates: &[Action]) -> Option<Action> {
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            return (key.code == KeyCode::Char('c')).then_some(Action::Quit);
        }
        let fixed = match key.code {
            KeyCode::Up => Some(Action::Up),
            KeyCode::Down => Some(Action::Down),
            _ => None,
        };
        if let Some(a) = fixed.filter(|a| candidates.contains(a)) {
            return Some(a);
        }
        candidates.iter().copied().find(|a| self.key(*a) == key.code)
    }
}

pub fn key_label(code: KeyCode) -> String {
    match code {
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    }
}

fn parse_key(s: &str) -> Option<KeyCode> {
    let mut chars = s.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Some(KeyCode::Char(c));
    }
    match s.to_ascii_lowercase().as_str() {
        "esc" => Some(KeyCode::Esc),
        "enter" => Some(KeyCode::Enter),
        "tab" => Some(KeyCode::Tab),
        f if f.starts_with('f') => f[1..].parse().ok().map(KeyCode::F),
        _ => None,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    keys: BTreeMap<String, String>,
    #[serde(default)]
    colors: BTreeMap<String, String>,
}

/// The settings after applying the file.
#[derive(Debug, Clone)]
pub struct Settings {
    pub keymap: Keymap,
    pub theme: Theme,
}

impl Settings {
    pub fn defaults(color: bool) -> Self {
        Self { keymap: Keymap::default(), theme: if color { Theme::color() } else { Theme::mono() } }
    }

    /// Reads `bkg-tui.toml` from `dir` (a missing file means defaults). With colour off, the
    /// file's colours are ignored.
    pub fn load(dir: &Path, color: bool) -> anyhow::Result<Self> {
        let path = dir.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::defaults(color)),
            Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
        };
        Self::parse(&text, color).map_err(|e| anyhow::anyhow!("{} is not valid: {e}", path.display()))
    }

    pub fn parse(text: &str, color: bool) -> Result<Self, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut s = Self::defaults(color);
        for (name, key) in &file.keys {
            let action = Action::ALL
                .iter()
                .find(|a| a.name() == name)
                .ok_or_else(|| format!("unknown action {name:?} in [keys]; `bkg-tui --help` lists them"))?;
            let code = parse_key(key).ok_or_else(|| {
                format!("key {key:?} for {name} is not one character, Esc, Enter, Tab or F1-F12")
            })?;
            s.keymap.keys.insert(*action, code);
        }
        if color {
            for (name, value) in &file.colors {
                let c: Color = value
                    .parse()
                    .map_err(|_| format!("colour {value:?} for {name} is not a colour name or #rrggbb"))?;
                let slot = match name.as_str() {
                    "running" => &mut s.theme.running,
                    "stopped" => &mut s.theme.stopped,
                    "starting" => &mut s.theme.starting,
                    "failed" => &mut s.theme.failed,
                    "accent" => &mut s.theme.accent,
                    "error" => &mut s.theme.error,
                    "warn" => &mut s.theme.warn,
                    "muted" => &mut s.theme.muted,
                    "highlight" => &mut s.theme.highlight_bg,
                    "match" => &mut s.theme.match_bg,
                    other => return Err(format!("unknown colour {other:?} in [colors]")),
                };
                *slot = c;
            }
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_overrides_keys_and_colours() {
        let s =
            Settings::parse("[keys]\nstart = \"S\"\nquit = \"F10\"\n[colors]\nrunning = \"#00ff00\"\n", true)
                .unwrap();
        assert_eq!(s.keymap.key(Action::Start), KeyCode::Char('S'));
        assert_eq!(s.keymap.key(Action::Quit), KeyCode::F(10));
        assert_eq!(s.theme.running, Color::Rgb(0, 255, 0));
        assert!(Settings::parse("[keys]\nfly = \"f\"\n", true).unwrap_err().contains("fly"));
        assert!(Settings::parse("[oops]\n", true).is_err());
    }

    #[test]
    fn lookup_respects_the_screen() {
        let k = Keymap::default();
        let ev = KeyEvent::new(KeyCode::Char('p'), KeyModifiers::NONE);
        assert_eq!(k.lookup(&ev, &[Action::Pause]), Some(Action::Pause));
        assert_eq!(k.lookup(&ev, &[Action::Pull]), Some(Action::Pull));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(k.lookup(&ctrl_c, &[]), Some(Action::Quit));
    }
}

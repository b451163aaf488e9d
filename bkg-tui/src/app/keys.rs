//! What a key does, by layer: a yes/no question first, then a text input, the secret popup,
//! the help, and finally the current screen. Which actions a screen accepts is listed in
//! [`screen_actions`], which the footer and the help also use.

use bkg_core::auth::Permission;
use bkg_core::plugin::PluginState;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::{App, Confirm, Input, InputKind, Screen, Tab};
use crate::event::Cmd;
use crate::settings::Action;

/// The actions a screen reacts to, in the order the footer shows them.
pub fn screen_actions(app: &App) -> Vec<Action> {
    use Action::*;
    let lifecycle = app.can(Permission::PluginsLifecycle);
    let mut v = match &app.screen {
        Screen::Plugins => {
            let mut v = vec![Open, Filter];
            if lifecycle {
                v.extend([Start, Stop, Restart]);
            }
            v.extend([Logs, Config, Invoke]);
            v
        }
        Screen::Dashboard(_) => {
            let mut v = vec![NextPane];
            if lifecycle {
                v.extend([Start, Stop, Restart]);
            }
            v.extend([Logs, Config, Invoke]);
            match app.tab {
                Tab::Logs => v.extend([Filter, NextMatch, PrevMatch, Pause, Level, Wrap, Timestamps, Save]),
                Tab::Config => v.push(Edit),
                Tab::Capabilities => {}
                Tab::Chat => v.push(Open),
                Tab::Collections => v.extend([Open, Filter, Refresh]),
            }
            v
        }
        Screen::Logs(_) => vec![Filter, NextMatch, PrevMatch, Pause, Level, Wrap, Timestamps, Save],
        Screen::Models => vec![Pull, Validate, Delete, Refresh],
        Screen::Keys => vec![Create, Rotate, Disable, Delete, Refresh],
        Screen::Users => vec![Refresh],
        Screen::Audit => vec![Filter, Refresh],
        Screen::Nodes => vec![Refresh],
    };
    v.extend([Up, Down, Back, Palette, Help, Quit]);
    v
}

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.quit();
            return;
        }
        if self.login.is_some() {
            self.on_login_key(key);
            return;
        }
        // Ctrl-X cancels a streaming chat reply, even while a message is being typed.
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('x') {
            if self.on_tab(Tab::Chat) {
                self.cancel_chat();
            }
            return;
        }
        if let Some(c) = self.confirm.take() {
            match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => self.outbox.push(c.on_yes),
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                    self.notice = Some((true, "cancelled".into()))
                }
                _ => self.confirm = Some(c),
            }
            return;
        }
        if self.input.is_some() {
            self.on_input_key(key);
            return;
        }
        if self.secret.is_some() {
            self.secret = None;
            return;
        }
        if self.help {
            self.help = false;
            return;
        }
        let mut actions = screen_actions(self);
        // Hidden from a readonly user's footer, but still answered: with why it is refused.
        if matches!(self.screen, Screen::Plugins | Screen::Dashboard(_)) {
            actions.extend([Action::Start, Action::Stop, Action::Restart]);
        }
        let Some(action) = self.settings.keymap.lookup(&key, &actions) else { return };
        self.notice = None;
        self.on_action(action);
    }

    /// Whether the dashboard shows this tab.
    pub(super) fn on_tab(&self, tab: Tab) -> bool {
        matches!(self.screen, Screen::Dashboard(_)) && self.tab == tab
    }

    pub(super) fn quit(&mut self) {
        self.quit = true;
        self.outbox.push(Cmd::Quit);
    }

    fn open_input(&mut self, kind: InputKind, text: String) {
        self.input = Some(Input { kind, text });
    }

    fn on_input_key(&mut self, key: KeyEvent) {
        let Some(input) = self.input.as_mut() else { return };
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            // Ctrl-U clears the line, as in a shell.
            if key.code == KeyCode::Char('u') {
                input.text.clear();
                self.live_input();
            }
            return;
        }
        match key.code {
            KeyCode::Esc => {
                let kind = input.kind;
                self.input = None;
                match kind {
                    InputKind::Filter => self.filter.clear(),
                    InputKind::AuditFilter => self.audit_filter.clear(),
                    InputKind::Search => self.logs.set_search(None),
                    _ => {}
                }
            }
            KeyCode::Backspace => {
                input.text.pop();
                self.live_input();
            }
            KeyCode::Char(c) => {
                input.text.push(c);
                self.live_input();
            }
            KeyCode::Enter => {
                if let Some(input) = self.input.take() {
                    self.submit(input);
                }
            }
            _ => {}
        }
    }

    /// Filters apply as they are typed.
    fn live_input(&mut self) {
        let Some(input) = &self.input else { return };
        match input.kind {
            InputKind::Filter => {
                self.filter = input.text.clone();
                self.selected = 0;
            }
            InputKind::AuditFilter => self.audit_filter = input.text.clone(),
            InputKind::Search => {
                let q = input.text.clone();
                self.logs.set_search(Some(q));
            }
            _ => {}
        }
    }

    fn submit(&mut self, input: Input) {
        let text = input.text.trim().to_string();
        match input.kind {
            InputKind::Palette => self.run_palette(&text),
            InputKind::Filter | InputKind::AuditFilter => {}
            InputKind::Search => {
                self.logs.set_search(Some(text));
                if !self.logs.jump(false) && self.logs.search.is_some() {
                    self.notice = Some((false, "no match".into()));
                }
            }
            InputKind::PullRepo if !text.is_empty() => self.outbox.push(Cmd::Pull(text)),
            InputKind::KeyName if !text.is_empty() => {
                // `name` or `name role`: a trailing role word picks the key's role.
                let (name, role) = match text.rsplit_once(' ').map(|(n, r)| (n.trim(), r.parse().ok())) {
                    Some((name, Some(role))) => (name.to_string(), Some(role)),
                    _ => (text, None),
                };
                self.outbox.push(Cmd::CreateKey { name, role });
            }
            InputKind::ChatMessage => self.send_chat(text),
            InputKind::Query => self.send_query(text),
            InputKind::InvokeInput => match serde_json::from_str(&text) {
                Ok(value) => {
                    let Some(id) = self.current_plugin_id() else { return };
                    self.invoke.input = text;
                    self.invoke.chunks.clear();
                    self.invoke.result = None;
                    self.invoke.running = true;
                    self.outbox.push(Cmd::Invoke {
                        id,
                        capability: self.invoke.capability.clone(),
                        input: value,
                    });
                }
                Err(e) => self.notice = Some((false, format!("not JSON: {e}"))),
            },
            _ => {}
        }
    }

    fn run_palette(&mut self, text: &str) {
        let mut words = text.split_whitespace();
        let cmd = words.next().unwrap_or("");
        let arg = words.next();
        match (cmd, arg) {
            ("plugins" | "p", _) => self.go(Screen::Plugins),
            ("models" | "m", _) => self.go(Screen::Models),
            ("keys" | "k", _) => self.go(Screen::Keys),
            ("users" | "u", _) => self.go(Screen::Users),
            ("audit" | "a", _) => self.go(Screen::Audit),
            ("nodes" | "n", _) => self.go(Screen::Nodes),
            ("logs" | "l", Some(id)) => self.go(Screen::Logs(id.to_string())),
            ("logs" | "l", None) => match self.current_plugin_id() {
                Some(id) => self.go(Screen::Logs(id)),
                None => self.notice = Some((false, "usage: :logs <plugin>".into())),
            },
            ("ctx" | "context", Some(name)) => self.outbox.push(Cmd::SwitchContext(name.to_string())),
            ("ctx" | "context", None) => self.notice = Some((false, "usage: :ctx <context>".into())),
            ("q" | "quit", _) => self.quit(),
            ("help", _) => self.help = true,
            ("", _) => {}
            (other, _) => {
                self.notice = Some((
                    false,
                    format!(
                        "unknown command :{other} (try :plugins :models :keys :users :audit :nodes :logs <id> :ctx <name>)"
                    ),
                ))
            }
        }
    }

    fn lifecycle_denied(&mut self, what: &str) -> bool {
        if self.can(Permission::PluginsLifecycle) {
            return false;
        }
        let role = self.role_name().unwrap_or("unknown");
        self.notice = Some((
            false,
            format!(
                "cannot {what}: your role ({role}) lacks plugins:lifecycle; ask an admin for a developer or admin key"
            ),
        ));
        true
    }

    fn on_action(&mut self, action: Action) {
        use Action::*;
        match action {
            Quit => self.quit(),
            Help => self.help = true,
            Palette => self.open_input(InputKind::Palette, String::new()),
            Back if self.on_tab(Tab::Chat) && self.chat.pending.is_some() => self.cancel_chat(),
            Back => {
                let on_logs = matches!(self.screen, Screen::Logs(_))
                    || (matches!(self.screen, Screen::Dashboard(_)) && self.tab == Tab::Logs);
                if on_logs
                    && (self.logs.search.is_some() || self.logs.paused() || self.logs.current_match.is_some())
                {
                    self.logs.set_search(None);
                    self.logs.follow();
                    return;
                }
                if !self.filter.is_empty() && self.screen == Screen::Plugins {
                    self.filter.clear();
                    return;
                }
                self.back();
            }
            Up => self.move_selection(-1),
            Down => self.move_selection(1),
            Open | Filter if self.on_tab(Tab::Chat) || self.on_tab(Tab::Collections) => {
                if let Some(why) = super::views::invoke_denied(self) {
                    self.notice = Some((false, why));
                } else if self.tab == Tab::Chat {
                    self.open_input(InputKind::ChatMessage, String::new());
                } else if self.collections.selected_name().is_none() {
                    self.notice = Some((false, "no collection to query".into()));
                } else {
                    self.open_input(InputKind::Query, self.collections.query.clone());
                }
            }
            Filter => match self.screen {
                Screen::Plugins => self.open_input(InputKind::Filter, self.filter.clone()),
                Screen::Audit => self.open_input(InputKind::AuditFilter, self.audit_filter.clone()),
                _ => self.open_input(InputKind::Search, String::new()),
            },
            Open => {
                if let Some(id) = self.selected_plugin().map(|p| p.id.to_string()) {
                    self.tab = Tab::Logs;
                    self.go(Screen::Dashboard(id));
                }
            }
            NextPane => {
                let tabs = self.tabs();
                let i = tabs.iter().position(|t| *t == self.tab).unwrap_or(0);
                self.tab = tabs[(i + 1) % tabs.len()];
                self.tab_shown();
            }
            Start | Stop | Restart => self.lifecycle(action),
            Logs => {
                if let Some(id) = self.current_plugin_id() {
                    self.go(Screen::Logs(id));
                }
            }
            Config | Invoke => {
                if let Some(id) = self.current_plugin_id() {
                    self.tab = if action == Config { Tab::Config } else { Tab::Capabilities };
                    self.go(Screen::Dashboard(id));
                    if action == Invoke {
                        self.start_invoke();
                    }
                }
            }
            Edit => {
                if let Some(d) = &self.detail {
                    let text = serde_json::to_string_pretty(&d.config).unwrap_or_else(|_| "{}".into());
                    self.outbox.push(Cmd::EditConfig { id: d.id.clone(), text });
                }
            }
            Pause => self.logs.toggle_pause(),
            Level => self.logs.cycle_level(),
            Wrap => self.logs.wrap = !self.logs.wrap,
            Timestamps => self.logs.timestamps = !self.logs.timestamps,
            NextMatch => {
                self.logs.jump(true);
            }
            PrevMatch => {
                self.logs.jump(false);
            }
            Save => {
                let id = self.logs.plugin.clone().unwrap_or_else(|| "logs".into());
                let path = format!("bkg-{id}-{}.log", chrono::Utc::now().format("%Y%m%dT%H%M%S"));
                self.outbox.push(Cmd::SaveLines { path, lines: self.logs.shown_text() });
            }
            Pull => self.open_input(InputKind::PullRepo, String::new()),
            Validate => {
                if let Some(m) = self.models.get(self.model_selected) {
                    self.outbox.push(Cmd::Validate(m.id.clone()));
                }
            }
            Delete => match self.screen {
                Screen::Models => {
                    if let Some(m) = self.models.get(self.model_selected) {
                        self.confirm = Some(Confirm {
                            question: format!("delete model {} and its files?", m.id),
                            on_yes: Cmd::DeleteModel(m.id.clone()),
                        });
                    }
                }
                Screen::Keys => {
                    if let Some(k) = self.keys.get(self.key_selected) {
                        self.confirm = Some(Confirm {
                            question: format!("delete API key {} ({})?", k.name, k.prefix),
                            on_yes: Cmd::DeleteKey(k.id.clone()),
                        });
                    }
                }
                _ => {}
            },
            Create => self.open_input(InputKind::KeyName, String::new()),
            Rotate => {
                if let Some(k) = self.keys.get(self.key_selected) {
                    self.confirm = Some(Confirm {
                        question: format!("rotate API key {}? the old secret stops working", k.name),
                        on_yes: Cmd::RotateKey(k.id.clone()),
                    });
                }
            }
            Disable => {
                if let Some(k) = self.keys.get(self.key_selected) {
                    self.outbox.push(Cmd::DisableKey(k.id.clone()));
                }
            }
            Refresh if self.on_tab(Tab::Collections) => self.load_collections(),
            Refresh => self.outbox.push(match self.screen {
                Screen::Models => Cmd::LoadModels,
                Screen::Keys => Cmd::LoadKeys,
                Screen::Users => Cmd::LoadUsers,
                Screen::Audit => Cmd::LoadAudit,
                Screen::Nodes => Cmd::LoadNodes,
                _ => Cmd::LoadPlugins,
            }),
        }
    }

    fn start_invoke(&mut self) {
        let Some(d) = &self.detail else {
            self.notice = Some((false, "loading the plugin's capabilities; press i again".into()));
            return;
        };
        let Some(cap) = d.capabilities.get(self.cap_selected) else {
            self.notice = Some((false, "this plugin has no capabilities".into()));
            return;
        };
        // The last input is offered again for the same capability; another one starts afresh.
        if self.invoke.capability != cap.name {
            self.invoke = super::Invoke { capability: cap.name.clone(), ..Default::default() };
        }
        let text = if self.invoke.input.is_empty() { "{}".to_string() } else { self.invoke.input.clone() };
        self.open_input(InputKind::InvokeInput, text);
    }

    fn lifecycle(&mut self, action: Action) {
        let what = match action {
            Action::Start => "start plugins",
            Action::Stop => "stop plugins",
            _ => "restart plugins",
        };
        if self.lifecycle_denied(what) {
            return;
        }
        let Some(id) = self.current_plugin_id() else { return };
        match action {
            Action::Start => self.outbox.push(Cmd::Start(id)),
            Action::Restart => self.outbox.push(Cmd::Restart(id)),
            _ => {
                if self.plugin_state(&id) == Some(PluginState::Stopped) {
                    self.notice = Some((true, format!("{id} is already stopped")));
                    return;
                }
                self.confirm = Some(Confirm { question: format!("stop {id}? (y/n)"), on_yes: Cmd::Stop(id) });
            }
        }
    }

    fn move_selection(&mut self, delta: isize) {
        let step = |v: &mut usize, n: usize| {
            if n == 0 {
                *v = 0;
            } else {
                *v = (*v as isize + delta).clamp(0, n as isize - 1) as usize;
            }
        };
        match &self.screen {
            Screen::Plugins => {
                let n = self.visible_plugins().len();
                step(&mut self.selected, n);
            }
            Screen::Dashboard(_) if self.tab == Tab::Capabilities => {
                let n = self.detail.as_ref().map_or(0, |d| d.capabilities.len());
                step(&mut self.cap_selected, n);
            }
            Screen::Dashboard(_) if self.tab == Tab::Collections => {
                let n = self.collections.rows().len();
                step(&mut self.collections.selected, n);
            }
            Screen::Dashboard(_) if self.tab == Tab::Chat => {
                self.chat.scroll_back = (self.chat.scroll_back as isize - delta).max(0) as u16;
            }
            Screen::Models => step(&mut self.model_selected, self.models.len()),
            Screen::Keys => step(&mut self.key_selected, self.keys.len()),
            Screen::Users => step(&mut self.user_selected, self.users.len()),
            Screen::Nodes => step(&mut self.node_selected, self.nodes.len()),
            _ => {}
        }
    }
}

//! The login form, shown instead of the screens when there is no usable credential: no token,
//! no session stored by `bkgctl login`, or a stored session the daemon rejects. It logs in
//! the way `bkgctl login` does and stores the session in the same file.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, Conn};
use crate::event::{Cmd, Secret};

/// The form's keys (fixed: they are not in `bkg-tui.toml`), for the footer, `--help` and the
/// man page.
pub const KEYS: [(&str, &str); 5] = [
    ("Tab/↑↓", "next field"),
    ("Enter", "log in"),
    ("Ctrl-U", "clear field"),
    ("Esc", "quit"),
    ("q", "quit (on the button)"),
];

/// Which part of the form has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LoginField {
    #[default]
    Username,
    Password,
    /// The "log in" button: outside a field, so `q` quits.
    Submit,
}

impl LoginField {
    fn next(self) -> Self {
        match self {
            LoginField::Username => LoginField::Password,
            LoginField::Password => LoginField::Submit,
            LoginField::Submit => LoginField::Username,
        }
    }

    fn prev(self) -> Self {
        match self {
            LoginField::Username => LoginField::Submit,
            LoginField::Password => LoginField::Username,
            LoginField::Submit => LoginField::Password,
        }
    }
}

/// The form's state. The password is only ever drawn as `•` and never printed by `Debug`.
#[derive(Clone, Default, PartialEq)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
    pub field: LoginField,
    /// The last attempt's error, shown in the form.
    pub error: Option<String>,
    /// A login is on its way.
    pub busy: bool,
}

impl std::fmt::Debug for LoginForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginForm")
            .field("username", &self.username)
            .field("password", &"***")
            .field("field", &self.field)
            .field("error", &self.error)
            .field("busy", &self.busy)
            .finish()
    }
}

impl App {
    /// The daemon wants a login (and the credential was not an explicit token).
    pub(super) fn login_needed(&mut self) {
        if self.login.is_none() {
            self.login = Some(LoginForm::default());
        }
        // The form takes the keys: whatever was open underneath is dropped.
        self.input = None;
        self.confirm = None;
        self.help = false;
        self.conn = Conn::Connecting;
        self.me = None;
    }

    pub(super) fn login_failed(&mut self, error: String) {
        if let Some(form) = self.login.as_mut() {
            form.busy = false;
            form.password.clear();
            form.field = LoginField::Password;
            form.error = Some(error);
        }
    }

    /// Logged in and the session stored: connect with it and show the screens.
    pub(super) fn logged_in(&mut self, username: String) {
        self.login = None;
        self.conn = Conn::Connecting;
        self.load_errors.clear();
        self.notice = Some((true, format!("logged in as {username}")));
        self.outbox.push(Cmd::Reconnect);
        self.reload_screen();
    }

    pub(super) fn on_login_key(&mut self, key: KeyEvent) {
        let Some(form) = self.login.as_mut() else { return };
        if form.busy {
            if key.code == KeyCode::Esc {
                self.quit();
            }
            return;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => self.quit(),
            KeyCode::Tab | KeyCode::Down => form.field = form.field.next(),
            KeyCode::BackTab | KeyCode::Up => form.field = form.field.prev(),
            KeyCode::Enter => self.submit_login(),
            KeyCode::Char('q') if form.field == LoginField::Submit && !ctrl => self.quit(),
            KeyCode::Char('u') if ctrl => match form.field {
                LoginField::Username => form.username.clear(),
                LoginField::Password => form.password.clear(),
                LoginField::Submit => {}
            },
            KeyCode::Char(c) if !ctrl => match form.field {
                LoginField::Username => form.username.push(c),
                LoginField::Password => form.password.push(c),
                LoginField::Submit => {}
            },
            KeyCode::Backspace => match form.field {
                LoginField::Username => {
                    form.username.pop();
                }
                LoginField::Password => {
                    form.password.pop();
                }
                LoginField::Submit => {}
            },
            _ => {}
        }
    }

    fn submit_login(&mut self) {
        let Some(form) = self.login.as_mut() else { return };
        let username = form.username.trim().to_string();
        if username.is_empty() {
            form.field = LoginField::Username;
            form.error = Some("enter a username".into());
            return;
        }
        if form.password.is_empty() {
            form.field = LoginField::Password;
            form.error = Some("enter the password".into());
            return;
        }
        form.busy = true;
        form.error = None;
        let password = Secret(form.password.clone());
        self.outbox.push(Cmd::Login { username, password });
    }
}

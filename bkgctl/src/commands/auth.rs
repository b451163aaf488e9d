//! `login`, `logout`, `whoami`. A login stores the session for the server (keyed by its URL)
//! in `credentials.toml`, where later commands find it and renew it when it goes stale.

use bkg_core::client::ClientError;
use clap::Args;
use serde::Serialize;

use super::Ctx;
use crate::config::credentials::{Credential, Session, Store};
use crate::exit::{Exit, Fail};
use crate::output::{Render, Style, note};
use crate::prompt;
use crate::session::{Api, config_dir};

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The user to log in as [default: asked on the terminal]
    #[arg(short, long)]
    pub username: Option<String>,
    /// Read the password from stdin instead of asking for it without echo
    #[arg(long)]
    pub password_stdin: bool,
    /// Store an API key (or access token) read from stdin instead of logging in with a password
    #[arg(long, conflicts_with_all = ["username", "password_stdin"])]
    pub with_token: bool,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// End every session of the user, on every machine
    #[arg(long)]
    pub all: bool,
}

/// `login -o json`: `{"server", "username", "method": "session"|"token"}`.
#[derive(Debug, Serialize)]
struct LoggedIn {
    server: String,
    username: String,
    method: &'static str,
}

impl Render for LoggedIn {
    fn human(&self, _style: &Style) -> String {
        format!("logged in to {} as {}\n", self.server, self.username)
    }

    fn ids(&self) -> Vec<String> {
        vec![self.username.clone()]
    }
}

/// `logout -o json`: `{"server", "loggedOut"}` (false when nothing was stored).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct LoggedOut {
    server: String,
    logged_out: bool,
}

impl Render for LoggedOut {
    fn human(&self, _style: &Style) -> String {
        if self.logged_out {
            format!("logged out of {}\n", self.server)
        } else {
            format!("not logged in to {}\n", self.server)
        }
    }

    fn ids(&self) -> Vec<String> {
        Vec::new()
    }
}

pub async fn login(ctx: &Ctx, a: LoginArgs) -> anyhow::Result<Exit> {
    let target = crate::session::target(&ctx.global)?;
    let store = Store::new(&config_dir(&ctx.global)?);
    let (credential, username, method) = if a.with_token {
        let token = prompt::secret_from_stdin("token")?;
        // Checked before it is stored, so a typo fails here and not in the next command.
        let me = target
            .client
            .clone()
            .with_token(token.clone())
            .me()
            .await
            .map_err(|e| refused("the token", e))?;
        (Credential::Token { token }, me.user.username, "token")
    } else {
        let username = match a.username {
            Some(u) => u,
            None => prompt::line("Username: ", "--username")?,
        };
        let password = if a.password_stdin {
            prompt::secret_from_stdin("password")?
        } else {
            prompt::secret_from_tty("Password: ", "--password-stdin")?
        };
        let session = Session::log_in(&target.client, &username, &password)
            .await
            .map_err(|e| refused("the login", e))?;
        (Credential::Session(session), username, "session")
    };
    store.remember(&target.key, credential)?;
    ctx.out.print(&LoggedIn { server: target.key, username, method })?;
    Ok(Exit::Ok)
}

/// A 401 while logging in means wrong credentials, not a missing login: say so, without the
/// generic "log in with `bkgctl login`" hint.
fn refused(what: &str, e: ClientError) -> anyhow::Error {
    if e.status() == Some(401) {
        Fail::new(Exit::Auth, format!("the server refused {what}: {e}")).into()
    } else {
        e.into()
    }
}

pub async fn logout(ctx: &Ctx, a: LogoutArgs) -> anyhow::Result<Exit> {
    let target = crate::session::target(&ctx.global)?;
    let store = Store::new(&config_dir(&ctx.global)?);
    let stored = store.get(&target.key)?;
    let mut server_error = None;
    match &stored {
        None => {}
        Some(Credential::Token { .. }) => {
            note("forgetting the stored token; the API key itself stays valid (`bkgctl keys rm` deletes it)");
        }
        Some(Credential::Session(_)) => {
            // The stored session, not --token: that is what this logout ends. A session that
            // is already dead (401 after a refresh attempt) has nothing left to end.
            let mut api = Api::stored(&ctx.global)?;
            match api.call(async |c| c.logout(a.all).await).await {
                Ok(()) => {}
                Err(e) if crate::exit::classify(&e) == Exit::Auth => {}
                Err(e) => server_error = Some(e),
            }
        }
    }
    if stored.is_some() {
        let lock = store.lock()?;
        store.put(&lock, &target.key, None)?;
    }
    if let Some(e) = server_error {
        return Err(e.context("forgot the session here, but could not end it on the server"));
    }
    ctx.out.print(&LoggedOut { server: target.key, logged_out: stored.is_some() })?;
    Ok(Exit::Ok)
}

pub async fn whoami(ctx: &Ctx) -> anyhow::Result<Exit> {
    let mut api = ctx.api()?;
    let me = api.call(async |c| c.me().await).await;
    match me {
        Ok(me) => {
            ctx.out.print(&me)?;
            Ok(Exit::Ok)
        }
        Err(e) if e.downcast_ref::<ClientError>().and_then(ClientError::status) == Some(401) => {
            Err(e.context(format!("not logged in to {}", api.server())))
        }
        Err(e) => Err(e),
    }
}

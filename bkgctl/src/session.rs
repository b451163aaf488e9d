//! Which daemon a command talks to and with which credentials, and the API handle that
//! refreshes a login session transparently.
//!
//! Server: `--server`, else `BKG_URL`, else the selected context's server (`--context`,
//! `BKGCTL_CONTEXT`, else the current context), else `http://127.0.0.1:8420`.
//! Token: `--token`, else `BKG_TOKEN` (an API key or a JWT, used as is), else what
//! `bkgctl login` stored for that server. Files are read only when a flag or variable does not
//! already answer the question.

use std::path::PathBuf;

use anyhow::Context as _;
use bkg_core::client::{Client, ClientError};

use crate::cli::Global;
use crate::config::contexts::ConfigFile;
use crate::config::credentials::{Credential, Session, Store};
use crate::exit::{Exit, Fail};

pub const DEFAULT_SERVER: &str = "http://127.0.0.1:8420";

/// The server a command targets, before any credential is chosen.
#[derive(Debug, Clone)]
pub struct Target {
    /// A client without a token.
    pub client: Client,
    /// The normalised URL, the key of the credentials file.
    pub key: String,
}

impl Target {
    pub fn resolve(global: &Global) -> anyhow::Result<Self> {
        let server = match &global.server {
            Some(s) => s.clone(),
            None => {
                let dir = config_dir(global)?;
                let file = ConfigFile::load(&dir)?;
                match file.select(global.context.as_deref())? {
                    Some((_, ctx)) => ctx.server.clone(),
                    None => DEFAULT_SERVER.to_string(),
                }
            }
        };
        let client = Client::new(&server)?;
        let key = client.base_url().to_string();
        Ok(Self { client, key })
    }
}

pub fn config_dir(global: &Global) -> anyhow::Result<PathBuf> {
    crate::config::dir(global.config_dir.as_deref())
}

/// Where the token came from, which decides what a 401 means.
#[derive(Debug)]
enum Auth {
    /// No token at all (a daemon without auth, or the caller will be told to log in).
    None,
    /// `--token`, `BKG_TOKEN` or a stored API key: used as is.
    Static,
    /// A stored login session, refreshed when stale or rejected.
    Session { store: Store, session: Session },
}

/// The API handle commands use.
#[derive(Debug)]
pub struct Api {
    client: Client,
    key: String,
    auth: Auth,
}

impl Api {
    pub fn connect(global: &Global) -> anyhow::Result<Self> {
        Self::build(global, global.token.as_deref())
    }

    /// Like [`Api::connect`], but with what `bkgctl login` stored, ignoring `--token` and
    /// `BKG_TOKEN` (for `logout`, which ends the stored session).
    pub fn stored(global: &Global) -> anyhow::Result<Self> {
        Self::build(global, None)
    }

    fn build(global: &Global, token: Option<&str>) -> anyhow::Result<Self> {
        let target = Target::resolve(global)?;
        let (client, auth) = match token {
            Some(token) => (target.client.with_token(token), Auth::Static),
            None => {
                let store = Store::new(&config_dir(global)?);
                match store.get(&target.key)? {
                    Some(Credential::Session(session)) => (
                        target.client.with_token(session.access_token.clone()),
                        Auth::Session { store, session },
                    ),
                    Some(Credential::Token { token }) => (target.client.with_token(token), Auth::Static),
                    None => (target.client, Auth::None),
                }
            }
        };
        Ok(Self { client, key: target.key, auth })
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The server's normalised URL.
    pub fn server(&self) -> &str {
        &self.key
    }

    /// Runs one API call. A stale session is refreshed before it; a call rejected with 401
    /// under a session is retried once after a refresh (safe: a 401 means nothing was done).
    pub async fn call<T>(&mut self, f: impl AsyncFn(&Client) -> Result<T, ClientError>) -> anyhow::Result<T> {
        if let Auth::Session { session, .. } = &self.auth
            && session.stale()
        {
            self.refresh().await?;
        }
        match f(&self.client).await {
            Err(e) if e.status() == Some(401) && matches!(self.auth, Auth::Session { .. }) => {
                self.refresh().await?;
                Ok(f(&self.client).await?)
            }
            other => Ok(other?),
        }
    }

    /// Renews the session under the credentials lock. Another process may have renewed it
    /// meanwhile: then its tokens are adopted, because our refresh token is already used up.
    async fn refresh(&mut self) -> anyhow::Result<()> {
        let Auth::Session { store, session } = &self.auth else { return Ok(()) };
        let store = store.clone();
        let lock = store.lock()?;
        let stored = match store.get(&self.key)? {
            Some(Credential::Session(s)) => s,
            _ => {
                return Err(Fail::new(
                    Exit::Auth,
                    format!("logged out of {} meanwhile; log in again with `bkgctl login`", self.key),
                )
                .into());
            }
        };
        let renewed_elsewhere = stored.access_token != session.access_token;
        let fresh = if renewed_elsewhere && !stored.stale() {
            stored
        } else {
            let anonymous = Client::new(&self.key)?;
            match anonymous.refresh(&stored.refresh_token).await {
                Ok(pair) => {
                    let fresh = Session::from_pair(&stored.username, &pair);
                    store.put(&lock, &self.key, Some(Credential::Session(fresh.clone())))?;
                    fresh
                }
                Err(e) if matches!(e.status(), Some(401 | 403)) => {
                    store.put(&lock, &self.key, None)?;
                    return Err(Fail::new(
                        Exit::Auth,
                        format!(
                            "the session for {} has expired or was revoked ({e}); log in again with `bkgctl login`",
                            self.key
                        ),
                    )
                    .into());
                }
                Err(e) => return Err(e).context("refreshing the login session"),
            }
        };
        self.client = self.client.clone().with_token(fresh.access_token.clone());
        self.auth = Auth::Session { store, session: fresh };
        Ok(())
    }
}

//! Which daemon a client talks to and with which credentials, and the API handle that
//! refreshes a login session transparently. Shared by bkgctl and bkg-tui, so both resolve a
//! server and a token the same way.
//!
//! Server: `--server`, else `BKG_URL`, else the selected context's server (`--context`,
//! `BKGCTL_CONTEXT`, else the current context), else `http://127.0.0.1:8420`.
//! Token: `--token`, else `BKG_TOKEN` (an API key or a JWT, used as is), else what
//! `bkgctl login` stored for that server. Files are read only when a flag or variable does not
//! already answer the question.

use std::path::PathBuf;

use super::config::contexts::ConfigFile;
use super::config::credentials::{Credential, Session, Store};
use super::config::{self, ConfigError};
use super::{Client, ClientError};

pub const DEFAULT_SERVER: &str = "http://127.0.0.1:8420";

/// What the caller knows from its flags and environment (clap fills these in both clients).
#[derive(Clone, Default)]
pub struct ConnectOptions {
    pub server: Option<String>,
    pub token: Option<String>,
    pub context: Option<String>,
    pub config_dir: Option<PathBuf>,
}

impl std::fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("server", &self.server)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("context", &self.context)
            .field("config_dir", &self.config_dir)
            .finish()
    }
}

impl ConnectOptions {
    /// The folder of the contexts and credentials files.
    pub fn config_dir(&self) -> Result<PathBuf, ConfigError> {
        config::dir(self.config_dir.as_deref())
    }
}

/// What can go wrong resolving or using a connection.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The stored session is gone or dead; the user has to log in again.
    #[error("{0}")]
    LoggedOut(String),
    /// Refreshing the session failed for another reason (the daemon is unreachable, ...).
    #[error("refreshing the login session: {0}")]
    Refresh(ClientError),
}

/// The server a client targets, before any credential is chosen.
#[derive(Debug, Clone)]
pub struct Target {
    /// A client without a token.
    pub client: Client,
    /// The normalised URL, the key of the credentials file.
    pub key: String,
    /// The context the server came from, if any.
    pub context: Option<String>,
}

impl Target {
    pub fn resolve(opts: &ConnectOptions) -> Result<Self, SessionError> {
        let (server, context) = match &opts.server {
            Some(s) => (s.clone(), None),
            None => {
                let file = ConfigFile::load(&opts.config_dir()?)?;
                match file.select(opts.context.as_deref())? {
                    Some((name, ctx)) => (ctx.server.clone(), Some(name.to_string())),
                    None => (DEFAULT_SERVER.to_string(), None),
                }
            }
        };
        let client = Client::new(&server)?;
        let key = client.base_url().to_string();
        Ok(Self { client, key, context })
    }
}

/// Where the token came from, which decides what a 401 means.
#[derive(Debug, Clone)]
enum Auth {
    /// No token at all (a daemon without auth, or the caller will be told to log in).
    None,
    /// `--token`, `BKG_TOKEN` or a stored API key: used as is.
    Static,
    /// A stored login session, refreshed when stale or rejected.
    Session { store: Store, session: Session },
}

/// The API handle clients use. Cloning it clones the session too: clones that refresh
/// independently still never reuse a refresh token (see [`Api::call`]).
#[derive(Debug, Clone)]
pub struct Api {
    client: Client,
    key: String,
    context: Option<String>,
    auth: Auth,
}

impl Api {
    pub fn connect(opts: &ConnectOptions) -> Result<Self, SessionError> {
        Self::build(opts, opts.token.as_deref())
    }

    /// Like [`Api::connect`], but with what `bkgctl login` stored, ignoring `--token` and
    /// `BKG_TOKEN` (for `logout`, which ends the stored session).
    pub fn stored(opts: &ConnectOptions) -> Result<Self, SessionError> {
        Self::build(opts, None)
    }

    fn build(opts: &ConnectOptions, token: Option<&str>) -> Result<Self, SessionError> {
        let target = Target::resolve(opts)?;
        let (client, auth) = match token {
            Some(token) => (target.client.with_token(token), Auth::Static),
            None => {
                let store = Store::new(&opts.config_dir()?);
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
        Ok(Self { client, key: target.key, context: target.context, auth })
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The server's normalised URL.
    pub fn server(&self) -> &str {
        &self.key
    }

    /// The context the server came from, if any.
    pub fn context(&self) -> Option<&str> {
        self.context.as_deref()
    }

    /// Runs one API call. A stale session is refreshed before it; a call rejected with 401
    /// under a session is retried once after a refresh (safe: a 401 means nothing was done).
    pub async fn call<T>(
        &mut self,
        f: impl AsyncFn(&Client) -> Result<T, ClientError>,
    ) -> Result<T, SessionError> {
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

    /// Renews the session under the credentials lock. Another process (or clone) may have
    /// renewed it meanwhile: then its tokens are adopted, because ours is already used up.
    async fn refresh(&mut self) -> Result<(), SessionError> {
        let Auth::Session { store, session } = &self.auth else { return Ok(()) };
        let store = store.clone();
        let lock = store.lock()?;
        let stored = match store.get(&self.key)? {
            Some(Credential::Session(s)) => s,
            _ => {
                return Err(SessionError::LoggedOut(format!(
                    "logged out of {} meanwhile; log in again with `bkgctl login`",
                    self.key
                )));
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
                    return Err(SessionError::LoggedOut(format!(
                        "the session for {} has expired or was revoked ({e}); log in again with `bkgctl login`",
                        self.key
                    )));
                }
                Err(e) => return Err(SessionError::Refresh(e)),
            }
        };
        self.client = self.client.clone().with_token(fresh.access_token.clone());
        self.auth = Auth::Session { store, session: fresh };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_token() {
        let o = ConnectOptions { token: Some("bkg_secret".into()), ..Default::default() };
        assert!(!format!("{o:?}").contains("bkg_secret"));
    }

    #[test]
    fn flags_win_and_the_default_server_needs_no_files() {
        let dir = tempfile::tempdir().unwrap();
        let o = ConnectOptions { config_dir: Some(dir.path().into()), ..Default::default() };
        let t = Target::resolve(&o).unwrap();
        assert_eq!(t.key, "http://127.0.0.1:8420/");
        let o = ConnectOptions { server: Some("http://x:1".into()), context: Some("nope".into()), ..o };
        assert_eq!(Target::resolve(&o).unwrap().key, "http://x:1/");
    }
}

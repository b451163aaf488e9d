//! `credentials.toml` (mode 0600): what `bkgctl login` stored for each server, keyed by the
//! server's normalised URL so a token is only ever sent to the server that issued it.
//!
//! ```toml
//! [servers."http://127.0.0.1:8420/"]
//! kind = "session"                 # from `bkgctl login`: refreshed transparently
//! username = "admin"
//! access-token = "eyJ..."
//! access-expires-at = "2026-11-25T10:15:00Z"
//! refresh-token = "..."
//! refresh-expires-at = "2026-12-25T10:00:00Z"
//!
//! [servers."https://bkg.example.com/"]
//! kind = "token"                   # from `bkgctl login --with-token`: an API key, used as is
//! token = "bkg_..."
//! ```
//!
//! Refresh tokens are single-use and a reused one revokes its whole family, so two bkgctl
//! processes must never refresh with the same one: updates happen under an exclusive lock on
//! `credentials.lock`, and a process re-reads the file under the lock before refreshing.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use crate::auth::TokenPair;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ConfigError;

pub const FILE: &str = "credentials.toml";
const LOCK: &str = "credentials.lock";

#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Credentials {
    #[serde(default)]
    pub servers: BTreeMap<String, Credential>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.servers.iter()).finish()
    }
}

/// What is stored for one server.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Credential {
    Session(Session),
    Token { token: String },
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::Session(s) => s.fmt(f),
            Credential::Token { .. } => f.write_str("Token { .. }"),
        }
    }
}

/// A login session: a short-lived access token and the refresh token that renews it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Session {
    pub username: String,
    pub access_token: String,
    pub access_expires_at: DateTime<Utc>,
    pub refresh_token: String,
    pub refresh_expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("username", &self.username)
            .field("access_expires_at", &self.access_expires_at)
            .finish_non_exhaustive()
    }
}

/// Refresh this long before the access token expires, so it does not expire in flight.
const EXPIRY_MARGIN_SECS: i64 = 30;

impl Session {
    pub fn from_pair(username: &str, pair: &TokenPair) -> Self {
        let now = Utc::now();
        Self {
            username: username.to_string(),
            access_token: pair.access_token.clone(),
            access_expires_at: now + chrono::Duration::seconds(pair.expires_in as i64),
            refresh_token: pair.refresh_token.clone(),
            refresh_expires_at: now + chrono::Duration::seconds(pair.refresh_expires_in as i64),
        }
    }

    /// Logs in with a password: the session `bkgctl login` and bkg-tui's login form store.
    pub async fn log_in(
        client: &crate::client::Client,
        username: &str,
        password: &str,
    ) -> Result<Self, crate::client::ClientError> {
        let pair = client.login(username, password).await?;
        Ok(Self::from_pair(username, &pair))
    }

    /// Whether the access token should be refreshed before use.
    pub fn stale(&self) -> bool {
        Utc::now() + chrono::Duration::seconds(EXPIRY_MARGIN_SECS) >= self.access_expires_at
    }
}

impl Credential {
    /// The bearer token to send.
    pub fn bearer(&self) -> &str {
        match self {
            Credential::Session(s) => &s.access_token,
            Credential::Token { token } => token,
        }
    }
}

/// The credentials file and its lock, in one config dir.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// Held while a process reads, refreshes and writes credentials.
#[derive(Debug)]
pub struct Locked {
    _file: File,
}

impl Store {
    pub fn new(dir: &Path) -> Self {
        Self { dir: dir.to_path_buf() }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE)
    }

    pub fn load(&self) -> Result<Credentials, ConfigError> {
        let path = self.path();
        let Some(text) = super::read_optional(&path)? else { return Ok(Credentials::default()) };
        toml::from_str(&text).map_err(|e| {
            ConfigError::Invalid(format!(
                "{} is not valid: {e}\n  remove it and log in again with `bkgctl login`",
                path.display()
            ))
        })
    }

    /// The stored credential for a server (a normalised URL, see [`crate::client::session`]).
    pub fn get(&self, server: &str) -> Result<Option<Credential>, ConfigError> {
        Ok(self.load()?.servers.remove(server))
    }

    /// Takes the exclusive lock that serialises refreshes between processes.
    pub fn lock(&self) -> Result<Locked, ConfigError> {
        super::create_dir(&self.dir)?;
        let path = self.dir.join(LOCK);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(ConfigError::io(format!("cannot open {}", path.display())))?;
        file.lock().map_err(ConfigError::io(format!("cannot lock {}", path.display())))?;
        Ok(Locked { _file: file })
    }

    /// Stores a server's credential under the lock (after a login).
    pub fn remember(&self, server: &str, credential: Credential) -> Result<(), ConfigError> {
        let lock = self.lock()?;
        self.put(&lock, server, Some(credential))
    }

    /// Sets (or with `None` removes) a server's credential. Call with the lock held.
    pub fn put(
        &self,
        _lock: &Locked,
        server: &str,
        credential: Option<Credential>,
    ) -> Result<(), ConfigError> {
        let mut all = self.load()?;
        match credential {
            Some(c) => all.servers.insert(server.to_string(), c),
            None => all.servers.remove(server),
        };
        let text = toml::to_string_pretty(&all).map_err(|e| ConfigError::Invalid(e.to_string()))?;
        super::write_atomic(&self.path(), &text, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Credential {
        let at = DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z").unwrap().with_timezone(&Utc);
        Credential::Session(Session {
            username: "admin".into(),
            access_token: "secret-access".into(),
            access_expires_at: at,
            refresh_token: "secret-refresh".into(),
            refresh_expires_at: at,
        })
    }

    #[test]
    fn stores_privately_and_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(&dir.path().join("cfg"));
        let lock = store.lock().unwrap();
        store.put(&lock, "http://a/", Some(session())).unwrap();
        store.put(&lock, "http://b/", Some(Credential::Token { token: "bkg_x".into() })).unwrap();
        assert_eq!(store.get("http://a/").unwrap(), Some(session()));
        assert_eq!(store.get("http://b/").unwrap().unwrap().bearer(), "bkg_x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        store.put(&lock, "http://a/", None).unwrap();
        assert_eq!(store.get("http://a/").unwrap(), None);
    }

    #[test]
    fn debug_hides_tokens() {
        let text = format!("{:?}", session());
        assert!(!text.contains("secret"), "{text}");
    }
}

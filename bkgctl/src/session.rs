//! Which daemon a command talks to and with which credentials. The resolution and the
//! transparent session refresh are shared with bkg-tui in `bkg_core::client::session`; this
//! module adapts them to bkgctl's global options and maps their errors to exit classes.

use std::path::PathBuf;

use bkg_core::client::session::{self, ConnectOptions, SessionError};
use bkg_core::client::{Client, ClientError};

use crate::cli::Global;
use crate::exit::{Exit, Fail};

pub use bkg_core::client::session::DEFAULT_SERVER;

impl Global {
    /// The connection-relevant part of the global options.
    pub fn connect_options(&self) -> ConnectOptions {
        ConnectOptions {
            server: self.server.clone(),
            token: self.token.clone(),
            context: self.context.clone(),
            config_dir: self.config_dir.clone(),
        }
    }
}

/// The server a command targets, before any credential is chosen.
pub type Target = session::Target;

/// Resolves the target server of `global`.
pub fn target(global: &Global) -> anyhow::Result<Target> {
    Target::resolve(&global.connect_options()).map_err(into_anyhow)
}

pub fn config_dir(global: &Global) -> anyhow::Result<PathBuf> {
    global.connect_options().config_dir().map_err(|e| into_anyhow(e.into()))
}

/// Maps the shared session errors to bkgctl's exit classes: a bad config file is a usage
/// error, a dead session an auth error, an API error keeps its own class.
pub fn into_anyhow(e: SessionError) -> anyhow::Error {
    match e {
        SessionError::Client(c) => c.into(),
        SessionError::Config(c @ bkg_core::client::config::ConfigError::Invalid(_)) => {
            Fail::usage(c.to_string()).into()
        }
        SessionError::Config(c) => Fail::new(Exit::Failure, c.to_string()).into(),
        SessionError::LoggedOut(m) => Fail::new(Exit::Auth, m).into(),
        SessionError::Refresh(c) => anyhow::Error::from(c).context("refreshing the login session"),
    }
}

/// The API handle commands use.
#[derive(Debug)]
pub struct Api(session::Api);

impl Api {
    pub fn connect(global: &Global) -> anyhow::Result<Self> {
        session::Api::connect(&global.connect_options()).map(Self).map_err(into_anyhow)
    }

    /// Like [`Api::connect`], but with what `bkgctl login` stored, ignoring `--token` and
    /// `BKG_TOKEN` (for `logout`, which ends the stored session).
    pub fn stored(global: &Global) -> anyhow::Result<Self> {
        session::Api::stored(&global.connect_options()).map(Self).map_err(into_anyhow)
    }

    pub fn client(&self) -> &Client {
        self.0.client()
    }

    /// The server's normalised URL.
    pub fn server(&self) -> &str {
        self.0.server()
    }

    /// Runs one API call, refreshing a login session when needed (see
    /// [`session::Api::call`]).
    pub async fn call<T>(&mut self, f: impl AsyncFn(&Client) -> Result<T, ClientError>) -> anyhow::Result<T> {
        self.0.call(f).await.map_err(into_anyhow)
    }
}

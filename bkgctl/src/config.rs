//! bkgctl's files in the OS config dir: the contexts file and the credentials file. They are
//! shared with bkg-tui, so the code lives in `bkg_core::client::config`; this module only
//! re-exports it under bkgctl's old paths.

pub use bkg_core::client::config::{ConfigError, contexts, credentials, dir};

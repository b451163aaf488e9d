//! bkg's shared vocabulary: DTOs, error codes, WebSocket messages, the plugin protocol and the
//! typed API client. No server code lives here; `bkgd` serves what this crate describes and
//! every client (bkgctl, bkg-tui, plugins, tests) speaks it.

pub mod analytics;
pub mod auth;
pub mod cluster;
pub mod daemon;
pub mod error;
pub mod health;
pub mod logs;
pub mod models;
pub mod ndjson;
pub mod openai;
pub mod plugin;
pub mod protocol;
pub mod runtime;
pub mod telemetry;
pub mod ws;

#[cfg(feature = "client")]
pub mod client;

pub use error::{ErrorBody, ErrorCode};

/// The version of this build of bkg, shared by every binary of the workspace.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

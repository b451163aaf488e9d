//! Write bkg plugins in Rust. A plugin is its own process that speaks newline-delimited JSON
//! with `bkgd` over stdin/stdout (see `docs/PROTOCOL.md`); this crate does the handshake,
//! runs requests concurrently, streams chunks, honours cancels, applies live configuration,
//! calls daemon services, reports metrics and logs JSON lines on stderr.
//!
//! ```no_run
//! use bkg_plugin_sdk::{Ctx, Plugin, PluginError, capability};
//! use serde_json::{Value, json};
//!
//! async fn shout(_ctx: Ctx, input: Value) -> Result<Value, PluginError> {
//!     let text = input["text"].as_str().ok_or_else(|| PluginError::bad_input("text must be a string"))?;
//!     Ok(json!({ "text": text.to_uppercase() }))
//! }
//!
//! fn main() -> Result<(), bkg_plugin_sdk::RunError> {
//!     Plugin::new("shouter", env!("CARGO_PKG_VERSION"))
//!         .capability(
//!             capability("shout").input_schema(json!({
//!                 "type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}
//!             })),
//!             shout,
//!         )
//!         .run_blocking()
//! }
//! ```

mod ctx;
mod error;
pub mod log;
mod metrics;
mod paths;
mod plugin;
mod serve;
mod session;
mod spec;
pub mod testing;
mod transport;

pub use bkg_core::auth::Permission;
pub use bkg_core::plugin::CapabilitySpec;
pub use bkg_core::protocol::{feature, methods};
pub use ctx::Ctx;
pub use error::{PluginError, RunError, codes};
pub use metrics::Metrics;
pub use paths::{Access, confine};
pub use plugin::Plugin;
pub use session::Session;
pub use spec::{CapabilityBuilder, capability};

/// Parses a request's input into a typed value; a mismatch is the caller's fault
/// (`bad_input`), which the daemon's schema validation usually catches first.
pub fn parse_input<T: serde::de::DeserializeOwned>(input: serde_json::Value) -> Result<T, PluginError> {
    serde_json::from_value(input).map_err(|e| PluginError::bad_input(format!("invalid input: {e}")))
}

/// Turns a typed output into the JSON a capability returns.
pub fn to_output<T: serde::Serialize>(output: &T) -> Result<serde_json::Value, PluginError> {
    serde_json::to_value(output).map_err(|e| PluginError::internal(format!("cannot encode the output: {e}")))
}

//! The SDK's integration tests, one module per feature. Most run a `Plugin` in-process through
//! the harness (`TestDaemon::start_in_process`); the Python example runs as a real process
//! through the same harness.

// The whole crate is test code; clippy's test exemption covers only #[test] functions, not the
// helpers beside them.
#![allow(clippy::unwrap_used)]

mod callbacks;
mod configure;
mod lifecycle;
mod metrics;
mod protocol_doc;
mod python_example;
mod requests;
mod streaming;

use bkg_plugin_sdk::{Plugin, capability};
use serde_json::json;

/// A plugin with an `echo` capability, the base most tests extend.
fn echo_plugin() -> Plugin {
    Plugin::new("sdk-test", "1.2.3")
        .capability(capability("echo").input_schema(json!({"type": "object"})), |_ctx, input| async move {
            Ok(input)
        })
}

//! The plugin supervisor (`supervisor`): manifests, runtimes, plugin processes, the protocol and
//! each plugin's lifecycle actor.

pub mod supervisor;

// The areas below this one, under the names the code uses (`crate::store::Store`).
use bkgd_auth::auth;
use bkgd_base::private_fs;
use bkgd_events::{events, logs};
use bkgd_models::models;
use bkgd_store::store;

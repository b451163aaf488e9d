//! Authentication and authorisation (`auth`): principals, sessions, API keys, users. Knows
//! nothing of HTTP: how a request proves who it is belongs to `bkgd::api`.

pub mod auth;

// The areas below this one, under the names the code uses (`crate::store::Store`).
use bkgd_base::{config, error, private_fs};
use bkgd_events::events;
use bkgd_store::store;

//! The model manager (`models`): registry, downloads from the Hugging Face hub, imports,
//! validation, and which plugin runs use which model.

pub mod models;

// The areas below this one, under the names the code uses (`crate::store::Store`).
use bkgd_auth::auth;
use bkgd_base::{config, error, private_fs};
use bkgd_events::events;
use bkgd_store::{store, usage};

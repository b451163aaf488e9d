//! The store (`store`): the only code that touches the database, and usage analytics (`usage`),
//! counted in memory and rolled up per hour in it. Below everything but the foundation; being
//! its own crate, it cannot reach up (ARCHITECTURE.md, "Layers").

pub mod store;
pub mod usage;

// The foundation, under the names the code uses (`crate::config::Config`).
use bkgd_base::{config, error, private_fs};

//! Plugin logs (`logs`) and the event hub (`events`) that fans status, telemetry, model and log
//! events out to WebSocket connections. `logs` reports upwards only through its traits
//! (`LogFanout`, `LogFollower`), which `events` implements.

pub mod events;
pub mod logs;

// The foundation, under the names the code uses (`crate::config::LogsConfig`).
use bkgd_base::{config, private_fs};

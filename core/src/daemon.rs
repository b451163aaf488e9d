//! What the daemon says about itself beyond health: its effective configuration
//! (`GET /admin/config`, secrets redacted).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// Answer of `GET /admin/config`: the configuration after every layer (defaults, file, `BKG_*`
/// environment, flags), read-only, with every secret replaced by `***`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EffectiveConfig {
    /// The daemon's version.
    pub version: String,
    /// `sqlite` or `postgres`.
    pub database_backend: String,
    /// The settings as `bkgd config show` prints them, as JSON (keys as in the TOML file).
    #[schema(value_type = Object)]
    pub config: Value,
}

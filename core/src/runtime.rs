//! Plugin runtimes and the plugins directory: a manifest's `[runtime]` (a Python or Node.js
//! environment with dependencies that an admin installs explicitly), its install state, the
//! progress of an install, and the report of a reload of the plugins directory.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ErrorBody;

/// The language runtime a plugin needs installed before it can start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuntimeKind {
    /// A virtual environment owned by bkg, with the packages of `requirements`.
    Python,
    /// `npm ci` of the plugin folder's `package.json` and `package-lock.json`.
    Node,
}

/// `[runtime]` of a manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuntimeSpec {
    pub kind: RuntimeKind,
    /// Python: a `requirements.txt` or `pyproject.toml`, relative to the manifest's folder
    /// (default `requirements.txt`). Node: unused (the folder's `package.json` and lockfile).
    #[serde(default)]
    pub requirements: Option<String>,
}

/// Where a plugin's runtime stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuntimeState {
    /// Never installed: the plugin cannot start until an admin installs it.
    NotInstalled,
    Installing,
    Installed,
    /// Installed, but its dependency files changed since: install again.
    Outdated,
    /// The last install failed (`message` has the installer's words); a previous install, if
    /// any, is still in place.
    Failed,
}

/// The runtime of one plugin, in `GET /api/plugins/{id}` and the answer of an install.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeStatus {
    pub kind: RuntimeKind,
    pub state: RuntimeState,
    /// Why an install failed: the installer's last lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed_at: Option<DateTime<Utc>>,
}

/// One line of `POST /api/plugins/{id}/install` as NDJSON: the installer's output as it comes,
/// then the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InstallEvent {
    /// A line the installer (python -m venv, pip, npm) printed.
    Output(String),
    Done(RuntimeStatus),
    Error(ErrorBody),
}

/// Answer of `POST /api/plugins/reload`: what changed in the plugins directory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReloadReport {
    /// New plugins (stopped, unless their manifest says `autostart`).
    pub added: Vec<String>,
    /// Stopped plugins whose manifest changed, now with the new one.
    pub updated: Vec<String>,
    /// Stopped plugins whose manifest is gone.
    pub removed: Vec<String>,
    /// Running plugins whose manifest changed or is gone: untouched; reload again once stopped.
    pub deferred: Vec<String>,
    pub unchanged: Vec<String>,
    /// Manifests that could not be loaded, with the reason.
    pub errors: Vec<String>,
}

/// Answer of `PUT /api/plugins/{id}/bundle`: the plugin folder was written to the plugins
/// directory and reloaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BundleInstalled {
    pub id: String,
    pub files: u64,
    pub bytes: u64,
    pub reload: ReloadReport,
}

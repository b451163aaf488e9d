//! Models as the API speaks of them: the registry entry, its files, download progress, and the
//! requests to download, import and validate.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a model is in its life. Only `ready` models may be used by plugins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ModelStatus {
    /// Waiting for a download slot.
    Queued,
    Downloading,
    /// Every byte is there; hashes are being checked.
    Verifying,
    Ready,
    /// A file does not match its expected hash or header (after download or validation).
    Invalid,
    /// The download could not complete (network, upstream error, disk); see `error`.
    Failed,
}

impl ModelStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ModelStatus::Queued => "queued",
            ModelStatus::Downloading => "downloading",
            ModelStatus::Verifying => "verifying",
            ModelStatus::Ready => "ready",
            ModelStatus::Invalid => "invalid",
            ModelStatus::Failed => "failed",
        }
    }

    /// Whether work is still going on (queued, downloading, verifying).
    pub fn is_active(self) -> bool {
        matches!(self, ModelStatus::Queued | ModelStatus::Downloading | ModelStatus::Verifying)
    }
}

impl std::fmt::Display for ModelStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a model got into the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ModelSource {
    Hub,
    Import,
}

/// One file of a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ModelFile {
    /// Path inside the repository, e.g. `model.safetensors` or `onnx/model.onnx`.
    pub path: String,
    pub size: u64,
    /// Expected SHA-256 (hex), from the hub's metadata or computed at import.
    pub sha256: Option<String>,
    /// Bytes on disk so far.
    pub done: u64,
    /// The file's bytes matched `sha256`.
    pub verified: bool,
}

/// Download progress.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Bytes per second over the last seconds.
    pub rate: f64,
    /// Seconds left at the current rate, while downloading.
    pub eta_seconds: Option<f64>,
}

/// A registry entry: `GET /api/models/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Model {
    pub id: String,
    /// `org/name` on the hub, or the name given at import.
    pub repo: String,
    /// The revision asked for (branch, tag or commit).
    pub revision: String,
    /// The commit the revision resolved to.
    pub commit: Option<String>,
    pub source: ModelSource,
    pub status: ModelStatus,
    pub files: Vec<ModelFile>,
    pub total_bytes: u64,
    pub progress: Progress,
    /// Why the model is `failed` or `invalid`.
    pub error: Option<String>,
    /// Local folder with the model's files (the hub cache's snapshot folder), once ready.
    pub path: Option<String>,
    pub last_validated_at: Option<DateTime<Utc>>,
    /// Problems found by the last validation.
    pub problems: Vec<String>,
    /// Plugins currently using the model.
    pub used_by: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ModelList {
    pub models: Vec<Model>,
}

/// `POST /api/models/download`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DownloadRequest {
    /// `org/name` on the hub.
    pub repo: String,
    /// Branch, tag or commit; `main` when absent.
    #[serde(default)]
    pub revision: Option<String>,
    /// Globs of the files to fetch (`*.safetensors`, `tokenizer.json`); every file when absent.
    #[serde(default)]
    pub files: Option<Vec<String>>,
}

/// Answer (202) of a download request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DownloadAccepted {
    pub model: Model,
    /// The download job; follow it on the `models` WebSocket topic or by polling the model.
    pub job: String,
    /// False when the same repo and revision was already registered or downloading: no second
    /// download was started.
    pub created: bool,
}

/// `POST /api/models/import`: registers a model from a folder on the daemon's machine.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// Folder on the daemon's machine holding the model's files.
    pub path: String,
    /// Name to register it under (`org/name`); `local/<folder name>` when absent.
    #[serde(default)]
    pub repo: Option<String>,
    #[serde(default)]
    pub revision: Option<String>,
}

/// Answer of `POST /api/models/{id}/validate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ValidationReport {
    pub model: Model,
    pub ok: bool,
    pub problems: Vec<String>,
}

/// A model event on the `models` WebSocket topic: status and progress, throttled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ModelEvent {
    pub id: String,
    pub repo: String,
    pub status: ModelStatus,
    pub progress: Progress,
    pub error: Option<String>,
}

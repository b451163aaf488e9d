//! Client methods for the model registry: list, show, download, import, validate, delete.
//! Download progress arrives on the `models` WebSocket topic ([`crate::ws::Topic::Models`]).

use reqwest::Method;

use super::{Client, Result, seg};
use crate::models::{DownloadAccepted, DownloadRequest, ImportRequest, Model, ModelList, ValidationReport};

impl Client {
    pub async fn models(&self) -> Result<ModelList> {
        self.send_json(self.request(Method::GET, "api/models")?).await
    }

    pub async fn model(&self, id: &str) -> Result<Model> {
        self.send_json(self.request(Method::GET, &format!("api/models/{}", seg(id)))?).await
    }

    /// Starts (or joins) a download job; the daemon answers 202 at once.
    pub async fn download_model(&self, req: &DownloadRequest) -> Result<DownloadAccepted> {
        self.send_json(self.request(Method::POST, "api/models/download")?.json(req)).await
    }

    /// Removes the model's files and registry entry; `force` also when a plugin uses it.
    pub async fn delete_model(&self, id: &str, force: bool) -> Result<()> {
        let mut path = format!("api/models/{}", seg(id));
        if force {
            path.push_str("?force=true");
        }
        self.send(self.request(Method::DELETE, &path)?).await.map(drop)
    }

    /// Re-verifies hashes and parses headers and config.
    pub async fn validate_model(&self, id: &str) -> Result<ValidationReport> {
        let path = format!("api/models/{}/validate", seg(id));
        self.send_json(self.request(Method::POST, &path)?.json(&serde_json::json!({}))).await
    }

    /// Registers a model from a folder on the daemon's machine.
    pub async fn import_model(&self, req: &ImportRequest) -> Result<Model> {
        self.send_json(self.request(Method::POST, "api/models/import")?.json(req)).await
    }
}

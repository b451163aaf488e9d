//! Client methods for plugin installs: a plugin's runtime (with the installer's output as it
//! comes), a plugin folder uploaded as a bundle, and a reload of the plugins directory.

use futures_util::Stream;
use reqwest::Method;

use super::{Client, Result, ndjson_lines, seg};
use crate::runtime::{BundleInstalled, InstallEvent, ReloadReport};

impl Client {
    /// Installs a plugin's runtime; the stream yields the installer's output lines, then `done`
    /// or `error`. Refusals before anything ran (the plugin runs, has no runtime) are errors of
    /// the call itself.
    pub async fn install_runtime(
        &self,
        id: &str,
    ) -> Result<impl Stream<Item = Result<InstallEvent>> + Send + 'static + use<>> {
        let req = self
            .request(Method::POST, &format!("api/plugins/{}/install", seg(id)))?
            .header(reqwest::header::ACCEPT, "application/x-ndjson");
        let resp = self.send(req).await?;
        Ok(ndjson_lines(resp.bytes_stream(), self.base_url().to_string()))
    }

    /// Uploads a plugin folder as an uncompressed tar archive (its root holds `plugin.toml`).
    pub async fn upload_bundle(&self, id: &str, tar: Vec<u8>) -> Result<BundleInstalled> {
        let req = self
            .request(Method::PUT, &format!("api/plugins/{}/bundle", seg(id)))?
            .header(reqwest::header::CONTENT_TYPE, "application/x-tar")
            .body(tar);
        self.send_json(req).await
    }

    /// Picks up new and changed manifests in the daemon's plugins directory.
    pub async fn reload_plugins(&self) -> Result<ReloadReport> {
        self.send_json(self.request(Method::POST, "api/plugins/reload")?.json(&serde_json::json!({}))).await
    }
}

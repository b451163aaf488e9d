//! The Hugging Face hub's HTTP protocol, as far as downloads need it: resolving a revision to
//! a commit with every file's size and hash (`GET /api/models/{repo}/revision/{rev}?blobs=true`)
//! and fetching a file (`GET /{repo}/resolve/{commit}/{path}`, with `Range` to resume).
//!
//! Why not the `hf-hub` crate (checked: 0.5.0, the newest on crates.io in December 2026): it
//! does report progress (its `Progress` trait) and shares our cache layout, but it builds on
//! reqwest 0.12 (bkgd is on 0.13: a second HTTP stack in the binary), sets no read timeout and
//! takes no client of ours (a stalled connection hangs until the OS gives up), does not check a
//! downloaded blob against the hub's SHA-256, and resumes only its own temp-file format in 10 MB
//! chunks, not a partial file an earlier daemon left. So bkg keeps its own byte path: hash while
//! writing, resume from any byte, a stall timeout, cancellation. The protocol is small, and this
//! module speaks exactly the crate's subset of it (and the same cache layout, see `cache`), so
//! Python tools and hf-hub users share the cache. The endpoint and token come from
//! `models.hub_endpoint`/`hub_token` (config loading fills them from `HF_ENDPOINT`/`HF_TOKEN`),
//! and reqwest honours `HTTPS_PROXY`/`NO_PROXY`. Redirects (the hub sends LFS files
//! to a CDN) are followed; reqwest drops the `Authorization` header when a redirect leaves the
//! hub's host, so the token never reaches another server.

use std::sync::OnceLock;
use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;

use super::cache::safe_relative_path;

#[derive(Debug)]
pub struct Hub {
    /// Made on first use, not with the daemon: making it reads and parses every CA certificate
    /// of the system (`/etc/ssl/certs`, a few hundred files), which costs each start time and
    /// memory, and fails where none are installed. A daemon that never downloads a model pays
    /// none of that, and one on a machine without CA certificates still starts and says so
    /// when asked to download.
    http: OnceLock<reqwest::Client>,
    endpoint: url::Url,
    token: Option<String>,
}

/// A file as the hub describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteFile {
    pub path: String,
    pub size: u64,
    /// SHA-256 of LFS files.
    pub sha256: Option<String>,
    /// Git blob id (the only hash the hub gives for small non-LFS files).
    pub git_oid: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RepoInfo {
    pub commit: String,
    pub files: Vec<RemoteFile>,
}

/// Why the hub could not answer; the API maps these to 404 and 502.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Upstream(String),
}

#[derive(Deserialize)]
struct Info {
    sha: Option<String>,
    #[serde(default)]
    siblings: Vec<Sibling>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Sibling {
    rfilename: String,
    size: Option<u64>,
    blob_id: Option<String>,
    lfs: Option<Lfs>,
}

#[derive(Deserialize)]
struct Lfs {
    sha256: Option<String>,
    oid: Option<String>,
    size: Option<u64>,
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Hub {
    pub fn new(endpoint: &str, token: Option<String>) -> anyhow::Result<Self> {
        let mut endpoint = url::Url::parse(endpoint)?;
        if !endpoint.path().ends_with('/') {
            let p = format!("{}/", endpoint.path());
            endpoint.set_path(&p);
        }
        Ok(Self { http: OnceLock::new(), endpoint, token })
    }

    /// The HTTP client, made on the first call (a failure is not kept: the next call tries
    /// again, e.g. after CA certificates were installed).
    fn client(&self) -> reqwest::Result<&reqwest::Client> {
        if let Some(c) = self.http.get() {
            return Ok(c);
        }
        let made = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(15))
            .user_agent(concat!("bkgd/", env!("CARGO_PKG_VERSION"), "; hf-hub-compatible"))
            .build()?;
        Ok(self.http.get_or_init(|| made))
    }

    fn url(&self, segments: &[&str]) -> url::Url {
        let mut u = self.endpoint.clone();
        if let Ok(mut s) = u.path_segments_mut() {
            s.pop_if_empty();
            for seg in segments {
                s.push(seg);
            }
        }
        u
    }

    fn unreachable(&self, e: &reqwest::Error) -> HubError {
        if e.is_builder() {
            HubError::Upstream(format!("cannot make an HTTP client for the hub: {}", chain(e)))
        } else {
            HubError::Upstream(format!("cannot reach the hub at {}: {}", self.endpoint, chain(e)))
        }
    }

    fn get(&self, url: url::Url) -> reqwest::Result<reqwest::RequestBuilder> {
        self.request(reqwest::Method::GET, url)
    }

    fn request(&self, method: reqwest::Method, url: url::Url) -> reqwest::Result<reqwest::RequestBuilder> {
        let r = self.client()?.request(method, url);
        Ok(match &self.token {
            Some(t) => r.bearer_auth(t),
            None => r,
        })
    }

    /// Resolves `revision` of `repo` to a commit and its files.
    pub async fn info(&self, repo: &str, revision: &str) -> Result<RepoInfo, HubError> {
        let (org, name) = repo.split_once('/').unwrap_or(("", repo));
        let mut url = self.url(&["api", "models", org, name, "revision", revision]);
        url.set_query(Some("blobs=true"));
        let unreachable = |e| self.unreachable(&e);
        let resp = self
            .get(url)
            .map_err(unreachable)?
            .timeout(Duration::from_secs(60))
            .send()
            .await
            .map_err(unreachable)?;
        match resp.status() {
            s if s.is_success() => {}
            StatusCode::NOT_FOUND => {
                return Err(HubError::NotFound(format!(
                    "the hub has no model {repo} at revision {revision}"
                )));
            }
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                return Err(HubError::Upstream(format!(
                    "the hub refused access to {repo} ({}): a gated or private repo needs a token (HF_TOKEN or models.hub_token)",
                    resp.status()
                )));
            }
            s => return Err(HubError::Upstream(format!("the hub answered {s} for {repo} at {revision}"))),
        }
        let info: Info = resp.json().await.map_err(|e| {
            HubError::Upstream(format!("the hub's answer for {repo} is not model info: {}", chain(&e)))
        })?;
        let commit = info
            .sha
            .filter(|s| is_hex(s, 40))
            .ok_or_else(|| HubError::Upstream(format!("the hub gave no commit for {repo} at {revision}")))?;
        let mut files = Vec::new();
        for s in info.siblings {
            if !safe_relative_path(&s.rfilename) {
                return Err(HubError::Upstream(format!(
                    "the hub listed an unsafe file path {:?}",
                    s.rfilename
                )));
            }
            let sha256 =
                s.lfs.as_ref().and_then(|l| l.sha256.clone().or(l.oid.clone())).filter(|h| is_hex(h, 64));
            let size = s.lfs.as_ref().and_then(|l| l.size).or(s.size);
            let size = match size {
                Some(n) => n,
                None => self.size_of(repo, &commit, &s.rfilename).await?,
            };
            let git_oid = if sha256.is_none() { s.blob_id.filter(|h| is_hex(h, 40)) } else { None };
            files.push(RemoteFile {
                path: s.rfilename,
                size,
                sha256: sha256.map(|h| h.to_ascii_lowercase()),
                git_oid: git_oid.map(|h| h.to_ascii_lowercase()),
            });
        }
        Ok(RepoInfo { commit, files })
    }

    /// A file's size from a `HEAD` of its download URL, for hubs that list no sizes.
    async fn size_of(&self, repo: &str, commit: &str, path: &str) -> Result<u64, HubError> {
        let url = self.file_url(repo, commit, path);
        let unreachable = |e| self.unreachable(&e);
        let r = self.request(reqwest::Method::HEAD, url).map_err(unreachable)?;
        let resp = r.timeout(Duration::from_secs(60)).send().await.map_err(unreachable)?;
        let linked =
            resp.headers().get("x-linked-size").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
        linked
            .or_else(|| resp.content_length())
            .ok_or_else(|| HubError::Upstream(format!("the hub gives no size for {path}")))
    }

    pub fn file_url(&self, repo: &str, commit: &str, path: &str) -> url::Url {
        let (org, name) = repo.split_once('/').unwrap_or(("", repo));
        let mut segs = vec![org, name, "resolve", commit];
        segs.extend(path.split('/'));
        self.url(&segs)
    }

    /// Starts fetching a file from `offset`.
    pub async fn fetch(
        &self,
        repo: &str,
        commit: &str,
        path: &str,
        offset: u64,
    ) -> reqwest::Result<reqwest::Response> {
        let mut r = self.get(self.file_url(repo, commit, path))?;
        if offset > 0 {
            r = r.header(reqwest::header::RANGE, format!("bytes={offset}-"));
        }
        r.send().await
    }
}

/// An error with its causes, which reqwest keeps in `source()`.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let m = c.to_string();
        if !s.contains(&m) {
            s.push_str(": ");
            s.push_str(&m);
        }
        cur = c.source();
    }
    s
}

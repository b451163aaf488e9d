//! The model manager: the registry (`models` rows), downloads from the Hugging Face hub into a
//! hub-layout cache (`cache`, `hub`, `job`), imports from local folders, validation (`check`),
//! deletion, and which plugin runs use which model (through the `models.resolve` callback).
//!
//! Invariants:
//! - A model is `ready` only when every file's bytes matched the hub's hash (or, for imports,
//!   the hash taken while copying) and its snapshot links exist.
//! - Download jobs survive a daemon restart: the row stays `queued`/`downloading` and partial
//!   files stay as `blobs/<hash>.incomplete`; on start every such row gets a job again, which
//!   resumes each file with a range request after re-hashing the bytes already there.
//! - A job that fails removes its partial files; nothing half-downloaded is left behind.
//! - Every change a user asked for (download, import, validate, delete) commits with its audit
//!   row in one transaction.

mod cache;
mod check;
mod hub;
mod import;
mod job;
mod live;
mod ops;

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Weak};
use std::time::Duration;

use anyhow::Context;
use bkg_core::ErrorCode;
use bkg_core::models::{
    DownloadAccepted, DownloadRequest, Model, ModelEvent, ModelFile, ModelSource, ModelStatus, Progress,
    ValidationReport,
};
use bkg_core::protocol::methods::ModelsResolveResult;
use chrono::{TimeZone, Utc};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::auth::Principal;
use crate::auth::admin::audit;
use crate::config::ModelsConfig;
use crate::error::Error;
use crate::events::EventHub;
use crate::store::{ModelRow, Store, now_ms};

use cache::Cache;
pub use cache::safe_relative_path;
use hub::{Hub, HubError};
pub use import::ImportPolicy;
pub use live::Live;
use live::{PUBLISH_EVERY, Publisher};

/// One file of a model as stored in the row's `files` JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub sha256: Option<String>,
    #[serde(default)]
    pub git_oid: Option<String>,
    #[serde(default)]
    pub verified: bool,
}

impl FileEntry {
    /// The blob's name in the cache, as the hub's own client names it: the git blob id of a
    /// plain git file, the SHA-256 of an LFS file (which has no git id here). The SHA-256 of a
    /// git file is learnt while downloading and does not rename its blob.
    fn blob_name(&self) -> &str {
        self.git_oid.as_deref().or(self.sha256.as_deref()).unwrap_or("unknown")
    }

    /// Checks finished hashes against what the hub said; returns the SHA-256.
    fn matches(&self, h: check::Hashes) -> Result<String, String> {
        let (sha256, git) = h.finish();
        if let Some(want) = &self.sha256
            && *want != sha256
        {
            return Err(format!("{}: SHA-256 is {sha256}, the hub's metadata says {want}", self.path));
        }
        if let Some(want) = &self.git_oid
            && *want != git
        {
            return Err(format!("{}: git blob id is {git}, the hub's metadata says {want}", self.path));
        }
        Ok(sha256)
    }
}

struct Job {
    live: Arc<Live>,
    cancel: CancellationToken,
    done: tokio::sync::watch::Receiver<bool>,
}

#[derive(Debug)]
pub struct ModelManager {
    store: Store,
    events: Arc<EventHub>,
    cache: Cache,
    hub: Hub,
    slots: Arc<Semaphore>,
    attempts: u32,
    stall: Duration,
    /// Where imports may read from.
    import: ImportPolicy,
    jobs: Mutex<HashMap<String, Job>>,
    /// model id -> (plugin id, run) that resolved it.
    usage: Mutex<HashMap<String, Vec<(String, u64)>>>,
    /// Usage analytics: counts finished downloads.
    analytics: Arc<crate::usage::Usage>,
    tasks: TaskTracker,
    shutdown: CancellationToken,
    me: Weak<ModelManager>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("job", &self.live.job).finish()
    }
}

/// Where the cache lives: `models.hub_cache`, else `<cache_dir>/hub`.
pub fn cache_root(cfg: &ModelsConfig, cache_dir: &Path) -> PathBuf {
    if cfg.hub_cache.is_empty() { cache_dir.join("hub") } else { PathBuf::from(&cfg.hub_cache) }
}

fn status_of(s: &str) -> ModelStatus {
    match s {
        "queued" => ModelStatus::Queued,
        "downloading" => ModelStatus::Downloading,
        "verifying" => ModelStatus::Verifying,
        "ready" => ModelStatus::Ready,
        "invalid" => ModelStatus::Invalid,
        _ => ModelStatus::Failed,
    }
}

/// Whether `model` (a registry id or a repo) names `row`.
fn names(row: &ModelRow, model: &str) -> bool {
    row.id == model || row.repo == model
}

/// The row a plugin gets for `model` (a registry id or a repo): of the ready ones it names,
/// the most recently updated. One rule for `models.resolve` and `GET /v1/models`.
pub fn ready_row<'a>(rows: &'a [ModelRow], model: &str) -> Option<&'a ModelRow> {
    rows.iter().filter(|r| names(r, model) && r.status == "ready").max_by_key(|r| r.updated_at)
}

fn files_of(row: &ModelRow) -> Vec<FileEntry> {
    serde_json::from_str(&row.files).unwrap_or_default()
}

/// `org/name`: letters, digits, `-`, `_`, `.`; no `..`.
fn valid_repo(repo: &str) -> bool {
    let ok = |p: &str| {
        !p.is_empty()
            && p.len() <= 96
            && !p.starts_with('.')
            && !p.contains("..")
            && p.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    matches!(repo.split_once('/'), Some((org, name)) if ok(org) && ok(name))
}

fn valid_revision(rev: &str) -> bool {
    !rev.is_empty()
        && rev.len() <= 200
        && !rev.contains("..")
        && !rev.starts_with('/')
        && rev.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
}

impl ModelManager {
    pub fn new(
        cfg: &ModelsConfig,
        cache_dir: &Path,
        import: ImportPolicy,
        store: Store,
        events: Arc<EventHub>,
        analytics: Arc<crate::usage::Usage>,
    ) -> anyhow::Result<Arc<Self>> {
        // Config loading resolved `HF_ENDPOINT`/`HF_TOKEN` into these keys.
        let endpoint =
            if cfg.hub_endpoint.is_empty() { crate::config::DEFAULT_HUB } else { &cfg.hub_endpoint };
        let token = Some(cfg.hub_token.clone()).filter(|t| !t.is_empty());
        let hub = Hub::new(endpoint, token)
            .with_context(|| format!("models.hub_endpoint {endpoint:?} is not a URL"))?;
        let root = cache_root(cfg, cache_dir);
        crate::private_fs::dir(&root)?;
        Ok(Arc::new_cyclic(|me| Self {
            store,
            events,
            cache: Cache::new(root),
            hub,
            slots: Arc::new(Semaphore::new(cfg.max_concurrent_downloads)),
            attempts: cfg.attempts,
            stall: Duration::from_secs(cfg.stall_timeout_secs),
            import,
            jobs: Mutex::new(HashMap::new()),
            usage: Mutex::new(HashMap::new()),
            analytics,
            tasks: TaskTracker::new(),
            shutdown: CancellationToken::new(),
            me: me.clone(),
        }))
    }

    /// Gives every unfinished download (from before a restart) its job again.
    pub async fn resume(&self) -> anyhow::Result<()> {
        for row in self.store.models().await? {
            if status_of(&row.status).is_active() {
                tracing::info!(model = %row.id, repo = %row.repo, "resuming the download");
                self.spawn_job(&row);
            }
        }
        Ok(())
    }

    /// Stops the jobs (their rows and partial files stay, to be resumed) and waits for them.
    pub async fn shutdown(&self) {
        self.shutdown.cancel();
        self.tasks.close();
        self.tasks.wait().await;
    }

    async fn row(&self, id: &str) -> anyhow::Result<Option<ModelRow>> {
        Ok(self.store.model(id).await?)
    }

    async fn save(&self, row: &mut ModelRow) -> anyhow::Result<()> {
        row.updated_at = now_ms();
        self.store.save_model(row).await?;
        Ok(())
    }

    async fn set_status(&self, row: &mut ModelRow, s: ModelStatus) -> anyhow::Result<()> {
        row.status = s.as_str().into();
        self.save(row).await
    }

    fn live(&self, id: &str) -> Option<Arc<Live>> {
        self.jobs.lock().get(id).map(|j| j.live.clone())
    }

    /// The API's view of a row, with live progress and users merged in.
    pub fn to_model(&self, row: &ModelRow) -> Model {
        let files = files_of(row);
        let live = self.live(&row.id);
        let (status, progress, done_of): (ModelStatus, Progress, HashMap<String, u64>) = match &live {
            Some(l) => (*l.status.lock(), l.progress(), l.files.lock().clone()),
            None => {
                let done: u64 = files.iter().filter(|f| f.verified).map(|f| f.size).sum();
                let total = row.total_bytes as u64;
                (
                    status_of(&row.status),
                    Progress { bytes_done: done, bytes_total: total, rate: 0.0, eta_seconds: None },
                    HashMap::new(),
                )
            }
        };
        Model {
            id: row.id.clone(),
            repo: row.repo.clone(),
            revision: row.revision.clone(),
            commit: row.commit_sha.clone(),
            source: if row.source == "import" { ModelSource::Import } else { ModelSource::Hub },
            status,
            files: files
                .iter()
                .map(|f| ModelFile {
                    path: f.path.clone(),
                    size: f.size,
                    sha256: f.sha256.clone(),
                    done: if f.verified { f.size } else { done_of.get(&f.path).copied().unwrap_or(0) },
                    verified: f.verified,
                })
                .collect(),
            total_bytes: row.total_bytes as u64,
            progress,
            error: row.error.clone(),
            path: row.snapshot_path.clone(),
            last_validated_at: row.last_validated_at.and_then(|ms| Utc.timestamp_millis_opt(ms).single()),
            problems: serde_json::from_str(&row.problems).unwrap_or_default(),
            used_by: self.used_by(&row.id),
            created_at: Utc.timestamp_millis_opt(row.created_at).single().unwrap_or_default(),
            updated_at: Utc.timestamp_millis_opt(row.updated_at).single().unwrap_or_default(),
        }
    }

    fn publish_row(&self, row: &ModelRow) {
        let m = self.to_model(row);
        self.events.publish_model(ModelEvent {
            id: m.id,
            repo: m.repo,
            status: m.status,
            progress: m.progress,
            error: m.error,
        });
    }

    fn publish_live(&self, row: &ModelRow, live: &Live) {
        self.events.publish_model(ModelEvent {
            id: row.id.clone(),
            repo: row.repo.clone(),
            status: *live.status.lock(),
            progress: live.progress(),
            error: None,
        });
    }

    pub async fn list(&self) -> Result<Vec<Model>, Error> {
        Ok(self.store.models().await.map_err(Error::internal)?.iter().map(|r| self.to_model(r)).collect())
    }

    pub async fn get(&self, id: &str) -> Result<Model, Error> {
        let row = self.find(id).await?;
        Ok(self.to_model(&row))
    }

    async fn find(&self, id: &str) -> Result<ModelRow, Error> {
        self.store
            .model(id)
            .await
            .map_err(Error::internal)?
            .ok_or_else(|| Error::not_found(format!("no model {id:?}; `GET /api/models` lists them")))
    }

    /// `POST /api/models/download`: resolves the revision on the hub, registers the model and
    /// starts its job; joins the existing one for the same repo and revision.
    pub async fn download(
        &self,
        req: DownloadRequest,
        who: &Principal,
        ip: IpAddr,
    ) -> Result<DownloadAccepted, Error> {
        let repo = req.repo.trim().to_string();
        if !valid_repo(&repo) {
            return Err(Error::bad_request(format!("repo {repo:?} is not of the form org/name")));
        }
        let revision = req.revision.clone().unwrap_or_else(|| "main".into());
        if !valid_revision(&revision) {
            return Err(Error::bad_request(format!(
                "revision {revision:?} is not a branch, tag or commit name"
            )));
        }
        let globs = match &req.files {
            Some(g) if g.is_empty() || g.iter().any(|p| p.trim().is_empty()) => {
                return Err(Error::bad_request(
                    "files: give one or more non-empty globs, or leave it out for every file",
                ));
            }
            Some(g) => {
                let mut b = globset::GlobSetBuilder::new();
                for p in g {
                    b.add(
                        globset::Glob::new(p)
                            .map_err(|e| Error::bad_request(format!("files: {p:?} is not a glob: {e}")))?,
                    );
                }
                Some(b.build().map_err(|e| Error::bad_request(format!("files: {e}")))?)
            }
            None => None,
        };

        if let Some(row) = self.store.model_by_revision(&repo, &revision).await.map_err(Error::internal)? {
            let status = status_of(&row.status);
            if status.is_active() || status == ModelStatus::Ready || row.source == "import" {
                let job = self.live(&row.id).map(|l| l.job.clone()).unwrap_or_default();
                return Ok(DownloadAccepted { model: self.to_model(&row), job, created: false });
            }
            // Failed or invalid: try again from scratch with fresh metadata.
            self.cancel_and_wait(&row.id).await;
        }

        let info = self.hub.info(&repo, &revision).await.map_err(|e| match e {
            HubError::NotFound(m) => Error::not_found(m),
            HubError::Upstream(m) => Error::new(ErrorCode::UpstreamError, m),
        })?;
        let files: Vec<FileEntry> = info
            .files
            .into_iter()
            .filter(|f| globs.as_ref().is_none_or(|g| g.is_match(&f.path)))
            .map(|f| FileEntry {
                path: f.path,
                size: f.size,
                sha256: f.sha256,
                git_oid: f.git_oid,
                verified: false,
            })
            .collect();
        if files.is_empty() {
            return Err(Error::bad_request(format!(
                "no file of {repo} at {revision} matches {:?}",
                req.files.unwrap_or_default()
            )));
        }
        if let Some(f) = files.iter().find(|f| f.sha256.is_none() && f.git_oid.is_none()) {
            return Err(Error::new(
                ErrorCode::UpstreamError,
                format!("the hub gives no hash for {}; it cannot be verified", f.path),
            ));
        }
        let now = now_ms();
        let existing = self.store.model_by_revision(&repo, &revision).await.map_err(Error::internal)?;
        let row = ModelRow {
            id: existing.as_ref().map(|r| r.id.clone()).unwrap_or_else(new_id),
            repo: repo.clone(),
            revision: revision.clone(),
            commit_sha: Some(info.commit.clone()),
            source: "hub".into(),
            total_bytes: files.iter().map(|f| f.size as i64).sum(),
            done_bytes: 0,
            files: serde_json::to_string(&files).map_err(Error::internal)?,
            globs: req.files.as_ref().map(|g| serde_json::to_string(g).unwrap_or_default()),
            status: ModelStatus::Queued.as_str().into(),
            error: None,
            snapshot_path: None,
            problems: "[]".into(),
            last_validated_at: None,
            created_at: existing.as_ref().map(|r| r.created_at).unwrap_or(now),
            updated_at: now,
        };
        let mut tx = self.store.begin().await.map_err(Error::internal)?;
        tx.save_model(&row).await.map_err(|e| {
            // Two identical requests raced: the other one registered it.
            if e.is_unique_violation() {
                Error::new(
                    ErrorCode::Conflict,
                    format!("{repo} at {revision} is being registered by another request; retry"),
                )
            } else {
                Error::internal(e)
            }
        })?;
        let details = serde_json::json!({"repo": repo, "revision": revision, "commit": info.commit, "files": files.len(), "bytes": row.total_bytes});
        tx.audit(&audit(who, ip, "model.download", &row.id, details)).await.map_err(Error::internal)?;
        tx.commit().await.map_err(Error::internal)?;
        let job = self.spawn_job(&row);
        self.publish_row(&row);
        Ok(DownloadAccepted { model: self.to_model(&row), job, created: true })
    }

    fn spawn_job(&self, row: &ModelRow) -> String {
        let Some(me) = self.me.upgrade() else { return String::new() };
        let job_id = uuid::Uuid::new_v4().simple().to_string();
        let (repo, id) = (row.repo.clone(), row.id.clone());
        let events = self.events.clone();
        let status = status_of(&row.status);
        let live = Arc::new(Live {
            job: job_id.clone(),
            total: row.total_bytes as u64,
            done: AtomicU64::new(0),
            files: Mutex::new(HashMap::new()),
            status: Mutex::new(if status.is_active() { status } else { ModelStatus::Queued }),
            samples: Mutex::new(VecDeque::new()),
            last_publish: Mutex::new(None),
            publish: Publisher(Box::new(move |l: &Live| {
                events.publish_model(ModelEvent {
                    id: id.clone(),
                    repo: repo.clone(),
                    status: *l.status.lock(),
                    progress: l.progress(),
                    error: None,
                })
            })),
        });
        let cancel = self.shutdown.child_token();
        let (done_tx, done_rx) = tokio::sync::watch::channel(false);
        self.jobs
            .lock()
            .insert(row.id.clone(), Job { live: live.clone(), cancel: cancel.clone(), done: done_rx });
        let id = row.id.clone();
        self.tasks.spawn(async move {
            let mut tick = tokio::time::interval(PUBLISH_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let run = job::run(me.clone(), id.clone(), live.clone(), cancel);
            tokio::pin!(run);
            loop {
                tokio::select! {
                    () = &mut run => break,
                    _ = tick.tick() => live.tick(),
                }
            }
            me.jobs.lock().remove(&id);
            let _ = done_tx.send(true);
        });
        job_id
    }

    /// Cancels a model's job, if any, and waits until it has stopped touching files.
    async fn cancel_and_wait(&self, id: &str) {
        let job = self.jobs.lock().get(id).map(|j| (j.cancel.clone(), j.done.clone()));
        if let Some((cancel, mut done)) = job {
            cancel.cancel();
            let _ = done.wait_for(|d| *d).await;
        }
    }

    /// Ends a job with `failed` or `invalid`, removing its partial files.
    async fn finish_failed(&self, id: &str, status: ModelStatus, error: String) {
        tracing::warn!(model = id, "download {status}: {error}");
        self.analytics.download(false);
        let Ok(Some(mut row)) = self.store.model(id).await else { return };
        for f in files_of(&row) {
            let _ = std::fs::remove_file(self.cache.partial(&row.repo, f.blob_name()));
        }
        row.status = status.as_str().into();
        row.error = Some(error);
        if let Err(e) = self.save(&mut row).await {
            tracing::error!(model = id, "cannot record the failed download: {e:#}");
        }
        self.jobs.lock().remove(id);
        self.publish_row(&row);
    }

    /// Links the verified blobs into the snapshot, checks formats, and marks the model ready
    /// (or invalid, with the problems found).
    async fn publish_snapshot(
        &self,
        row: &mut ModelRow,
        files: &[FileEntry],
        commit: &str,
    ) -> anyhow::Result<()> {
        let (cache, repo, rev, commit_s, fs) =
            (self.cache.clone(), row.repo.clone(), row.revision.clone(), commit.to_string(), files.to_vec());
        let problems = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
            for f in &fs {
                cache.link(&repo, &commit_s, &f.path, f.blob_name()).context("cannot link the snapshot")?;
            }
            cache.write_ref(&repo, &rev, &commit_s).context("cannot write the ref")?;
            let snap = cache.snapshot(&repo, &commit_s);
            Ok(fs
                .iter()
                .filter_map(|f| {
                    check::check_format(&snap.join(&f.path), &f.path)
                        .err()
                        .map(|e| format!("{}: {e}", f.path))
                })
                .collect())
        })
        .await??;
        row.snapshot_path = Some(self.cache.snapshot(&row.repo, commit).display().to_string());
        row.last_validated_at = Some(now_ms());
        row.done_bytes = row.total_bytes;
        row.problems = serde_json::to_string(&problems)?;
        if problems.is_empty() {
            row.status = ModelStatus::Ready.as_str().into();
            row.error = None;
        } else {
            row.status = ModelStatus::Invalid.as_str().into();
            row.error = Some(problems.join("; "));
        }
        self.save(row).await?;
        self.jobs.lock().remove(&row.id);
        self.publish_row(row);
        self.analytics.download(problems.is_empty());
        tracing::info!(model = %row.id, repo = %row.repo, status = %row.status, "download finished");
        Ok(())
    }
}

fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_string()
}

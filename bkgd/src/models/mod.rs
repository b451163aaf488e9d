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

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

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
use crate::error::ApiError;
use crate::events::EventHub;
use crate::store::{ModelRow, Store, now_ms};
use crate::supervisor::Supervisor;

use cache::Cache;
pub use cache::safe_relative_path;
use hub::{Hub, HubError};
pub use import::ImportPolicy;

/// Events about one model's progress are published at most this often.
const PUBLISH_EVERY: Duration = Duration::from_millis(250);
/// Rate samples span this long.
const RATE_WINDOW: Duration = Duration::from_secs(5);

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

/// Live progress of a running job, kept in memory and merged into the answers.
#[derive(Debug)]
pub struct Live {
    job: String,
    total: u64,
    done: AtomicU64,
    files: Mutex<HashMap<String, u64>>,
    status: Mutex<ModelStatus>,
    samples: Mutex<VecDeque<(Instant, u64)>>,
    /// When the last event went out and the progress it carried.
    last_publish: Mutex<Option<(Instant, Progress)>>,
    publish: Publisher,
}

/// Sends a progress event for the job.
struct Publisher(Box<dyn Fn(&Live) + Send + Sync>);

impl std::fmt::Debug for Publisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Publisher")
    }
}

impl Live {
    fn set_status(&self, s: ModelStatus) {
        *self.status.lock() = s;
    }

    /// Bytes of `path` on disk so far; publishes a throttled progress event.
    fn set_file(&self, path: &str, bytes: u64) {
        let total = {
            let mut files = self.files.lock();
            files.insert(path.to_string(), bytes);
            files.values().sum::<u64>()
        };
        self.done.store(total, Ordering::Relaxed);
        self.sample(total);
        self.publish_if_due(total == self.total);
    }

    /// Called every [`PUBLISH_EVERY`] while the job runs: the throttle in `set_file` drops the
    /// last burst before a stall (a slow hub, a held connection), so without this tick a client
    /// would see the progress of the burst's first chunk until the next byte arrives. It also
    /// lets the rate fall to zero while nothing arrives.
    fn tick(&self) {
        self.sample(self.done.load(Ordering::Relaxed));
        self.publish_if_due(false);
    }

    fn sample(&self, total: u64) {
        let now = Instant::now();
        let mut s = self.samples.lock();
        s.push_back((now, total));
        while s.len() > 2 && s.front().is_some_and(|(t, _)| now - *t > RATE_WINDOW) {
            s.pop_front();
        }
    }

    /// Publishes when the last event is older than [`PUBLISH_EVERY`] and said something else,
    /// or when `force`d (the last byte).
    fn publish_if_due(&self, force: bool) {
        let now = Instant::now();
        let progress = self.progress();
        let due = {
            let mut last = self.last_publish.lock();
            let due = force || last.as_ref().is_none_or(|(t, p)| now - *t >= PUBLISH_EVERY && *p != progress);
            if due {
                *last = Some((now, progress));
            }
            due
        };
        if due {
            (self.publish.0)(self);
        }
    }

    fn progress(&self) -> Progress {
        let done = self.done.load(Ordering::Relaxed);
        let rate = job::rate(&self.samples.lock());
        let left = self.total.saturating_sub(done);
        Progress {
            bytes_done: done,
            bytes_total: self.total,
            rate,
            eta_seconds: (rate > 0.0).then(|| left as f64 / rate),
        }
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
    supervisor: std::sync::OnceLock<Weak<Supervisor>>,
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

fn bad_request(m: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidRequest, m)
}

fn internal(e: impl Into<anyhow::Error>) -> ApiError {
    ApiError::internal(e)
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
        let endpoint = if cfg.hub_endpoint.is_empty() {
            std::env::var("HF_ENDPOINT").unwrap_or_else(|_| "https://huggingface.co".into())
        } else {
            cfg.hub_endpoint.clone()
        };
        let token = if cfg.hub_token.is_empty() {
            std::env::var("HF_TOKEN").ok()
        } else {
            Some(cfg.hub_token.clone())
        }
        .filter(|t| !t.is_empty());
        let hub = Hub::new(&endpoint, token)
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
            supervisor: std::sync::OnceLock::new(),
            tasks: TaskTracker::new(),
            shutdown: CancellationToken::new(),
            me: me.clone(),
        }))
    }

    /// Lets the manager see which plugin runs are alive (for `used_by`).
    pub fn attach(&self, supervisor: &Arc<Supervisor>) {
        let _ = self.supervisor.set(Arc::downgrade(supervisor));
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

    pub async fn list(&self) -> Result<Vec<Model>, ApiError> {
        Ok(self.store.models().await.map_err(internal)?.iter().map(|r| self.to_model(r)).collect())
    }

    pub async fn get(&self, id: &str) -> Result<Model, ApiError> {
        let row = self.find(id).await?;
        Ok(self.to_model(&row))
    }

    async fn find(&self, id: &str) -> Result<ModelRow, ApiError> {
        self.store
            .model(id)
            .await
            .map_err(internal)?
            .ok_or_else(|| ApiError::not_found(format!("no model {id:?}; `GET /api/models` lists them")))
    }

    /// `POST /api/models/download`: resolves the revision on the hub, registers the model and
    /// starts its job; joins the existing one for the same repo and revision.
    pub async fn download(
        &self,
        req: DownloadRequest,
        who: &Principal,
        ip: IpAddr,
    ) -> Result<DownloadAccepted, ApiError> {
        let repo = req.repo.trim().to_string();
        if !valid_repo(&repo) {
            return Err(bad_request(format!("repo {repo:?} is not of the form org/name")));
        }
        let revision = req.revision.clone().unwrap_or_else(|| "main".into());
        if !valid_revision(&revision) {
            return Err(bad_request(format!("revision {revision:?} is not a branch, tag or commit name")));
        }
        let globs = match &req.files {
            Some(g) if g.is_empty() || g.iter().any(|p| p.trim().is_empty()) => {
                return Err(bad_request(
                    "files: give one or more non-empty globs, or leave it out for every file",
                ));
            }
            Some(g) => {
                let mut b = globset::GlobSetBuilder::new();
                for p in g {
                    b.add(
                        globset::Glob::new(p)
                            .map_err(|e| bad_request(format!("files: {p:?} is not a glob: {e}")))?,
                    );
                }
                Some(b.build().map_err(|e| bad_request(format!("files: {e}")))?)
            }
            None => None,
        };

        if let Some(row) = self.store.model_by_revision(&repo, &revision).await.map_err(internal)? {
            let status = status_of(&row.status);
            if status.is_active() || status == ModelStatus::Ready || row.source == "import" {
                let job = self.live(&row.id).map(|l| l.job.clone()).unwrap_or_default();
                return Ok(DownloadAccepted { model: self.to_model(&row), job, created: false });
            }
            // Failed or invalid: try again from scratch with fresh metadata.
            self.cancel_and_wait(&row.id).await;
        }

        let info = self.hub.info(&repo, &revision).await.map_err(|e| match e {
            HubError::NotFound(m) => ApiError::not_found(m),
            HubError::Upstream(m) => ApiError::new(ErrorCode::UpstreamError, m),
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
            return Err(bad_request(format!(
                "no file of {repo} at {revision} matches {:?}",
                req.files.unwrap_or_default()
            )));
        }
        if let Some(f) = files.iter().find(|f| f.sha256.is_none() && f.git_oid.is_none()) {
            return Err(ApiError::new(
                ErrorCode::UpstreamError,
                format!("the hub gives no hash for {}; it cannot be verified", f.path),
            ));
        }
        let now = now_ms();
        let existing = self.store.model_by_revision(&repo, &revision).await.map_err(internal)?;
        let row = ModelRow {
            id: existing.as_ref().map(|r| r.id.clone()).unwrap_or_else(new_id),
            repo: repo.clone(),
            revision: revision.clone(),
            commit_sha: Some(info.commit.clone()),
            source: "hub".into(),
            total_bytes: files.iter().map(|f| f.size as i64).sum(),
            done_bytes: 0,
            files: serde_json::to_string(&files).map_err(internal)?,
            globs: req.files.as_ref().map(|g| serde_json::to_string(g).unwrap_or_default()),
            status: ModelStatus::Queued.as_str().into(),
            error: None,
            snapshot_path: None,
            problems: "[]".into(),
            last_validated_at: None,
            created_at: existing.as_ref().map(|r| r.created_at).unwrap_or(now),
            updated_at: now,
        };
        let mut tx = self.store.begin().await.map_err(internal)?;
        tx.save_model(&row).await.map_err(|e| {
            // Two identical requests raced: the other one registered it.
            if e.as_database_error().is_some_and(|d| d.is_unique_violation()) {
                ApiError::new(
                    ErrorCode::Conflict,
                    format!("{repo} at {revision} is being registered by another request; retry"),
                )
            } else {
                internal(e)
            }
        })?;
        let details = serde_json::json!({"repo": repo, "revision": revision, "commit": info.commit, "files": files.len(), "bytes": row.total_bytes});
        tx.audit(&audit(who, ip, "model.download", &row.id, details)).await.map_err(internal)?;
        tx.commit().await.map_err(internal)?;
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

    /// `POST /api/models/{id}/validate`: re-hashes every file and checks the formats.
    pub async fn validate(
        &self,
        id: &str,
        who: &Principal,
        ip: IpAddr,
    ) -> Result<ValidationReport, ApiError> {
        let mut row = self.find(id).await?;
        if status_of(&row.status).is_active() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("model {id} is still {}; validate it when done", row.status),
            ));
        }
        let files = files_of(&row);
        let problems = match (&row.commit_sha, row.source.as_str()) {
            (Some(commit), _) => {
                let snap = self.cache.snapshot(&row.repo, commit);
                let fs = files.clone();
                tokio::task::spawn_blocking(move || validate_files(&snap, &fs)).await.map_err(internal)?
            }
            (None, _) => vec!["the model was never downloaded completely".to_string()],
        };
        row.problems = serde_json::to_string(&problems).map_err(internal)?;
        row.last_validated_at = Some(now_ms());
        row.updated_at = now_ms();
        let ok = problems.is_empty();
        if ok {
            row.status = ModelStatus::Ready.as_str().into();
            row.error = None;
        } else {
            row.status = ModelStatus::Invalid.as_str().into();
            row.error = Some(problems.join("; "));
        }
        let mut tx = self.store.begin().await.map_err(internal)?;
        tx.save_model(&row).await.map_err(internal)?;
        let mut event = audit(
            who,
            ip,
            "model.validate",
            &row.id,
            serde_json::json!({"repo": row.repo, "problems": problems.len()}),
        );
        event.success = ok;
        tx.audit(&event).await.map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        self.publish_row(&row);
        Ok(ValidationReport { model: self.to_model(&row), ok, problems })
    }

    /// `DELETE /api/models/{id}`: cancels a download in progress, refuses (409) while a running
    /// plugin uses the model unless `force`, then removes the row and the files no other
    /// snapshot needs. Returns the bytes freed.
    pub async fn delete(&self, id: &str, force: bool, who: &Principal, ip: IpAddr) -> Result<u64, ApiError> {
        let row = self.find(id).await?;
        let users = self.used_by(id);
        if !users.is_empty() && !force {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "model {id} is in use by {}; stop them first or delete with force=true",
                    users.join(", ")
                ),
            )
            .with_details(serde_json::json!({"usedBy": users})));
        }
        self.cancel_and_wait(id).await;
        let mut tx = self.store.begin().await.map_err(internal)?;
        if !tx.delete_model(id).await.map_err(internal)? {
            return Err(ApiError::not_found(format!("no model {id:?}")));
        }
        let details = serde_json::json!({"repo": row.repo, "revision": row.revision, "status": row.status, "force": force, "usedBy": users});
        tx.audit(&audit(who, ip, "model.delete", id, details)).await.map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        self.usage.lock().remove(id);
        let files = files_of(&row);
        let cache = self.cache.clone();
        let freed = tokio::task::spawn_blocking(move || {
            let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
            let blobs: Vec<String> = files.iter().map(|f| f.blob_name().to_string()).collect();
            cache.remove(&row.repo, row.commit_sha.as_deref(), &row.revision, &paths, &blobs)
        })
        .await
        .map_err(internal)?;
        self.events.publish_model(ModelEvent {
            id: id.to_string(),
            repo: String::new(),
            status: ModelStatus::Failed,
            progress: Progress::default(),
            error: Some("deleted".into()),
        });
        Ok(freed)
    }

    /// Plugins whose current run resolved the model.
    pub fn used_by(&self, id: &str) -> Vec<String> {
        let Some(sup) = self.supervisor.get().and_then(Weak::upgrade) else { return Vec::new() };
        let mut usage = self.usage.lock();
        let Some(users) = usage.get_mut(id) else { return Vec::new() };
        users
            .retain(|(plugin, run)| sup.get(plugin).and_then(|h| h.current()).is_some_and(|i| i.run == *run));
        let mut out: Vec<String> = users.iter().map(|(p, _)| p.clone()).collect();
        out.sort();
        out.dedup();
        out
    }

    /// The `models.resolve` callback: a ready model by id or repo, recorded as used by the
    /// calling plugin run.
    pub async fn resolve(
        &self,
        model: &str,
        plugin: &str,
        run: u64,
    ) -> Result<ModelsResolveResult, (String, String)> {
        let rows = self.store.models().await.map_err(|e| ("internal".to_string(), e.to_string()))?;
        let Some(row) = ready_row(&rows, model) else {
            if !rows.iter().any(|r| names(r, model)) {
                return Err((
                    "not_found".into(),
                    format!("no model {model:?} in the registry; download or import it first"),
                ));
            }
            return Err(("model_not_ready".into(), format!("model {model:?} is not ready yet")));
        };
        let (Some(path), files) = (row.snapshot_path.clone(), files_of(row)) else {
            return Err(("model_not_ready".into(), format!("model {model:?} has no files yet")));
        };
        let users = &mut *self.usage.lock();
        let entry = users.entry(row.id.clone()).or_default();
        if !entry.iter().any(|(p, r)| p == plugin && *r == run) {
            entry.push((plugin.to_string(), run));
        }
        Ok(ModelsResolveResult {
            id: row.id.clone(),
            repo: row.repo.clone(),
            path,
            files: files.into_iter().map(|f| f.path).collect(),
        })
    }
}

fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_string()
}

/// Re-hashes and checks every file of a snapshot.
fn validate_files(snap: &Path, files: &[FileEntry]) -> Vec<String> {
    let mut problems = Vec::new();
    for f in files {
        let p = snap.join(&f.path);
        match std::fs::metadata(&p) {
            Err(e) => {
                problems.push(format!("{}: missing ({e})", f.path));
                continue;
            }
            Ok(m) if m.len() != f.size => {
                problems.push(format!("{}: {} bytes on disk, {} expected", f.path, m.len(), f.size));
                continue;
            }
            Ok(_) => {}
        }
        match check::hash_prefix(&p, f.size, None, f.sha256.is_none()) {
            Err(e) => problems.push(format!("{}: cannot read: {e}", f.path)),
            Ok(h) => {
                let (sha, git) = h.finish();
                if f.sha256.as_ref().is_some_and(|want| *want != sha) {
                    problems.push(format!(
                        "{}: SHA-256 is {sha}, expected {}",
                        f.path,
                        f.sha256.as_deref().unwrap_or("")
                    ));
                    continue;
                }
                if f.sha256.is_none() && f.git_oid.as_ref().is_some_and(|want| *want != git) {
                    problems.push(format!(
                        "{}: git blob id is {git}, expected {}",
                        f.path,
                        f.git_oid.as_deref().unwrap_or("")
                    ));
                    continue;
                }
            }
        }
        if let Err(e) = check::check_format(&p, &f.path) {
            problems.push(format!("{}: {e}", f.path));
        }
    }
    problems
}

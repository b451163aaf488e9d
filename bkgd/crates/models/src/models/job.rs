//! A download job: fetches a model's files one after the other into the cache, resuming
//! partial files with range requests, hashing while writing, and publishing a blob only once
//! its bytes match the hub's hash. Errors that may pass (5xx, a dropped or stalled connection)
//! are retried from where the file stopped; the rest end the job with a clear reason.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bkg_core::models::ModelStatus;
use futures_util::StreamExt;
use reqwest::StatusCode;
use std::io::Write as _;
use tokio_util::sync::CancellationToken;

use super::check::{Hashes, hash_prefix};
use super::hub::chain;
use super::{FileEntry, Live, ModelManager};

/// Bytes received between background syncs of a partial file.
const SYNC_EVERY: u64 = 16 << 20;

/// How a file download ended, when not with its hash.
#[derive(Debug)]
pub enum FileError {
    /// May pass: try again from where the file stopped.
    Retry(String),
    /// Will not pass by trying again.
    Fatal(String),
    /// The bytes do not match the hub's hash.
    Mismatch(String),
    Cancelled,
}

/// Runs the job until the model is ready, invalid or failed, or until cancelled (delete or
/// shutdown), in which case the row is left for whoever cancelled.
pub async fn run(mgr: Arc<ModelManager>, id: String, live: Arc<Live>, cancel: CancellationToken) {
    let permit = tokio::select! {
        p = mgr.slots.clone().acquire_owned() => p,
        _ = cancel.cancelled() => return,
    };
    let Ok(_permit) = permit else { return };
    if let Err(e) = download(&mgr, &id, &live, &cancel).await {
        match e {
            FileError::Cancelled => {}
            FileError::Mismatch(m) => mgr.finish_failed(&id, ModelStatus::Invalid, m).await,
            FileError::Fatal(m) | FileError::Retry(m) => mgr.finish_failed(&id, ModelStatus::Failed, m).await,
        }
    }
}

async fn download(
    mgr: &Arc<ModelManager>,
    id: &str,
    live: &Arc<Live>,
    cancel: &CancellationToken,
) -> Result<(), FileError> {
    let fatal = |e: anyhow::Error| FileError::Fatal(format!("{e:#}"));
    let mut row = mgr.row(id).await.map_err(fatal)?.ok_or(FileError::Cancelled)?;
    let mut files: Vec<FileEntry> =
        serde_json::from_str(&row.files).map_err(|e| FileError::Fatal(e.to_string()))?;
    let commit = row.commit_sha.clone().ok_or_else(|| FileError::Fatal("the model has no commit".into()))?;
    live.set_status(ModelStatus::Downloading);
    mgr.set_status(&mut row, ModelStatus::Downloading).await.map_err(fatal)?;
    mgr.publish_live(&row, live);

    for i in 0..files.len() {
        let f = files[i].clone();
        let blob = mgr.cache.blob(&row.repo, f.blob_name());
        if f.verified && blob.exists() {
            live.set_file(&f.path, f.size);
            continue;
        }
        let sha256 = fetch_file(mgr, &row.repo, &commit, &f, live, cancel).await?;
        files[i].verified = true;
        files[i].sha256 = Some(sha256);
        // Kept in memory until the model is published: after a restart, a finished blob is
        // found in the cache and re-hashed instead of fetched, so a database commit (an fsync)
        // per file would buy nothing.
        row.files = serde_json::to_string(&files).unwrap_or_default();
        row.done_bytes = files.iter().filter(|f| f.verified).map(|f| f.size as i64).sum();
    }

    live.set_status(ModelStatus::Verifying);
    mgr.set_status(&mut row, ModelStatus::Verifying).await.map_err(fatal)?;
    mgr.publish_live(&row, live);
    mgr.publish_snapshot(&mut row, &files, &commit).await.map_err(fatal)
}

/// Downloads one file into its blob, resuming a partial one; returns its SHA-256.
async fn fetch_file(
    mgr: &ModelManager,
    repo: &str,
    commit: &str,
    f: &FileEntry,
    live: &Live,
    cancel: &CancellationToken,
) -> Result<String, FileError> {
    let blobs = mgr.cache.blobs(repo);
    tokio::fs::create_dir_all(&blobs)
        .await
        .map_err(|e| FileError::Fatal(format!("cannot create {}: {e}", blobs.display())))?;
    let blob = mgr.cache.blob(repo, f.blob_name());
    // A blob already in the cache (another revision, or a Python download) is reused when its
    // bytes are right.
    if blob.exists() {
        let (b, size) = (blob.clone(), f.size);
        let git = f.git_oid.is_some();
        let hashes = tokio::task::spawn_blocking(move || hash_prefix(&b, size, None, git)).await;
        if let Ok(Ok(h)) = hashes
            && let Ok(sha) = f.matches(h)
        {
            live.set_file(&f.path, f.size);
            return Ok(sha);
        }
        let _ = tokio::fs::remove_file(&blob).await;
    }
    let mut attempt = 1;
    loop {
        match fetch_once(mgr, repo, commit, f, live, cancel).await {
            Err(FileError::Retry(m)) if attempt < mgr.attempts => {
                tracing::warn!(repo, file = %f.path, attempt, "download interrupted, resuming: {m}");
                let backoff = Duration::from_millis(250 << attempt.min(5));
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = cancel.cancelled() => return Err(FileError::Cancelled),
                }
                attempt += 1;
            }
            Err(FileError::Retry(m)) => {
                return Err(FileError::Fatal(format!("{m} (gave up after {attempt} attempts)")));
            }
            other => return other,
        }
    }
}

async fn fetch_once(
    mgr: &ModelManager,
    repo: &str,
    commit: &str,
    f: &FileEntry,
    live: &Live,
    cancel: &CancellationToken,
) -> Result<String, FileError> {
    let part = mgr.cache.partial(repo, f.blob_name());
    let blob = mgr.cache.blob(repo, f.blob_name());
    let io =
        |what: &str, e: std::io::Error| FileError::Fatal(format!("cannot {what} {}: {e}", part.display()));
    let mut have = tokio::fs::metadata(&part).await.map(|m| m.len()).unwrap_or(0);
    if have > f.size {
        have = 0;
    }
    // Resuming: the hash state is rebuilt from the bytes already on disk.
    let mut hashes = if have > 0 {
        let (p, size, git) = (part.clone(), f.size, f.git_oid.is_some());
        tokio::task::spawn_blocking(move || hash_prefix(&p, size, Some(have), git))
            .await
            .map_err(|e| FileError::Fatal(e.to_string()))?
            .map_err(|e| io("read", e))?
    } else {
        Hashes::new(f.size, f.git_oid.is_some())
    };
    live.set_file(&f.path, have);

    if have < f.size {
        let resp = tokio::select! {
            r = mgr.hub.fetch(repo, commit, &f.path, have) => r,
            _ = cancel.cancelled() => return Err(FileError::Cancelled),
        };
        let resp =
            resp.map_err(|e| FileError::Retry(format!("{}: cannot reach the hub: {}", f.path, chain(&e))))?;
        let status = resp.status();
        match status {
            StatusCode::OK if have > 0 => {
                // The server ignored the range: start over.
                have = 0;
                hashes = Hashes::new(f.size, f.git_oid.is_some());
                live.set_file(&f.path, 0);
            }
            StatusCode::OK | StatusCode::PARTIAL_CONTENT => {}
            StatusCode::RANGE_NOT_SATISFIABLE => {
                let _ = tokio::fs::remove_file(&part).await;
                return Err(FileError::Retry(format!(
                    "{}: the server refused to resume; starting over",
                    f.path
                )));
            }
            StatusCode::NOT_FOUND => {
                return Err(FileError::Fatal(format!("{}: the hub has no such file (404)", f.path)));
            }
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                return Err(FileError::Fatal(format!(
                    "{}: access refused ({status}); a gated or private repo needs a token (HF_TOKEN)",
                    f.path
                )));
            }
            s if s.is_server_error()
                || s == StatusCode::TOO_MANY_REQUESTS
                || s == StatusCode::REQUEST_TIMEOUT =>
            {
                return Err(FileError::Retry(format!("{}: the server answered {s}", f.path)));
            }
            s => return Err(FileError::Fatal(format!("{}: the server answered {s}", f.path))),
        }
        if let Some(len) = resp.content_length()
            && have + len != f.size
        {
            cleanup(&part).await;
            return Err(FileError::Fatal(format!(
                "{}: the server announced {len} bytes from byte {have}, but the hub's metadata gives {} in all",
                f.path, f.size
            )));
        }
        // Plain blocking writes, chunk by chunk, straight into the page cache: no user-space
        // buffer holds bytes a SIGKILL would lose, so a resume re-fetches nothing already
        // received. A write of one network chunk to the page cache takes microseconds.
        let mut out = crate::private_fs::file_options()
            .create(true)
            .append(have > 0)
            .write(true)
            .truncate(have == 0)
            .open(&part)
            .map_err(|e| io("open", e))?;
        let mut body = resp.bytes_stream();
        let stall = mgr.stall;
        let worker = HashWorker::start(std::mem::replace(&mut hashes, Hashes::new(0, false)));
        // Written bytes go to disk in the background every few MiB (fdatasync on a second
        // handle), so the final fsync before the blob counts has little left to write.
        let mut syncing: Option<tokio::task::JoinHandle<std::io::Result<()>>> = None;
        let mut synced_at = have;
        loop {
            let next = tokio::select! {
                n = tokio::time::timeout(stall, body.next()) => n,
                _ = cancel.cancelled() => return Err(FileError::Cancelled),
            };
            let chunk = match next {
                Err(_) => {
                    return Err(FileError::Retry(format!(
                        "{}: no data for {} s after {have} of {} bytes",
                        f.path,
                        stall.as_secs(),
                        f.size
                    )));
                }
                Ok(None) => break,
                Ok(Some(Err(e))) => {
                    return Err(FileError::Retry(format!(
                        "{}: the connection broke after {have} of {} bytes: {}",
                        f.path,
                        f.size,
                        chain(&e)
                    )));
                }
                Ok(Some(Ok(c))) => c,
            };
            if have + chunk.len() as u64 > f.size {
                drop(out);
                cleanup(&part).await;
                return Err(FileError::Fatal(format!(
                    "{}: the server sent more than the {} bytes the hub's metadata gives",
                    f.path, f.size
                )));
            }
            out.write_all(&chunk).map_err(|e| io("write", e))?;
            worker.update(chunk.clone()).await;
            have += chunk.len() as u64;
            if have - synced_at >= SYNC_EVERY && syncing.as_ref().is_none_or(|s| s.is_finished()) {
                if let Ok(handle) = out.try_clone() {
                    syncing = Some(tokio::task::spawn_blocking(move || handle.sync_data()));
                }
                synced_at = have;
            }
            live.set_file(&f.path, have);
        }
        hashes = worker.finish().await.map_err(|e| FileError::Fatal(e.to_string()))?;
        if let Some(s) = syncing {
            s.await.map_err(|e| FileError::Fatal(e.to_string()))?.map_err(|e| io("sync", e))?;
        }
        tokio::task::spawn_blocking(move || out.sync_all())
            .await
            .map_err(|e| FileError::Fatal(e.to_string()))?
            .map_err(|e| io("sync", e))?;
        if have < f.size {
            return Err(FileError::Retry(format!(
                "{}: the connection closed after {have} of {} bytes",
                f.path, f.size
            )));
        }
    }
    match f.matches(hashes) {
        Ok(sha) => {
            tokio::fs::rename(&part, &blob).await.map_err(|e| io("publish", e))?;
            Ok(sha)
        }
        Err(m) => {
            cleanup(&part).await;
            Err(FileError::Mismatch(m))
        }
    }
}

/// Hashes a download's bytes on a blocking thread while the next ones arrive, so hashing and
/// receiving use both cores instead of taking turns.
struct HashWorker {
    tx: tokio::sync::mpsc::Sender<bytes::Bytes>,
    done: tokio::task::JoinHandle<Hashes>,
}

impl HashWorker {
    fn start(mut hashes: Hashes) -> Self {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<bytes::Bytes>(256);
        let done = tokio::task::spawn_blocking(move || {
            while let Some(b) = rx.blocking_recv() {
                hashes.update(&b);
            }
            hashes
        });
        Self { tx, done }
    }

    async fn update(&self, bytes: bytes::Bytes) {
        // Only fails when the worker is gone, which `finish` reports.
        let _ = self.tx.send(bytes).await;
    }

    async fn finish(self) -> Result<Hashes, tokio::task::JoinError> {
        drop(self.tx);
        self.done.await
    }
}

async fn cleanup(part: &std::path::Path) {
    let _ = tokio::fs::remove_file(part).await;
}

/// Rate over the last few seconds, from (time, bytes) samples.
pub fn rate(samples: &std::collections::VecDeque<(Instant, u64)>) -> f64 {
    match (samples.front(), samples.back()) {
        (Some((t0, b0)), Some((t1, b1))) if t1 > t0 => {
            (b1.saturating_sub(*b0)) as f64 / (*t1 - *t0).as_secs_f64()
        }
        _ => 0.0,
    }
}

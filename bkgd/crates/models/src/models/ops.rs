//! What a user does with a model once it is in the registry: validate it again, delete it
//! (refused while a plugin run uses it, unless forced), and resolve it for a plugin
//! (`models.resolve`), which records the use.

use std::net::IpAddr;
use std::path::Path;

use bkg_core::protocol::ProtocolCode;

use super::*;

impl ModelManager {
    /// `POST /api/models/{id}/validate`: re-hashes every file and checks the formats.
    pub async fn validate(&self, id: &str, who: &Principal, ip: IpAddr) -> Result<ValidationReport, Error> {
        let mut row = self.find(id).await?;
        if status_of(&row.status).is_active() {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!("model {id} is still {}; validate it when done", row.status),
            ));
        }
        let files = files_of(&row);
        let problems = match (&row.commit_sha, row.source.as_str()) {
            (Some(commit), _) => {
                let snap = self.cache.snapshot(&row.repo, commit);
                let fs = files.clone();
                tokio::task::spawn_blocking(move || validate_files(&snap, &fs))
                    .await
                    .map_err(Error::internal)?
            }
            (None, _) => vec!["the model was never downloaded completely".to_string()],
        };
        row.problems = serde_json::to_string(&problems).map_err(Error::internal)?;
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
        let mut tx = self.store.begin().await.map_err(Error::internal)?;
        tx.save_model(&row).await.map_err(Error::internal)?;
        let mut event = audit(
            who,
            ip,
            "model.validate",
            &row.id,
            serde_json::json!({"repo": row.repo, "problems": problems.len()}),
        );
        event.success = ok;
        tx.audit(&event).await.map_err(Error::internal)?;
        tx.commit().await.map_err(Error::internal)?;
        self.publish_row(&row);
        Ok(ValidationReport { model: self.to_model(&row), ok, problems })
    }

    /// `DELETE /api/models/{id}`: cancels a download in progress, refuses (409) while a running
    /// plugin uses the model unless `force`, then removes the row and the files no other
    /// snapshot needs. Returns the bytes freed.
    pub async fn delete(&self, id: &str, force: bool, who: &Principal, ip: IpAddr) -> Result<u64, Error> {
        let row = self.find(id).await?;
        let users = self.used_by(id);
        if !users.is_empty() && !force {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!(
                    "model {id} is in use by {}; stop them first or delete with force=true",
                    users.join(", ")
                ),
            )
            .with_details(serde_json::json!({"usedBy": users})));
        }
        self.cancel_and_wait(id).await;
        let mut tx = self.store.begin().await.map_err(Error::internal)?;
        if !tx.delete_model(id).await.map_err(Error::internal)? {
            return Err(Error::not_found(format!("no model {id:?}")));
        }
        let details = serde_json::json!({"repo": row.repo, "revision": row.revision, "status": row.status, "force": force, "usedBy": users});
        tx.audit(&audit(who, ip, "model.delete", id, details)).await.map_err(Error::internal)?;
        tx.commit().await.map_err(Error::internal)?;
        self.usage.lock().remove(id);
        let files = files_of(&row);
        let cache = self.cache.clone();
        let freed = tokio::task::spawn_blocking(move || {
            let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
            let blobs: Vec<String> = files.iter().map(|f| f.blob_name().to_string()).collect();
            cache.remove(&row.repo, row.commit_sha.as_deref(), &row.revision, &paths, &blobs)
        })
        .await
        .map_err(Error::internal)?;
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
        let usage = self.usage.lock();
        let Some(users) = usage.get(id) else { return Vec::new() };
        let mut out: Vec<String> = users.iter().map(|(p, _)| p.clone()).collect();
        out.sort();
        out.dedup();
        out
    }

    /// A plugin run ended (the supervisor says so when it reaps the process): the models it
    /// resolved are no longer used by it.
    pub fn release(&self, plugin: &str, run: u64) {
        let mut usage = self.usage.lock();
        for users in usage.values_mut() {
            users.retain(|(p, r)| !(p == plugin && *r == run));
        }
        usage.retain(|_, users| !users.is_empty());
    }

    /// The `models.resolve` callback: a ready model by id or repo, recorded as used by the
    /// calling plugin run.
    pub async fn resolve(
        &self,
        model: &str,
        plugin: &str,
        run: u64,
    ) -> Result<ModelsResolveResult, (ProtocolCode, String)> {
        let rows = self.store.models().await.map_err(|e| (ProtocolCode::Internal, e.to_string()))?;
        let Some(row) = ready_row(&rows, model) else {
            if !rows.iter().any(|r| names(r, model)) {
                return Err((
                    ProtocolCode::NotFound,
                    format!("no model {model:?} in the registry; download or import it first"),
                ));
            }
            return Err((ProtocolCode::ModelNotReady, format!("model {model:?} is not ready yet")));
        };
        let (Some(path), files) = (row.snapshot_path.clone(), files_of(row)) else {
            return Err((ProtocolCode::ModelNotReady, format!("model {model:?} has no files yet")));
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

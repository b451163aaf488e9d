//! `POST /api/models/import`: registers a model from a folder on the daemon's machine.
//!
//! Importing reads files with the daemon's rights, so it is confined: only folders under
//! `models.import_roots` (empty by default: importing is off), never the daemon's data dir or
//! model cache even inside a root, and nothing a symlink leads to outside the roots. Every path
//! is checked after resolving symlinks, and the whole folder is walked and counted (files,
//! bytes, against the caps) before a single byte is copied.

use std::collections::HashSet;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use bkg_core::ErrorCode;
use bkg_core::models::{ImportRequest, Model, ModelStatus};

use super::cache::Cache;
use super::{FileEntry, ModelManager, check, new_id, valid_repo, valid_revision};
use crate::auth::Principal;
use crate::auth::admin::audit;
use crate::config::Config;
use crate::error::Error;
use crate::store::{ModelRow, now_ms};

/// Where imports may read from and how much.
#[derive(Debug, Clone, Default)]
pub struct ImportPolicy {
    pub roots: Vec<PathBuf>,
    /// Refused even inside a root: the data dir, the cache dir and the hub cache.
    pub refused: Vec<PathBuf>,
    pub max_files: usize,
    pub max_bytes: u64,
}

impl ImportPolicy {
    pub fn from_config(c: &Config) -> Self {
        Self {
            roots: c.models.import_roots.clone(),
            refused: vec![
                c.data_dir.clone(),
                c.cache_dir.clone(),
                super::cache_root(&c.models, &c.cache_dir),
            ],
            max_files: c.models.import_max_files,
            max_bytes: c.models.import_max_bytes,
        }
    }
}

/// Why a folder cannot be imported.
#[derive(Debug, thiserror::Error)]
enum ImportError {
    #[error("{0}")]
    NotAllowed(String),
    #[error("{0}")]
    TooBig(String),
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Io(#[from] anyhow::Error),
}

impl From<ImportError> for Error {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::NotAllowed(m) => Error::new(ErrorCode::PathNotAllowed, m),
            ImportError::TooBig(m) => Error::bad_request(m),
            ImportError::NotFound(m) => Error::not_found(m),
            ImportError::Io(e) => Error::bad_request(format!("cannot import: {e:#}")),
        }
    }
}

/// The roots and refused folders with symlinks resolved (a root that does not exist is
/// skipped), so that prefix checks on resolved paths mean what they say.
struct Resolved {
    roots: Vec<PathBuf>,
    refused: Vec<PathBuf>,
}

impl Resolved {
    fn new(p: &ImportPolicy) -> Self {
        let resolve = |v: &[PathBuf]| v.iter().filter_map(|r| std::fs::canonicalize(r).ok()).collect();
        Self { roots: resolve(&p.roots), refused: resolve(&p.refused) }
    }

    /// `real` (symlinks resolved) lies under a root and outside every refused folder, and
    /// contains none of them.
    fn check(&self, shown: &Path, real: &Path) -> Result<(), ImportError> {
        if !self.roots.iter().any(|r| real.starts_with(r)) {
            return Err(ImportError::NotAllowed(format!(
                "{} {}is outside models.import_roots ({}); an admin lists the folders imports may read in the daemon's config",
                shown.display(),
                if shown == real { String::new() } else { format!("(a link to {}) ", real.display()) },
                self.roots.iter().map(|r| r.display().to_string()).collect::<Vec<_>>().join(", ")
            )));
        }
        if let Some(r) = self.refused.iter().find(|r| real.starts_with(r) || r.starts_with(real)) {
            return Err(ImportError::NotAllowed(format!(
                "{} reaches the daemon's own data or cache ({}); import from a folder of its own",
                shown.display(),
                r.display()
            )));
        }
        Ok(())
    }
}

impl ModelManager {
    /// `POST /api/models/import`: copies a local folder's files into the cache, hashing them,
    /// and registers the model.
    pub async fn import(&self, req: ImportRequest, who: &Principal, ip: IpAddr) -> Result<Model, Error> {
        let src = PathBuf::from(&req.path);
        if !src.is_absolute() {
            return Err(Error::bad_request(format!(
                "path {:?} must be absolute (a folder on the daemon's machine)",
                req.path
            )));
        }
        if self.import.roots.is_empty() {
            return Err(Error::new(
                ErrorCode::PathNotAllowed,
                "importing models is off: an admin lists the folders imports may read in the daemon's config ([models] import_roots)",
            ));
        }
        let repo = match &req.repo {
            Some(r) => r.trim().to_string(),
            None => {
                let name = src.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                format!("local/{name}")
            }
        };
        if !valid_repo(&repo) {
            return Err(Error::bad_request(format!("repo {repo:?} is not of the form org/name")));
        }
        let revision = req.revision.clone().unwrap_or_else(|| "main".into());
        if !valid_revision(&revision) {
            return Err(Error::bad_request(format!("revision {revision:?} is not a valid name")));
        }
        if self.store.model_by_revision(&repo, &revision).await.map_err(Error::internal)?.is_some() {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!(
                    "{repo} at {revision} is already registered; delete it first or import under another --repo"
                ),
            ));
        }
        let cache = self.cache.clone();
        let policy = self.import.clone();
        let repo_c = repo.clone();
        let (files, commit, problems) = tokio::task::spawn_blocking(move || -> Result<_, ImportError> {
            let sources = walk(&policy, &src)?;
            Ok(copy_in(&cache, &repo_c, &sources)?)
        })
        .await
        .map_err(Error::internal)??;
        let now = now_ms();
        let row = ModelRow {
            id: new_id(),
            repo: repo.clone(),
            revision: revision.clone(),
            commit_sha: Some(commit.clone()),
            source: "import".into(),
            total_bytes: files.iter().map(|f| f.size as i64).sum(),
            done_bytes: files.iter().map(|f| f.size as i64).sum(),
            files: serde_json::to_string(&files).map_err(Error::internal)?,
            globs: None,
            status: if problems.is_empty() { ModelStatus::Ready } else { ModelStatus::Invalid }
                .as_str()
                .into(),
            error: (!problems.is_empty()).then(|| problems.join("; ")),
            snapshot_path: Some(self.cache.snapshot(&repo, &commit).display().to_string()),
            problems: serde_json::to_string(&problems).map_err(Error::internal)?,
            last_validated_at: Some(now),
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await.map_err(Error::internal)?;
        tx.save_model(&row).await.map_err(Error::internal)?;
        let details = serde_json::json!({"repo": repo, "from": req.path, "files": files.len(), "bytes": row.total_bytes});
        tx.audit(&audit(who, ip, "model.import", &row.id, details)).await.map_err(Error::internal)?;
        tx.commit().await.map_err(Error::internal)?;
        self.publish_row(&row);
        Ok(self.to_model(&row))
    }
}

/// One file to import: its path inside the model, and where its bytes really are.
struct Source {
    rel: String,
    real: PathBuf,
}

/// Lists every (non-hidden) file under `src`, following symlinks only where they stay inside
/// the roots, and checks the caps before anything is copied.
fn walk(policy: &ImportPolicy, src: &Path) -> Result<Vec<Source>, ImportError> {
    let resolved = Resolved::new(policy);
    let real_src = std::fs::canonicalize(src).map_err(|_| {
        ImportError::NotFound(format!("{} is not a folder on the daemon's machine", src.display()))
    })?;
    resolved.check(src, &real_src)?;
    if !real_src.is_dir() {
        return Err(ImportError::NotFound(format!("{} is not a folder", src.display())));
    }
    let mut out = Vec::new();
    let mut bytes = 0u64;
    // A hub snapshot folder is made of symlinks into its blobs; a loop of folder links must
    // not walk forever.
    let mut seen_dirs = HashSet::from([real_src.clone()]);
    let mut stack = vec![(real_src, String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        let entries = std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?;
        for e in entries {
            let e = e.with_context(|| format!("cannot read {}", dir.display()))?;
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            let shown = src.join(&rel);
            let real = std::fs::canonicalize(e.path())
                .with_context(|| format!("cannot resolve {}", shown.display()))?;
            resolved.check(&shown, &real)?;
            let meta =
                std::fs::metadata(&real).with_context(|| format!("cannot read {}", shown.display()))?;
            if meta.is_dir() {
                if seen_dirs.insert(real.clone()) {
                    stack.push((real, rel));
                }
            } else if meta.is_file() {
                bytes = bytes.saturating_add(meta.len());
                out.push(Source { rel, real });
                // A typo such as `/srv` must not copy a disk.
                if out.len() > policy.max_files {
                    return Err(ImportError::TooBig(format!(
                        "{} holds more than {} files (models.import_max_files); is it really one model's folder?",
                        src.display(),
                        policy.max_files
                    )));
                }
                if bytes > policy.max_bytes {
                    return Err(ImportError::TooBig(format!(
                        "{} holds more than {} bytes (models.import_max_bytes)",
                        src.display(),
                        policy.max_bytes
                    )));
                }
            }
        }
    }
    if out.is_empty() {
        return Err(ImportError::TooBig(format!("{} holds no files", src.display())));
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// Copies the files into the cache as blobs named by their SHA-256, links them into a
/// snapshot named by a hash of the file list, and checks their formats.
fn copy_in(
    cache: &Cache,
    repo: &str,
    sources: &[Source],
) -> anyhow::Result<(Vec<FileEntry>, String, Vec<String>)> {
    use sha2::Digest;
    let blobs = cache.blobs(repo);
    crate::private_fs::dir(&blobs)?;
    let mut files = Vec::new();
    let mut list = sha2::Sha256::new();
    for Source { rel, real: from } in sources {
        let tmp = blobs.join(format!("import-{}.incomplete", uuid::Uuid::new_v4().simple()));
        let result = (|| -> anyhow::Result<FileEntry> {
            let mut input =
                std::fs::File::open(from).with_context(|| format!("cannot read {}", from.display()))?;
            let mut output = crate::private_fs::file_options()
                .write(true)
                .create_new(true)
                .open(&tmp)
                .with_context(|| format!("cannot create {}", tmp.display()))?;
            std::io::copy(&mut input, &mut output)
                .with_context(|| format!("cannot copy {}", from.display()))?;
            let size = output.metadata()?.len();
            let sha = check::sha256_file(&tmp)?;
            // The copy must equal the source: hash the source too.
            anyhow::ensure!(
                check::sha256_file(from)? == sha,
                "{} changed while it was copied",
                from.display()
            );
            let blob = cache.blob(repo, &sha);
            if blob.exists() {
                std::fs::remove_file(&tmp)?;
            } else {
                std::fs::rename(&tmp, &blob)?;
            }
            Ok(FileEntry { path: rel.clone(), size, sha256: Some(sha), git_oid: None, verified: true })
        })();
        let _ = std::fs::remove_file(&tmp);
        let f = result?;
        list.update(format!("{}\0{}\n", f.path, f.sha256.as_deref().unwrap_or("")).as_bytes());
        files.push(f);
    }
    let commit = hex::encode(list.finalize())[..40].to_string();
    for f in &files {
        cache.link(repo, &commit, &f.path, f.blob_name())?;
    }
    let snap = cache.snapshot(repo, &commit);
    let problems = files
        .iter()
        .filter_map(|f| {
            check::check_format(&snap.join(&f.path), &f.path).err().map(|e| format!("{}: {e}", f.path))
        })
        .collect();
    Ok((files, commit, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(roots: &[&Path], refused: &[&Path]) -> ImportPolicy {
        ImportPolicy {
            roots: roots.iter().map(|p| p.to_path_buf()).collect(),
            refused: refused.iter().map(|p| p.to_path_buf()).collect(),
            max_files: 3,
            max_bytes: 100,
        }
    }

    fn not_allowed(r: Result<Vec<Source>, ImportError>) -> bool {
        matches!(r, Err(ImportError::NotAllowed(_)))
    }

    #[test]
    fn only_what_lies_inside_the_roots_is_walked() {
        let t = tempfile::tempdir().unwrap();
        let (root, outside, data) =
            (t.path().join("root"), t.path().join("outside"), t.path().join("root/data"));
        for d in [&root.join("m/sub"), &outside, &data] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(root.join("m/a.json"), b"{}").unwrap();
        std::fs::write(root.join("m/sub/b.bin"), b"bb").unwrap();
        std::fs::write(outside.join("secret"), b"s").unwrap();
        let p = policy(&[&root], &[&data]);

        let files = walk(&p, &root.join("m")).unwrap();
        assert_eq!(files.iter().map(|f| f.rel.as_str()).collect::<Vec<_>>(), ["a.json", "sub/b.bin"]);

        assert!(not_allowed(walk(&p, &outside)), "a folder outside the roots");
        assert!(not_allowed(walk(&p, &root.join("m/../../outside"))), "`..` out of the root");
        assert!(not_allowed(walk(&p, &data)), "the data dir inside a root");
        assert!(not_allowed(walk(&p, &root)), "a folder holding the data dir");

        std::os::unix::fs::symlink(outside.join("secret"), root.join("m/link")).unwrap();
        assert!(not_allowed(walk(&p, &root.join("m"))), "a file symlink leading out");
        std::fs::remove_file(root.join("m/link")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("m/dirlink")).unwrap();
        assert!(not_allowed(walk(&p, &root.join("m"))), "a folder symlink leading out");
        std::fs::remove_file(root.join("m/dirlink")).unwrap();
        std::os::unix::fs::symlink(root.join("m"), root.join("m/sub/loop")).unwrap();
        assert_eq!(walk(&p, &root.join("m")).unwrap().len(), 2, "a link loop inside the root is walked once");

        assert!(not_allowed(walk(&policy(&[], &[]), &root.join("m"))), "no roots: nothing");
    }

    #[test]
    fn file_count_and_size_are_capped_before_copying() {
        let t = tempfile::tempdir().unwrap();
        for i in 0..4 {
            std::fs::write(t.path().join(format!("f{i}")), b"x").unwrap();
        }
        let p = policy(&[t.path()], &[]);
        assert!(matches!(walk(&p, t.path()), Err(ImportError::TooBig(m)) if m.contains("more than 3 files")));
        std::fs::remove_file(t.path().join("f3")).unwrap();
        std::fs::write(t.path().join("f2"), vec![0u8; 200]).unwrap();
        assert!(
            matches!(walk(&p, t.path()), Err(ImportError::TooBig(m)) if m.contains("more than 100 bytes"))
        );
    }
}

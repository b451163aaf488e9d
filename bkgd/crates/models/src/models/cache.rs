//! The on-disk cache, in the Hugging Face hub's standard layout so Python tools and bkg share
//! it both ways:
//!
//! ```text
//! <root>/models--<org>--<name>/blobs/<sha256 or git oid>        file contents, one per hash
//! <root>/models--<org>--<name>/blobs/<hash>.incomplete          a download in progress
//! <root>/models--<org>--<name>/snapshots/<commit>/<path>        relative symlink to a blob
//! <root>/models--<org>--<name>/refs/<revision>                  the commit a branch resolved to
//! ```
//!
//! A blob may be shared by several snapshots (revisions, or bkg and Python), so a blob is only
//! removed when no snapshot of the repo links to it any more.

use std::collections::HashSet;
use std::io;
use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

impl Cache {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    pub fn repo_dir(&self, repo: &str) -> PathBuf {
        self.root.join(format!("models--{}", repo.replace('/', "--")))
    }

    pub fn blobs(&self, repo: &str) -> PathBuf {
        self.repo_dir(repo).join("blobs")
    }

    pub fn blob(&self, repo: &str, name: &str) -> PathBuf {
        self.blobs(repo).join(name)
    }

    pub fn partial(&self, repo: &str, name: &str) -> PathBuf {
        self.blobs(repo).join(format!("{name}.incomplete"))
    }

    pub fn snapshot(&self, repo: &str, commit: &str) -> PathBuf {
        self.repo_dir(repo).join("snapshots").join(commit)
    }

    /// Points `snapshot/<path>` at the blob with a relative link (as the hub's Python client
    /// does), replacing an older link atomically.
    pub fn link(&self, repo: &str, commit: &str, path: &str, blob: &str) -> io::Result<()> {
        let link = self.snapshot(repo, commit).join(path);
        if let Some(parent) = link.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let depth = path.matches('/').count() + 2;
        let target = format!("{}blobs/{blob}", "../".repeat(depth));
        let tmp = link.with_extension(format!("bkg-link-{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(&target, &tmp)?;
        std::fs::rename(&tmp, &link)
    }

    /// Records which commit a branch or tag resolved to (`refs/<revision>`).
    pub fn write_ref(&self, repo: &str, revision: &str, commit: &str) -> io::Result<()> {
        if revision == commit {
            return Ok(());
        }
        let file = self.repo_dir(repo).join("refs").join(revision);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = file.with_extension("bkg-tmp");
        std::fs::write(&tmp, commit)?;
        std::fs::rename(&tmp, &file)
    }

    /// Removes a model's snapshot links, then every blob of `blobs` no snapshot links to any
    /// more, the ref, and directories left empty. Returns the bytes freed.
    pub fn remove(
        &self,
        repo: &str,
        commit: Option<&str>,
        revision: &str,
        paths: &[String],
        blobs: &[String],
    ) -> u64 {
        if let Some(commit) = commit {
            let snap = self.snapshot(repo, commit);
            for p in paths {
                let _ = std::fs::remove_file(snap.join(p));
            }
            remove_empty_dirs(&snap);
            let r = self.repo_dir(repo).join("refs").join(revision);
            if std::fs::read_to_string(&r).is_ok_and(|c| c.trim() == commit) {
                let _ = std::fs::remove_file(r);
            }
        }
        let linked = self.linked_blobs(repo);
        let mut freed = 0;
        for b in blobs {
            // A partial download is always this model's; a blob may still serve another snapshot.
            for (file, keep) in [(self.partial(repo, b), false), (self.blob(repo, b), linked.contains(b))] {
                if keep {
                    continue;
                }
                if let Ok(meta) = std::fs::metadata(&file)
                    && std::fs::remove_file(&file).is_ok()
                {
                    freed += meta.len();
                }
            }
        }
        let dir = self.repo_dir(repo);
        remove_empty_dirs(&dir.join("snapshots"));
        remove_empty_dirs(&dir.join("refs"));
        remove_empty_dirs(&dir.join("blobs"));
        let _ = std::fs::remove_dir(&dir);
        freed
    }

    /// Names of the blobs some snapshot of the repo links to.
    fn linked_blobs(&self, repo: &str) -> HashSet<String> {
        let mut out = HashSet::new();
        let mut stack = vec![self.repo_dir(repo).join("snapshots")];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for e in entries.flatten() {
                let path = e.path();
                match std::fs::read_link(&path) {
                    Ok(target) => {
                        if let Some(name) = target.file_name() {
                            out.insert(name.to_string_lossy().into_owned());
                        }
                    }
                    Err(_) if path.is_dir() => stack.push(path),
                    Err(_) => {}
                }
            }
        }
        out
    }
}

/// Removes `dir` and its parents up to the repo folder while they are empty (children first).
fn remove_empty_dirs(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_empty_dirs(&e.path());
            }
        }
    }
    let _ = std::fs::remove_dir(dir);
}

/// A repository path a file may safely have: relative, no `..`, no empty or hidden-parent
/// tricks. Hub metadata is input like any other: a hostile server must not write outside the
/// cache.
pub fn safe_relative_path(p: &str) -> bool {
    !p.is_empty()
        && !p.contains('\\')
        && !p.contains('\0')
        && Path::new(p).components().all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for bad in ["", "../x", "a/../../b", "/etc/passwd", "a\\b", "./a"] {
            assert!(!safe_relative_path(bad), "{bad}");
        }
        for good in ["config.json", "onnx/model.onnx", "a.b/c-d_e"] {
            assert!(safe_relative_path(good), "{good}");
        }
    }

    #[test]
    fn links_are_relative_and_blobs_shared_by_another_snapshot_stay() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().to_path_buf());
        std::fs::create_dir_all(cache.blobs("o/n")).unwrap();
        std::fs::write(cache.blob("o/n", "aa"), b"shared").unwrap();
        std::fs::write(cache.blob("o/n", "bb"), b"own").unwrap();
        cache.link("o/n", "c1", "sub/x.bin", "aa").unwrap();
        cache.link("o/n", "c1", "y.bin", "bb").unwrap();
        cache.link("o/n", "c2", "x.bin", "aa").unwrap();
        assert_eq!(
            std::fs::read_link(cache.snapshot("o/n", "c1").join("sub/x.bin")).unwrap(),
            PathBuf::from("../../../blobs/aa")
        );
        assert_eq!(std::fs::read(cache.snapshot("o/n", "c1").join("y.bin")).unwrap(), b"own");
        let freed = cache.remove(
            "o/n",
            Some("c1"),
            "main",
            &["sub/x.bin".into(), "y.bin".into()],
            &["aa".into(), "bb".into()],
        );
        assert_eq!(freed, 3);
        assert!(cache.blob("o/n", "aa").exists());
        assert!(!cache.snapshot("o/n", "c1").exists());
        cache.remove("o/n", Some("c2"), "main", &["x.bin".into()], &["aa".into()]);
        assert!(!cache.repo_dir("o/n").exists());
    }
}

//! Confining the paths callers pass to a capability. A plugin runs with the daemon's user's
//! rights, so a path in a request must never reach the daemon's secrets or other files of the
//! host: it is resolved relative to the plugin's data folder, or must lie inside one of the
//! folders an admin allowed the plugin, after every symlink is resolved. `docs/PROTOCOL.md`
//! ("Paths") states the rule for plugins in any language; this is the Rust implementation.

use std::path::{Component, Path, PathBuf};

use crate::error::{PluginError, codes};
use crate::session::Session;

/// What the plugin will do with a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read an existing file or folder.
    Read,
    /// Create or replace a file; its parent folders may not exist yet.
    Write,
}

fn refused(requested: &str, why: &str) -> PluginError {
    PluginError::new(
        codes::PATH_NOT_ALLOWED,
        format!(
            "path {requested:?} {why}; give a path relative to the plugin's data folder, or one inside a folder an admin allowed it (supervisor.allowed_paths)"
        ),
    )
    .client()
}

/// Resolves `requested` for `access` within `data_dir` and `allowed`: a relative path is taken
/// relative to `data_dir`; an absolute one must lie inside one of the folders. `..` components
/// are refused outright; symlinks are followed and must stay inside. Returns the resolved
/// path (symlinks of its existing part resolved).
pub fn confine(
    requested: &str,
    data_dir: Option<&Path>,
    allowed: &[PathBuf],
    access: Access,
) -> Result<PathBuf, PluginError> {
    if requested.is_empty() || requested.contains('\0') {
        return Err(refused(requested, "is empty or holds a NUL byte"));
    }
    let path = Path::new(requested);
    if path.components().any(|c| c == Component::ParentDir) {
        return Err(refused(requested, "contains `..`"));
    }
    let roots: Vec<&Path> = data_dir.into_iter().chain(allowed.iter().map(PathBuf::as_path)).collect();
    let candidate = if path.is_absolute() {
        // Decide on the words first, so a refusal says nothing about what exists outside.
        if !roots.iter().any(|r| path.starts_with(r)) {
            return Err(refused(requested, "is outside the plugin's folders"));
        }
        path.to_path_buf()
    } else {
        match data_dir {
            Some(d) => d.join(path),
            None => {
                return Err(refused(
                    requested,
                    "is relative, but the daemon gave this plugin no data folder",
                ));
            }
        }
    };
    let real_roots: Vec<PathBuf> = roots.iter().filter_map(|r| std::fs::canonicalize(r).ok()).collect();
    let inside = |real: &Path| real_roots.iter().any(|r| real.starts_with(r));

    // Resolve the longest part that exists; what follows it is plain names (no `..`), so it
    // stays where its existing parent is.
    let mut existing = candidate.as_path();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return Err(refused(requested, "is outside the plugin's folders")),
        }
    }
    let real = std::fs::canonicalize(existing)
        .map_err(|_| refused(requested, "leads through a symlink that points nowhere"))?;
    if !inside(&real) {
        return Err(refused(requested, "leads outside the plugin's folders (through a symlink)"));
    }
    if access == Access::Read && !rest.is_empty() {
        return Err(PluginError::bad_input(format!("path {requested:?} does not exist")));
    }
    Ok(rest.iter().rev().fold(real, |p, name| p.join(name)))
}

impl Session {
    /// The plugin's own data folder, which the daemon creates private to its user (protocol
    /// 1.1; `None` from an older daemon).
    pub fn data_dir(&self) -> Option<&Path> {
        self.daemon().data_dir.as_deref().map(Path::new)
    }

    /// Folders an admin allowed this plugin besides its data folder.
    pub fn allowed_paths(&self) -> Vec<PathBuf> {
        self.daemon().allowed_paths.iter().map(PathBuf::from).collect()
    }

    /// Resolves a path a caller passed, confined to [`Self::data_dir`] and
    /// [`Self::allowed_paths`]; a refusal is a `path_not_allowed` error of the caller's.
    pub fn resolve_path(&self, requested: &str, access: Access) -> Result<PathBuf, PluginError> {
        confine(requested, self.data_dir(), &self.allowed_paths(), access)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Tree {
        _t: tempfile::TempDir,
        data: PathBuf,
        allowed: PathBuf,
        outside: PathBuf,
    }

    fn tree() -> Tree {
        let t = tempfile::tempdir().unwrap();
        let (data, allowed, outside) =
            (t.path().join("data"), t.path().join("allowed"), t.path().join("outside"));
        for d in [&data, &allowed, &outside] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(data.join("snap.jsonl"), "{}\n").unwrap();
        std::fs::write(outside.join("secret"), "s").unwrap();
        Tree { _t: t, data, allowed, outside }
    }

    fn code(r: Result<PathBuf, PluginError>) -> String {
        r.map_or_else(|e| e.code, |p| format!("ok {}", p.display()))
    }

    #[test]
    fn relative_paths_land_in_the_data_folder() {
        let t = tree();
        let go = |p: &str, a| confine(p, Some(&t.data), std::slice::from_ref(&t.allowed), a);
        let data = std::fs::canonicalize(&t.data).unwrap();
        assert_eq!(go("snap.jsonl", Access::Read).unwrap(), data.join("snap.jsonl"));
        assert_eq!(go("new/dir/snap.jsonl", Access::Write).unwrap(), data.join("new/dir/snap.jsonl"));
        assert_eq!(code(go("missing", Access::Read)), "bad_input");
        let allowed = t.allowed.join("x.jsonl");
        assert!(
            go(allowed.to_str().unwrap(), Access::Write).is_ok(),
            "an absolute path in an allowed folder"
        );
    }

    #[test]
    fn nothing_leaves_the_folders() {
        let t = tree();
        let go = |p: &str, a| code(confine(p, Some(&t.data), std::slice::from_ref(&t.allowed), a));
        let secret = t.outside.join("secret");
        for a in [Access::Read, Access::Write] {
            assert_eq!(go(secret.to_str().unwrap(), a), codes::PATH_NOT_ALLOWED, "absolute");
            assert_eq!(go("/etc/passwd", a), codes::PATH_NOT_ALLOWED, "absolute");
            assert_eq!(go("../outside/secret", a), codes::PATH_NOT_ALLOWED, "..");
            assert_eq!(go("a/../../outside/secret", a), codes::PATH_NOT_ALLOWED, "..");
            assert_eq!(go(&format!("{}/../outside/secret", t.data.display()), a), codes::PATH_NOT_ALLOWED);
            assert_eq!(go("", a), codes::PATH_NOT_ALLOWED);
            assert_eq!(go("a\0b", a), codes::PATH_NOT_ALLOWED);
        }
        // Symlinks inside the folder that lead out: to a file, to a folder, and dangling.
        std::os::unix::fs::symlink(t.outside.join("secret"), t.data.join("link")).unwrap();
        std::os::unix::fs::symlink(&t.outside, t.data.join("dirlink")).unwrap();
        std::os::unix::fs::symlink(t.outside.join("nothing"), t.data.join("dangling")).unwrap();
        for a in [Access::Read, Access::Write] {
            assert_eq!(go("link", a), codes::PATH_NOT_ALLOWED);
            assert_eq!(go("dirlink/secret", a), codes::PATH_NOT_ALLOWED);
            assert_eq!(go("dirlink/new-file", a), codes::PATH_NOT_ALLOWED);
        }
        assert_eq!(go("dangling", Access::Write), codes::PATH_NOT_ALLOWED);
        // Encoded forms are names, not traversal: they stay inside.
        let data = std::fs::canonicalize(&t.data).unwrap();
        assert_eq!(go("%2e%2e/x", Access::Write), format!("ok {}", data.join("%2e%2e/x").display()));
        assert_eq!(go("..%2fx", Access::Write), format!("ok {}", data.join("..%2fx").display()));
        // Without a data folder only allowed absolute paths work.
        assert_eq!(code(confine("x", None, &[], Access::Write)), codes::PATH_NOT_ALLOWED);
    }
}

//! Files generated from code and committed (completions, man pages): one check for every
//! binary that has them. Fails listing the stale files; with `BKG_UPDATE_GENERATED=1` (what
//! `make generate` sets) it rewrites them instead.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("testkit lives in the workspace").to_path_buf()
}

/// Compares `files` (paths relative to the workspace root, and their content) with the committed
/// ones. Files in `dirs` whose name contains `owner` but that are no longer generated are stale
/// too (the folders are shared by several binaries).
pub fn check_fresh(files: &[(PathBuf, Vec<u8>)], dirs: &[&str], owner: &str) {
    let root = root();
    let update = std::env::var_os("BKG_UPDATE_GENERATED").is_some();
    let mut stale = Vec::new();
    for (rel, content) in files {
        let path = root.join(rel);
        if std::fs::read(&path).ok().as_deref() != Some(content.as_slice()) {
            if update {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, content).unwrap();
            } else {
                stale.push(rel.display().to_string());
            }
        }
    }
    let expected: BTreeSet<&PathBuf> = files.iter().map(|(rel, _)| rel).collect();
    for dir in dirs {
        for entry in std::fs::read_dir(root.join(dir)).into_iter().flatten() {
            let name = entry.unwrap().file_name();
            let rel = Path::new(dir).join(&name);
            if name.to_string_lossy().contains(owner) && !expected.contains(&rel) {
                if update {
                    std::fs::remove_file(root.join(&rel)).unwrap();
                } else {
                    stale.push(format!("{} (no longer generated)", rel.display()));
                }
            }
        }
    }
    assert!(stale.is_empty(), "stale generated files: {stale:?}; run `make generate` and commit them");
}

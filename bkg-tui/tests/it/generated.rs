//! The completions and the man page are generated from the clap definitions and committed
//! next to bkgctl's; this test fails when they are stale. `make generate` (which sets
//! BKG_UPDATE_GENERATED=1 for this test) rewrites them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

#[test]
fn completions_and_man_pages_are_fresh() {
    let root = root();
    let update = std::env::var_os("BKG_UPDATE_GENERATED").is_some();
    let files = bkg_tui::generate::artifacts().unwrap();
    let mut stale = Vec::new();
    for (rel, content) in &files {
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
    // Pages of ours that are no longer generated (the folders are shared with bkgctl).
    let expected: BTreeSet<&PathBuf> = files.iter().map(|(rel, _)| rel).collect();
    for dir in [bkg_tui::generate::COMPLETIONS_DIR, bkg_tui::generate::MAN_DIR] {
        for entry in std::fs::read_dir(root.join(dir)).into_iter().flatten() {
            let name = entry.unwrap().file_name();
            let rel = Path::new(dir).join(&name);
            if name.to_string_lossy().contains(bkg_tui::generate::BIN) && !expected.contains(&rel) {
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

#[test]
fn help_lists_the_keys_and_completion_prints_the_committed_script() {
    let bin = env!("CARGO_BIN_EXE_bkg-tui");
    let out = std::process::Command::new(bin).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in ["--server", "BKG_TOKEN", "start the plugin", "bkg-tui.toml"] {
        assert!(help.contains(needle), "--help lacks {needle:?}:\n{help}");
    }
    let out = std::process::Command::new(bin).args(["completion", "bash"]).output().unwrap();
    let committed = std::fs::read(root().join("completions/bkg-tui.bash")).unwrap();
    assert_eq!(out.stdout, committed);
    let man = std::fs::read_to_string(root().join("man/bkg-tui.1")).unwrap();
    assert!(man.contains("KEYS") && man.contains("ENVIRONMENT"), "{man}");
}

//! Completions and man pages are generated from the clap definitions and committed; this
//! test fails when they are stale. `make generate` (which sets BKG_UPDATE_GENERATED=1 for this
//! test) rewrites them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::harness::Cli;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

#[test]
fn completions_and_man_pages_are_fresh() {
    let root = root();
    let update = std::env::var_os("BKG_UPDATE_GENERATED").is_some();
    let files = bkgctl::generate::artifacts().unwrap();
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
    // Pages of commands that no longer exist (only bkgctl's: bkg-tui's share the folders).
    let expected: BTreeSet<&PathBuf> = files.iter().map(|(rel, _)| rel).collect();
    for dir in [bkgctl::generate::COMPLETIONS_DIR, bkgctl::generate::MAN_DIR] {
        for entry in std::fs::read_dir(root.join(dir)).into_iter().flatten() {
            let name = entry.unwrap().file_name();
            let rel = Path::new(dir).join(&name);
            if name.to_string_lossy().contains("bkgctl") && !expected.contains(&rel) {
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

#[tokio::test(flavor = "multi_thread")]
async fn completion_command_prints_the_committed_scripts() {
    let cli = Cli::for_server("");
    for (shell, file) in [("bash", "bkgctl.bash"), ("zsh", "_bkgctl"), ("fish", "bkgctl.fish")] {
        let out = cli.run(&["completion", shell]).await.expect(0);
        let committed = std::fs::read_to_string(root().join("completions").join(file)).unwrap();
        assert_eq!(out.stdout, committed, "{shell}");
    }
    cli.run(&["completion", "tcsh"]).await.expect(2);
}

#[test]
fn every_command_has_a_man_page() {
    let man = root().join("man");
    for page in [
        "bkgctl.1",
        "bkgctl-plugins.1",
        "bkgctl-plugins-logs.1",
        "bkgctl-models-pull.1",
        "bkgctl-keys-rotate.1",
    ] {
        let text = std::fs::read_to_string(man.join(page)).unwrap();
        assert!(text.contains("EXIT STATUS"), "{page}");
    }
}

/// The exit codes are documented in both READMEs as tables; they must say what the binary
/// does.
#[test]
fn readmes_list_the_exit_codes() {
    let expected: Vec<String> =
        bkgctl::exit::TABLE.iter().map(|(code, meaning)| format!("| {code} | {meaning} |")).collect();
    for readme in ["README.md", "bkgctl/README.md"] {
        let text = std::fs::read_to_string(root().join(readme)).unwrap();
        let rows: Vec<&str> = text
            .lines()
            .filter(|l| {
                l.starts_with("| ") && l[2..].split(' ').next().is_some_and(|c| c.parse::<u8>().is_ok())
            })
            .collect();
        assert_eq!(rows, expected, "the exit-code table of {readme}");
    }
}

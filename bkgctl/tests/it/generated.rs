//! Completions and man pages are generated from the clap definitions and committed; this
//! test fails when they are stale. `make generate` (which sets BKG_UPDATE_GENERATED=1 for this
//! test) rewrites them.

use std::path::PathBuf;

use crate::harness::Cli;

fn root() -> PathBuf {
    bkg_testkit::generated::root()
}

#[test]
fn completions_and_man_pages_are_fresh() {
    let files = bkgctl::generate::artifacts().unwrap();
    bkg_testkit::generated::check_fresh(
        &files,
        &[bkgctl::generate::COMPLETIONS_DIR, bkgctl::generate::MAN_DIR],
        "bkgctl",
    );
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

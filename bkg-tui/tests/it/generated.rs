//! The completions and the man page are generated from the clap definitions and committed
//! next to bkgctl's; this test fails when they are stale. `make generate` (which sets
//! BKG_UPDATE_GENERATED=1 for this test) rewrites them.

use std::path::PathBuf;

fn root() -> PathBuf {
    bkg_testkit::generated::root()
}

#[test]
fn completions_and_man_pages_are_fresh() {
    let files = bkg_tui::generate::artifacts().unwrap();
    bkg_testkit::generated::check_fresh(
        &files,
        &[bkg_tui::generate::COMPLETIONS_DIR, bkg_tui::generate::MAN_DIR],
        bkg_tui::generate::BIN,
    );
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

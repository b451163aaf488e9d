//! The workspace's test plugin (`plugins/testplugin`, built next to the test binaries by
//! `cargo test --workspace`) and manifests that run it.

use std::path::PathBuf;

/// The test plugin binary next to the running test (or benchmark) binary.
pub fn testplugin() -> PathBuf {
    let path = bkgd::supervisor::manifest::exe_dir().join("bkg-testplugin");
    assert!(
        path.is_file(),
        "{} is missing: build the workspace first (`cargo test --workspace`, `make test`, or `make bench` for release)",
        path.display()
    );
    path
}

/// A manifest for the test plugin with `args` (its mode and options), with extra TOML
/// appended (for example [`FAST_RESTART`]).
pub fn manifest(id: &str, args: &[&str], extra: &str) -> String {
    let mut argv = vec![format!("{:?}", testplugin().display().to_string())];
    argv.extend(args.iter().map(|a| format!("{a:?}")));
    format!(
        "id = \"{id}\"\nname = \"Test {id}\"\nversion = \"0.0.1\"\ncommand = [{}]\n{extra}\n",
        argv.join(", ")
    )
}

/// The restart policy of tests: fast backoff without jitter, so schedules are exact, and
/// `failed` after four fast failures.
pub const FAST_RESTART: &str = "[restart]\ninitialBackoffMs = 10\nmaxBackoffMs = 40\nmultiplier = 2.0\njitter = 0.0\nmaxFastFailures = 4\nstableAfterMs = 60000\n";

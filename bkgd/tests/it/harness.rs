//! The shared test support (`bkg-testkit`) plus what only bkgd's own tests need: the Python
//! example plugin, process checks, and the `bkgd` binary Cargo built for this test.

use std::path::{Path, PathBuf};

use bkg_core::client::Client;
pub use bkg_testkit::daemon::{start_with, test_models_root};
pub use bkg_testkit::{
    ADMIN_PASSWORD, FAST_RESTART, PgDatabase, TestDaemon, daemon, manifest, test_config, testplugin,
    wait_until,
};

/// The Python example plugin's folder.
pub fn python_example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../plugins/examples/python")
}

/// The Python example's manifest, with its program path made absolute.
pub fn python_manifest() -> String {
    let py = python_example();
    let text = std::fs::read_to_string(py.join("plugin.toml")).unwrap();
    text.replace(
        "\"./example_plugin.py\"",
        &format!("{:?}", py.join("example_plugin.py").display().to_string()),
    )
}

/// Whether a process exists and is not a zombie.
pub fn alive(pid: u32) -> bool {
    bkgd::supervisor::spawn::proc_info(pid as i32).is_some_and(|p| !p.zombie)
}

/// Zombie children of this test process in the given process groups.
pub fn zombies_in(groups: &[i32]) -> Vec<i32> {
    let me = std::process::id() as i32;
    let all = bkgd::supervisor::spawn::processes_by_group();
    groups
        .iter()
        .flat_map(|g| all.get(g).cloned().unwrap_or_default())
        .filter(|p| p.zombie && p.ppid == me)
        .map(|p| p.pid)
        .collect()
}

/// Starts the real `bkgd` binary (for tests that `kill -9` it) on `port`, with every directory
/// under `root` and `env` added to its environment.
pub fn spawn_bkgd(root: &Path, port: u16, env: &[(&str, &str)]) -> std::process::Child {
    bkg_testkit::bkgd_command(Path::new(env!("CARGO_BIN_EXE_bkgd")), root, port)
        .envs(env.iter().copied())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits until the daemon on `port` answers, then logs in as the admin.
pub async fn login_on_port(port: u16) -> Client {
    bkg_testkit::login_on_port(port).await.unwrap()
}

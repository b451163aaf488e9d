//! Test support, one copy for the whole workspace: what bkgd's, bkgctl's and bkg-tui's tests
//! and `bkg-bench` need to run bkg for real.
//!
//! - [`daemon`]: a `bkgd` in the test's process on 127.0.0.1:0 with a temporary data dir
//!   ([`daemon()`] / [`TestDaemon`]), logged in as the bootstrap admin, or the real binary in
//!   its own process ([`bkgd_command`]) for tests that kill it.
//! - [`plugins`]: the workspace's test plugin and manifests for it, and the one fast restart
//!   policy tests use.
//! - [`pg`]: a fresh PostgreSQL database per test on the server of `BKG_TEST_DATABASE_URL`;
//!   when `BKG_REQUIRE_POSTGRES=1` (CI and `make test` set it) a missing database fails the
//!   test instead of skipping its PostgreSQL half.
//! - [`generated`]: the stale check of committed generated files (completions, man pages).
//! - [`wait_until`]: polling with a deadline, the only way tests wait (never a bare sleep).
//!
//! Failing loudly is this crate's job: its helpers panic with a message that says what to do.

// Test support: a panic with a clear message is how a helper fails the test that called it.
#![allow(clippy::unwrap_used)]

pub mod daemon;
pub mod generated;
pub mod pg;
pub mod plugins;

use std::future::Future;
use std::time::Duration;

pub use daemon::{
    ADMIN, ADMIN_PASSWORD, Builder, TestDaemon, bkgd_command, daemon, login_on_port, test_config,
    test_models_root,
};
pub use pg::PgDatabase;
pub use plugins::{FAST_RESTART, manifest, testplugin};

/// Polls `cond` until it holds; fails the test after a generous deadline (60 s: a loaded CI
/// machine is slow, and a deadline is only there to turn a hang into a failure).
pub async fn wait_until<F, Fut>(what: &str, mut cond: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        if cond().await {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

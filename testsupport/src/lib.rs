//! A daemon in the test's process, shared by the client crates' end-to-end tests (bkgctl,
//! bkg-tui) instead of a copy in each: configured through `bkgd::config::load` with a bootstrap
//! admin password in its environment layer, and logged in as that admin when the daemon has
//! an auth API (404 from `/auth/login` means it has none). It can be stopped and started again
//! on the same port and data dir, as a restarted bkgd would be.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use bkg_core::auth::{CreateApiKey, Role};
use bkg_core::client::Client;
use bkgd::config::{Config, Sources};
use tokio::sync::oneshot;

pub const ADMIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "correct horse battery staple";

/// The workspace's test plugin binary, built by `cargo build --workspace`.
pub fn testplugin() -> PathBuf {
    let path = bkgd::supervisor::manifest::exe_dir().join("bkg-testplugin");
    assert!(
        path.is_file(),
        "{} is missing: build it with `cargo build -p bkg-testplugin` or run `cargo test --workspace`",
        path.display()
    );
    path
}

/// A manifest for the test plugin in `mode`, with extra TOML appended.
pub fn manifest(id: &str, args: &[&str], extra: &str) -> String {
    let mut argv = vec![format!("{:?}", testplugin().display().to_string())];
    argv.extend(args.iter().map(|a| format!("{a:?}")));
    format!(
        "id = \"{id}\"\nname = \"Test {id}\"\nversion = \"0.0.1\"\ncommand = [{}]\n{extra}\n",
        argv.join(", ")
    )
}

/// Restart policy for tests: fast backoff without jitter, giving up after a few failures.
pub const FAST_RESTART: &str = "[restart]\ninitialBackoffMs = 10\nmaxBackoffMs = 40\nmultiplier = 2.0\njitter = 0.0\nmaxFastFailures = 2\nstableAfterMs = 60000\n";

pub struct Builder {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
    manifests: Vec<(String, String)>,
}

pub fn daemon() -> Builder {
    Builder {
        dir: tempfile::tempdir().unwrap(),
        env: vec![("BKG_AUTH__BOOTSTRAP_ADMIN_PASSWORD".into(), ADMIN_PASSWORD.into())],
        manifests: Vec::new(),
    }
}

impl Builder {
    pub fn plugin(mut self, id: &str, args: &[&str], extra: &str) -> Self {
        self.manifests.push((id.to_string(), manifest(id, args, extra)));
        self
    }

    /// A `BKG_*` variable for the daemon's config (only the daemon sees it, not the process).
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    pub async fn start(self) -> Daemon {
        let root = self.dir.path();
        let mut config: Config = bkgd::config::load(&Sources { env: self.env, ..Default::default() })
            .expect("test config loads")
            .config;
        let dirs = Config::for_dir(root);
        config.data_dir = dirs.data_dir;
        config.cache_dir = dirs.cache_dir;
        config.plugins_dir = dirs.plugins_dir;
        config.supervisor.builtin_plugins = false;
        config.telemetry.interval_ms = 100;
        config.log_level = "warn".into();
        // Imports may read the test's own folder, as an admin would list it.
        config.models.import_roots = vec![root.to_path_buf()];
        std::fs::create_dir_all(&config.plugins_dir).unwrap();
        for (id, text) in &self.manifests {
            std::fs::write(config.plugins_dir.join(format!("{id}.toml")), text).unwrap();
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        config.listen = addr;
        let anonymous = Client::new(&format!("http://{addr}")).unwrap();
        let mut d =
            Daemon { client: anonymous, addr, token: None, config, dir: self.dir, stop: None, task: None };
        d.serve(listener).await;
        d
    }
}

pub struct Daemon {
    /// The typed client, authenticated as the admin when the daemon has auth.
    pub client: Client,
    pub addr: SocketAddr,
    /// The admin's access token, when the daemon has auth.
    pub token: Option<String>,
    pub dir: tempfile::TempDir,
    config: Config,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl Daemon {
    async fn serve(&mut self, listener: tokio::net::TcpListener) {
        let (tx, rx) = oneshot::channel::<()>();
        self.task = Some(tokio::spawn(bkgd::run(self.config.clone(), listener, async {
            let _ = rx.await;
        })));
        self.stop = Some(tx);
        let anonymous = Client::new(&self.url()).unwrap();
        wait_until("the daemon answers", || async { anonymous.health().await.is_ok() }).await;
        self.token = match anonymous.login(ADMIN, ADMIN_PASSWORD).await {
            Ok(pair) => Some(pair.access_token),
            Err(e) if e.status() == Some(404) => None,
            Err(e) => panic!("logging in as the bootstrap admin failed ({e}): check `daemon()`'s env"),
        };
        self.client = match &self.token {
            Some(t) => anonymous.with_token(t.clone()),
            None => anonymous,
        };
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Whether the daemon has the auth API (every route then wants a token).
    pub fn has_auth(&self) -> bool {
        self.token.is_some()
    }

    /// A new API key with `role`, created by the admin (keys survive a daemon restart).
    pub async fn key(&self, role: Role) -> String {
        let req =
            CreateApiKey { name: format!("test-{}", role.as_str()), role: Some(role), ..Default::default() };
        self.client.create_api_key(&req).await.unwrap().secret
    }

    /// Shuts the daemon down gracefully and waits until it has stopped.
    pub async fn shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
    }

    /// Starts the daemon again on the same port with the same data dir (after
    /// [`Daemon::shutdown`]).
    pub async fn restart(&mut self) {
        let listener = tokio::net::TcpListener::bind(self.addr).await.unwrap();
        self.serve(listener).await;
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// Polls `cond` until it holds; fails the test after a generous deadline.
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

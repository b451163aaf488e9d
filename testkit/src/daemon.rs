//! Daemons for tests: [`daemon()`] builds one in the test's process, on 127.0.0.1:0 with every
//! directory in a temporary folder, no built-in plugins, fast telemetry, a known admin
//! password and a rate limit out of the way; [`bkgd_command`] runs the real binary in its own
//! process (for tests that `kill -9` it, and for benchmarks).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};
use bkg_core::client::Client;
use bkgd::config::Config;
use tokio::sync::oneshot;

use crate::plugins::manifest;
use crate::wait_until;

/// The bootstrap admin of every test daemon, and its password.
pub const ADMIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "test-admin-password";

/// A config for tests, with every directory under `root`: no built-in plugins, telemetry every
/// 100 ms, the known admin password, a rate limit high enough for tests that hammer the API
/// (the rate-limit test sets its own), and imports allowed from `root` and the fetched test
/// models, as an admin would list them.
pub fn test_config(root: &Path) -> Config {
    let mut config = Config::for_dir(root);
    config.supervisor.builtin_plugins = false;
    config.telemetry.interval_ms = 100;
    config.log_level = "warn".into();
    config.auth.bootstrap_admin_password = ADMIN_PASSWORD.into();
    config.auth.requests_per_minute = 1_000_000;
    config.models.import_roots = vec![root.to_path_buf(), test_models_root()];
    config
}

/// Where `scripts/fetch-test-models` puts the real test models (`BKG_TEST_MODELS`, else
/// `~/.cache/bkg/test-models`).
pub fn test_models_root() -> PathBuf {
    std::env::var_os("BKG_TEST_MODELS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/bkg/test-models")
    })
}

/// A daemon being configured; [`Builder::start`] runs it.
pub struct Builder {
    dir: tempfile::TempDir,
    config: Config,
    manifests: Vec<(String, String)>,
}

/// A daemon for one test, configured by [`test_config`].
pub fn daemon() -> Builder {
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(dir.path());
    Builder { dir, config, manifests: Vec::new() }
}

impl Builder {
    /// A manifest `<id>.toml` for the test plugin with `args`, plus `extra` TOML.
    pub fn plugin(mut self, id: &str, args: &[&str], extra: &str) -> Self {
        self.manifests.push((id.to_string(), manifest(id, args, extra)));
        self
    }

    /// A manifest `<file>.toml` with exactly this text.
    pub fn raw_manifest(mut self, file: &str, text: &str) -> Self {
        self.manifests.push((file.to_string(), text.to_string()));
        self
    }

    pub fn config(mut self, f: impl FnOnce(&mut Config)) -> Self {
        f(&mut self.config);
        self
    }

    /// The temporary folder every directory of the daemon lives in.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub async fn start(self) -> TestDaemon {
        std::fs::create_dir_all(&self.config.plugins_dir).unwrap();
        for (id, text) in &self.manifests {
            std::fs::write(self.config.plugins_dir.join(format!("{id}.toml")), text).unwrap();
        }
        let root = self.dir.path().to_path_buf();
        start_with(self.config, Some(self.dir), root).await
    }
}

/// A running daemon, logged in as the bootstrap admin. Dropping it stops the daemon.
pub struct TestDaemon {
    /// Logged in as the bootstrap admin.
    pub client: Client,
    /// No credentials.
    pub anonymous: Client,
    pub addr: SocketAddr,
    /// The folder every directory of the daemon lives in.
    pub root: PathBuf,
    config: Config,
    dir: Option<tempfile::TempDir>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

/// Starts a daemon on an existing config (for restarts on the same data dir).
pub async fn start_with(config: Config, dir: Option<tempfile::TempDir>, root: PathBuf) -> TestDaemon {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    serve(config, listener, dir, root).await
}

async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    dir: Option<tempfile::TempDir>,
    root: PathBuf,
) -> TestDaemon {
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(bkgd::run(config.clone(), listener, async {
        let _ = rx.await;
    }));
    let anonymous = Client::new(&format!("http://{addr}")).unwrap();
    wait_until("the daemon answers", || async { anonymous.health().await.is_ok() }).await;
    let tokens = anonymous.login(ADMIN, ADMIN_PASSWORD).await.expect("the bootstrap admin can log in");
    let client = anonymous.clone().with_token(tokens.access_token);
    TestDaemon { client, anonymous, addr, root, config, dir, stop: Some(tx), task: Some(task) }
}

impl TestDaemon {
    /// `http://127.0.0.1:<port>` and `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The admin's access token.
    pub fn token(&self) -> String {
        self.client.token().expect("the test client is logged in").to_string()
    }

    /// A raw HTTP client that sends the admin's token with every request.
    pub fn http(&self) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {}", self.token()).parse().unwrap());
        reqwest::Client::builder().default_headers(headers).build().unwrap()
    }

    /// A raw HTTP client without credentials.
    pub fn http_anonymous(&self) -> reqwest::Client {
        reqwest::Client::new()
    }

    /// Creates a user with `role` and returns a client logged in as them (their password is
    /// `<name>-password-123`).
    pub async fn user(&self, name: &str, role: bkg_core::auth::Role) -> Client {
        let password = format!("{name}-password-123");
        self.client
            .create_user(&bkg_core::auth::CreateUser {
                username: name.into(),
                password: password.clone(),
                role,
            })
            .await
            .unwrap();
        let t = self.anonymous.login(name, &password).await.unwrap();
        self.anonymous.clone().with_token(t.access_token)
    }

    /// Shuts the daemon down gracefully and waits until it has stopped its plugins.
    pub async fn shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
    }

    /// After [`TestDaemon::shutdown`]: starts the daemon again on the same port and data, as a
    /// restarted bkgd would be (clients that reconnect find it where it was).
    pub async fn restart(&mut self) {
        let listener = tokio::net::TcpListener::bind(self.addr).await.unwrap();
        let next = serve(self.config.clone(), listener, self.dir.take(), self.root.clone()).await;
        let old = std::mem::replace(self, next);
        drop(old);
    }

    /// A new API key with `role`, created by the admin (keys survive a restart).
    pub async fn key(&self, role: bkg_core::auth::Role) -> String {
        let req = bkg_core::auth::CreateApiKey {
            name: format!("test-{}", role.as_str()),
            role: Some(role),
            ..Default::default()
        };
        self.client.create_api_key(&req).await.unwrap().secret
    }

    /// Shuts down and hands back the folder, to start another daemon on the same data.
    pub async fn into_dir(mut self) -> tempfile::TempDir {
        self.shutdown().await;
        self.dir.take().expect("the daemon owns its folder")
    }

    /// The pid of a running plugin.
    pub async fn pid_of(&self, id: &str) -> u32 {
        self.client.plugin_status(id).await.unwrap().pid.expect("a running plugin has a pid")
    }
}

impl Drop for TestDaemon {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// The real `bkgd` binary at `bin`, ready to spawn on `127.0.0.1:<port>` with every directory
/// under `root`, no built-in plugins, the test admin password and the rate limit out of the
/// way. Callers add their own environment and stdio.
pub fn bkgd_command(bin: &Path, root: &Path, port: u16) -> Command {
    let mut cmd = Command::new(bin);
    cmd.args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(root.join("data"))
        .arg("--plugins-dir")
        .arg(root.join("plugins"))
        .arg("--cache-dir")
        .arg(root.join("cache"))
        .env("BKG_SUPERVISOR__BUILTIN_PLUGINS", "false")
        .env("BKG_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("BKG_AUTH__REQUESTS_PER_MINUTE", "100000000");
    cmd
}

/// Waits (up to 60 s) until the daemon on `port` answers, then logs in as the admin.
pub async fn login_on_port(port: u16) -> anyhow::Result<Client> {
    let url = format!("http://127.0.0.1:{port}");
    let anonymous = Client::new(&url)?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while anonymous.health().await.is_err() {
        if tokio::time::Instant::now() > deadline {
            bail!("bkgd did not answer on {url} within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let token =
        anonymous.login(ADMIN, ADMIN_PASSWORD).await.context("logging in as the test admin")?.access_token;
    Ok(anonymous.with_token(token))
}

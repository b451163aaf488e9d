//! Starting daemons and writing plugin manifests for tests.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bkg_core::client::Client;
use bkgd::config::Config;
use tokio::sync::oneshot;

/// The workspace's test plugin binary, built by `cargo test --workspace`.
pub fn testplugin() -> PathBuf {
    let path = bkgd::supervisor::manifest::exe_dir().join("bkg-testplugin");
    assert!(
        path.is_file(),
        "{} is missing: run the tests with `cargo test --workspace` (or `make test`)",
        path.display()
    );
    path
}

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

/// A manifest for the test plugin in `mode`, with extra TOML appended.
pub fn manifest(id: &str, args: &[&str], extra: &str) -> String {
    let mut argv = vec![format!("{:?}", testplugin().display().to_string())];
    argv.extend(args.iter().map(|a| format!("{a:?}")));
    format!(
        "id = \"{id}\"\nname = \"Test {id}\"\nversion = \"0.0.1\"\ncommand = [{}]\n{extra}\n",
        argv.join(", ")
    )
}

/// Restart policy for tests: fast backoff without jitter so schedules are exact.
pub const FAST_RESTART: &str = "[restart]\ninitialBackoffMs = 10\nmaxBackoffMs = 40\nmultiplier = 2.0\njitter = 0.0\nmaxFastFailures = 4\nstableAfterMs = 60000\n";

pub struct TestDaemon {
    /// Logged in as the bootstrap admin.
    pub client: Client,
    /// No credentials.
    pub anonymous: Client,
    pub addr: SocketAddr,
    pub root: PathBuf,
    _dir: Option<tempfile::TempDir>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

pub struct Builder {
    dir: tempfile::TempDir,
    config: Config,
    manifests: Vec<(String, String)>,
}

impl Builder {
    pub fn plugin(mut self, id: &str, args: &[&str], extra: &str) -> Self {
        self.manifests.push((id.to_string(), manifest(id, args, extra)));
        self
    }

    pub fn raw_manifest(mut self, file: &str, text: &str) -> Self {
        self.manifests.push((file.to_string(), text.to_string()));
        self
    }

    pub fn config(mut self, f: impl FnOnce(&mut Config)) -> Self {
        f(&mut self.config);
        self
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

/// The first admin's password in every test daemon.
pub const ADMIN_PASSWORD: &str = "test-admin-password";

/// A config for tests: no built-in plugins, fast telemetry, a known admin password, and a rate
/// limit high enough for tests that hammer the API (the rate-limit test sets its own).
pub fn test_config(root: &Path) -> Config {
    let mut config = Config::for_dir(root);
    config.supervisor.builtin_plugins = false;
    config.telemetry.interval_ms = 100;
    config.auth.bootstrap_admin_password = ADMIN_PASSWORD.into();
    config.auth.requests_per_minute = 1_000_000;
    // Imports may read the test's own folder (never its data or cache inside it) and the
    // fetched test models, as an admin would list them.
    config.models.import_roots = vec![root.to_path_buf(), test_models_root()];
    config
}

/// Where `scripts/fetch-test-models` puts the real test models (they may not be there).
pub fn test_models_root() -> PathBuf {
    std::env::var_os("BKG_TEST_MODELS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/bkg/test-models")
    })
}

pub fn daemon() -> Builder {
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(dir.path());
    Builder { dir, config, manifests: Vec::new() }
}

/// Starts a daemon on an existing config (for restarts on the same data dir).
pub async fn start_with(config: Config, dir: Option<tempfile::TempDir>, root: PathBuf) -> TestDaemon {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(bkgd::run(config, listener, async {
        let _ = rx.await;
    }));
    let anonymous = Client::new(&format!("http://{addr}")).unwrap();
    wait_until("the daemon answers", || async { anonymous.health().await.is_ok() }).await;
    let tokens = anonymous.login("admin", ADMIN_PASSWORD).await.expect("the bootstrap admin can log in");
    let client = anonymous.clone().with_token(tokens.access_token);
    TestDaemon { client, anonymous, addr, root, _dir: dir, stop: Some(tx), task: Some(task) }
}

impl TestDaemon {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A raw HTTP client that sends the admin's token with every request.
    pub fn http(&self) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        let value = format!("Bearer {}", self.client.token().expect("the test client is logged in"));
        headers.insert(reqwest::header::AUTHORIZATION, value.parse().unwrap());
        reqwest::Client::builder().default_headers(headers).build().unwrap()
    }

    /// A raw HTTP client without credentials.
    pub fn http_anonymous(&self) -> reqwest::Client {
        reqwest::Client::new()
    }

    /// Creates a user with `role` and returns a client logged in as them.
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

    /// Shuts down and hands back the directory, to start another daemon on the same data.
    pub async fn into_dir(mut self) -> tempfile::TempDir {
        self.shutdown().await;
        self._dir.take().unwrap()
    }

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

/// A fresh PostgreSQL database on the server of `BKG_TEST_DATABASE_URL`, for running a test on
/// PostgreSQL too; `None` (with a note) when the variable is not set.
pub struct PgDatabase {
    pub url: String,
    name: String,
    admin: sqlx::PgPool,
}

impl PgDatabase {
    pub async fn create() -> Option<Self> {
        let Some(admin) = std::env::var("BKG_TEST_DATABASE_URL").ok().filter(|s| !s.is_empty()) else {
            eprintln!("BKG_TEST_DATABASE_URL is not set: this check runs on SQLite only here (CI sets it)");
            return None;
        };
        let name = format!("bkg_it_{}", uuid::Uuid::new_v4().simple());
        let pool = sqlx::PgPool::connect(&admin).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\""))).execute(&pool).await.unwrap();
        let mut url = url::Url::parse(&admin).unwrap();
        url.set_path(&name);
        Some(Self { url: url.to_string(), name, admin: pool })
    }

    pub async fn drop(self) {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE \"{}\" WITH (FORCE)", self.name)))
            .execute(&self.admin)
            .await
            .unwrap();
    }
}

/// Starts the real `bkgd` binary (for tests that `kill -9` it) on `port`, with every directory
/// under `root` and `env` added to its environment.
pub fn spawn_bkgd(root: &Path, port: u16, env: &[(&str, &str)]) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_bkgd"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(root.join("data"))
        .arg("--plugins-dir")
        .arg(root.join("plugins"))
        .arg("--cache-dir")
        .arg(root.join("cache"))
        .env("BKG_SUPERVISOR__BUILTIN_PLUGINS", "false")
        .env("BKG_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("BKG_AUTH__REQUESTS_PER_MINUTE", "1000000")
        .envs(env.iter().copied())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits until the daemon on `port` answers, then logs in as the admin.
pub async fn login_on_port(port: u16) -> Client {
    let c = Client::new(&format!("http://127.0.0.1:{port}")).unwrap();
    wait_until("bkgd answers", || async { c.health().await.is_ok() }).await;
    let t = c.login("admin", ADMIN_PASSWORD).await.unwrap();
    c.with_token(t.access_token)
}

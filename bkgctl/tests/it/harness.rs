//! A daemon in this process and a way to run bkgctl against it.
//!
//! The daemon is configured through `bkgd::config::load` with a bootstrap admin password in
//! its environment layer, and [`Daemon`] logs in as that admin when the daemon has an auth API
//! (404 from `/auth/login` means it has none): every test then runs authenticated through
//! `BKG_TOKEN` without changing, and [`Cli::anonymous`] is there for the tests of auth itself.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use bkg_core::client::Client;
use bkgd::config::{Config, Sources};
use serde_json::Value;
use tokio::sync::oneshot;

pub const ADMIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "correct horse battery staple";

/// The workspace's test plugin binary, built by `cargo test --workspace`.
pub fn testplugin() -> PathBuf {
    let path = bkgd::supervisor::manifest::exe_dir().join("bkg-testplugin");
    assert!(path.is_file(), "{} is missing: run the tests with `cargo test --workspace`", path.display());
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
        config.listen = dirs.listen;
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
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(bkgd::run(config, listener, async {
            let _ = rx.await;
        }));
        let anonymous = Client::new(&format!("http://{addr}")).unwrap();
        wait_until("the daemon answers", || async { anonymous.health().await.is_ok() }).await;
        let token = match anonymous.login(ADMIN, ADMIN_PASSWORD).await {
            Ok(pair) => Some(pair.access_token),
            Err(e) if e.status() == Some(404) => None,
            Err(e) => panic!("logging in as the bootstrap admin failed ({e}): check `daemon()`'s env"),
        };
        let client = match &token {
            Some(t) => anonymous.clone().with_token(t.clone()),
            None => anonymous,
        };
        Daemon { client, addr, token, dir: self.dir, stop: Some(tx), task: Some(task) }
    }
}

pub struct Daemon {
    /// The typed client, authenticated as the admin when the daemon has auth.
    pub client: Client,
    pub addr: SocketAddr,
    /// The admin's access token, when the daemon has auth.
    pub token: Option<String>,
    pub dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl Daemon {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Whether the daemon has the auth API (every route then wants a token).
    pub fn has_auth(&self) -> bool {
        self.token.is_some()
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

/// The bkgctl binary under test.
pub fn bkgctl() -> &'static str {
    env!("CARGO_BIN_EXE_bkgctl")
}

/// Runs bkgctl with an isolated config dir against one server.
pub struct Cli {
    pub server: String,
    pub token: Option<String>,
    pub config_dir: tempfile::TempDir,
    pub env: Vec<(String, String)>,
}

/// What one run printed and how it ended.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr)
        })
    }

    /// Asserts the exit code, showing everything when it differs.
    pub fn expect(self, code: i32) -> Self {
        assert_eq!(self.code, code, "exit code\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }
}

impl Cli {
    /// bkgctl as the admin (when the daemon has auth).
    pub fn new(d: &Daemon) -> Self {
        let mut cli = Self::anonymous(d);
        cli.token = d.token.clone();
        cli
    }

    /// bkgctl without any credentials.
    pub fn anonymous(d: &Daemon) -> Self {
        Self::for_server(&d.url())
    }

    pub fn for_server(url: &str) -> Self {
        Self {
            server: url.to_string(),
            token: None,
            config_dir: tempfile::tempdir().unwrap(),
            env: Vec::new(),
        }
    }

    pub fn config_path(&self) -> &Path {
        self.config_dir.path()
    }

    /// The command, ready to run: environment cleared of anything that could leak in.
    pub fn command(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(bkgctl());
        cmd.args(args);
        for var in ["BKG_URL", "BKG_TOKEN", "BKGCTL_CONTEXT", "BKGCTL_CONFIG_DIR", "NO_COLOR", "TERM"] {
            cmd.env_remove(var);
        }
        if !self.server.is_empty() {
            cmd.env("BKG_URL", &self.server);
        }
        if let Some(t) = &self.token {
            cmd.env("BKG_TOKEN", t);
        }
        cmd.env("BKGCTL_CONFIG_DIR", self.config_dir.path());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs bkgctl to the end with stdin closed.
    pub async fn run(&self, args: &[&str]) -> Out {
        self.run_with_stdin(args, None).await
    }

    pub async fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Out {
        let mut cmd = tokio::process::Command::from(self.command(args));
        cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = cmd.spawn().unwrap();
        if let Some(text) = stdin {
            use tokio::io::AsyncWriteExt;
            let mut pipe = child.stdin.take().unwrap();
            pipe.write_all(text.as_bytes()).await.unwrap();
            drop(pipe);
        }
        let output = tokio::time::timeout(Duration::from_secs(120), child.wait_with_output())
            .await
            .unwrap_or_else(|_| panic!("bkgctl {args:?} did not end"))
            .unwrap();
        Out {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    /// Runs with `-o json`, expects success and returns the parsed answer.
    pub async fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["-o", "json"]);
        self.run(&all).await.expect(0).json()
    }

    /// Runs with the default (table) output, expects success and returns stdout.
    pub async fn table(&self, args: &[&str]) -> String {
        self.run(args).await.expect(0).stdout
    }

    /// Starts bkgctl and leaves it running, stdout and stderr piped.
    pub fn spawn(&self, args: &[&str]) -> tokio::process::Child {
        let mut cmd = tokio::process::Command::from(self.command(args));
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
        cmd.spawn().unwrap()
    }
}

/// Sends SIGINT, as Ctrl-C does.
pub fn interrupt(child: &tokio::process::Child) {
    let pid = nix::unistd::Pid::from_raw(child.id().expect("still running") as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
}

/// A port nothing listens on.
pub fn dead_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

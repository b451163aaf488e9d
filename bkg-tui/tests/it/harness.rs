//! A daemon in this process (restartable on the same port and data dir) and bkg-tui in a
//! detached tmux session on a socket of its own.
//!
//! The daemon part is a minimal copy of bkgctl's test harness (`bkgctl/tests/it/harness.rs`):
//! configured through `bkgd::config::load` with a bootstrap admin password, logged in as that
//! admin.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
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
        "{} is missing: build it with `cargo build -p bkg-testplugin` (or run `cargo test --workspace`)",
        path.display()
    );
    path
}

/// A manifest for the test plugin in `args`' mode; its config must have `threads` >= 1.
pub fn manifest(id: &str, args: &[&str]) -> String {
    let args: Vec<String> = args.iter().map(|a| format!("{a:?}")).collect();
    format!(
        "id = \"{id}\"\nname = \"Test {id}\"\nversion = \"0.0.1\"\ncommand = [{:?}, {}]\n\
         [config.schema]\ntype = \"object\"\n[config.schema.properties.threads]\ntype = \"integer\"\nminimum = 1\n",
        testplugin().display().to_string(),
        args.join(", ")
    )
}

pub struct Daemon {
    pub client: Client,
    pub addr: SocketAddr,
    config: Config,
    /// The data dir, kept across restarts and removed on drop.
    _dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

/// A daemon with the test plugin `id` installed (stopped), serving.
pub async fn daemon(id: &str) -> Daemon {
    daemon_with(id, &["serve"]).await
}

/// A daemon with the test plugin `id` installed (stopped) in the mode `args`.
pub async fn daemon_with(id: &str, args: &[&str]) -> Daemon {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let env = vec![("BKG_AUTH__BOOTSTRAP_ADMIN_PASSWORD".to_string(), ADMIN_PASSWORD.to_string())];
    let mut config: Config =
        bkgd::config::load(&Sources { env, ..Default::default() }).expect("test config loads").config;
    let dirs = Config::for_dir(root);
    config.data_dir = dirs.data_dir;
    config.cache_dir = dirs.cache_dir;
    config.plugins_dir = dirs.plugins_dir;
    config.supervisor.builtin_plugins = false;
    config.telemetry.interval_ms = 200;
    config.log_level = "warn".into();
    std::fs::create_dir_all(&config.plugins_dir).unwrap();
    std::fs::write(config.plugins_dir.join(format!("{id}.toml")), manifest(id, args)).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    config.listen = addr;
    let mut d = Daemon {
        client: Client::new(&format!("http://{addr}")).unwrap(),
        addr,
        config,
        _dir: dir,
        stop: None,
        task: None,
    };
    d.serve(listener).await;
    d
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
        let pair = anonymous.login(ADMIN, ADMIN_PASSWORD).await.expect("the bootstrap admin logs in");
        self.client = anonymous.with_token(pair.access_token);
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// An API key with `role` for the TUI (keys survive a daemon restart, unlike nothing else
    /// the test would have to re-create).
    pub async fn key(&self, role: Role) -> String {
        let req =
            CreateApiKey { name: format!("tui-{}", role.as_str()), role: Some(role), ..Default::default() };
        self.client.create_api_key(&req).await.unwrap().secret
    }

    /// Stops the daemon gracefully and waits until it has.
    pub async fn shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
    }

    /// Starts it again on the same port with the same data dir.
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
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        if cond().await {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// bkg-tui in `tmux new-session -d -x 100 -y 30` on a private socket; the server is killed on
/// drop. The TUI runs under `sh` so that, once it exits, the pane shows its exit status and
/// whether the terminal is back in cooked mode (`icanon echo`).
pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn start(url: &str, token: &str, config_dir: &std::path::Path) -> Self {
        Self::start_with(url, token, config_dir, &[])
    }

    /// Like [`Tmux::start`], with more variables in the TUI's environment.
    pub fn start_with(url: &str, token: &str, config_dir: &std::path::Path, env: &[(&str, String)]) -> Self {
        let socket = format!("bkg-tui-it-{}-{}", std::process::id(), uuid_like());
        let bin = env!("CARGO_BIN_EXE_bkg-tui");
        let script = format!(
            "{bin:?}; echo \"bkg-tui exited $?\"; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e echo -e -icanon -e -echo | tr '\\n' ' '; echo; exec sleep 600"
        );
        let status = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "100",
                "-y",
                "30",
                "-s",
                "tui",
            ])
            .args(["-e", &format!("BKG_URL={url}"), "-e", &format!("BKG_TOKEN={token}")])
            .args(["-e", &format!("BKGCTL_CONFIG_DIR={}", config_dir.display()), "-e", "TERM=xterm-256color"])
            .args(env.iter().flat_map(|(k, v)| ["-e".to_string(), format!("{k}={v}")]))
            .args(["sh", "-c", &script])
            .env_remove("NO_COLOR")
            .env_remove("TMUX")
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        Self { socket }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").args(["-L", &self.socket]).args(args).output().expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Types `text` literally.
    pub fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "tui", "-l", text]);
    }

    /// Sends named keys (`Enter`, `Escape`).
    pub fn key(&self, key: &str) {
        self.tmux(&["send-keys", "-t", "tui", key]);
    }

    pub fn resize(&self, w: u16, h: u16) {
        self.tmux(&["resize-window", "-t", "tui", "-x", &w.to_string(), "-y", &h.to_string()]);
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "tui"])
    }

    /// The screen with its escape sequences (colours, reverse video).
    pub fn screen_styled(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-e", "-t", "tui"])
    }

    /// Waits until the screen satisfies `cond`; returns that screen. Fails with the last
    /// screen after the deadline.
    pub async fn wait(&self, what: &str, cond: impl Fn(&str) -> bool) -> String {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if cond(&screen) {
                return screen;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting until {what}; screen:\n{screen}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn wait_text(&self, text: &str) -> String {
        self.wait(&format!("the screen shows {text:?}"), |s| s.contains(text)).await
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

/// A per-test unique suffix without another dependency.
fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{}-{nanos}", N.fetch_add(1, Ordering::SeqCst))
}

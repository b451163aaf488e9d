//! A daemon in this process (from `bkg-testkit`, shared with bkgctl's tests; it restarts
//! on the same port and data dir) and bkg-tui in a detached tmux session on a socket of its
//! own.

use std::process::Command;
use std::time::Duration;

pub use bkg_testkit::{TestDaemon as Daemon, wait_until};

/// The test plugin's config must have `threads` >= 1, so the config tab has something to
/// reject.
const CONFIG_SCHEMA: &str = "[config.schema]\ntype = \"object\"\n[config.schema.properties.threads]\ntype = \"integer\"\nminimum = 1\n";

/// A daemon with the test plugin `id` installed (stopped), serving.
pub async fn daemon(id: &str) -> Daemon {
    daemon_with(id, &["serve"]).await
}

/// A daemon with the test plugin `id` installed (stopped) in the mode `args`.
pub async fn daemon_with(id: &str, args: &[&str]) -> Daemon {
    bkg_testkit::daemon().plugin(id, args, CONFIG_SCHEMA).start().await
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
            .args(["-e", &format!("BKG_URL={url}")])
            // No token: the TUI falls back to what `bkgctl login` stored in the config dir.
            .args(if token.is_empty() {
                vec![]
            } else {
                vec!["-e".to_string(), format!("BKG_TOKEN={token}")]
            })
            .args(["-e", &format!("BKGCTL_CONFIG_DIR={}", config_dir.display()), "-e", "TERM=xterm-256color"])
            .args(env.iter().flat_map(|(k, v)| ["-e".to_string(), format!("{k}={v}")]))
            .args(["sh", "-c", &script])
            .env_remove("NO_COLOR")
            .env_remove("BKG_TOKEN")
            .env_remove("BKGCTL_CONTEXT")
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

//! A daemon in this process and a way to run bkgctl against it.
//!
//! The daemon comes from `bkg-testsupport` (shared with bkg-tui's tests): configured with a
//! bootstrap admin password and logged in as that admin when the daemon has an auth API, so
//! every test runs authenticated through `BKG_TOKEN` without changing, and [`Cli::anonymous`]
//! is there for the tests of auth itself.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

pub use bkg_testsupport::{ADMIN, ADMIN_PASSWORD, Daemon, FAST_RESTART, daemon, testplugin, wait_until};
use serde_json::Value;

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

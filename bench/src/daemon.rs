//! A release `bkgd` in its own process, on a temporary data dir, with test-plugin manifests;
//! started and logged into the way every test does it (`bkg-testkit`).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use anyhow::{Context, bail};
use bkg_core::client::Client;

/// Folder of this binary: `bkgd` and `bkg-testplugin` are built next to it.
pub fn bin_dir() -> PathBuf {
    std::env::current_exe().ok().and_then(|p| p.parent().map(|p| p.to_path_buf())).unwrap_or_default()
}

pub fn bin(name: &str) -> anyhow::Result<PathBuf> {
    let p = bin_dir().join(name);
    if !p.is_file() {
        bail!("{} is missing; build the workspace in release first (`make bench` does)", p.display());
    }
    Ok(p)
}

pub struct Daemon {
    pub child: Child,
    pub client: Client,
    _dir: tempfile::TempDir,
    port: u16,
    env: Vec<(String, String)>,
}

impl Daemon {
    /// Starts bkgd with one manifest per `(id, argv of bkg-testplugin)`.
    pub async fn start(plugins: &[(&str, Vec<String>)], extra_env: &[(&str, &str)]) -> anyhow::Result<Self> {
        let plugins: Vec<(&str, Vec<String>, &str)> =
            plugins.iter().map(|(i, a)| (*i, a.clone(), "")).collect();
        Self::start_with(&plugins, extra_env).await
    }

    /// As [`Daemon::start`], each manifest with extra TOML (e.g. a restart policy).
    pub async fn start_with(
        plugins: &[(&str, Vec<String>, &str)],
        extra_env: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let plugins_dir = dir.path().join("plugins");
        std::fs::create_dir_all(&plugins_dir)?;
        bin("bkg-testplugin")?;
        for (id, args, extra) in plugins {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            std::fs::write(plugins_dir.join(format!("{id}.toml")), bkg_testkit::manifest(id, &args, extra))?;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let env: Vec<(String, String)> =
            extra_env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let child = spawn(dir.path(), port, &env)?;
        let client = bkg_testkit::login_on_port(port).await?;
        Ok(Self { child, client, _dir: dir, port, env })
    }

    /// `kill -9` of bkgd, then a new bkgd on the same directories and port.
    pub async fn kill_and_restart(&mut self) -> anyhow::Result<()> {
        nix_kill(self.child.id(), "KILL");
        self.child.wait()?;
        self.child = spawn(self._dir.path(), self.port, &self.env)?;
        self.client = bkg_testkit::login_on_port(self.port).await?;
        Ok(())
    }

    /// The log file of a plugin.
    pub fn log_file(&self, id: &str) -> PathBuf {
        self._dir.path().join("data/logs").join(format!("{id}.log"))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The folder every directory of this daemon lives in.
    pub fn root(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A field of `/proc/<pid>/status` in kB (VmRSS, VmHWM).
    pub fn status_kb(&self, field: &str) -> u64 {
        status_kb(self.pid(), field)
    }

    /// See [`reset_peak_rss`].
    pub fn reset_peak_rss(&self) -> anyhow::Result<()> {
        reset_peak_rss(self.pid())
    }

    /// CPU time (user + system) of bkgd so far, in clock ticks.
    pub fn cpu_ticks(&self) -> u64 {
        cpu_ticks(self.pid())
    }

    /// Context switches (voluntary and not) of all of bkgd's threads so far: each is a wake-up.
    pub fn context_switches(&self) -> u64 {
        context_switches(self.pid())
    }

    pub async fn stop(self) -> anyhow::Result<()> {
        drop(self);
        Ok(())
    }
}

impl Drop for Daemon {
    /// A graceful stop (SIGTERM), also when the benchmark fails half-way.
    fn drop(&mut self) {
        nix_kill(self.child.id(), "TERM");
        let _ = self.child.wait();
    }
}

/// A field of `/proc/<pid>/status` in kB (VmRSS, VmHWM); 0 when the process is gone.
pub fn status_kb(pid: u32, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Resets a process's peak RSS (`VmHWM`) to its current RSS (`/proc/<pid>/clear_refs`, Linux
/// 4.0 and later), so that a peak read later is the peak of what came in between and not of the
/// process's start: bkgd's first login hashes the admin's password with argon2 in a 19 MiB work
/// area, which would otherwise be every later "peak".
pub fn reset_peak_rss(pid: u32) -> anyhow::Result<()> {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5")
        .with_context(|| format!("resetting the peak RSS of {pid}"))
}

/// Clock ticks (USER_HZ, 100 per second on Linux) per second.
pub const TICKS_PER_SEC: f64 = 100.0;

/// CPU time (user + system) of a process so far, in clock ticks.
pub fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    num(11) + num(12)
}

/// CPU time of a process's live threads so far, in nanoseconds (the first field of each
/// thread's `schedstat`): finer than clock ticks, for the little an idle daemon uses. Threads
/// that ended are not counted, so use it over spans without thread churn.
pub fn cpu_ns(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return 0 };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|text| text.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// Context switches (voluntary and not) of all of a process's threads so far.
pub fn context_switches(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return 0 };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("status")).ok())
        .flat_map(|text| {
            text.lines()
                .filter(|l| l.contains("ctxt_switches:"))
                .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                .collect::<Vec<_>>()
        })
        .sum()
}

fn spawn(dir: &std::path::Path, port: u16, env: &[(String, String)]) -> anyhow::Result<Child> {
    bkg_testkit::bkgd_command(&bin("bkgd")?, dir, port)
        .args(["--log-level", "warn"])
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .context("cannot start bkgd")
}

fn nix_kill(pid: u32, sig: &str) {
    let _ = Command::new("kill").arg(format!("-{sig}")).arg(pid.to_string()).status();
}

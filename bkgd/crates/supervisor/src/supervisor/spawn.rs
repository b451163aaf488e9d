//! Process creation and the guarantees around it: every plugin in its own process group, no
//! orphans when the daemon dies, every child reaped.
//!
//! - Plugins are spawned from one long-lived thread ("bkgd-spawner"). `PR_SET_PDEATHSIG` fires
//!   when the *thread* that forked the child exits, and tokio's blocking-pool threads exit when
//!   idle, so spawning from them would kill plugins at random. The signal is set in the new
//!   process before it execs, followed by a `getppid()` check that closes the race with a parent
//!   dying meanwhile; `process` creates it without copying the daemon (no fork).
//! - PDEATHSIG only reaches the direct child. Grandchildren are covered by the *guard*: a tiny
//!   `/bin/sh` loop in its own session-less process group that learns each plugin's process
//!   group over a pipe and, when the pipe closes because the daemon died (even by SIGKILL),
//!   SIGKILLs every group it knows. A shell keeps it independent of how bkgd was started (as
//!   the binary or as a library inside a test).
//! - The daemon is a child subreaper, so a plugin's orphaned descendants are re-parented to it
//!   rather than to PID 1 (which, in containers, often never reaps). `reap_adopted` reaps them;
//!   it only touches zombies of known plugin process groups that are not group leaders, so it
//!   never steals the exit status of a child tokio (or a test) waits for.

use std::collections::HashSet;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use parking_lot::Mutex;
use tokio::sync::oneshot;

use super::process::{Created, Process, Stack};

/// What to run.
#[derive(Debug, Clone)]
pub struct ProcessSpec {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: PathBuf,
}

struct Job {
    spec: ProcessSpec,
    reply: oneshot::Sender<std::io::Result<Created>>,
}

/// Spawns plugin processes from a dedicated thread and tracks their process groups.
pub struct Spawner {
    jobs: Mutex<Option<std::sync::mpsc::Sender<Job>>>,
    guard: Mutex<Option<std::process::Child>>,
    groups: Mutex<HashSet<i32>>,
    /// Groups whose leader has ended while members may remain.
    orphaned: Mutex<HashSet<i32>>,
}

impl std::fmt::Debug for Spawner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spawner").field("groups", &self.groups.lock().len()).finish()
    }
}

const GUARD_SCRIPT: &str = r#"trap '' INT TERM HUP QUIT PIPE
set -f
groups=' '
while IFS= read -r line; do
  case "$line" in
    +*) groups="$groups${line#+} " ;;
    -*) g=${line#-}; kept=' '
        for p in $groups; do [ "$p" = "$g" ] || kept="$kept$p "; done
        groups=$kept ;;
  esac
done
for p in $groups; do kill -9 "-$p" 2>/dev/null; done
"#;

impl Spawner {
    /// Starts the spawner thread and the guard. Must be called inside a tokio runtime.
    pub fn start() -> std::io::Result<Arc<Self>> {
        if let Err(e) = nix::sys::prctl::set_child_subreaper(true) {
            tracing::warn!(error = %e, "cannot become a child subreaper; orphaned plugin descendants go to PID 1");
        }
        let handle = tokio::runtime::Handle::current();
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let mut stack = Stack::new()?;
        std::thread::Builder::new().name("bkgd-spawner".into()).spawn(move || {
            let _rt = handle.enter();
            while let Ok(job) = rx.recv() {
                let _ = job.reply.send(super::process::create(&job.spec, &mut stack));
            }
        })?;
        let guard = std::process::Command::new("/bin/sh")
            .arg("-c")
            .arg(GUARD_SCRIPT)
            .arg("bkgd-guard")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()?;
        Ok(Arc::new(Self {
            jobs: Mutex::new(Some(tx)),
            guard: Mutex::new(Some(guard)),
            groups: Mutex::default(),
            orphaned: Mutex::default(),
        }))
    }

    /// Spawns a plugin process in its own process group and registers the group with the guard.
    pub async fn spawn(&self, spec: ProcessSpec) -> std::io::Result<Process> {
        let (reply, rx) = oneshot::channel();
        let sent = self.jobs.lock().as_ref().map(|tx| tx.send(Job { spec, reply }).is_ok()).unwrap_or(false);
        if !sent {
            return Err(std::io::Error::other("the daemon is shutting down"));
        }
        let created = rx.await.map_err(|_| std::io::Error::other("spawner thread is gone"))??;
        let pid = created.pid;
        self.groups.lock().insert(pid as i32);
        self.tell_guard(&format!("+{pid}\n"));
        Process::new(created).inspect_err(|_| {
            // Nothing could talk to it or wait for it: end it here.
            self.group_ended(pid);
            let _ = nix::sys::wait::waitpid(Pid::from_raw(pid as i32), None);
        })
    }

    /// Sends `signal` to a plugin's whole process group.
    pub fn signal_group(&self, pgid: u32, signal: Signal) {
        let _ = killpg(Pid::from_raw(pgid as i32), signal);
    }

    /// Called once a group's leader has been reaped: kills what is left of the group. The
    /// remains are reaped by [`Spawner::reap_adopted`] (called next, and on every SIGCHLD).
    pub fn group_ended(&self, pgid: u32) {
        self.signal_group(pgid, Signal::SIGKILL);
        self.orphaned.lock().insert(pgid as i32);
    }

    /// Forgets ended groups with no process left, without reading `/proc`: `kill(-g, 0)` fails
    /// with ESRCH only when not even a zombie of the group is left, which is the common case (a
    /// plugin that started no processes of its own). Says whether some ended group still has
    /// processes, which only [`Spawner::reap_adopted`]'s scan can reap.
    pub fn forget_empty_groups(&self) -> bool {
        let (empty, left) = {
            let mut orphaned = self.orphaned.lock();
            let empty: Vec<i32> = orphaned
                .iter()
                .copied()
                .filter(|&g| killpg(Pid::from_raw(g), None) == Err(Errno::ESRCH))
                .collect();
            orphaned.retain(|g| !empty.contains(g));
            (empty, !orphaned.is_empty())
        };
        for g in empty {
            self.groups.lock().remove(&g);
            self.tell_guard(&format!("-{g}\n"));
        }
        left
    }

    /// Reaps zombies re-parented to the daemon from plugin groups whose leader has ended, and
    /// forgets groups with no process left. Reads `/proc` only when some such group still has
    /// a process.
    pub fn reap_adopted(&self) {
        if !self.forget_empty_groups() {
            return;
        }
        let me = std::process::id() as i32;
        let orphaned: Vec<i32> = self.orphaned.lock().iter().copied().collect();
        for g in orphaned {
            let members = group_members(g);
            let mut left = 0;
            for p in &members {
                if p.pid != g && p.ppid == me && p.zombie {
                    let _ = nix::sys::wait::waitpid(Pid::from_raw(p.pid), None);
                } else {
                    left += 1;
                }
            }
            if left == 0 {
                self.orphaned.lock().remove(&g);
                self.groups.lock().remove(&g);
                self.tell_guard(&format!("-{g}\n"));
            }
        }
    }

    fn tell_guard(&self, line: &str) {
        if let Some(guard) = self.guard.lock().as_mut()
            && let Some(stdin) = guard.stdin.as_mut()
        {
            let _ = stdin.write_all(line.as_bytes());
        }
    }

    /// Process groups of plugins that may still have processes.
    pub fn live_groups(&self) -> Vec<i32> {
        self.groups.lock().iter().copied().collect()
    }

    /// Stops the spawner thread and lets the guard exit (after it killed what is left).
    pub fn shutdown(&self) {
        self.jobs.lock().take();
        if let Some(mut guard) = self.guard.lock().take() {
            drop(guard.stdin.take());
            let _ = guard.wait();
        }
    }
}

/// The pid of the guard, for tests.
impl Spawner {
    pub fn guard_pid(&self) -> Option<u32> {
        self.guard.lock().as_ref().map(|g| g.id())
    }
}

/// One process as read from `/proc/<pid>/stat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcInfo {
    pub pid: i32,
    pub ppid: i32,
    pub pgid: i32,
    pub zombie: bool,
}

/// Reads `/proc/<pid>/stat` (fields after the parenthesised command name).
pub fn proc_info(pid: i32) -> Option<ProcInfo> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_ascii_whitespace();
    let state = fields.next()?;
    let ppid = fields.next()?.parse().ok()?;
    let pgid = fields.next()?.parse().ok()?;
    Some(ProcInfo { pid, ppid, pgid, zombie: state == "Z" })
}

/// Every process of a process group (including zombies).
pub fn group_members(pgid: i32) -> Vec<ProcInfo> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(proc_info)
        .filter(|p| p.pgid == pgid)
        .collect()
}

/// Every process on the machine by process group, read from `/proc` in one pass.
pub fn processes_by_group() -> std::collections::HashMap<i32, Vec<ProcInfo>> {
    let mut out: std::collections::HashMap<i32, Vec<ProcInfo>> = std::collections::HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else { return out };
    for p in dir.flatten().filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok()).filter_map(proc_info) {
        out.entry(p.pgid).or_default().push(p);
    }
    out
}

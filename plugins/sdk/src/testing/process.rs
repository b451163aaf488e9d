//! `PluginProcess`: a plugin spawned as a real child process for a test, in its own process
//! group like the daemon does it, with its stderr captured line by line and its exit observed.
//! Dropping it SIGKILLs the whole group so no test leaves processes behind.

use std::ops::Deref;
use std::process::ExitStatus;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Child;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::HarnessError;
use super::connection::Connection;

pub struct PluginProcess {
    conn: Connection,
    child: Child,
    pid: u32,
    stderr: Arc<LineLog>,
    timeout: Duration,
}

/// The lines a plugin wrote to stderr, and whether the pipe reached EOF.
#[derive(Default)]
struct LineLog {
    state: Mutex<(Vec<String>, bool)>,
    changed: Notify,
}

impl PluginProcess {
    pub(crate) fn new(conn: Connection, mut child: Child, timeout: Duration) -> Result<Self, HarnessError> {
        let pid = child
            .id()
            .ok_or_else(|| HarnessError::Protocol("the plugin exited before it was watched".into()))?;
        let stderr = Arc::new(LineLog::default());
        if let Some(pipe) = child.stderr.take() {
            tokio::spawn(read_lines(pipe, stderr.clone()));
        }
        Ok(PluginProcess { conn, child, pid, stderr, timeout })
    }

    /// The plugin's pid, which is also its process group id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Every stderr line so far (without the newline).
    pub fn stderr_lines(&self) -> Vec<String> {
        self.stderr.state.lock().unwrap_or_else(PoisonError::into_inner).0.clone()
    }

    /// Waits for the first stderr line that satisfies `pred`.
    pub async fn wait_stderr(&self, pred: impl Fn(&str) -> bool) -> Result<String, HarnessError> {
        let deadline = Instant::now() + self.timeout;
        let mut scanned = 0;
        loop {
            let notified = self.stderr.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let state = self.stderr.state.lock().unwrap_or_else(PoisonError::into_inner);
                if let Some(line) = state.0[scanned..].iter().find(|l| pred(l)) {
                    return Ok(line.clone());
                }
                scanned = state.0.len();
                if state.1 {
                    return Err(HarnessError::Closed { what: "stderr, waiting for a matching line".into() });
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Err(HarnessError::Timeout {
                    what: "a matching stderr line".into(),
                    after: self.timeout,
                });
            }
        }
    }

    /// Waits until stderr reaches EOF (every process holding it exited) and returns all lines.
    pub async fn wait_stderr_eof(&self) -> Result<Vec<String>, HarnessError> {
        let deadline = Instant::now() + self.timeout;
        loop {
            let notified = self.stderr.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let state = self.stderr.state.lock().unwrap_or_else(PoisonError::into_inner);
                if state.1 {
                    return Ok(state.0.clone());
                }
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Err(HarnessError::Timeout { what: "stderr to close".into(), after: self.timeout });
            }
        }
    }

    /// Waits for the process to exit.
    pub async fn wait_exit(&mut self) -> Result<ExitStatus, HarnessError> {
        match tokio::time::timeout(self.timeout, self.child.wait()).await {
            Ok(status) => Ok(status?),
            Err(_) => Err(HarnessError::Timeout {
                what: format!("plugin {} to exit", self.pid),
                after: self.timeout,
            }),
        }
    }

    /// The exit status if the process has already exited.
    pub fn try_exit(&mut self) -> Result<Option<ExitStatus>, HarnessError> {
        Ok(self.child.try_wait()?)
    }

    /// Sends a signal to the plugin process alone.
    pub fn signal(&self, signal: Signal) -> Result<(), HarnessError> {
        kill(pid(self.pid), signal).map_err(|e| HarnessError::Io(e.into()))
    }

    /// Sends a signal to the plugin's whole process group, as the daemon's stop does.
    pub fn signal_group(&self, signal: Signal) -> Result<(), HarnessError> {
        killpg(pid(self.pid), signal).map_err(|e| HarnessError::Io(e.into()))
    }
}

impl Deref for PluginProcess {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        &self.conn
    }
}

impl Drop for PluginProcess {
    fn drop(&mut self) {
        // The group outlives its leader while grandchildren live, so kill by group even when the
        // plugin itself already exited; an empty group just answers ESRCH.
        let _ = killpg(pid(self.pid), Signal::SIGKILL);
        let _ = self.child.start_kill();
    }
}

fn pid(pid: u32) -> Pid {
    Pid::from_raw(i32::try_from(pid).expect("pids fit in i32 on every Unix"))
}

async fn read_lines<R: AsyncRead + Unpin>(pipe: R, log: Arc<LineLog>) {
    let mut reader = BufReader::new(pipe);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let line = String::from_utf8_lossy(line).into_owned();
        log.state.lock().unwrap_or_else(PoisonError::into_inner).0.push(line);
        log.changed.notify_waiters();
    }
    log.state.lock().unwrap_or_else(PoisonError::into_inner).1 = true;
    log.changed.notify_waiters();
}

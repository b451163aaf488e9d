//! Running bkgctl under a pseudo-terminal, as a person at a terminal would: the child gets a
//! new session with the PTY as its controlling terminal (so `/dev/tty` prompts work), and a
//! reader thread collects everything it draws.

use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nix::pty::{Winsize, openpty};
use tokio::sync::Notify;

pub struct Pty {
    child: Child,
    master: std::fs::File,
    screen: Arc<Mutex<Vec<u8>>>,
    changed: Arc<Notify>,
    reader: std::thread::JoinHandle<()>,
}

/// Keeps the terminal's descriptors out of processes that other tests spawn meanwhile, which
/// would otherwise hold the terminal open after our child exits.
fn cloexec(fd: &OwnedFd) {
    use nix::fcntl::{FcntlArg, FdFlag, fcntl};
    fcntl(fd, FcntlArg::F_SETFD(FdFlag::FD_CLOEXEC)).unwrap();
}

impl Pty {
    /// Starts `cmd` on a new 100x30 terminal.
    pub fn spawn(mut cmd: Command) -> Self {
        let size = Winsize { ws_row: 30, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0 };
        let pty = openpty(Some(&size), None).unwrap();
        cloexec(&pty.master);
        cloexec(&pty.slave);
        let slave: OwnedFd = pty.slave;
        cmd.stdin(slave.try_clone().unwrap())
            .stdout(slave.try_clone().unwrap())
            .stderr(slave)
            .env("TERM", "xterm-256color");
        #[allow(unsafe_code)]
        // SAFETY: runs in the child between fork and exec, where only async-signal-safe calls
        // are allowed; setsid and ioctl are, and nothing here allocates or takes a lock.
        unsafe {
            cmd.pre_exec(|| {
                nix::unistd::setsid().map_err(std::io::Error::from)?;
                if nix::libc::ioctl(0, nix::libc::TIOCSCTTY as _, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().unwrap();
        // The Command held the only other copies of the slave; without them the reader sees
        // EOF (EIO) when the child's last process closes the terminal.
        drop(cmd);
        let master = std::fs::File::from(pty.master);
        let screen = Arc::new(Mutex::new(Vec::new()));
        let changed = Arc::new(Notify::new());
        let mut reader = master.try_clone().unwrap();
        let (s, n) = (screen.clone(), changed.clone());
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(k) => {
                        s.lock().unwrap().extend_from_slice(&buf[..k]);
                        n.notify_waiters();
                    }
                }
            }
            n.notify_waiters();
        });
        Self { child, master, screen, changed, reader }
    }

    /// Everything drawn so far, escape sequences included.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).into_owned()
    }

    /// Waits until the output contains `needle`; returns the output.
    pub async fn wait_for(&self, needle: &str) -> String {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            // Read before looking, so bytes the reader added just before it finished count.
            let closed = self.reader.is_finished();
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            // The terminal closed (the child is gone): it cannot show up anymore.
            assert!(!closed, "the terminal closed without showing {needle:?}:\n{screen}");
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!("timed out waiting for {needle:?} on the terminal; it shows:\n{screen}");
            }
        }
    }

    /// Types `text` on the terminal.
    pub fn type_text(&mut self, text: &str) {
        self.master.write_all(text.as_bytes()).unwrap();
    }

    /// Waits for the child to exit and for its output to be read; returns both.
    pub async fn finish(self) -> (ExitStatus, String) {
        let Pty { mut child, master, screen, reader, .. } = self;
        let status = tokio::task::spawn_blocking(move || child.wait().unwrap()).await.unwrap();
        // The reader ends at the terminal's EOF, right after the child's exit.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !reader.is_finished() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        drop(master);
        let text = String::from_utf8_lossy(&screen.lock().unwrap()).into_owned();
        (status, text)
    }
}

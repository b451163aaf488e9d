//! systemd's notify protocol (`Type=notify`): tells the service manager when bkgd is ready,
//! when it is stopping, and that its event loop is alive (`WatchdogSec=`).
//!
//! The protocol is one datagram per message on the socket named by `$NOTIFY_SOCKET` (a path,
//! or an abstract name written with a leading `@`), so it needs no library. The binary calls
//! [`from_env`] once, before any thread exists, which also removes the variables: plugins
//! inherit bkgd's environment and must not speak for it (the unit also says `NotifyAccess=main`).
//! Without the variables (bkgd run by hand, or [`crate::run`] inside a test) every call is a
//! no-op.

use std::os::unix::net::UnixDatagram;
use std::sync::OnceLock;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

static NOTIFIER: OnceLock<Notifier> = OnceLock::new();

#[derive(Debug)]
struct Notifier {
    socket: String,
    watchdog: Option<Duration>,
}

/// Reads and removes `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID`.
///
/// # Safety
/// Must be called while the process has a single thread (changing the environment races with
/// any other thread reading it).
#[allow(unsafe_code)]
pub unsafe fn from_env() {
    let socket = std::env::var("NOTIFY_SOCKET").ok().filter(|s| !s.is_empty());
    // The watchdog is ours only when systemd names our pid (or no pid at all).
    let for_us = std::env::var("WATCHDOG_PID")
        .ok()
        .is_none_or(|pid| pid.trim().parse::<u32>().ok() == Some(std::process::id()));
    let watchdog = std::env::var("WATCHDOG_USEC")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|usec| *usec > 0 && for_us)
        .map(Duration::from_micros);
    for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"] {
        // SAFETY: the caller guarantees that no other thread exists yet.
        unsafe { std::env::remove_var(name) };
    }
    if let Some(socket) = socket {
        let _ = NOTIFIER.set(Notifier { socket, watchdog });
    }
}

/// Sends one message; failures are logged and otherwise ignored (a service manager that went
/// away must not take the daemon with it).
fn send(message: &str) {
    let Some(n) = NOTIFIER.get() else { return };
    if let Err(e) = send_to(&n.socket, message) {
        tracing::warn!(socket = %n.socket, error = %e, "cannot notify the service manager");
    }
}

fn send_to(socket: &str, message: &str) -> std::io::Result<()> {
    let sock = UnixDatagram::unbound()?;
    // Never block a runtime thread on a service manager that does not read: a full queue
    // drops the message (a missed watchdog ping is what such a manager would want anyway).
    sock.set_nonblocking(true)?;
    match socket.strip_prefix('@') {
        Some(name) => {
            use std::os::linux::net::SocketAddrExt;
            let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())?;
            sock.send_to_addr(message.as_bytes(), &addr)?;
        }
        None => {
            sock.send_to(message.as_bytes(), socket)?;
        }
    }
    Ok(())
}

/// bkgd serves: the database is open, the plugins are started, the listener accepts. Starts
/// the watchdog pings when systemd asked for them; they stop with `token`.
pub fn ready(token: &CancellationToken) {
    let Some(n) = NOTIFIER.get() else { return };
    send(&format!("READY=1\nMAINPID={}\nSTATUS=serving", std::process::id()));
    if let Some(interval) = n.watchdog {
        let token = token.clone();
        // Half the deadline, as sd_watchdog_enabled(3) advises: a ping comes from the runtime's
        // own timer, so a wedged event loop stops the pings and systemd restarts bkgd.
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(interval / 2);
            loop {
                tokio::select! {
                    _ = token.cancelled() => break,
                    _ = tick.tick() => send("WATCHDOG=1"),
                }
            }
        });
    }
}

/// bkgd begins to shut down (systemd then waits for it, up to `TimeoutStopSec=`).
pub fn stopping() {
    send("STOPPING=1\nSTATUS=stopping plugins");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_to_a_path_and_to_an_abstract_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify.sock");
        let by_path = UnixDatagram::bind(&path).unwrap();
        send_to(path.to_str().unwrap(), "READY=1").unwrap();
        let mut buf = [0u8; 64];
        let n = by_path.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"READY=1");

        use std::os::linux::net::SocketAddrExt;
        let name = format!("bkgd-notify-test-{}", std::process::id());
        let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
        let abstract_sock = UnixDatagram::bind_addr(&addr).unwrap();
        send_to(&format!("@{name}"), "WATCHDOG=1").unwrap();
        let n = abstract_sock.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"WATCHDOG=1");
    }
}

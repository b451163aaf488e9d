//! Reading passwords and tokens: from the terminal without echo, or from stdin for scripts.
//! Secrets are never flags, so they never land in shell history or `ps` output.

use std::io::{BufRead, IsTerminal, Read, Write};

use crate::exit::Fail;

/// Reads a secret from stdin (`--password-stdin`, `--with-token`): everything up to the end,
/// without the final line break.
pub fn secret_from_stdin(what: &str) -> anyhow::Result<String> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let secret = text.strip_suffix('\n').map(|s| s.strip_suffix('\r').unwrap_or(s)).unwrap_or(&text);
    if secret.is_empty() {
        return Err(Fail::usage(format!("no {what} on stdin")).into());
    }
    Ok(secret.to_string())
}

/// Asks for a secret on the terminal without echoing it.
pub fn secret_from_tty(prompt: &str, flag: &str) -> anyhow::Result<String> {
    // Prompting on /dev/tty while stdin is a pipe would stall a script that forgot the flag
    // (or steal the terminal of whoever started it): ask only in an interactive session.
    if !std::io::stdin().is_terminal() {
        return Err(
            Fail::usage(format!("stdin is not a terminal; pass {flag} and pipe the secret in")).into()
        );
    }
    let secret = read_hidden(prompt).map_err(|e| {
        Fail::usage(format!("cannot prompt for it on a terminal ({e}); pass {flag} and pipe it in"))
    })?;
    if secret.is_empty() {
        return Err(Fail::usage("empty input").into());
    }
    Ok(secret)
}

/// Turns echo off on the controlling terminal, then prompts and reads one line.
///
/// The order matters: a prompt printed while echo is still on (as `rpassword` does) lets a
/// fast typist, a paste or an `expect` script send the secret before echo goes off, and the
/// terminal then shows it in clear text.
#[cfg(unix)]
fn read_hidden(prompt: &str) -> std::io::Result<String> {
    use nix::sys::termios::{self, LocalFlags, SetArg};

    /// Puts the terminal back as it was, also when reading fails.
    struct Restore<'a> {
        tty: &'a std::fs::File,
        saved: termios::Termios,
    }
    impl Drop for Restore<'_> {
        fn drop(&mut self) {
            let _ = termios::tcsetattr(self.tty, SetArg::TCSANOW, &self.saved);
        }
    }

    let tty = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty")?;
    let saved = termios::tcgetattr(&tty)?;
    let mut hidden = saved.clone();
    hidden.local_flags.remove(LocalFlags::ECHO);
    // The user still sees the line end when they press Enter.
    hidden.local_flags.insert(LocalFlags::ECHONL);
    termios::tcsetattr(&tty, SetArg::TCSANOW, &hidden)?;
    let restore = Restore { tty: &tty, saved };

    let mut out = restore.tty;
    write!(out, "{prompt}")?;
    out.flush()?;
    let mut line = String::new();
    std::io::BufReader::new(restore.tty).read_line(&mut line)?;
    drop(restore);
    let line = line.strip_suffix('\n').map(|s| s.strip_suffix('\r').unwrap_or(s)).unwrap_or(&line);
    Ok(line.to_string())
}

#[cfg(not(unix))]
fn read_hidden(prompt: &str) -> std::io::Result<String> {
    rpassword::prompt_password(prompt)
}

/// Asks for a new password twice.
pub fn new_password(flag: &str) -> anyhow::Result<String> {
    let first = secret_from_tty("New password: ", flag)?;
    let second = secret_from_tty("Repeat it: ", flag)?;
    if first != second {
        return Err(Fail::usage("the two passwords differ").into());
    }
    Ok(first)
}

/// Asks for a visible value (a username) on the terminal.
pub fn line(prompt: &str, flag: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(Fail::usage(format!("not on a terminal; pass {flag}")).into());
    }
    let mut err = std::io::stderr();
    write!(err, "{prompt}")?;
    err.flush()?;
    let mut text = String::new();
    stdin.lock().read_line(&mut text)?;
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(Fail::usage("empty input").into());
    }
    Ok(text)
}

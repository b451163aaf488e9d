//! The modes of the test plugin: the well-behaved server and the misbehaviours a supervisor
//! must survive (crashes, ignored signals, stray processes, stuck or wrong handshakes, log
//! floods, garbage on the protocol stream).

use std::io::{BufRead, BufWriter, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use bkg_core::protocol::{PluginHello, PluginMessage, ProtocolVersion};
use bkg_plugin_sdk::{Plugin, RunError, capability, log};
use serde_json::json;

use crate::capabilities;

/// Width of the sequence number at the start of every flood line.
const SEQ_DIGITS: usize = 10;

fn run(plugin: Plugin) -> Result<(), String> {
    plugin.run_blocking().map_err(|e: RunError| e.to_string())
}

pub fn serve() -> Result<(), String> {
    run(capabilities::plugin())
}

/// `serve` on tokio's current-thread runtime instead of the SDK's multi-thread one (a worker
/// per core, made right after the hello), through the async `Plugin::run`: a protocol child
/// nearly as cheap to start and to end as `bare-idle`, so the lifecycle benchmark can compare
/// the daemons rather than children.
pub fn serve_one_thread() -> Result<(), String> {
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let result = runtime.block_on(capabilities::plugin().run()).map_err(|e: RunError| e.to_string());
    runtime.shutdown_background();
    result
}

pub fn crash_now(code: i32) -> Result<(), String> {
    log::error(format_args!("crashing before the handshake with code {code}, as asked"));
    std::process::exit(code)
}

pub fn crash_after(ms: u64, code: i32) -> Result<(), String> {
    run(capabilities::plugin().on_ready(move |_session| async move {
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            log::error(format_args!("crashing after {ms} ms with code {code}, as asked"));
            std::process::exit(code);
        });
    }))
}

pub fn ignore_sigterm() -> Result<(), String> {
    ignore_sigterm_signal()?;
    run(capabilities::plugin())?;
    log::warn("the session ended; ignoring it and staying alive until SIGKILL");
    park_forever()
}

#[allow(unsafe_code)]
fn ignore_sigterm_signal() -> Result<(), String> {
    use nix::sys::signal::{SigHandler, Signal, signal};
    // SAFETY: SIG_IGN installs no handler code, so no async-signal-safety rule can be broken;
    // this runs first in main, before any thread exists that could race on the disposition.
    unsafe { signal(Signal::SIGTERM, SigHandler::SigIgn) }
        .map_err(|e| format!("cannot ignore SIGTERM: {e}"))?;
    Ok(())
}

pub fn grandchildren(n: usize) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find my own executable: {e}"))?;
    let mut children: Vec<Child> = Vec::with_capacity(n);
    for _ in 0..n {
        // stdout and stderr are inherited, like the workers a real plugin forks: a supervisor
        // that waits for the pipes' EOF must kill the whole group to get it.
        let child = Command::new(&exe)
            .arg(crate::SLEEP_FOREVER)
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot spawn a grandchild: {e}"))?;
        log::info(format_args!("spawned grandchild {}", child.id()));
        children.push(child);
    }
    let pids: Arc<Vec<u32>> = Arc::new(children.iter().map(Child::id).collect());
    let plugin = capabilities::plugin().capability(
        capability("children")
            .description("The pids of the grandchildren this plugin spawned")
            .input_schema(json!({"type": "object", "additionalProperties": false})),
        move |_ctx, _input| {
            let pids = pids.clone();
            async move { Ok(json!({"pids": *pids})) }
        },
    );
    run(plugin)
}

pub fn sleep_forever() -> Result<(), String> {
    park_forever()
}

pub fn hang_handshake() -> Result<(), String> {
    log::warn("reading stdin and never answering the hello, as asked");
    // Reading (rather than ignoring stdin) keeps the daemon's writes from blocking, so the
    // only thing it can observe is the missing hello.
    let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
    park_forever()
}

pub fn bad_protocol() -> Result<(), String> {
    let mut stdin = std::io::stdin().lock();
    let mut line = String::new();
    stdin.read_line(&mut line).map_err(|e| format!("reading the daemon's hello: {e}"))?;
    let hello = PluginMessage::Hello(PluginHello {
        protocol: ProtocolVersion { major: 2, minor: 0 },
        name: "bkg-testplugin".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        capabilities: Vec::new(),
        features: Vec::new(),
    });
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer(&mut stdout, &hello).map_err(|e| format!("writing the hello: {e}"))?;
    stdout.write_all(b"\n").and_then(|()| stdout.flush()).map_err(|e| format!("writing the hello: {e}"))?;
    drop(stdout);
    let _ = std::io::copy(&mut stdin, &mut std::io::sink());
    Ok(())
}

/// How a flood reaches its file descriptor.
#[derive(Debug, Clone, Copy)]
pub enum Writes {
    /// Through a 1 MiB buffer: many lines per write(2).
    Block,
    /// One write(2) per line, as a program that flushes every log line.
    Line,
}

fn check_flood(lines: u64, bytes: usize) -> Result<(), String> {
    if bytes < SEQ_DIGITS + 1 {
        return Err(format!(
            "<bytes> must be at least {} (the sequence number and the newline)",
            SEQ_DIGITS + 1
        ));
    }
    if lines >= 10u64.pow(SEQ_DIGITS as u32) {
        return Err(format!("<lines> must have at most {SEQ_DIGITS} digits"));
    }
    Ok(())
}

pub fn flood(lines: u64, bytes: usize, writes: Writes) -> Result<(), String> {
    check_flood(lines, bytes)?;
    run(capabilities::plugin().on_ready(move |_session| async move {
        // A plain thread: the flood is blocking writes, and the runtime must keep serving.
        std::thread::spawn(move || {
            // Holding the lock for the whole flood keeps other log lines from landing mid-line.
            if let Err(e) = write_flood(&mut std::io::stderr().lock(), lines, bytes, writes) {
                log::error(format_args!("flood failed: {e}"));
            }
        });
    }))
}

/// The flood without the plugin protocol, on stdout, for process managers that only collect
/// output (supervisord, PM2): the same bytes in the same writes as `flood`.
pub fn bare_flood(lines: u64, bytes: usize, writes: Writes) -> Result<(), String> {
    check_flood(lines, bytes)?;
    write_flood(&mut std::io::stdout().lock(), lines, bytes, writes)
        .map_err(|e| format!("flood failed: {e}"))?;
    park_forever()
}

fn write_flood(out: &mut impl Write, lines: u64, bytes: usize, writes: Writes) -> std::io::Result<()> {
    let mut line = vec![b'x'; bytes];
    line[bytes - 1] = b'\n';
    if bytes > SEQ_DIGITS + 1 {
        line[SEQ_DIGITS] = b' ';
    }
    let capacity = match writes {
        Writes::Block => 1 << 20,
        Writes::Line => 0,
    };
    let mut out = BufWriter::with_capacity(capacity, out);
    for seq in 0..lines {
        line[..SEQ_DIGITS].copy_from_slice(format!("{seq:0width$}", width = SEQ_DIGITS).as_bytes());
        // With no capacity, BufWriter hands every line to one write(2) of its own.
        out.write_all(&line)?;
    }
    writeln!(out, "flood done {lines}")?;
    out.flush()
}

pub fn stdout_garbage() -> Result<(), String> {
    run(capabilities::plugin().on_ready(|_session| async {
        // Safe to bypass the SDK's writer here: on_ready runs after the hello was flushed and
        // before any request is handled, so nothing else is writing to stdout.
        let mut stdout = std::io::stdout().lock();
        let _ =
            stdout.write_all(b"this line is not JSON\n\xff\xfe nor UTF-8\n").and_then(|()| stdout.flush());
    }))
}

fn park_forever() -> ! {
    loop {
        std::thread::park();
    }
}

//! `bkg-testplugin`: one binary with a well-behaved mode and many misbehaving ones, chosen by
//! the first argument, for the daemon's supervisor tests and benchmarks. `--help` lists them.

mod capabilities;
mod modes;

use std::process::ExitCode;

/// `(usage, description)` of every public mode, in the order `--help` shows them.
const MODES: &[(&str, &str)] = &[
    (
        "serve",
        "well behaved: echo, stream, sleep, fail, log, whoami, exit, store, model, panic; cancel, live config, callbacks, metrics",
    ),
    (
        "serve-one-thread",
        "as serve, on a current-thread runtime: a protocol child nearly as light as bare-idle, for lifecycle benchmarks",
    ),
    ("crash-now [code]", "exits with <code> (default 3) before sending hello"),
    (
        "crash-after <ms> [code]",
        "handshakes and serves, then exits with <code> (default 3) after <ms> milliseconds",
    ),
    (
        "ignore-sigterm",
        "ignores SIGTERM, handshakes and serves, then ignores goodbye and stdin EOF: only SIGKILL ends it",
    ),
    (
        "grandchildren [n]",
        "spawns <n> (default 2) grandchildren that sleep forever, lists their pids in capability `children`, then serves",
    ),
    ("hang-handshake", "reads stdin but never sends hello"),
    ("bad-protocol", "answers the daemon's hello with protocol 2.0, then reads stdin until EOF"),
    (
        "flood <lines> [bytes] [block|line]",
        "handshakes, writes <lines> stderr lines of exactly <bytes> bytes (default 100, newline included, a 10-digit sequence number first), then `flood done <lines>`, then serves; block (the default) writes through a 1 MiB buffer, line makes one write(2) per line, as a program that flushes every log line",
    ),
    (
        "bare-flood <lines> [bytes] [block|line]",
        "no protocol: the same lines on stdout, then `flood done <lines>`, then sleeps; a child for other process managers (bkg-bench peers)",
    ),
    ("bare-idle", "no protocol: sleeps until killed; an idle child for other process managers"),
    ("stdout-garbage", "handshakes, writes a non-JSON line and a non-UTF-8 line to stdout, then serves"),
];

/// The grandchildren of `grandchildren` re-run this binary in this mode, so the test plugin
/// needs no other program on the machine.
pub(crate) const SLEEP_FOREVER: &str = "sleep-forever";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(mode) = args.first() else {
        eprintln!("{}", usage());
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    let result = match mode.as_str() {
        "-h" | "--help" | "help" => {
            println!("{}", usage());
            return ExitCode::SUCCESS;
        }
        "serve" => no_args(rest).and_then(|()| modes::serve()),
        "serve-one-thread" => no_args(rest).and_then(|()| modes::serve_one_thread()),
        "crash-now" => arg_or(rest, 0, 3).and_then(modes::crash_now),
        "crash-after" => arg_required(rest, 0, "<ms>")
            .and_then(|ms| Ok((ms, arg_or(rest, 1, 3)?)))
            .and_then(|(ms, code)| modes::crash_after(ms, code)),
        "ignore-sigterm" => no_args(rest).and_then(|()| modes::ignore_sigterm()),
        "grandchildren" => arg_or(rest, 0, 2).and_then(modes::grandchildren),
        "hang-handshake" => no_args(rest).and_then(|()| modes::hang_handshake()),
        "bad-protocol" => no_args(rest).and_then(|()| modes::bad_protocol()),
        "flood" => flood_args(rest).and_then(|(lines, bytes, writes)| modes::flood(lines, bytes, writes)),
        "bare-flood" => {
            flood_args(rest).and_then(|(lines, bytes, writes)| modes::bare_flood(lines, bytes, writes))
        }
        "bare-idle" => no_args(rest).and_then(|()| modes::sleep_forever()),
        "stdout-garbage" => no_args(rest).and_then(|()| modes::stdout_garbage()),
        SLEEP_FOREVER => modes::sleep_forever(),
        other => Err(format!("unknown mode {other:?}\n\n{}", usage())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            bkg_plugin_sdk::log::error(message);
            ExitCode::FAILURE
        }
    }
}

fn usage() -> String {
    let width = MODES.iter().map(|(u, _)| u.len()).max().unwrap_or(0);
    let mut text = String::from("usage: bkg-testplugin <mode> [args]\n\nmodes:\n");
    for (mode, description) in MODES {
        text.push_str(&format!("  {mode:width$}  {description}\n"));
    }
    text
}

fn flood_args(rest: &[String]) -> Result<(u64, usize, modes::Writes), String> {
    if rest.len() > 3 {
        return Err(format!("unexpected arguments {:?}", &rest[3..]));
    }
    let writes = match rest.get(2).map(String::as_str) {
        None | Some("block") => modes::Writes::Block,
        Some("line") => modes::Writes::Line,
        Some(other) => return Err(format!("invalid write mode {other:?}: block or line")),
    };
    Ok((arg_required(rest, 0, "<lines>")?, arg_or(rest, 1, 100)?, writes))
}

fn no_args(rest: &[String]) -> Result<(), String> {
    if rest.is_empty() { Ok(()) } else { Err(format!("unexpected arguments {rest:?}")) }
}

fn arg_required<T: std::str::FromStr>(rest: &[String], index: usize, name: &str) -> Result<T, String> {
    let raw = rest.get(index).ok_or_else(|| format!("missing argument {name}"))?;
    raw.parse().map_err(|_| format!("invalid {name}: {raw:?}"))
}

fn arg_or<T: std::str::FromStr>(rest: &[String], index: usize, default: T) -> Result<T, String> {
    match rest.get(index) {
        None => Ok(default),
        Some(raw) => raw.parse().map_err(|_| format!("invalid argument {raw:?}")),
    }
}

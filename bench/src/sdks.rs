//! `bkg-bench sdks`: protocol overhead per invocation of the Rust, Python and Node SDKs (the
//! conformance plugins' `echo`, driven through the SDK's daemon harness with a fixed number
//! in flight), and repoagent's `code.analyze` on this repository (wall time, peak RSS) against
//! `tokei` counting the same tree, interleaved in one run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use bkg_plugin_sdk::testing::TestDaemon;
use clap::Args as ClapArgs;
use serde_json::json;

#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Invocations per SDK.
    #[arg(long, default_value_t = 10_000)]
    calls: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 8)]
    in_flight: usize,
    /// Rounds of the analysis comparison (median reported).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn echo(name: &str, argv: Vec<String>, env: &[(&str, String)], args: &Args) -> anyhow::Result<()> {
    let mut daemon = TestDaemon::new();
    for (k, v) in env {
        daemon = daemon.env(k, v);
    }
    let plugin = daemon.start(&argv).await.with_context(|| format!("starting the {name} plugin"))?;
    let conn = plugin.connection().clone();
    // Warm up (imports, JIT) before measuring.
    for _ in 0..200 {
        conn.invoke("echo", json!({"n": 0})).await?;
    }
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(args.calls);
    let mut next = 0;
    let mut flying = futures_util::stream::FuturesUnordered::new();
    use futures_util::StreamExt;
    while next < args.calls || !flying.is_empty() {
        while next < args.calls && flying.len() < args.in_flight {
            let c = conn.clone();
            let n = next;
            flying.push(async move {
                let t = Instant::now();
                let out = c.invoke("echo", json!({"n": n})).await;
                (t.elapsed(), out)
            });
            next += 1;
        }
        if let Some((took, out)) = flying.next().await {
            ensure!(out?.result.is_ok(), "{name}: echo failed");
            latencies.push(took);
        }
    }
    let wall = started.elapsed();
    latencies.sort();
    println!(
        "{name:>6}: {:>8.0} calls/s   p50 {:>7.3} ms   p99 {:>7.3} ms   ({} calls, {} in flight)",
        args.calls as f64 / wall.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        args.calls,
        args.in_flight
    );
    Ok(())
}

/// tokei from crates.io, installed once into the cache.
fn tokei() -> anyhow::Result<PathBuf> {
    let root = dirs_cache().join("bkg/tools");
    let bin = root.join("bin/tokei");
    if !bin.is_file() {
        eprintln!("installing tokei 12.1.2 into {} (once)", root.display());
        let ok = Command::new("cargo")
            .args(["install", "--quiet", "--locked", "tokei", "--version", "12.1.2", "--root"])
            .arg(&root)
            .status()?;
        ensure!(ok.success(), "cargo install tokei failed");
    }
    Ok(bin)
}

fn dirs_cache() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache"))
}

/// The wall time of a command that must succeed.
fn timed(cmd: &mut Command) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let out = cmd.output()?;
    ensure!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    Ok(started.elapsed())
}

fn venv_python() -> anyhow::Result<PathBuf> {
    let venv = dirs_cache().join("bkg/sdk-python-venv/bin/python");
    ensure!(
        venv.is_file(),
        "{} is missing: run scripts/test-sdks once (it installs repoagent's requirements)",
        venv.display()
    );
    Ok(venv)
}

/// repoagent's analysis through its plugin process, timed end to end, with the process's peak
/// RSS read from /proc before it exits.
async fn repoagent_once(python: &Path, data: &Path) -> anyhow::Result<(Duration, f64, u64)> {
    let sdk = repo().join("plugins/sdk-python");
    let daemon = TestDaemon::new()
        .data_dir(data, &[repo().canonicalize()?])
        .env("PYTHONPATH", sdk)
        .current_dir(repo().join("plugins/repoagent"))
        .timeout(Duration::from_secs(600));
    let plugin = daemon.start([python.to_path_buf(), "repoagent.py".into()]).await?;
    let started = Instant::now();
    let out = plugin.invoke("code.analyze", json!({"path": repo().canonicalize()?})).await?;
    let took = started.elapsed();
    let status = std::fs::read_to_string(format!("/proc/{}/status", plugin.pid()))?;
    let hwm_kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    let code = out.output()["code"].as_u64().unwrap_or(0);
    Ok((took, hwm_kb / 1024.0, code))
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    println!("== protocol overhead per invocation: echo through each SDK's conformance plugin");
    let testplugin = std::env::current_exe()?.with_file_name("bkg-testplugin");
    let sdk_python = repo().join("plugins/sdk-python");
    let node_path = tempfile::tempdir()?;
    std::fs::create_dir_all(node_path.path().join("@bkg"))?;
    std::os::unix::fs::symlink(
        repo().join("plugins/sdk-node").canonicalize()?,
        node_path.path().join("@bkg/plugin-sdk"),
    )?;
    echo("rust", vec![testplugin.display().to_string(), "serve".into()], &[], &args).await?;
    echo(
        "python",
        vec!["python3".into(), sdk_python.join("examples/conformance.py").display().to_string()],
        &[],
        &args,
    )
    .await?;
    echo(
        "node",
        vec!["node".into(), repo().join("plugins/sdk-node/examples/conformance.js").display().to_string()],
        &[("NODE_PATH", node_path.path().display().to_string())],
        &args,
    )
    .await?;

    println!("== repoagent code.analyze on this repository vs tokei, interleaved, median of {}", args.rounds);
    let python = venv_python()?;
    let tokei = tokei()?;
    let data = tempfile::tempdir()?;
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let (mut rss, mut code) = (0.0f64, 0);
    for _ in 0..args.rounds {
        let (t, r, c) = repoagent_once(&python, data.path()).await?;
        ours.push(t);
        rss = rss.max(r);
        code = c;
        theirs.push(timed(Command::new(&tokei).arg(repo()).arg("--output").arg("json"))?);
    }
    ours.sort();
    theirs.sort();
    let (o, t) = (ours[ours.len() / 2], theirs[theirs.len() / 2]);
    println!(
        "repoagent: {:.3} s, peak RSS {rss:.1} MB, {code} lines of code (symbols and complexity included)",
        o.as_secs_f64()
    );
    println!(
        "    tokei: {:.3} s (line counts only)   ratio repoagent/tokei: {:.2}x the time",
        t.as_secs_f64(),
        o.as_secs_f64() / t.as_secs_f64()
    );
    Ok(())
}

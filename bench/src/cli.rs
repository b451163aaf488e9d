//! The bkgctl benchmark of the CLI issue: whole-command wall time of `bkgctl plugins start X`
//! and `bkgctl plugins ls -o json` against a running release bkgd (process spawn to exit, as a
//! shell script sees it), median over at least 20 runs, next to the spawn floor and the bare
//! REST call so the CLI's own share is visible.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};

use crate::daemon::{Daemon, bin};
use crate::stats::{median, ms};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Runs of each command (the median is reported; at least 20).
    #[arg(long, default_value_t = 30)]
    runs: usize,
}

/// Runs bkgctl once and returns its wall time; fails on a non-zero exit.
fn time_bkgctl(exe: &Path, env: &[(&str, String)], args: &[&str]) -> anyhow::Result<Duration> {
    let mut cmd = Command::new(exe);
    cmd.args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    for var in ["BKG_URL", "BKG_TOKEN", "BKGCTL_CONTEXT", "BKGCTL_CONFIG_DIR"] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let t = Instant::now();
    let out = cmd.output().context("cannot run bkgctl")?;
    let elapsed = t.elapsed();
    ensure!(out.status.success(), "bkgctl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    Ok(elapsed)
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    ensure!(args.runs >= 20, "--runs must be at least 20");
    let exe = bin("bkgctl")?;
    println!("# bkgctl benchmark (median of {} runs each)\n", args.runs);

    let mut floor = Vec::new();
    for _ in 0..args.runs {
        let t = Instant::now();
        Command::new("/bin/true").status()?;
        floor.push(t.elapsed());
    }

    let d = Daemon::start(&[("p", vec!["serve".into()])], &[]).await?;
    let client = d.client.clone();
    let token = client.token().map(str::to_owned);
    let config_dir = tempfile::tempdir()?;
    let mut env = vec![
        ("BKG_URL", client.base_url().to_string()),
        ("BKGCTL_CONFIG_DIR", config_dir.path().display().to_string()),
    ];
    if let Some(t) = token {
        env.push(("BKG_TOKEN", t));
    }

    // Warm the page cache and the daemon's first-request paths.
    time_bkgctl(&exe, &env, &["plugins", "ls", "-o", "json"])?;
    client.start("p").await?;
    client.stop("p").await?;

    let (mut start, mut rest_start, mut ls) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..args.runs {
        start.push(time_bkgctl(&exe, &env, &["plugins", "start", "p"])?);
        client.stop("p").await?;
        let t = Instant::now();
        client.start("p").await?;
        rest_start.push(t.elapsed());
        client.stop("p").await?;
    }
    client.start("p").await?;
    for _ in 0..args.runs {
        ls.push(time_bkgctl(&exe, &env, &["plugins", "ls", "-o", "json"])?);
    }
    d.stop().await?;

    println!("| measurement | bkg | anchors | target |");
    println!("|---|---|---|---|");
    println!("| spawn floor (fork/exec/wait /bin/true) | {} | | |", ms(median(floor)));
    println!("| REST start -> running, in-process typed client | {} | | |", ms(median(rest_start)));
    println!(
        "| `bkgctl plugins start p`, whole command | {} | supervisorctl start 122 ms / pm2 start 229 ms | <= 15 ms |",
        ms(median(start))
    );
    println!(
        "| `bkgctl plugins ls -o json`, whole command | {} | pm2 jlist 212 ms | <= 12 ms |",
        ms(median(ls))
    );
    Ok(())
}

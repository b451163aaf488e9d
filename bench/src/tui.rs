//! The bkg-tui benchmark of issue 10: the release `bkg-tui` in tmux (100x30) on the dashboard
//! of a plugin that logs 10,000 lines/s for 30 s, while six more plugins report telemetry.
//! Reports bkg-tui's CPU % and RSS (from /proc), frame time p50/p99, line-to-screen delay
//! p99 (daemon read time of the newest line to the frame showing it flushed) and startup to
//! first frame, the last three written by bkg-tui itself (`BKG_TUI_STATS`).
//!
//! The load is the test plugin's `log` capability asked for 1,000 lines every 100 ms: ten
//! bursts a second rather than a steady trickle, which is what a busy plugin's stderr looks
//! like to the daemon's line reader anyway (it reads in chunks).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use serde_json::{Value, json};

use crate::daemon::{Daemon, bin};
use crate::daemon::{TICKS_PER_SEC, cpu_ticks, status_kb};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Seconds of flooding.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Lines per second.
    #[arg(long, default_value_t = 10_000)]
    rate: u64,
}

const FLOOD: &str = "a-flood";

fn tmux(socket: &str, args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new("tmux").args(["-L", socket]).args(args).output().context("cannot run tmux")?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

async fn wait_screen(socket: &str, text: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if tmux(socket, &["capture-pane", "-p", "-t", "b"])?.contains(text) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    bail!("bkg-tui never showed {text:?}")
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let exe = bin("bkg-tui")?;
    ensure!(args.rate >= 10, "--rate must be at least 10");
    let mut plugins = vec![(FLOOD, vec!["serve".to_string()])];
    let others: Vec<String> = (1..=6).map(|i| format!("p{i}")).collect();
    plugins.extend(others.iter().map(|id| (id.as_str(), vec!["serve".to_string()])));
    let d = Daemon::start(&plugins, &[]).await?;
    for (id, _) in &plugins {
        d.client.start(id).await?;
    }
    let token = d.client.token().context("the bench daemon has auth")?.to_string();
    let url = d.client.base_url().to_string();
    let dir = tempfile::tempdir()?;
    let stats_path = dir.path().join("stats.json");
    let socket = format!("bkg-bench-tui-{}", std::process::id());
    let started = Instant::now();
    let status = Command::new("tmux")
        .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "-s", "b"])
        .args(["-e", &format!("BKG_URL={url}"), "-e", &format!("BKG_TOKEN={token}")])
        .args(["-e", &format!("BKGCTL_CONFIG_DIR={}", dir.path().display())])
        .args(["-e", &format!("BKG_TUI_STATS={}", stats_path.display()), "-e", "TERM=xterm-256color"])
        .arg(exe.display().to_string())
        .env_remove("TMUX")
        .status()?;
    ensure!(status.success(), "tmux new-session failed");
    let result = measure(&d, &socket, &stats_path, started, &args).await;
    let _ = tmux(&socket, &["kill-server"]);
    result
}

async fn measure(
    d: &Daemon,
    socket: &str,
    stats_path: &Path,
    started: Instant,
    args: &Args,
) -> anyhow::Result<()> {
    wait_screen(socket, FLOOD).await?;
    let startup_seen = started.elapsed();
    let pid: u32 = tmux(socket, &["display", "-p", "-t", "b", "#{pane_pid}"])?.trim().parse()?;
    tmux(socket, &["send-keys", "-t", "b", "Enter"])?;
    wait_screen(socket, &format!("Logs {FLOOD}")).await?;

    let t0 = Instant::now();
    let cpu0 = cpu_ticks(pid);
    let mut rss_max = 0;
    let burst = args.rate / 10;
    let mut next = tokio::time::Instant::now();
    let end = t0 + Duration::from_secs(args.seconds);
    let mut sent = 0u64;
    while Instant::now() < end {
        let client = d.client.clone();
        tokio::spawn(async move {
            let _ = client.invoke(FLOOD, "log", &json!({"count": burst, "message": "flood line"})).await;
        });
        sent += burst;
        rss_max = rss_max.max(status_kb(pid, "VmRSS"));
        next += Duration::from_millis(100);
        tokio::time::sleep_until(next).await;
    }
    let elapsed = t0.elapsed().as_secs_f64();
    let cpu = (cpu_ticks(pid) - cpu0) as f64 / TICKS_PER_SEC / elapsed * 100.0;
    let hwm = status_kb(pid, "VmHWM");
    tmux(socket, &["send-keys", "-t", "b", "q"])?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !stats_path.is_file() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let stats: Value =
        serde_json::from_str(&std::fs::read_to_string(stats_path).context("bkg-tui wrote no stats")?)?;
    let f = |k: &str| stats[k].as_f64().unwrap_or(f64::NAN);
    println!(
        "# bkg-tui benchmark: {} lines/s for {} s on one dashboard, 6 more plugins' telemetry\n",
        args.rate, args.seconds
    );
    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!("| lines asked for | {sent} | |");
    println!("| events applied by the loop | {} | |", stats["events"]);
    println!("| frames drawn | {} ({:.1}/s) | at most ~60/s |", stats["frames"], f("frames") / elapsed);
    println!("| bkg-tui CPU | {cpu:.1} % of one core | |");
    println!(
        "| bkg-tui RSS | {:.1} MiB (largest sample), {:.1} MiB peak (VmHWM) | |",
        rss_max as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    println!("| frame time p50 / p99 | {:.2} / {:.2} ms | < 16 ms |", f("frameMsP50"), f("frameMsP99"));
    println!(
        "| line-to-screen p50 / p99 | {:.1} / {:.1} ms | |",
        f("lineToScreenMsP50"),
        f("lineToScreenMsP99")
    );
    println!(
        "| startup to first frame | {:.1} ms (in-process); {:.0} ms until tmux showed the list | |",
        f("firstFrameMs"),
        startup_seen.as_secs_f64() * 1000.0
    );
    Ok(())
}

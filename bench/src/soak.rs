//! Soak and fault runs against a real bkgd (issue 16): plugin crash cycles (no zombies, no
//! orphans, memory and file descriptors flat), many WebSocket clients over six plugins with a
//! few that never read (the others lose nothing, memory bounded and given back), and `kill -9`
//! of bkgd during 100 concurrent key creations and during a hot swap under load (nothing
//! acknowledged is lost, no half state after the restart). `--short` is the form CI runs; the
//! defaults are the long soak. Every check that fails ends the run with an error.
//!
//! (`kill -9` during a model download is `bkg-bench models` and the daemon's test
//! `a_download_resumes_after_kill_9_and_fetches_little_twice`; a full disk is the daemon's test
//! `a_full_data_dir_refuses_writes_clearly_and_recovers`.)

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use bkg_core::auth::{CreateApiKey, Role};
use bkg_core::client::Client;
use bkg_core::plugin::PluginState;
use bkg_core::ws::{ServerMessage, Topic};
use serde_json::json;

use crate::daemon::Daemon;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The short form CI runs: 100 crash cycles, 120 WebSocket clients, 3 hot swaps.
    #[arg(long)]
    short: bool,
    /// Plugin crash cycles.
    #[arg(long, default_value_t = 1000)]
    cycles: usize,
    /// WebSocket clients over six plugins (10 of them never read).
    #[arg(long, default_value_t = 1000)]
    clients: usize,
    /// Log lines each plugin writes while the clients are connected.
    #[arg(long, default_value_t = 1000)]
    lines: u64,
    /// Hot swaps under load with `kill -9` of bkgd in the middle.
    #[arg(long, default_value_t = 20)]
    swaps: usize,
}

/// A restart policy that never gives up, so every crash is followed by a restart.
const ENDLESS_RESTARTS: &str = "[restart]\ninitialBackoffMs = 1\nmaxBackoffMs = 5\nmultiplier = 2.0\njitter = 0.0\nmaxFastFailures = 100000\nstableAfterMs = 60000\n";

pub async fn run(mut args: Args) -> anyhow::Result<()> {
    if args.short {
        args.cycles = 100;
        args.clients = 120;
        args.lines = 200;
        args.swaps = 3;
    }
    println!(
        "# soak: {} crash cycles, {} WebSocket clients x {} lines, 100 keys under kill -9, {} hot swaps under kill -9\n",
        args.cycles, args.clients, args.lines, args.swaps
    );
    let started = Instant::now();
    crash_cycles(args.cycles).await.context("crash cycles")?;
    websocket_clients(args.clients, args.lines).await.context("WebSocket clients")?;
    keys_under_kill().await.context("kill -9 during key creations")?;
    swaps_under_kill(args.swaps).await.context("kill -9 during hot swaps")?;
    println!("\nsoak passed in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

async fn wait_for<F, Fut>(what: &str, mut f: F) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(60);
    while !f().await {
        if Instant::now() > deadline {
            bail!("timed out waiting until {what}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(())
}

/// Every process, as `(pid, ppid, zombie, command line)`.
fn processes() -> Vec<(u32, u32, bool, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let Some((_, rest)) = stat.rsplit_once(')') else { continue };
        let f: Vec<&str> = rest.split_whitespace().collect();
        let (Some(state), Some(ppid)) = (f.first(), f.get(1).and_then(|p| p.parse().ok())) else { continue };
        let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        out.push((pid, ppid, *state == "Z", cmd));
    }
    out
}

/// This daemon's plugin processes, alive or not yet reaped, wherever they were re-parented:
/// the ones whose environment has a plugin data dir under the daemon's folder.
fn plugin_processes(d: &Daemon) -> Vec<(u32, u32, bool, String)> {
    let marker = format!("BKG_PLUGIN_DATA_DIR={}", d.root().display());
    processes()
        .into_iter()
        .filter(|p| {
            std::fs::read(format!("/proc/{}/environ", p.0))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|kv| kv.starts_with(marker.as_bytes())))
        })
        .collect()
}

fn fds(d: &Daemon) -> usize {
    std::fs::read_dir(format!("/proc/{}/fd", d.pid())).map(|r| r.count()).unwrap_or(0)
}

async fn crash_cycles(cycles: usize) -> anyhow::Result<()> {
    // Each crash logs a few lines into the plugin's in-memory ring; a small ring is full after
    // the warm-up, so what grows after it is a leak and not the ring filling (10,000 lines by
    // default, about 10 MB: 2,500 crashes).
    let d = Daemon::start_with(
        &[("c", vec!["serve".into()], ENDLESS_RESTARTS)],
        &[("BKG_LOGS__RING_LINES", "100")],
    )
    .await?;
    d.client.start("c").await?;
    let warm = (cycles / 10).max(5);
    let (mut rss0, mut fds0) = (0, 0);
    let t = Instant::now();
    for i in 0..cycles {
        if i == warm {
            rss0 = d.status_kb("VmRSS");
            fds0 = fds(&d);
        }
        let s = d.client.plugin_status("c").await?;
        let pid = s.pid.context("a running plugin has a pid")?;
        let _ = std::process::Command::new("kill").args(["-KILL", &pid.to_string()]).status();
        wait_for("the crashed plugin runs again", || async {
            d.client.plugin_status("c").await.is_ok_and(|n| n.status == PluginState::Running && n.run > s.run)
        })
        .await?;
    }
    let elapsed = t.elapsed();
    let last = d.client.plugin_status("c").await?;
    let pid = last.pid.context("running")?;
    wait_for("only the current plugin process is left", || async {
        plugin_processes(&d).iter().all(|p| p.0 == pid)
    })
    .await?;
    let zombies = processes().iter().filter(|p| p.1 == d.pid() && p.2).count();
    let orphans = plugin_processes(&d).iter().filter(|p| p.0 != pid).count();
    let (rss1, fds1) = (d.status_kb("VmRSS"), fds(&d));
    println!(
        "crash cycles: {cycles} in {:.1} s, run {} now; zombies {zombies}, orphans {orphans}; bkgd RSS {:.1} -> {:.1} MB, fds {fds0} -> {fds1} (after {warm} warm-up cycles)",
        elapsed.as_secs_f64(),
        last.run,
        rss0 as f64 / 1024.0,
        rss1 as f64 / 1024.0,
    );
    ensure!(zombies == 0 && orphans == 0, "zombies {zombies}, orphans {orphans}");
    ensure!(fds1 <= fds0 + 4, "file descriptors grew: {fds0} -> {fds1}");
    ensure!(rss1 <= rss0 + 8 * 1024, "memory grew by more than 8 MB: {rss0} -> {rss1} kB");
    d.stop().await
}

async fn websocket_clients(clients: usize, lines: u64) -> anyhow::Result<()> {
    let ids: Vec<String> = (1..=6).map(|i| format!("w{i}")).collect();
    let plugins: Vec<(&str, Vec<String>)> =
        ids.iter().map(|i| (i.as_str(), vec!["serve".to_string()])).collect();
    let d = Daemon::start(&plugins, &[]).await?;
    for id in &ids {
        d.client.start(id).await?;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss0 = d.status_kb("VmRSS");
    let stalled_count = 10.min(clients / 2);
    let marker = format!("soak {}", std::process::id());
    let mut stalled = Vec::new();
    let mut tasks = Vec::new();
    for i in 0..clients {
        let id = ids[i % ids.len()].clone();
        let mut ws = d.client.ws().await.context("opening a WebSocket")?;
        ws.subscribe(Topic::Status, Some(&id)).await?;
        ws.subscribe(Topic::Telemetry, Some(&id)).await?;
        ws.subscribe_logs(Some(&id), None, None).await?;
        if i < stalled_count {
            // Never read: its socket buffers fill, then bkgd drops what it cannot queue.
            stalled.push(ws);
            continue;
        }
        let marker = marker.clone();
        tasks.push(tokio::spawn(async move {
            let (mut got, mut missed) = (0u64, 0u64);
            while got < lines {
                match ws.next().await {
                    Some(Ok(ServerMessage::Logs(l))) if l.message.starts_with(&marker) => got += 1,
                    Some(Ok(ServerMessage::Lagged(l))) => missed += l.missed,
                    Some(Ok(_)) => {}
                    _ => break,
                }
            }
            (got, missed, ws)
        }));
    }
    for id in &ids {
        d.client.invoke(id, "log", &json!({"count": lines, "level": "plain", "message": marker})).await?;
    }
    let mut open = Vec::new();
    let (mut complete, mut missed) = (0usize, 0u64);
    for t in tasks {
        let (got, m, ws) = tokio::time::timeout(Duration::from_secs(120), t)
            .await
            .context("a healthy client did not get its lines within 120 s")??;
        complete += usize::from(got == lines);
        missed += m;
        open.push(ws);
    }
    let peak = d.status_kb("VmRSS");
    let healthy = clients - stalled_count;
    drop(open);
    drop(stalled);
    // Given back: the connections' tasks end once bkgd sees them close.
    let mut rss1 = d.status_kb("VmRSS");
    for _ in 0..100 {
        if rss1 <= rss0 + 10 * 1024 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        rss1 = d.status_kb("VmRSS");
    }
    println!(
        "WebSocket clients: {complete} of {healthy} healthy clients got all {lines} lines of their plugin ({missed} missed), {stalled_count} never read; bkgd RSS {:.1} MB before, {:.1} MB with all connected, {:.1} MB after they left",
        rss0 as f64 / 1024.0,
        peak as f64 / 1024.0,
        rss1 as f64 / 1024.0,
    );
    ensure!(complete == healthy && missed == 0, "healthy clients lost lines");
    ensure!(
        peak <= rss0 + (clients as u64) * 64 + 64 * 1024,
        "memory not bounded: {rss0} -> {peak} kB for {clients} clients"
    );
    ensure!(rss1 <= rss0 + 10 * 1024, "memory not given back: {rss0} -> {rss1} kB");
    d.stop().await
}

async fn keys_under_kill() -> anyhow::Result<()> {
    let mut d = Daemon::start(&[], &[]).await?;
    let acked = Arc::new(Acked::default());
    let done = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for i in 0..100 {
        let client = d.client.clone();
        let acked = acked.clone();
        let done = done.clone();
        tasks.push(tokio::spawn(async move {
            let req =
                CreateApiKey { name: format!("soak-{i}"), role: Some(Role::Readonly), ..Default::default() };
            if let Ok(k) = client.create_api_key(&req).await {
                acked.push(k.key.name.clone(), k.secret.clone());
            }
            done.fetch_add(1, Ordering::AcqRel);
        }));
    }
    // Kill once some creations were acknowledged and others are still in flight.
    wait_for("some keys are created", || async { acked.len() >= 10 }).await?;
    d.kill_and_restart().await?;
    for t in tasks {
        let _ = t.await;
    }
    let acked = acked.take();
    let listed: HashSet<String> = d.client.api_keys().await?.keys.into_iter().map(|k| k.name).collect();
    let mut lost = 0;
    for (name, secret) in &acked {
        let works = Client::new(&d.url())?.with_token(secret.clone()).me().await.is_ok();
        if !works || !listed.contains(name) {
            lost += 1;
        }
    }
    println!(
        "kill -9 during 100 key creations: {} acknowledged before the kill, {} keys after the restart, {lost} acknowledged lost",
        acked.len(),
        listed.len()
    );
    ensure!(lost == 0, "{lost} acknowledged keys were lost");
    ensure!(listed.len() >= acked.len(), "fewer keys than acknowledged");
    d.stop().await
}

async fn swaps_under_kill(swaps: usize) -> anyhow::Result<()> {
    let mut d = Daemon::start(&[("h", vec!["serve".into()])], &[]).await?;
    d.client.start("h").await?;
    let mut served = 0u64;
    for _ in 0..swaps {
        let client = d.client.clone();
        let load: Vec<_> = (0..4)
            .map(|_| {
                let c = client.clone();
                tokio::spawn(async move {
                    let mut n = 0u64;
                    while c.invoke("h", "echo", &json!({"x": 1})).await.is_ok() {
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let swap = {
            let c = client.clone();
            tokio::spawn(async move { c.restart("h").await })
        };
        tokio::time::sleep(Duration::from_millis(2)).await;
        d.kill_and_restart().await?;
        for l in load {
            served += l.await.unwrap_or(0);
        }
        let _ = swap.await;
        // The plugin was running (and wanted) before the kill: it runs again, alone.
        wait_for("the plugin runs after the restart", || async {
            d.client.plugin_status("h").await.is_ok_and(|s| s.status == PluginState::Running)
        })
        .await?;
        let pid = d.client.plugin_status("h").await?.pid.context("running")?;
        wait_for("no process of the killed daemon's plugin is left", || async {
            plugin_processes(&d).iter().all(|p| p.0 == pid)
        })
        .await?;
        d.client.invoke("h", "echo", &json!({"x": 2})).await.context("the swapped plugin answers")?;
    }
    println!(
        "kill -9 during a hot swap under load: {swaps} of {swaps} came back running with one process and nothing left over ({served} calls answered under load)"
    );
    d.stop().await
}

/// The keys (name, secret) acknowledged before the kill, collected by many tasks.
#[derive(Default)]
struct Acked(std::sync::Mutex<Vec<(String, String)>>);

impl Acked {
    fn push(&self, name: String, secret: String) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push((name, secret));
    }

    fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    fn take(&self) -> Vec<(String, String)> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

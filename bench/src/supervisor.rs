//! The supervisor benchmark of the spine issue: spawn floor; REST start -> running, stop and
//! restart -> new running; idle RSS and CPU of bkgd with 6 plugins; 1,000,000 lines of 100
//! bytes from one plugin to disk, with and without a live WebSocket subscriber.

use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use bkg_core::ws::ServerMessage;

use crate::daemon::{Daemon, TICKS_PER_SEC, bin};
use crate::stats::{median, ms};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Start/stop/restart cycles for the latency medians.
    #[arg(long, default_value_t = 50)]
    cycles: usize,
    /// Lines the flooding plugin writes.
    #[arg(long, default_value_t = 1_000_000)]
    lines: u64,
    /// Seconds over which idle CPU is measured.
    #[arg(long, default_value_t = 10)]
    idle_secs: u64,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    bin("bkg-testplugin")?;
    println!("# bkg supervisor benchmark ({} cycles, {} flood lines)\n", args.cycles, args.lines);

    // Spawn floor: fork/exec/wait of /bin/true.
    let mut floor = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        std::process::Command::new("/bin/true").status()?;
        floor.push(t.elapsed());
    }
    let floor = median(floor);

    // Lifecycle latency through REST.
    let d = Daemon::start(&[("p", vec!["serve".into()])], &[]).await?;
    let (mut start, mut stop, mut restart) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..args.cycles {
        let t = Instant::now();
        let s = d.client.start("p").await?;
        start.push(t.elapsed());
        ensure!(s.status.status == bkg_core::plugin::PluginState::Running, "start did not reach running");
        let t = Instant::now();
        let r = d.client.restart("p").await?;
        restart.push(t.elapsed());
        ensure!(r.status.pid != s.status.pid, "restart kept the pid");
        let t = Instant::now();
        d.client.stop("p").await?;
        stop.push(t.elapsed());
    }
    d.stop().await?;
    let (start, stop, restart) = (median(start), median(stop), median(restart));

    // Idle footprint with 6 plugins.
    let six: Vec<(String, Vec<String>)> =
        (1..=6).map(|i| (format!("p{i}"), vec!["serve".to_string()])).collect();
    let six_ref: Vec<(&str, Vec<String>)> = six.iter().map(|(i, a)| (i.as_str(), a.clone())).collect();
    let d = Daemon::start(&six_ref, &[]).await?;
    for (id, _) in &six {
        d.client.start(id).await?;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let ticks0 = d.cpu_ticks();
    let switches0 = d.context_switches();
    let t0 = Instant::now();
    tokio::time::sleep(Duration::from_secs(args.idle_secs)).await;
    let ticks = d.cpu_ticks() - ticks0;
    let wakeups = (d.context_switches() - switches0) as f64 / t0.elapsed().as_secs_f64();
    let idle_cpu = ticks as f64 / TICKS_PER_SEC / t0.elapsed().as_secs_f64() * 100.0;
    let idle_rss_mb = d.status_kb("VmRSS") as f64 / 1024.0;
    d.stop().await?;

    // Log throughput.
    let plain = flood(args.lines, "block", false).await?;
    let line = flood(args.lines, "line", false).await?;
    let live = flood(args.lines, "block", true).await?;

    println!("| measurement | bkg | anchors (supervisord / PM2) | target |");
    println!("|---|---|---|---|");
    println!("| spawn floor (fork/exec/wait /bin/true) | {} | | |", ms(floor));
    println!("| REST start -> running (handshake done) | {} | 7.7 ms / 9.1 ms | <= 5 ms |", ms(start));
    println!("| REST stop | {} | 1.2 ms / 113 ms | <= 2 ms |", ms(stop));
    println!("| REST restart -> new instance running (hot swap) | {} | | |", ms(restart));
    println!("| bkgd idle RSS, 6 plugins running | {idle_rss_mb:.1} MB | 19.3 MB / 57.7 MB | <= 12 MB |");
    println!(
        "| bkgd idle CPU, 6 plugins running | {idle_cpu:.3} % of a core | 0.024 % / 0.028 % | <= 0.02 % |"
    );
    println!(
        "| bkgd idle wake-ups (context switches of all its threads) | {wakeups:.1} /s | 1 /s | <= 1 /s |"
    );
    for (name, f) in [
        ("block mode (1 MiB writes), without subscriber", &plain),
        ("one write per line, without subscriber", &line),
        ("block mode, with live WS subscriber", &live),
    ] {
        println!(
            "| {} lines to disk, {name} | {:.2} s = {:.2} M lines/s, lost {}, torn {} | 1.28 M/s / 0.48 M/s | >= 1.2 M/s |",
            args.lines,
            f.secs,
            args.lines as f64 / f.secs / 1e6,
            f.lost,
            f.torn
        );
        println!("| bkgd peak RSS, {name} | {:.1} MB | | <= 64 MB |", f.peak_rss_mb);
    }
    println!(
        "| live subscriber received | {} of {} lines, told it missed {} | supervisord tail: 6-11 % | every line or an explicit count |",
        live.received, args.lines, live.missed
    );
    Ok(())
}

pub struct Flood {
    /// From the start request to the last line on disk.
    pub secs: f64,
    pub lost: u64,
    pub torn: u64,
    /// bkgd's CPU time (user + system) over those seconds.
    pub cpu_secs: f64,
    pub peak_rss_mb: f64,
    received: u64,
    missed: u64,
}

/// A fresh bkgd whose one plugin writes `lines` lines of 100 bytes to stderr, `writes` being
/// the test plugin's `block` or `line`; with `subscribe`, a WebSocket client follows the logs.
pub async fn flood(lines: u64, writes: &str, subscribe: bool) -> anyhow::Result<Flood> {
    // One big log file: rotation would delete old lines before we count them.
    let d = Daemon::start(
        &[("flood", vec!["flood".into(), lines.to_string(), "100".into(), writes.into()])],
        &[("BKG_LOGS__FILE_MAX_BYTES", "4000000000")],
    )
    .await?;
    // The subscriber counts what it receives and what it is told it missed, until it has seen
    // (or been told it missed) the plugin's final line, whose seq it learns at the end.
    let (final_tx, final_rx) = tokio::sync::watch::channel(u64::MAX);
    let subscriber = if subscribe {
        let mut ws = d.client.ws().await?;
        ws.subscribe_logs(Some("flood"), None, None).await?;
        Some(tokio::spawn(async move {
            let (mut received, mut missed, mut seen) = (0u64, 0u64, 0u64);
            let mut final_rx = final_rx;
            while seen < *final_rx.borrow() {
                let msg = tokio::select! {
                    msg = ws.next() => msg,
                    _ = final_rx.changed() => continue,
                };
                match msg {
                    Some(Ok(ServerMessage::Logs(l))) => {
                        seen = seen.max(l.seq);
                        if l.message.len() == 99 {
                            received += 1;
                        }
                    }
                    Some(Ok(ServerMessage::Lagged(l))) => {
                        missed += l.missed;
                        seen = seen.max(l.last_missed_seq.unwrap_or(0));
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(anyhow::anyhow!("subscriber: {e}")),
                    None => break,
                }
            }
            Ok((received, missed))
        }))
    } else {
        None
    };
    d.reset_peak_rss()?;
    let ticks = d.cpu_ticks();
    let t = Instant::now();
    d.client.start("flood").await?;
    // Until `flood done` is on disk, read from the file as it grows: no request to bkgd (a
    // /metrics scrape every few milliseconds would be counted in its CPU time).
    crate::peers::wait_for_line(
        &d.log_file("flood"),
        &format!("flood done {lines}"),
        Duration::from_secs(600),
    )
    .await?;
    let secs = t.elapsed().as_secs_f64();
    let cpu_secs = (d.cpu_ticks() - ticks) as f64 / TICKS_PER_SEC;
    let peak_rss_mb = d.status_kb("VmHWM") as f64 / 1024.0;
    let q = bkg_core::logs::LogQuery { tail: Some(1), q: Some("flood done".into()), ..Default::default() };
    let done = d.client.logs("flood", &q).await?.lines.pop().context("no `flood done` line")?.seq;
    let _ = final_tx.send(done);
    let (received, missed) = match subscriber {
        Some(s) => s.await.context("subscriber task")??,
        None => (0, 0),
    };
    let log = std::fs::read_to_string(d.log_file("flood"))?;
    d.stop().await?;
    let (mut next, mut torn) = (0u64, 0u64);
    for line in log.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let m = v["message"].as_str().unwrap_or("");
        if m.starts_with("flood done") || v["fields"]["source"] == "bkgd" {
            continue;
        }
        if m.len() != 99 || m[..10].parse::<u64>().ok() != Some(next) {
            torn += 1;
        }
        next += 1;
    }
    Ok(Flood { secs, lost: lines.saturating_sub(next), torn, cpu_secs, peak_rss_mb, received, missed })
}

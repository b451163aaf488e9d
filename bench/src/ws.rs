//! Memory per WebSocket client: `clients` connections each subscribed to one plugin's status,
//! telemetry and logs, every one sent the same burst of log lines; bkgd's RSS before the
//! connections and with all of them open after every client got every line.

use std::time::Duration;

use anyhow::{Context, ensure};
use bkg_core::ws::{ServerMessage, Topic};
use serde_json::json;

use crate::daemon::Daemon;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// WebSocket connections to open.
    #[arg(long, default_value_t = 500)]
    clients: usize,
    /// Log lines the plugin writes while all are connected; every client must get each.
    #[arg(long, default_value_t = 1000)]
    lines: u64,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    println!("# WebSocket clients: {} connections, {} log lines each\n", args.clients, args.lines);
    let d = Daemon::start(&[("p", vec!["serve".into()])], &[]).await?;
    d.client.start("p").await?;
    // Settle: the first telemetry samples, the plugin's start lines.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before_kb = d.status_kb("VmRSS");
    let cpu0 = d.cpu_ticks();

    let mut readers = Vec::with_capacity(args.clients);
    for _ in 0..args.clients {
        let mut ws = d.client.ws().await.context("opening a WebSocket")?;
        ws.subscribe(Topic::Status, Some("p")).await?;
        ws.subscribe(Topic::Telemetry, Some("p")).await?;
        ws.subscribe_logs(Some("p"), None, None).await?;
        readers.push(ws);
    }
    let marker = format!("ws-bench {}", std::process::id());
    let mut tasks = Vec::with_capacity(readers.len());
    for mut ws in readers {
        let marker = marker.clone();
        let want = args.lines;
        tasks.push(tokio::spawn(async move {
            let (mut got, mut lagged) = (0u64, 0u64);
            while got < want {
                match ws.next().await {
                    Some(Ok(ServerMessage::Logs(l))) if l.message.starts_with(&marker) => got += 1,
                    Some(Ok(ServerMessage::Lagged(l))) => lagged += l.missed,
                    Some(Ok(_)) => {}
                    _ => break,
                }
            }
            (got, lagged, ws)
        }));
    }
    d.client.invoke("p", "log", &json!({"count": args.lines, "level": "plain", "message": marker})).await?;
    let mut open = Vec::with_capacity(tasks.len());
    let (mut complete, mut lagged) = (0usize, 0u64);
    for t in tasks {
        let (got, l, ws) = t.await?;
        complete += usize::from(got == args.lines);
        lagged += l;
        open.push(ws);
    }
    let with_kb = d.status_kb("VmRSS");
    let cpu = (d.cpu_ticks() - cpu0) as f64 / 100.0;
    ensure!(open.len() == args.clients);
    let per_conn = (with_kb.saturating_sub(before_kb)) as f64 * 1024.0 / args.clients as f64;
    println!("| figure | value |\n|---|---|");
    println!(
        "| bkgd RSS before / with {} clients | {:.1} MB / {:.1} MB |",
        args.clients,
        before_kb as f64 / 1024.0,
        with_kb as f64 / 1024.0
    );
    println!("| memory per connection | {:.1} KB (goal <= 32 KB) |", per_conn / 1024.0);
    println!("| clients that got every line | {complete} of {} |", args.clients);
    println!("| events reported missed | {lagged} |");
    println!("| bkgd CPU while connecting and delivering | {cpu:.2} s |");
    drop(open);
    d.stop().await
}

//! Authenticated REST throughput: `wrk` against bkgd's `GET /api/plugins` (6 plugins) with a
//! JWT and with an API key, its `/healthz`, and a bare axum server answering the same bytes
//! for the same path, rounds interleaved in one run. The rate limit is raised out of the way.
//! Beside the rates, the server's CPU per request (bkgd's; the bare server's is this process's,
//! idle but for it): wrk shares the machine, so the rate alone mixes its cost with the server's.

use std::process::Command;

use anyhow::{Context, bail};
use axum::Router;
use axum::routing::get;

use crate::daemon::{Daemon, TICKS_PER_SEC, cpu_ticks};
use crate::stats::median;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Interleaved rounds; the medians are printed.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Seconds per wrk run.
    #[arg(long, default_value_t = 5)]
    secs: u64,
    /// wrk connections (two threads).
    #[arg(long, default_value_t = 64)]
    connections: u32,
}

/// One wrk run: requests per second and the server's CPU per request.
#[derive(Debug, Clone, Copy)]
struct Run {
    rate: f64,
    cpu_us: f64,
}

/// wrk against one URL with an optional bearer token; `server` is the pid answering it.
fn wrk(url: &str, token: Option<&str>, server: u32, args: &Args) -> anyhow::Result<Run> {
    let mut cmd = Command::new("wrk");
    cmd.args(["-t2", &format!("-c{}", args.connections), &format!("-d{}s", args.secs), "--latency"]);
    if let Some(t) = token {
        cmd.args(["-H", &format!("Authorization: Bearer {t}")]);
    }
    let cpu0 = cpu_ticks(server);
    let out = cmd.arg(url).output().context("wrk is needed: apt-get install wrk")?;
    let cpu = cpu_ticks(server) - cpu0;
    let text = String::from_utf8_lossy(&out.stdout);
    if text.contains("Non-2xx") {
        bail!("wrk got errors from {url}:\n{text}");
    }
    let rate: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .with_context(|| format!("no Requests/sec in wrk's output:\n{text}"))?;
    // "  123456 requests in 5.00s, 12.34MB read"
    let requests: f64 = text
        .lines()
        .find_map(|l| l.split_once(" requests in ").and_then(|(n, _)| n.trim().parse().ok()))
        .with_context(|| format!("no request count in wrk's output:\n{text}"))?;
    Ok(Run { rate, cpu_us: cpu as f64 / TICKS_PER_SEC * 1e6 / requests.max(1.0) })
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    println!(
        "# REST throughput: wrk -t2 -c{} -d{}s, {} interleaved rounds\n",
        args.connections, args.secs, args.rounds
    );
    let six: Vec<(String, Vec<String>)> =
        (1..=6).map(|i| (format!("p{i}"), vec!["serve".to_string()])).collect();
    let six_ref: Vec<(&str, Vec<String>)> = six.iter().map(|(i, a)| (i.as_str(), a.clone())).collect();
    let d = Daemon::start(&six_ref, &[("BKG_AUTH__REQUESTS_PER_MINUTE", "1000000000")]).await?;
    for (id, _) in &six {
        d.client.start(id).await?;
    }
    let jwt = d.client.token().context("logged in")?.to_string();
    let req = bkg_core::auth::CreateApiKey { name: "bench".into(), ..Default::default() };
    let key = d.client.create_api_key(&req).await?.secret;
    let base = d.client.base_url().to_string();
    let plugins = format!("{base}api/plugins");

    // The baseline: bare axum answering the same bytes bkgd answers.
    let body =
        d.client.send(d.client.request(bkg_core::client::Method::GET, "api/plugins")?).await?.text().await?;
    let app = Router::new().route(
        "/api/plugins",
        get(move || {
            let body = body.clone();
            async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let bare = format!("http://{}/api/plugins", listener.local_addr()?);
    // Bound already: wrk's connections wait in the backlog until the server accepts them.
    tokio::spawn(async move { axum::serve(listener, app).await });

    let (me, daemon) = (std::process::id(), d.pid());
    let healthz = format!("{base}healthz");
    let mut runs: [Vec<Run>; 4] = Default::default();
    for round in 1..=args.rounds {
        runs[0].push(wrk(&bare, None, me, &args)?);
        runs[1].push(wrk(&plugins, Some(&jwt), daemon, &args)?);
        runs[2].push(wrk(&plugins, Some(&key), daemon, &args)?);
        runs[3].push(wrk(&healthz, None, daemon, &args)?);
        let r: Vec<String> = runs
            .iter()
            .map(|v| format!("{:.0} ({:.1} us)", v[round - 1].rate, v[round - 1].cpu_us))
            .collect();
        eprintln!(
            "round {round}: bare {}, jwt {}, key {}, healthz {} req/s (server CPU per request)",
            r[0], r[1], r[2], r[3]
        );
    }
    let rate = |v: &[Run]| median(v.iter().map(|r| r.rate).collect::<Vec<_>>());
    let cpu = |v: &[Run]| median(v.iter().map(|r| r.cpu_us).collect::<Vec<_>>());
    let (b, bc) = (rate(&runs[0]), cpu(&runs[0]));
    println!(
        "| endpoint | req/s (median) | vs bare axum | server CPU per request | vs bare axum |\n|---|---|---|---|---|"
    );
    println!("| bare axum 0.8, same body | {b:.0} | 1.00x | {bc:.1} us | 1.00x |");
    for (name, v, goal) in [
        ("bkgd GET /api/plugins, JWT", &runs[1], " (goal >= 0.6x)"),
        ("bkgd GET /api/plugins, API key", &runs[2], " (goal >= 0.6x)"),
        ("bkgd GET /healthz", &runs[3], ""),
    ] {
        let (r, c) = (rate(v), cpu(v));
        println!("| {name} | {r:.0} | {:.2}x{goal} | {c:.1} us | {:.2}x |", r / b, c / bc);
    }
    d.stop().await
}

//! Authenticated REST throughput: `wrk` against bkgd's `GET /api/plugins` (6 plugins) with a
//! JWT and with an API key, its `/healthz`, and a bare axum server answering the same bytes
//! for the same path, rounds interleaved in one run. The rate limit is raised out of the way.

use std::process::Command;

use anyhow::{Context, bail};
use axum::Router;
use axum::routing::get;

use crate::daemon::Daemon;
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

/// Requests per second wrk reports for one URL with an optional bearer token.
fn wrk(url: &str, token: Option<&str>, args: &Args) -> anyhow::Result<f64> {
    let mut cmd = Command::new("wrk");
    cmd.args(["-t2", &format!("-c{}", args.connections), &format!("-d{}s", args.secs), "--latency"]);
    if let Some(t) = token {
        cmd.args(["-H", &format!("Authorization: Bearer {t}")]);
    }
    let out = cmd.arg(url).output().context("wrk is needed: apt-get install wrk")?;
    let text = String::from_utf8_lossy(&out.stdout);
    if text.contains("Non-2xx") {
        bail!("wrk got errors from {url}:\n{text}");
    }
    text.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .with_context(|| format!("no Requests/sec in wrk's output:\n{text}"))
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

    let (mut b, mut j, mut k, mut h) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 1..=args.rounds {
        b.push(wrk(&bare, None, &args)?);
        j.push(wrk(&plugins, Some(&jwt), &args)?);
        k.push(wrk(&plugins, Some(&key), &args)?);
        h.push(wrk(&format!("{base}healthz"), None, &args)?);
        eprintln!(
            "round {round}: bare {:.0}, jwt {:.0}, key {:.0}, healthz {:.0} req/s",
            b[round - 1],
            j[round - 1],
            k[round - 1],
            h[round - 1]
        );
    }
    let (b, j, k, h) = (median(b), median(j), median(k), median(h));
    println!("| endpoint | req/s (median) | vs bare axum |\n|---|---|---|");
    println!("| bare axum 0.8, same body | {b:.0} | 1.00x |");
    println!("| bkgd GET /api/plugins, JWT | {j:.0} | {:.2}x (goal >= 0.6x) |", j / b);
    println!("| bkgd GET /api/plugins, API key | {k:.0} | {:.2}x (goal >= 0.6x) |", k / b);
    println!("| bkgd GET /healthz | {h:.0} | {:.2}x |", h / b);
    d.stop().await
}

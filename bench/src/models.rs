//! The model-download benchmark of the models issue, in one run against the same local
//! hub-compatible server (`bkg-testhub`, in this process):
//! - throughput: a release bkgd downloading a model (POST to `ready`, so hashing, fsync and
//!   header checks included) against `curl` fetching the same files to disk; target >= 0.9x;
//! - resume: bytes the hub served for a download that was `kill -9`ed at the middle of its
//!   largest file and resumed by a new bkgd, over the model's size; target <= 1.1x.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use bkg_core::models::{DownloadRequest, ModelStatus};
use bkg_testhub::{Fault, Hub};

use crate::daemon::Daemon;
use crate::stats::median;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of the model to serve; default: the real test models of scripts/fetch-test-models.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Runs of each side (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

const REPO: &str = "bench/model";

fn mib_s(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / (1024.0 * 1024.0) / d.as_secs_f64()
}

/// Every file under `dir` as (path relative to it, size).
fn files(dir: &std::path::Path) -> anyhow::Result<Vec<(String, u64)>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((d, prefix)) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            let meta = std::fs::metadata(e.path())?;
            if meta.is_dir() {
                stack.push((e.path(), rel));
            } else {
                out.push((rel, meta.len()));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// One `curl` process fetching every file to disk, as a user would script it.
fn curl(endpoint: &str, files: &[(String, u64)], out: &std::path::Path) -> anyhow::Result<Duration> {
    let mut cmd = Command::new("curl");
    cmd.args(["-sSf", "--create-dirs"]).stdout(Stdio::null());
    for (path, _) in files {
        cmd.arg("-o").arg(out.join(path)).arg(format!("{endpoint}/{REPO}/resolve/main/{path}"));
    }
    let t = Instant::now();
    let status = cmd.status().context("cannot run curl")?;
    let elapsed = t.elapsed();
    ensure!(status.success(), "curl failed: {status}");
    Ok(elapsed)
}

async fn wait_ready(d: &Daemon, id: &str) -> anyhow::Result<()> {
    loop {
        let m = d.client.model(id).await?;
        match m.status {
            ModelStatus::Ready => return Ok(()),
            s if s.is_active() => tokio::time::sleep(Duration::from_millis(2)).await,
            s => anyhow::bail!("the download ended {s}: {:?}", m.error),
        }
    }
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let dir = match args.model {
        Some(d) => d,
        None => {
            let out = Command::new("scripts/fetch-test-models").stderr(Stdio::inherit()).output()?;
            ensure!(out.status.success(), "scripts/fetch-test-models failed");
            PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
        }
    };
    let files = files(&dir)?;
    let total: u64 = files.iter().map(|(_, s)| s).sum();
    let hub = Hub::start().await?;
    hub.add_dir(REPO, &dir)?;
    println!(
        "# model download benchmark: {} files, {:.1} MiB from {} (median of {} runs)\n",
        files.len(),
        total as f64 / 1048576.0,
        dir.display(),
        args.runs
    );

    let endpoint = hub.endpoint();
    let mut d = Daemon::start(&[], &[("BKG_MODELS__HUB_ENDPOINT", &endpoint)]).await?;
    let scratch = tempfile::tempdir()?;
    let (mut curl_times, mut synced_times, mut bkgd_times) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..args.runs {
        let out = scratch.path().join(format!("curl-{run}"));
        let fetched = curl(&endpoint, &files, &out)?;
        curl_times.push(fetched);
        // The same, made durable like bkgd makes it (fsync of every file).
        let t = Instant::now();
        let status = Command::new("sync").args(files.iter().map(|(p, _)| out.join(p))).status()?;
        ensure!(status.success(), "sync failed");
        synced_times.push(fetched + t.elapsed());
        std::fs::remove_dir_all(&out)?;

        let t = Instant::now();
        let accepted =
            d.client.download_model(&DownloadRequest { repo: REPO.into(), ..Default::default() }).await?;
        wait_ready(&d, &accepted.model.id).await?;
        bkgd_times.push(t.elapsed());
        d.client.delete_model(&accepted.model.id, false).await?;
    }
    let (c, cs, b) = (median(curl_times), median(synced_times), median(bkgd_times));
    println!("| | median | throughput |");
    println!("|---|---|---|");
    println!("| curl, files to disk | {:.0} ms | {:.0} MiB/s |", c.as_secs_f64() * 1e3, mib_s(total, c));
    println!(
        "| curl, then `sync` of the files | {:.0} ms | {:.0} MiB/s |",
        cs.as_secs_f64() * 1e3,
        mib_s(total, cs)
    );
    println!(
        "| bkgd, POST to ready (hash, fsync, header checks) | {:.0} ms | {:.0} MiB/s |",
        b.as_secs_f64() * 1e3,
        mib_s(total, b)
    );
    println!(
        "\nbkgd / curl throughput: {:.2}x (target >= 0.9x); against curl made durable: {:.2}x\n",
        c.as_secs_f64() / b.as_secs_f64(),
        cs.as_secs_f64() / b.as_secs_f64()
    );

    // Resume after kill -9 in the middle of the largest file.
    let (largest, size) = files.iter().max_by_key(|(_, s)| *s).cloned().context("no files")?;
    hub.fault(REPO, &largest, Fault::Hold);
    let before = hub.bytes_served();
    let accepted =
        d.client.download_model(&DownloadRequest { repo: REPO.into(), ..Default::default() }).await?;
    let id = accepted.model.id;
    loop {
        let m = d.client.model(&id).await?;
        if m.files.iter().any(|f| f.path == largest && f.done == size / 2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    d.kill_and_restart().await?;
    wait_ready(&d, &id).await?;
    let served = hub.bytes_served() - before;
    println!(
        "resume after kill -9 at the middle of {largest}: the hub served {:.1} MiB for {:.1} MiB: {:.3}x (target <= 1.1x)",
        served as f64 / 1048576.0,
        total as f64 / 1048576.0,
        served as f64 / total as f64
    );
    Ok(())
}

//! `bkg-bench`: measures bkg as a user meets it, a release `bkgd` started as a separate
//! process and driven over its API, and prints the numbers beside the anchors measured for
//! comparable tools on this kind of machine. Run through `make bench` (builds release first).

mod brainml;
mod cli;
mod daemon;
mod faces;
mod models;
mod peers;
mod rest;
mod sdks;
mod soak;
mod stats;
mod supervisor;
mod tui;
mod ws;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "bkg-bench", about = "Benchmarks of bkg against a real bkgd")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Spawn floor, start/stop/restart latency, idle footprint, log throughput.
    Supervisor(supervisor::Args),
    /// Whole-command wall time of `bkgctl plugins start` and `bkgctl plugins ls -o json`.
    Cli(cli::Args),
    /// Model download throughput against curl, and bytes re-fetched on resume after kill -9.
    Models(models::Args),
    /// brainml query latency and recall@10 on a 10,000-document collection.
    Brainml(brainml::Args),
    /// rustyface: faces encoded per second against face_recognition, search latency.
    Faces(faces::Args),
    /// Protocol overhead of the Rust, Python and Node SDKs; repoagent's analysis vs tokei.
    Sdks(sdks::Args),
    /// bkg-tui under a 10,000 lines/s log flood: CPU, RSS, frame time, line-to-screen delay.
    Tui(tui::Args),
    /// Authenticated REST throughput (wrk) against bare axum answering the same bytes.
    Rest(rest::Args),
    /// Memory per WebSocket client subscribed to a plugin's status, telemetry and logs.
    Ws(ws::Args),
    /// bkgd, supervisord and PM2 side by side, interleaved: start/stop, idle, log floods (one
    /// write per line and in blocks); installs supervisord (PyPI) and PM2 (npm) into a cache.
    Peers(peers::Args),
    /// Soak and fault runs: crash cycles, many WebSocket clients (some never reading), kill -9
    /// during key creations and hot swaps; `--short` is CI's form.
    Soak(soak::Args),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Supervisor(args) => supervisor::run(args).await,
        Command::Cli(args) => cli::run(args).await,
        Command::Models(args) => models::run(args).await,
        Command::Brainml(args) => brainml::run(args).await,
        Command::Faces(args) => faces::run(args).await,
        Command::Sdks(args) => sdks::run(args).await,
        Command::Tui(args) => tui::run(args).await,
        Command::Ws(args) => ws::run(args).await,
        Command::Rest(args) => rest::run(args).await,
        Command::Soak(args) => soak::run(args).await,
        Command::Peers(args) => peers::run(args).await,
    }
}

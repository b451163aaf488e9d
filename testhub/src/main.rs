//! `bkg-testhub`: serves model folders the way the Hugging Face hub does, on 127.0.0.1, for
//! trying `bkgctl models pull` and for benchmarks without network access.
//!
//! ```text
//! bkg-testhub --listen 127.0.0.1:8421 --repo sentence-transformers/all-MiniLM-L6-v2=/path/to/folder
//! BKG_MODELS__HUB_ENDPOINT=http://127.0.0.1:8421 bkgd
//! ```
//!
//! `--hold org/name:file` holds that file at its midpoint until a line arrives on stdin, so a
//! download's progress can be watched (the web UI's end-to-end test does).

use clap::Parser;
use tokio::io::AsyncBufReadExt;

#[derive(Parser)]
#[command(version, about = "A hub-compatible file server for local models")]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: std::net::SocketAddr,
    /// `org/name=FOLDER`: serve FOLDER's files as repo org/name (repeatable).
    #[arg(long = "repo", value_name = "ORG/NAME=FOLDER", required = true)]
    repos: Vec<String>,
    /// `org/name:path`: send that file up to its midpoint and hold it there until a line is
    /// read on stdin (to watch a download's progress; repeatable).
    #[arg(long = "hold", value_name = "ORG/NAME:PATH")]
    hold: Vec<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let hub = bkg_testhub::Hub::bind(args.listen).await?;
    for r in &args.repos {
        let (repo, dir) =
            r.split_once('=').ok_or_else(|| anyhow::anyhow!("--repo {r:?}: expected ORG/NAME=FOLDER"))?;
        hub.add_dir(repo, std::path::Path::new(dir))?;
    }
    for h in &args.hold {
        let (repo, path) =
            h.split_once(':').ok_or_else(|| anyhow::anyhow!("--hold {h:?}: expected ORG/NAME:PATH"))?;
        hub.fault(repo, path, bkg_testhub::Fault::Hold);
    }
    println!("{}", hub.endpoint());
    if args.hold.is_empty() {
        tokio::signal::ctrl_c().await?;
        return Ok(());
    }
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    loop {
        tokio::select! {
            line = lines.next_line() => match line? {
                Some(_) => hub.release(),
                None => std::future::pending::<()>().await,
            },
            r = tokio::signal::ctrl_c() => return Ok(r?),
        }
    }
}

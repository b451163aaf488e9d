//! `bkg-testhub`: serves model folders the way the Hugging Face hub does, on 127.0.0.1, for
//! trying `bkgctl models pull` and for benchmarks without network access.
//!
//! ```text
//! bkg-testhub --listen 127.0.0.1:8421 --repo sentence-transformers/all-MiniLM-L6-v2=/path/to/folder
//! BKG_MODELS__HUB_ENDPOINT=http://127.0.0.1:8421 bkgd
//! ```

use clap::Parser;

#[derive(Parser)]
#[command(version, about = "A hub-compatible file server for local models")]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: std::net::SocketAddr,
    /// `org/name=FOLDER`: serve FOLDER's files as repo org/name (repeatable).
    #[arg(long = "repo", value_name = "ORG/NAME=FOLDER", required = true)]
    repos: Vec<String>,
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
    println!("{}", hub.endpoint());
    tokio::signal::ctrl_c().await?;
    Ok(())
}

//! Needs the models API. `models pull` against the hub-compatible server in `hub`: a progress
//! bar under a pseudo-terminal and plain lines when piped, `--detach`, and Ctrl-C that stops
//! following while the daemon finishes the download.

use std::collections::BTreeMap;

use tokio::io::{AsyncBufReadExt, BufReader};

use crate::harness::{Cli, Daemon, daemon, interrupt, wait_until};
use crate::pty::Pty;
use bkg_testhub::{Fault, Hub};

const REPO: &str = "org/tiny";

/// A safetensors model of 64 KiB and its config.
fn files() -> BTreeMap<String, Vec<u8>> {
    let header = br#"{"w":{"dtype":"F32","shape":[16384],"data_offsets":[0,65536]}}"#;
    let mut weights = (header.len() as u64).to_le_bytes().to_vec();
    weights.extend_from_slice(header);
    weights.extend((0..65536u32).map(|i| (i % 251) as u8));
    BTreeMap::from([
        ("config.json".to_string(), b"{\"model_type\": \"tiny\"}\n".to_vec()),
        ("model.safetensors".to_string(), weights),
    ])
}

async fn setup(hold: bool) -> (Hub, Daemon, Cli) {
    let hub = Hub::start().await.unwrap();
    hub.add_repo(REPO, files());
    if hold {
        hub.fault(REPO, "model.safetensors", Fault::Hold);
    }
    let d = daemon().config(|c| c.models.hub_endpoint = hub.endpoint()).start().await;
    let cli = Cli::new(&d);
    (hub, d, cli)
}

async fn wait_ready(cli: &Cli, id: &str) {
    wait_until("the model is ready", || async {
        cli.json(&["models", "show", id]).await["status"] == "ready"
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn progress_bar_on_a_terminal() {
    let (hub, _d, cli) = setup(true).await;
    let pty = Pty::spawn(cli.command(&["models", "pull", REPO]));
    // The bar's prefix and opening bracket: drawn while the weights are half-sent.
    pty.wait_for(&format!("{REPO} [")).await;
    // Bytes with their unit: the size is known and drawn while the weights are held.
    pty.wait_for("KiB").await;
    hub.release();
    let (status, screen) = pty.finish().await;
    assert!(status.success(), "{screen}");
    assert!(screen.contains("ready (2 files"), "{screen}");
    assert!(screen.contains("REPO:"), "the model follows the bar: {screen}");
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_progress_when_piped() {
    let (_hub, _d, cli) = setup(false).await;
    let out = cli.run(&["models", "pull", REPO, "-o", "json"]).await.expect(0);
    let model = out.json();
    assert_eq!(model["repo"], REPO);
    assert_eq!(model["status"], "ready");
    assert_eq!(model["files"].as_array().unwrap().len(), 2);
    assert!(out.stderr.lines().all(|l| l.starts_with(&format!("pull {REPO}: "))), "{}", out.stderr);
    assert!(out.stderr.contains("ready (2 files"), "{}", out.stderr);
    assert!(
        !out.stderr.contains('\u{1b}') && !out.stderr.contains('\r'),
        "no bar when piped: {:?}",
        out.stderr
    );

    // Already there: nothing to download, done at once.
    let again = cli.run(&["models", "pull", REPO]).await.expect(0);
    assert!(again.stdout.contains("REPO:") && again.stdout.contains(REPO), "{}", again.stdout);
    let detached = cli.json(&["models", "pull", REPO, "--detach"]).await;
    assert_eq!(detached["created"], false);

    let out = cli.run(&["models", "pull", "no/such"]).await;
    assert!(out.code != 0, "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn detach_returns_at_once() {
    let (hub, _d, cli) = setup(true).await;
    let accepted = cli.json(&["models", "pull", REPO, "--detach"]).await;
    assert_eq!(accepted["created"], true);
    assert!(!accepted["job"].as_str().unwrap().is_empty());
    let id = accepted["model"]["id"].as_str().unwrap().to_string();
    assert_ne!(cli.json(&["models", "show", &id]).await["status"], "ready", "the download is held");
    let quiet = cli.table(&["models", "pull", REPO, "--detach", "-q"]).await;
    assert_eq!(quiet, format!("{id}\n"));
    hub.release();
    wait_ready(&cli, &id).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_stops_following_but_not_the_download() {
    let (hub, _d, cli) = setup(true).await;
    let mut child = cli.spawn(&["models", "pull", REPO]);
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    // The first progress line comes right after the daemon accepted the download.
    let first = stderr.next_line().await.unwrap().unwrap();
    assert!(first.starts_with(&format!("pull {REPO}: ")), "{first}");
    interrupt(&child);
    let status = child.wait().await.unwrap();
    assert_eq!(status.code(), Some(130));
    let mut rest = Vec::new();
    while let Some(line) = stderr.next_line().await.unwrap() {
        rest.push(line);
    }
    assert!(rest.iter().any(|l| l.contains("goes on downloading")), "{rest:?}");

    let list = cli.json(&["models", "ls"]).await;
    let model = list["models"].as_array().unwrap().iter().find(|m| m["repo"] == REPO).unwrap().clone();
    let id = model["id"].as_str().unwrap().to_string();
    assert_ne!(model["status"], "failed");
    hub.release();
    wait_ready(&cli, &id).await;
}

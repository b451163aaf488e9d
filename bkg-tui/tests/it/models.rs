//! `:models`: pull a model from the hub-compatible server with the progress gauge drawn while
//! the download is held half-way, validate it, delete it after a `y`.

use std::collections::BTreeMap;

use bkg_core::auth::Role;
use bkg_testhub::{Fault, Hub};

use crate::harness::{Tmux, wait_until};

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

#[tokio::test(flavor = "multi_thread")]
async fn pull_shows_progress_then_validate_and_delete() {
    let hub = Hub::start().await.unwrap();
    hub.add_repo(REPO, files());
    hub.fault(REPO, "model.safetensors", Fault::Hold);
    let d = bkg_testkit::daemon().config(|c| c.models.hub_endpoint = hub.endpoint()).start().await;
    let token = d.key(Role::Admin).await;
    let cfg = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(&d.url(""), &token, cfg.path());
    tmux.wait_text("Plugins (0)").await;
    tmux.type_text(":models");
    tmux.key("Enter");
    tmux.wait_text("Models (0)").await;

    tmux.type_text("p");
    tmux.wait_text("pull repo").await;
    tmux.type_text(REPO);
    tmux.key("Enter");
    // Held at the midpoint: the gauge shows the bytes so far of the known total.
    let screen = tmux
        .wait("the gauge shows partial progress", |s| s.contains("downloading") && s.contains("KiB / "))
        .await;
    assert!(screen.contains(REPO), "{screen}");
    hub.release();
    tmux.wait("the model is ready", |s| s.lines().any(|l| l.contains("ready") && l.contains(REPO))).await;
    let listed = d.client.models().await.unwrap().models;
    assert_eq!(listed.len(), 1);
    tmux.wait("the files are shown verified", |s| s.contains("verified") && s.contains("model.safetensors"))
        .await;

    tmux.type_text("v");
    tmux.wait_text("every file verified").await;

    tmux.type_text("d");
    tmux.wait_text("delete model").await;
    tmux.type_text("y");
    tmux.wait_text("Models (0)").await;
    wait_until("the model is gone", || async { d.client.models().await.is_ok_and(|l| l.models.is_empty()) })
        .await;
}

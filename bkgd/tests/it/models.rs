//! The model manager against the hub-compatible server of `bkg-testhub`: downloads verified
//! file by file (AT-MOD-004), one job per repo and revision, every upstream fault ending in a
//! clear state with no leftovers, resume after `kill -9` of bkgd, delete (409 while a running
//! plugin uses the model, disk space freed, cancel while downloading), validation finding a
//! corrupted file, progress events that survive a stall, and import from a folder. On SQLite, and on PostgreSQL when
//! `BKG_TEST_DATABASE_URL` is set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use bkg_core::auth::AuditQuery;
use bkg_core::client::Client;
use bkg_core::models::{DownloadRequest, ImportRequest, Model, ModelStatus};
use bkg_testhub::{COMMIT, Fault, Hub, hashes};
use serde_json::json;

use crate::harness::{PgDatabase, TestDaemon, daemon, login_on_port, spawn_bkgd, wait_until};

/// A valid safetensors file of `floats` f32 values (LFS on the hub).
fn safetensors(floats: usize) -> Vec<u8> {
    let header = format!(r#"{{"w":{{"dtype":"F32","shape":[{floats}],"data_offsets":[0,{}]}}}}"#, floats * 4);
    let mut b = (header.len() as u64).to_le_bytes().to_vec();
    b.extend_from_slice(header.as_bytes());
    b.extend((0..floats * 4).map(|i| (i * 7 % 251) as u8));
    b
}

/// A small model: config and tokenizer (plain git files on the hub) and weights (LFS).
fn tiny(floats: usize) -> BTreeMap<String, Vec<u8>> {
    BTreeMap::from([
        ("config.json".into(), b"{\"model_type\": \"bert\", \"hidden_size\": 4}\n".to_vec()),
        ("tokenizer/vocab.txt".into(), b"[PAD]\n[UNK]\nhello\nworld\n".to_vec()),
        ("model.safetensors".into(), safetensors(floats)),
    ])
}

fn download(repo: &str) -> DownloadRequest {
    DownloadRequest { repo: repo.into(), ..Default::default() }
}

async fn hub_with(repos: &[(&str, BTreeMap<String, Vec<u8>>)]) -> Hub {
    let hub = Hub::start().await.unwrap();
    for (repo, files) in repos {
        hub.add_repo(repo, files.clone());
    }
    hub
}

async fn start(hub: &Hub, f: impl FnOnce(&mut bkgd::config::Config)) -> TestDaemon {
    let endpoint = hub.endpoint();
    daemon()
        .plugin("p", &["serve"], "")
        .config(move |c| {
            c.models.hub_endpoint = endpoint;
            f(c);
        })
        .start()
        .await
}

/// Polls until the model is no longer queued, downloading or verifying.
async fn settled(client: &Client, id: &str) -> Model {
    wait_until("the download settles", || async { !client.model(id).await.unwrap().status.is_active() })
        .await;
    client.model(id).await.unwrap()
}

/// Every file under `dir`, recursively (links not followed).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

fn hub_cache(d: &TestDaemon) -> PathBuf {
    d.root.join("cache").join("hub")
}

async fn download_on(database_url: Option<String>) {
    let files = tiny(64 * 1024);
    let hub = hub_with(&[("org/tiny", files.clone())]).await;
    let d = start(&hub, |c| {
        if let Some(url) = database_url {
            c.database_url = url;
        }
    })
    .await;

    // 202 at once; the same request again joins the same model.
    let resp =
        d.http().post(d.url("/api/models/download")).json(&json!({"repo": "org/tiny"})).send().await.unwrap();
    assert_eq!(resp.status(), 202);
    let first: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(first["created"], true);
    assert!(!first["job"].as_str().unwrap().is_empty());
    let id = first["model"]["id"].as_str().unwrap().to_string();
    let again = d.client.download_model(&download("org/tiny")).await.unwrap();
    assert_eq!(again.model.id, id);
    assert!(!again.created, "no second download for the same repo and revision");

    let m = settled(&d.client, &id).await;
    assert_eq!(m.status, ModelStatus::Ready, "{m:?}");
    assert_eq!(m.commit.as_deref(), Some(COMMIT));
    assert_eq!(m.revision, "main");
    assert_eq!(m.files.len(), 3);
    let total: u64 = files.values().map(|b| b.len() as u64).sum();
    assert_eq!(m.total_bytes, total);
    assert_eq!((m.progress.bytes_done, m.progress.bytes_total), (total, total));
    assert!(m.error.is_none() && m.problems.is_empty() && m.last_validated_at.is_some());
    for f in &m.files {
        let (sha, _) = hashes(&files[&f.path]);
        assert!(f.verified, "{f:?}");
        assert_eq!(f.sha256.as_deref(), Some(sha.as_str()), "every file's SHA-256 is known and checked");
        assert_eq!(f.done, f.size);
    }

    // The hub's cache layout: snapshot links into blobs named by hash, and the ref.
    let repo_dir = hub_cache(&d).join("models--org--tiny");
    let snap = PathBuf::from(m.path.clone().unwrap());
    assert_eq!(snap, repo_dir.join("snapshots").join(COMMIT));
    for (path, bytes) in &files {
        assert_eq!(&std::fs::read(snap.join(path)).unwrap(), bytes, "{path}");
        assert!(std::fs::symlink_metadata(snap.join(path)).unwrap().file_type().is_symlink());
    }
    let lfs = hashes(&files["model.safetensors"]).0;
    assert_eq!(
        std::fs::read_link(snap.join("model.safetensors")).unwrap(),
        PathBuf::from(format!("../../blobs/{lfs}"))
    );
    let git = hashes(&files["config.json"]).1;
    assert!(repo_dir.join("blobs").join(&git).is_file(), "small files are named by their git blob id");
    assert_eq!(std::fs::read_to_string(repo_dir.join("refs/main")).unwrap(), COMMIT);
    assert!(d.client.models().await.unwrap().models.iter().any(|x| x.id == id));

    // Only the files asked for, for another revision.
    let some = DownloadRequest {
        repo: "org/tiny".into(),
        revision: Some("v1".into()),
        files: Some(vec!["*.json".into()]),
    };
    let accepted = d.client.download_model(&some).await.unwrap();
    let m1 = settled(&d.client, &accepted.model.id).await;
    assert_eq!(m1.status, ModelStatus::Ready);
    assert_eq!(m1.files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), ["config.json"]);

    let audit =
        d.client.audit(&AuditQuery { action: Some("model.".into()), ..Default::default() }).await.unwrap();
    assert_eq!(audit.events.iter().filter(|e| e.action == "model.download").count(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn download_verifies_every_file_and_runs_once_per_revision() {
    download_on(None).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn download_on_postgres() {
    let Some(db) = PgDatabase::create().await else { return };
    download_on(Some(db.url.clone())).await;
    db.drop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_upstream_fault_ends_in_a_clear_state_without_leftovers() {
    let other = hub_with(&[("f/redirect-ok", tiny(1000))]).await;
    let dead = {
        // A port nothing listens on: bound, then closed.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let cases: Vec<(&str, Fault, ModelStatus, &str)> = vec![
        ("f/wrong-bytes", Fault::WrongBytes, ModelStatus::Invalid, "SHA-256"),
        ("f/wrong-length", Fault::WrongLength, ModelStatus::Failed, "announced"),
        ("f/endless", Fault::Endless, ModelStatus::Failed, "more than"),
        ("f/not-found", Fault::NotFound, ModelStatus::Failed, "404"),
        ("f/server-error", Fault::ServerError, ModelStatus::Failed, "500"),
        ("f/redirect-dead", Fault::RedirectTo(dead), ModelStatus::Failed, "cannot reach"),
        ("f/stall", Fault::Stall, ModelStatus::Failed, "no data for 1 s"),
    ];
    let hub = Hub::start().await.unwrap();
    for (repo, fault, _, _) in &cases {
        hub.add_repo(repo, tiny(40_000));
        hub.fault(repo, "model.safetensors", fault.clone());
    }
    hub.add_repo("f/redirect-ok", tiny(1000));
    hub.fault("f/redirect-ok", "model.safetensors", Fault::RedirectTo(other.endpoint()));
    let d = start(&hub, |c| {
        c.models.attempts = 2;
        c.models.stall_timeout_secs = 1;
        c.models.hub_token = "hf_secret_token".into();
    })
    .await;

    for (repo, _, want, phrase) in &cases {
        let id = d.client.download_model(&download(repo)).await.unwrap().model.id;
        let m = settled(&d.client, &id).await;
        assert_eq!(m.status, *want, "{repo}: {m:?}");
        let error = m.error.clone().unwrap_or_default();
        assert!(error.contains(phrase) && error.contains("model.safetensors"), "{repo}: {error}");
        assert!(m.path.is_none(), "{repo}: never published");
        assert!(!m.files.iter().any(|f| f.path == "model.safetensors" && f.verified), "{repo}");
    }

    // Redirected to another host: followed, without the token.
    let id = d.client.download_model(&download("f/redirect-ok")).await.unwrap().model.id;
    assert_eq!(settled(&d.client, &id).await.status, ModelStatus::Ready);
    assert!(
        hub.authorizations().iter().all(|a| a == "Bearer hf_secret_token")
            && !hub.authorizations().is_empty()
    );
    assert!(other.authorizations().is_empty(), "the token never leaves the hub's host");

    // No such repo: a clear 404 at once, and nothing registered.
    let err = d.client.download_model(&download("no/such")).await.unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
    let err = d.client.download_model(&download("../etc")).await.unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    assert!(!d.client.models().await.unwrap().models.iter().any(|m| m.repo == "no/such"));

    let leftovers: Vec<_> = files_under(&hub_cache(&d))
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".incomplete"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_refuses_while_a_plugin_uses_the_model_and_frees_the_disk() {
    let hub = hub_with(&[("org/a", tiny(50_000)), ("org/b", tiny(60_000))]).await;
    let d = start(&hub, |_| {}).await;
    let a = d.client.download_model(&download("org/a")).await.unwrap().model.id;
    let b = d.client.download_model(&download("org/b")).await.unwrap().model.id;
    assert_eq!(settled(&d.client, &a).await.status, ModelStatus::Ready);
    assert_eq!(settled(&d.client, &b).await.status, ModelStatus::Ready);

    // The plugin resolves both through the daemon: it now uses them.
    d.client.start("p").await.unwrap();
    for (model, id) in [("org/a", &a), (b.as_str(), &b)] {
        let out = d.client.invoke("p", "model", &json!({"model": model})).await.unwrap();
        assert_eq!(out.output["id"], id.as_str());
        assert!(Path::new(out.output["path"].as_str().unwrap()).join("model.safetensors").is_file());
    }
    assert_eq!(d.client.model(&a).await.unwrap().used_by, ["p"]);
    let err = d.client.delete_model(&a, false).await.unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");
    assert!(err.to_string().contains("in use by p"), "{err}");

    // Forced while in use; or once the plugin stopped.
    d.client.delete_model(&b, true).await.unwrap();
    d.client.stop("p").await.unwrap();
    assert!(d.client.model(&a).await.unwrap().used_by.is_empty());
    d.client.delete_model(&a, false).await.unwrap();
    assert_eq!(d.client.model(&a).await.unwrap_err().status(), Some(404));
    assert_eq!(d.client.delete_model(&a, false).await.unwrap_err().status(), Some(404));
    assert!(files_under(&hub_cache(&d)).is_empty(), "every byte freed: {:?}", files_under(&hub_cache(&d)));

    // Unknown and not-ready models do not resolve.
    d.client.start("p").await.unwrap();
    let err = d.client.invoke("p", "model", &json!({"model": "org/a"})).await.unwrap_err();
    assert!(err.to_string().contains("no model"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_while_downloading_cancels_and_leaves_nothing() {
    let hub = hub_with(&[("org/held", tiny(100_000))]).await;
    hub.fault("org/held", "model.safetensors", Fault::Hold);
    let d = start(&hub, |_| {}).await;
    let id = d.client.download_model(&download("org/held")).await.unwrap().model.id;
    wait_until("half of the weights arrived", || async {
        let m = d.client.model(&id).await.unwrap();
        m.status == ModelStatus::Downloading
            && m.files.iter().any(|f| f.path == "model.safetensors" && f.done > 0 && f.done == f.size / 2)
    })
    .await;
    d.client.delete_model(&id, false).await.unwrap();
    assert_eq!(d.client.model(&id).await.unwrap_err().status(), Some(404));
    assert!(files_under(&hub_cache(&d)).is_empty(), "{:?}", files_under(&hub_cache(&d)));
    hub.release();
}

/// A download that stalls after a burst (the hub holds the weights at their midpoint) still
/// tells `models` subscribers how far it got: the throttle must not swallow the burst's end.
#[tokio::test(flavor = "multi_thread")]
async fn a_stalled_download_publishes_the_progress_it_made() {
    let hub = hub_with(&[("org/stalls", tiny(100_000))]).await;
    hub.fault("org/stalls", "model.safetensors", Fault::Hold);
    let d = start(&hub, |_| {}).await;
    let mut ws = d.client.ws().await.unwrap();
    ws.subscribe(bkg_core::ws::Topic::Models, None).await.unwrap();
    let m = d.client.download_model(&download("org/stalls")).await.unwrap().model;
    // Without the event this waits forever: a generous bound turns that into a failure.
    let seen = tokio::time::timeout(std::time::Duration::from_secs(120), async {
        loop {
            let msg = ws.next().await.expect("connection open").expect("valid message");
            if let bkg_core::ws::ServerMessage::Model(e) = msg
                && e.id == m.id
                && e.progress.bytes_done > 0
                && e.progress.bytes_done < e.progress.bytes_total
                && e.progress.bytes_done == d.client.model(&m.id).await.unwrap().progress.bytes_done
            {
                break e;
            }
        }
    })
    .await
    .expect("an event with the progress made before the stall");
    assert_eq!(seen.status, ModelStatus::Downloading);
    hub.release();
    assert_eq!(settled(&d.client, &m.id).await.status, ModelStatus::Ready);
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_finds_a_file_corrupted_on_disk() {
    let hub = hub_with(&[("org/v", tiny(10_000))]).await;
    let d = start(&hub, |_| {}).await;
    let id = d.client.download_model(&download("org/v")).await.unwrap().model.id;
    let m = settled(&d.client, &id).await;
    let report = d.client.validate_model(&id).await.unwrap();
    assert!(report.ok && report.problems.is_empty(), "{report:?}");

    let file = PathBuf::from(m.path.unwrap()).join("model.safetensors");
    let good = std::fs::read(&file).unwrap();
    let mut bad = good.clone();
    bad[100] ^= 0x01;
    std::fs::write(&file, &bad).unwrap();
    let report = d.client.validate_model(&id).await.unwrap();
    assert!(!report.ok);
    assert_eq!(report.model.status, ModelStatus::Invalid);
    assert!(
        report.problems.iter().any(|p| p.contains("model.safetensors") && p.contains("SHA-256")),
        "{report:?}"
    );
    let err = d.client.invoke("p", "model", &json!({"model": id})).await;
    assert!(err.is_err(), "an invalid model does not resolve");

    // Repaired: valid again.
    std::fs::write(&file, &good).unwrap();
    let report = d.client.validate_model(&id).await.unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(d.client.model(&id).await.unwrap().status, ModelStatus::Ready);
    let audit = d
        .client
        .audit(&AuditQuery { action: Some("model.validate".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(audit.events.len(), 3);
    assert_eq!(audit.events.iter().filter(|e| e.outcome == "failure").count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn import_from_a_folder() {
    let hub = Hub::start().await.unwrap();
    let d = start(&hub, |_| {}).await;
    let src = d.root.join("src-model");
    for (path, bytes) in tiny(2000) {
        let p = src.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    std::fs::create_dir_all(src.join(".git")).unwrap();
    std::fs::write(src.join(".git/HEAD"), "ref").unwrap();

    let req =
        ImportRequest { path: src.display().to_string(), repo: Some("local/tiny".into()), revision: None };
    let m = d.client.import_model(&req).await.unwrap();
    assert_eq!(m.status, ModelStatus::Ready);
    assert_eq!(m.files.len(), 3, "hidden folders are skipped: {:?}", m.files);
    assert!(m.files.iter().all(|f| f.verified && f.sha256.is_some()));
    // The copy stands alone: the source can go.
    std::fs::remove_dir_all(&src).unwrap();
    assert!(d.client.validate_model(&m.id).await.unwrap().ok);
    assert_eq!(d.client.import_model(&req).await.unwrap_err().status(), Some(409));

    // A broken safetensors header is found at import.
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("model.safetensors"), b"\x08\x00\x00\x00\x00\x00\x00\x00{\"a\":1}").unwrap();
    let broken = d
        .client
        .import_model(&ImportRequest {
            path: src.display().to_string(),
            repo: Some("local/broken".into()),
            revision: None,
        })
        .await
        .unwrap();
    assert_eq!(broken.status, ModelStatus::Invalid, "{broken:?}");

    let missing = ImportRequest { path: "/no/such/folder".into(), ..Default::default() };
    assert_eq!(d.client.import_model(&missing).await.unwrap_err().status(), Some(404));
    let relative = ImportRequest { path: "relative/folder".into(), ..Default::default() };
    assert_eq!(d.client.import_model(&relative).await.unwrap_err().status(), Some(400));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_download_resumes_after_kill_9_and_fetches_little_twice() {
    let mut files = tiny(1024 * 1024);
    files.insert("extra.safetensors".into(), safetensors(256 * 1024));
    let total: u64 = files.values().map(|b| b.len() as u64).sum();
    let hub = hub_with(&[("org/big", files)]).await;
    hub.fault("org/big", "model.safetensors", Fault::Hold);
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();

    let mut bkgd = spawn_bkgd(dir.path(), port, &[("BKG_MODELS__HUB_ENDPOINT", &hub.endpoint())]);
    let client = login_on_port(port).await;
    let id = client.download_model(&download("org/big")).await.unwrap().model.id;
    wait_until("half of the weights are on disk", || async {
        let m = client.model(&id).await.unwrap();
        m.files.iter().any(|f| f.path == "model.safetensors" && f.done > 0 && f.done == f.size / 2)
    })
    .await;
    bkgd.kill().unwrap();
    bkgd.wait().unwrap();
    let partials: Vec<_> = files_under(&dir.path().join("cache/hub"))
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".incomplete"))
        .collect();
    assert_eq!(partials.len(), 1, "the partial file survives the kill");

    // The held connection stays held: whatever the new daemon gets, it asks for itself.
    let mut bkgd = spawn_bkgd(dir.path(), port, &[("BKG_MODELS__HUB_ENDPOINT", &hub.endpoint())]);
    let client = login_on_port(port).await;
    let m = settled(&client, &id).await;
    assert_eq!(m.status, ModelStatus::Ready, "{m:?}");
    let served = hub.bytes_served();
    assert!(served <= total + total / 10, "fetched {served} bytes for a model of {total}");
    bkgd.kill().unwrap();
    bkgd.wait().unwrap();
}

/// The real test models, fetched by `scripts/fetch-test-models` (which `make test` runs first).
pub fn test_models() -> PathBuf {
    let dir = crate::harness::test_models_root();
    assert!(
        dir.join("all-minilm-l6-v2/model.safetensors").is_file()
            && dir.join("smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf").is_file(),
        "the real test models are missing from {}: run scripts/fetch-test-models",
        dir.display()
    );
    dir
}

#[tokio::test(flavor = "multi_thread")]
async fn real_models_download_verify_and_validate() {
    let models = test_models();
    let hub = Hub::start().await.unwrap();
    hub.add_dir("sentence-transformers/all-MiniLM-L6-v2", &models.join("all-minilm-l6-v2")).unwrap();
    hub.add_dir("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", &models.join("smollm2-135m-instruct")).unwrap();
    let d = start(&hub, |_| {}).await;
    for (repo, folder) in [
        ("sentence-transformers/all-MiniLM-L6-v2", "all-minilm-l6-v2"),
        ("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", "smollm2-135m-instruct"),
    ] {
        let id = d.client.download_model(&download(repo)).await.unwrap().model.id;
        let m = settled(&d.client, &id).await;
        assert_eq!(m.status, ModelStatus::Ready, "{m:?}");
        let path = PathBuf::from(m.path.unwrap());
        for f in &m.files {
            let original = std::fs::read(models.join(folder).join(&f.path)).unwrap();
            assert_eq!(f.sha256.as_deref(), Some(hashes(&original).0.as_str()), "{}", f.path);
            assert_eq!(std::fs::metadata(path.join(&f.path)).unwrap().len(), original.len() as u64);
        }
        // Real safetensors and GGUF headers and configs parse.
        let report = d.client.validate_model(&id).await.unwrap();
        assert!(report.ok, "{report:?}");
    }
}

/// The hub's HTTP client (which reads the system's CA certificates) is made on the first
/// download, not at start: a machine without CA certificates runs bkgd, and a download there
/// fails with a message that says why.
#[tokio::test(flavor = "multi_thread")]
async fn bkgd_starts_without_ca_certificates_and_a_download_says_why_it_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let no_certs = dir.path().join("no-certs");
    std::fs::create_dir(&no_certs).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let missing = no_certs.join("ca-certificates.crt");
    let env = [
        // rustls-native-certs reads only these when they are set.
        ("SSL_CERT_FILE", missing.to_str().unwrap()),
        ("SSL_CERT_DIR", no_certs.to_str().unwrap()),
        ("BKG_MODELS__HUB_ENDPOINT", "https://127.0.0.1:9/"),
    ];
    let mut bkgd = spawn_bkgd(dir.path(), port, &env);
    let client = login_on_port(port).await;
    let err = client.download_model(&download("org/tiny")).await.unwrap_err();
    assert_eq!(err.code(), Some(bkg_core::ErrorCode::UpstreamError), "{err}");
    let message = err.to_string();
    assert!(message.contains("cannot make an HTTP client for the hub"), "{message}");
    assert!(message.contains("No CA certificates were loaded from the system"), "{message}");
    bkgd.kill().unwrap();
    bkgd.wait().unwrap();
}

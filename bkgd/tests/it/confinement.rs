//! Plugins and model imports touch files only where they may: a plugin's own data folder and
//! the folders an admin allowed it; capabilities that need more than `plugins:invoke` are
//! refused without it and audited; model import is for admins and reads only inside
//! `models.import_roots`. Tried as an attacker would, through the real API and real plugin
//! processes: absolute paths, `..`, symlinks and encoded forms.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use bkg_core::ErrorCode;
use bkg_core::auth::{AuditQuery, Permission, Role};
use bkg_core::client::{Client, ClientError};
use bkg_core::models::ImportRequest;
use serde_json::{Value, json};

use crate::harness::{TestDaemon, daemon};
use crate::ml::{EMBED_MODEL, with_plugin};

/// A file outside every folder the daemon lets plugins use, with a known content and mode.
fn victim(dir: &Path) -> PathBuf {
    let path = dir.join("victim.txt");
    std::fs::write(&path, "precious\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

fn assert_untouched(path: &Path) {
    assert_eq!(std::fs::read_to_string(path).unwrap(), "precious\n", "{} was changed", path.display());
    let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{} changed its mode", path.display());
}

fn code(r: &Result<impl std::fmt::Debug, ClientError>) -> Option<ErrorCode> {
    r.as_ref().err().and_then(ClientError::code)
}

/// The paths an attacker would try to reach `victim` with from a plugin's data folder (which
/// holds links to it and to its folder, made by the test).
fn escapes(victim: &Path) -> Vec<String> {
    vec![
        victim.display().to_string(),
        "/etc/passwd".into(),
        format!("../../../../../../../..{}", victim.display()),
        format!("sub/../../../../../../../..{}", victim.display()),
        "link-to-victim".into(),
        "link-to-its-folder/victim.txt".into(),
        "link-to-its-folder/new.txt".into(),
    ]
}

fn plant_links(data: &Path, victim: &Path) {
    std::fs::create_dir_all(data).unwrap();
    std::os::unix::fs::symlink(victim, data.join("link-to-victim")).unwrap();
    std::os::unix::fs::symlink(victim.parent().unwrap(), data.join("link-to-its-folder")).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plugin_reads_and_writes_only_inside_its_folders() {
    let outside = tempfile::tempdir().unwrap();
    let victim = victim(outside.path());
    let allowed = tempfile::tempdir().unwrap();
    let allowed_dir = allowed.path().to_path_buf();
    let d = daemon()
        .plugin("p", &["serve"], "")
        .config(|c| {
            c.supervisor.allowed_paths.insert("p".into(), vec![allowed_dir.clone()]);
        })
        .start()
        .await;
    d.client.start("p").await.unwrap();
    let data = d.root.join("data/plugin-data/p");

    // The daemon made the folder, private, and told the plugin in its hello and environment.
    let who = d.client.invoke("p", "whoami", &json!({})).await.unwrap().output;
    assert_eq!(who["dataDir"], json!(data.display().to_string()));
    assert_eq!(who["envDataDir"], who["dataDir"]);
    assert_eq!(who["allowedPaths"], json!([allowed_dir.display().to_string()]));
    assert_eq!(std::fs::metadata(&data).unwrap().permissions().mode() & 0o777, 0o700);

    let dev = d.user("dev", Role::Developer).await;
    let write = |path: String, text: &str| {
        let dev = dev.clone();
        let input = json!({"path": path, "text": text});
        async move { dev.invoke("p", "file", &input).await }
    };
    let read = |path: String| {
        let dev = dev.clone();
        async move { dev.invoke("p", "file", &json!({"path": path})).await }
    };

    // Inside: relative to the data folder, and absolute in the allowed folder.
    write("notes/a.txt".into(), "hello").await.unwrap();
    assert_eq!(std::fs::read_to_string(data.join("notes/a.txt")).unwrap(), "hello");
    assert_eq!(read("notes/a.txt".into()).await.unwrap().output["text"], "hello");
    let in_allowed = allowed_dir.join("out.txt").display().to_string();
    write(in_allowed.clone(), "shared").await.unwrap();
    assert_eq!(read(in_allowed).await.unwrap().output["text"], "shared");

    // Outside: refused with 403 path_not_allowed, reading and writing alike.
    plant_links(&data, &victim);
    for path in escapes(&victim) {
        let w = write(path.clone(), "owned").await;
        assert_eq!(code(&w), Some(ErrorCode::PathNotAllowed), "write {path}: {w:?}");
        let r = read(path.clone()).await;
        assert_eq!(code(&r), Some(ErrorCode::PathNotAllowed), "read {path}: {r:?}");
        assert!(!format!("{r:?}").contains("precious"), "nothing of the file leaks: {r:?}");
    }
    assert_untouched(&victim);
    assert!(!outside.path().join("new.txt").exists());

    // Encoded forms are names on a file system: they stay in the data folder.
    for name in ["%2e%2e%2fvictim.txt", "..%2fvictim.txt", "%2e%2e"] {
        write(name.into(), "x").await.unwrap();
        assert!(data.join(name).is_file(), "{name} lands inside the data folder");
    }
    assert_untouched(&victim);
}

#[tokio::test(flavor = "multi_thread")]
async fn brainml_admin_needs_plugins_admin_is_audited_and_snapshots_stay_inside() {
    let brainml = include_str!("../../../plugins/brainml/plugin.toml");
    let d = with_plugin("brainml", brainml, &[], &[(EMBED_MODEL, "all-minilm-l6-v2")]).await;
    let outside = tempfile::tempdir().unwrap();
    let victim = victim(outside.path());
    let data = d.root.join("data/plugin-data/brainml");
    let admin = |input: Value| {
        let c = d.client.clone();
        async move { c.invoke("brainml", "admin", &input).await }
    };
    let docs = json!({"collection": "c1", "documents": [{"id": "a", "text": "The cat sat."}, {"id": "b", "text": "Rain fell."}]});
    d.client.invoke("brainml", "index", &docs).await.unwrap();

    // The capability says what it needs, and a developer does not have it (the repro: a
    // developer replacing a file of the daemon's user through a snapshot).
    let caps = d.client.capabilities("brainml").await.unwrap().capabilities;
    let cap = caps.iter().find(|c| c.name == "admin").unwrap();
    assert_eq!(cap.permission, Some(Permission::PluginsAdmin));
    let dev = d.user("dev", Role::Developer).await;
    let snapshot_victim = json!({"action": "snapshot", "collection": "c1", "path": victim});
    let err = dev.invoke("brainml", "admin", &snapshot_victim).await;
    assert_eq!(code(&err), Some(ErrorCode::Forbidden), "{err:?}");
    assert!(format!("{err:?}").contains("plugins:admin"), "the refusal names the permission: {err:?}");
    assert!(dev.invoke("brainml", "query", &json!({"collection": "c1", "text": "cat"})).await.is_ok());
    assert_untouched(&victim);

    // An admin cannot leave the data folder either.
    plant_links(&data, &victim);
    for path in escapes(&victim) {
        for action in ["snapshot", "restore"] {
            let r = admin(json!({"action": action, "collection": "c1", "path": path})).await;
            assert_eq!(code(&r), Some(ErrorCode::PathNotAllowed), "{action} {path}: {r:?}");
            assert!(!format!("{r:?}").contains("precious") && !format!("{r:?}").contains("UTF-8"), "{r:?}");
        }
    }
    assert_untouched(&victim);

    // Inside it, snapshot and restore work as before.
    let snap =
        admin(json!({"action": "snapshot", "collection": "c1", "path": "snaps/c1.jsonl"})).await.unwrap();
    assert_eq!(snap.output["documents"], 2);
    assert_eq!(std::fs::read_to_string(data.join("snaps/c1.jsonl")).unwrap().lines().count(), 2);
    admin(json!({"action": "drop", "collection": "c1"})).await.unwrap();
    let back =
        admin(json!({"action": "restore", "collection": "c1", "path": "snaps/c1.jsonl"})).await.unwrap();
    assert_eq!(back.output["documents"], 2);

    // Every call of the capability left a row: who, what, the outcome.
    let rows = d
        .client
        .audit(&AuditQuery { action: Some("plugin.invoke".into()), limit: Some(1000), ..Default::default() })
        .await
        .unwrap()
        .events;
    let outcomes: Vec<(String, String)> = rows
        .iter()
        .map(|e| {
            (e.actor.clone().unwrap_or_default(), e.details["outcome"].as_str().unwrap_or("").to_string())
        })
        .collect();
    assert!(outcomes.contains(&("dev".into(), "forbidden".into())), "{outcomes:?}");
    assert!(outcomes.contains(&("admin".into(), "path_not_allowed".into())), "{outcomes:?}");
    assert_eq!(outcomes.iter().filter(|(a, o)| a == "admin" && o == "ok").count(), 3, "{outcomes:?}");
    assert!(
        rows.iter().all(|e| e.details["capability"] == "admin" && e.target.as_deref() == Some("brainml"))
    );
    assert!(
        rows.iter().all(|e| e.outcome == if e.details["outcome"] == "ok" { "success" } else { "failure" })
    );
}

async fn import(c: &Client, path: &Path) -> Result<bkg_core::models::Model, ClientError> {
    let repo = format!("local/m{}", uuid::Uuid::new_v4().simple());
    c.import_model(&ImportRequest { path: path.display().to_string(), repo: Some(repo), revision: None })
        .await
}

fn folder(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("config.json"), "{\"model_type\": \"tiny\"}\n").unwrap();
    dir.to_path_buf()
}

#[tokio::test(flavor = "multi_thread")]
async fn model_import_is_for_admins_and_reads_only_inside_the_import_roots() {
    // The test harness lists the test's folder as an import root; the data dir and cache lie
    // inside it, as an operator might have it.
    let d: TestDaemon = daemon().start().await;
    let outside = tempfile::tempdir().unwrap();
    let secret_folder = folder(&outside.path().join("secret-model"));

    let ok = folder(&d.root.join("tiny"));
    let dev = d.user("dev", Role::Developer).await;
    assert_eq!(code(&import(&dev, &ok).await), Some(ErrorCode::Forbidden), "developers may not import");
    assert!(import(&d.client, &ok).await.is_ok(), "admins may, inside a root");

    let linked_dir = d.root.join("linked-dir");
    std::os::unix::fs::symlink(&secret_folder, &linked_dir).unwrap();
    let with_link = folder(&d.root.join("with-link"));
    std::os::unix::fs::symlink(d.root.join("data/secrets"), with_link.join("secrets")).unwrap();
    let with_file_link = folder(&d.root.join("with-file-link"));
    std::os::unix::fs::symlink(secret_folder.join("config.json"), with_file_link.join("leak.json")).unwrap();
    for path in [
        d.root.join("data"),
        d.root.join("data/secrets"),
        d.root.join("cache"),
        d.root.clone(),
        secret_folder.clone(),
        PathBuf::from("/etc/ssl/certs"),
        d.root.join("tiny/../../../../../../etc"),
        linked_dir,
        with_link,
        with_file_link,
    ] {
        let r = import(&d.client, &path).await;
        assert_eq!(code(&r), Some(ErrorCode::PathNotAllowed), "{}: {r:?}", path.display());
    }
    let models = d.client.models().await.unwrap().models;
    assert_eq!(models.len(), 1, "only the allowed import is registered: {models:?}");
    // Blobs are named by their SHA-256: the signing key's is not among them.
    use sha2::Digest;
    let key_sha =
        hex::encode(sha2::Sha256::digest(std::fs::read(d.root.join("data/secrets/jwt-hs256.key")).unwrap()));
    let cached = walk_names(&d.root.join("cache"));
    assert!(
        !cached.iter().any(|n| n.starts_with(&key_sha)),
        "no secret was copied into the cache: {cached:?}"
    );

    // Without roots, importing is off.
    let off = daemon().config(|c| c.models.import_roots.clear()).start().await;
    let ok = folder(&off.root.join("tiny"));
    let r = import(&off.client, &ok).await;
    assert_eq!(code(&r), Some(ErrorCode::PathNotAllowed));
    assert!(format!("{r:?}").contains("import_roots"), "{r:?}");
}

fn walk_names(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            out.push(e.file_name().to_string_lossy().into_owned());
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(e.path());
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn the_data_dir_is_private_whatever_the_umask() {
    // What a fresh install under a common umask creates; set explicitly, since a test runner
    // may start with any.
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o022));
    let d = daemon().plugin("p", &["serve"], "").start().await;
    d.client.start("p").await.unwrap();
    d.client.invoke("p", "log", &json!({"count": 3})).await.unwrap();
    let data = d.root.join("data");
    crate::harness::wait_until("the log file exists", || async { data.join("logs/p.log").exists() }).await;
    let mode = |p: &Path| {
        std::fs::metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).permissions().mode() & 0o777
    };
    for dir in ["", "logs", "secrets", "plugin-data", "plugin-data/p"] {
        assert_eq!(mode(&data.join(dir)), 0o700, "data/{dir}");
    }
    for file in ["bkg.db", "bkg.db-wal", "bkg.db-shm", "logs/p.log", "secrets/jwt-hs256.key"] {
        assert_eq!(mode(&data.join(file)), 0o600, "data/{file}");
    }
    for dir in ["cache", "cache/hub"] {
        assert_eq!(mode(&d.root.join(dir)), 0o700, "{dir}");
    }
}

//! The repoagent plugin (Python) against a real daemon: its runtime (tree-sitter grammars from
//! PyPI) installed through the API, exact counts on the committed fixture repository, this
//! repository analysed with progress, regex search honouring .gitignore, paths confined to the
//! folders an admin allowed, and semantic search over the fixture through llmserver and
//! brainml (plugin-to-plugin calls) with the real MiniLM model, refreshed by file hash.

use std::path::{Path, PathBuf};

use bkg_core::models::ImportRequest;
use bkg_core::plugin::InvokeEvent;
use bkg_core::runtime::InstallEvent;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::harness::{TestDaemon, daemon};
use crate::ml::EMBED_MODEL;
use crate::models::test_models;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap()
}

/// The fixture as a git work tree with one commit, in `dir`.
fn fixture_repo(dir: &Path) -> PathBuf {
    let root = dir.join("fixture");
    let src = repo_root().join("plugins/repoagent/tests/fixture");
    let status = std::process::Command::new("cp").arg("-r").arg(&src).arg(&root).status().unwrap();
    assert!(status.success());
    std::fs::rename(root.join("dot-gitignore"), root.join(".gitignore")).unwrap();
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &["-c", "user.name=Ada", "-c", "user.email=ada@example.org", "commit", "-qm", "the fixture"],
    ] {
        let ok = std::process::Command::new("git").arg("-C").arg(&root).args(args).status().unwrap();
        assert!(ok.success(), "git {args:?}");
    }
    root
}

async fn repoagent(fixture_dir: &Path, llm: bool) -> TestDaemon {
    let allowed = vec![fixture_dir.to_path_buf(), repo_root()];
    let mut b = daemon().config(move |c| {
        c.supervisor.allowed_paths.insert("repoagent".into(), allowed);
    });
    if llm {
        let exe =
            |id: &str| bkgd::supervisor::manifest::exe_dir().join(format!("bkg-{id}")).display().to_string();
        for id in ["llmserver", "brainml"] {
            let m = std::fs::read_to_string(repo_root().join(format!("plugins/{id}/plugin.toml"))).unwrap();
            b = b.raw_manifest(
                id,
                &m.replace(&format!("command = [\"./bkg-{id}\"]"), &format!("command = [{:?}]", exe(id))),
            );
        }
    }
    let d = b.start().await;
    // The plugin's folder as an operator would drop it into the plugins directory (its tests
    // left out), picked up by a reload, its runtime installed through the API.
    let folder = d.root.join("plugins/repoagent");
    let src = repo_root().join("plugins/repoagent");
    for f in ["plugin.toml", "repoagent.py", "requirements.txt"] {
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::copy(src.join(f), folder.join(f)).unwrap();
    }
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(src.join("repoagent_lib"))
        .arg(&folder)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(d.client.reload_plugins().await.unwrap().added, ["repoagent"]);
    let events: Vec<InstallEvent> =
        d.client.install_runtime("repoagent").await.unwrap().map(|e| e.unwrap()).collect().await;
    assert!(matches!(events.last(), Some(InstallEvent::Done(_))), "{events:?}");
    if llm {
        d.client
            .import_model(&ImportRequest {
                path: test_models().join("all-minilm-l6-v2").display().to_string(),
                repo: Some(EMBED_MODEL.into()),
                revision: None,
            })
            .await
            .unwrap();
        d.client.start("llmserver").await.unwrap();
        d.client.start("brainml").await.unwrap();
    }
    d.client.start("repoagent").await.unwrap();
    d
}

async fn call(d: &TestDaemon, capability: &str, input: Value) -> Value {
    d.client
        .invoke("repoagent", capability, &input)
        .await
        .unwrap_or_else(|e| panic!("{capability}: {e}"))
        .output
}

#[tokio::test(flavor = "multi_thread")]
async fn repoagent_counts_analyses_this_repository_and_searches_by_regex() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = fixture_repo(tmp.path());
    let d = repoagent(tmp.path(), false).await;
    let path = fixture.display().to_string();

    let out = call(&d, "code.analyze", json!({"path": path})).await;
    let totals =
        [&out["files"], &out["lines"], &out["code"], &out["comments"], &out["blanks"], &out["symbols"]];
    assert_eq!(totals.map(|v| v.as_u64().unwrap()), [5, 140, 100, 14, 26, 19], "{out}");
    let rust = out["languages"].as_array().unwrap().iter().find(|l| l["language"] == "Rust").unwrap();
    assert_eq!((rust["code"].as_u64(), rust["symbols"].as_u64()), (Some(31), Some(7)));
    assert_eq!(out["git"]["lastCommit"]["subject"], "the fixture");
    assert_eq!(out["todo"]["count"], 2);

    // This repository, with progress as it goes.
    let mut events = Box::pin(
        d.client.invoke_stream("repoagent", "code.analyze", &json!({"path": repo_root()})).await.unwrap(),
    );
    let (mut progress, mut result) = (0, Value::Null);
    while let Some(ev) = events.next().await {
        match ev.unwrap() {
            InvokeEvent::Chunk(c) if c["progress"]["files"].as_u64().is_some() => progress += 1,
            InvokeEvent::Result(v) => result = v,
            other => panic!("{other:?}"),
        }
    }
    assert!(progress >= 1, "progress chunks");
    let rust = result["languages"].as_array().unwrap().iter().find(|l| l["language"] == "Rust").unwrap();
    assert!(rust["files"].as_u64().unwrap() > 100 && rust["code"].as_u64().unwrap() > 20_000, "{rust}");
    assert!(result["symbols"].as_u64().unwrap() > 1000);
    assert!(result["git"]["commits"].as_u64().unwrap() >= 1);

    // Regex search: known lines with context; the ignored log is not searched.
    let hits = call(&d, "code.search", json!({"path": path, "query": "retr(y|ies)", "mode": "regex"})).await;
    let found: Vec<(String, u64)> = hits["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["path"].as_str().unwrap().to_string(), h["line"].as_u64().unwrap()))
        .collect();
    assert!(found.contains(&("net/http_client.rs".into(), 18)), "{found:?}");
    assert!(!found.iter().any(|(p, _)| p == "debug.log"));
    let bad = d.client.invoke("repoagent", "code.search", &json!({"path": path, "query": "(unclosed"})).await;
    assert_eq!(bad.unwrap_err().status(), Some(422));

    // Only folders an admin allowed.
    let outside = d.client.invoke("repoagent", "code.analyze", &json!({"path": "/etc"})).await;
    assert_eq!(outside.unwrap_err().status(), Some(403));
}

#[tokio::test(flavor = "multi_thread")]
async fn semantic_search_finds_code_by_meaning_and_refreshes_by_file_hash() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = fixture_repo(tmp.path());
    let d = repoagent(tmp.path(), true).await;
    let path = fixture.display().to_string();
    let search = async |query: &str| {
        call(&d, "code.search", json!({"path": path, "query": query, "mode": "semantic", "k": 3})).await
    };

    let first = search("how are passwords hashed").await;
    assert_eq!(first["index"]["changedFiles"], 4, "the four code files were indexed: {}", first["index"]);
    for (query, file) in [
        ("how are passwords hashed", "auth/password.py"),
        ("retry a failed HTTP request with backoff", "net/http_client.rs"),
        ("draw a bar chart on a canvas", "ui/chart.js"),
        ("evict the least recently used entry", "storage/cache.go"),
    ] {
        let out = search(query).await;
        let top: Vec<&str> =
            out["results"].as_array().unwrap().iter().map(|r| r["path"].as_str().unwrap()).collect();
        assert!(top.contains(&file), "{query:?} -> {top:?}");
        assert_eq!(out["index"]["changedFiles"], 0, "nothing changed: nothing re-embedded");
    }

    // A changed file is re-indexed alone, and what it says now is found.
    std::fs::write(
        fixture.join("ui/chart.js"),
        "// Parses a date from an ISO 8601 string.\nfunction parseDate(s) { return new Date(s); }\n",
    )
    .unwrap();
    let out = search("parse a date string").await;
    assert_eq!(out["index"]["changedFiles"], 1);
    assert_eq!(out["results"][0]["path"], "ui/chart.js", "{out}");
}

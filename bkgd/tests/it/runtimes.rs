//! Plugin runtimes, bundles and reload through the real API: a Python plugin with a PyPI
//! dependency and a Node plugin with an npm one, installed explicitly (never at start) with the
//! installer's output streamed, a failed install that says why, an outdated runtime; plugin
//! folders uploaded as tar archives; and reloads that never touch running plugins.

use std::path::Path;

use bkg_core::ErrorCode;
use bkg_core::auth::AuditQuery;
use bkg_core::client::{Client, ClientError};
use bkg_core::plugin::PluginState;
use bkg_core::runtime::{InstallEvent, RuntimeState};
use futures_util::StreamExt;
use serde_json::json;

use crate::harness::{daemon, manifest, testplugin};

const PY_PLUGIN: &str = r#"import sys
import six
from bkg_plugin import Plugin

plugin = Plugin("py-runtime", "0.1.0")


@plugin.capability("check", input_schema={"type": "object"})
def check(ctx, data):
    return {"six": six.__version__, "prefix": sys.prefix}


plugin.main()
"#;

fn python_plugin(dir: &Path, requirements: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("plugin.py"), PY_PLUGIN).unwrap();
    std::fs::write(dir.join("requirements.txt"), requirements).unwrap();
    std::fs::write(
        dir.join("plugin.toml"),
        "id = \"py-runtime\"\ncommand = [\"python3\", \"plugin.py\"]\n[env]\nPYTHONDONTWRITEBYTECODE = \"1\"\n[runtime]\nkind = \"python\"\n",
    )
    .unwrap();
}

fn node_plugin(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/node-runtime");
    for f in ["package.json", "package-lock.json", "plugin.js", "plugin.toml"] {
        std::fs::copy(fixture.join(f), dir.join(f)).unwrap();
    }
}

/// Every event of an install, the last being its outcome.
async fn install(c: &Client, id: &str) -> Vec<InstallEvent> {
    let stream = c.install_runtime(id).await.unwrap();
    stream.map(|e| e.unwrap()).collect().await
}

fn code<T: std::fmt::Debug>(r: &Result<T, ClientError>) -> Option<ErrorCode> {
    r.as_ref().err().and_then(ClientError::code)
}

#[tokio::test(flavor = "multi_thread")]
async fn python_and_node_runtimes_are_installed_explicitly_and_used() {
    let d = daemon().start().await;
    python_plugin(&d.root.join("plugins/py-runtime"), "six==1.16.0\n");
    node_plugin(&d.root.join("plugins/node-runtime"));
    let report = d.client.reload_plugins().await.unwrap();
    assert_eq!(report.added, ["node-runtime", "py-runtime"], "{report:?}");

    for (id, input, expect) in
        [("py-runtime", json!({}), "1.16.0"), ("node-runtime", json!({"value": 5}), "true")]
    {
        let runtime = d.client.plugin(id).await.unwrap().runtime.unwrap();
        assert_eq!(runtime.state, RuntimeState::NotInstalled, "{id}");
        // Never installed as a surprise at start: the start says how.
        let refused = d.client.start(id).await;
        assert_eq!(code(&refused), Some(ErrorCode::Conflict), "{id}: {refused:?}");
        assert!(format!("{refused:?}").contains("bkgctl plugins install"), "{refused:?}");

        let events = install(&d.client, id).await;
        assert!(events.iter().filter(|e| matches!(e, InstallEvent::Output(_))).count() >= 2, "{events:?}");
        let Some(InstallEvent::Done(status)) = events.last() else { panic!("{id}: {events:?}") };
        assert_eq!(status.state, RuntimeState::Installed);

        d.client.start(id).await.unwrap();
        let out = d.client.invoke(id, "check", &input).await.unwrap().output;
        let got = out.get("six").or_else(|| out.get("isNumber")).unwrap().to_string();
        assert_eq!(got.trim_matches('"'), expect, "{id}: {out}");
        if id == "py-runtime" {
            let prefix = out["prefix"].as_str().unwrap();
            assert!(
                prefix.ends_with("data/runtimes/py-runtime/venv"),
                "the plugin runs in its venv: {prefix}"
            );
        }
        // The installer's output is in the plugin's log too.
        let logs = d.client.logs(id, &Default::default()).await.unwrap();
        assert!(logs.lines.iter().any(|l| l.message.starts_with("install: $ ")), "{id}");
    }
    let audit =
        d.client.audit(&AuditQuery { action: Some("plugin.install".into()), ..Default::default() }).await;
    assert_eq!(audit.unwrap().events.iter().filter(|e| e.outcome == "success").count(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_install_says_why_and_an_edited_requirement_makes_it_outdated() {
    let d = daemon().start().await;
    let dir = d.root.join("plugins/py-runtime");
    python_plugin(&dir, "bkg-no-such-package-for-tests==0.0.0\n");
    d.client.reload_plugins().await.unwrap();

    let events = install(&d.client, "py-runtime").await;
    let Some(InstallEvent::Error(e)) = events.last() else { panic!("{events:?}") };
    assert_eq!(e.code, ErrorCode::UpstreamError);
    assert!(e.message.contains("bkg-no-such-package-for-tests"), "the installer's own words: {}", e.message);
    let runtime = d.client.plugin("py-runtime").await.unwrap().runtime.unwrap();
    assert_eq!(runtime.state, RuntimeState::Failed);
    assert!(runtime.message.unwrap().contains("pip"));
    assert_eq!(code(&d.client.start("py-runtime").await), Some(ErrorCode::Conflict));

    std::fs::write(dir.join("requirements.txt"), "six==1.16.0\n").unwrap();
    assert!(matches!(install(&d.client, "py-runtime").await.last(), Some(InstallEvent::Done(_))));
    std::fs::write(dir.join("requirements.txt"), "six==1.16.0\n# pinned\n").unwrap();
    let runtime = d.client.plugin("py-runtime").await.unwrap().runtime.unwrap();
    assert_eq!(runtime.state, RuntimeState::Outdated);
    let refused = d.client.start("py-runtime").await;
    assert!(format!("{refused:?}").contains("changed since they were installed"), "{refused:?}");

    // Not while it runs, and not for a plugin without a runtime.
    assert!(matches!(install(&d.client, "py-runtime").await.last(), Some(InstallEvent::Done(_))));
    d.client.start("py-runtime").await.unwrap();
    assert_eq!(code(&d.client.install_runtime("py-runtime").await.map(|_| ())), Some(ErrorCode::Conflict));
}

#[tokio::test(flavor = "multi_thread")]
async fn reload_picks_up_manifests_and_leaves_running_plugins_alone() {
    let d = daemon().plugin("keep", &["serve"], "").start().await;
    d.client.start("keep").await.unwrap();
    let pid = d.pid_of("keep").await;
    let dir = d.root.join("plugins");

    std::fs::write(dir.join("b.toml"), manifest("b", &["serve"], "")).unwrap();
    let r = d.client.reload_plugins().await.unwrap();
    assert_eq!(
        (r.added.as_slice(), r.unchanged.as_slice()),
        (&["b".to_string()][..], &["keep".to_string()][..])
    );
    assert_eq!(d.client.plugin_status("b").await.unwrap().status, PluginState::Stopped);

    std::fs::write(dir.join("b.toml"), manifest("b", &["serve"], "description = \"new\"")).unwrap();
    std::fs::write(dir.join("keep.toml"), manifest("keep", &["serve"], "description = \"new\"")).unwrap();
    let r = d.client.reload_plugins().await.unwrap();
    assert_eq!(r.updated, ["b"]);
    assert_eq!(r.deferred, ["keep"], "a running plugin is never touched");
    assert_eq!(d.client.plugin("b").await.unwrap().description, "new");
    assert_eq!(d.client.plugin("keep").await.unwrap().description, "");
    assert_eq!(d.pid_of("keep").await, pid);

    std::fs::remove_file(dir.join("b.toml")).unwrap();
    std::fs::write(dir.join("bad.toml"), "id = \"Bad Id\"\ncommand = [\"x\"]\n").unwrap();
    let r = d.client.reload_plugins().await.unwrap();
    assert_eq!(r.removed, ["b"]);
    assert!(r.errors.iter().any(|e| e.contains("bad.toml")), "{r:?}");
    assert_eq!(d.client.plugin("b").await.unwrap_err().status(), Some(404));

    d.client.stop("keep").await.unwrap();
    assert_eq!(d.client.reload_plugins().await.unwrap().updated, ["keep"], "applied once stopped");
    assert_eq!(d.client.plugin("keep").await.unwrap().description, "new");
}

fn tar(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        let raw = &mut h.as_old_mut().name;
        raw[..name.len()].copy_from_slice(name.as_bytes());
        h.set_cksum();
        b.append(&h, *data).unwrap();
    }
    b.into_inner().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn bundles_are_unpacked_safely_and_never_over_a_running_plugin() {
    let d = daemon().start().await;
    let toml = format!("id = \"bundled\"\ncommand = [{:?}, \"serve\"]\n", testplugin().display().to_string());
    let ok = tar(&[("plugin.toml", toml.as_bytes()), ("notes/readme.txt", b"hi")]);
    let done = d.client.upload_bundle("bundled", ok.clone()).await.unwrap();
    assert_eq!((done.files, done.reload.added.as_slice()), (2, &["bundled".to_string()][..]));
    assert!(d.root.join("plugins/bundled/notes/readme.txt").is_file());
    d.client.start("bundled").await.unwrap();
    assert_eq!(
        code(&d.client.upload_bundle("bundled", ok).await),
        Some(ErrorCode::Conflict),
        "not under a running plugin"
    );

    let evil = tar(&[("plugin.toml", b"id = \"evil\"\ncommand = [\"x\"]\n"), ("../escaped.txt", b"x")]);
    assert_eq!(code(&d.client.upload_bundle("evil", evil).await), Some(ErrorCode::InvalidRequest));
    assert!(!d.root.join("escaped.txt").exists() && !d.root.join("plugins/evil").exists());
    let mismatch = tar(&[("plugin.toml", b"id = \"other\"\ncommand = [\"x\"]\n")]);
    assert_eq!(code(&d.client.upload_bundle("evil", mismatch).await), Some(ErrorCode::InvalidRequest));
    let leftovers: Vec<_> =
        std::fs::read_dir(d.root.join("plugins")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers, ["bundled"], "nothing half-written");
}

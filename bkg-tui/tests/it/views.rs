//! The plugin-specific tabs against the real plugins and test models (fetched by
//! `scripts/fetch-test-models`; the plugin binaries sit next to bkg-tui's): a message typed
//! into llmserver's Chat tab is answered with streamed tokens and ends with its token count;
//! brainml's Collections tab lists collections with counts and queries the selected one.

use std::path::PathBuf;
use std::time::Duration;

use bkg_core::auth::Role;
use bkg_core::models::ImportRequest;
use bkg_core::plugin::PluginState;

use crate::harness::{Tmux, wait_until};

const CHAT_MODEL: &str = "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF";
const EMBED_MODEL: &str = "sentence-transformers/all-MiniLM-L6-v2";

/// Waits up to `secs` (a first reply loads the model) until the screen satisfies `cond`.
async fn wait_long(tmux: &Tmux, what: &str, secs: u64, cond: impl Fn(&str) -> bool) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let screen = tmux.screen();
        if cond(&screen) {
            return screen;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting until {what}; screen:\n{screen}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A daemon running the real plugin `id` (its manifest from the repo, the binary next to
/// bkg-tui's) with the test models `models` (repo, folder) imported, started and running.
async fn with_plugin(id: &str, manifest: &str, models: &[(&str, &str)]) -> bkg_testkit::TestDaemon {
    let dir = bkg_testkit::daemon::test_models_root();
    for (_, folder) in models {
        assert!(
            dir.join(folder).is_dir(),
            "the real test models are missing from {}: run scripts/fetch-test-models",
            dir.display()
        );
    }
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_bkg-tui")).with_file_name(format!("bkg-{id}"));
    assert!(exe.is_file(), "{} is missing: build it (`cargo build -p bkg-{id}`)", exe.display());
    let manifest = manifest.replace(
        &format!(r#"command = ["./bkg-{id}"]"#),
        &format!("command = [{:?}]", exe.display().to_string()),
    );
    let d = bkg_testkit::daemon().raw_manifest(id, &manifest).start().await;
    for (repo, folder) in models {
        let req = ImportRequest {
            path: dir.join(folder).display().to_string(),
            repo: Some(repo.to_string()),
            revision: None,
        };
        d.client.import_model(&req).await.unwrap();
    }
    d.client.start(id).await.unwrap();
    wait_until(&format!("{id} runs"), || async {
        d.client.plugin_status(id).await.is_ok_and(|s| s.status == PluginState::Running)
    })
    .await;
    d
}

#[tokio::test(flavor = "multi_thread")]
async fn chat_with_the_real_llmserver_streams_a_reply() {
    let d = with_plugin(
        "llmserver",
        include_str!("../../../plugins/llmserver/plugin.toml"),
        &[(CHAT_MODEL, "smollm2-135m-instruct"), (EMBED_MODEL, "all-minilm-l6-v2")],
    )
    .await;
    let token = d.key(Role::Developer).await;
    let cfg = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(&d.url(""), &token, cfg.path());
    tmux.wait("llmserver is listed", |s| s.lines().any(|l| l.contains("llmserver") && l.contains("running")))
        .await;
    tmux.key("Enter");
    tmux.wait_text("Logs | Config | Capabilities | Chat").await;
    for _ in 0..3 {
        tmux.key("Tab");
    }
    tmux.wait_text("Enter: write a message").await;
    tmux.key("Enter");
    // Letters that are keys elsewhere (`s` start, `x` stop, `q` quit) are text here.
    tmux.type_text("Say hi to sx and q.");
    tmux.wait_text("> Say hi to sx and q.").await;
    tmux.key("Enter");
    let screen = wait_long(&tmux, "the reply is complete", 300, |s| s.contains(" tokens, ")).await;
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines.iter().position(|l| l.contains("│assistant")).expect("an assistant turn");
    let reply = lines[at + 1].trim_matches(|c: char| c == '│' || c.is_whitespace());
    assert!(!reply.is_empty(), "the reply has text:\n{screen}");
    assert!(!screen.contains("error:"), "{screen}");
    assert!(screen.contains("Enter: write a message"), "the input is free again:\n{screen}");
}

#[tokio::test(flavor = "multi_thread")]
async fn collections_of_the_real_brainml_list_and_query() {
    let d = with_plugin(
        "brainml",
        include_str!("../../../plugins/brainml/plugin.toml"),
        &[(EMBED_MODEL, "all-minilm-l6-v2")],
    )
    .await;
    let token = d.key(Role::Developer).await;
    let cfg = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(&d.url(""), &token, cfg.path());
    tmux.wait("brainml is listed", |s| s.lines().any(|l| l.contains("brainml") && l.contains("running")))
        .await;
    tmux.key("Enter");
    tmux.wait_text("Logs | Config | Capabilities | Collections").await;
    for _ in 0..3 {
        tmux.key("Tab");
    }
    tmux.wait_text("no collections yet").await;

    let docs = [
        ("s1", "The striker scored twice in the second half."),
        ("s2", "The goalkeeper saved three shots on target."),
        ("c1", "Simmer the tomato sauce for twenty minutes."),
        ("c2", "Knead the dough until it is smooth and elastic."),
    ];
    let documents: Vec<serde_json::Value> =
        docs.iter().map(|(id, text)| serde_json::json!({"id": id, "text": text})).collect();
    for (collection, part) in [("cooking", &documents[2..]), ("sports", &documents[..2])] {
        let input = serde_json::json!({"collection": collection, "documents": part});
        d.client.invoke("brainml", "index", &input).await.unwrap();
    }
    tmux.type_text("R");
    let screen =
        tmux.wait("both collections are listed", |s| s.contains("cooking") && s.contains("sports")).await;
    assert!(screen.lines().any(|l| l.contains("sports") && l.contains(" 2")), "counts are shown:\n{screen}");
    // `sports` is the second in the list.
    let first_is_cooking = screen.find("cooking") < screen.find("sports");
    tmux.type_text(if first_is_cooking { "j" } else { "" });
    tmux.type_text("/");
    tmux.wait_text("query: ").await;
    tmux.type_text("who kept the ball out of the net");
    tmux.key("Enter");
    let screen =
        wait_long(&tmux, "the hits are shown", 120, |s| s.contains("Hits in sports") && s.contains("SCORE"))
            .await;
    let hits: Vec<&str> = screen.lines().skip_while(|l| !l.contains("SCORE")).skip(1).take(2).collect();
    assert!(
        hits[0].contains("s2") && hits[0].contains("goalkeeper"),
        "the goalkeeper comes first:\n{screen}"
    );
    assert!(!screen.contains("error:"), "{screen}");
}

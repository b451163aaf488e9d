//! The Chat tab against the real llmserver on the SmolLM2 test model (fetched by
//! `scripts/fetch-test-models`): a message typed into the tab is answered with streamed tokens
//! and the reply ends with its token count.

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

#[tokio::test(flavor = "multi_thread")]
async fn chat_with_the_real_llmserver_streams_a_reply() {
    let models = bkg_testkit::daemon::test_models_root();
    assert!(
        models.join("smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf").is_file(),
        "the real test models are missing from {}: run scripts/fetch-test-models",
        models.display()
    );
    // The plugin binary sits next to bkg-tui's.
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_bkg-tui")).with_file_name("bkg-llmserver");
    assert!(exe.is_file(), "{} is missing: build it (`cargo build -p bkg-llmserver`)", exe.display());
    let manifest = include_str!("../../../plugins/llmserver/plugin.toml")
        .replace(r#"command = ["./bkg-llmserver"]"#, &format!("command = [{:?}]", exe.display().to_string()));
    let d = bkg_testkit::daemon().raw_manifest("llmserver", &manifest).start().await;
    for (repo, folder) in [(CHAT_MODEL, "smollm2-135m-instruct"), (EMBED_MODEL, "all-minilm-l6-v2")] {
        let req = ImportRequest {
            path: models.join(folder).display().to_string(),
            repo: Some(repo.into()),
            revision: None,
        };
        d.client.import_model(&req).await.unwrap();
    }
    d.client.start("llmserver").await.unwrap();
    wait_until("llmserver runs", || async {
        d.client.plugin_status("llmserver").await.is_ok_and(|s| s.status == PluginState::Running)
    })
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

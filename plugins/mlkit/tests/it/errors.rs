//! Typed errors for bad input and bad files.

use bkg_mlkit::Error;
use bkg_mlkit::embed::{Embedder, EmbedderOptions};
use bkg_mlkit::llm::{GenerateParams, Llm, LlmOptions};

use crate::common::{embedder, llm, one_thread};

fn llm_options() -> LlmOptions {
    LlmOptions { threads: Some(one_thread()), ..LlmOptions::default() }
}

#[test]
fn empty_text_list_is_rejected() {
    let texts: [&str; 0] = [];
    assert!(matches!(embedder().embed(&texts), Err(Error::EmptyInput(_))));
}

#[test]
fn missing_embedding_model_is_not_found() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("nope");
    assert!(
        matches!(Embedder::load(&missing, EmbedderOptions::default()), Err(Error::NotFound(p)) if p == missing)
    );
    // A folder without the model's files names the first missing file.
    let err = Embedder::load(dir.path(), EmbedderOptions::default()).expect_err("no files");
    assert!(matches!(&err, Error::NotFound(p) if p.ends_with("config.json")), "{err}");
}

#[test]
fn unreadable_embedding_config_is_invalid_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["config.json", "tokenizer.json", "model.safetensors"] {
        std::fs::write(dir.path().join(name), b"not json").expect("writes");
    }
    let err = Embedder::load(dir.path(), EmbedderOptions::default()).expect_err("garbage files");
    assert!(matches!(&err, Error::InvalidModel { path, .. } if path.ends_with("config.json")), "{err}");
}

#[test]
fn missing_or_broken_gguf_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("model.gguf");
    assert!(matches!(Llm::load(&missing, llm_options()), Err(Error::NotFound(_))));
    std::fs::write(&missing, b"GGUF but not really").expect("writes");
    let err = Llm::load(&missing, llm_options()).expect_err("broken file");
    assert!(matches!(err, Error::InvalidModel { .. }), "{err}");
}

#[test]
fn prompt_longer_than_the_context_is_rejected() {
    let mut model = llm();
    let context = model.info().context_length;
    let prompt = vec![28u32; context + 10];
    let err = model
        .generate(&prompt, &GenerateParams::default(), |_| std::ops::ControlFlow::Continue(()))
        .expect_err("too long");
    assert!(
        matches!(err, Error::PromptTooLong { prompt_tokens, context_length } if prompt_tokens == context + 10 && context_length == context),
        "{err}"
    );
}

#[test]
fn empty_prompt_and_conversation_are_rejected() {
    let mut model = llm();
    let go = |_: &str| std::ops::ControlFlow::Continue(());
    assert!(matches!(model.generate(&[], &GenerateParams::default(), go), Err(Error::EmptyInput(_))));
    assert!(matches!(model.chat(&[], &GenerateParams::default(), go), Err(Error::EmptyInput(_))));
}

#[test]
fn out_of_range_parameters_are_rejected() {
    let mut model = llm();
    let go = |_: &str| std::ops::ControlFlow::Continue(());
    let bad = [
        GenerateParams { max_tokens: 0, ..GenerateParams::default() },
        GenerateParams { temperature: -1.0, ..GenerateParams::default() },
        GenerateParams { temperature: f64::NAN, ..GenerateParams::default() },
        GenerateParams { temperature: 0.7, top_p: Some(0.0), ..GenerateParams::default() },
        GenerateParams { temperature: 0.7, top_p: Some(1.5), ..GenerateParams::default() },
    ];
    for params in bad {
        let err = model.generate(&[1, 2, 3], &params, go).expect_err("invalid parameter");
        assert!(matches!(err, Error::InvalidParameter { .. }), "{params:?}: {err}");
    }
    let err = model.generate(&[u32::MAX], &GenerateParams::default(), go).expect_err("bad token");
    assert!(matches!(err, Error::InvalidParameter { name: "prompt", .. }), "{err}");
}

//! Shared fixtures: the test models (loaded once per test binary, on one compute thread) and
//! the reference files.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock};

use bkg_mlkit::embed::{Embedder, EmbedderOptions};
use bkg_mlkit::llm::{ChatMessage, Llm, LlmOptions};
use bkg_mlkit::{Threads, test_models};
use serde::Deserialize;

/// One thread: on a busy 2-core machine candle is much slower with more, and results do not
/// depend on it.
pub fn one_thread() -> Threads {
    Threads::new(1).expect("a pool of one thread starts")
}

/// Path of a test model, or a failing test that says how to get it.
pub fn model_path(path: PathBuf) -> PathBuf {
    test_models::require(path).unwrap_or_else(|message| panic!("{message}"))
}

pub fn embedder() -> &'static Embedder {
    static EMBEDDER: OnceLock<Embedder> = OnceLock::new();
    EMBEDDER.get_or_init(|| {
        let options = EmbedderOptions { threads: Some(one_thread()), ..EmbedderOptions::default() };
        Embedder::load(model_path(test_models::minilm()), options).expect("all-MiniLM-L6-v2 loads")
    })
}

/// The SmolLM2 model, shared by all tests; each test holds the lock while it generates.
pub fn llm() -> MutexGuard<'static, Llm> {
    static LLM: OnceLock<Mutex<Llm>> = OnceLock::new();
    LLM.get_or_init(|| {
        let options = LlmOptions { threads: Some(one_thread()), ..LlmOptions::default() };
        Mutex::new(Llm::load(model_path(test_models::smollm2_gguf()), options).expect("SmolLM2 loads"))
    })
    .lock()
    .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn reference_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference").join(name)
}

fn read_reference<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    let path = reference_path(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Deserialize)]
pub struct EmbeddingItem {
    pub text: String,
    pub embedding: Vec<f32>,
}

#[derive(Deserialize)]
struct EmbeddingReference {
    items: Vec<EmbeddingItem>,
}

pub fn embedding_reference() -> Vec<EmbeddingItem> {
    read_reference::<EmbeddingReference>("embeddings.json").items
}

#[derive(Deserialize)]
pub struct ChatItem {
    pub messages: Vec<ChatMessage>,
    pub prompt: String,
    pub prompt_ids: Vec<u32>,
    pub output_ids: Vec<u32>,
    pub output_text: String,
    /// Whether free-running greedy output is compared (see tests/reference/README.md).
    pub free_running_check: bool,
    /// llama.cpp's top-5 `(token id, logit)` before each output token, teacher-forced.
    pub top_logits: Vec<Vec<(u32, f32)>>,
}

#[derive(Deserialize)]
struct ChatReference {
    items: Vec<ChatItem>,
}

pub fn chat_reference() -> Vec<ChatItem> {
    read_reference::<ChatReference>("chat.json").items
}

pub fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum();
    let na: f64 = a.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    dot / (na * nb)
}

//! `bkg-llmserver`, the llmserver plugin: `chat` with a GGUF llama-family model (streamed
//! token by token, with `max_tokens`, `temperature`, `top_p`, `stop` and `seed`) and
//! `embeddings` from a sentence-transformers model, both computed by `bkg-mlkit`.
//!
//! Models come from bkgd's registry: the plugin asks the daemon where a model is
//! (`models.resolve`, by the repo or id in its config) and loads it on first use; it never
//! downloads anything. bkgd's OpenAI-compatible routes (`/v1/chat/completions`,
//! `/v1/embeddings`) invoke these two capabilities.
//!
//! The models compute on blocking threads; the chat model is one per process behind a mutex
//! (it owns its key-value cache), so chats run one after the other, while embeddings run
//! beside them.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use bkg_mlkit::embed::{Embedder, EmbedderOptions};
use bkg_mlkit::llm::{ChatMessage, FinishReason, GenerateParams, Llm, LlmOptions};
use bkg_mlkit::{Error as MlError, Threads};
use bkg_plugin_sdk::methods::ModelsResolve;
use bkg_plugin_sdk::{Ctx, Plugin, PluginError, Session, capability, feature, parse_input};
use parking_lot::Mutex;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Config {
    chat_model: String,
    embedding_model: String,
    #[serde(default = "one")]
    threads: usize,
}

fn one() -> usize {
    1
}

/// A model loaded for a registry id, so a config change or a re-download loads anew.
struct Loaded<T> {
    id: String,
    model: T,
}

#[derive(Default)]
struct State {
    chat: tokio::sync::Mutex<Option<Loaded<Arc<Mutex<Llm>>>>>,
    embed: tokio::sync::Mutex<Option<Loaded<Arc<Embedder>>>>,
    tokens: std::sync::atomic::AtomicU64,
    embeddings: std::sync::atomic::AtomicU64,
}

fn config(session: &Session) -> Result<Config, PluginError> {
    serde_json::from_value((*session.config()).clone())
        .map_err(|e| PluginError::bad_input(format!("the plugin's config is not usable: {e}")))
}

fn ml_error(e: MlError) -> PluginError {
    if e.is_caller_error() {
        PluginError::bad_input(e.to_string())
    } else {
        PluginError::internal(e.to_string())
    }
}

/// Where the daemon keeps `model`, and its files.
async fn resolve(session: &Session, model: &str) -> Result<(String, PathBuf, Vec<String>), PluginError> {
    let r = session.models_resolve(&ModelsResolve { model: model.to_string() }).await?;
    Ok((r.id, PathBuf::from(r.path), r.files))
}

async fn chat_model(state: &State, session: &Session, name: &str) -> Result<Arc<Mutex<Llm>>, PluginError> {
    let (id, dir, files) = resolve(session, name).await?;
    let mut slot = state.chat.lock().await;
    if let Some(l) = slot.as_ref().filter(|l| l.id == id) {
        return Ok(l.model.clone());
    }
    let gguf = files
        .iter()
        .find(|f| f.to_ascii_lowercase().ends_with(".gguf"))
        .ok_or_else(|| PluginError::bad_input(format!("model {name:?} has no .gguf file")))?;
    let path = dir.join(gguf);
    let llm = tokio::task::spawn_blocking(move || Llm::load(&path, LlmOptions::default()))
        .await
        .map_err(|e| PluginError::internal(e.to_string()))?
        .map_err(ml_error)?;
    let model = Arc::new(Mutex::new(llm));
    *slot = Some(Loaded { id, model: model.clone() });
    Ok(model)
}

async fn embed_model(
    state: &State,
    session: &Session,
    name: &str,
    threads: usize,
) -> Result<Arc<Embedder>, PluginError> {
    let (id, dir, _) = resolve(session, name).await?;
    let mut slot = state.embed.lock().await;
    if let Some(l) = slot.as_ref().filter(|l| l.id == id) {
        return Ok(l.model.clone());
    }
    let embedder = tokio::task::spawn_blocking(move || {
        let threads = Threads::new(threads)?;
        Embedder::load(&dir, EmbedderOptions { threads: Some(threads), ..Default::default() })
    })
    .await
    .map_err(|e| PluginError::internal(e.to_string()))?
    .map_err(ml_error)?;
    let model = Arc::new(embedder);
    *slot = Some(Loaded { id, model: model.clone() });
    Ok(model)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChatInput {
    messages: Vec<ChatMessage>,
    #[serde(default)]
    max_tokens: Option<usize>,
    #[serde(default)]
    temperature: Option<f64>,
    #[serde(default)]
    top_p: Option<f64>,
    #[serde(default)]
    stop: Vec<String>,
    #[serde(default)]
    seed: Option<u64>,
}

fn finish_reason(r: FinishReason) -> &'static str {
    match r {
        FinishReason::EndOfGeneration | FinishReason::StopString => "stop",
        FinishReason::MaxTokens | FinishReason::ContextFull => "length",
        FinishReason::Cancelled => "cancelled",
    }
}

async fn run_chat(state: Arc<State>, ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: ChatInput = parse_input(input)?;
    let cfg = config(ctx.session())?;
    let llm = chat_model(&state, ctx.session(), &cfg.chat_model).await?;
    let params = GenerateParams {
        max_tokens: input.max_tokens.unwrap_or(256),
        temperature: input.temperature.unwrap_or(0.0),
        top_p: input.top_p,
        stop: input.stop,
        seed: input.seed.unwrap_or(0),
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let cancelled = ctx.clone();
    let messages = input.messages;
    let started = Instant::now();
    let work = tokio::task::spawn_blocking(move || {
        let mut llm = llm.lock();
        llm.chat(&messages, &params, |delta| {
            if cancelled.is_cancelled() || tx.send(delta.to_string()).is_err() {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
    });
    while let Some(delta) = rx.recv().await {
        ctx.chunk(json!({"delta": delta})).await?;
    }
    let generation = work.await.map_err(|e| PluginError::internal(e.to_string()))?.map_err(ml_error)?;
    if ctx.is_cancelled() {
        return Err(PluginError::cancelled());
    }
    let seconds = started.elapsed().as_secs_f64();
    let total = state.tokens.fetch_add(generation.tokens.len() as u64, std::sync::atomic::Ordering::Relaxed)
        + generation.tokens.len() as u64;
    let _ = ctx
        .report_metrics([
            ("tokens_generated", total as f64),
            ("tokens_per_second", generation.tokens.len() as f64 / seconds.max(1e-9)),
        ])
        .await;
    Ok(json!({
        "model": cfg.chat_model,
        "text": generation.text,
        "tokens": generation.tokens,
        "finishReason": finish_reason(generation.finish_reason),
        "promptTokens": generation.prompt_tokens,
        "completionTokens": generation.tokens.len(),
    }))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Texts {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EmbedInput {
    input: Texts,
}

async fn run_embeddings(state: Arc<State>, ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: EmbedInput = parse_input(input)?;
    let texts = match input.input {
        Texts::One(t) => vec![t],
        Texts::Many(v) => v,
    };
    if texts.is_empty() {
        return Err(PluginError::bad_input("input: give at least one text"));
    }
    let cfg = config(ctx.session())?;
    let embedder = embed_model(&state, ctx.session(), &cfg.embedding_model, cfg.threads).await?;
    let started = Instant::now();
    let n = texts.len();
    let (vectors, tokens) = tokio::task::spawn_blocking(move || {
        Ok::<_, MlError>((embedder.embed(&texts)?, embedder.token_counts(&texts)?.iter().sum::<usize>()))
    })
    .await
    .map_err(|e| PluginError::internal(e.to_string()))?
    .map_err(ml_error)?;
    let seconds = started.elapsed().as_secs_f64();
    let total = state.embeddings.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed) + n as u64;
    let _ = ctx
        .report_metrics([
            ("embeddings", total as f64),
            ("embeddings_per_second", n as f64 / seconds.max(1e-9)),
        ])
        .await;
    let dimension = vectors.first().map(Vec::len).unwrap_or(0);
    Ok(
        json!({"model": cfg.embedding_model, "dimension": dimension, "embeddings": vectors, "promptTokens": tokens}),
    )
}

fn plugin() -> Plugin {
    let state = Arc::new(State::default());
    let (s1, s2) = (state.clone(), state);
    Plugin::new("bkg-llmserver", env!("CARGO_PKG_VERSION"))
        .feature(feature::CALLBACKS)
        .feature(feature::METRICS)
        .capability(
            capability("chat")
                .description(
                    "Answers a conversation (system, user and assistant messages, through the model's own chat \
                     template); streams {delta} chunks, then {text, tokens, finishReason, promptTokens, completionTokens}",
                )
                .input_schema(json!({
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["messages"],
                    "properties": {
                        "messages": {"type": "array", "minItems": 1, "items": {
                            "type": "object", "additionalProperties": false, "required": ["role", "content"],
                            "properties": {"role": {"type": "string", "enum": ["system", "user", "assistant"]},
                                           "content": {"type": "string"}}}},
                        "max_tokens": {"type": "integer", "minimum": 1, "maximum": 8192},
                        "temperature": {"type": "number", "minimum": 0, "maximum": 2},
                        "top_p": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                        "stop": {"type": "array", "items": {"type": "string", "minLength": 1}, "maxItems": 8},
                        "seed": {"type": "integer", "minimum": 0}
                    }
                })),
            move |ctx, input| run_chat(s1.clone(), ctx, input),
        )
        .capability(
            capability("embeddings")
                .description("Sentence embeddings (mean pooling, L2-normalised as the model's config says)")
                .input_schema(json!({
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["input"],
                    "properties": {"input": {"oneOf": [
                        {"type": "string"},
                        {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 2048}
                    ]}}
                })),
            move |ctx, input| run_embeddings(s2.clone(), ctx, input),
        )
}

fn main() -> std::process::ExitCode {
    plugin().main()
}

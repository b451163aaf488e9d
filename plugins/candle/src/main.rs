//! `bkg-candle`, the candle plugin: loads models of bkgd's registry (BERT-family safetensors
//! encoders and GGUF llama-family decoders, through `bkg-mlkit`), keeps several loaded within
//! a memory budget (least recently used first out; idle ones unloaded after a while), runs them
//! (`infer`), runs tensor operations on given arrays (`tensor.ops`), and reports what it holds
//! and how fast it answers (`stats`).
//!
//! Memory accounting counts the weight bytes of each loaded model (its `.gguf` or
//! `.safetensors` files), which is what a loaded model keeps resident.

mod tensor;

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bkg_mlkit::embed::{Embedder, EmbedderOptions};
use bkg_mlkit::llm::{ChatMessage, GenerateParams, Llm, LlmOptions};
use bkg_plugin_sdk::methods::ModelsResolve;
use bkg_plugin_sdk::{Ctx, Plugin, PluginError, Session, capability, feature, parse_input};
use parking_lot::Mutex;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Config {
    max_memory_bytes: u64,
    #[serde(default)]
    idle_unload_secs: u64,
}

enum Kind {
    Encoder(Arc<Embedder>),
    Decoder(Arc<Mutex<Llm>>),
}

struct Entry {
    model_id: String,
    repo: String,
    kind: Kind,
    bytes: u64,
    last_used: Mutex<Instant>,
    calls: AtomicU64,
}

impl Entry {
    fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Encoder(_) => "encoder",
            Kind::Decoder(_) => "decoder",
        }
    }

    fn describe(&self, name: &str) -> Value {
        json!({
            "name": name, "model": self.model_id, "repo": self.repo, "kind": self.kind_name(),
            "bytes": self.bytes, "calls": self.calls.load(Ordering::Relaxed),
            "idleSeconds": self.last_used.lock().elapsed().as_secs(),
        })
    }
}

struct State {
    models: Mutex<BTreeMap<String, Arc<Entry>>>,
    /// Serialises loads, so two loads cannot both pass the memory check.
    loading: tokio::sync::Mutex<()>,
    latency_us: Mutex<hdrhistogram::Histogram<u64>>,
    calls: AtomicU64,
    errors: AtomicU64,
}

fn config(session: &Session) -> Result<Config, PluginError> {
    serde_json::from_value((*session.config()).clone())
        .map_err(|e| PluginError::bad_input(format!("the plugin's config is not usable: {e}")))
}

fn internal(e: impl std::fmt::Display) -> PluginError {
    PluginError::internal(e.to_string())
}

fn ml(e: bkg_mlkit::Error) -> PluginError {
    if e.is_caller_error() { PluginError::bad_input(e.to_string()) } else { internal(e) }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoadInput {
    model: String,
    #[serde(default)]
    name: Option<String>,
}

async fn load(state: Arc<State>, ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: LoadInput = parse_input(input)?;
    let name = input.name.unwrap_or_else(|| input.model.clone());
    let cfg = config(ctx.session())?;
    let r = ctx.session().models_resolve(&ModelsResolve { model: input.model.clone() }).await?;
    let dir = PathBuf::from(&r.path);
    let lower: Vec<String> = r.files.iter().map(|f| f.to_ascii_lowercase()).collect();
    let size = |f: &str| std::fs::metadata(dir.join(f)).map(|m| m.len()).unwrap_or(0);
    let gguf = r.files.iter().zip(&lower).find(|(_, l)| l.ends_with(".gguf")).map(|(f, _)| f.clone());
    let safetensors: Vec<&String> =
        r.files.iter().zip(&lower).filter(|(_, l)| l.ends_with(".safetensors")).map(|(f, _)| f).collect();
    let bytes = match (&gguf, safetensors.is_empty()) {
        (Some(g), _) => size(g),
        (None, false) => safetensors.iter().map(|f| size(f)).sum(),
        (None, true) => {
            return Err(PluginError::bad_input(format!(
                "model {:?} has neither a .gguf file nor .safetensors weights",
                input.model
            )));
        }
    };
    if bytes > cfg.max_memory_bytes {
        return Err(PluginError::new(
            "over_budget",
            format!(
                "model {:?} needs {bytes} bytes, more than the budget of {} (maxMemoryBytes)",
                input.model, cfg.max_memory_bytes
            ),
        )
        .client());
    }

    let _guard = state.loading.lock().await;
    if let Some(e) = state.models.lock().get(&name).filter(|e| e.model_id == r.id) {
        return Ok(json!({"loaded": e.describe(&name), "evicted": [], "already": true}));
    }
    // Make room: least recently used first.
    let mut evicted = Vec::new();
    {
        let mut models = state.models.lock();
        models.remove(&name);
        loop {
            let used: u64 = models.values().map(|e| e.bytes).sum();
            if used + bytes <= cfg.max_memory_bytes {
                break;
            }
            let Some(oldest) = models.iter().min_by_key(|(_, e)| *e.last_used.lock()).map(|(n, _)| n.clone())
            else {
                break;
            };
            models.remove(&oldest);
            evicted.push(oldest);
        }
    }
    let kind = match gguf {
        Some(g) => {
            let path = dir.join(g);
            let llm = tokio::task::spawn_blocking(move || Llm::load(&path, LlmOptions::default()))
                .await
                .map_err(internal)?
                .map_err(ml)?;
            Kind::Decoder(Arc::new(Mutex::new(llm)))
        }
        None => {
            let e = tokio::task::spawn_blocking(move || Embedder::load(&dir, EmbedderOptions::default()))
                .await
                .map_err(internal)?
                .map_err(ml)?;
            Kind::Encoder(Arc::new(e))
        }
    };
    let entry = Arc::new(Entry {
        model_id: r.id,
        repo: r.repo,
        kind,
        bytes,
        last_used: Mutex::new(Instant::now()),
        calls: AtomicU64::new(0),
    });
    let described = entry.describe(&name);
    state.models.lock().insert(name, entry);
    report(&state, &ctx).await;
    Ok(json!({"loaded": described, "evicted": evicted, "already": false}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnloadInput {
    name: String,
}

async fn unload(state: Arc<State>, ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: UnloadInput = parse_input(input)?;
    let removed = state.models.lock().remove(&input.name);
    match removed {
        Some(e) => {
            report(&state, &ctx).await;
            Ok(json!({"unloaded": input.name, "bytes": e.bytes}))
        }
        None => Err(not_loaded(&state, &input.name)),
    }
}

fn not_loaded(state: &State, name: &str) -> PluginError {
    let names: Vec<String> = state.models.lock().keys().cloned().collect();
    PluginError::new(
        "not_loaded",
        format!("no model loaded as {name:?}; loaded: {names:?} (load it with model.load)"),
    )
    .client()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InferInput {
    model: String,
    #[serde(default)]
    texts: Option<Vec<String>>,
    #[serde(default)]
    messages: Option<Vec<ChatMessage>>,
    #[serde(default)]
    prompt: Option<String>,
    #[serde(default)]
    max_tokens: Option<usize>,
    #[serde(default)]
    temperature: Option<f64>,
    #[serde(default)]
    seed: Option<u64>,
}

async fn infer(state: Arc<State>, ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let input: InferInput = parse_input(input)?;
    // Bound first: the map's lock must be released before `not_loaded` takes it again.
    let found = state.models.lock().get(&input.model).cloned();
    let entry = found.ok_or_else(|| not_loaded(&state, &input.model))?;
    *entry.last_used.lock() = Instant::now();
    entry.calls.fetch_add(1, Ordering::Relaxed);
    let started = Instant::now();
    let out = match &entry.kind {
        Kind::Encoder(e) => {
            let texts = input
                .texts
                .ok_or_else(|| PluginError::bad_input("an encoder takes `texts`: a list of strings"))?;
            let e = e.clone();
            let vectors =
                tokio::task::spawn_blocking(move || e.embed(&texts)).await.map_err(internal)?.map_err(ml)?;
            json!({"embeddings": vectors})
        }
        Kind::Decoder(llm) => {
            let params = GenerateParams {
                max_tokens: input.max_tokens.unwrap_or(64),
                temperature: input.temperature.unwrap_or(0.0),
                seed: input.seed.unwrap_or(0),
                ..GenerateParams::default()
            };
            let (messages, prompt) = (input.messages, input.prompt);
            let llm = llm.clone();
            let g = tokio::task::spawn_blocking(move || {
                let mut llm = llm.lock();
                let go = |_: &str| ControlFlow::Continue(());
                match (messages, prompt) {
                    (Some(m), None) => llm.chat(&m, &params, go),
                    (None, Some(p)) => {
                        let ids = llm.tokenize(&p)?;
                        llm.generate(&ids, &params, go)
                    }
                    _ => Err(bkg_mlkit::Error::InvalidParameter {
                        name: "input",
                        message: "a decoder takes either `messages` (chat) or `prompt` (text to continue)"
                            .into(),
                    }),
                }
            })
            .await
            .map_err(internal)?
            .map_err(ml)?;
            json!({"text": g.text, "tokens": g.tokens, "promptTokens": g.prompt_tokens})
        }
    };
    record(&state, started.elapsed());
    let _ = ctx.report_metrics([("infer_calls", entry.calls.load(Ordering::Relaxed) as f64)]).await;
    Ok(out)
}

async fn tensor_ops(state: Arc<State>, _ctx: Ctx, input: Value) -> Result<Value, PluginError> {
    let started = Instant::now();
    let out = tokio::task::spawn_blocking(move || tensor::run(input)).await.map_err(internal)?;
    match out {
        Ok(v) => {
            record(&state, started.elapsed());
            Ok(v)
        }
        Err(e) => {
            state.errors.fetch_add(1, Ordering::Relaxed);
            Err(e)
        }
    }
}

fn record(state: &State, d: Duration) {
    state.calls.fetch_add(1, Ordering::Relaxed);
    let _ = state.latency_us.lock().record(d.as_micros().max(1) as u64);
}

async fn stats(state: Arc<State>, ctx: Ctx, _input: Value) -> Result<Value, PluginError> {
    let cfg = config(ctx.session())?;
    let models = state.models.lock();
    let loaded: Vec<Value> = models.iter().map(|(n, e)| e.describe(n)).collect();
    let memory: u64 = models.values().map(|e| e.bytes).sum();
    let h = state.latency_us.lock();
    let ms = |q: f64| if h.is_empty() { 0.0 } else { h.value_at_quantile(q) as f64 / 1000.0 };
    Ok(json!({
        "loaded": loaded,
        "memoryBytes": memory,
        "budgetBytes": cfg.max_memory_bytes,
        "calls": state.calls.load(Ordering::Relaxed),
        "errors": state.errors.load(Ordering::Relaxed),
        "latencyMs": {"p50": ms(0.5), "p90": ms(0.9), "p99": ms(0.99)},
    }))
}

async fn report(state: &State, ctx: &Ctx) {
    let (count, bytes) = {
        let m = state.models.lock();
        (m.len() as f64, m.values().map(|e| e.bytes).sum::<u64>() as f64)
    };
    let _ = ctx.report_metrics([("models_loaded", count), ("loaded_bytes", bytes)]).await;
}

/// Unloads models unused for `idleUnloadSecs`, checked every second.
async fn idle_unloader(state: Arc<State>, session: Session) {
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let Ok(cfg) = config(&session) else { continue };
        if cfg.idle_unload_secs == 0 {
            continue;
        }
        let limit = Duration::from_secs(cfg.idle_unload_secs);
        state.models.lock().retain(|_, e| e.last_used.lock().elapsed() < limit);
    }
}

fn schema(props: Value, required: &[&str]) -> Value {
    json!({"type": "object", "additionalProperties": false, "properties": props, "required": required})
}

fn plugin() -> Plugin {
    let state = Arc::new(State {
        models: Mutex::new(BTreeMap::new()),
        loading: tokio::sync::Mutex::new(()),
        latency_us: Mutex::new(
            hdrhistogram::Histogram::new(3).expect("3 significant digits is a valid precision"),
        ),
        calls: AtomicU64::new(0),
        errors: AtomicU64::new(0),
    });
    let s = [state.clone(), state.clone(), state.clone(), state.clone(), state.clone(), state];
    let [s1, s2, s3, s4, s5, s6] = s;
    let tensor = json!({"oneOf": [
        {"type": "object", "required": ["shape", "data"], "additionalProperties": false,
         "properties": {"shape": {"type": "array", "items": {"type": "integer", "minimum": 0}, "maxItems": 8},
                        "data": {"type": "array", "items": {"type": "number"}}}},
        {"type": "array"}, {"type": "number"}
    ]});
    Plugin::new("bkg-candle", env!("CARGO_PKG_VERSION"))
        .feature(feature::CALLBACKS)
        .feature(feature::METRICS)
        .on_ready(move |session| async move {
            tokio::spawn(idle_unloader(s6, session));
        })
        .capability(
            capability("model.load")
                .description("Loads a ready model of the registry (by id or repo) under `name`, unloading least recently used ones to stay in the memory budget")
                .input_schema(schema(json!({"model": {"type": "string", "minLength": 1}, "name": {"type": "string", "minLength": 1}}), &["model"])),
            move |ctx, input| load(s1.clone(), ctx, input),
        )
        .capability(
            capability("model.unload")
                .description("Unloads the model loaded as `name`")
                .input_schema(schema(json!({"name": {"type": "string", "minLength": 1}}), &["name"])),
            move |ctx, input| unload(s2.clone(), ctx, input),
        )
        .capability(
            capability("infer")
                .description("Runs a loaded model: an encoder on `texts` (embeddings), a decoder on `messages` or `prompt` (text)")
                .input_schema(schema(
                    json!({
                        "model": {"type": "string", "minLength": 1},
                        "texts": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                        "messages": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["role", "content"],
                            "properties": {"role": {"type": "string"}, "content": {"type": "string"}}}},
                        "prompt": {"type": "string", "minLength": 1},
                        "max_tokens": {"type": "integer", "minimum": 1, "maximum": 4096},
                        "temperature": {"type": "number", "minimum": 0, "maximum": 2},
                        "seed": {"type": "integer", "minimum": 0}
                    }),
                    &["model"],
                )),
            move |ctx, input| infer(s3.clone(), ctx, input),
        )
        .capability(
            capability("tensor.ops")
                .description("matmul, add, mul (broadcasting), softmax, transpose, sum, mean, max, min on tensors given as {shape, data} or nested arrays")
                .input_schema(schema(
                    json!({
                        "op": {"type": "string", "enum": tensor::OPS},
                        "a": tensor.clone(),
                        "b": tensor,
                        "axis": {"type": "integer"}
                    }),
                    &["op", "a"],
                )),
            move |ctx, input| tensor_ops(s4.clone(), ctx, input),
        )
        .capability(
            capability("stats")
                .description("Loaded models with their bytes and calls, the memory budget, call counts and latency percentiles")
                .input_schema(schema(json!({}), &[])),
            move |ctx, input| stats(s5.clone(), ctx, input),
        )
}

fn main() -> std::process::ExitCode {
    plugin().main()
}

//! Benchmarks of bkg-mlkit on the real test models; the baselines are `scripts/bench/*.py` and
//! `scripts/bench/run` runs both sides in one go. Prints one JSON line per measurement.
//!
//! ```text
//! cargo run --release --example bench -- embed SENTENCES_FILE --threads N [--batch 32] [--repeat 3]
//! cargo run --release --example bench -- chat --threads N [--weights q8_0|as-stored|q4_0]
//!                                             [--new-tokens 64] [--repeat 3]
//! ```
//!
//! The process settings are the ones recommended for bkg's ML plugins (see `Threads`):
//! `CANDLE_NUM_THREADS=N` (candle's kernel pool, used by the quantized matmuls of the LLM),
//! `RAYON_NUM_THREADS=1` (candle's f32 matmuls stay on the calling thread; the embedder
//! parallelises over batches instead), and glibc malloc settings that keep freed memory for
//! reuse instead of returning it to the kernel after every tensor (which otherwise costs the
//! embedder a third of its time in page faults). The benchmark runs itself again with them
//! when its environment differs.

use std::ops::ControlFlow;
use std::process::Command;
use std::time::{Duration, Instant};

use bkg_mlkit::embed::{Embedder, EmbedderOptions};
use bkg_mlkit::llm::{ChatMessage, GenerateParams, Llm, LlmOptions, WeightFormat};
use bkg_mlkit::{Threads, test_models};

type BoxError = Box<dyn std::error::Error>;

/// Keep in sync with `scripts/bench/bench_chat_llama.py` (MESSAGES).
const BENCH_MESSAGES: [(&str, &str); 2] = [
    ("system", "You are a helpful assistant who writes vivid short stories."),
    ("user", "Write a short story about a lighthouse keeper who finds a message in a bottle."),
];

/// glibc malloc settings: no trimming, no mmap below 32 MiB, 64 MiB of slack on growth.
const MALLOC_ENV: [(&str, &str); 3] = [
    ("MALLOC_TRIM_THRESHOLD_", "4294967295"),
    ("MALLOC_MMAP_THRESHOLD_", "33554432"),
    ("MALLOC_TOP_PAD_", "67108864"),
];

struct Args {
    command: String,
    positional: Vec<String>,
    threads: usize,
    batch: usize,
    repeat: usize,
    new_tokens: usize,
    weights: String,
}

fn parse_args() -> Result<Args, BoxError> {
    let mut args = std::env::args().skip(1);
    let command = args.next().ok_or("usage: bench embed|chat ...")?;
    let mut parsed = Args {
        command,
        positional: Vec::new(),
        threads: 1,
        batch: 32,
        repeat: 3,
        new_tokens: 64,
        weights: "as-stored".into(),
    };
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--threads" => parsed.threads = value()?.parse()?,
            "--batch" => parsed.batch = value()?.parse()?,
            "--repeat" => parsed.repeat = value()?.parse()?,
            "--new-tokens" => parsed.new_tokens = value()?.parse()?,
            "--weights" => parsed.weights = value()?,
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}").into()),
            _ => parsed.positional.push(arg),
        }
    }
    Ok(parsed)
}

fn main() -> Result<(), BoxError> {
    let args = parse_args()?;
    let threads = args.threads.to_string();
    let wanted = [("CANDLE_NUM_THREADS", threads.as_str()), ("RAYON_NUM_THREADS", "1")];
    let settled = wanted
        .iter()
        .chain(&MALLOC_ENV)
        .all(|(key, value)| std::env::var(key).ok().as_deref() == Some(*value));
    if !settled {
        let status = Command::new(std::env::current_exe()?)
            .args(std::env::args().skip(1))
            .envs(wanted.iter().chain(&MALLOC_ENV).copied())
            .status()?;
        std::process::exit(status.code().unwrap_or(1));
    }
    match args.command.as_str() {
        "embed" => bench_embed(&args),
        "chat" => bench_chat(&args),
        other => Err(format!("unknown benchmark {other}").into()),
    }
}

fn bench_embed(args: &Args) -> Result<(), BoxError> {
    let file = args.positional.first().ok_or("embed needs a sentences file")?;
    let sentences: Vec<String> =
        std::fs::read_to_string(file)?.lines().filter(|l| !l.trim().is_empty()).map(str::to_string).collect();
    let options = EmbedderOptions {
        batch_size: args.batch,
        threads: Some(Threads::new(args.threads)?),
        ..EmbedderOptions::default()
    };
    let embedder = Embedder::load(test_models::require(test_models::minilm())?, options)?;
    embedder.embed(&sentences)?; // warm-up
    let mut times = Vec::with_capacity(args.repeat);
    for _ in 0..args.repeat {
        let started = Instant::now();
        embedder.embed(&sentences)?;
        times.push(started.elapsed());
    }
    times.sort();
    let best = times[0].as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "bench": "embed", "impl": "bkg-mlkit (candle)", "threads": args.threads,
            "sentences": sentences.len(), "batch": args.batch,
            "seconds": seconds(&times), "sentences_per_s": sentences.len() as f64 / best,
        })
    );
    Ok(())
}

fn bench_chat(args: &Args) -> Result<(), BoxError> {
    let weights = match args.weights.as_str() {
        "as-stored" => WeightFormat::AsStored,
        "q8_0" => WeightFormat::Q8_0,
        "q4_0" => WeightFormat::Q4_0,
        other => return Err(format!("unknown weight format {other}").into()),
    };
    // The decoder's parallelism is candle's kernel pool (CANDLE_NUM_THREADS = --threads).
    let options = LlmOptions { weights, threads: None };
    let load_started = Instant::now();
    let mut llm = Llm::load(test_models::require(test_models::smollm2_gguf())?, options)?;
    let load = load_started.elapsed();
    let messages: Vec<ChatMessage> = BENCH_MESSAGES.iter().map(|(r, c)| ChatMessage::new(*r, *c)).collect();
    let prompt = llm.tokenize(&llm.render_chat(&messages)?)?;
    // No stop strings; the answer is long enough that end-of-generation does not come first
    // (checked below), so both sides decode the same number of tokens.
    let params = GenerateParams { max_tokens: args.new_tokens, ..GenerateParams::default() };
    llm.generate(&prompt, &params, |_| ControlFlow::Continue(()))?; // warm-up
    let mut runs = Vec::with_capacity(args.repeat);
    for _ in 0..args.repeat {
        runs.push(llm.generate(&prompt, &params, |_| ControlFlow::Continue(()))?);
    }
    let generated = runs[0].tokens.len();
    if generated != args.new_tokens {
        return Err(format!("generation ended after {generated} of {} tokens", args.new_tokens).into());
    }
    let prompt_time = runs.iter().map(|r| r.timings.prompt).min().unwrap_or_default();
    let decode = runs.iter().map(|r| r.timings).min_by_key(|t| t.decode).unwrap_or_default();
    println!(
        "{}",
        serde_json::json!({
            "bench": "chat", "impl": format!("bkg-mlkit (candle, {})", args.weights),
            "threads": args.threads, "prompt_tokens": prompt.len(), "new_tokens": generated,
            "load_seconds": load.as_secs_f64(),
            "prompt_tok_per_s": prompt.len() as f64 / prompt_time.as_secs_f64(),
            "decode_tok_per_s": decode.decode_steps as f64 / decode.decode.as_secs_f64(),
            "tokens": runs[0].tokens,
        })
    );
    Ok(())
}

fn seconds(times: &[Duration]) -> Vec<f64> {
    times.iter().map(Duration::as_secs_f64).collect()
}

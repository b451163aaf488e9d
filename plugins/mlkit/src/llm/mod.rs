//! Chat with a llama-family decoder stored as GGUF (e.g. SmolLM2), computed with candle.
//!
//! Everything the model needs comes from the one GGUF file: weights, tokenizer
//! ([`GgufTokenizer`]) and chat template ([`ChatTemplate`]). Generation is greedy at
//! temperature 0 and seeded sampling (optionally nucleus) above it, ends at an end-of-generation
//! token, a stop string, `max_tokens` or the end of the context, and streams UTF-8-safe text
//! deltas to a callback that may cancel.

#[cfg(target_arch = "x86_64")]
mod avx2;
mod gguf;
mod linear;
mod model;
mod stream;
mod template;
mod tokenizer;

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use candle_core::Device;
use candle_transformers::generation::LogitsProcessor;

use crate::{Error, Result, Threads};
use gguf::{GgufFile, Metadata};
pub use model::WeightFormat;
use model::{Config, Model};
use stream::{Fed, TextStream};
pub use template::{ChatMessage, ChatTemplate};
pub use tokenizer::GgufTokenizer;

/// How an [`Llm`] is loaded.
#[derive(Debug, Clone, Default)]
pub struct LlmOptions {
    /// The format weight matrices are computed in (default: as stored).
    pub weights: WeightFormat,
    /// The pool for the decoder's own small parallel work (norms, softmax); its matmuls run on
    /// candle's kernel pool, sized by `CANDLE_NUM_THREADS` (see [`Threads`]). `None` means one
    /// thread, which measured fastest: more rayon threads only compete with the kernel pool.
    pub threads: Option<Threads>,
}

/// Sampling and stopping settings for one generation.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateParams {
    /// Most tokens to generate (at least 1).
    pub max_tokens: usize,
    /// 0 picks the most likely token every step (greedy); above 0 samples from the softened
    /// distribution.
    pub temperature: f64,
    /// Nucleus sampling: sample only from the most likely tokens whose probabilities add up to
    /// `top_p` (in `(0, 1]`). Ignored when greedy.
    pub top_p: Option<f64>,
    /// Generation ends before the first occurrence of any of these; the stop string itself is
    /// not part of the text.
    pub stop: Vec<String>,
    /// Seed of the sampler: the same seed, prompt and parameters give the same output.
    pub seed: u64,
}

impl Default for GenerateParams {
    fn default() -> Self {
        Self { max_tokens: 256, temperature: 0.0, top_p: None, stop: Vec::new(), seed: 0 }
    }
}

/// Why generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinishReason {
    /// The model produced an end-of-generation token (EOS, end of turn).
    EndOfGeneration,
    /// A stop string appeared.
    StopString,
    /// `max_tokens` were generated.
    MaxTokens,
    /// The context window is full.
    ContextFull,
    /// The callback asked to stop.
    Cancelled,
}

/// Wall-clock time spent on the prompt and on the generated tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timings {
    /// Forward pass over the whole prompt.
    pub prompt: Duration,
    /// Forward passes of the generated tokens, with sampling.
    pub decode: Duration,
    /// Number of single-token forward passes in `decode`.
    pub decode_steps: usize,
}

/// The result of one generation.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    /// The generated text, without a stop string or end-of-generation token.
    pub text: String,
    /// Every generated token id, including a final end-of-generation token.
    pub tokens: Vec<u32>,
    /// Number of prompt tokens.
    pub prompt_tokens: usize,
    pub finish_reason: FinishReason,
    pub timings: Timings,
}

/// Facts about a loaded model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmInfo {
    /// The GGUF file.
    pub path: PathBuf,
    /// `general.architecture` (e.g. `llama`).
    pub architecture: String,
    /// `general.name`, when present.
    pub name: Option<String>,
    /// Tokens the context holds (prompt plus answer).
    pub context_length: usize,
    pub vocab_size: usize,
    /// Weight matrix formats after loading, with their counts (e.g. `("Q4_1", 210)`).
    pub weight_types: Vec<(String, usize)>,
}

/// A loaded GGUF chat model. Generation needs `&mut self` because it owns the model's
/// key-value cache; share one between callers behind a mutex.
pub struct Llm {
    model: Model,
    tokenizer: GgufTokenizer,
    template: Option<ChatTemplate>,
    info: LlmInfo,
    threads: Threads,
}

impl std::fmt::Debug for Llm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Llm")
            .field("info", &self.info)
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

impl Llm {
    /// Loads the GGUF file at `path`.
    pub fn load(path: impl AsRef<Path>, options: LlmOptions) -> Result<Self> {
        let path = path.as_ref();
        if !path.is_file() {
            return Err(Error::NotFound(path.to_path_buf()));
        }
        let threads = match options.threads {
            Some(threads) => threads,
            None => Threads::new(1)?,
        };
        let mut file = GgufFile::open(path)?;
        let md = Metadata::new(path, &file.content);
        let architecture = md.string("general.architecture")?.to_string();
        if architecture != "llama" {
            return Err(Error::Unsupported(format!(
                "architecture `{architecture}`: only llama-family GGUF models are implemented"
            )));
        }
        let name = md.optional_string("general.name")?.map(str::to_string);
        let config = Config::read(&md)?;
        let tokenizer = GgufTokenizer::from_gguf(&file.content, &md)?;
        let template = match md.optional_string("tokenizer.chat_template")? {
            Some(source) => {
                let token = |id: Option<u32>| {
                    id.and_then(|id| tokenizer.token_text(id)).unwrap_or_default().to_string()
                };
                Some(ChatTemplate::new(source, token(tokenizer.bos()), token(tokenizer.eos()))?)
            }
            None => None,
        };
        let model = threads.install(|| Model::load(&mut file, config, options.weights, &Device::Cpu))?;
        let info = LlmInfo {
            path: path.to_path_buf(),
            architecture,
            name,
            context_length: model.context_length(),
            vocab_size: tokenizer.vocab_size(),
            weight_types: model.weight_types(),
        };
        Ok(Self { model, tokenizer, template, info, threads })
    }

    /// Facts about the model.
    pub fn info(&self) -> &LlmInfo {
        &self.info
    }

    /// The model's tokenizer.
    pub fn tokenizer(&self) -> &GgufTokenizer {
        &self.tokenizer
    }

    /// The compute threads this model runs on.
    pub fn threads(&self) -> &Threads {
        &self.threads
    }

    /// The prompt for `messages` from the model's chat template, ending where the assistant's
    /// answer begins.
    pub fn render_chat(&self, messages: &[ChatMessage]) -> Result<String> {
        let template = self
            .template
            .as_ref()
            .ok_or_else(|| Error::Template("the model has no tokenizer.chat_template".into()))?;
        template.render(messages, true)
    }

    /// Token ids of a rendered prompt (special tokens recognised, no BOS added).
    pub fn tokenize(&self, text: &str) -> Result<Vec<u32>> {
        self.tokenizer.encode(text)
    }

    /// Logits for the token after each prefix of `tokens` that is at least `from` long: row `i`
    /// scores the token following `tokens[..from + i]`. The prefix up to `from` is fed in one
    /// batch, the rest one token at a time, as generation does.
    pub fn logits(&mut self, tokens: &[u32], from: usize) -> Result<Vec<Vec<f32>>> {
        if from == 0 || from > tokens.len() {
            return Err(Error::InvalidParameter {
                name: "from",
                message: format!("must be in 1..={}", tokens.len()),
            });
        }
        self.check_prompt(tokens)?;
        let threads = self.threads.clone();
        threads.install(|| {
            self.model.clear_cache();
            let mut rows = vec![self.model.forward(&tokens[..from], 0)?.to_vec1()?];
            for (position, &token) in tokens.iter().enumerate().skip(from) {
                rows.push(self.model.forward(&[token], position)?.to_vec1()?);
            }
            Ok(rows)
        })
    }

    /// Renders `messages`, tokenizes them and generates the assistant's answer.
    pub fn chat(
        &mut self,
        messages: &[ChatMessage],
        params: &GenerateParams,
        on_delta: impl FnMut(&str) -> ControlFlow<()> + Send,
    ) -> Result<Generation> {
        let prompt = self.render_chat(messages)?;
        let tokens = self.tokenize(&prompt)?;
        self.generate(&tokens, params, on_delta)
    }

    /// Continues `prompt` (token ids). `on_delta` receives each new piece of text as soon as it
    /// is valid UTF-8 and cannot be part of a stop string; the pieces add up to the returned
    /// text. Returning `ControlFlow::Break` from it stops generation.
    pub fn generate(
        &mut self,
        prompt: &[u32],
        params: &GenerateParams,
        on_delta: impl FnMut(&str) -> ControlFlow<()> + Send,
    ) -> Result<Generation> {
        check_params(params)?;
        self.check_prompt(prompt)?;
        let threads = self.threads.clone();
        threads.install(|| self.generate_in_pool(prompt, params, on_delta))
    }

    /// A prompt must be non-empty, fit the context and use only known token ids.
    fn check_prompt(&self, prompt: &[u32]) -> Result<()> {
        if prompt.is_empty() {
            return Err(Error::EmptyInput("no prompt tokens"));
        }
        let context_length = self.info.context_length;
        if prompt.len() >= context_length {
            return Err(Error::PromptTooLong { prompt_tokens: prompt.len(), context_length });
        }
        match prompt.iter().find(|&&id| id as usize >= self.info.vocab_size) {
            Some(&bad) => Err(Error::InvalidParameter {
                name: "prompt",
                message: format!("token id {bad} is outside the vocabulary of {}", self.info.vocab_size),
            }),
            None => Ok(()),
        }
    }

    fn generate_in_pool(
        &mut self,
        prompt: &[u32],
        params: &GenerateParams,
        mut on_delta: impl FnMut(&str) -> ControlFlow<()>,
    ) -> Result<Generation> {
        let mut sampler = LogitsProcessor::new(params.seed, Some(params.temperature), params.top_p);
        let mut stream = TextStream::new(&params.stop);
        let mut tokens = Vec::new();
        let mut timings = Timings::default();

        self.model.clear_cache();
        let started = Instant::now();
        let mut logits = self.model.forward(prompt, 0)?;
        timings.prompt = started.elapsed();

        let decode_started = Instant::now();
        let mut position = prompt.len();
        let finish_reason = loop {
            let next = sampler.sample(&logits)?;
            tokens.push(next);
            if self.tokenizer.is_end_of_generation(next) {
                break FinishReason::EndOfGeneration;
            }
            let (delta, stopped) = match stream.feed(self.tokenizer.token_bytes(next)) {
                Fed::Delta(delta) => (delta, false),
                Fed::Stopped(delta) => (delta, true),
            };
            let flow = if delta.is_empty() { ControlFlow::Continue(()) } else { on_delta(&delta) };
            if stopped {
                break FinishReason::StopString;
            }
            if flow.is_break() {
                break FinishReason::Cancelled;
            }
            if tokens.len() >= params.max_tokens {
                break FinishReason::MaxTokens;
            }
            if position >= self.info.context_length {
                break FinishReason::ContextFull;
            }
            logits = self.model.forward(&[next], position)?;
            position += 1;
            timings.decode_steps += 1;
        };
        timings.decode = decode_started.elapsed();

        if finish_reason != FinishReason::StopString
            && let Fed::Delta(rest) = stream.finish()
            && !rest.is_empty()
        {
            // The answer is over, so a cancellation request here changes nothing.
            let _ = on_delta(&rest);
        }
        Ok(Generation {
            text: stream.text().to_string(),
            tokens,
            prompt_tokens: prompt.len(),
            finish_reason,
            timings,
        })
    }
}

fn check_params(params: &GenerateParams) -> Result<()> {
    let invalid = |name, message: &str| Err(Error::InvalidParameter { name, message: message.to_string() });
    if params.max_tokens == 0 {
        return invalid("max_tokens", "must be at least 1");
    }
    if !params.temperature.is_finite() || params.temperature < 0.0 {
        return invalid("temperature", "must be a finite number >= 0");
    }
    if let Some(p) = params.top_p
        && !(p > 0.0 && p <= 1.0)
    {
        return invalid("top_p", "must be in (0, 1]");
    }
    Ok(())
}

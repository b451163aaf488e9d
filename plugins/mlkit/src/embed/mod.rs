//! Sentence embeddings from a BERT-family model in sentence-transformers layout
//! (`config.json`, `tokenizer.json`, `model.safetensors`, optional `modules.json` and pooling
//! config), computed as sentence-transformers' `encode` does with the model's own modules:
//! texts truncated to `max_seq_length`, batched by length, mean pooling over the real tokens,
//! then L2 normalisation when the model has a `Normalize` module.

mod bert;
mod config;
mod gelu;
mod ops;
mod pooling;

use std::path::{Path, PathBuf};

use candle_core::Device;
use rayon::prelude::*;
use tokenizers::{Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

use crate::{Error, Result, Threads};
use bert::{Bert, PackedBatch};
use config::SentenceConfig;

/// How an [`Embedder`] is loaded.
#[derive(Debug, Clone)]
pub struct EmbedderOptions {
    /// Texts per forward pass (sentence-transformers' default is 32).
    pub batch_size: usize,
    /// Overrides the model's `max_seq_length`; capped at its position-embedding count.
    pub max_seq_length: Option<usize>,
    /// Compute threads; `None` means [`Threads::from_env`].
    pub threads: Option<Threads>,
}

impl Default for EmbedderOptions {
    fn default() -> Self {
        Self { batch_size: 32, max_seq_length: None, threads: None }
    }
}

/// A loaded sentence-embedding model. `embed` takes `&self`, so one model serves many callers.
pub struct Embedder {
    model: Bert,
    tokenizer: Tokenizer,
    dimension: usize,
    max_seq_length: usize,
    normalize: bool,
    batch_size: usize,
    threads: Threads,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("dimension", &self.dimension)
            .field("max_seq_length", &self.max_seq_length)
            .field("normalize", &self.normalize)
            .field("batch_size", &self.batch_size)
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

fn required(dir: &Path, name: &str) -> Result<PathBuf> {
    let path = dir.join(name);
    if path.is_file() { Ok(path) } else { Err(Error::NotFound(path)) }
}

impl Embedder {
    /// Loads the model in folder `dir`.
    pub fn load(dir: impl AsRef<Path>, options: EmbedderOptions) -> Result<Self> {
        let dir = dir.as_ref();
        if !dir.is_dir() {
            return Err(Error::NotFound(dir.to_path_buf()));
        }
        if options.batch_size == 0 {
            return Err(Error::InvalidParameter { name: "batch_size", message: "must be at least 1".into() });
        }
        required(dir, "config.json")?;
        let tokenizer_path = required(dir, "tokenizer.json")?;
        let weights_path = required(dir, "model.safetensors")?;
        let config = SentenceConfig::read(dir)?;
        let max_seq_length =
            options.max_seq_length.unwrap_or(config.max_seq_length).min(config.bert.max_position_embeddings);
        if max_seq_length < 2 {
            return Err(Error::InvalidParameter {
                name: "max_seq_length",
                message: "must leave room for [CLS] and [SEP]".into(),
            });
        }
        let tokenizer = load_tokenizer(&tokenizer_path, max_seq_length)?;
        let model = Bert::load(&weights_path, &config.bert, &Device::Cpu)?;
        let threads = match options.threads {
            Some(threads) => threads,
            None => Threads::from_env()?,
        };
        Ok(Self {
            model,
            tokenizer,
            dimension: config.bert.hidden_size,
            max_seq_length,
            normalize: config.normalize,
            batch_size: options.batch_size,
            threads,
        })
    }

    /// Length of every embedding vector.
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// Longest input in tokens; longer texts are truncated, as sentence-transformers does.
    pub fn max_seq_length(&self) -> usize {
        self.max_seq_length
    }

    /// Whether vectors are L2-normalised (the model has a `Normalize` module).
    pub fn normalizes(&self) -> bool {
        self.normalize
    }

    /// The compute threads this model runs on.
    pub fn threads(&self) -> &Threads {
        &self.threads
    }

    /// One vector per text, in input order. An empty string is a valid text; an empty list is
    /// an error.
    pub fn embed<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Err(Error::EmptyInput("no texts to embed"));
        }
        self.threads.install(|| self.embed_in_pool(texts))
    }

    /// Tokens each text is encoded to (after truncation to `max_seq_length`, with the special
    /// tokens), for usage accounting.
    pub fn token_counts<S: AsRef<str>>(&self, texts: &[S]) -> Result<Vec<usize>> {
        texts
            .iter()
            .map(|t| {
                self.tokenizer
                    .encode(t.as_ref(), true)
                    .map(|e| e.get_ids().len())
                    .map_err(|e| Error::Tokenizer(e.to_string()))
            })
            .collect()
    }

    fn embed_in_pool<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<Vec<Vec<f32>>> {
        // Like sentence-transformers, batch texts of similar length together (longest first)
        // so that little compute goes into padding; the order is restored at the end.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(texts[i].as_ref().chars().count()));

        // Batches are independent, so with several threads each takes whole batches: that
        // scales better than splitting every matmul, and the result does not depend on it.
        let batches: Vec<&[usize]> = order.chunks(self.batch_size).collect();
        let vectors = batches
            .par_iter()
            .map(|chunk| self.embed_batch(chunk.iter().map(|&i| texts[i].as_ref()).collect()))
            .collect::<Result<Vec<_>>>()?;
        let mut out = vec![Vec::new(); texts.len()];
        for (chunk, batch) in batches.iter().zip(vectors) {
            for (&i, vector) in chunk.iter().zip(batch) {
                out[i] = vector;
            }
        }
        Ok(out)
    }

    fn embed_batch(&self, batch: Vec<&str>) -> Result<Vec<Vec<f32>>> {
        let encodings =
            self.tokenizer.encode_batch(batch, true).map_err(|e| Error::Tokenizer(e.to_string()))?;
        let mut packed = PackedBatch::default();
        for encoding in &encodings {
            packed.push(encoding.get_ids(), encoding.get_type_ids());
        }
        let hidden: Vec<f32> = self.model.forward(&packed)?.flatten_all()?.to_vec1()?;

        let dim = self.dimension;
        let mut rows = hidden.chunks_exact(dim);
        let vectors = packed
            .lengths
            .iter()
            .map(|&len| {
                let mut v = vec![0f32; dim];
                pooling::mean_pool(rows.by_ref().take(len), dim, &mut v);
                if self.normalize {
                    pooling::l2_normalize(&mut v);
                }
                v
            })
            .collect();
        Ok(vectors)
    }
}

/// Loads `tokenizer.json` with sentence-transformers' limit: truncate to `max_seq_length`
/// (the file's own truncation, 128 for all-MiniLM-L6-v2, is not what sentence-transformers
/// uses). No padding: the encoder works on packed tokens.
fn load_tokenizer(path: &Path, max_seq_length: usize) -> Result<Tokenizer> {
    let mut tokenizer = Tokenizer::from_file(path).map_err(|e| Error::invalid_model(path, e))?;
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(TruncationParams {
            direction: TruncationDirection::Right,
            max_length: max_seq_length,
            strategy: TruncationStrategy::LongestFirst,
            stride: 0,
        }))
        .map_err(|e| Error::invalid_model(path, e))?;
    Ok(tokenizer)
}

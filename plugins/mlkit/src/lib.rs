//! `bkg-mlkit`: the real model code that bkg's ML plugins (candle, llmserver, brainml) share.
//!
//! - [`embed`]: sentence embeddings from a BERT-family safetensors model, computed exactly as
//!   sentence-transformers does (padding, mean pooling over real tokens, L2 norm).
//! - [`llm`]: a GGUF llama-family decoder with the tokenizer and chat template taken from the
//!   GGUF itself, seeded sampling, stop strings and UTF-8-safe streaming.
//! - [`Threads`]: how many CPU threads model compute may use.
//! - [`test_models`]: where `scripts/fetch-test-models` puts the real models used by tests and
//!   benchmarks.
//!
//! Everything runs on the CPU; errors are one typed [`Error`].
//!
//! # Running it well
//!
//! - Build for the machine (`RUSTFLAGS="-C target-cpu=native"`, or at least x86-64-v3): the
//!   element-wise kernels here and several of candle's only vectorise with AVX2/AVX-512 enabled
//!   at compile time; a baseline x86-64 build embeds about half as fast.
//! - In debug builds give candle, gemm, half and tokenizers `opt-level = 3`.
//! - Threads: see [`Threads`] (`CANDLE_NUM_THREADS=n`, `RAYON_NUM_THREADS=1`).
//! - glibc's default malloc returns freed tensors to the kernel and faults them back in; a
//!   process that embeds should set `MALLOC_TRIM_THRESHOLD_=4294967295`,
//!   `MALLOC_MMAP_THRESHOLD_=33554432` and `MALLOC_TOP_PAD_=67108864` (a third faster here).
//!
//! Tests (`tests/it`) run on the real models from `scripts/fetch-test-models` against
//! `tests/reference/`; benchmarks: `scripts/bench/run` (the `bench` example and the baselines).

pub mod embed;
mod error;
pub mod llm;
pub mod test_models;
mod threads;

pub use error::{Error, Result};
pub use threads::Threads;

//! Where `scripts/fetch-test-models` lays out the real models that tests and benchmarks use.
//!
//! The root is `$BKG_TEST_MODELS`, else `$XDG_CACHE_HOME/bkg/test-models`, else
//! `$HOME/.cache/bkg/test-models`: the same rule as the script.

use std::path::PathBuf;

/// Folder name of all-MiniLM-L6-v2 (sentence-transformers layout) under [`root`].
pub const MINILM_DIR: &str = "all-minilm-l6-v2";
/// Folder name of SmolLM2-135M-Instruct under [`root`].
pub const SMOLLM2_DIR: &str = "smollm2-135m-instruct";
/// File name of the SmolLM2-135M-Instruct GGUF (Q4_1) inside [`SMOLLM2_DIR`].
pub const SMOLLM2_GGUF: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";

/// The test-model root folder (it may not exist yet).
pub fn root() -> PathBuf {
    if let Some(dir) = std::env::var_os("BKG_TEST_MODELS").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    cache.join("bkg").join("test-models")
}

/// The all-MiniLM-L6-v2 folder.
pub fn minilm() -> PathBuf {
    root().join(MINILM_DIR)
}

/// The SmolLM2-135M-Instruct GGUF file.
pub fn smollm2_gguf() -> PathBuf {
    root().join(SMOLLM2_DIR).join(SMOLLM2_GGUF)
}

/// `Ok(path)` when `path` exists, else a message that says how to get the test models.
pub fn require(path: PathBuf) -> Result<PathBuf, String> {
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "test model {} is missing: run `scripts/fetch-test-models` (it honours BKG_TEST_MODELS)",
            path.display()
        ))
    }
}

//! Reads a sentence-transformers model folder: the BERT config, the tokenizer limits and the
//! pooling pipeline (`modules.json`, `1_Pooling/config.json`, `sentence_bert_config.json`).

use std::path::Path;

use serde::Deserialize;

use super::bert::BertConfig;
use crate::{Error, Result};

/// How token vectors become one sentence vector, as the model's sentence-transformers config says.
#[derive(Debug, Clone)]
pub(crate) struct SentenceConfig {
    pub bert: BertConfig,
    /// Longest input in tokens (special tokens included); longer inputs are truncated.
    pub max_seq_length: usize,
    /// Whether a `Normalize` module follows pooling.
    pub normalize: bool,
}

#[derive(Deserialize)]
struct Module {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    path: String,
}

#[derive(Deserialize)]
struct Pooling {
    #[serde(default)]
    pooling_mode_cls_token: bool,
    #[serde(default)]
    pooling_mode_mean_tokens: bool,
    #[serde(default)]
    pooling_mode_max_tokens: bool,
    #[serde(default)]
    pooling_mode_mean_sqrt_len_tokens: bool,
}

#[derive(Deserialize)]
struct SentenceBertConfig {
    max_seq_length: Option<usize>,
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::invalid_model(path, e))
}

fn read_optional_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Option<T>> {
    if path.exists() { read_json(path).map(Some) } else { Ok(None) }
}

impl SentenceConfig {
    /// Reads the configuration of the model in `dir`.
    ///
    /// Without `modules.json` the folder is taken as a plain BERT model with mean pooling and
    /// L2 normalisation, the usual sentence-transformers recipe.
    pub fn read(dir: &Path) -> Result<Self> {
        let bert: BertConfig = read_json(&dir.join("config.json"))?;
        let modules: Option<Vec<Module>> = read_optional_json(&dir.join("modules.json"))?;
        let normalize = match &modules {
            Some(modules) => modules.iter().any(|m| m.kind.ends_with(".Normalize")),
            None => true,
        };
        let pooling_dir = modules
            .as_ref()
            .and_then(|ms| ms.iter().find(|m| m.kind.ends_with(".Pooling")))
            .map(|m| dir.join(&m.path))
            .unwrap_or_else(|| dir.join("1_Pooling"));
        check_mean_pooling(&pooling_dir.join("config.json"))?;

        let st_config: Option<SentenceBertConfig> =
            read_optional_json(&dir.join("sentence_bert_config.json"))?;
        let max_seq_length = st_config
            .and_then(|c| c.max_seq_length)
            .unwrap_or(bert.max_position_embeddings)
            .min(bert.max_position_embeddings);
        if max_seq_length < 2 {
            return Err(Error::invalid_model(
                dir.join("sentence_bert_config.json"),
                "max_seq_length must leave room for [CLS] and [SEP]",
            ));
        }
        Ok(Self { bert, max_seq_length, normalize })
    }
}

/// Only mean pooling is implemented; any other mode must fail loudly rather than give vectors
/// that silently differ from sentence-transformers.
fn check_mean_pooling(path: &Path) -> Result<()> {
    let Some(pooling) = read_optional_json::<Pooling>(path)? else {
        return Ok(());
    };
    let other = pooling.pooling_mode_cls_token
        || pooling.pooling_mode_max_tokens
        || pooling.pooling_mode_mean_sqrt_len_tokens;
    if pooling.pooling_mode_mean_tokens && !other {
        Ok(())
    } else {
        Err(Error::Unsupported(format!(
            "{}: only mean pooling (pooling_mode_mean_tokens alone) is supported",
            path.display()
        )))
    }
}

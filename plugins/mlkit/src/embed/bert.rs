//! The BERT encoder, computed on packed tokens: the batch's real tokens are stacked into one
//! `(tokens, hidden)` matrix for every dense layer, and only attention, which needs each
//! sequence's tokens side by side, works on a padded `(batch, heads, longest, head_dim)`
//! layout. Padding therefore costs no matmul work outside attention, and the output needs no
//! mask for pooling. The maths is Hugging Face's `BertModel` (post-norm, erf GELU, additive
//! attention mask), so vectors match sentence-transformers'.

use std::collections::HashMap;
use std::path::Path;

use candle_core::{DType, Device, Tensor};
use serde::Deserialize;

use super::gelu::GeluErf;
use super::ops::{Add, MaskedSoftmax};
use crate::{Error, Result};

/// The fields of a BERT `config.json` this encoder uses.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct BertConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub hidden_act: String,
    pub max_position_embeddings: usize,
    pub layer_norm_eps: f64,
    #[serde(default = "absolute")]
    pub position_embedding_type: String,
}

fn absolute() -> String {
    "absolute".into()
}

/// The real tokens of a batch of sequences, back to back.
#[derive(Debug, Default)]
pub(crate) struct PackedBatch {
    pub ids: Vec<u32>,
    pub type_ids: Vec<u32>,
    pub positions: Vec<u32>,
    /// Token count of each sequence, in order.
    pub lengths: Vec<usize>,
}

impl PackedBatch {
    /// Appends one sequence.
    pub fn push(&mut self, ids: &[u32], type_ids: &[u32]) {
        self.ids.extend_from_slice(ids);
        self.type_ids.extend_from_slice(type_ids);
        self.positions.extend(0..ids.len() as u32);
        self.lengths.push(ids.len());
    }
}

/// `x · W + b` with `W` stored transposed, `(in, out)`, so the matmul reads it row-major.
struct Dense {
    weight_t: Tensor,
    bias: Tensor,
}

impl Dense {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        Ok(x.matmul(&self.weight_t)?.apply_op2_no_bwd(&self.bias, &Add)?)
    }
}

struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
    eps: f32,
}

impl LayerNorm {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        Ok(candle_nn::ops::layer_norm(x, &self.weight, &self.bias, self.eps)?)
    }
}

struct Layer {
    /// Query, key and value projections side by side: one matmul instead of three.
    qkv: Dense,
    attention_out: Dense,
    attention_norm: LayerNorm,
    intermediate: Dense,
    output: Dense,
    output_norm: LayerNorm,
}

/// A loaded BERT encoder.
pub(crate) struct Bert {
    word: Tensor,
    position: Tensor,
    token_type: Tensor,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: usize,
    head_dim: usize,
    device: Device,
}

/// Tensors of a safetensors file, looked up by BERT's parameter names.
struct Weights {
    tensors: HashMap<String, Tensor>,
    prefix: &'static str,
    path: std::path::PathBuf,
}

impl Weights {
    fn get(&self, name: &str) -> Result<Tensor> {
        let key = format!("{}{name}", self.prefix);
        let tensor = self
            .tensors
            .get(&key)
            .ok_or_else(|| Error::invalid_model(&self.path, format!("tensor `{key}` is missing")))?;
        Ok(tensor.to_dtype(DType::F32)?)
    }

    /// Old checkpoints name LayerNorm parameters `gamma`/`beta`.
    fn layer_norm(&self, name: &str, eps: f64) -> Result<LayerNorm> {
        let pick = |new: &str, old: &str| {
            self.get(&format!("{name}.{new}")).or_else(|_| self.get(&format!("{name}.{old}")))
        };
        Ok(LayerNorm { weight: pick("weight", "gamma")?, bias: pick("bias", "beta")?, eps: eps as f32 })
    }

    fn dense(&self, names: &[&str]) -> Result<Dense> {
        let weights = names.iter().map(|n| self.get(&format!("{n}.weight"))).collect::<Result<Vec<_>>>()?;
        let biases = names.iter().map(|n| self.get(&format!("{n}.bias"))).collect::<Result<Vec<_>>>()?;
        Ok(Dense { weight_t: Tensor::cat(&weights, 0)?.t()?.contiguous()?, bias: Tensor::cat(&biases, 0)? })
    }
}

impl Bert {
    /// Loads the encoder described by `config` from `model.safetensors` at `path`.
    pub fn load(path: &Path, config: &BertConfig, device: &Device) -> Result<Self> {
        if config.hidden_act != "gelu" {
            return Err(Error::Unsupported(format!("BERT activation `{}`", config.hidden_act)));
        }
        if config.position_embedding_type != "absolute" {
            return Err(Error::Unsupported(format!(
                "BERT position embeddings `{}`",
                config.position_embedding_type
            )));
        }
        let heads = config.num_attention_heads;
        if heads == 0 || !config.hidden_size.is_multiple_of(heads) {
            return Err(Error::invalid_model(path, "hidden_size is not a multiple of the head count"));
        }
        let tensors =
            candle_core::safetensors::load(path, device).map_err(|e| Error::invalid_model(path, e))?;
        // Checkpoints saved from BertFor* models prefix every name with `bert.`.
        let prefix =
            if tensors.contains_key("bert.embeddings.word_embeddings.weight") { "bert." } else { "" };
        let w = Weights { tensors, prefix, path: path.to_path_buf() };
        let eps = config.layer_norm_eps;
        let layers = (0..config.num_hidden_layers)
            .map(|i| {
                let p = format!("encoder.layer.{i}");
                let attention = |n: &str| format!("{p}.attention.self.{n}");
                Ok(Layer {
                    qkv: w.dense(&[&attention("query"), &attention("key"), &attention("value")])?,
                    attention_out: w.dense(&[&format!("{p}.attention.output.dense")])?,
                    attention_norm: w.layer_norm(&format!("{p}.attention.output.LayerNorm"), eps)?,
                    intermediate: w.dense(&[&format!("{p}.intermediate.dense")])?,
                    output: w.dense(&[&format!("{p}.output.dense")])?,
                    output_norm: w.layer_norm(&format!("{p}.output.LayerNorm"), eps)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let word = w.get("embeddings.word_embeddings.weight")?;
        if word.dims() != [config.vocab_size, config.hidden_size] {
            return Err(Error::invalid_model(path, format!("word embeddings are {:?}", word.dims())));
        }
        Ok(Self {
            word,
            position: w.get("embeddings.position_embeddings.weight")?,
            token_type: w.get("embeddings.token_type_embeddings.weight")?,
            embedding_norm: w.layer_norm("embeddings.LayerNorm", eps)?,
            layers,
            heads,
            head_dim: config.hidden_size / heads,
            device: device.clone(),
        })
    }

    /// The last hidden state of every real token, `(tokens, hidden)`, in batch order.
    pub fn forward(&self, batch: &PackedBatch) -> Result<Tensor> {
        let device = &self.device;
        let ids = Tensor::new(batch.ids.as_slice(), device)?;
        let type_ids = Tensor::new(batch.type_ids.as_slice(), device)?;
        let positions = Tensor::new(batch.positions.as_slice(), device)?;
        let embeddings = self
            .word
            .index_select(&ids, 0)?
            .apply_op2_no_bwd(&self.token_type.index_select(&type_ids, 0)?, &Add)?
            .apply_op2_no_bwd(&self.position.index_select(&positions, 0)?, &Add)?;
        let mut x = self.embedding_norm.forward(&embeddings)?;
        let layout = AttentionLayout::new(&batch.lengths, device)?;
        for layer in &self.layers {
            let context = self.attention(&layer.qkv.forward(&x)?, &layout)?;
            let attended = layer.attention_out.forward(&context)?.apply_op2_no_bwd(&x, &Add)?;
            x = layer.attention_norm.forward(&attended)?;
            let inner = layer.intermediate.forward(&x)?.apply_op1_no_bwd(&GeluErf)?;
            x = layer.output_norm.forward(&layer.output.forward(&inner)?.apply_op2_no_bwd(&x, &Add)?)?;
        }
        Ok(x)
    }

    /// Multi-head self-attention of packed `qkv` `(tokens, 3·hidden)`; returns `(tokens, hidden)`.
    fn attention(&self, qkv: &Tensor, layout: &AttentionLayout) -> Result<Tensor> {
        let (batch, longest) = (layout.lengths, layout.longest);
        let hidden = self.heads * self.head_dim;
        // (batch·longest, 3·hidden) -> (3, batch, heads, longest, head_dim)
        let qkv = qkv
            .index_select(&layout.to_padded, 0)?
            .reshape((batch, longest, 3, self.heads, self.head_dim))?
            .permute((2, 0, 3, 1, 4))?
            .contiguous()?;
        let (q, k, v) = (qkv.get(0)?, qkv.get(1)?, qkv.get(2)?);
        let scale = 1.0 / (self.head_dim as f32).sqrt();
        let probs = q.matmul(&k.t()?)?.apply_op2_no_bwd(&layout.mask, &MaskedSoftmax { scale })?;
        let context = probs.matmul(&v)?.transpose(1, 2)?.reshape((batch * longest, hidden))?;
        Ok(context.index_select(&layout.to_packed, 0)?)
    }
}

/// How packed tokens map to the padded attention layout, shared by all layers of one batch.
struct AttentionLayout {
    lengths: usize,
    longest: usize,
    /// For each padded slot, the packed row it reads (padding reads row 0; it is masked).
    to_padded: Tensor,
    /// For each packed token, its padded slot.
    to_packed: Tensor,
    /// `(batch, longest)`: 0 for real keys, the lowest f32 for padding, as Hugging Face's
    /// extended attention mask.
    mask: Tensor,
}

impl AttentionLayout {
    fn new(lengths: &[usize], device: &Device) -> Result<Self> {
        let longest = lengths.iter().copied().max().unwrap_or(0);
        let mut to_padded = Vec::with_capacity(lengths.len() * longest);
        let mut to_packed = Vec::with_capacity(lengths.iter().sum());
        let mut mask = Vec::with_capacity(lengths.len() * longest);
        let mut start = 0u32;
        for (i, &len) in lengths.iter().enumerate() {
            for slot in 0..longest {
                let real = slot < len;
                to_padded.push(if real { start + slot as u32 } else { 0 });
                mask.push(if real { 0.0 } else { f32::MIN });
            }
            to_packed.extend((0..len).map(|slot| (i * longest + slot) as u32));
            start += len as u32;
        }
        let mask = Tensor::from_vec(mask, (lengths.len(), longest), device)?;
        Ok(Self {
            lengths: lengths.len(),
            longest,
            to_padded: Tensor::from_vec(to_padded, lengths.len() * longest, device)?,
            to_packed: Tensor::new(to_packed.as_slice(), device)?,
            mask,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_maps_packed_tokens_to_padded_slots_and_back() -> Result<()> {
        let layout = AttentionLayout::new(&[2, 3], &Device::Cpu)?;
        assert_eq!(layout.to_padded.to_vec1::<u32>()?, vec![0, 1, 0, 2, 3, 4]);
        assert_eq!(layout.to_packed.to_vec1::<u32>()?, vec![0, 1, 3, 4, 5]);
        let mask: Vec<f32> = layout.mask.flatten_all()?.to_vec1()?;
        assert_eq!(mask, vec![0.0, 0.0, f32::MIN, 0.0, 0.0, 0.0]);
        Ok(())
    }
}

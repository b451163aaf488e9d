//! The llama-family decoder: candle tensors and quantized matmuls, arranged and rounded the
//! way llama.cpp computes the same model, so that greedy output matches llama.cpp's wherever
//! llama.cpp's own output does not hinge on rounding.
//!
//! It follows candle-transformers' `quantized_llama` with three differences that matter here:
//! Q4_1 weights run through [`Linear`]'s exact Q4_0 split instead of being re-quantized; the
//! key/value cache, queries and attention weights are rounded to f16 as in llama.cpp's default
//! f16 KV cache; and rotary angles are built by llama.cpp's repeated multiplication. Grouped
//! query attention multiplies each key/value head with its group of query heads without
//! copying keys and values.

use candle_core::quantized::{GgmlDType, QTensor};
use candle_core::{DType, Device, IndexOp, Tensor};

use super::gguf::{GgufFile, Metadata};
use super::linear::Linear;
use crate::{Error, Result};

/// The format the decoder's weight matrices are computed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WeightFormat {
    /// The stored weights, unchanged. Q4_1 matrices run as Q4_0 plus block offsets (exactly
    /// the same numbers; see [`Linear`]), everything else through candle's kernel for its type.
    #[default]
    AsStored,
    /// Re-quantized to Q8_0 at load: candle has fast kernels for it, but the second rounding
    /// changes greedy output where the model is close to a tie.
    Q8_0,
    /// Re-quantized to Q4_0 at load: smaller, and a coarser second rounding than Q8_0.
    Q4_0,
}

/// Shape and constants of the decoder, from the GGUF metadata.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub n_layer: usize,
    pub n_head: usize,
    pub n_kv_head: usize,
    pub head_dim: usize,
    pub rms_eps: f32,
    pub rope_base: f32,
    pub context_length: usize,
}

impl Config {
    pub fn read(md: &Metadata<'_>) -> Result<Self> {
        let n_head = md.u32("llama.attention.head_count")? as usize;
        let n_kv_head = md.optional_u32("llama.attention.head_count_kv")?.map_or(n_head, |n| n as usize);
        let hidden = md.u32("llama.embedding_length")? as usize;
        let head_dim = hidden / n_head.max(1);
        let rope_dim = md.optional_u32("llama.rope.dimension_count")?.map_or(head_dim, |n| n as usize);
        if n_head == 0
            || n_kv_head == 0
            || !n_head.is_multiple_of(n_kv_head)
            || !hidden.is_multiple_of(n_head)
        {
            return Err(md.invalid(format!("{n_head} heads, {n_kv_head} KV heads, {hidden} wide")));
        }
        if rope_dim != head_dim {
            return Err(Error::Unsupported(format!(
                "partial rotary embeddings ({rope_dim} of {head_dim} dimensions)"
            )));
        }
        if md.optional_u32("llama.expert_count")?.unwrap_or(0) > 1 {
            return Err(Error::Unsupported("mixture-of-experts llama models".into()));
        }
        Ok(Self {
            n_layer: md.u32("llama.block_count")? as usize,
            n_head,
            n_kv_head,
            head_dim,
            rms_eps: md.f32("llama.attention.layer_norm_rms_epsilon")?,
            rope_base: md.optional_f32("llama.rope.freq_base")?.unwrap_or(10_000.0),
            context_length: md.optional_u32("llama.context_length")?.map_or(4096, |n| n as usize),
        })
    }
}

struct Layer {
    attn_norm: Tensor,
    wq: Linear,
    wk: Linear,
    wv: Linear,
    wo: Linear,
    ffn_norm: Tensor,
    gate: Linear,
    up: Linear,
    down: Linear,
    /// Keys and values of the positions seen so far, `(1, kv_heads, positions, head_dim)`.
    cache: Option<(Tensor, Tensor)>,
}

/// A loaded decoder with its key/value cache.
pub(crate) struct Model {
    config: Config,
    embeddings: Tensor,
    layers: Vec<Layer>,
    norm: Tensor,
    output: Linear,
    cos: Tensor,
    sin: Tensor,
    device: Device,
}

impl Model {
    /// Reads the weights from `file`, converting them to `format`.
    pub fn load(file: &mut GgufFile, config: Config, format: WeightFormat, device: &Device) -> Result<Self> {
        let mut tensor = |name: &str| file.tensor(name, device);
        let embeddings_q = tensor("token_embd.weight")?;
        let embeddings = embeddings_q.dequantize(device)?;
        let norm = tensor("output_norm.weight")?.dequantize(device)?;
        // Models with tied embeddings have no output matrix and reuse the embedding table.
        let output = match tensor("output.weight") {
            Ok(w) => w,
            Err(Error::InvalidModel { .. }) => embeddings_q,
            Err(e) => return Err(e),
        };
        let output = linear(output, format, device)?;
        let mut layers = Vec::with_capacity(config.n_layer);
        for i in 0..config.n_layer {
            let mut weight = |name: &str| tensor(&format!("blk.{i}.{name}.weight"));
            layers.push(Layer {
                attn_norm: weight("attn_norm")?.dequantize(device)?,
                wq: linear(weight("attn_q")?, format, device)?,
                wk: linear(weight("attn_k")?, format, device)?,
                wv: linear(weight("attn_v")?, format, device)?,
                wo: linear(weight("attn_output")?, format, device)?,
                ffn_norm: weight("ffn_norm")?.dequantize(device)?,
                gate: linear(weight("ffn_gate")?, format, device)?,
                up: linear(weight("ffn_up")?, format, device)?,
                down: linear(weight("ffn_down")?, format, device)?,
                cache: None,
            });
        }
        let (cos, sin) = rotary_tables(&config, device)?;
        Ok(Self { config, embeddings, layers, norm, output, cos, sin, device: device.clone() })
    }

    /// Tokens the context holds.
    pub fn context_length(&self) -> usize {
        self.config.context_length
    }

    /// How many weight matrices are computed in each format, e.g. `("Q4_1", 210)`.
    pub fn weight_types(&self) -> Vec<(String, usize)> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        let matrices = self.layers.iter().flat_map(|l| [&l.wq, &l.wk, &l.wv, &l.wo, &l.gate, &l.up, &l.down]);
        for linear in matrices.chain([&self.output]) {
            let kind = linear.kind();
            match counts.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((kind, 1)),
            }
        }
        counts.sort();
        counts
    }

    /// Forgets all positions (a new conversation starts).
    pub fn clear_cache(&mut self) {
        for layer in &mut self.layers {
            layer.cache = None;
        }
    }

    /// Feeds `tokens` at positions `position..`, extending the cache, and returns the logits
    /// for the token after the last one.
    pub fn forward(&mut self, tokens: &[u32], position: usize) -> Result<Tensor> {
        let seq_len = tokens.len();
        let ids = Tensor::new(tokens, &self.device)?;
        let mut x = self.embeddings.index_select(&ids, 0)?.unsqueeze(0)?;
        let cos = self.cos.narrow(0, position, seq_len)?;
        let sin = self.sin.narrow(0, position, seq_len)?;
        let mask = if seq_len > 1 { Some(causal_mask(seq_len, position, &self.device)?) } else { None };
        let eps = self.config.rms_eps;
        let last = self.layers.len().saturating_sub(1);
        for (i, layer) in self.layers.iter_mut().enumerate() {
            let h = candle_nn::ops::rms_norm(&x, &layer.attn_norm, eps)?;
            let attn = attention(layer, &self.config, &h, &cos, &sin, mask.as_ref(), position)?;
            x = (x + attn)?;
            if i == last {
                // Only the last position's output is needed from here on (llama.cpp does the same).
                x = x.narrow(1, seq_len - 1, 1)?;
            }
            let h = candle_nn::ops::rms_norm(&x, &layer.ffn_norm, eps)?;
            let gate = candle_nn::ops::silu(&layer.gate.forward(&h)?)?;
            let ffn = layer.down.forward(&(gate * layer.up.forward(&h)?)?)?;
            x = (x + ffn)?;
        }
        let x = candle_nn::ops::rms_norm(&x.i((0, x.dim(1)? - 1))?.unsqueeze(0)?, &self.norm, eps)?;
        Ok(self.output.forward(&x)?.squeeze(0)?)
    }
}

/// Converts a weight matrix to `format` and wraps it for multiplication.
fn linear(weights: QTensor, format: WeightFormat, device: &Device) -> Result<Linear> {
    let target = match format {
        WeightFormat::AsStored => None,
        WeightFormat::Q8_0 => Some(GgmlDType::Q8_0),
        WeightFormat::Q4_0 => Some(GgmlDType::Q4_0),
    };
    let dtype = weights.dtype();
    let is_float = matches!(dtype, GgmlDType::F32 | GgmlDType::F16 | GgmlDType::BF16);
    match target {
        Some(target) if !is_float && dtype != target && weights.rank() == 2 => {
            let requantized = QTensor::quantize(&weights.dequantize(device)?, target)?;
            Linear::new(requantized, device)
        }
        _ => Linear::new(weights, device),
    }
}

/// Rounds to f16 precision and back: llama.cpp stores keys and values as f16 and converts the
/// other operand of each attention matmul to f16 too.
fn round_f16(x: &Tensor) -> Result<Tensor> {
    Ok(x.to_dtype(DType::F16)?.to_dtype(DType::F32)?)
}

fn attention(
    layer: &mut Layer,
    config: &Config,
    x: &Tensor,
    cos: &Tensor,
    sin: &Tensor,
    mask: Option<&Tensor>,
    position: usize,
) -> Result<Tensor> {
    let (batch, seq_len, hidden) = x.dims3()?;
    let (n_head, n_kv, head_dim) = (config.n_head, config.n_kv_head, config.head_dim);
    let heads = |t: Tensor, n: usize| -> Result<Tensor> {
        Ok(t.reshape((batch, seq_len, n, head_dim))?.transpose(1, 2)?.contiguous()?)
    };
    let q = heads(layer.wq.forward(x)?, n_head)?;
    let k = heads(layer.wk.forward(x)?, n_kv)?;
    let v = heads(layer.wv.forward(x)?, n_kv)?;
    let q = round_f16(&candle_nn::rotary_emb::rope_i(&q, cos, sin)?)?;
    let k = round_f16(&candle_nn::rotary_emb::rope_i(&k, cos, sin)?)?;
    let v = round_f16(&v)?;
    let (k, v) = match layer.cache.take() {
        Some((k_cache, v_cache)) if position > 0 => {
            (Tensor::cat(&[&k_cache, &k], 2)?, Tensor::cat(&[&v_cache, &v], 2)?)
        }
        _ => (k, v),
    };
    layer.cache = Some((k.clone(), v.clone()));
    let kv_len = k.dim(2)?;

    // Query heads are grouped by the key/value head they share: (b, kv, group·seq, dim), so
    // one matmul per key/value head serves its whole group.
    let group = n_head / n_kv;
    let q = q.reshape((batch, n_kv, group * seq_len, head_dim))?;
    let scores = (q.matmul(&k.t()?)? * (1.0 / (head_dim as f64).sqrt()))?;
    let scores = match mask {
        Some(mask) => scores
            .reshape((batch, n_kv, group, seq_len, kv_len))?
            .broadcast_add(mask)?
            .reshape((batch, n_kv, group * seq_len, kv_len))?,
        None => scores,
    };
    let weights = round_f16(&candle_nn::ops::softmax_last_dim(&scores)?)?;
    let y = weights.matmul(&v)?; // (b, kv, group·seq, dim)
    let y =
        y.reshape((batch, n_head, seq_len, head_dim))?.transpose(1, 2)?.reshape((batch, seq_len, hidden))?;
    layer.wo.forward(&y)
}

/// Additive mask `(seq_len, position + seq_len)`: a query sees every cached position and the
/// new positions up to its own.
fn causal_mask(seq_len: usize, position: usize, device: &Device) -> Result<Tensor> {
    let kv_len = position + seq_len;
    let mask: Vec<f32> = (0..seq_len)
        .flat_map(|i| (0..kv_len).map(move |j| if j > position + i { f32::NEG_INFINITY } else { 0.0 }))
        .collect();
    Ok(Tensor::from_vec(mask, (seq_len, kv_len), device)?)
}

/// cos and sin of the rotary angles for every position, `(context, head_dim / 2)`. Built like
/// ggml's rope cache: `θ = p`, then `θ *= base^(−2/dim)` per dimension pair, in f32.
fn rotary_tables(config: &Config, device: &Device) -> Result<(Tensor, Tensor)> {
    let pairs = config.head_dim / 2;
    let scale = config.rope_base.powf(-2.0 / config.head_dim as f32);
    let mut cos = Vec::with_capacity(config.context_length * pairs);
    let mut sin = Vec::with_capacity(config.context_length * pairs);
    for position in 0..config.context_length {
        let mut theta = position as f32;
        for _ in 0..pairs {
            cos.push(theta.cos());
            sin.push(theta.sin());
            theta *= scale;
        }
    }
    let shape = (config.context_length, pairs);
    Ok((Tensor::from_vec(cos, shape, device)?, Tensor::from_vec(sin, shape, device)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causal_mask_sees_cache_and_earlier_positions() -> Result<()> {
        let mask: Vec<Vec<f32>> = causal_mask(2, 1, &Device::Cpu)?.to_vec2()?;
        let inf = f32::NEG_INFINITY;
        assert_eq!(mask, vec![vec![0.0, 0.0, inf], vec![0.0, 0.0, 0.0]]);
        Ok(())
    }

    #[test]
    fn rotary_tables_start_at_angle_zero() -> Result<()> {
        let config = Config {
            n_layer: 1,
            n_head: 1,
            n_kv_head: 1,
            head_dim: 4,
            rms_eps: 1e-5,
            rope_base: 10_000.0,
            context_length: 3,
        };
        let (cos, sin) = rotary_tables(&config, &Device::Cpu)?;
        let cos: Vec<Vec<f32>> = cos.to_vec2()?;
        let sin: Vec<Vec<f32>> = sin.to_vec2()?;
        assert_eq!(cos[0], vec![1.0, 1.0]);
        assert_eq!(sin[0], vec![0.0, 0.0]);
        // Position 2, second pair: θ = 2 · 10000^(−1/2).
        assert!((sin[2][1] - (2.0f32 * 0.01).sin()).abs() < 1e-6);
        Ok(())
    }
}

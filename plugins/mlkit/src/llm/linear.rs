//! The decoder's weight matrices and how they multiply activations.
//!
//! Most GGUF types go straight to candle's quantized matmul. Q4_1 is special: candle's Q4_1
//! kernel is generic Rust and slow, while re-quantizing to another format changes the weights
//! enough to flip llama.cpp's greedy choices. But a Q4_1 block (`x = d·q + m`, `q` in 0..16) is
//! exactly a Q4_0 block with the same `d` and nibbles (`x = d·(q − 8)`) plus a per-block offset
//! `m + 8d`, so a Q4_1 matmul becomes candle's AVX2 Q4_0 kernel plus a small matmul of the
//! offsets with per-block sums of the 8-bit quantized activations. Term by term that is
//! llama.cpp's `vec_dot_q4_1_q8_1`, up to float summation order.
//!
//! On x86-64 CPUs with AVX2, FMA and F16C the whole of this runs in this crate's own kernels
//! ([`avx2`]), with the same numbers bit for bit, including the offsets' matmul.
//!
//! Why Q4_0 and not the equally lossless Q8_0 form (`d·q` with `q` as bytes): for matrices
//! whose input width is a multiple of 256, candle runs Q8_0 through a faster kernel that
//! quantizes activations per 256 values instead of per 32, and that coarser rounding alone
//! flips greedy choices that llama.cpp makes consistently.

use std::borrow::Cow;

use candle_core::quantized::{GgmlDType, QMatMul, QStorage, QTensor};
use candle_core::{Device, Module, Tensor};
use half::f16;

#[cfg(target_arch = "x86_64")]
use super::avx2;
use crate::Result;

/// Elements per quantization block of Q4_0, Q4_1 and Q8_0.
const BLOCK: usize = 32;
/// Bytes of one Q4_1 block: `d` (f16), `m` (f16), 16 bytes of nibbles.
const Q4_1_BYTES: usize = 20;

/// A weight matrix of shape `(out, in)`, applied as `x · Wᵀ`.
#[derive(Debug)]
pub(crate) enum Linear {
    /// Any type candle multiplies directly.
    Quantized(QMatMul),
    /// Q4_0, Q4_1 or Q8_0 through this crate's AVX2 kernels: the numbers of the other two
    /// variants, faster in a portable build (see [`avx2`]).
    #[cfg(target_arch = "x86_64")]
    Avx2(avx2::Matrix),
    /// A Q4_1 matrix split into its Q4_0 part and block offsets.
    Q4_1 {
        q4_0: QMatMul,
        /// `(2·in/32, out)`: rows `m` of every block, then rows `8d` of every block.
        offsets: Tensor,
        in_features: usize,
    },
}

impl Linear {
    /// Wraps `weights`; Q4_1 matrices are split as described in the module docs.
    pub fn new(weights: QTensor, device: &Device) -> Result<Self> {
        #[cfg(target_arch = "x86_64")]
        if let Some(matrix) = avx2_matrix(&weights)? {
            return Ok(Linear::Avx2(matrix));
        }
        if weights.dtype() == GgmlDType::Q4_1 && weights.rank() == 2 {
            return split_q4_1(&weights, device);
        }
        Ok(Linear::Quantized(QMatMul::from_qtensor(weights)?))
    }

    /// The weight format, as GGUF names it (`Q4_1`, `Q8_0`, `F32`, ...).
    pub fn kind(&self) -> String {
        match self {
            Linear::Quantized(QMatMul::QTensor(t)) => format!("{:?}", t.dtype()),
            Linear::Quantized(QMatMul::Tensor(_)) => "F32".into(),
            Linear::Quantized(QMatMul::TensorF16(_)) => "F16".into(),
            #[cfg(target_arch = "x86_64")]
            Linear::Avx2(m) => format!("{:?}", m.format()),
            Linear::Q4_1 { .. } => "Q4_1".into(),
        }
    }

    /// `x · Wᵀ` for `x` of shape `(..., in)`.
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        match self {
            Linear::Quantized(w) => Ok(w.forward(x)?),
            #[cfg(target_arch = "x86_64")]
            Linear::Avx2(w) => {
                if x.dims().last() != Some(&w.in_features()) {
                    return Err(candle_core::Error::Msg(format!(
                        "activations {:?} against a matrix {} wide",
                        x.dims(),
                        w.in_features()
                    ))
                    .into());
                }
                let y = w.matmul(&x.flatten_all()?.to_vec1::<f32>()?);
                let mut out_dims = x.dims().to_vec();
                if let Some(last) = out_dims.last_mut() {
                    *last = w.out_features();
                }
                Ok(Tensor::from_vec(y, out_dims, x.device())?)
            }
            Linear::Q4_1 { q4_0, offsets, in_features } => {
                let dims = x.dims().to_vec();
                let rows = x.elem_count() / in_features;
                let x2 = x.reshape((rows, *in_features))?;
                let main = q4_0.forward(&x2)?;
                let sums = block_sums(&x2)?;
                let y = (main + sums.matmul(offsets)?)?;
                let mut out_dims = dims;
                let last = out_dims.len() - 1;
                out_dims[last] = y.dim(1)?;
                Ok(y.reshape(out_dims)?)
            }
        }
    }
}

/// The AVX2 form of a Q4_0, Q4_1 or Q8_0 matrix, when this CPU has the features. Q8_0 matrices
/// whose width is a multiple of 256 stay with candle: on CPUs with AVX-512 VNNI or AVX-VNNI it
/// runs them through its repacked tiles (fast already, and with activations quantized per 256
/// values, so with other numbers than its Q8_0 kernel's).
#[cfg(target_arch = "x86_64")]
fn avx2_matrix(weights: &QTensor) -> Result<Option<avx2::Matrix>> {
    let format = match weights.dtype() {
        GgmlDType::Q4_0 => avx2::Format::Q4_0,
        GgmlDType::Q4_1 => avx2::Format::Q4_1,
        GgmlDType::Q8_0 => avx2::Format::Q8_0,
        _ => return Ok(None),
    };
    let Ok((out_features, in_features)) = weights.shape().dims2() else { return Ok(None) };
    if format == avx2::Format::Q8_0 && in_features.is_multiple_of(256) {
        return Ok(None);
    }
    Ok(avx2::Matrix::new(format, out_features, in_features, &weights.data()?))
}

fn split_q4_1(weights: &QTensor, device: &Device) -> Result<Linear> {
    let (out_features, in_features) = weights.shape().dims2()?;
    let blocks_per_row = in_features / BLOCK;
    let data = weights.data()?;
    let mut q4_0 = Vec::with_capacity(out_features * blocks_per_row * (Q4_1_BYTES - 2));
    // Built as (out, 2·blocks) and transposed once, so each row's offsets are adjacent here.
    let mut offsets = Vec::with_capacity(out_features * 2 * blocks_per_row);
    let mut eight_d = Vec::with_capacity(blocks_per_row);
    for row in data.chunks_exact(blocks_per_row * Q4_1_BYTES) {
        eight_d.clear();
        for block in row.chunks_exact(Q4_1_BYTES) {
            // Q4_0 keeps `d` and the nibbles and drops `m`.
            q4_0.extend_from_slice(&block[0..2]);
            q4_0.extend_from_slice(&block[4..]);
            offsets.push(f16::from_le_bytes([block[2], block[3]]).to_f32());
            eight_d.push(8.0 * f16::from_le_bytes([block[0], block[1]]).to_f32());
        }
        offsets.extend_from_slice(&eight_d);
    }
    let storage = QStorage::from_data(Cow::Owned(q4_0), device, GgmlDType::Q4_0)?;
    let q4_0 = QMatMul::from_qtensor(QTensor::new(storage, (out_features, in_features))?)?;
    let offsets = Tensor::from_vec(offsets, (out_features, 2 * blocks_per_row), device)?.t()?.contiguous()?;
    Ok(Linear::Q4_1 { q4_0, offsets, in_features })
}

/// Per 32-element block of each row of `x` (shape `(rows, in)`): first the sums llama.cpp's
/// Q8_1 activations carry (`s = f16(d · Σq)` with `d = amax/127`, `q = x·127/amax` rounded half
/// to even, as its AVX quantizer does), multiplied with `m`; then `f16(d) · Σq` with candle's
/// Q8_0 rounding, multiplied with `8d` to cancel the `− 8` the Q4_0 kernel applies to every
/// nibble.
fn block_sums(x: &Tensor) -> Result<Tensor> {
    let (rows, in_features) = x.dims2()?;
    let blocks = in_features / BLOCK;
    let values: Vec<f32> = x.flatten_all()?.to_vec1()?;
    let mut out = vec![0f32; rows * 2 * blocks];
    for (row, sums) in values.chunks_exact(in_features).zip(out.chunks_exact_mut(2 * blocks)) {
        let (llama, candle) = sums.split_at_mut(blocks);
        for ((block, s), t) in row.chunks_exact(BLOCK).zip(llama).zip(candle) {
            let amax = block.iter().fold(0f32, |a, v| a.max(v.abs()));
            let d = amax / 127.0;
            let (llama_inv, candle_inv) = if amax == 0.0 { (0.0, 0.0) } else { (127.0 / amax, 1.0 / d) };
            let llama_sum: f32 = block.iter().map(|v| (v * llama_inv).round_ties_even()).sum();
            let candle_sum: f32 = block.iter().map(|v| (v * candle_inv).round()).sum();
            *s = f16::from_f32(d * llama_sum).to_f32();
            *t = f16::from_f32(d).to_f32() * candle_sum;
        }
    }
    Ok(Tensor::from_vec(out, (rows, 2 * blocks), x.device())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The split computes what candle's (slow, generic) Q4_1 kernel computes: both quantize
    /// activations to 8 bits per 32-block, so only float rounding differs.
    #[test]
    fn split_q4_1_matches_candle_q4_1_kernel() -> Result<()> {
        let device = Device::Cpu;
        let (out_f, in_f) = (8, 64);
        let w: Vec<f32> = (0..out_f * in_f).map(|i| ((i * 37 % 101) as f32 - 50.0) / 40.0).collect();
        let w = Tensor::from_vec(w, (out_f, in_f), &device)?;
        let q = QTensor::quantize(&w, GgmlDType::Q4_1)?;
        let reference = QMatMul::from_qtensor(QTensor::quantize(&w, GgmlDType::Q4_1)?)?;
        let linear = split_q4_1(&q, &device)?;
        assert!(matches!(linear, Linear::Q4_1 { .. }));
        let x: Vec<f32> = (0..2 * in_f).map(|i| ((i * 13 % 29) as f32 - 14.0) / 10.0).collect();
        let x = Tensor::from_vec(x, (1, 2, in_f), &device)?;
        let ours: Vec<f32> = linear.forward(&x)?.flatten_all()?.to_vec1()?;
        let expected: Vec<f32> = reference.forward(&x)?.flatten_all()?.to_vec1()?;
        assert_eq!(ours.len(), 2 * out_f);
        for (a, b) in ours.iter().zip(&expected) {
            assert!((a - b).abs() < 1e-3 * b.abs().max(1.0), "{a} vs {b}");
        }
        Ok(())
    }

    /// On a CPU with AVX2, FMA and F16C, Q4_1 runs in this crate's kernel and gives the split's
    /// numbers bit for bit (Q4_0 part, block sums and the offsets' matmul), in the model's shapes
    /// and in small ones with partial tiles.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn avx2_q4_1_is_the_split_bit_for_bit() -> Result<()> {
        let device = Device::Cpu;
        for (out_f, in_f, rows) in [(13, 96, 1), (13, 96, 7), (192, 576, 1), (192, 576, 41), (64, 1536, 5)] {
            let w: Vec<f32> = (0..out_f * in_f).map(|i| ((i * 37 % 101) as f32 - 50.0) / 40.0).collect();
            let q = QTensor::quantize(&Tensor::from_vec(w, (out_f, in_f), &device)?, GgmlDType::Q4_1)?;
            let split = split_q4_1(&q, &device)?;
            let fast = Linear::new(q, &device)?;
            if !matches!(fast, Linear::Avx2(_)) {
                eprintln!("skipped: this CPU lacks AVX2, FMA or F16C");
                return Ok(());
            }
            // Zero blocks (d = 0) and mixed signs in the activations.
            let x: Vec<f32> = (0..rows * in_f)
                .map(|i| if i % 200 < 32 { 0.0 } else { ((i * 13 % 29) as f32 - 14.0) / 10.0 })
                .collect();
            let x = Tensor::from_vec(x, (1, rows, in_f), &device)?;
            let bits = |t: Tensor| -> Result<Vec<u32>> {
                Ok(t.flatten_all()?.to_vec1::<f32>()?.iter().map(|f| f.to_bits()).collect())
            };
            assert_eq!(
                bits(fast.forward(&x)?)?,
                bits(split.forward(&x)?)?,
                "{rows} rows of {out_f} x {in_f}"
            );
        }
        Ok(())
    }
}

//! Element-wise steps of the encoder as candle ops that run on the caller's rayon pool.
//!
//! candle's own element-wise ops split large tensors over its process-wide kernel pool, which
//! admits one caller at a time. The embedder encodes several batches at once (one per thread
//! of its [`Threads`](crate::Threads) pool), so those ops would queue behind each other; these
//! run where they are called. They also fuse steps that would otherwise each allocate a tensor.

use candle_core::{CpuStorage, CustomOp2, Layout, Shape};
use rayon::prelude::*;

/// Rows per parallel work item.
const ROWS_PER_TASK: usize = 64;

fn contiguous<'a>(storage: &'a CpuStorage, layout: &Layout, what: &str) -> candle_core::Result<&'a [f32]> {
    let (start, end) = layout
        .contiguous_offsets()
        .ok_or_else(|| candle_core::Error::Msg(format!("{what}: the input must be contiguous")))?;
    Ok(&storage.as_slice::<f32>()?[start..end])
}

/// `a + b` where `b` has the shape of `a` or of one row of it (a bias).
pub(crate) struct Add;

impl CustomOp2 for Add {
    fn name(&self) -> &'static str {
        "mlkit-add"
    }

    fn cpu_fwd(
        &self,
        a: &CpuStorage,
        a_layout: &Layout,
        b: &CpuStorage,
        b_layout: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let a_values = contiguous(a, a_layout, "add")?;
        let b_values = contiguous(b, b_layout, "add")?;
        let width = a_layout.dims().last().copied().unwrap_or(1).max(1);
        let broadcast = b_values.len() == width;
        if !broadcast && b_values.len() != a_values.len() {
            return Err(candle_core::Error::Msg(format!(
                "add: shapes {:?} and {:?} do not match",
                a_layout.dims(),
                b_layout.dims()
            )));
        }
        let mut out = vec![0f32; a_values.len()];
        let span = ROWS_PER_TASK * width;
        out.par_chunks_mut(span).zip(a_values.par_chunks(span)).enumerate().for_each(|(task, (out, a))| {
            for (row, (o, x)) in out.chunks_mut(width).zip(a.chunks(width)).enumerate() {
                let b_row = if broadcast {
                    b_values
                } else {
                    let start = (task * ROWS_PER_TASK + row) * width;
                    &b_values[start..start + width]
                };
                for ((o, x), y) in o.iter_mut().zip(x).zip(b_row) {
                    *o = x + y;
                }
            }
        });
        Ok((CpuStorage::F32(out), a_layout.shape().clone()))
    }
}

/// Attention weights: `softmax(scores · scale + mask)` over the last dimension, with `scores`
/// `(batch, heads, queries, keys)` and the additive `mask` `(batch, keys)`.
pub(crate) struct MaskedSoftmax {
    pub scale: f32,
}

impl CustomOp2 for MaskedSoftmax {
    fn name(&self) -> &'static str {
        "mlkit-masked-softmax"
    }

    fn cpu_fwd(
        &self,
        scores: &CpuStorage,
        scores_layout: &Layout,
        mask: &CpuStorage,
        mask_layout: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let values = contiguous(scores, scores_layout, "masked softmax")?;
        let mask = contiguous(mask, mask_layout, "masked softmax")?;
        let &[batch, heads, queries, keys] = scores_layout.dims() else {
            return Err(candle_core::Error::Msg("masked softmax: scores must be 4-dimensional".into()));
        };
        if mask.len() != batch * keys {
            return Err(candle_core::Error::Msg("masked softmax: mask must be (batch, keys)".into()));
        }
        let per_sequence = heads * queries * keys;
        let mut out = vec![0f32; values.len()];
        out.par_chunks_mut(per_sequence)
            .zip(values.par_chunks(per_sequence))
            .zip(mask.par_chunks(keys))
            .for_each(|((out, x), mask)| {
                for (o, x) in out.chunks_mut(keys).zip(x.chunks(keys)) {
                    let mut max = f32::NEG_INFINITY;
                    for ((o, &x), &m) in o.iter_mut().zip(x).zip(mask) {
                        *o = x * self.scale + m;
                        max = max.max(*o);
                    }
                    let mut sum = 0f32;
                    for o in o.iter_mut() {
                        *o = (*o - max).exp();
                        sum += *o;
                    }
                    for o in o.iter_mut() {
                        *o /= sum;
                    }
                }
            });
        Ok((CpuStorage::F32(out), scores_layout.shape().clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Tensor};

    #[test]
    fn add_handles_bias_rows_and_equal_shapes() -> candle_core::Result<()> {
        let a = Tensor::new(&[[1f32, 2.], [3., 4.]], &Device::Cpu)?;
        let bias = Tensor::new(&[10f32, 20.], &Device::Cpu)?;
        let sum: Vec<Vec<f32>> = a.apply_op2_no_bwd(&bias, &Add)?.to_vec2()?;
        assert_eq!(sum, vec![vec![11., 22.], vec![13., 24.]]);
        let doubled: Vec<Vec<f32>> = a.apply_op2_no_bwd(&a, &Add)?.to_vec2()?;
        assert_eq!(doubled, vec![vec![2., 4.], vec![6., 8.]]);
        Ok(())
    }

    #[test]
    fn masked_softmax_matches_candle_ops() -> candle_core::Result<()> {
        let device = Device::Cpu;
        let scores = Tensor::arange(0f32, 24., &device)?.reshape((2, 1, 3, 4))?;
        let mask = Tensor::new(&[[0f32, 0., 0., f32::MIN], [0., 0., 0., 0.]], &device)?;
        let ours = scores.apply_op2_no_bwd(&mask, &MaskedSoftmax { scale: 0.5 })?;
        let expected =
            candle_nn::ops::softmax_last_dim(&(scores * 0.5)?.broadcast_add(&mask.reshape((2, 1, 1, 4))?)?)?;
        let diff = (ours - expected)?.abs()?.flatten_all()?.max(0)?.to_scalar::<f32>()?;
        assert!(diff < 1e-6, "{diff}");
        Ok(())
    }
}

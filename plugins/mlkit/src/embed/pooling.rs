//! Mean pooling over real (unpadded) tokens and L2 normalisation, as sentence-transformers'
//! `Pooling` and `Normalize` modules compute them.

/// Mean of the token vectors `tokens` (each `dim` long) into `out`. Only real tokens are
/// passed (the encoder works on packed tokens), which is sentence-transformers' mean over the
/// attention mask; its clamp of the count at 1e-9 only matters for an empty sequence.
pub(crate) fn mean_pool<'a>(tokens: impl Iterator<Item = &'a [f32]>, dim: usize, out: &mut [f32]) {
    debug_assert_eq!(out.len(), dim);
    out.fill(0.0);
    let mut count = 0f32;
    for token in tokens {
        count += 1.0;
        for (o, &h) in out.iter_mut().zip(token) {
            *o += h;
        }
    }
    let count = count.max(1e-9);
    for o in out.iter_mut() {
        *o /= count;
    }
}

/// Divides `v` by its L2 norm, clamped at 1e-12 like `torch.nn.functional.normalize`.
pub(crate) fn l2_normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    for x in v.iter_mut() {
        *x /= norm;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_of_token_vectors() {
        let hidden = [1.0, 2.0, 3.0, 4.0];
        let mut out = [0.0; 2];
        mean_pool(hidden.chunks_exact(2), 2, &mut out);
        assert_eq!(out, [2.0, 3.0]);
    }

    #[test]
    fn normalize_gives_unit_length_and_keeps_zero() {
        let mut v = [3.0, 4.0];
        l2_normalize(&mut v);
        assert_eq!(v, [0.6, 0.8]);
        let mut zero = [0.0, 0.0];
        l2_normalize(&mut zero);
        assert_eq!(zero, [0.0, 0.0]);
    }
}

//! The decoder's Q4_0, Q4_1 and Q8_0 matmuls on x86-64 CPUs with AVX2, FMA and F16C, chosen at
//! run time, so that the portable build `make run` ships (default x86-64 target) is as fast as
//! one compiled for the CPU.
//!
//! candle picks its AVX2 dot products at run time as well, but in a default x86-64 build three
//! things around them stay slow: each block's two f16 scales are widened through `half`'s own
//! run-time check and a function call (F16C is not among the kernels' features), activations are
//! quantized with a libm `roundf` call per value (SSE2 has no rounding instruction), and a
//! prompt's rows are multiplied one at a time, unpacking every weight block again for each row.
//! Here the weights keep their scales as f32 (widening an f16 is exact), activations are
//! quantized by code compiled for AVX2, and a tile of up to four rows shares each unpacked
//! weight block (the batched path for the prompt).
//!
//! Each (row, column) result is the very sequence of float operations of candle's AVX2 kernels
//! (`vec_dot_q4_0_q8_0`, `vec_dot_q8_0_q8_0`: per block, the product of the two scales times
//! the eight lane sums of the integer dot, accumulated by FMA; then the same horizontal sum),
//! and activations round as candle's Q8_0 quantizer rounds them. Q4_1 is
//! [`super::linear`]'s split (its Q4_0 part, then the block offsets), with the offsets' matmul
//! folded in: one FMA chain per (row, column) over the block sums in the order candle's f32
//! matmul (gemm) runs it, instead of a separate single-threaded matmul that reads the offsets
//! again. So the results are the candle path's bit for bit, which the tests check; greedy output
//! does not move. CPUs without these features keep candle's kernels. The work is spread over
//! candle's kernel pool (`CANDLE_NUM_THREADS`), as candle's own quantized matmul does.

// SIMD intrinsics run only after the run-time CPU check in `Matrix::new`; workers of the pool
// write disjoint tiles of one output buffer through a raw pointer.
#![allow(unsafe_code)]

use std::arch::x86_64::*;
use std::sync::OnceLock;

use half::f16;

/// Values per quantization block of Q4_0 and Q8_0.
pub(crate) const BLOCK: usize = 32;
/// Rows of a prompt that share each unpacked weight block.
const PREFILL_ROWS: usize = 4;
/// Weight rows (output columns) per tile while prefilling.
const PREFILL_COLS: usize = 2;
/// Output columns per tile while decoding one row (as candle's column quads).
const DECODE_COLS: usize = 4;

/// Whether this CPU has AVX2, FMA and F16C (checked once).
pub(crate) fn available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        is_x86_feature_detected!("avx2")
            && is_x86_feature_detected!("fma")
            && is_x86_feature_detected!("f16c")
    })
}

/// The block formats these kernels multiply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `d` (f16) and 16 bytes of nibbles: `x = d·(q − 8)`, value `j` in the low nibble of byte
    /// `j` and value `j + 16` in its high nibble.
    Q4_0,
    /// `d` and `m` (f16) and nibbles as Q4_0: `x = d·q + m`, computed as the Q4_0 block
    /// `d·(q − 8)` plus the offset `m + 8d` (see [`super::linear`]).
    Q4_1,
    /// `d` (f16) and 32 signed bytes: `x = d·q`.
    Q8_0,
}

impl Format {
    /// Bytes of one block's scales (`d`, and `m` for Q4_1).
    fn scale_bytes(self) -> usize {
        match self {
            Format::Q4_0 | Format::Q8_0 => 2,
            Format::Q4_1 => 4,
        }
    }

    /// Bytes of the quants of one block.
    fn quant_bytes(self) -> usize {
        match self {
            Format::Q4_0 | Format::Q4_1 => BLOCK / 2,
            Format::Q8_0 => BLOCK,
        }
    }
}

/// A quantized weight matrix of shape `(out, in)`, applied as `x · Wᵀ`.
pub(crate) struct Matrix {
    format: Format,
    out_features: usize,
    in_features: usize,
    /// `out × blocks` scales `d`, widened from f16.
    scales: Vec<f32>,
    /// Q4_1 only: `out × blocks` minimums `m`, widened from f16.
    mins: Vec<f32>,
    /// `out × blocks × quant_bytes`, row after row.
    quants: Vec<u8>,
}

impl std::fmt::Debug for Matrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("avx2::Matrix")
            .field("format", &self.format)
            .field("out_features", &self.out_features)
            .field("in_features", &self.in_features)
            .finish()
    }
}

impl Matrix {
    /// Takes GGML block bytes (per block `d`, for Q4_1 then `m`, as little-endian f16, then the
    /// quants), row after row. `None` when this CPU lacks AVX2, FMA or F16C, or the bytes do not
    /// make `out` rows of `in` values in whole blocks: the caller keeps candle's kernel then.
    pub fn new(format: Format, out_features: usize, in_features: usize, data: &[u8]) -> Option<Self> {
        let quant_bytes = format.quant_bytes();
        let scale_bytes = format.scale_bytes();
        let block_bytes = scale_bytes + quant_bytes;
        if !available()
            || out_features == 0
            || in_features == 0
            || !in_features.is_multiple_of(BLOCK)
            || data.len() != out_features * in_features / BLOCK * block_bytes
        {
            return None;
        }
        let blocks = out_features * in_features / BLOCK;
        let mut scales = Vec::with_capacity(blocks);
        let mut mins = Vec::with_capacity(if format == Format::Q4_1 { blocks } else { 0 });
        let mut quants = Vec::with_capacity(blocks * quant_bytes);
        for block in data.chunks_exact(block_bytes) {
            scales.push(f16::from_le_bytes([block[0], block[1]]).to_f32());
            if format == Format::Q4_1 {
                mins.push(f16::from_le_bytes([block[2], block[3]]).to_f32());
            }
            quants.extend_from_slice(&block[scale_bytes..]);
        }
        Some(Self { format, out_features, in_features, scales, mins, quants })
    }

    /// The weight format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Rows of the weight matrix: values per output row.
    pub fn out_features(&self) -> usize {
        self.out_features
    }

    /// Columns of the weight matrix: values per input row.
    pub fn in_features(&self) -> usize {
        self.in_features
    }

    /// `x · Wᵀ` for `x` of `rows × in` values, row after row: `rows × out` values, computed on
    /// candle's kernel pool.
    ///
    /// # Panics
    /// When `x.len()` is not a multiple of the matrix's width (the caller checks the shape).
    pub fn matmul(&self, x: &[f32]) -> Vec<f32> {
        assert!(x.len().is_multiple_of(self.in_features), "activations of another width");
        // SAFETY: a `Matrix` exists only where `available()` said the CPU has the features.
        let x = unsafe { quantize_avx2(x, self.in_features, self.format == Format::Q4_1) };
        let x = &x;
        let (rows, cols) = (x.rows, self.out_features);
        let mut out = vec![0f32; rows * cols];
        let (tile_rows, tile_cols) = if rows == 1 { (1, DECODE_COLS) } else { (PREFILL_ROWS, PREFILL_COLS) };
        let row_tiles = rows.div_ceil(tile_rows);
        let col_tiles = cols.div_ceil(tile_cols);
        let dst = Output { ptr: out.as_mut_ptr(), cols };
        // Row-tile major, as candle orders its prefill: a worker walking a range of items keeps
        // one tile of activations hot while it streams the weights.
        candle_core::utils::barrier_pool().execute_chunked(row_tiles * col_tiles, |items| {
            for item in items {
                let row = (item / col_tiles) * tile_rows;
                let col = (item % col_tiles) * tile_cols;
                let r = tile_rows.min(rows - row);
                let c = tile_cols.min(cols - col);
                // SAFETY: the CPU check as for `quantize_avx2` above; every (row, column) of `out` belongs to
                // exactly one item, so workers never write the same element, and `out` outlives
                // the pool's call.
                unsafe { tile_dispatch(self, x, row, col, r, c, &dst) }
            }
        });
        out
    }
}

/// Activations quantized to Q8_0, row after row.
pub(crate) struct Activations {
    rows: usize,
    blocks: usize,
    /// `rows × blocks` scales: `f16(amax / 127)` widened again, as candle's kernel reads them.
    scales: Vec<f32>,
    /// `rows × blocks × 32` values.
    quants: Vec<i8>,
    /// Empty, or for Q4_1 the `2·blocks` block sums (see [`quantize_avx2`]) of each row,
    /// sum-major: `sums[j · sum_rows(rows) + row]`, rows padded with zeros to a multiple of four
    /// so that a tile loads the sums of its four rows as one vector.
    sums: Vec<f32>,
}

/// Where workers write their tiles.
struct Output {
    ptr: *mut f32,
    cols: usize,
}

// SAFETY: workers write disjoint elements (see `Matrix::matmul`).
unsafe impl Sync for Output {}

/// Quantizes `rows × in` values to Q8_0 exactly as candle's `BlockQ8_0::from_float` does
/// (`d = amax/127`, `q = round(x/d)` half away from zero, `d` stored as f16). With `with_sums`,
/// per block `f16(d · Σ round_ties_even(x·127/amax))` (llama.cpp's Q8_1 sums) and then
/// `f16(d) · Σq`, as `linear::block_sums` computes them. Compiled for AVX2 so the roundings
/// are instructions rather than libm calls; the scalar code keeps candle's semantics.
#[target_feature(enable = "avx2,fma,f16c")]
fn quantize_avx2(x: &[f32], in_features: usize, with_sums: bool) -> Activations {
    let rows = x.len() / in_features;
    let blocks = in_features / BLOCK;
    let mut scales = vec![0f32; rows * blocks];
    let mut quants = vec![0i8; rows * blocks * BLOCK];
    let sum_rows = sum_rows(rows);
    let mut sums = if with_sums { vec![0f32; sum_rows * 2 * blocks] } else { Vec::new() };
    let values = x.chunks_exact(BLOCK).zip(quants.chunks_exact_mut(BLOCK)).zip(scales.iter_mut());
    for (i, ((block, q), scale)) in values.enumerate() {
        let amax = block.iter().fold(0f32, |a, v| a.max(v.abs()));
        let d = amax / 127.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        let mut q_sum = 0i32;
        for (q, v) in q.iter_mut().zip(block) {
            *q = (v * id).round() as i8;
            q_sum += i32::from(*q);
        }
        *scale = f16::from_f32(d).to_f32();
        if with_sums {
            let (row, b) = (i / blocks, i % blocks);
            let llama_inv = if amax == 0.0 { 0.0 } else { 127.0 / amax };
            let llama_sum: f32 = block.iter().map(|v| (v * llama_inv).round_ties_even()).sum();
            sums[b * sum_rows + row] = f16::from_f32(d * llama_sum).to_f32();
            // Σq is an exact small integer, as is candle's float sum of the rounded values.
            sums[(blocks + b) * sum_rows + row] = *scale * q_sum as f32;
        }
    }
    Activations { rows, blocks, scales, quants, sums }
}

/// Rows of the block sums' layout: `rows` padded to a multiple of [`PREFILL_ROWS`] (four).
fn sum_rows(rows: usize) -> usize {
    rows.next_multiple_of(PREFILL_ROWS)
}

/// Calls the tile kernel instantiated for `r × c` (each 1 to 4).
///
/// # Safety
/// The CPU has AVX2, FMA and F16C; `row + r <= x.rows`, `col + c <= m.out_features`; no other
/// thread writes the tile's elements of `dst` meanwhile.
#[target_feature(enable = "avx2,fma,f16c")]
unsafe fn tile_dispatch(
    m: &Matrix,
    x: &Activations,
    row: usize,
    col: usize,
    r: usize,
    c: usize,
    dst: &Output,
) {
    macro_rules! dispatch {
        ($($r:literal $c:literal),*) => {
            match (m.format, r, c) {
                $(
                    (Format::Q4_0, $r, $c) => unsafe { tile::<$r, $c, true, false>(m, x, row, col, dst) },
                    (Format::Q4_1, $r, $c) => unsafe { tile::<$r, $c, true, true>(m, x, row, col, dst) },
                    (Format::Q8_0, $r, $c) => unsafe { tile::<$r, $c, false, false>(m, x, row, col, dst) },
                )*
                _ => unreachable!("tiles are at most {PREFILL_ROWS} x {DECODE_COLS}"),
            }
        };
    }
    dispatch!(1 1, 1 2, 1 3, 1 4, 2 1, 2 2, 2 3, 2 4, 3 1, 3 2, 3 3, 3 4, 4 1, 4 2, 4 3, 4 4)
}

/// `R` activation rows times `C` weight rows from (`row`, `col`): per block, each weight block is
/// loaded (and for Q4_0 unpacked) once and each activation block once, and every (row, column)
/// pair accumulates exactly as candle's `vec_dot_*_q8_0` does. With `OFFSETS` (Q4_1), each pair
/// also runs the offsets' FMA chain: `Σ s·m` over the blocks (alongside), then `Σ t·8d` (after),
/// in gemm's order, added to the Q4_0 part at the end as candle adds the two matrices.
///
/// # Safety
/// As [`tile_dispatch`], with `r = R` and `c = C`.
#[target_feature(enable = "avx2,fma,f16c")]
unsafe fn tile<const R: usize, const C: usize, const Q4: bool, const OFFSETS: bool>(
    m: &Matrix,
    x: &Activations,
    row: usize,
    col: usize,
    dst: &Output,
) {
    let blocks = x.blocks;
    let quant_bytes = if Q4 { BLOCK / 2 } else { BLOCK };
    debug_assert!(row + R <= x.rows && col + C <= m.out_features);
    // Tiles start at multiples of four rows (the sums' vector loads rely on it): one row when
    // decoding, `PREFILL_ROWS` otherwise.
    debug_assert!(R <= PREFILL_ROWS && row.is_multiple_of(PREFILL_ROWS));
    let w_scales = m.scales[col * blocks..(col + C) * blocks].as_ptr();
    let w_quants = m.quants[col * blocks * quant_bytes..(col + C) * blocks * quant_bytes].as_ptr();
    let x_scales = x.scales[row * blocks..(row + R) * blocks].as_ptr();
    let x_quants = x.quants[row * blocks * BLOCK..(row + R) * blocks * BLOCK].as_ptr();
    // Q4_1's block sums of this tile's rows (four lanes, padded) and its columns' minimums.
    let sum_rows = sum_rows(x.rows);
    let (x_sums, w_mins) = if OFFSETS {
        (x.sums[row..2 * blocks * sum_rows].as_ptr(), m.mins[col * blocks..(col + C) * blocks].as_ptr())
    } else {
        (std::ptr::null(), std::ptr::null())
    };
    let ones = _mm256_set1_epi16(1);
    let low_nibbles = _mm256_set1_epi8(0xF);
    let eight = _mm256_set1_epi8(8);
    let mut acc = [[_mm256_setzero_ps(); C]; R];
    // Lane r of `offsets[c]` is the offsets' chain of (row + r, col + c).
    let mut offsets = [_mm_setzero_ps(); C];
    for b in 0..blocks {
        // The weights' absolute values and signs, as candle's `mul_sum_i8_pairs_float` forms them.
        let mut w_abs = [_mm256_setzero_si256(); C];
        let mut w_signed = [_mm256_setzero_si256(); C];
        let mut w_scale = [0f32; C];
        for c in 0..C {
            // SAFETY: block `b` of weight row `col + c` lies inside the slices taken above.
            let w = unsafe {
                let p = w_quants.add((c * blocks + b) * quant_bytes);
                if Q4 {
                    let packed = _mm_loadu_si128(p.cast());
                    let bytes = _mm256_insertf128_si256::<1>(
                        _mm256_castsi128_si256(packed),
                        _mm_srli_epi16(packed, 4),
                    );
                    _mm256_sub_epi8(_mm256_and_si256(low_nibbles, bytes), eight)
                } else {
                    _mm256_loadu_si256(p.cast())
                }
            };
            w_signed[c] = w;
            w_abs[c] = _mm256_sign_epi8(w, w);
            // SAFETY: as above.
            w_scale[c] = unsafe { *w_scales.add(c * blocks + b) };
            if OFFSETS {
                // SAFETY: four padded rows of sum `b` from `row` (a multiple of four), and block
                // `b` of column `col + c` of the minimums, inside the slices taken above.
                let (s, min) =
                    unsafe { (_mm_loadu_ps(x_sums.add(b * sum_rows)), *w_mins.add(c * blocks + b)) };
                offsets[c] = _mm_fmadd_ps(s, _mm_set1_ps(min), offsets[c]);
            }
        }
        for (r, acc) in acc.iter_mut().enumerate() {
            // SAFETY: block `b` of activation row `row + r` lies inside the slices taken above.
            let (a, a_scale) = unsafe {
                (
                    _mm256_loadu_si256(x_quants.add((r * blocks + b) * BLOCK).cast()),
                    *x_scales.add(r * blocks + b),
                )
            };
            for c in 0..C {
                let a_signed = _mm256_sign_epi8(a, w_signed[c]);
                let pairs = _mm256_maddubs_epi16(w_abs[c], a_signed);
                let q = _mm256_cvtepi32_ps(_mm256_madd_epi16(ones, pairs));
                let d = _mm256_set1_ps(w_scale[c] * a_scale);
                acc[c] = _mm256_fmadd_ps(d, q, acc[c]);
            }
        }
    }
    let mut offset = [[0f32; 4]; C];
    if OFFSETS {
        // The second half of each chain, `Σ t·8d`, now that `Σ s·m` is complete.
        let d = &m.scales[col * blocks..(col + C) * blocks];
        for b in 0..blocks {
            // SAFETY: four padded rows of sum `blocks + b` from `row`, as above.
            let t = unsafe { _mm_loadu_ps(x_sums.add((blocks + b) * sum_rows)) };
            for c in 0..C {
                offsets[c] = _mm_fmadd_ps(t, _mm_set1_ps(8.0 * d[c * blocks + b]), offsets[c]);
            }
        }
        for c in 0..C {
            // SAFETY: four floats into a four-float array.
            unsafe { _mm_storeu_ps(offset[c].as_mut_ptr(), offsets[c]) };
        }
    }
    for r in 0..R {
        for c in 0..C {
            let y = if OFFSETS { hsum(acc[r][c]) + offset[c][r] } else { hsum(acc[r][c]) };
            // SAFETY: inside `out` (rows × cols) and this tile's own element (see above).
            unsafe { *dst.ptr.add((row + r) * dst.cols + col + c) = y };
        }
    }
}

/// candle's `hsum_float_8`, in the same order.
#[target_feature(enable = "avx2,fma,f16c")]
fn hsum(x: __m256) -> f32 {
    let res = _mm256_extractf128_ps(x, 1);
    let res = _mm_add_ps(res, _mm256_castps256_ps128(x));
    let res = _mm_add_ps(res, _mm_movehl_ps(res, res));
    let res = _mm_add_ss(res, _mm_movehdup_ps(res));
    _mm_cvtss_f32(res)
}

#[cfg(test)]
mod tests {
    use candle_core::quantized::{GgmlDType, QMatMul, QTensor};
    use candle_core::{Device, Module, Tensor};

    use super::*;
    use crate::Result;

    /// Deterministic values in about [-1.25, 1.25], with an all-zero block to cover `d = 0`.
    fn values(count: usize, seed: usize) -> Vec<f32> {
        (0..count)
            .map(
                |i| {
                    if (32..64).contains(&i) {
                        0.0
                    } else {
                        ((i * 37 + seed * 11) % 101) as f32 / 40.0 - 1.25
                    }
                },
            )
            .collect()
    }

    /// Our kernel against candle's `QMatMul` on the same blocks, bit for bit, for one row
    /// (decode) and for row and column counts that leave partial tiles (prefill).
    fn matches_candle(dtype: GgmlDType, format: Format) -> Result<()> {
        if !available() {
            eprintln!("skipped: this CPU lacks AVX2, FMA or F16C");
            return Ok(());
        }
        let device = Device::Cpu;
        let (out_f, in_f) = (13, 96);
        let w = Tensor::from_vec(values(out_f * in_f, 1), (out_f, in_f), &device)?;
        let q = QTensor::quantize(&w, dtype)?;
        let ours = Matrix::new(format, out_f, in_f, &q.data()?).expect("the CPU was checked above");
        let candle = QMatMul::from_qtensor(q)?;
        for rows in [1, 2, 7] {
            let x = values(rows * in_f, rows);
            let expected: Vec<f32> = candle
                .forward(&Tensor::from_vec(x.clone(), (rows, in_f), &device)?)?
                .flatten_all()?
                .to_vec1()?;
            let got = ours.matmul(&x);
            let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&expected), "{rows} rows of {format:?}");
        }
        Ok(())
    }

    #[test]
    fn q4_0_matmul_is_candles_bit_for_bit() -> Result<()> {
        matches_candle(GgmlDType::Q4_0, Format::Q4_0)
    }

    #[test]
    fn q8_0_matmul_is_candles_bit_for_bit() -> Result<()> {
        matches_candle(GgmlDType::Q8_0, Format::Q8_0)
    }

    #[test]
    fn refuses_what_is_not_whole_blocks() {
        assert!(Matrix::new(Format::Q4_0, 2, 48, &[0; 2 * 18]).is_none(), "48 is not a multiple of 32");
        assert!(Matrix::new(Format::Q8_0, 2, 32, &[0; 34]).is_none(), "one row of bytes for two rows");
        assert!(Matrix::new(Format::Q8_0, 0, 32, &[]).is_none());
    }
}

//! How many CPU threads model compute uses.
//!
//! Each model runs its work inside its own rayon pool of a chosen size: rayon-parallel code
//! (tokenizers, candle-nn's softmax and norms, the embedder's batches and element-wise ops)
//! then uses exactly those threads. candle itself has two process-wide settings, read once:
//! `CANDLE_NUM_THREADS` sizes its kernel pool (quantized matmuls, its element-wise ops), and
//! `RAYON_NUM_THREADS` how many ways it splits an f32 matmul. On a busy machine more threads
//! than needed are much slower than one. For a plugin process with `n` threads set
//! `CANDLE_NUM_THREADS=n` and `RAYON_NUM_THREADS=1`, give the embedder `Threads::new(n)` (it
//! encodes n batches at once, one per thread, which scales better than splitting each matmul)
//! and the LLM one thread (its matmuls run on candle's n kernel threads; more rayon threads
//! only compete with them).

use std::sync::Arc;

use crate::{Error, Result};

/// A pool of compute threads shared by the models that were given it.
#[derive(Clone)]
pub struct Threads {
    pool: Arc<rayon::ThreadPool>,
}

impl std::fmt::Debug for Threads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Threads").field("count", &self.count()).finish()
    }
}

impl Threads {
    /// A pool of exactly `count` threads (at least one).
    pub fn new(count: usize) -> Result<Self> {
        if count == 0 {
            return Err(Error::InvalidParameter { name: "threads", message: "must be at least 1".into() });
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(count)
            .thread_name(|i| format!("mlkit-compute-{i}"))
            .build()
            .map_err(|e| Error::ThreadPool { threads: count, message: e.to_string() })?;
        Ok(Self { pool: Arc::new(pool) })
    }

    /// A pool as large as candle's kernel pool: `CANDLE_NUM_THREADS`, else
    /// `RAYON_NUM_THREADS`, else one thread per available CPU.
    pub fn from_env() -> Result<Self> {
        let from_env = ["CANDLE_NUM_THREADS", "RAYON_NUM_THREADS"].iter().find_map(|key| {
            std::env::var(key).ok().and_then(|v| v.trim().parse::<usize>().ok()).filter(|&n| n > 0)
        });
        let count =
            from_env.or_else(|| std::thread::available_parallelism().ok().map(usize::from)).unwrap_or(1);
        Self::new(count)
    }

    /// Number of threads in the pool.
    pub fn count(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// Runs `f` inside the pool, so rayon work it starts uses only these threads.
    pub fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        self.pool.install(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_threads_is_rejected() {
        assert!(matches!(Threads::new(0), Err(Error::InvalidParameter { name: "threads", .. })));
    }

    #[test]
    fn pool_has_the_requested_size() {
        let threads = Threads::new(1).expect("pool of one thread");
        assert_eq!(threads.count(), 1);
        assert_eq!(threads.install(rayon::current_num_threads), 1);
    }
}

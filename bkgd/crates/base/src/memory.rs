//! Handing freed heap memory back to the kernel once a burst of work is over.
//!
//! glibc's malloc keeps the pages of freed chunks resident: after bkgd started six plugins it
//! held about 2 MB of free chunks (the startup's, the handshakes'), and a log flood leaves its
//! batches' pages behind the same way. `malloc_trim(0)` returns every whole free page.
//!
//! Work that leaves garbage (a plugin started, stopped or exited, the end of a log burst, the
//! daemon's own start) calls [`after_work`]; once no further call came for [`QUIET`], one trim
//! runs on the blocking pool. Nothing runs while nothing happens: an idle daemon has no timer,
//! the first call of a burst arms one. The state is process-wide because the allocator is.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long the daemon has to stay quiet before it trims: long enough that a burst of starts
/// or reads is over, short enough that an operator looking at `ps` after it sees the result.
pub const QUIET: Duration = Duration::from_secs(1);

struct State {
    /// When the last work was done, in milliseconds since [`ORIGIN`].
    last: AtomicU64,
    /// A task waits for the quiet moment.
    armed: AtomicBool,
    /// Trims done.
    trims: AtomicU64,
}

static STATE: State =
    State { last: AtomicU64::new(0), armed: AtomicBool::new(false), trims: AtomicU64::new(0) };
static ORIGIN: LazyLock<Instant> = LazyLock::new(Instant::now);

fn now_ms() -> u64 {
    ORIGIN.elapsed().as_millis() as u64
}

/// Records that work was done; a trim follows once the daemon has been quiet for [`QUIET`].
/// Cheap: a store, and a load while a trim is pending. Outside a tokio runtime no trim follows.
pub fn after_work() {
    STATE.last.store(now_ms(), Ordering::Relaxed);
    if STATE.armed.load(Ordering::Relaxed) || STATE.armed.swap(true, Ordering::AcqRel) {
        return;
    }
    let armed = Armed;
    if let Ok(rt) = tokio::runtime::Handle::try_current() {
        rt.spawn(wait_and_trim(armed));
    }
}

/// Trims done so far in this process.
#[cfg(test)]
fn trims() -> u64 {
    STATE.trims.load(Ordering::Relaxed)
}

/// Owned by the waiting task; disarms when it is dropped, also unpolled, by a runtime that ends
/// (bkgd as a library, one runtime per test), so that a later burst arms a new task.
struct Armed;

impl Drop for Armed {
    fn drop(&mut self) {
        STATE.armed.store(false, Ordering::Release);
    }
}

async fn wait_and_trim(armed: Armed) {
    loop {
        loop {
            let due = STATE.last.load(Ordering::Relaxed) + QUIET.as_millis() as u64;
            let now = now_ms();
            if now >= due {
                break;
            }
            tokio::time::sleep(Duration::from_millis(due - now)).await;
        }
        let seen = STATE.last.load(Ordering::Relaxed);
        let _ = tokio::task::spawn_blocking(give_back).await;
        STATE.trims.fetch_add(1, Ordering::Relaxed);
        STATE.armed.store(false, Ordering::Release);
        // Work recorded since the check found the task still armed and did not arm another:
        // wait for the next quiet moment here, unless a new call has armed one meanwhile.
        if STATE.last.load(Ordering::Relaxed) == seen || STATE.armed.swap(true, Ordering::AcqRel) {
            // Disarmed above, or armed by the other task: not this one's to disarm.
            std::mem::forget(armed);
            return;
        }
    }
}

/// Returns every whole free page of malloc's arenas to the kernel, now. Walks the arenas once:
/// cheap next to the work that calls it (a connection closed, a burst over).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn give_back() {
    // SAFETY: malloc_trim only returns free memory to the kernel; it is thread-safe.
    unsafe {
        nix::libc::malloc_trim(0);
    }
}

/// Other allocators give memory back by themselves.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn give_back() {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Anonymous memory of this process, from `/proc/self/status`.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn rss_anon_kb() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("RssAnon:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn freed_chunks_go_back_to_the_kernel() {
        // 64 MiB in 4 KiB chunks (below the mmap threshold, so from an arena), then all freed
        // but the last, which keeps the arena's top from shrinking by itself.
        let mut chunks: Vec<Box<[u8]>> =
            (0..16 * 1024).map(|i| vec![i as u8; 4096].into_boxed_slice()).collect();
        let keep = chunks.pop();
        drop(chunks);
        let before = rss_anon_kb();
        give_back();
        let after = rss_anon_kb();
        drop(keep);
        // Other tests of this binary allocate meanwhile; half of what was freed is a safe floor.
        assert!(before >= after + 32 * 1024, "RssAnon {before} kB -> {after} kB after the trim");
    }

    #[test]
    fn a_burst_of_work_ends_in_one_trim_and_quiet_in_none() {
        // A runtime that ends while its task waits leaves nothing armed.
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        rt.block_on(async { after_work() });
        assert!(STATE.armed.load(Ordering::Relaxed));
        drop(rt);
        assert!(!STATE.armed.load(Ordering::Relaxed), "the ended runtime's task disarmed");
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(a_burst());
    }

    async fn a_burst() {
        let start = trims();
        for _ in 0..100 {
            after_work();
        }
        // Bounded, not timed: the trim comes a quiet second after the last call.
        for _ in 0..600 {
            if trims() > start {
                break;
            }
            tokio::time::sleep(QUIET / 10).await;
        }
        assert_eq!(trims(), start + 1, "a hundred calls in a row, one trim");
        // Nothing else in this binary calls `after_work`: no timer, no further trim.
        tokio::time::sleep(QUIET * 3).await;
        assert_eq!(trims(), start + 1, "nothing more while nothing happens");
        assert!(!STATE.armed.load(Ordering::Relaxed));
    }
}

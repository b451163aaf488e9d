//! The credential rows authentication reads on every request (a session with its user, an API
//! key with its owner), kept in memory so a request costs no database round trip.
//!
//! Revocation is not weakened: an entry is trusted only while the store's
//! [`Store::credentials_epoch`] is the one it was read under, and every committed change that
//! can end or change a credential (logout, a revoked session, a key deleted, disabled or
//! rotated, a user's role, password or state changed; by any code path, since the store
//! marks those writes itself) moves the epoch on before the request that made it gets its
//! answer. A row read while such a change commits was read under the old epoch, so it is never
//! trusted afterwards. Entries also expire after [`FRESH_FOR`], which bounds how long a change
//! made outside this process (another bkgd on the same database) can go unseen. Time-based
//! checks (a session's or key's expiry) are made on the cached row at every use.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use crate::store::{KeyRow, SessionRow, Store, StoreResult, UserRow};

/// Longest time a cached row is trusted without reading it again.
pub const FRESH_FOR: Duration = Duration::from_secs(1);
/// Entries per map before it is emptied (a bound on memory, not an eviction policy: a full
/// map means many distinct credentials within [`FRESH_FOR`]).
const MAX_ENTRIES: usize = 10_000;
/// A key's `last_used_at` is written at most this often.
const TOUCH_EVERY_MS: i64 = 60_000;

#[derive(Debug)]
struct Entry<T> {
    value: T,
    epoch: u64,
    read_at: Instant,
}

#[derive(Debug)]
struct Map<T>(Mutex<HashMap<String, Entry<T>>>);

impl<T: Clone> Map<T> {
    fn new() -> Self {
        Self(Mutex::new(HashMap::new()))
    }

    fn get(&self, id: &str, epoch: u64) -> Option<T> {
        let map = self.0.lock();
        let e = map.get(id)?;
        (e.epoch == epoch && e.read_at.elapsed() < FRESH_FOR).then(|| e.value.clone())
    }

    /// `epoch` is the one read before the row was, so a change committed in between makes
    /// the entry stale at once.
    fn put(&self, id: &str, value: T, epoch: u64) {
        let mut map = self.0.lock();
        if map.len() >= MAX_ENTRIES && !map.contains_key(id) {
            map.clear();
        }
        map.insert(id.to_string(), Entry { value, epoch, read_at: Instant::now() });
    }
}

/// Rows are shared (`Arc`): a request takes a reference count, not a copy of every string.
#[derive(Debug)]
pub struct CredentialCache {
    sessions: Map<Option<Arc<(SessionRow, UserRow)>>>,
    keys: Map<Option<Arc<KeyRow>>>,
    /// When each key's use was last written, by key id.
    touched: Mutex<HashMap<String, i64>>,
}

impl CredentialCache {
    pub fn new() -> Self {
        Self { sessions: Map::new(), keys: Map::new(), touched: Mutex::new(HashMap::new()) }
    }

    /// A session and its user, from memory when fresh, else from the store. A session that
    /// does not exist is remembered too (a replayed bad token costs no query either).
    pub async fn session(&self, store: &Store, id: &str) -> StoreResult<Option<Arc<(SessionRow, UserRow)>>> {
        read(&self.sessions, store, id, async { Ok(store.session(id).await?.map(Arc::new)) }).await
    }

    /// The key with this current or previous prefix, as [`CredentialCache::session`].
    pub async fn key(&self, store: &Store, prefix: &str) -> StoreResult<Option<Arc<KeyRow>>> {
        read(&self.keys, store, prefix, async { Ok(store.key_by_prefix(prefix).await?.map(Arc::new)) }).await
    }

    /// Whether a use of the key at `now` should be written (once a minute per key).
    pub fn should_touch(&self, key_id: &str, now: i64) -> bool {
        let mut touched = self.touched.lock();
        if touched.get(key_id).is_some_and(|t| now - t < TOUCH_EVERY_MS) {
            return false;
        }
        if touched.len() >= MAX_ENTRIES {
            touched.clear();
        }
        touched.insert(key_id.to_string(), now);
        true
    }
}

/// From `map` when fresh under the current epoch, else from `load` (which is not polled on a
/// hit), remembered under the epoch read before it ran.
async fn read<T: Clone>(
    map: &Map<T>,
    store: &Store,
    id: &str,
    load: impl Future<Output = StoreResult<T>>,
) -> StoreResult<T> {
    let epoch = store.credentials_epoch();
    if let Some(hit) = map.get(id, epoch) {
        return Ok(hit);
    }
    let row = load.await?;
    map.put(id, row.clone(), epoch);
    Ok(row)
}

impl Default for CredentialCache {
    fn default() -> Self {
        Self::new()
    }
}

//! The result cache: LMDB (heed), keyed by git blob id, grammar and a
//! fingerprint of everything that changes the numbers.
//!
//! Git has already hashed the content, so a lookup needs no re-hashing of
//! what the index knows. Values are a file's complete results (postcard,
//! with a format byte). Thresholds and output options are applied after
//! the cache, so they never invalidate it. Any cache failure (corrupt,
//! locked, read-only, full) degrades to "no cache" and is reported by the
//! caller once; results are never wrong because of the cache.

use std::path::{Path, PathBuf};

use heed::types::Bytes;
use heed::{CommitOrAbort, Database, Env, EnvOpenOptions, WithoutTls};

use crate::model::{Analysis, AnalysisError};

/// Bumped whenever the encoded value layout changes.
const FORMAT_VERSION: u8 = 3;
/// Prefix of bookkeeping keys (blob ids are hex, so they never collide).
const META_PREFIX: &[u8] = b"~meta:";
const LAST_RUN_KEY: &[u8] = b"~meta:last_run";
const LAST_PRUNE_KEY: &[u8] = b"~meta:last_prune";
/// How often the automatic prune after a run actually scans the cache.
const AUTO_PRUNE_INTERVAL_SECS: u64 = 24 * 60 * 60;
/// Initial map size; doubled when LMDB reports the map full.
const INITIAL_MAP_BYTES: usize = 64 * 1024 * 1024;

/// What a cache entry holds: one file's results.
pub type CachedOutcome = Result<Analysis, AnalysisError>;

/// Why the cache could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cannot create cache directory {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open cache {path}: {source}")]
    Open { path: PathBuf, source: heed::Error },
    #[error("cannot read the cache: {0}")]
    Read(heed::Error),
    #[error("cannot write the cache: {0}")]
    Write(heed::Error),
}

/// A cache key: blob id and a fingerprint of the build and grammar.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey(Vec<u8>);

impl CacheKey {
    /// The key of a blob (hex id) parsed with `grammar` (see
    /// [`crate::lang::grammar_name`]) by this build.
    pub fn new(blob_id: &str, grammar: &str) -> CacheKey {
        let mut bytes = Vec::with_capacity(blob_id.len() + 9);
        bytes.extend_from_slice(blob_id.as_bytes());
        bytes.push(b':');
        bytes.extend_from_slice(&fingerprint(grammar).to_be_bytes());
        CacheKey(bytes)
    }
}

/// FNV-1a over everything that changes a file's numbers: the tool
/// version, the value format and the grammar. Stable across platforms.
fn fingerprint(grammar: &str) -> u64 {
    let text = format!(
        "antipasta {} format {FORMAT_VERSION} {grammar}",
        env!("CARGO_PKG_VERSION"),
    );
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// An open cache. The LMDB environment lives for the rest of the process
/// (heed ties database handles to it), which is how long a run uses it.
pub struct Cache {
    env: &'static Env<WithoutTls>,
    db: Database<'static, Bytes, Bytes>,
}

impl Cache {
    /// Opens (creating if needed) the cache in `dir`.
    pub fn open(dir: &Path) -> Result<Cache, CacheError> {
        Cache::open_with_map_size(dir, INITIAL_MAP_BYTES)
    }

    /// Opens the cache with a given initial map size (the map grows as needed).
    fn open_with_map_size(dir: &Path, map_bytes: usize) -> Result<Cache, CacheError> {
        std::fs::create_dir_all(dir).map_err(|source| CacheError::CreateDir {
            path: dir.to_owned(),
            source,
        })?;
        let open_error = |source| CacheError::Open {
            path: dir.to_owned(),
            source,
        };
        // SAFETY: the environment is opened once per process and its files
        // are only modified through LMDB (by this or other antipasta processes).
        let env = unsafe {
            EnvOpenOptions::new()
                .read_txn_without_tls()
                .map_size(map_bytes)
                .max_dbs(1)
                .open(dir)
        }
        .map_err(open_error)?;
        let env: &'static Env<WithoutTls> = Box::leak(Box::new(env));
        let wtxn = env.write_txn().map_err(open_error)?;
        let db = env
            .create_databases_and_commit(wtxn, |opener, wtxn| -> Result<_, heed::Error> {
                let db = opener.create_database::<Bytes, Bytes>(wtxn, Some("results"))?;
                Ok(CommitOrAbort::<_, ()>::Commit(db))
            })
            .map_err(open_error)?
            .unwrap_commit();
        Ok(Cache { env, db })
    }

    /// The cached outcome for a key; `Ok(None)` for a miss or an entry
    /// that no longer decodes (it is then overwritten).
    pub fn get(&self, key: &CacheKey) -> Result<Option<CachedOutcome>, CacheError> {
        let rtxn = self.env.read_txn().map_err(CacheError::Read)?;
        let Some(bytes) = self.db.get(&rtxn, &key.0).map_err(CacheError::Read)? else {
            return Ok(None);
        };
        Ok(decode(bytes).and_then(|(_, payload)| postcard::from_bytes(payload).ok()))
    }

    /// Stores outcomes in one transaction, growing the map when it is full.
    pub fn put_all(&self, entries: &[(CacheKey, &CachedOutcome)]) -> Result<(), CacheError> {
        if entries.is_empty() {
            return Ok(());
        }
        let stored_at = now().to_be_bytes();
        let mut encoded = Vec::with_capacity(entries.len());
        for (key, outcome) in entries {
            let mut value = vec![FORMAT_VERSION];
            value.extend_from_slice(&stored_at);
            value.extend(postcard::to_stdvec(outcome).unwrap_or_default());
            encoded.push((&key.0[..], value));
        }
        let payload: usize = encoded
            .iter()
            .map(|(key, value)| key.len() + value.len())
            .sum();
        for attempt in 0..8 {
            match self.write(&encoded) {
                Err(heed::Error::Mdb(heed::MdbError::MapFull)) if attempt < 7 => {
                    self.grow(payload)?
                }
                other => return other.map_err(CacheError::Write),
            }
        }
        Ok(())
    }

    fn write(&self, encoded: &[(&[u8], Vec<u8>)]) -> Result<(), heed::Error> {
        let mut wtxn = self.env.write_txn()?;
        for (key, value) in encoded {
            self.db.put(&mut wtxn, key, value)?;
        }
        wtxn.commit()
    }

    /// Remembers the hits and misses of the run that just ended.
    /// Skips the write (and its disk sync) when the counts are unchanged,
    /// as they are on repeated runs over an unchanged tree.
    pub fn record_run(&self, hits: usize, misses: usize) -> Result<(), CacheError> {
        let value = format!("{hits} {misses}").into_bytes();
        let unchanged = {
            let rtxn = self.env.read_txn().map_err(CacheError::Read)?;
            self.db.get(&rtxn, LAST_RUN_KEY).map_err(CacheError::Read)? == Some(&value[..])
        };
        if unchanged {
            return Ok(());
        }
        self.write(&[(LAST_RUN_KEY, value)])
            .map_err(CacheError::Write)
    }

    /// Entries, their age range, the size on disk and the last run's counts.
    pub fn stats(&self) -> Result<CacheStats, CacheError> {
        let rtxn = self.env.read_txn().map_err(CacheError::Read)?;
        let mut stats = CacheStats::default();
        for item in self.db.iter(&rtxn).map_err(CacheError::Read)? {
            let (key, value) = item.map_err(CacheError::Read)?;
            if key == LAST_RUN_KEY {
                let text = String::from_utf8_lossy(value);
                let mut numbers = text.split(' ').filter_map(|n| n.parse().ok());
                stats.last_run = numbers.next().zip(numbers.next());
            }
            if key.starts_with(META_PREFIX) {
                continue;
            }
            stats.entries += 1;
            if let Some((stored_at, _)) = decode(value) {
                stats.oldest = Some(stats.oldest.map_or(stored_at, |t: u64| t.min(stored_at)));
                stats.newest = Some(stats.newest.map_or(stored_at, |t: u64| t.max(stored_at)));
            }
        }
        stats.bytes_on_disk =
            std::fs::metadata(self.env.path().join("data.mdb")).map_or(0, |m| m.len());
        Ok(stats)
    }

    /// Removes every entry; returns how many there were.
    pub fn clear(&self) -> Result<u64, CacheError> {
        let entries = self.stats()?.entries;
        let mut wtxn = self.env.write_txn().map_err(CacheError::Write)?;
        self.db.clear(&mut wtxn).map_err(CacheError::Write)?;
        wtxn.commit().map_err(CacheError::Write)?;
        Ok(entries)
    }

    /// Removes entries older than `max_age_days`, then the oldest ones
    /// until the entries take at most `max_size_mb`. Returns how many went.
    pub fn prune(
        &self,
        max_age_days: Option<u64>,
        max_size_mb: Option<u64>,
    ) -> Result<u64, CacheError> {
        let mut entries: Vec<(u64, Vec<u8>, usize)> = Vec::new();
        {
            let rtxn = self.env.read_txn().map_err(CacheError::Read)?;
            for item in self.db.iter(&rtxn).map_err(CacheError::Read)? {
                let (key, value) = item.map_err(CacheError::Read)?;
                if !key.starts_with(META_PREFIX) {
                    // Entries that do not decode are the oldest of all.
                    let stored_at = decode(value).map_or(0, |(t, _)| t);
                    entries.push((stored_at, key.to_vec(), key.len() + value.len()));
                }
            }
        }
        entries.sort();
        let cutoff = max_age_days.map(|days| now().saturating_sub(days * 24 * 60 * 60));
        let mut total: usize = entries.iter().map(|e| e.2).sum();
        let budget = max_size_mb.map(|mb| (mb as usize).saturating_mul(1024 * 1024));
        let mut doomed = Vec::new();
        for (stored_at, key, size) in &entries {
            let too_old = cutoff.is_some_and(|cutoff| *stored_at < cutoff);
            let too_big = budget.is_some_and(|budget| total > budget);
            if !(too_old || too_big) {
                break;
            }
            total -= size;
            doomed.push(key);
        }
        let mut wtxn = self.env.write_txn().map_err(CacheError::Write)?;
        for key in &doomed {
            self.db.delete(&mut wtxn, key).map_err(CacheError::Write)?;
        }
        self.db
            .put(&mut wtxn, LAST_PRUNE_KEY, &now().to_be_bytes())
            .map_err(CacheError::Write)?;
        wtxn.commit().map_err(CacheError::Write)?;
        Ok(doomed.len() as u64)
    }

    /// The prune a run does on its way out: at most once a day, so it
    /// costs one lookup otherwise.
    pub fn auto_prune(&self, max_age_days: u64, max_size_mb: u64) -> Result<(), CacheError> {
        let last = {
            let rtxn = self.env.read_txn().map_err(CacheError::Read)?;
            self.db
                .get(&rtxn, LAST_PRUNE_KEY)
                .map_err(CacheError::Read)?
                .and_then(|bytes| bytes.try_into().ok())
                .map(u64::from_be_bytes)
        };
        if last.is_some_and(|last| now().saturating_sub(last) < AUTO_PRUNE_INTERVAL_SECS) {
            return Ok(());
        }
        self.prune(Some(max_age_days), Some(max_size_mb))
            .map(|_| ())
    }

    /// Doubles the map, or more when one batch needs more than that.
    fn grow(&self, payload: usize) -> Result<(), CacheError> {
        let current = self.env.info().map_size;
        let page = 4096;
        let wanted = (current * 2).max(current + 3 * payload).div_ceil(page) * page;
        // SAFETY: no transaction of this process is open while resizing.
        unsafe { self.env.resize(wanted) }.map_err(CacheError::Write)
    }
}

/// Counts `antipasta cache stats` shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub entries: u64,
    pub bytes_on_disk: u64,
    /// Unix seconds when the oldest and newest entries were stored.
    pub oldest: Option<u64>,
    pub newest: Option<u64>,
    /// (hits, misses) of the last run.
    pub last_run: Option<(u64, u64)>,
}

/// Splits a stored value into its timestamp and payload.
fn decode(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let (&version, rest) = bytes.split_first()?;
    if version != FORMAT_VERSION || rest.len() < 8 {
        return None;
    }
    let (stamp, payload) = rest.split_at(8);
    Some((u64::from_be_bytes(stamp.try_into().ok()?), payload))
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The cache directory, first found: `--cache-dir`, `ANTIPASTA_CACHE_DIR`,
/// config `[cache] dir`, then [`default_dir`].
pub fn resolve_dir(
    explicit: Option<&Path>,
    configured: Option<&Path>,
    git_common_dir: Option<&Path>,
) -> Option<PathBuf> {
    explicit
        .map(Path::to_path_buf)
        .or_else(|| {
            std::env::var_os("ANTIPASTA_CACHE_DIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .or_else(|| configured.map(Path::to_path_buf))
        .or_else(|| default_dir(git_common_dir))
}

/// The default cache directory: inside the repository's common git dir
/// (shared by its worktrees, never committed), else the user cache dir.
pub fn default_dir(git_common_dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = git_common_dir {
        return Some(dir.join("antipasta").join("cache"));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("antipasta"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_by_blob_and_grammar_and_are_stable() {
        let a = CacheKey::new("aa", "python");
        assert_eq!(a, CacheKey::new("aa", "python"));
        assert_ne!(a, CacheKey::new("ab", "python"));
        assert_ne!(
            CacheKey::new("aa", "typescript"),
            CacheKey::new("aa", "tsx")
        );
    }

    #[test]
    fn round_trips_outcomes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::open(dir.path()).expect("opens");
        let key = CacheKey::new("0123", "python");
        assert_eq!(cache.get(&key).expect("reads"), None);
        let outcome: CachedOutcome = Err(AnalysisError::Binary);
        cache.put_all(&[(key.clone(), &outcome)]).expect("writes");
        assert_eq!(cache.get(&key).expect("reads"), Some(outcome));
    }

    #[test]
    fn the_map_grows_when_full() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::open_with_map_size(dir.path(), 64 * 1024).expect("opens");
        let outcome: CachedOutcome = Err(AnalysisError::Read {
            message: "x".repeat(4000),
        });
        let keys: Vec<CacheKey> = (0..200)
            .map(|i| CacheKey::new(&format!("{i:040}"), "python"))
            .collect();
        let entries: Vec<_> = keys.iter().map(|k| (k.clone(), &outcome)).collect();
        cache.put_all(&entries).expect("grows and writes");
        assert_eq!(cache.stats().expect("stats").entries, 200);
        assert_eq!(cache.get(&keys[199]).expect("reads"), Some(outcome));
    }

    #[test]
    fn stats_prune_and_clear() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::open(dir.path()).expect("opens");
        let outcome: CachedOutcome = Err(AnalysisError::Binary);
        let keys: Vec<CacheKey> = (0..5)
            .map(|i| CacheKey::new(&format!("{i:040}"), "python"))
            .collect();
        let entries: Vec<_> = keys.iter().map(|k| (k.clone(), &outcome)).collect();
        cache.put_all(&entries).expect("writes");
        cache.record_run(3, 2).expect("records");
        let stats = cache.stats().expect("stats");
        assert_eq!(stats.entries, 5);
        assert_eq!(stats.last_run, Some((3, 2)));
        assert!(stats.oldest.is_some() && stats.oldest <= stats.newest);
        assert!(stats.bytes_on_disk > 0);
        // Nothing is older than a day; a zero size budget removes everything.
        assert_eq!(cache.prune(Some(1), None).expect("prunes"), 0);
        assert_eq!(cache.prune(None, Some(0)).expect("prunes"), 5);
        cache.put_all(&entries).expect("writes");
        assert_eq!(cache.clear().expect("clears"), 5);
        assert_eq!(cache.stats().expect("stats").entries, 0);
    }
}

//! The result cache: LMDB (heed), keyed by git blob id, language and a
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

use crate::model::{Analysis, AnalysisError, Language};

/// Bumped whenever the encoded value layout changes.
const FORMAT_VERSION: u8 = 1;
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

/// A cache key: blob id, language, fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey(Vec<u8>);

impl CacheKey {
    /// The key of a blob (hex id) analysed as `language` by this build.
    pub fn new(blob_id: &str, language: Language) -> CacheKey {
        let mut bytes = Vec::with_capacity(blob_id.len() + 9);
        bytes.extend_from_slice(blob_id.as_bytes());
        bytes.push(b':');
        bytes.extend_from_slice(&fingerprint(language).to_be_bytes());
        CacheKey(bytes)
    }
}

/// FNV-1a over everything that changes a file's numbers: the tool
/// version, the value format and the language. Stable across platforms.
fn fingerprint(language: Language) -> u64 {
    let text = format!(
        "antipasta {} format {FORMAT_VERSION} {}",
        env!("CARGO_PKG_VERSION"),
        language.name()
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
                .map_size(INITIAL_MAP_BYTES)
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
        Ok(match bytes.split_first() {
            Some((&FORMAT_VERSION, payload)) => postcard::from_bytes(payload).ok(),
            _ => None,
        })
    }

    /// Stores outcomes in one transaction, growing the map when it is full.
    pub fn put_all(&self, entries: &[(CacheKey, &CachedOutcome)]) -> Result<(), CacheError> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut encoded = Vec::with_capacity(entries.len());
        for (key, outcome) in entries {
            let mut value = vec![FORMAT_VERSION];
            value.extend(postcard::to_stdvec(outcome).unwrap_or_default());
            encoded.push((key, value));
        }
        for attempt in 0..4 {
            match self.write(&encoded) {
                Err(heed::Error::Mdb(heed::MdbError::MapFull)) if attempt < 3 => self.grow()?,
                other => return other.map_err(CacheError::Write),
            }
        }
        Ok(())
    }

    fn write(&self, encoded: &[(&CacheKey, Vec<u8>)]) -> Result<(), heed::Error> {
        let mut wtxn = self.env.write_txn()?;
        for (key, value) in encoded {
            self.db.put(&mut wtxn, &key.0, value)?;
        }
        wtxn.commit()
    }

    fn grow(&self) -> Result<(), CacheError> {
        let current = self.env.info().map_size;
        // SAFETY: no transaction of this process is open while resizing.
        unsafe { self.env.resize(current * 2) }.map_err(CacheError::Write)
    }
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
    fn keys_differ_by_blob_and_language_and_are_stable() {
        let a = CacheKey::new("aa", Language::Python);
        assert_eq!(a, CacheKey::new("aa", Language::Python));
        assert_ne!(a, CacheKey::new("ab", Language::Python));
    }

    #[test]
    fn round_trips_outcomes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::open(dir.path()).expect("opens");
        let key = CacheKey::new("0123", Language::Python);
        assert_eq!(cache.get(&key).expect("reads"), None);
        let outcome: CachedOutcome = Err(AnalysisError::Binary);
        cache.put_all(&[(key.clone(), &outcome)]).expect("writes");
        assert_eq!(cache.get(&key).expect("reads"), Some(outcome));
    }
}

//! The result cache: LMDB (heed), keyed by git blob id, grammar and a
//! fingerprint of the build (`build.rs` hashes every source that can
//! change the numbers).
//!
//! Git has already hashed the content, so a lookup needs no re-hashing of
//! what the index knows. Values are a file's complete results (postcard),
//! sealed with a checksum over their key and payload: a value that was
//! corrupted or copied onto another key fails verification, counts as a
//! miss and is rewritten. Before LMDB maps the data file, its structure is
//! checked ([`integrity`]) so a truncated or garbled file is rebuilt, not
//! a crash. Thresholds and output options are applied after the cache, so
//! they never invalidate it. Any cache failure (corrupt, locked, read-only,
//! full) degrades to "no cache" and is reported by the caller once;
//! results are never wrong because of the cache.

mod integrity;

use std::fs::File;
use std::hash::Hasher;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use heed::types::Bytes;
use heed::{CommitOrAbort, Database, Env, EnvFlags, EnvOpenOptions, WithoutTls};
use siphasher::sip128::{Hasher128, SipHasher13};

pub use integrity::Damage;

use crate::model::{Analysis, AnalysisError};

/// Bumped whenever the encoded value layout changes.
const FORMAT_VERSION: u8 = 5;
/// Hash of the sources and crates that can change a cached value.
pub const BUILD_FINGERPRINT: &str = env!("ANTIPASTA_BUILD_FINGERPRINT");
/// Prefix of bookkeeping keys (blob ids are hex, so they never collide).
const META_PREFIX: &[u8] = b"~meta:";
const LAST_RUN_KEY: &[u8] = b"~meta:last_run";
const LAST_PRUNE_KEY: &[u8] = b"~meta:last_prune";
/// How often the automatic prune after a run actually scans the cache.
const AUTO_PRUNE_INTERVAL_SECS: u64 = 24 * 60 * 60;
/// Initial map size; doubled when LMDB reports the map full.
const INITIAL_MAP_BYTES: usize = 64 * 1024 * 1024;
const DATA_FILE: &str = "data.mdb";
const LOCK_FILE: &str = "lock.mdb";
const GITIGNORE: &str = ".gitignore";
const GITIGNORE_TEXT: &str = "# Created by antipasta: its cache is never committed.\n*\n";
/// The files of a cache directory; a directory holding anything else is
/// not the cache's own, and antipasta never removes files from it.
pub const CACHE_FILES: &[&str] = &[DATA_FILE, LOCK_FILE, GITIGNORE];
/// Fixed keys of the value checksum (SipHash-1-3, 128 bits): it detects
/// corruption and values moved between keys; it is not a secret.
const SEAL_KEYS: (u64, u64) = (0x616e_7469_7061_7374, 0x6120_6361_6368_6521);
const SEAL_BYTES: usize = 16;
/// Format byte, timestamp, checksum.
const VALUE_HEADER: usize = 1 + 8 + SEAL_BYTES;

/// What a cache entry holds: one file's results.
pub type CachedOutcome = Result<Analysis, AnalysisError>;

/// Why the cache could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cannot create cache directory {path}: {source}")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot open cache {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: heed::Error,
    },
    #[error("cache {path} is damaged ({damage}); antipasta removes it only from a directory that holds nothing else (or run `antipasta cache clear`)")]
    Damaged {
        path: PathBuf,
        #[source]
        damage: Damage,
    },
    #[error("cannot read cache file {path}: {source}")]
    Unreadable {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot remove damaged cache file {path}: {source}")]
    Remove {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot lock cache file {path}: {source}")]
    Lock {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot serialise a result for the cache: {0}")]
    Encode(#[source] postcard::Error),
    #[error("cannot read the cache: {0}")]
    Read(#[source] heed::Error),
    #[error("cannot write the cache: {0}")]
    Write(#[source] heed::Error),
}

/// A cache key: blob id and a fingerprint of the build and grammar.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey(Vec<u8>);

impl CacheKey {
    /// The key of a blob (hex id) parsed with `grammar` (see
    /// [`crate::lang::grammar_name`]) by this build.
    pub fn new(blob_id: &str, grammar: &str) -> CacheKey {
        CacheKey::for_build(blob_id, grammar, BUILD_FINGERPRINT)
    }

    fn for_build(blob_id: &str, grammar: &str, build: &str) -> CacheKey {
        let mut hasher = SipHasher13::new();
        for field in [build.as_bytes(), &[FORMAT_VERSION], grammar.as_bytes()] {
            write_field(&mut hasher, field);
        }
        let fingerprint = hasher.finish128();
        let mut bytes = Vec::with_capacity(blob_id.len() + 17);
        bytes.extend_from_slice(blob_id.as_bytes());
        bytes.push(b':');
        bytes.extend_from_slice(&fingerprint.h1.to_be_bytes());
        bytes.extend_from_slice(&fingerprint.h2.to_be_bytes());
        CacheKey(bytes)
    }
}

/// Length-prefixed, so that no two sequences of fields hash alike.
fn write_field(hasher: &mut SipHasher13, bytes: &[u8]) {
    hasher.write(&(bytes.len() as u64).to_le_bytes());
    hasher.write(bytes);
}

/// The checksum of a value under its key.
fn seal(key: &[u8], stored_at: u64, payload: &[u8]) -> [u8; SEAL_BYTES] {
    let mut hasher = SipHasher13::new_with_keys(SEAL_KEYS.0, SEAL_KEYS.1);
    write_field(&mut hasher, key);
    write_field(&mut hasher, &[FORMAT_VERSION]);
    write_field(&mut hasher, &stored_at.to_be_bytes());
    write_field(&mut hasher, payload);
    hasher.finish128().as_bytes()
}

/// A stored value: format byte, timestamp, checksum, payload.
fn encode(key: &[u8], stored_at: u64, payload: &[u8]) -> Vec<u8> {
    let mut value = Vec::with_capacity(VALUE_HEADER + payload.len());
    value.push(FORMAT_VERSION);
    value.extend_from_slice(&stored_at.to_be_bytes());
    value.extend_from_slice(&seal(key, stored_at, payload));
    value.extend_from_slice(payload);
    value
}

/// The timestamp and payload of a value stored under `key`, if its
/// checksum holds.
fn open_value<'v>(key: &[u8], value: &'v [u8]) -> Option<(u64, &'v [u8])> {
    if value.len() < VALUE_HEADER || value[0] != FORMAT_VERSION {
        return None;
    }
    let mut stamp = [0; 8];
    stamp.copy_from_slice(&value[1..9]);
    let stored_at = u64::from_be_bytes(stamp);
    let payload = &value[VALUE_HEADER..];
    (value[9..VALUE_HEADER] == seal(key, stored_at, payload)).then_some((stored_at, payload))
}

/// Something the caller reports once after opening.
#[derive(Debug)]
pub enum Notice {
    /// The data file was damaged and has been removed; the cache starts empty.
    Rebuilt(Damage),
    /// The cache cannot be written: entries are read, nothing is stored.
    ReadOnly,
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::Rebuilt(damage) => {
                write!(f, "the cache was damaged ({damage}); it was rebuilt empty")
            }
            Notice::ReadOnly => {
                f.write_str("the cache is read-only: its entries are used, nothing is stored")
            }
        }
    }
}

/// An open cache. The LMDB environment lives for the rest of the process
/// (heed ties database handles to it), which is how long a run uses it.
pub struct Cache {
    env: &'static Env<WithoutTls>,
    /// `None` in a read-only cache that has never held results.
    db: Option<Database<'static, Bytes, Bytes>>,
    writable: bool,
    /// The data file, held for the advisory lock that keeps writers out
    /// while another process checks the file's structure.
    lock: File,
    /// Entries that failed their checksum in this process.
    rejected: AtomicUsize,
}

impl Cache {
    /// Opens (creating if needed) the cache in `dir`; a damaged cache is
    /// rebuilt and a read-only one opened for reading, as the notice says.
    pub fn open(dir: &Path) -> Result<(Cache, Option<Notice>), CacheError> {
        Cache::open_with_map_size(dir, INITIAL_MAP_BYTES)
    }

    /// Opens an existing, sound cache for reading only (`cache stats`):
    /// creates, rebuilds and writes nothing.
    pub fn open_read_only(dir: &Path) -> Result<Cache, CacheError> {
        if let Inspection::Damaged(damage) = inspect(dir)? {
            return Err(CacheError::Damaged {
                path: dir.to_owned(),
                damage,
            });
        }
        let env = open_env(dir, INITIAL_MAP_BYTES, EnvFlags::READ_ONLY)
            .or_else(|_| {
                open_env(
                    dir,
                    INITIAL_MAP_BYTES,
                    EnvFlags::READ_ONLY | EnvFlags::NO_LOCK,
                )
            })
            .map_err(|source| CacheError::Open {
                path: dir.to_owned(),
                source,
            })?;
        Cache::with_env(dir, env, false)
    }

    /// Opens the cache with a given initial map size (the map grows as needed).
    fn open_with_map_size(
        dir: &Path,
        map_bytes: usize,
    ) -> Result<(Cache, Option<Notice>), CacheError> {
        prepare_dir(dir)?;
        let mut notice = match inspect(dir)? {
            Inspection::Missing | Inspection::Sound(_) => None,
            Inspection::Damaged(damage) => {
                if !is_own(dir) {
                    return Err(CacheError::Damaged {
                        path: dir.to_owned(),
                        damage,
                    });
                }
                remove_cache_files(dir)?;
                Some(Notice::Rebuilt(damage))
            }
        };
        let open_error = |source| CacheError::Open {
            path: dir.to_owned(),
            source,
        };
        let (env, writable) = match open_env(dir, map_bytes, EnvFlags::empty()) {
            Ok(env) => (env, true),
            Err(heed::Error::Io(err)) if is_read_only(&err) => {
                let env = open_env(dir, map_bytes, EnvFlags::READ_ONLY)
                    .or_else(|_| open_env(dir, map_bytes, EnvFlags::READ_ONLY | EnvFlags::NO_LOCK))
                    .map_err(open_error)?;
                notice.get_or_insert(Notice::ReadOnly);
                (env, false)
            }
            Err(err) => return Err(open_error(err)),
        };
        Ok((Cache::with_env(dir, env, writable)?, notice))
    }

    /// The cache over an opened environment: its results database
    /// (created when writable) and the data file's lock handle.
    fn with_env(dir: &Path, env: Env<WithoutTls>, writable: bool) -> Result<Cache, CacheError> {
        let open_error = |source| CacheError::Open {
            path: dir.to_owned(),
            source,
        };
        let env: &'static Env<WithoutTls> = Box::leak(Box::new(env));
        let lock = open_data_file(dir).map_err(|source| CacheError::Lock {
            path: dir.join(DATA_FILE),
            source,
        })?;
        let db = if writable {
            let _guard = FileLock::exclusive(&lock, dir)?;
            let wtxn = env.write_txn().map_err(open_error)?;
            let db = env
                .create_databases_and_commit(wtxn, |opener, wtxn| -> Result<_, heed::Error> {
                    let db = opener.create_database::<Bytes, Bytes>(wtxn, Some("results"))?;
                    Ok(CommitOrAbort::<_, ()>::Commit(db))
                })
                .map_err(open_error)?
                .unwrap_commit();
            Some(db)
        } else {
            let rtxn = env.read_txn().map_err(open_error)?;
            env.open_databases_and_commit(rtxn, |opener, rtxn| -> Result<_, heed::Error> {
                let db = opener.open_database::<Bytes, Bytes>(rtxn, Some("results"))?;
                Ok(CommitOrAbort::<_, ()>::Commit(db))
            })
            .map_err(open_error)?
            .unwrap_commit()
        };
        Ok(Cache {
            env,
            db,
            writable,
            lock,
            rejected: AtomicUsize::new(0),
        })
    }

    /// The cached outcome for a key; `Ok(None)` for a miss, or for an
    /// entry that fails its checksum or no longer decodes (counted in
    /// [`Cache::rejected`]; the run stores it again).
    pub fn get(&self, key: &CacheKey) -> Result<Option<CachedOutcome>, CacheError> {
        let Some(db) = self.db else {
            return Ok(None);
        };
        let rtxn = self.env.read_txn().map_err(CacheError::Read)?;
        let Some(bytes) = db.get(&rtxn, &key.0).map_err(CacheError::Read)? else {
            return Ok(None);
        };
        let outcome =
            open_value(&key.0, bytes).and_then(|(_, payload)| postcard::from_bytes(payload).ok());
        if outcome.is_none() {
            self.rejected.fetch_add(1, Ordering::Relaxed);
        }
        Ok(outcome)
    }

    /// How many entries failed their checksum so far (each one a miss).
    pub fn rejected(&self) -> usize {
        self.rejected.load(Ordering::Relaxed)
    }

    /// False for a cache opened read-only: nothing is stored.
    pub fn is_writable(&self) -> bool {
        self.writable
    }

    /// Stores outcomes in one transaction, growing the map when it is
    /// full. Does nothing in a read-only cache.
    pub fn put_all(&self, entries: &[(CacheKey, &CachedOutcome)]) -> Result<(), CacheError> {
        if entries.is_empty() || !self.writable {
            return Ok(());
        }
        let stored_at = now();
        let mut encoded = Vec::with_capacity(entries.len());
        for (key, outcome) in entries {
            let payload = postcard::to_stdvec(outcome).map_err(CacheError::Encode)?;
            encoded.push((&key.0[..], encode(&key.0, stored_at, &payload)));
        }
        let payload: usize = encoded
            .iter()
            .map(|(key, value)| key.len() + value.len())
            .sum();
        for attempt in 0..8 {
            match self.write(&encoded) {
                Err(CacheError::Write(heed::Error::Mdb(heed::MdbError::MapFull)))
                    if attempt < 7 =>
                {
                    self.grow(payload)?
                }
                other => return other,
            }
        }
        Ok(())
    }

    /// One write transaction, under the advisory lock.
    fn write(&self, encoded: &[(&[u8], Vec<u8>)]) -> Result<(), CacheError> {
        let Some(db) = self.db else {
            return Ok(());
        };
        let _guard = FileLock::exclusive(&self.lock, self.env.path())?;
        let mut wtxn = self.env.write_txn().map_err(CacheError::Write)?;
        for (key, value) in encoded {
            db.put(&mut wtxn, key, value).map_err(CacheError::Write)?;
        }
        wtxn.commit().map_err(CacheError::Write)
    }

    /// Remembers the hits and misses of the run that just ended.
    /// Skips the write (and its disk sync) when the counts are unchanged,
    /// as they are on repeated runs over an unchanged tree.
    pub fn record_run(&self, hits: usize, misses: usize) -> Result<(), CacheError> {
        let Some(db) = self.db.filter(|_| self.writable) else {
            return Ok(());
        };
        let value = format!("{hits} {misses}").into_bytes();
        let unchanged = {
            let rtxn = self.env.read_txn().map_err(CacheError::Read)?;
            db.get(&rtxn, LAST_RUN_KEY).map_err(CacheError::Read)? == Some(&value[..])
        };
        if unchanged {
            return Ok(());
        }
        self.write(&[(LAST_RUN_KEY, value)])
    }

    /// Entries, their age range, the size on disk and the last run's counts.
    pub fn stats(&self) -> Result<CacheStats, CacheError> {
        let mut stats = CacheStats {
            bytes_on_disk: std::fs::metadata(self.env.path().join(DATA_FILE))
                .map_or(0, |m| m.len()),
            ..CacheStats::default()
        };
        let Some(db) = self.db else {
            return Ok(stats);
        };
        let rtxn = self.env.read_txn().map_err(CacheError::Read)?;
        for item in db.iter(&rtxn).map_err(CacheError::Read)? {
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
            match open_value(key, value) {
                Some((stored_at, _)) => {
                    stats.oldest = Some(stats.oldest.map_or(stored_at, |t: u64| t.min(stored_at)));
                    stats.newest = Some(stats.newest.map_or(stored_at, |t: u64| t.max(stored_at)));
                }
                None => stats.damaged += 1,
            }
        }
        Ok(stats)
    }

    /// Removes entries older than `max_age_days`, then the oldest ones
    /// until the entries take at most `max_size_mb` (both saturate: a huge
    /// age removes nothing for being old). Returns how many went.
    pub fn prune(
        &self,
        max_age_days: Option<u64>,
        max_size_mb: Option<u64>,
    ) -> Result<u64, CacheError> {
        let Some(db) = self.db.filter(|_| self.writable) else {
            return Ok(0);
        };
        let _guard = FileLock::exclusive(&self.lock, self.env.path())?;
        let mut entries: Vec<(u64, Vec<u8>, usize)> = Vec::new();
        {
            let rtxn = self.env.read_txn().map_err(CacheError::Read)?;
            for item in db.iter(&rtxn).map_err(CacheError::Read)? {
                let (key, value) = item.map_err(CacheError::Read)?;
                if !key.starts_with(META_PREFIX) {
                    // Entries that fail their checksum are the oldest of all.
                    let stored_at = open_value(key, value).map_or(0, |(t, _)| t);
                    entries.push((stored_at, key.to_vec(), key.len() + value.len()));
                }
            }
        }
        entries.sort();
        let cutoff = max_age_days.map(|days| now().saturating_sub(days.saturating_mul(86_400)));
        let mut total: usize = entries.iter().map(|e| e.2).sum();
        let budget = max_size_mb.map(|mb| {
            usize::try_from(mb)
                .unwrap_or(usize::MAX)
                .saturating_mul(1024 * 1024)
        });
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
            db.delete(&mut wtxn, key).map_err(CacheError::Write)?;
        }
        db.put(&mut wtxn, LAST_PRUNE_KEY, &now().to_be_bytes())
            .map_err(CacheError::Write)?;
        wtxn.commit().map_err(CacheError::Write)?;
        Ok(doomed.len() as u64)
    }

    /// The prune a run does on its way out: at most once a day, so it
    /// costs one lookup otherwise.
    pub fn auto_prune(&self, max_age_days: u64, max_size_mb: u64) -> Result<(), CacheError> {
        let Some(db) = self.db.filter(|_| self.writable) else {
            return Ok(());
        };
        let last = {
            let rtxn = self.env.read_txn().map_err(CacheError::Read)?;
            db.get(&rtxn, LAST_PRUNE_KEY)
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

fn open_env(dir: &Path, map_bytes: usize, flags: EnvFlags) -> Result<Env<WithoutTls>, heed::Error> {
    let mut options = EnvOpenOptions::new().read_txn_without_tls();
    options.map_size(map_bytes).max_dbs(1);
    // SAFETY: the environment is opened once per process, its data file
    // passed the structure check just before, and its files are only
    // modified through LMDB (by this or other antipasta processes).
    unsafe {
        options.flags(flags);
        options.open(dir)
    }
}

/// Whether an error opening the environment means "not writable here".
fn is_read_only(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

/// The data file, opened for reading without following a symlink.
#[cfg(unix)]
fn open_data_file(dir: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(dir.join(DATA_FILE))
}

/// The data file, opened for reading without following a symlink.
#[cfg(windows)]
fn open_data_file(dir: &Path) -> io::Result<File> {
    use std::os::windows::fs::OpenOptionsExt;
    /// Opens a symbolic link or junction itself instead of its target.
    const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
        .open(dir.join(DATA_FILE))
}

/// The data file, opened for reading.
#[cfg(not(any(unix, windows)))]
fn open_data_file(dir: &Path) -> io::Result<File> {
    File::open(dir.join(DATA_FILE))
}

/// An advisory lock on the data file (`flock` on Unix, `LockFileEx` on
/// Windows, through std), released on drop.
struct FileLock<'f>(&'f File);

impl<'f> FileLock<'f> {
    fn exclusive(file: &'f File, dir: &Path) -> Result<FileLock<'f>, CacheError> {
        FileLock::take(file, File::lock, dir)
    }

    fn shared(file: &'f File, dir: &Path) -> Result<FileLock<'f>, CacheError> {
        FileLock::take(file, File::lock_shared, dir)
    }

    fn take(
        file: &'f File,
        lock: fn(&File) -> io::Result<()>,
        dir: &Path,
    ) -> Result<FileLock<'f>, CacheError> {
        loop {
            match lock(file) {
                Ok(()) => return Ok(FileLock(file)),
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => {
                    return Err(CacheError::Lock {
                        path: dir.join(DATA_FILE),
                        source: err,
                    })
                }
            }
        }
    }
}

impl Drop for FileLock<'_> {
    fn drop(&mut self) {
        // Closing the file would release the lock too; an unlock error leaves nothing held.
        let _ = self.0.unlock();
    }
}

/// What a cache directory holds, found without opening it with LMDB.
#[derive(Debug)]
pub enum Inspection {
    /// No data file: nothing was ever stored here.
    Missing,
    /// A data file LMDB can use, with this many entries.
    Sound(u64),
    /// A data file LMDB must not map.
    Damaged(Damage),
}

/// Checks the cache in `dir` without creating or changing anything.
pub fn inspect(dir: &Path) -> Result<Inspection, CacheError> {
    // LMDB follows links: a link planted at either name is damage.
    for name in [DATA_FILE, LOCK_FILE] {
        if std::fs::symlink_metadata(dir.join(name)).is_ok_and(|meta| !meta.file_type().is_file()) {
            return Ok(Inspection::Damaged(Damage::NotAFile(name)));
        }
    }
    let file = match open_data_file(dir) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Inspection::Missing),
        Err(source) => {
            return Err(CacheError::Unreadable {
                path: dir.join(DATA_FILE),
                source,
            })
        }
    };
    let _guard = FileLock::shared(&file, dir)?;
    Ok(match integrity::check(&file, META_PREFIX) {
        Ok(soundness) => Inspection::Sound(soundness.entries),
        Err(damage) => Inspection::Damaged(damage),
    })
}

/// What `cache clear` did.
#[derive(Debug)]
pub enum Cleared {
    /// There was no cache.
    Nothing,
    /// A sound cache with this many entries was removed.
    Entries(u64),
    /// A damaged cache was removed.
    Damaged(Damage),
}

/// Removes the cache's files in `dir` without opening it with LMDB, so
/// that a damaged cache goes as surely as a sound one.
pub fn clear(dir: &Path) -> Result<Cleared, CacheError> {
    let cleared = match inspect(dir)? {
        Inspection::Missing => return Ok(Cleared::Nothing),
        Inspection::Sound(entries) => Cleared::Entries(entries),
        Inspection::Damaged(damage) => Cleared::Damaged(damage),
    };
    remove_cache_files(dir)?;
    Ok(cleared)
}

/// Removes the data and lock files (never following a symlink: a link is
/// removed, not its target).
fn remove_cache_files(dir: &Path) -> Result<(), CacheError> {
    for name in [DATA_FILE, LOCK_FILE] {
        let path = dir.join(name);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(CacheError::Remove { path, source }),
        }
    }
    Ok(())
}

/// Creates the cache directory if needed, with a `.gitignore` of `*` so
/// that git never commits it. The `.gitignore` is only added to a
/// directory that holds nothing but cache files.
pub fn prepare_dir(dir: &Path) -> Result<(), CacheError> {
    std::fs::create_dir_all(dir).map_err(|source| CacheError::CreateDir {
        path: dir.to_owned(),
        source,
    })?;
    if is_own(dir) {
        // `create_new` never follows a symlink planted at the name; a
        // read-only directory simply keeps going without one.
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dir.join(GITIGNORE))
        {
            let _ = io::Write::write_all(&mut file, GITIGNORE_TEXT.as_bytes());
        }
    }
    Ok(())
}

/// Whether `dir` holds nothing but cache files.
fn is_own(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.into_iter().all(|entry| {
            entry.is_ok_and(|entry| {
                CACHE_FILES
                    .iter()
                    .any(|name| entry.file_name() == std::ffi::OsStr::new(name))
            })
        })
    })
}

/// Counts `antipasta cache stats` shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub entries: u64,
    /// Entries that fail their checksum (each is recomputed when met).
    pub damaged: u64,
    pub bytes_on_disk: u64,
    /// Unix seconds when the oldest and newest entries were stored.
    pub oldest: Option<u64>,
    pub newest: Option<u64>,
    /// (hits, misses) of the last run.
    pub last_run: Option<(u64, u64)>,
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

    fn open(dir: &Path) -> Cache {
        let (cache, notice) = Cache::open(dir).expect("opens");
        assert!(notice.is_none(), "{notice:?}");
        cache
    }

    #[test]
    fn keys_differ_by_blob_grammar_and_build_and_are_stable() {
        let a = CacheKey::new("aa", "python");
        assert_eq!(a, CacheKey::new("aa", "python"));
        assert_ne!(a, CacheKey::new("ab", "python"));
        assert_ne!(
            CacheKey::new("aa", "typescript"),
            CacheKey::new("aa", "tsx")
        );
        assert_ne!(a, CacheKey::for_build("aa", "python", "another build"));
        assert_eq!(BUILD_FINGERPRINT.len(), 32);
    }

    #[test]
    fn round_trips_outcomes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = open(dir.path());
        let key = CacheKey::new("0123", "python");
        assert_eq!(cache.get(&key).expect("reads"), None);
        let outcome: CachedOutcome = Err(AnalysisError::Binary);
        cache.put_all(&[(key.clone(), &outcome)]).expect("writes");
        assert_eq!(cache.get(&key).expect("reads"), Some(outcome));
        assert_eq!(cache.rejected(), 0);
    }

    #[test]
    fn a_value_copied_onto_another_key_fails_its_checksum() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = open(dir.path());
        let clean = CacheKey::new("c1ea", "python");
        let forged = CacheKey::new("bad0", "python");
        let outcome: CachedOutcome = Err(AnalysisError::Binary);
        cache.put_all(&[(clean.clone(), &outcome)]).expect("writes");
        let db = cache.db.expect("results database");
        let value = {
            let rtxn = cache.env.read_txn().expect("reads");
            db.get(&rtxn, &clean.0)
                .expect("reads")
                .expect("stored")
                .to_vec()
        };
        cache
            .write(&[(&forged.0[..], value)])
            .expect("writes the forgery");
        assert_eq!(cache.get(&forged).expect("reads"), None);
        assert_eq!(cache.rejected(), 1);
        assert_eq!(cache.get(&clean).expect("reads"), Some(outcome));
        assert_eq!(cache.stats().expect("stats").damaged, 1);
    }

    #[test]
    fn the_map_grows_when_full() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (cache, _) = Cache::open_with_map_size(dir.path(), 64 * 1024).expect("opens");
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
        // Overflow pages and a deeper tree pass the structure check.
        assert!(matches!(
            inspect(dir.path()).expect("inspects"),
            Inspection::Sound(200)
        ));
    }

    #[test]
    fn stats_prune_and_clear() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = open(dir.path());
        let outcome: CachedOutcome = Err(AnalysisError::Binary);
        let keys: Vec<CacheKey> = (0..5)
            .map(|i| CacheKey::new(&format!("{i:040}"), "python"))
            .collect();
        let entries: Vec<_> = keys.iter().map(|k| (k.clone(), &outcome)).collect();
        cache.put_all(&entries).expect("writes");
        cache.record_run(3, 2).expect("records");
        let stats = cache.stats().expect("stats");
        assert_eq!(stats.entries, 5);
        assert_eq!(stats.damaged, 0);
        assert_eq!(stats.last_run, Some((3, 2)));
        assert!(stats.oldest.is_some() && stats.oldest <= stats.newest);
        assert!(stats.bytes_on_disk > 0);
        // Nothing is older than a day; ages and sizes saturate instead of wrapping.
        assert_eq!(cache.prune(Some(1), None).expect("prunes"), 0);
        assert_eq!(
            cache
                .prune(Some(144_115_188_075_855_872), None)
                .expect("prunes"),
            0
        );
        assert_eq!(
            cache.prune(Some(u64::MAX), Some(u64::MAX)).expect("prunes"),
            0
        );
        assert_eq!(
            cache.prune(None, Some(17_592_186_044_416)).expect("prunes"),
            0
        );
        assert_eq!(cache.prune(None, Some(0)).expect("prunes"), 5);
        cache.put_all(&entries).expect("writes");
        assert!(matches!(
            inspect(dir.path()).expect("inspects"),
            Inspection::Sound(5)
        ));
    }

    #[test]
    fn a_new_cache_directory_gets_a_gitignore_but_a_foreign_one_does_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache_dir = dir.path().join("a/b");
        prepare_dir(&cache_dir).expect("creates");
        assert_eq!(
            std::fs::read_to_string(cache_dir.join(GITIGNORE)).expect("written"),
            GITIGNORE_TEXT
        );
        let foreign = dir.path().join("foreign");
        std::fs::create_dir(&foreign).expect("mkdir");
        std::fs::write(foreign.join("notes.txt"), "mine").expect("write");
        prepare_dir(&foreign).expect("exists");
        assert!(!foreign.join(GITIGNORE).exists());
    }

    #[test]
    fn inspecting_a_missing_cache_creates_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("nothing");
        assert!(matches!(
            inspect(&missing).expect("inspects"),
            Inspection::Missing
        ));
        assert!(!missing.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_lock_file_link_is_removed_even_without_a_data_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").expect("write");
        let cache_dir = dir.path().join("cache");
        std::fs::create_dir(&cache_dir).expect("mkdir");
        std::os::unix::fs::symlink(&victim, cache_dir.join(LOCK_FILE)).expect("symlink");
        let (_cache, notice) = Cache::open(&cache_dir).expect("opens");
        assert!(matches!(
            notice,
            Some(Notice::Rebuilt(Damage::NotAFile(LOCK_FILE)))
        ));
        assert_eq!(std::fs::read_to_string(&victim).expect("read"), "precious");
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_symlink_is_removed_never_written_through() {
        let dir = tempfile::tempdir().expect("tempdir");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").expect("write");
        let cache_dir = dir.path().join("cache");
        std::fs::create_dir(&cache_dir).expect("mkdir");
        std::os::unix::fs::symlink(&victim, cache_dir.join(DATA_FILE)).expect("symlink");
        assert!(matches!(
            inspect(&cache_dir).expect("inspects"),
            Inspection::Damaged(Damage::NotAFile(DATA_FILE))
        ));
        let (cache, notice) = Cache::open(&cache_dir).expect("opens");
        assert!(matches!(notice, Some(Notice::Rebuilt(_))));
        let outcome: CachedOutcome = Err(AnalysisError::Binary);
        let key = CacheKey::new("0123", "python");
        cache.put_all(&[(key.clone(), &outcome)]).expect("writes");
        assert_eq!(cache.get(&key).expect("reads"), Some(outcome));
        assert_eq!(std::fs::read_to_string(&victim).expect("read"), "precious");
        let data = std::fs::symlink_metadata(cache_dir.join(DATA_FILE)).expect("stat");
        assert!(data.file_type().is_file());
    }

    #[cfg(unix)]
    /// A small cache of real results, as bytes of its data file.
    fn small_cache() -> (Vec<u8>, Vec<(CacheKey, CachedOutcome)>) {
        let sources = [
            "def f(a, b):\n    if a and b:\n        return 1\n    return [x for x in a if x]\n",
            "class C:\n    def m(self, x):\n        while x:\n            x -= 1\n        return x\n",
            "def g(n):\n    # comment\n    return n or -n\n",
        ];
        let entries: Vec<(CacheKey, CachedOutcome)> = sources
            .iter()
            .enumerate()
            .map(|(i, source)| {
                let result = crate::engine::analyze_bytes(
                    &format!("m{i}.py"),
                    crate::model::Language::Python,
                    source.as_bytes(),
                );
                (CacheKey::new(&result.blob_id, "python"), result.outcome)
            })
            .collect();
        let dir = tempfile::tempdir().expect("tempdir");
        let (cache, _) = Cache::open_with_map_size(dir.path(), 1 << 20).expect("opens");
        let refs: Vec<_> = entries.iter().map(|(k, o)| (k.clone(), o)).collect();
        cache.put_all(&refs).expect("writes");
        cache.record_run(0, 3).expect("records");
        let bytes = std::fs::read(dir.path().join(DATA_FILE)).expect("data file");
        (bytes, entries)
    }

    /// Issue 10, finding 4: one flipped bit per byte of the data file
    /// (bit `offset % 8`, so every bit position is exercised), each in a
    /// fresh copy. Every lookup then answers the stored value or misses
    /// (the caller recomputes); never another value, never a signal; and
    /// the cache stays usable for writing and reading afterwards.
    #[cfg(unix)]
    #[test]
    fn a_flipped_bit_anywhere_never_changes_a_value() {
        let (clean, entries) = small_cache();
        // Memory-backed when available: every flip commits a transaction.
        let shm = Path::new("/dev/shm");
        let root = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        }
        .expect("tempdir");
        let (mut intact, mut missed, mut rebuilt, mut unusable) = (0, 0, 0, 0);
        let offsets = meaningful_offsets(&clean);
        raise_open_file_limit(3 * offsets.len() + 256);
        for &offset in &offsets {
            let mut bytes = clean.clone();
            bytes[offset] ^= 1 << (offset % 8);
            let dir = root.path().join(offset.to_string());
            std::fs::create_dir(&dir).expect("mkdir");
            std::fs::write(dir.join(DATA_FILE), &bytes).expect("write");
            let (cache, notice) = match Cache::open_with_map_size(&dir, 1 << 20) {
                Ok(opened) => opened,
                Err(_) => {
                    // Reported once by the caller; the run goes on uncached.
                    unusable += 1;
                    continue;
                }
            };
            if matches!(notice, Some(Notice::Rebuilt(_))) {
                rebuilt += 1;
            }
            for (key, outcome) in &entries {
                match cache.get(key) {
                    Ok(Some(found)) => {
                        assert_eq!(&found, outcome, "flip at byte {offset}");
                        intact += 1;
                    }
                    Ok(None) | Err(_) => missed += 1,
                }
            }
            let refs: Vec<_> = entries.iter().map(|(k, o)| (k.clone(), o)).collect();
            if cache.put_all(&refs).is_ok() {
                for (key, outcome) in &entries {
                    if let Ok(Some(found)) = cache.get(key) {
                        assert_eq!(&found, outcome, "rewritten after a flip at byte {offset}");
                    }
                }
            }
            std::fs::remove_dir_all(&dir).expect("cleanup");
        }
        eprintln!(
            "{} flips over a {}-byte file: {intact} lookups intact, {missed} missed, {rebuilt} caches rebuilt, {unusable} unusable",
            offsets.len(),
            clean.len()
        );
        assert!(intact > 0 && missed > 0 && rebuilt > 0);
        // Opening fails only where a flip makes the map unusable (its size).
        assert!(
            unusable * 100 < offsets.len(),
            "{unusable} caches could not be opened"
        );
    }

    #[cfg(unix)]
    /// The offsets of a data file LMDB can look at: meta records, the
    /// header, node pointers and nodes of tree pages, and overflow pages
    /// (free space inside a page and unused pages are skipped).
    fn meaningful_offsets(bytes: &[u8]) -> Vec<usize> {
        let page_size = 4096;
        let u16_at = |at: usize| usize::from(u16::from_le_bytes([bytes[at], bytes[at + 1]]));
        let mut offsets = Vec::new();
        let mut overflow_pages = 0;
        for start in (0..bytes.len()).step_by(page_size) {
            let mut take = |range: std::ops::Range<usize>| {
                offsets.extend(range.map(|offset| start + offset));
            };
            let flags = u16_at(start + 10);
            if overflow_pages > 0 {
                overflow_pages -= 1;
                take(0..page_size);
            } else if flags & 0x08 != 0 {
                take(0..16 + 136);
            } else if flags & 0x03 != 0 {
                let (lower, upper) = (u16_at(start + 12), u16_at(start + 14));
                take(0..lower.min(page_size));
                take(upper.min(page_size)..page_size);
            } else if flags & 0x04 != 0 {
                let pages = u32::from_le_bytes([
                    bytes[start + 12],
                    bytes[start + 13],
                    bytes[start + 14],
                    bytes[start + 15],
                ]);
                overflow_pages = pages.saturating_sub(1);
                take(0..page_size);
            } else {
                take(0..16);
            }
        }
        offsets
    }

    /// Each opened environment keeps its files open for the rest of the
    /// process (see [`Cache`]), so a sweep needs a few thousand.
    #[cfg(unix)]
    fn raise_open_file_limit(wanted: usize) {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: plain getrlimit/setrlimit on a local struct.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0
                && (limit.rlim_cur as usize) < wanted
            {
                limit.rlim_cur = limit.rlim_max.min(wanted as libc::rlim_t);
                libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            }
        }
    }
}

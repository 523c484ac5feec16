//! Where files come from: the filesystem walk for `check`, git (index,
//! trees, blobs) for `--staged` and `diff`. Bytes are read on demand through [`Reader`].
//! Also the repository's hooks directory, for `antipasta hook install`.

pub(crate) mod attributes;
pub mod git;
pub mod hooks;
pub mod pathspec;
pub mod shebang;
pub mod snapshot;
pub mod walk;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::model::Language;
use git::{GitError, GitSource};

/// Where a file's bytes live.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// A file on disk. It was a regular file when listed; a symbolic link
    /// found there when it is read is refused, not followed.
    Path(PathBuf),
    /// A git blob.
    Blob(gix::ObjectId),
    /// A worktree file read through git's clean conversion (`path` on
    /// disk, `relative` to the repository root for its attributes).
    Converted { path: PathBuf, relative: String },
}

/// A file to analyse.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SourceFile {
    /// Path relative to the repository root (or the current directory),
    /// `/`-separated: the sort key and the displayed path.
    pub display: String,
    pub origin: Origin,
    pub language: Language,
    /// The git blob id when it is known without reading the bytes (staged
    /// blobs, clean tracked files).
    pub blob: Option<gix::ObjectId>,
}

impl From<git::GitFile> for SourceFile {
    /// A blob git stores: read from the object database by its id.
    fn from(file: git::GitFile) -> SourceFile {
        SourceFile {
            display: file.path,
            origin: Origin::Blob(file.blob),
            language: file.language,
            blob: Some(file.blob),
        }
    }
}

/// Why a file's bytes were not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}", walk::io_message(.0))]
    Io(#[from] std::io::Error),
    /// A FIFO, device, socket, directory or symbolic link where a regular
    /// file was listed: never opened for reading (a FIFO would block, a
    /// device could be endless).
    #[error("not a regular file (it is a {0})")]
    NotRegular(&'static str),
    #[error("the file is {size} bytes, larger than max_file_size ({limit} bytes)")]
    TooLarge { size: u64, limit: u64 },
    #[error(transparent)]
    Git(#[from] GitError),
    #[error("blob {0} needs a git repository")]
    NoRepository(gix::ObjectId),
}

/// Reads a [`SourceFile`]'s bytes from wherever they live, never more than
/// `max_file_size` bytes of one file.
pub struct Reader<'a> {
    git: Option<&'a GitSource>,
    max_file_size: u64,
}

impl<'a> Reader<'a> {
    /// A reader of files on disk only.
    pub fn filesystem(max_file_size: u64) -> Reader<'static> {
        Reader {
            git: None,
            max_file_size,
        }
    }

    /// A reader of files on disk and blobs of `git`.
    pub fn git(git: &'a GitSource, max_file_size: u64) -> Reader<'a> {
        Reader {
            git: Some(git),
            max_file_size,
        }
    }

    /// The file's bytes, or why they cannot be read.
    pub fn read(&self, file: &SourceFile) -> Result<Vec<u8>, ReadError> {
        match (&file.origin, self.git) {
            (Origin::Path(path), _) => read_regular_file(path, self.max_file_size),
            (Origin::Converted { path, relative }, Some(git)) => {
                let bytes = read_regular_file(path, self.max_file_size)?;
                let converted =
                    git.with_clean_conversion(|convert| convert(&bytes, relative))??;
                Ok(converted.unwrap_or(bytes))
            }
            (Origin::Converted { path, .. }, None) => read_regular_file(path, self.max_file_size),
            (Origin::Blob(id), Some(git)) => {
                self.check_blob_size(git, *id)?;
                Ok(git.read_blob(*id)?)
            }
            (Origin::Blob(id), None) => Err(ReadError::NoRepository(*id)),
        }
    }

    /// Whether the file is within `max_file_size`, without reading it: a
    /// result answered from the cache must be the one a read would give.
    pub fn check_size(&self, file: &SourceFile) -> Result<(), ReadError> {
        match (&file.origin, self.git) {
            (Origin::Path(path) | Origin::Converted { path, .. }, _) => {
                let size = std::fs::symlink_metadata(path)?.len();
                self.within_limit(size)
            }
            (Origin::Blob(id), Some(git)) => self.check_blob_size(git, *id),
            (Origin::Blob(id), None) => Err(ReadError::NoRepository(*id)),
        }
    }

    /// The object header gives a blob's size before anything is inflated.
    fn check_blob_size(&self, git: &GitSource, id: gix::ObjectId) -> Result<(), ReadError> {
        self.within_limit(git.blob_size(id)?)
    }

    fn within_limit(&self, size: u64) -> Result<(), ReadError> {
        if size > self.max_file_size {
            return Err(ReadError::TooLarge {
                size,
                limit: self.max_file_size,
            });
        }
        Ok(())
    }
}

/// The bytes of the regular file at `path`, at most `limit` of them. The
/// file is opened without following a symbolic link and without blocking
/// (a FIFO swapped in after the listing would otherwise hang the run);
/// the opened handle's type and size decide whether it is read.
pub fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_no_follow(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(ReadError::NotRegular(file_kind(&metadata.file_type())));
    }
    let too_large = |size| ReadError::TooLarge { size, limit };
    if metadata.len() > limit {
        return Err(too_large(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // One byte past the limit tells a file that grew since `fstat`.
    (&file)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        let grown = file.metadata().map_or(read, |now| now.len().max(read));
        return Err(too_large(grown));
    }
    Ok(bytes)
}

/// The first `count` bytes of the regular file at `path` (fewer when it is
/// shorter), opened as [`read_regular_file`] opens it.
pub fn read_head(path: &Path, count: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_no_follow(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(ReadError::NotRegular(file_kind(&metadata.file_type())));
    }
    let mut bytes = Vec::new();
    (&file).take(count).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> Result<File, ReadError> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW | libc::O_NOCTTY)
        .open(path)
        .map_err(|err| match err.raw_os_error() {
            // What O_NOFOLLOW answers for a symbolic link.
            Some(libc::ELOOP) => ReadError::NotRegular("symbolic link"),
            _ => ReadError::Io(err),
        })
}

#[cfg(windows)]
fn open_no_follow(path: &Path) -> Result<File, ReadError> {
    use std::os::windows::fs::OpenOptionsExt;
    /// Opens a symbolic link or junction itself instead of its target.
    const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
    Ok(std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
        .open(path)?)
}

#[cfg(not(any(unix, windows)))]
fn open_no_follow(path: &Path) -> Result<File, ReadError> {
    Ok(File::open(path)?)
}

/// What a non-regular file is, for the error message.
fn file_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "FIFO";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "device";
        }
        if file_type.is_socket() {
            return "socket";
        }
    }
    if file_type.is_dir() {
        "directory"
    } else if file_type.is_symlink() {
        "symbolic link"
    } else {
        "special file"
    }
}

/// The git blob object id of some bytes, as `git hash-object` prints it.
pub fn blob_id(bytes: &[u8]) -> String {
    gix::objs::compute_hash(gix::hash::Kind::Sha1, gix::objs::Kind::Blob, bytes)
        .map(|id| id.to_string())
        .unwrap_or_default()
}

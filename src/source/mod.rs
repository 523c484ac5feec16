//! Where files come from: the filesystem walk for `check`, git (index,
//! trees, blobs) for `--staged` and `diff`. Bytes are read on demand through [`Reader`].
//! Also the repository's hooks directory, for `antipasta hook install`.

pub mod git;
pub mod hooks;
pub mod snapshot;
pub mod walk;

use std::path::PathBuf;

use crate::model::Language;
use git::GitSource;

/// Where a file's bytes live.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// A file on disk.
    Path(PathBuf),
    /// A git blob.
    Blob(gix::ObjectId),
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

/// Reads a [`SourceFile`]'s bytes from wherever they live.
pub enum Reader<'a> {
    Filesystem,
    Git(&'a GitSource),
}

impl Reader<'_> {
    /// The file's bytes, or a message saying why they cannot be read.
    pub fn read(&self, file: &SourceFile) -> Result<Vec<u8>, String> {
        match (&file.origin, self) {
            (Origin::Path(path), _) => std::fs::read(path).map_err(|e| e.to_string()),
            (Origin::Blob(id), Reader::Git(git)) => git.read_blob(*id).map_err(|e| e.to_string()),
            (Origin::Blob(id), Reader::Filesystem) => {
                Err(format!("blob {id} needs a git repository"))
            }
        }
    }
}

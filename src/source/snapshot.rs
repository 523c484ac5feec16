//! A version of the code as `diff` sees it: a commit's tree, the index, or
//! the worktree, listed as files that all carry their git blob id.

use gix::ObjectId;

use super::git::{GitFile, GitSource};
use super::{read_regular_file, Origin, SourceFile};
use crate::config::Settings;
use crate::source::blob_id;

/// One side of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snapshot {
    /// Nothing (the base of a first commit: an unborn HEAD).
    Empty,
    Commit(ObjectId),
    /// The staged content.
    Index,
    /// Tracked files as they are on disk (untracked files are no part of a
    /// diff, as with `git diff`; `git add -N` includes a new file).
    Worktree,
}

impl Snapshot {
    /// The analysable files of this version, minus config ignores, sorted by
    /// path. Every file has its blob id: from the tree or index, from the
    /// index for worktree files whose stat data is clean, else by hashing
    /// the file's bytes.
    pub fn files(self, git: &GitSource, settings: &Settings) -> Result<Vec<SourceFile>, String> {
        let mut files = match self {
            Snapshot::Empty => Vec::new(),
            Snapshot::Commit(id) => blobs(git.commit_files(id).map_err(|e| e.to_string())?),
            Snapshot::Index => {
                let staged = git.index_files().map_err(|e| e.to_string())?;
                if let Some(path) = staged.unmerged.first() {
                    return Err(format!(
                        "{path}: unmerged (resolve the conflict and stage the result)"
                    ));
                }
                blobs(staged.files)
            }
            Snapshot::Worktree => worktree_files(git, settings.max_file_size)?,
        };
        files.retain(|file| !settings.ignore.is_match(&file.display));
        Ok(files)
    }
}

fn blobs(files: Vec<GitFile>) -> Vec<SourceFile> {
    files.into_iter().map(SourceFile::from).collect()
}

/// Tracked files as they are on disk; files changed since staging are
/// read once to hash them (one that cannot be read keeps no id: reading it
/// again for the analysis reports why, for that file).
fn worktree_files(git: &GitSource, max_file_size: u64) -> Result<Vec<SourceFile>, String> {
    if git.workdir().is_none() {
        return Err("a bare repository has no worktree: name two revisions, \
                    as in `antipasta diff A B`"
            .to_owned());
    }
    let files = git.tracked_worktree_files().map_err(|e| e.to_string())?;
    Ok(files
        .into_iter()
        .map(|file| {
            let blob = file.clean_blob.or_else(|| {
                let bytes = read_regular_file(&file.absolute, max_file_size).ok()?;
                blob_id(&bytes).parse().ok()
            });
            SourceFile {
                display: file.path,
                origin: Origin::Path(file.absolute),
                language: file.language,
                blob,
            }
        })
        .collect())
}

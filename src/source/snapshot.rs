//! A version of the code as `diff` sees it: a commit's tree, the index, or
//! the worktree, listed as files that all carry their git blob id.

use gix::ObjectId;

use super::git::{GitFile, GitSource, WorktreeFile};
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
    /// The analysable files of this version, minus config ignores, sorted
    /// by path (what `.gitattributes` excludes is left to the caller, for
    /// the changed files only: [`GitSource::retain_attributed`]). Every file has its blob id: from the tree or index, from the
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

/// Both sides of a comparison, minus config ignores. Two commits (or
/// nothing and a commit) are listed where their trees differ only: the
/// files left out are unchanged, which is all a comparison skips anyway.
pub fn listings(
    base: Snapshot,
    target: Snapshot,
    git: &GitSource,
    settings: &Settings,
) -> Result<(Vec<SourceFile>, Vec<SourceFile>), String> {
    let commit = |snapshot| match snapshot {
        Snapshot::Empty => Some(None),
        Snapshot::Commit(id) => Some(Some(id)),
        Snapshot::Index | Snapshot::Worktree => None,
    };
    let (Some(old), Some(new)) = (commit(base), commit(target)) else {
        return Ok((base.files(git, settings)?, target.files(git, settings)?));
    };
    let (old, new) = git
        .differing_commit_files(old, new)
        .map_err(|e| e.to_string())?;
    let kept = |files: Vec<GitFile>| {
        let mut files = blobs(files);
        files.retain(|file| !settings.ignore.is_match(&file.display));
        files
    };
    Ok((kept(old), kept(new)))
}

fn blobs(files: Vec<GitFile>) -> Vec<SourceFile> {
    files.into_iter().map(SourceFile::from).collect()
}

/// Tracked files as they are on disk (for git: unchanged ones are their
/// index blobs, read from the object database); files changed since staging are
/// read once and hashed as git would store them, after its clean
/// conversion (line endings, clean filters), so a file is modified exactly
/// when `git diff` says so. A file whose conversion changes its bytes is
/// read converted for the analysis too. One that cannot be read keeps no
/// id: reading it again for the analysis reports why, for that file.
fn worktree_files(git: &GitSource, max_file_size: u64) -> Result<Vec<SourceFile>, String> {
    if git.workdir().is_none() {
        return Err("a bare repository has no worktree: name two revisions, \
                    as in `antipasta diff A B`"
            .to_owned());
    }
    let files = git.tracked_worktree_files().map_err(|e| e.to_string())?;
    // A file known from the index (stat-clean, skip-worktree, assume-
    // unchanged) is the index's blob, which is what git compares: the
    // disk's bytes may differ by line endings or a filter.
    let may_convert = git.may_convert().map_err(|e| e.to_string())?;
    if !may_convert {
        return Ok(files
            .into_iter()
            .map(|file| as_on_disk(file, max_file_size))
            .collect());
    }
    let known = |path: String, language, id| SourceFile {
        display: path,
        origin: Origin::Blob(id),
        language,
        blob: Some(id),
    };
    if files.iter().all(|file| file.clean_blob.is_some()) {
        return Ok(files
            .into_iter()
            .filter_map(|file| Some(known(file.path, file.language, file.clean_blob?)))
            .collect());
    }
    git.with_clean_conversion(|convert| {
        files
            .into_iter()
            .map(|file| {
                let language = file.language;
                if let Some(id) = file.clean_blob {
                    return Ok(known(file.path, language, id));
                }
                let mut origin = Origin::Path(file.absolute.clone());
                let blob = match read_regular_file(&file.absolute, max_file_size) {
                    Err(_) => None,
                    Ok(bytes) => {
                        let converted = convert(&bytes, &file.path).map_err(|e| e.to_string())?;
                        if converted.is_some() {
                            origin = Origin::Converted {
                                path: file.absolute,
                                relative: file.path.clone(),
                            };
                        }
                        blob_id(converted.as_deref().unwrap_or(&bytes)).parse().ok()
                    }
                };
                Ok(SourceFile {
                    display: file.path,
                    origin,
                    language,
                    blob,
                })
            })
            .collect()
    })
    .map_err(|e| e.to_string())?
}

/// A worktree file where no conversion applies: its bytes on disk, hashed
/// unless the index vouches for them (skip-worktree and assume-unchanged
/// files are the index's blob).
fn as_on_disk(file: WorktreeFile, max_file_size: u64) -> SourceFile {
    let origin = match (file.index_only, file.clean_blob) {
        (true, Some(id)) => Origin::Blob(id),
        _ => Origin::Path(file.absolute.clone()),
    };
    let blob = file.clean_blob.or_else(|| {
        let bytes = read_regular_file(&file.absolute, max_file_size).ok()?;
        blob_id(&bytes).parse().ok()
    });
    SourceFile {
        display: file.path,
        origin,
        language: file.language,
        blob,
    }
}

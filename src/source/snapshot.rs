//! A version of the code as `diff` sees it: a commit's tree, the index, or
//! the worktree, listed as files that all carry their git blob id.

use std::collections::HashMap;

use gix::ObjectId;

use super::git::{GitFile, GitSource};
use super::walk::collect;
use super::{Origin, SourceFile};
use crate::config::Settings;
use crate::engine::blob_id;

/// One side of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snapshot {
    /// Nothing (the base of a first commit: an unborn HEAD).
    Empty,
    Commit(ObjectId),
    /// The staged content.
    Index,
    /// Tracked and untracked, non-ignored files on disk.
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
            Snapshot::Worktree => worktree_files(git, settings)?,
        };
        files.retain(|file| !settings.ignore.is_match(&file.display));
        Ok(files)
    }
}

fn blobs(files: Vec<GitFile>) -> Vec<SourceFile> {
    files
        .into_iter()
        .map(|file| SourceFile {
            display: file.path,
            origin: Origin::Blob(file.blob),
            language: file.language,
            blob: Some(file.blob),
        })
        .collect()
}

fn worktree_files(git: &GitSource, settings: &Settings) -> Result<Vec<SourceFile>, String> {
    let root = git
        .workdir()
        .ok_or("comparing with the worktree needs a repository with a worktree")?;
    let root = root
        .canonicalize()
        .map_err(|e| format!("{}: {e}", root.display()))?;
    let (mut files, errors) = collect(std::slice::from_ref(&root), &root, &root, settings);
    if let Some(error) = errors.first() {
        return Err(error.to_string());
    }
    let clean: HashMap<String, ObjectId> = git.clean_blob_ids().map_err(|e| e.to_string())?;
    for file in &mut files {
        file.blob = match clean.get(&file.display) {
            Some(id) => Some(*id),
            None => match &file.origin {
                Origin::Path(path) => std::fs::read(path)
                    .ok()
                    .and_then(|bytes| blob_id(&bytes).parse().ok()),
                Origin::Blob(id) => Some(*id),
            },
        };
    }
    Ok(files)
}

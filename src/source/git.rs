//! Git access through gix: the only code that opens repositories. Reads
//! the index, trees and blobs; never writes to the worktree, the index or refs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;
use gix::ObjectId;

use crate::model::Language;

/// What went wrong talking to git, with the path or object involved.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{path}: not inside a git repository")]
    NotARepository { path: PathBuf },
    #[error("{path}: cannot open the git repository: {message}")]
    Open { path: PathBuf, message: String },
    #[error("cannot read the git index: {message}")]
    Index { message: String },
    #[error("cannot resolve HEAD: {message}")]
    Head { message: String },
    #[error("cannot read git object {id}: {message}")]
    Object { id: ObjectId, message: String },
    #[error("cannot read core.hooksPath: {message}")]
    HooksPath { message: String },
    #[error("unknown revision '{spec}'{hint}")]
    UnknownRevision { spec: String, hint: Shallow },
    #[error("'{one}' and '{two}' have no common ancestor{hint}")]
    NoMergeBase {
        one: String,
        two: String,
        hint: Shallow,
    },
}

/// The advice appended to revision errors in a shallow clone, where the
/// missing history is the likely cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shallow(pub bool);

impl std::fmt::Display for Shallow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 {
            f.write_str(
                " (this is a shallow clone: run `git fetch --unshallow`, \
                 or use `fetch-depth: 0` with actions/checkout)",
            )
        } else {
            Ok(())
        }
    }
}

/// A file as git stores it: path relative to the repository root and blob id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GitFile {
    pub path: String,
    pub blob: ObjectId,
    pub language: Language,
}

/// A tracked file as it is in the worktree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorktreeFile {
    /// Relative to the repository root, `/`-separated.
    pub path: String,
    pub absolute: PathBuf,
    pub language: Language,
    /// The index blob id, when the file is known to be unchanged since staging.
    pub clean_blob: Option<ObjectId>,
}

/// The staged side of a commit in preparation.
#[derive(Debug, Default)]
pub struct Staged {
    /// Added, modified, copied or renamed files, as staged.
    pub files: Vec<GitFile>,
    /// Paths with merge conflicts (index stages 1–3).
    pub unmerged: Vec<String>,
    /// [`GitSource::staged`] only: HEAD's version of each listed file that
    /// HEAD has, and of every analysable file HEAD has and the index no
    /// longer does (deleted, or renamed: whatever the pathspecs), sorted.
    pub head: Vec<GitFile>,
}

/// An opened repository, shareable across analysis threads.
pub struct GitSource {
    repo: gix::ThreadSafeRepository,
    workdir: Option<PathBuf>,
    common_dir: PathBuf,
}

impl GitSource {
    /// Finds the repository containing `dir`, honouring `GIT_DIR` and
    /// `GIT_INDEX_FILE` as git hooks set them.
    pub fn discover(dir: &Path) -> Result<Self, GitError> {
        let has_dot_git =
            std::env::var_os("GIT_DIR").is_some() || super::walk::repository_root(dir).is_some();
        let repo = match gix::discover_with_environment_overrides(dir) {
            Ok(repo) => repo,
            // No `.git` above: a bare repository, or none at all.
            Err(_) if !has_dot_git => {
                return Err(GitError::NotARepository {
                    path: dir.to_owned(),
                })
            }
            Err(err) => {
                return Err(GitError::Open {
                    path: dir.to_owned(),
                    message: err.to_string(),
                })
            }
        };
        let workdir = repo.workdir().map(Path::to_path_buf);
        let common_dir = repo.common_dir().to_path_buf();
        Ok(GitSource {
            repo: repo.into_sync(),
            workdir,
            common_dir,
        })
    }

    /// The git directory shared by all worktrees of the repository.
    pub fn common_dir(&self) -> &Path {
        &self.common_dir
    }

    /// The worktree root, if the repository has one.
    pub fn workdir(&self) -> Option<&Path> {
        self.workdir.as_deref()
    }

    /// Staged files whose content differs from HEAD (all of them on an unborn
    /// HEAD), limited to `pathspecs` (repository-relative paths or directory
    /// prefixes) when any are given. A file a pathspec names exactly is
    /// listed as staged even when it equals HEAD (`pre-commit run
    /// --all-files` names every file). Deletions, intent-to-add entries,
    /// symlinks and submodules are skipped. [`Staged::head`] holds the
    /// HEAD side of the change.
    pub fn staged(&self, pathspecs: &[String]) -> Result<Staged, GitError> {
        let repo = self.repo.to_thread_local();
        let index = open_index(&repo)?;
        let head = HeadComparison::new(&repo, index.tree())?;
        let mut staged = index_listing(&index);
        let in_index: std::collections::HashSet<&str> =
            staged.files.iter().map(|file| file.path.as_str()).collect();
        let mut head_files: Vec<GitFile> = head
            .blobs
            .iter()
            .filter(|(path, _)| !in_index.contains(path.as_str()))
            .filter_map(|(path, blob)| {
                let language = Language::from_path(Path::new(path))?;
                Some(GitFile {
                    path: path.clone(),
                    blob: *blob,
                    language,
                })
            })
            .collect();
        staged
            .unmerged
            .retain(|path| matches_pathspec(path, pathspecs));
        staged.files.retain(|file| {
            pathspecs.contains(&file.path)
                || (matches_pathspec(&file.path, pathspecs) && head.differs(&file.path, file.blob))
        });
        head_files.extend(staged.files.iter().filter_map(|file| {
            Some(GitFile {
                blob: head.blob_at(&file.path, file.blob)?,
                ..file.clone()
            })
        }));
        head_files.sort();
        staged.head = head_files;
        Ok(staged)
    }

    /// The directory git runs the repository's hooks from: `core.hooksPath`
    /// (relative to the worktree root, or to the git directory of a bare
    /// repository, as git resolves it), else `<common git dir>/hooks`,
    /// shared by all worktrees.
    pub fn hooks_dir(&self) -> Result<PathBuf, GitError> {
        let repo = self.repo.to_thread_local();
        let configured = repo
            .config_snapshot()
            .trusted_path("core.hooksPath")
            .map_err(|err| GitError::HooksPath {
                message: err.to_string(),
            })?;
        Ok(match configured {
            Some(path) if path.is_absolute() => path,
            Some(path) => repo.workdir().unwrap_or(repo.git_dir()).join(path),
            None => self.common_dir.join("hooks"),
        })
    }

    /// Whether HEAD names a branch with no commit yet (a new repository).
    pub fn head_is_unborn(&self) -> bool {
        self.repo
            .to_thread_local()
            .head()
            .is_ok_and(|head| head.is_unborn())
    }

    /// The commit a revision names (`HEAD~1`, a branch, a tag, an id).
    pub fn resolve_commit(&self, spec: &str) -> Result<ObjectId, GitError> {
        let repo = self.repo.to_thread_local();
        let unknown = || GitError::UnknownRevision {
            spec: spec.to_owned(),
            hint: Shallow(repo.is_shallow().unwrap_or(false)),
        };
        let object = repo
            .rev_parse_single(spec)
            .map_err(|_| unknown())?
            .object()
            .map_err(|_| unknown())?;
        let commit = object.peel_to_commit().map_err(|_| unknown())?;
        Ok(commit.id)
    }

    /// The best common ancestor of two commits (what `A...B` compares from).
    pub fn merge_base(
        &self,
        (one_spec, one): (&str, ObjectId),
        (two_spec, two): (&str, ObjectId),
    ) -> Result<ObjectId, GitError> {
        let repo = self.repo.to_thread_local();
        let base = repo.merge_base(one, two).ok().flatten();
        base.map(|id| id.detach())
            .ok_or_else(|| GitError::NoMergeBase {
                one: one_spec.to_owned(),
                two: two_spec.to_owned(),
                hint: Shallow(repo.is_shallow().unwrap_or(false)),
            })
    }

    /// Every analysable file in a commit's tree.
    pub fn commit_files(&self, commit: ObjectId) -> Result<Vec<GitFile>, GitError> {
        let repo = self.repo.to_thread_local();
        let object_error = |e: &dyn std::fmt::Display| GitError::Object {
            id: commit,
            message: e.to_string(),
        };
        let tree_id = repo
            .find_commit(commit)
            .map_err(|e| object_error(&e))?
            .tree_id()
            .map_err(|e| object_error(&e))?;
        let blobs = tree_blobs(&repo, tree_id.detach()).map_err(|e| object_error(&e))?;
        Ok(analysable(blobs))
    }

    /// Every analysable file staged in the index (unmerged paths apart).
    pub fn index_files(&self) -> Result<Staged, GitError> {
        let repo = self.repo.to_thread_local();
        Ok(index_listing(&*open_index(&repo)?))
    }

    /// Blob ids of tracked files whose worktree stat data still matches
    /// their index entry (and is not racy): the test `git status` uses to
    /// know a file is unchanged without reading it. Keyed by
    /// repository-relative path.
    pub fn clean_blob_ids(&self) -> Result<HashMap<String, ObjectId>, GitError> {
        Ok(self
            .tracked_worktree_files()?
            .into_iter()
            .filter_map(|file| Some((file.path, file.clean_blob?)))
            .collect())
    }

    /// The analysable tracked files present in the worktree (what `git
    /// diff` compares): every index entry of a regular file that still
    /// exists as one, with its index blob id when the stat data says the
    /// file is unchanged. Intent-to-add entries are included; an unmerged
    /// path is listed once.
    pub fn tracked_worktree_files(&self) -> Result<Vec<WorktreeFile>, GitError> {
        let Some(workdir) = &self.workdir else {
            return Ok(Vec::new());
        };
        let repo = self.repo.to_thread_local();
        let index = repo.index_or_empty().map_err(|e| GitError::Index {
            message: e.to_string(),
        })?;
        let options = gix::index::entry::stat::Options::default();
        let index_time = index.timestamp();
        let mut files: Vec<WorktreeFile> = Vec::new();
        for entry in index.entries() {
            if !is_regular_file(entry) {
                continue;
            }
            let path = entry.path(&index).to_str_lossy().into_owned();
            // Only files antipasta analyses are worth a stat call.
            let Some(language) = Language::from_path(Path::new(&path)) else {
                continue;
            };
            if files.last().is_some_and(|last| last.path == path) {
                continue;
            }
            let absolute = workdir.join(&path);
            let Ok(metadata) = gix::index::fs::Metadata::from_path_no_follow(&absolute) else {
                continue;
            };
            if !metadata.is_file() {
                continue;
            }
            let clean = entry.stage() == gix::index::entry::Stage::Unconflicted
                && !entry
                    .flags
                    .contains(gix::index::entry::Flags::INTENT_TO_ADD)
                && gix::index::entry::Stat::from_fs(&metadata).is_ok_and(|stat| {
                    entry.stat.matches(&stat, options) && !entry.stat.is_racy(index_time, options)
                });
            files.push(WorktreeFile {
                path,
                absolute,
                language,
                clean_blob: clean.then_some(entry.id),
            });
        }
        Ok(files)
    }

    /// The content of a blob.
    pub fn read_blob(&self, id: ObjectId) -> Result<Vec<u8>, GitError> {
        let repo = self.repo.to_thread_local();
        let object = repo.find_object(id).map_err(|e| GitError::Object {
            id,
            message: e.to_string(),
        })?;
        Ok(object.detach().data)
    }
}

/// Whether an index entry is a plain or executable file (not a symlink or submodule).
fn is_regular_file(entry: &gix::index::Entry) -> bool {
    matches!(
        entry.mode,
        gix::index::entry::Mode::FILE | gix::index::entry::Mode::FILE_EXECUTABLE
    )
}

fn open_index(repo: &gix::Repository) -> Result<gix::worktree::Index, GitError> {
    repo.index_or_empty().map_err(|e| GitError::Index {
        message: e.to_string(),
    })
}

/// The analysable regular files of an index (intent-to-add entries apart),
/// sorted, and its unmerged paths.
fn index_listing(index: &gix::index::File) -> Staged {
    let mut staged = Staged::default();
    for entry in index.entries() {
        let path = entry.path(index).to_str_lossy().into_owned();
        if entry.stage() != gix::index::entry::Stage::Unconflicted {
            if staged.unmerged.last() != Some(&path) {
                staged.unmerged.push(path);
            }
            continue;
        }
        if !is_regular_file(entry)
            || entry
                .flags
                .contains(gix::index::entry::Flags::INTENT_TO_ADD)
        {
            continue;
        }
        if let Some(language) = Language::from_path(Path::new(&path)) {
            staged.files.push(GitFile {
                path,
                blob: entry.id,
                language,
            });
        }
    }
    staged.files.sort();
    staged
}

/// What HEAD holds, for telling staged changes from unchanged files. As git
/// does, directories whose index cache-tree entry is valid and names the
/// same tree as HEAD are not read: every file under them is unchanged.
struct HeadComparison {
    /// Path → blob id of HEAD's files outside the unchanged directories.
    blobs: HashMap<String, ObjectId>,
    /// Directories known unchanged (`""` is the whole tree).
    unchanged: Vec<String>,
}

impl HeadComparison {
    fn new(
        repo: &gix::Repository,
        cache_tree: Option<&gix::index::extension::Tree>,
    ) -> Result<Self, GitError> {
        let head_error = |e: &dyn std::fmt::Display| GitError::Head {
            message: e.to_string(),
        };
        let tree_id = repo.head_tree_id_or_empty().map_err(|e| head_error(&e))?;
        let mut comparison = HeadComparison {
            blobs: HashMap::new(),
            unchanged: Vec::new(),
        };
        comparison
            .read(repo, tree_id.detach(), String::new(), cache_tree)
            .map_err(|e| head_error(&e))?;
        Ok(comparison)
    }

    fn read(
        &mut self,
        repo: &gix::Repository,
        tree_id: ObjectId,
        prefix: String,
        cache_tree: Option<&gix::index::extension::Tree>,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        if cache_tree.is_some_and(|cached| cached.num_entries.is_some() && cached.id == tree_id) {
            self.unchanged.push(prefix);
            return Ok(());
        }
        let tree = repo.find_tree(tree_id)?;
        for entry in tree.iter() {
            let entry = entry?;
            let name = entry.filename();
            let path = if prefix.is_empty() {
                name.to_str_lossy().into_owned()
            } else {
                format!("{prefix}/{}", name.to_str_lossy())
            };
            match entry.mode().kind() {
                gix::object::tree::EntryKind::Tree => {
                    let child = cache_tree.and_then(|cached| {
                        cached
                            .children
                            .iter()
                            .find(|child| child.name.as_slice() == name.as_bytes())
                    });
                    self.read(repo, entry.object_id(), path, child)?;
                }
                gix::object::tree::EntryKind::Blob
                | gix::object::tree::EntryKind::BlobExecutable => {
                    self.blobs.insert(path, entry.object_id());
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether the staged `blob` at `path` differs from HEAD's.
    fn differs(&self, path: &str, blob: ObjectId) -> bool {
        self.blob_at(path, blob) != Some(blob)
    }

    /// HEAD's blob at `path`, where the index has `staged` (HEAD's, when
    /// `path` lies in a directory known unchanged).
    fn blob_at(&self, path: &str, staged: ObjectId) -> Option<ObjectId> {
        let in_unchanged_dir = self.unchanged.iter().any(|dir| {
            dir.is_empty()
                || path
                    .strip_prefix(dir.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        });
        if in_unchanged_dir {
            Some(staged)
        } else {
            self.blobs.get(path).copied()
        }
    }
}

/// (path, blob id) of every regular file in a tree, recursively.
fn tree_blobs(
    repo: &gix::Repository,
    tree_id: ObjectId,
) -> Result<Vec<(String, ObjectId)>, Box<dyn std::error::Error + Send + Sync>> {
    let tree = repo.find_tree(tree_id)?;
    let mut recorder = gix::traverse::tree::Recorder::default();
    tree.traverse().breadthfirst(&mut recorder)?;
    Ok(recorder
        .records
        .into_iter()
        .filter(|entry| {
            matches!(
                entry.mode.kind(),
                gix::object::tree::EntryKind::Blob | gix::object::tree::EntryKind::BlobExecutable
            )
        })
        .map(|entry| (entry.filepath.to_str_lossy().into_owned(), entry.oid))
        .collect())
}

/// The files antipasta analyses among (path, blob id) pairs, sorted by path.
fn analysable(blobs: Vec<(String, ObjectId)>) -> Vec<GitFile> {
    let mut files: Vec<GitFile> = blobs
        .into_iter()
        .filter_map(|(path, blob)| {
            let language = Language::from_path(Path::new(&path))?;
            Some(GitFile {
                path,
                blob,
                language,
            })
        })
        .collect();
    files.sort();
    files
}

/// Whether `path` is one of `pathspecs` or lies under one (all when empty).
pub fn matches_pathspec(path: &str, pathspecs: &[String]) -> bool {
    pathspecs.is_empty()
        || pathspecs.iter().any(|spec| {
            let spec = spec.trim_end_matches('/');
            spec.is_empty()
                || spec == "."
                || path == spec
                || path
                    .strip_prefix(spec)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pathspecs_match_files_and_directories() {
        let specs = vec!["src".to_owned(), "setup.py".to_owned()];
        assert!(matches_pathspec("src/a.py", &specs));
        assert!(matches_pathspec("setup.py", &specs));
        assert!(!matches_pathspec("srcx/a.py", &specs));
        assert!(matches_pathspec("anything.py", &[]));
        assert!(matches_pathspec("a/b.py", &[".".to_owned()]));
    }
}

//! Git access through gix: the only code that opens repositories. Reads
//! the index, trees and blobs; never writes to the worktree, the index or refs.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;
use gix::ObjectId;

use super::attributes::AttributeCheck;
use super::pathspec::Pathspecs;
use super::shebang;
use crate::model::Language;

/// What went wrong talking to git, with the path or object involved.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{path}: not inside a git repository")]
    NotARepository { path: PathBuf },
    #[error("{path}: cannot open the git repository: {message}")]
    Open { path: PathBuf, message: String },
    #[error(
        "{path}: the repository names objects with {format} (extensions.objectFormat), \
         which antipasta does not support; only SHA-1 repositories can be read \
         (`antipasta check PATHS` without --staged still works)"
    )]
    ObjectFormat { path: PathBuf, format: String },
    #[error("cannot read the git index: {message}")]
    Index { message: String },
    #[error("cannot resolve HEAD: {message}")]
    Head { message: String },
    #[error("cannot read git object {id}: {message}")]
    Object { id: ObjectId, message: String },
    #[error("{message}")]
    Pathspec { message: String },
    #[error("cannot read .gitattributes: {message}")]
    Attributes { message: String },
    #[error("git's clean conversion failed: {message}")]
    Filter { message: String },
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
    /// Whether the worktree version is the index's without looking at the
    /// disk (skip-worktree, assume-unchanged, sparse directories).
    pub index_only: bool,
}

/// The staged side of a commit in preparation.
#[derive(Debug, Default)]
pub struct Staged {
    /// Added, modified, copied or renamed files, as staged.
    pub files: Vec<GitFile>,
    /// Paths with merge conflicts (index stages 1–3).
    pub unmerged: Vec<String>,
    /// The pathspecs that name no index entry at all (neither a file nor a
    /// directory holding one).
    pub unmatched: Vec<String>,
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
                return Err(match declared_object_format(dir) {
                    Some(format) if !format.eq_ignore_ascii_case("sha1") => {
                        GitError::ObjectFormat {
                            path: dir.to_owned(),
                            format,
                        }
                    }
                    _ => GitError::Open {
                        path: dir.to_owned(),
                        message: causes(&err),
                    },
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

    /// Parses command-line pathspecs as git does from `cwd` (see
    /// [`Pathspecs`]); without a worktree, nothing is selected by name.
    pub fn pathspecs(&self, args: &[&OsStr], cwd: &Path) -> Result<Pathspecs, GitError> {
        let repo = self.repo.to_thread_local();
        let defaults = repo
            .pathspec_defaults_inherit_ignore_case(false)
            .map_err(|e| GitError::Pathspec {
                message: e.to_string(),
            })?;
        let root = self.workdir.as_deref().unwrap_or(&self.common_dir);
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
        Pathspecs::parse(args, &cwd, &root, defaults).map_err(|e| GitError::Pathspec {
            message: e.to_string(),
        })
    }

    /// Staged files whose content differs from HEAD (all of them on an unborn
    /// HEAD), limited to `pathspecs`. A file a plain pathspec names exactly
    /// is listed as staged even when it equals HEAD (`pre-commit run
    /// --all-files` names every file). Deletions, intent-to-add entries,
    /// symlinks and submodules are skipped. The pathspecs that name no
    /// index entry are listed in [`Staged::unmatched`]; [`Staged::head`]
    /// holds the HEAD side of the change.
    pub fn staged(&self, pathspecs: &mut Pathspecs) -> Result<Staged, GitError> {
        let repo = self.repo.to_thread_local();
        let index = open_index(&repo)?;
        let head = HeadComparison::new(&repo, index.tree())?;
        let mut staged = index_listing(&repo, &index, &|id| script_language(&repo, id))?;
        staged.unmatched = pathspecs.unmatched(
            index
                .entries()
                .iter()
                .map(|entry| entry.path(&index).as_bytes())
                .chain(staged.files.iter().map(|file| file.path.as_bytes())),
        );
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
            .retain(|path| pathspecs.matches(path.as_bytes()));
        self.retain_attributed(&mut staged.files, |file| &file.path)?;
        staged.files.retain(|file| {
            pathspecs.names_exactly(file.path.as_bytes())
                || (pathspecs.matches(file.path.as_bytes()) && head.differs(&file.path, file.blob))
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
        Ok(analysable(blobs, &|id| script_language(&repo, id)))
    }

    /// The analysable files of two commits where their trees differ:
    /// directories with the same tree id on both sides are not read (as
    /// `git diff A B` skips them), so every file left out is unchanged.
    pub fn differing_commit_files(
        &self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
    ) -> Result<(Vec<GitFile>, Vec<GitFile>), GitError> {
        let repo = self.repo.to_thread_local();
        let tree_of = |commit: Option<ObjectId>| -> Result<Option<ObjectId>, GitError> {
            let Some(commit) = commit else {
                return Ok(None);
            };
            let object_error = |e: &dyn std::fmt::Display| GitError::Object {
                id: commit,
                message: e.to_string(),
            };
            let tree = repo
                .find_commit(commit)
                .map_err(|e| object_error(&e))?
                .tree_id()
                .map_err(|e| object_error(&e))?;
            Ok(Some(tree.detach()))
        };
        let (old_tree, new_tree) = (tree_of(old)?, tree_of(new)?);
        let mut sides = (Vec::new(), Vec::new());
        differing_blobs(&repo, old_tree, new_tree, "", &mut sides)?;
        let script = |id| script_language(&repo, id);
        Ok((analysable(sides.0, &script), analysable(sides.1, &script)))
    }

    /// Every analysable file staged in the index (unmerged paths apart).
    pub fn index_files(&self) -> Result<Staged, GitError> {
        let repo = self.repo.to_thread_local();
        let index = open_index(&repo)?;
        index_listing(&repo, &index, &|id| script_language(&repo, id))
    }

    /// The path of every index entry (of any kind), as stored.
    pub fn index_paths(&self) -> Result<Vec<Vec<u8>>, GitError> {
        let repo = self.repo.to_thread_local();
        let index = open_index(&repo)?;
        Ok(index
            .entries()
            .iter()
            .map(|entry| entry.path(&index).to_vec())
            .collect())
    }

    /// Blob ids of tracked files whose worktree stat data still matches
    /// their index entry (and is not racy): the test `git status` uses to
    /// know a file is unchanged without reading it. Keyed by
    /// repository-relative path.
    pub fn clean_blob_ids(&self) -> Result<HashMap<String, ObjectId>, GitError> {
        Ok(self
            .tracked_worktree_files()?
            .into_iter()
            // The index's version of a skip-worktree file is not the disk's.
            .filter(|file| !file.index_only)
            .filter_map(|file| Some((file.path, file.clean_blob?)))
            .collect())
    }

    /// The analysable tracked files present in the worktree (what `git
    /// diff` compares): every index entry of a regular file that still
    /// exists as one (or cannot be examined), with its index blob id when
    /// the stat data says the file is unchanged. Intent-to-add entries are
    /// included; an unmerged path is listed once. As with git, entries
    /// marked skip-worktree (outside a sparse checkout, and every file of a
    /// sparse index's directory entry) or assume-unchanged are not looked
    /// at on disk: their worktree version is the index's.
    pub fn tracked_worktree_files(&self) -> Result<Vec<WorktreeFile>, GitError> {
        use gix::index::entry::Flags;
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
            let raw_path = entry.path(&index);
            let path = raw_path.to_str_lossy().into_owned();
            if entry.mode.is_sparse() {
                for (path, blob) in sparse_directory(&repo, entry, &path)? {
                    let Some(language) = Language::from_path(Path::new(&path)) else {
                        continue;
                    };
                    files.push(WorktreeFile {
                        absolute: workdir.join(&path),
                        path,
                        language,
                        clean_blob: Some(blob),
                        index_only: true,
                    });
                }
                continue;
            }
            if !is_regular_file(entry) {
                continue;
            }
            // Only files antipasta analyses are worth a stat call; an
            // extension-less script is read for its `#!` line.
            let by_name = Language::from_path(Path::new(&path));
            let Some(language) = by_name.or_else(|| {
                shebang::may_be_script(Path::new(&path))
                    .then(|| shebang::language_of_file(&workdir.join(&path)))
                    .flatten()
            }) else {
                continue;
            };
            if files.last().is_some_and(|last| last.path == path) {
                continue;
            }
            // The exact bytes of the name, which need not be UTF-8.
            let absolute = gix::path::from_bstr(raw_path)
                .map_or_else(|_| workdir.join(&path), |exact| workdir.join(exact));
            let unconflicted = entry.stage() == gix::index::entry::Stage::Unconflicted;
            if unconflicted
                && entry
                    .flags
                    .intersects(Flags::SKIP_WORKTREE | Flags::ASSUME_VALID)
            {
                files.push(WorktreeFile {
                    path,
                    absolute,
                    language,
                    clean_blob: Some(entry.id),
                    index_only: true,
                });
                continue;
            }
            let metadata = match gix::index::fs::Metadata::from_path_no_follow(&absolute) {
                Ok(metadata) if !metadata.is_file() => continue,
                Ok(metadata) => Some(metadata),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
                // Present but not examinable (an unreadable directory): listed
                // without an id, so reading it reports the error for this file
                // instead of calling it deleted.
                Err(_) => None,
            };
            let clean = metadata.is_some_and(|metadata| {
                unconflicted
                    && !entry.flags.contains(Flags::INTENT_TO_ADD)
                    && gix::index::entry::Stat::from_fs(&metadata).is_ok_and(|stat| {
                        entry.stat.matches(&stat, options)
                            && !entry.stat.is_racy(index_time, options)
                    })
            });
            files.push(WorktreeFile {
                path,
                absolute,
                language,
                clean_blob: clean.then_some(entry.id),
                index_only: false,
            });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Drops the files `.gitattributes` keeps out of the judgement
    /// (`-antipasta`, `linguist-generated`, `linguist-vendored`; see
    /// [`super::attributes`]), `path` giving each file's repository-relative path.
    pub fn retain_attributed<T>(
        &self,
        files: &mut Vec<T>,
        path: impl Fn(&T) -> &str,
    ) -> Result<(), GitError> {
        let repo = self.repo.to_thread_local();
        let index = open_index(&repo)?;
        let mut check = AttributeCheck::new(&repo, &index).map_err(|e| GitError::Attributes {
            message: e.to_string(),
        })?;
        files.retain(|file| !check.excludes(path(file)));
        Ok(())
    }

    /// The parents of a commit, in order.
    pub fn parents(&self, commit: ObjectId) -> Result<Vec<ObjectId>, GitError> {
        let repo = self.repo.to_thread_local();
        let commit = repo.find_commit(commit).map_err(|e| GitError::Object {
            id: commit,
            message: e.to_string(),
        })?;
        Ok(commit.parent_ids().map(|id| id.detach()).collect())
    }

    /// The repository's rename settings for `git diff`: whether
    /// `diff.renames` leaves detection on (default yes) and the
    /// `diff.renameLimit` (`None` when unset; 0 or less is git's 32,767).
    pub fn rename_config(&self) -> (bool, Option<usize>) {
        let repo = self.repo.to_thread_local();
        let config = repo.config_snapshot();
        // `diff.renames` is a boolean or `copies`/`copy` (renames on).
        let enabled = config.string("diff.renames").is_none_or(|value| {
            !matches!(
                value.to_ascii_lowercase().as_slice(),
                b"false" | b"no" | b"off" | b"0"
            )
        });
        let limit = config.integer("diff.renameLimit").map(|limit| {
            usize::try_from(limit)
                .ok()
                .filter(|&n| n > 0)
                .unwrap_or(32_767)
        });
        (enabled, limit)
    }

    /// Whether git's clean conversion could change any worktree file: a
    /// `core.autocrlf` or `core.eol` setting, or an attributes file
    /// anywhere git reads one (a tracked `.gitattributes`, `info/attributes`,
    /// `core.attributesFile` or the user's and system's defaults). When
    /// not, a worktree file is its bytes, as read from disk.
    pub fn may_convert(&self) -> Result<bool, GitError> {
        let repo = self.repo.to_thread_local();
        let config = repo.config_snapshot();
        let autocrlf = config
            .string("core.autocrlf")
            .is_some_and(|value| !value.eq_ignore_ascii_case(b"false"));
        if autocrlf || config.string("core.eol").is_some() {
            return Ok(true);
        }
        let mut attribute_files: Vec<PathBuf> = vec![self.common_dir.join("info/attributes")];
        if let Ok(Some(path)) = config.trusted_path("core.attributesFile") {
            attribute_files.push(path);
        }
        if let Some(config_home) = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".config")))
        {
            attribute_files.push(config_home.join("git/attributes"));
        }
        attribute_files.push(PathBuf::from("/etc/gitattributes"));
        if attribute_files.iter().any(|path| path.exists()) {
            return Ok(true);
        }
        let index = open_index(&repo)?;
        let tracked = index.entries().iter().any(|entry| {
            let path = entry.path(&index);
            path == ".gitattributes" || path.ends_with(b"/.gitattributes")
        });
        Ok(tracked
            || self
                .workdir
                .as_ref()
                .is_some_and(|dir| dir.join(".gitattributes").exists()))
    }

    /// Runs `work` with git's clean conversion for worktree files (the
    /// `text`/`eol`/`core.autocrlf` line-ending conversion, `ident`,
    /// `working-tree-encoding` and clean filters, from `.gitattributes` and
    /// the config): `convert(bytes, path)` gives the content git would
    /// store for the file at the repository-relative `path`, or `None`
    /// when no conversion changes it.
    pub fn with_clean_conversion<T>(
        &self,
        work: impl FnOnce(&mut dyn FnMut(&[u8], &str) -> Result<Option<Vec<u8>>, GitError>) -> T,
    ) -> Result<T, GitError> {
        let repo = self.repo.to_thread_local();
        let filter_error = |e: &dyn std::fmt::Display| GitError::Filter {
            message: e.to_string(),
        };
        let (mut pipeline, index) = repo.filter_pipeline(None).map_err(|e| filter_error(&e))?;
        let mut convert = |bytes: &[u8], path: &str| -> Result<Option<Vec<u8>>, GitError> {
            use gix::filter::plumbing::pipeline::convert::ToGitOutcome;
            use std::io::Read;
            let in_path = |e: &dyn std::fmt::Display| GitError::Filter {
                message: format!("{path}: {e}"),
            };
            let outcome = pipeline
                .convert_to_git(bytes, Path::new(path), &index)
                .map_err(|e| in_path(&e))?;
            Ok(match outcome {
                ToGitOutcome::Unchanged(_) => None,
                ToGitOutcome::Buffer(converted) => Some(converted.to_vec()),
                ToGitOutcome::Process(mut stream) => {
                    let mut converted = Vec::new();
                    stream
                        .read_to_end(&mut converted)
                        .map_err(|e| in_path(&e))?;
                    Some(converted)
                }
            })
        };
        Ok(work(&mut convert))
    }

    /// A blob's size from its object header, without inflating the blob.
    pub fn blob_size(&self, id: ObjectId) -> Result<u64, GitError> {
        let repo = self.repo.to_thread_local();
        let header = repo.find_header(id).map_err(|e| GitError::Object {
            id,
            message: e.to_string(),
        })?;
        Ok(header.size())
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

/// Why a cache directory inside the worktree is refused: git could commit
/// it, and a committed cache could answer for files it never saw.
#[derive(Debug, thiserror::Error)]
pub enum CacheDirRefusal {
    #[error("{path} is inside the worktree and git does not ignore {file}: add the directory to .gitignore")]
    NotIgnored { path: PathBuf, file: String },
    #[error("{path} is inside the worktree and git tracks {file} in it")]
    Tracked { path: PathBuf, file: String },
    #[error("cannot tell whether git ignores {path}: {source}")]
    Check {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl GitSource {
    /// Whether the existing directory `dir` may hold the result cache:
    /// outside the worktree or inside the git directory, or else ignored by
    /// git (each of `files` in it is excluded) with nothing in it tracked.
    pub fn check_cache_dir(&self, dir: &Path, files: &[&str]) -> Result<(), CacheDirRefusal> {
        let Some(workdir) = self.workdir() else {
            return Ok(());
        };
        let canonical = |path: &Path| path.canonicalize().unwrap_or_else(|_| path.to_owned());
        let dir_real = canonical(dir);
        let workdir = canonical(workdir);
        let relative = match dir_real.strip_prefix(&workdir) {
            Ok(relative) if !dir_real.starts_with(canonical(&self.common_dir)) => relative,
            _ => return Ok(()),
        };
        let failed = |source: Box<dyn std::error::Error + Send + Sync>| CacheDirRefusal::Check {
            path: dir.to_owned(),
            source,
        };
        let repo = self.repo.to_thread_local();
        let index = repo.index_or_empty().map_err(|e| failed(Box::new(e)))?;
        let prefix = gix::path::to_unix_separators_on_windows(
            gix::path::into_bstr(relative).map_err(|e| failed(Box::new(e)))?,
        );
        if let Some(entry) = index.entries().iter().find(|entry| {
            let path = entry.path(&index);
            path.strip_prefix(prefix.as_ref().as_bytes())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(b"/"))
        }) {
            return Err(CacheDirRefusal::Tracked {
                path: dir.to_owned(),
                file: entry.path(&index).to_str_lossy().into_owned(),
            });
        }
        let mut excludes = repo
            .excludes(
                &index,
                None,
                gix::worktree::stack::state::ignore::Source::WorktreeThenIdMappingIfNotSkipped,
            )
            .map_err(|e| failed(Box::new(e)))?;
        for file in files {
            let path = relative.join(file);
            let platform = excludes
                .at_path(&path, Some(gix::index::entry::Mode::FILE))
                .map_err(|e| failed(Box::new(e)))?;
            if !platform.is_excluded() {
                return Err(CacheDirRefusal::NotIgnored {
                    path: dir.to_owned(),
                    file: (*file).to_owned(),
                });
            }
        }
        Ok(())
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
    repo.index_or_empty().map_err(|err| GitError::Index {
        message: index_problem(repo, &err),
    })
}

/// The `extensions.objectFormat` of the repository containing `dir`, read
/// from its config file directly: gix, built for SHA-1 only, refuses to open
/// a repository that declares another format.
fn declared_object_format(dir: &Path) -> Option<String> {
    let (found, _trust) = gix::discover::upwards(dir).ok()?;
    let (git_dir, _) = found.into_repository_and_work_tree_directories();
    // A linked worktree's git directory names the shared one in `commondir`.
    let common_dir = match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(relative) => git_dir.join(relative.trim_end()),
        Err(_) => git_dir,
    };
    let config = gix::config::File::from_path_no_includes(
        common_dir.join("config"),
        gix::config::Source::Local,
    )
    .ok()?;
    let format = config.string("extensions.objectFormat")?;
    Some(format.to_str_lossy().into_owned())
}

/// What is wrong with an index gix could not open. gix verifies the file's
/// trailing checksum before decoding it and calls any mismatch a "Shared
/// index checksum mismatch", whatever is damaged; decoding the file again
/// without that check finds the fault git would name (a bad signature or
/// version, a truncated entry). When only the checksum fails, that is said.
fn index_problem(repo: &gix::Repository, err: &(dyn std::error::Error + 'static)) -> String {
    let path = repo.index_path();
    let unverified = gix::index::File::at(
        &path,
        repo.object_hash(),
        true,
        gix::index::decode::Options::default(),
    );
    match unverified {
        Err(structural) => format!("{}: {}", path.display(), causes(&structural)),
        Ok(_) => format!(
            "{}: the file is corrupt: its checksum does not match its content ({})",
            path.display(),
            deepest_cause(err)
        ),
    }
}

/// An error and its causes, `outer: inner: …`.
fn causes(err: &(dyn std::error::Error + 'static)) -> String {
    let mut messages: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(current) = next {
        let message = current.to_string();
        // Wrappers often repeat their cause's text; say it once.
        if !messages.iter().any(|seen| seen.contains(&message)) {
            messages.push(message);
        }
        next = current.source();
    }
    messages.join(": ")
}

fn deepest_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut deepest = err;
    while let Some(source) = deepest.source() {
        deepest = source;
    }
    deepest.to_string()
}

/// The analysable regular files of an index (intent-to-add entries apart),
/// sorted, and its unmerged paths. The directory entries of a sparse index
/// stand for every file of their tree, listed from it.
fn index_listing(
    repo: &gix::Repository,
    index: &gix::index::File,
    script: &dyn Fn(ObjectId) -> Option<Language>,
) -> Result<Staged, GitError> {
    let mut staged = Staged::default();
    for entry in index.entries() {
        let path = entry.path(index).to_str_lossy().into_owned();
        if entry.stage() != gix::index::entry::Stage::Unconflicted {
            if staged.unmerged.last() != Some(&path) {
                staged.unmerged.push(path);
            }
            continue;
        }
        if entry.mode.is_sparse() {
            staged
                .files
                .extend(analysable(sparse_directory(repo, entry, &path)?, script));
            continue;
        }
        if !is_regular_file(entry)
            || entry
                .flags
                .contains(gix::index::entry::Flags::INTENT_TO_ADD)
        {
            continue;
        }
        if let Some(language) = language_of(&path, entry.id, script) {
            staged.files.push(GitFile {
                path,
                blob: entry.id,
                language,
            });
        }
    }
    staged.files.sort();
    Ok(staged)
}

/// The files under a sparse directory entry (`040000 dir/` in a sparse
/// index, whose id names the directory's tree), with their full paths.
fn sparse_directory(
    repo: &gix::Repository,
    entry: &gix::index::Entry,
    path: &str,
) -> Result<Vec<(String, ObjectId)>, GitError> {
    let dir = path.trim_end_matches('/');
    let blobs = tree_blobs(repo, entry.id).map_err(|e| GitError::Object {
        id: entry.id,
        message: e.to_string(),
    })?;
    Ok(blobs
        .into_iter()
        .map(|(file, blob)| (format!("{dir}/{file}"), blob))
        .collect())
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

/// The language of a blob at `path`: by its extension, or for an
/// extension-less name by its `#!` line.
fn language_of(
    path: &str,
    blob: ObjectId,
    script: &dyn Fn(ObjectId) -> Option<Language>,
) -> Option<Language> {
    let path = Path::new(path);
    Language::from_path(path)
        .or_else(|| shebang::may_be_script(path).then(|| script(blob)).flatten())
}

/// Blobs larger than this are not read to look for a `#!` line.
const SCRIPT_SNIFF_LIMIT: u64 = 1 << 20;

/// The language a blob's `#!` line names, if Python (see [`shebang`]). A
/// blob that cannot be read, or is large, is not a script.
fn script_language(repo: &gix::Repository, id: ObjectId) -> Option<Language> {
    let header = repo.find_header(id).ok()?;
    if header.size() > SCRIPT_SNIFF_LIMIT {
        return None;
    }
    let object = repo.find_object(id).ok()?;
    let head = &object.data[..object.data.len().min(shebang::SNIFF_BYTES)];
    shebang::language_of(head)
}

/// (path, blob id) lists of one side and the other of a tree comparison.
type TreeSides = (Vec<(String, ObjectId)>, Vec<(String, ObjectId)>);

/// Adds to `sides` the regular files under `prefix` of the `old` and `new`
/// trees (`None`: absent on that side) where they differ, descending only
/// into directories whose tree ids differ.
fn differing_blobs(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    prefix: &str,
    sides: &mut TreeSides,
) -> Result<(), GitError> {
    if old == new {
        return Ok(());
    }
    let old_entries = tree_entries(repo, old)?;
    let mut new_entries = tree_entries(repo, new)?;
    let path = |name: &str| {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}/{name}")
        }
    };
    for (name, (old_kind, old_id)) in old_entries {
        let counterpart = new_entries.remove(&name);
        let path = path(&name);
        match (old_kind, counterpart) {
            (TreeItem::Tree, Some((TreeItem::Tree, new_id))) => {
                differing_blobs(repo, Some(old_id), Some(new_id), &path, sides)?;
            }
            (TreeItem::Blob, Some((TreeItem::Blob, new_id))) => {
                if old_id != new_id {
                    sides.0.push((path.clone(), old_id));
                    sides.1.push((path, new_id));
                }
            }
            (old_kind, counterpart) => {
                // Present on one side only, or a file on one side and a
                // directory (or nothing analysable) on the other.
                match old_kind {
                    TreeItem::Tree => differing_blobs(repo, Some(old_id), None, &path, sides)?,
                    TreeItem::Blob => sides.0.push((path.clone(), old_id)),
                    TreeItem::Other => {}
                }
                match counterpart {
                    Some((TreeItem::Tree, new_id)) => {
                        differing_blobs(repo, None, Some(new_id), &path, sides)?;
                    }
                    Some((TreeItem::Blob, new_id)) => sides.1.push((path, new_id)),
                    Some((TreeItem::Other, _)) | None => {}
                }
            }
        }
    }
    for (name, (kind, id)) in new_entries {
        let path = path(&name);
        match kind {
            TreeItem::Tree => differing_blobs(repo, None, Some(id), &path, sides)?,
            TreeItem::Blob => sides.1.push((path, id)),
            TreeItem::Other => {}
        }
    }
    Ok(())
}

/// What a tree entry holds, as far as a comparison of files cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TreeItem {
    Tree,
    /// A regular or executable file.
    Blob,
    /// A symbolic link or a submodule.
    Other,
}

/// The entries of a tree by name (none for an absent tree).
fn tree_entries(
    repo: &gix::Repository,
    tree: Option<ObjectId>,
) -> Result<std::collections::BTreeMap<String, (TreeItem, ObjectId)>, GitError> {
    let mut entries = std::collections::BTreeMap::new();
    let Some(tree_id) = tree else {
        return Ok(entries);
    };
    let object_error = |e: &dyn std::fmt::Display| GitError::Object {
        id: tree_id,
        message: e.to_string(),
    };
    let tree = repo.find_tree(tree_id).map_err(|e| object_error(&e))?;
    for entry in tree.iter() {
        let entry = entry.map_err(|e| object_error(&e))?;
        let kind = match entry.mode().kind() {
            gix::object::tree::EntryKind::Tree => TreeItem::Tree,
            gix::object::tree::EntryKind::Blob | gix::object::tree::EntryKind::BlobExecutable => {
                TreeItem::Blob
            }
            _ => TreeItem::Other,
        };
        entries.insert(
            entry.filename().to_str_lossy().into_owned(),
            (kind, entry.object_id()),
        );
    }
    Ok(entries)
}

/// The files antipasta analyses among (path, blob id) pairs, sorted by path.
fn analysable(
    blobs: Vec<(String, ObjectId)>,
    script: &dyn Fn(ObjectId) -> Option<Language>,
) -> Vec<GitFile> {
    let mut files: Vec<GitFile> = blobs
        .into_iter()
        .filter_map(|(path, blob)| {
            let language = language_of(&path, blob, script)?;
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

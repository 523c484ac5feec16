//! Walks directories the way git lists files: `.gitignore`, `.git/info/exclude`
//! and the global excludes file are honoured, plus the config's ignore
//! patterns. Paths named on the command line are analysed whatever the
//! ignore patterns say, unless `--force-exclude` is given (as with ruff,
//! for pre-commit runs that name every staged file).

use std::path::{Path, PathBuf};

use super::{shebang, Origin, SourceFile};
use crate::config::Settings;
use crate::model::Language;

/// A path that could not be walked.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

/// The files a walk found, and the places it could not look into.
#[derive(Debug, Default)]
pub struct Listing {
    /// Sorted by display path.
    pub files: Vec<SourceFile>,
    /// Directories that could not be listed: files inside them may have
    /// gone unjudged, so each is an error for the run.
    pub unreadable: Vec<WalkError>,
    /// Ignore files that could not be read or parsed (as git, the walk
    /// goes on without them).
    pub warnings: Vec<WalkError>,
}

/// The repository root above `start`, if any.
pub fn repository_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Lists the files to analyse under `paths`. A path that does not exist
/// (or cannot be examined) is an error for the whole command, as with
/// ruff and git.
pub fn collect(
    paths: &[PathBuf],
    cwd: &Path,
    base: &Path,
    settings: &Settings,
) -> Result<Listing, WalkError> {
    let mut listing = Listing::default();
    for path in paths {
        let absolute = if path.is_absolute() {
            path.clone()
        } else {
            cwd.join(path)
        };
        let metadata = std::fs::metadata(&absolute).map_err(|err| WalkError {
            path: path.display().to_string(),
            message: io_message(&err),
        })?;
        if metadata.is_dir() {
            walk_directory(&absolute, base, settings, &mut listing);
            continue;
        }
        // Named explicitly: analysed whatever the ignore rules say. A named
        // symbolic link is followed here, once; the reader then opens its
        // target without following links, and refuses anything but a
        // regular file (a named FIFO or device included).
        let display = display_path(&absolute, base);
        if settings.force_exclude && settings.ignore.is_match(&display) {
            continue;
        }
        let language = Language::from_path(&absolute).or_else(|| {
            (metadata.is_file() && shebang::may_be_script(&absolute))
                .then(|| shebang::language_of_file(&absolute))
                .flatten()
        });
        if let Some(language) = language {
            let is_link = std::fs::symlink_metadata(&absolute).is_ok_and(|m| m.is_symlink());
            let origin = if is_link {
                std::fs::canonicalize(&absolute).unwrap_or_else(|_| absolute.clone())
            } else {
                absolute.clone()
            };
            listing.files.push(SourceFile {
                display,
                origin: Origin::Path(origin),
                language,
                blob: None,
            });
        }
    }
    listing.files.sort();
    listing.files.dedup_by(|a, b| a.origin == b.origin);
    Ok(listing)
}

fn walk_directory(dir: &Path, base: &Path, settings: &Settings, listing: &mut Listing) {
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .ignore(false)
        .parents(true)
        .git_ignore(settings.use_gitignore)
        .git_exclude(settings.use_gitignore)
        .git_global(settings.use_gitignore)
        .filter_entry(|entry| entry.file_name() != ".git")
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let (path, message) = error_path(&err);
                let error = WalkError {
                    path: display_path(path.unwrap_or(dir), base),
                    message,
                };
                // `Partial` is how the walker reports a bad ignore file.
                match err {
                    ignore::Error::Partial(_) => listing.warnings.push(error),
                    _ => listing.unreadable.push(error),
                }
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.into_path();
        let by_name = Language::from_path(&path);
        if by_name.is_none() && !shebang::may_be_script(&path) {
            continue;
        }
        let display = display_path(&path, base);
        if settings.ignore.is_match(&display) {
            continue;
        }
        // An extension-less script is read (its first line) only if listed.
        let Some(language) = by_name.or_else(|| shebang::language_of_file(&path)) else {
            continue;
        };
        listing.files.push(SourceFile {
            display,
            origin: Origin::Path(path),
            language,
            blob: None,
        });
    }
}

/// The path a walk error names, if any, and its message without the path.
fn error_path(err: &ignore::Error) -> (Option<&Path>, String) {
    match err {
        ignore::Error::WithPath { path, err } => (Some(path), error_path(err).1),
        ignore::Error::WithDepth { err, .. } => error_path(err),
        ignore::Error::Io(io) => (None, io_message(io)),
        other => (None, other.to_string()),
    }
}

/// An I/O error as `ls` prints it: "Permission denied", without "(os
/// error 13)" or the wrapper's own path.
pub fn io_message(err: &std::io::Error) -> String {
    let inner = err
        .get_ref()
        .and_then(|wrapped| std::error::Error::source(wrapped))
        .and_then(|source| source.downcast_ref::<std::io::Error>());
    if let Some(inner) = inner {
        return io_message(inner);
    }
    let text = err.to_string();
    match text.find(" (os error ") {
        Some(end) => text[..end].to_owned(),
        None => text,
    }
}

/// `path` relative to `base` with `/` separators (as given if outside it).
pub fn display_path(path: &Path, base: &Path) -> String {
    match path.strip_prefix(base) {
        Ok(relative) => relative
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => path.to_string_lossy().replace('\\', "/"),
    }
}

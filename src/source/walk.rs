//! Walks directories the way git lists files: `.gitignore`, `.git/info/exclude`
//! and the global excludes file are honoured, plus the config's ignore
//! patterns. Paths named on the command line are always analysed.

use std::path::{Path, PathBuf};

use super::{Origin, SourceFile};
use crate::config::Settings;
use crate::model::Language;

/// A path that could not be walked.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

/// The repository root above `start`, if any.
pub fn repository_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Lists the files to analyse under `paths`, sorted by display path.
pub fn collect(
    paths: &[PathBuf],
    cwd: &Path,
    base: &Path,
    settings: &Settings,
) -> (Vec<SourceFile>, Vec<WalkError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let absolute = if path.is_absolute() {
            path.clone()
        } else {
            cwd.join(path)
        };
        if absolute.is_file() {
            // Named explicitly: analysed whatever the ignore rules say.
            if let Some(language) = Language::from_path(&absolute) {
                files.push(SourceFile {
                    display: display_path(&absolute, base),
                    origin: Origin::Path(absolute),
                    language,
                    blob: None,
                });
            }
            continue;
        }
        if !absolute.exists() {
            errors.push(WalkError {
                path: path.display().to_string(),
                message: "no such file or directory".to_owned(),
            });
            continue;
        }
        walk_directory(&absolute, base, settings, &mut files, &mut errors);
    }
    files.sort();
    files.dedup_by(|a, b| a.origin == b.origin);
    (files, errors)
}

fn walk_directory(
    dir: &Path,
    base: &Path,
    settings: &Settings,
    files: &mut Vec<SourceFile>,
    errors: &mut Vec<WalkError>,
) {
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
                errors.push(WalkError {
                    path: dir.display().to_string(),
                    message: err.to_string(),
                });
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.into_path();
        let Some(language) = Language::from_path(&path) else {
            continue;
        };
        let display = display_path(&path, base);
        if settings.ignore.is_match(&display) {
            continue;
        }
        files.push(SourceFile {
            display,
            origin: Origin::Path(path),
            language,
            blob: None,
        });
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

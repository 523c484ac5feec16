//! Diff mode: what changed between two versions of the code, unit by unit.
//!
//! Pairs the functions of a file's old and new version (by qualified name,
//! then by text similarity for renamed or moved functions) and gives each a
//! status, so the gate can tell new and worsened violations from inherited ones.

pub mod files;
pub mod judge;
mod moves;
pub mod policy;
pub mod units;

use crate::model::{FileResult, FunctionUnit};
use crate::source::SourceFile;
use files::FilePair;

/// How a function changed between the base and the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitStatus {
    Added,
    Modified,
    Removed,
    Unchanged,
}

impl UnitStatus {
    /// The lowercase name used in JSON and text output.
    pub fn name(self) -> &'static str {
        match self {
            UnitStatus::Added => "added",
            UnitStatus::Modified => "modified",
            UnitStatus::Removed => "removed",
            UnitStatus::Unchanged => "unchanged",
        }
    }
}

/// The change of one function of the target version.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitChange {
    pub status: UnitStatus,
    /// The paired function of the base version (`None` when added).
    pub before: Option<FunctionUnit>,
    /// The base version's path, when the function moved from another file.
    pub moved_from: Option<String>,
}

/// How a file changed between the base and the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    Added,
    Modified,
    /// Moved (with or without edits); the old path is in [`FileChange::old_path`].
    Renamed,
    Deleted,
    /// The same on both sides, but named for an audit (`check --staged
    /// FILE` on a file the commit does not change): judged whole.
    Unchanged,
}

impl FileStatus {
    /// The lowercase name used in JSON and text output.
    pub fn name(self) -> &'static str {
        match self {
            FileStatus::Added => "added",
            FileStatus::Modified => "modified",
            FileStatus::Renamed => "renamed",
            FileStatus::Deleted => "deleted",
            FileStatus::Unchanged => "unchanged",
        }
    }
}

/// The change of one file, parallel to its [`crate::model::FileResult`] of
/// the target version (a deleted file's result is its base version).
#[derive(Debug, Clone, PartialEq)]
pub struct FileChange {
    pub status: FileStatus,
    /// The path in the base version, when it differs (renames).
    pub old_path: Option<String>,
    /// One entry per function of the target version, in the same order
    /// (empty for a deleted file or one that could not be analysed).
    pub functions: Vec<UnitChange>,
    /// Functions of the base version with no counterpart in the target.
    pub removed_functions: Vec<FunctionUnit>,
}

/// The changed files of a comparison, ready for the gate and the renderers.
#[derive(Debug, Default)]
pub struct Comparison {
    /// The target version of each changed file (a deleted file: its base version).
    pub results: Vec<FileResult>,
    /// Parallel to `results`.
    pub changes: Vec<FileChange>,
    /// Parallel to `results`: the base version, when there is one.
    pub base: Vec<Option<FileResult>>,
}

/// Joins each file pair with its analyses (`old` and `new` are parallel to
/// `pairs`) and pairs the units of files present on both sides. `text`
/// reads a version's source text.
pub fn compare(
    pairs: &[FilePair],
    old: Vec<Option<FileResult>>,
    new: Vec<Option<FileResult>>,
    text: &dyn Fn(&SourceFile) -> Option<String>,
) -> Comparison {
    let mut comparison = Comparison::default();
    // Each listed file's (base, target) text, for functions moved across files.
    let mut texts: Vec<(String, String)> = Vec::new();
    for ((pair, old), new) in pairs.iter().zip(old).zip(new) {
        let old_path = match (&pair.old, &pair.new) {
            (Some(before), Some(after)) if before.display != after.display => {
                Some(before.display.clone())
            }
            _ => None,
        };
        let old_functions = functions(old.as_ref());
        let change = match &new {
            Some(result) if pair.status == FileStatus::Unchanged => FileChange {
                status: pair.status,
                old_path,
                functions: functions(Some(result))
                    .iter()
                    .map(|unit| UnitChange {
                        status: UnitStatus::Unchanged,
                        before: Some(unit.clone()),
                        moved_from: None,
                    })
                    .collect(),
                removed_functions: Vec::new(),
            },
            None => FileChange {
                status: pair.status,
                old_path,
                functions: Vec::new(),
                removed_functions: old_functions.to_vec(),
            },
            // Not analysed (unreadable, skipped as minified, a syntax
            // error): nothing is known of its functions, so none is removed.
            Some(result) if result.outcome.is_err() => FileChange {
                status: pair.status,
                old_path,
                functions: Vec::new(),
                removed_functions: Vec::new(),
            },
            Some(result) => {
                let new_functions = functions(Some(result));
                let old_text = pair.old.as_ref().and_then(text).unwrap_or_default();
                let new_text = pair.new.as_ref().and_then(text).unwrap_or_default();
                let old_units = units::with_text(&old_text, old_functions);
                let new_units = units::with_text(&new_text, new_functions);
                let pairing = units::pair_units(&old_units, &new_units);
                FileChange {
                    status: pair.status,
                    old_path,
                    functions: pairing.changes,
                    removed_functions: pairing.removed,
                }
            }
        };
        let Some(result) = new.or_else(|| old.clone()) else {
            continue;
        };
        comparison.results.push(result);
        comparison.changes.push(change);
        comparison.base.push(old);
        let read = |file: Option<&SourceFile>| file.and_then(text).unwrap_or_default();
        texts.push((read(pair.old.as_ref()), read(pair.new.as_ref())));
    }
    moves::pair_moved_functions(&mut comparison, &texts);
    comparison
}

/// A version's functions (none when it is absent or was not analysed).
fn functions(result: Option<&FileResult>) -> &[FunctionUnit] {
    result
        .and_then(|r| r.outcome.as_ref().ok())
        .map_or(&[], |a| a.functions.as_slice())
}

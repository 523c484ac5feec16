//! Diff mode: what changed between two versions of the code, unit by unit.
//!
//! Pairs the functions of a file's old and new version (by qualified name,
//! then by text similarity for renamed or moved functions) and gives each a
//! status, so the gate can tell new and worsened violations from inherited ones.

pub mod files;
pub mod policy;
pub mod units;

use crate::model::FunctionUnit;

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
}

/// How a file changed between the base and the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    Added,
    Modified,
    /// Moved (with or without edits); the old path is in [`FileChange::old_path`].
    Renamed,
    Deleted,
}

impl FileStatus {
    /// The lowercase name used in JSON and text output.
    pub fn name(self) -> &'static str {
        match self {
            FileStatus::Added => "added",
            FileStatus::Modified => "modified",
            FileStatus::Renamed => "renamed",
            FileStatus::Deleted => "deleted",
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

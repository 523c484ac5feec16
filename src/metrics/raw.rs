//! Raw line counts of a file, with the fields of radon's `raw.analyze`.

use serde::{Deserialize, Serialize};

/// Line counts of one file (radon `Module` fields, same meaning).
///
/// `loc == sloc + blank + multi + single_comments` always holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawCounts {
    /// Lines as categorised (not re-read from the file).
    pub loc: u64,
    /// Logical lines of code.
    pub lloc: u64,
    /// Non-empty lines of code groups.
    pub sloc: u64,
    /// Number of comment tokens.
    pub comments: u64,
    /// Non-empty lines of multi-line bare string statements.
    pub multi: u64,
    /// Empty lines (including those inside strings and brackets).
    pub blank: u64,
    /// Comment-only lines plus one-line bare string statements.
    pub single_comments: u64,
}

//! The analysis result model shared by engine, cache, gate and renderers.
//!
//! Language-neutral: a file's metrics, its function and class units, or the
//! reason it could not be analysed.

use serde::{Deserialize, Serialize};

use crate::config::metric::Metric;
use crate::metrics::halstead::HalsteadReport;
use crate::metrics::raw::RawCounts;

/// A language antipasta analyses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    /// `.js .mjs .cjs .jsx`.
    JavaScript,
    /// `.ts .mts .cts .tsx` (TSX with its own grammar); declaration files
    /// (`.d.ts`, `.d.mts`, `.d.cts`) are not analysed.
    TypeScript,
}

impl Language {
    /// The language of a path, by its extension.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        match path.extension()?.to_str()? {
            "py" | "pyi" => Some(Language::Python),
            "js" | "mjs" | "cjs" | "jsx" => Some(Language::JavaScript),
            "ts" | "mts" | "cts" => {
                // Declaration files hold types only: nothing to measure.
                let stem = path.file_stem()?.to_str()?;
                (!stem.ends_with(".d")).then_some(Language::TypeScript)
            }
            "tsx" => Some(Language::TypeScript),
            _ => None,
        }
    }

    /// The lowercase name used in config files and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
        }
    }
}

/// File-level metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileMetrics {
    /// Raw line counts; `None` where radon's `raw` fails on the file (see
    /// `raw_unavailable`).
    pub raw: Option<RawCounts>,
    /// radon's module total (the maintainability index input).
    pub cyclomatic: u64,
    /// complexipy's file total.
    pub cognitive: u64,
    /// `None` with `raw`: the index is built on the line counts.
    pub maintainability_index: Option<f64>,
    pub maintainability_rank: Option<char>,
    pub halstead: HalsteadReport,
    /// Why `raw` and the maintainability index are missing (radon's own
    /// error, e.g. on a form feed inside a string); the other metrics are
    /// reported as the other references compute them (docs/metrics.md).
    pub raw_unavailable: Option<String>,
}

/// Whether a function unit is a plain function or a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FunctionKind {
    Function,
    Method,
}

/// Where a unit sits in its file (all 1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Line of the definition keyword (`def`, `async`, `class`); for
    /// JavaScript/TypeScript functions, where ESLint reports the unit.
    pub line: u32,
    /// First decorator line, or `line` when undecorated.
    pub start_line: u32,
    pub end_line: u32,
    /// Column of `line`'s position, in characters (UTF-16 code units for
    /// JavaScript/TypeScript, as ESLint counts).
    pub column: u32,
}

/// A text with the offset of each of its lines, so that the lines of many
/// spans are cut out of one file in time linear in the file.
#[derive(Debug, Clone)]
pub struct Lines<'s> {
    source: &'s str,
    /// Byte offset of each line's start (`\n`-separated lines).
    starts: Vec<usize>,
}

impl<'s> Lines<'s> {
    pub fn new(source: &'s str) -> Lines<'s> {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { source, starts }
    }

    /// Lines `start_line..=end_line` of the text, newlines included: the
    /// unit's text, compared to tell an unchanged unit from an edited one.
    pub fn of(&self, span: &Span) -> &'s str {
        let first = span.start_line.max(1) as usize - 1;
        let last = (span.end_line as usize).max(first + 1);
        let offset = |line: usize| self.starts.get(line).copied().unwrap_or(self.source.len());
        let (start, end) = (offset(first), offset(last));
        &self.source[start.min(end)..end]
    }
}

/// A function, method or nested function.
///
/// A metric is `None` where the reference tool reports nothing for the unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionUnit {
    pub name: String,
    pub qualified_name: String,
    pub kind: FunctionKind,
    pub span: Span,
    pub cyclomatic: Option<u64>,
    pub cognitive: Option<u64>,
    pub halstead: Option<HalsteadReport>,
    /// The inline markers that exempt this unit from some limits.
    pub suppressions: Vec<Suppression>,
}

/// A class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassUnit {
    pub name: String,
    pub qualified_name: String,
    pub span: Span,
    /// radon's reported class complexity (its method average rule).
    pub cyclomatic: Option<u64>,
}

/// Everything measured in one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub metrics: FileMetrics,
    pub functions: Vec<FunctionUnit>,
    pub classes: Vec<ClassUnit>,
    /// File-level markers (`ignore-file`): they exempt the file metrics.
    pub file_suppressions: Vec<Suppression>,
    /// Markers that cover nothing: next to no unit, or a file-level marker
    /// outside the first comment block.
    pub stray_suppressions: Vec<Suppression>,
}

impl Analysis {
    /// The index of the function `qualified_name` whose header is at `line`
    /// (how a violation names the function it is about).
    pub fn function_at(&self, qualified_name: &str, line: u32) -> Option<usize> {
        self.functions
            .iter()
            .position(|f| f.qualified_name == qualified_name && f.span.line == line)
    }
}

/// An inline marker that exempts a unit (or the file) from some limits:
/// the unit is still measured, but a violation it covers never fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// The marker as written (`# noqa: C901`, `// antipasta-ignore[cog]`),
    /// control characters replaced.
    pub marker: String,
    /// 1-based line of the comment holding the marker.
    pub line: u32,
    pub covers: Covers,
    /// The text after ` -- `, when given.
    pub reason: Option<String>,
    /// Whether `--report-unused-suppressions` checks it: antipasta's own
    /// markers and markers naming a complexity rule, not a bare `# noqa` or
    /// `eslint-disable` that may serve other linters.
    pub audited: bool,
}

impl Suppression {
    /// Whether the marker exempts `metric`.
    pub fn covers(&self, metric: Metric) -> bool {
        self.covers.contains(metric)
    }
}

/// The metrics a suppression exempts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Covers {
    /// Every metric (of the unit, or of the file for a file-level marker).
    All,
    Only(Vec<Metric>),
}

impl Covers {
    /// Whether `metric` is among the covered metrics.
    pub fn contains(&self, metric: Metric) -> bool {
        match self {
            Covers::All => true,
            Covers::Only(metrics) => metrics.contains(&metric),
        }
    }
}

/// The previous version of a file, whose unchanged functions keep their
/// numbers instead of being scored again (`diff`).
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// The previous version's text (BOM removed).
    pub source: String,
    pub functions: Vec<FunctionUnit>,
}

/// An analysis and how many of its functions took their numbers from a
/// [`Baseline`] instead of being scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub analysis: Analysis,
    pub reused: usize,
}

/// Why a file could not be analysed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AnalysisError {
    #[error("syntax error: {message}")]
    Syntax {
        message: String,
        line: u32,
        column: u32,
    },
    #[error("not valid UTF-8 (byte offset {offset})")]
    NotUtf8 {
        /// Of the first invalid byte, from the start of the text.
        offset: usize,
        /// 1-based line of that byte, and 1-based column in characters
        /// (the valid text before it on its line, plus one).
        line: u32,
        column: u32,
    },
    /// Not source code (a NUL byte: a binary or encrypted blob, such as
    /// git-crypt stores). Reported, but not a failure.
    #[error("skipped: binary file (contains a NUL byte), not source code")]
    Binary,
    /// A Git LFS pointer: the content lives outside the repository.
    /// Reported, but not a failure.
    #[error("skipped: a Git LFS pointer, not source code")]
    LfsPointer,
    #[error("nesting too deep: syntax tree depth exceeds {limit}")]
    TooDeep { limit: usize },
    #[error("cannot read: {message}")]
    Read { message: String },
    /// Not analysed on purpose: generated, minified code (see
    /// `lang::javascript::minified`). Reported, but not a failure.
    #[error("skipped: minified code (line {line} is {length} characters long)")]
    Minified { line: u32, length: usize },
    /// No thread with a stack for the tree's depth could be started.
    #[error("nesting too deep: no memory for a stack {depth} syntax tree levels deep")]
    NoStack { depth: usize },
}

impl AnalysisError {
    /// Whether the file counts as a failure (everything but a deliberate skip).
    pub fn is_failure(&self) -> bool {
        !matches!(
            self,
            AnalysisError::Minified { .. } | AnalysisError::Binary | AnalysisError::LfsPointer
        )
    }

    /// Invalid UTF-8 in `text`, whose first `valid_up_to` bytes are valid
    /// (as [`std::str::Utf8Error::valid_up_to`] says), located by line and column.
    pub fn not_utf8(text: &[u8], valid_up_to: usize) -> AnalysisError {
        let valid = &text[..valid_up_to.min(text.len())];
        let line_start = valid
            .iter()
            .rposition(|&byte| byte == b'\n')
            .map_or(0, |newline| newline + 1);
        let line = valid.iter().filter(|&&byte| byte == b'\n').count() + 1;
        // Valid UTF-8 by construction: count characters by their first bytes.
        let column = valid[line_start..]
            .iter()
            .filter(|&&byte| byte & 0xc0 != 0x80)
            .count()
            + 1;
        AnalysisError::NotUtf8 {
            offset: valid_up_to,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }

    /// The 1-based position the error points at, when it has one.
    pub fn position(&self) -> Option<(u32, u32)> {
        match self {
            AnalysisError::Syntax { line, column, .. }
            | AnalysisError::NotUtf8 { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}

/// The outcome for one file: where it is, what it is, what was measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileResult {
    /// Relative to the repository root (or the current directory), `/`-separated.
    pub path: String,
    pub language: Language,
    /// Git blob id (hex) of the analysed bytes.
    pub blob_id: String,
    pub outcome: Result<Analysis, AnalysisError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located_by_line_and_character_column() {
        // "été = '" is 7 characters in 9 bytes; 0xff follows.
        let text = b"a = 1\nb = 2\n\xc3\xa9t\xc3\xa9 = '\xff'\n";
        let error = AnalysisError::not_utf8(text, 21);
        assert_eq!(
            error,
            AnalysisError::NotUtf8 {
                offset: 21,
                line: 3,
                column: 8
            }
        );
        assert_eq!(error.position(), Some((3, 8)));
        assert_eq!(AnalysisError::not_utf8(b"\xff", 0).position(), Some((1, 1)));
    }
}

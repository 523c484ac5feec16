//! The JSON wire format (`schema_version` 1). Fields are only ever added.

use serde::Serialize;

#[derive(Serialize)]
pub struct Document<'a> {
    pub schema_version: u32,
    pub tool: Tool,
    pub files: Vec<File<'a>>,
    pub violations: Vec<Violation<'a>>,
    /// Violations inline markers exempt (never failing).
    pub suppressed: Vec<SuppressedViolation<'a>>,
    /// With `--report-unused-suppressions`: markers that hide nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unused_suppressions: Option<Vec<UnusedSuppression<'a>>>,
    pub summary: Summary,
}

#[derive(Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
pub struct File<'a> {
    pub path: &'a str,
    pub language: &'static str,
    pub blob_id: &'a str,
    /// `diff` only: added, modified, renamed or deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    /// `diff` only: the path in the base version of a renamed file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<&'a str>,
    pub error: Option<Error>,
    pub metrics: Option<FileMetrics>,
    pub functions: Vec<Function<'a>>,
    pub classes: Vec<Class<'a>>,
    /// File-metric violations inline markers exempt.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressed: Vec<Suppression<'a>>,
    /// `diff` only: functions of the base version that are gone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed_functions: Option<Vec<Function<'a>>>,
}

#[derive(Serialize)]
pub struct Error {
    pub message: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

#[derive(Serialize)]
pub struct FileMetrics {
    /// Absent where radon's `raw` fails on the file (`raw_unavailable`).
    #[serde(flatten)]
    pub lines: Option<LineCounts>,
    pub cyclomatic_complexity: u64,
    pub cognitive_complexity: u64,
    /// Absent with the line counts.
    #[serde(flatten)]
    pub maintainability: Option<Maintainability>,
    #[serde(flatten)]
    pub halstead: Halstead,
    /// Why the line counts and the maintainability index are absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_unavailable: Option<String>,
}

#[derive(Serialize)]
pub struct LineCounts {
    pub lines_of_code: u64,
    pub logical_lines_of_code: u64,
    pub source_lines_of_code: u64,
    pub comment_lines: u64,
    pub single_comment_lines: u64,
    pub multi_line_string_lines: u64,
    pub blank_lines: u64,
}

#[derive(Serialize)]
pub struct Maintainability {
    pub maintainability_index: f64,
    pub maintainability_rank: String,
}

#[derive(Serialize)]
pub struct Halstead {
    pub halstead_distinct_operators: u64,
    pub halstead_distinct_operands: u64,
    pub halstead_total_operators: u64,
    pub halstead_total_operands: u64,
    pub halstead_vocabulary: u64,
    pub halstead_length: u64,
    pub halstead_calculated_length: f64,
    pub halstead_volume: f64,
    pub halstead_difficulty: f64,
    pub halstead_effort: f64,
    pub halstead_time: f64,
    pub halstead_bugs: f64,
}

#[derive(Serialize)]
pub struct Function<'a> {
    pub name: &'a str,
    pub qualified_name: &'a str,
    pub kind: &'static str,
    pub line: u32,
    pub start_line: u32,
    pub end_line: u32,
    pub column: u32,
    pub metrics: FunctionMetrics,
    /// Violations of this function inline markers exempt.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressed: Vec<Suppression<'a>>,
    /// `diff` only: how the function changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change<'a>>,
}

#[derive(Serialize)]
pub struct Change<'a> {
    pub status: &'static str,
    /// The base version's metrics (`null` for an added function).
    pub before: Option<FunctionMetrics>,
    /// The base version's path, for a function moved from another file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<&'a str>,
}

#[derive(Serialize)]
pub struct FunctionMetrics {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cyclomatic_complexity: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cognitive_complexity: Option<u64>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub halstead: Option<Halstead>,
}

#[derive(Serialize)]
pub struct Class<'a> {
    pub name: &'a str,
    pub qualified_name: &'a str,
    pub line: u32,
    pub end_line: u32,
    pub column: u32,
    pub metrics: ClassMetrics,
}

#[derive(Serialize)]
pub struct ClassMetrics {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cyclomatic_complexity: Option<u64>,
}

#[derive(Serialize)]
pub struct Violation<'a> {
    pub path: &'a str,
    pub line: u32,
    pub column: u32,
    pub function: Option<&'a str>,
    pub metric: &'static str,
    pub value: f64,
    pub threshold: f64,
    pub comparison: &'static str,
    pub message: String,
    /// `diff` only: new, worsened or existing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<&'static str>,
    /// `diff` only: the value in the base version, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<f64>,
}

/// One exempted metric of a function or file, and the marker exempting it.
#[derive(Serialize)]
pub struct Suppression<'a> {
    pub metric: &'static str,
    pub value: f64,
    pub threshold: f64,
    /// The marker as written.
    pub marker: &'a str,
    /// The marker's line.
    pub line: u32,
    pub reason: Option<&'a str>,
}

/// A violation an inline marker exempts.
#[derive(Serialize)]
pub struct SuppressedViolation<'a> {
    #[serde(flatten)]
    pub violation: Violation<'a>,
    pub marker: &'a str,
    pub marker_line: u32,
    pub reason: Option<&'a str>,
}

/// A marker that hides nothing.
#[derive(Serialize)]
pub struct UnusedSuppression<'a> {
    pub path: &'a str,
    pub line: u32,
    pub marker: &'a str,
    pub reason: Option<&'a str>,
    pub message: String,
}

#[derive(Serialize)]
pub struct Summary {
    pub files: usize,
    pub functions: usize,
    pub violations: usize,
    pub files_with_violations: usize,
    pub errors: usize,
    pub cache_hits: usize,
    pub cache_misses: usize,
    pub units_scored: usize,
    pub suppressed: usize,
    pub unused_suppressions: usize,
}

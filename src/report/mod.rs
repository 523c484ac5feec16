//! Renderers: pure functions from results and violations to bytes.

pub mod json;
mod json_wire;
pub mod text;

use crate::diff::FileChange;
use crate::gate::Violation;
use crate::model::FileResult;

/// An output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable lines for a terminal.
    Text,
    /// The full results as one JSON document.
    Json,
}

/// Renders a report in `format`; `quiet` drops the text summary.
pub fn render(report: &Report, format: Format, quiet: bool) -> String {
    match format {
        Format::Text => text::render(report, quiet),
        Format::Json => json::render(report),
    }
}

/// Everything a renderer may show: the input of every output format.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// Analysed files in path order (for `diff`: the changed files).
    pub results: &'a [FileResult],
    /// `diff` only: the change of each file, parallel to `results`.
    pub changes: Option<&'a [FileChange]>,
    pub violations: &'a [Violation],
    pub summary: Summary,
}

/// Counts shown at the end of every report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub functions: usize,
    pub violations: usize,
    pub errors: usize,
    pub cache_hits: usize,
    pub cache_misses: usize,
    /// Functions whose metrics were computed in this run (not taken from
    /// the cache or reused from an unchanged base version).
    pub units_scored: usize,
}

impl Summary {
    pub fn of(results: &[FileResult], violations: &[Violation]) -> Summary {
        Summary {
            files: results.len(),
            functions: results
                .iter()
                .filter_map(|r| r.outcome.as_ref().ok())
                .map(|a| a.functions.len())
                .sum(),
            violations: violations.len(),
            errors: results
                .iter()
                .filter(|r| r.outcome.as_ref().is_err_and(|e| e.is_failure()))
                .count(),
            cache_hits: 0,
            cache_misses: 0,
            units_scored: 0,
        }
    }

    /// The same summary with the run's cache and scoring accounting.
    pub fn with_run(self, hits: usize, misses: usize, units_scored: usize) -> Summary {
        Summary {
            cache_hits: hits,
            cache_misses: misses,
            units_scored,
            ..self
        }
    }
}

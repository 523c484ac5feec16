//! Renderers: pure functions from results and violations to bytes.

pub mod csv;
#[cfg(test)]
mod fixture;
pub mod github;
pub mod json;
mod json_wire;
pub mod markdown;
pub mod sarif;
mod sarif_wire;
pub mod text;

use crate::diff::policy::FailOn;
use crate::diff::{FileChange, FileStatus, UnitChange};
use crate::gate::Violation;
use crate::model::{FileResult, FunctionUnit};

/// An output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable lines for a terminal.
    Text,
    /// The full results as one JSON document.
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// A Markdown summary (e.g. for $GITHUB_STEP_SUMMARY).
    Markdown,
    /// One CSV row per violation.
    Csv,
}

/// Renders a report in `format`; `quiet` drops the text summary.
pub fn render(report: &Report, format: Format, quiet: bool) -> String {
    match format {
        Format::Text => text::render(report, quiet),
        Format::Json => json::render(report),
        Format::Github => github::render(report),
        Format::Sarif => sarif::render(report),
        Format::Markdown => markdown::render(report),
        Format::Csv => csv::render(report),
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
    /// `diff` only: which violations fail the run. `None` (`check`): all do.
    pub fail_on: Option<FailOn>,
}

impl Report<'_> {
    /// Whether `violation` fails the run under the report's policy.
    pub fn fails(&self, violation: &Violation) -> bool {
        match (self.fail_on, violation.change) {
            (Some(policy), Some(change)) => policy.fails(change),
            _ => true,
        }
    }

    /// The function a violation is about (matched by path, qualified name
    /// and line), with its change in diff mode.
    pub fn function_of(
        &self,
        violation: &Violation,
    ) -> Option<(&FunctionUnit, Option<&UnitChange>)> {
        let name = violation.function.as_deref()?;
        let index = (0..self.results.len())
            .find(|&i| self.results[i].path == violation.path && !self.deleted(i))?;
        let analysis = self.results[index].outcome.as_ref().ok()?;
        let position = analysis
            .functions
            .iter()
            .position(|f| f.qualified_name == name && f.span.line == violation.line)?;
        let change = self
            .changes
            .and_then(|changes| changes.get(index))
            .and_then(|change| change.functions.get(position));
        Some((&analysis.functions[position], change))
    }

    /// The files that could not be analysed (in diff mode: of the target version).
    pub fn errors(&self) -> impl Iterator<Item = &FileResult> {
        self.results
            .iter()
            .enumerate()
            .filter(|(index, result)| result.outcome.is_err() && !self.deleted(*index))
            .map(|(_, result)| result)
    }

    /// Whether the file at `index` was deleted (its result is the base version).
    fn deleted(&self, index: usize) -> bool {
        self.changes
            .and_then(|changes| changes.get(index))
            .is_some_and(|change| change.status == FileStatus::Deleted)
    }
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

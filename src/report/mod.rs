//! Renderers: pure functions from results and violations to bytes.

pub mod csv;
pub mod escape;
#[cfg(test)]
mod fixture;
pub mod github;
pub mod json;
mod json_wire;
pub mod markdown;
pub mod sarif;
mod sarif_wire;
pub mod text;

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use crate::diff::policy::FailOn;
use crate::diff::{FileChange, FileStatus, UnitChange};
use crate::gate::suppress::{Suppressed, Unused};
use crate::gate::Violation;
use crate::model::{AnalysisError, FileResult, FunctionUnit};

/// An output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Writes a whole report in `format` to `out`; `quiet` drops the text summary.
pub fn write(
    report: &Report,
    format: Format,
    quiet: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    out.write_all(render(report, format, quiet).as_bytes())
}

/// A report written as results arrive: [`Streamed::file`] with each file's
/// own report, in path order, then [`Streamed::finish`] with the whole
/// run's. Text, GitHub commands and CSV are written file by file; the other
/// formats are documents, written whole by `finish`.
#[derive(Debug)]
pub struct Streamed {
    format: Format,
    quiet: bool,
    /// Whether the CSV header row is out.
    started: bool,
}

impl Streamed {
    pub fn new(format: Format, quiet: bool) -> Streamed {
        Streamed {
            format,
            quiet,
            started: false,
        }
    }

    /// Whether per-file reports are worth building: the format is written
    /// file by file.
    pub fn per_file(&self) -> bool {
        matches!(self.format, Format::Text | Format::Github | Format::Csv)
    }

    /// Writes one file's lines; `report` holds that file alone.
    pub fn file(&mut self, report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
        let lines = match self.format {
            Format::Text => text::body(report, self.quiet),
            Format::Github => github::body(report),
            Format::Csv => {
                let mut lines = self.start();
                lines.push_str(&csv::rows(report));
                lines
            }
            Format::Json | Format::Sarif | Format::Markdown => return Ok(()),
        };
        out.write_all(lines.as_bytes())
    }

    /// Writes what concerns the whole run (the summary, or the whole
    /// document); `report` holds every file.
    pub fn finish(&mut self, report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
        let lines = match self.format {
            Format::Text => text::footer(report, self.quiet),
            Format::Github => github::footer(report),
            Format::Csv => self.start(),
            Format::Json | Format::Sarif | Format::Markdown => {
                render(report, self.format, self.quiet)
            }
        };
        out.write_all(lines.as_bytes())?;
        out.flush()
    }

    /// The CSV header, the first time only.
    fn start(&mut self) -> String {
        if std::mem::replace(&mut self.started, true) {
            String::new()
        } else {
            csv::header()
        }
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
    /// The directory the paths are relative to (the repository root), for
    /// locating a file outside it by an absolute path (SARIF).
    pub root: Option<&'a Path>,
    /// Violations inline markers exempt: never failing.
    pub suppressed: &'a [Suppressed],
    /// With `--report-unused-suppressions`: the markers that hide nothing.
    pub unused_suppressions: Option<&'a [Unused]>,
    /// Text output lists the suppressed violations (`-v`).
    pub show_suppressed: bool,
    /// The current directory relative to `root` (`/`-separated, empty at
    /// the root): text output shows paths relative to it, so a terminal's
    /// jump-to-file works from a subdirectory. Machine formats keep
    /// repository-relative paths.
    pub cwd: Option<&'a str>,
}

impl Report<'_> {
    /// A result's path relative to the current directory ([`Report::cwd`]);
    /// an absolute path (a file outside the repository) as it is.
    pub fn shown_path<'p>(&self, path: &'p str) -> Cow<'p, str> {
        let Some(cwd) = self.cwd.filter(|cwd| !cwd.is_empty()) else {
            return Cow::Borrowed(path);
        };
        if Path::new(path).is_absolute() {
            return Cow::Borrowed(path);
        }
        let mut up = String::new();
        let mut dir = cwd;
        loop {
            if let Some(rest) = path.strip_prefix(dir).and_then(|r| r.strip_prefix('/')) {
                return Cow::Owned(format!("{up}{rest}"));
            }
            up.push_str("../");
            match dir.rsplit_once('/') {
                Some((parent, _)) => dir = parent,
                None => return Cow::Owned(format!("{up}{path}")),
            }
        }
    }

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
        let position = analysis.function_at(name, violation.line)?;
        let change = self
            .changes
            .and_then(|changes| changes.get(index))
            .and_then(|change| change.functions.get(position));
        Some((&analysis.functions[position], change))
    }

    /// The files that were not analysed, with the reason (in diff mode: of
    /// the target version): failures and deliberate skips alike.
    pub fn unanalysed(&self) -> impl Iterator<Item = (&FileResult, &AnalysisError)> {
        self.results
            .iter()
            .enumerate()
            .filter(|(index, _)| !self.deleted(*index))
            .filter_map(|(_, result)| Some((result, result.outcome.as_ref().err()?)))
    }

    /// The files that could not be analysed: the unanalysed ones that count
    /// as failures (a skipped minified file does not).
    pub fn errors(&self) -> impl Iterator<Item = (&FileResult, &AnalysisError)> {
        self.unanalysed().filter(|(_, err)| err.is_failure())
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
    /// Files with at least one violation.
    pub violating_files: usize,
    pub errors: usize,
    /// Files deliberately not judged (skipped as minified).
    pub skipped: usize,
    pub cache_hits: usize,
    pub cache_misses: usize,
    /// Functions whose metrics were computed in this run (not taken from
    /// the cache or reused from an unchanged base version).
    pub units_scored: usize,
    /// Violations inline markers exempt.
    pub suppressed: usize,
    /// Markers that hide nothing (with `--report-unused-suppressions`).
    pub unused_suppressions: usize,
}

impl Summary {
    /// Counts `results` (the analysed files) and `violations`.
    pub fn of<'r>(
        results: impl IntoIterator<Item = &'r FileResult>,
        violations: &[Violation],
    ) -> Summary {
        let mut summary = Summary {
            files: 0,
            functions: 0,
            violations: violations.len(),
            violating_files: violations
                .iter()
                .map(|v| v.path.as_str())
                .collect::<std::collections::HashSet<_>>()
                .len(),
            errors: 0,
            skipped: 0,
            cache_hits: 0,
            cache_misses: 0,
            units_scored: 0,
            suppressed: 0,
            unused_suppressions: 0,
        };
        for result in results {
            summary.files += 1;
            match &result.outcome {
                Ok(analysis) => summary.functions += analysis.functions.len(),
                Err(err) if err.is_failure() => summary.errors += 1,
                Err(_) => summary.skipped += 1,
            }
        }
        summary
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

    /// The same summary with the count of suppressed violations and of
    /// unused markers.
    pub fn with_suppressions(self, suppressed: usize, unused: usize) -> Summary {
        Summary {
            suppressed,
            unused_suppressions: unused,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::Fixture;
    use super::*;
    use crate::model::Language;

    /// Text paths are relative to the current directory: below it, beside
    /// it (`../`), or absolute when outside the repository.
    #[test]
    fn paths_are_shown_relative_to_the_current_directory() {
        let fixture = Fixture {
            results: Vec::new(),
            changes: None,
            violations: Vec::new(),
            fail_on: None,
            suppressed: Vec::new(),
            unused: None,
        };
        let mut report = fixture.report();
        assert_eq!(report.shown_path("src/a.py"), "src/a.py");
        report.cwd = Some("src");
        assert_eq!(report.shown_path("src/a.py"), "a.py");
        assert_eq!(report.shown_path("srcx/a.py"), "../srcx/a.py");
        report.cwd = Some("src/pkg");
        assert_eq!(report.shown_path("src/pkg/deep/a.py"), "deep/a.py");
        assert_eq!(report.shown_path("src/b.py"), "../b.py");
        assert_eq!(report.shown_path("tests/t.py"), "../../tests/t.py");
        assert_eq!(report.shown_path("/elsewhere/x.py"), "/elsewhere/x.py");
    }

    /// A skipped minified file is a note in text output and no error anywhere.
    #[test]
    fn a_skipped_file_is_a_note_not_an_error() {
        let fixture = Fixture {
            results: vec![FileResult {
                path: "dist/app.min.js".to_owned(),
                language: Language::JavaScript,
                blob_id: "0".repeat(40),
                outcome: Err(AnalysisError::Minified {
                    line: 1,
                    length: 5000,
                }),
            }],
            changes: None,
            violations: Vec::new(),
            fail_on: None,
            suppressed: Vec::new(),
            unused: None,
        };
        let report = fixture.report();
        assert_eq!(report.unanalysed().count(), 1);
        assert_eq!(report.errors().count(), 0);
        assert_eq!(report.summary.errors, 0);
        assert_eq!(github::render(&report), "");
        assert!(!markdown::render(&report).contains("could not be analysed"));
        let sarif: serde_json::Value =
            serde_json::from_str(&sarif::render(&report)).expect("SARIF is JSON");
        assert_eq!(
            sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"],
            serde_json::json!([])
        );
        assert_eq!(
            text::render(&report, true),
            "",
            "quiet text output leaves the note out"
        );
        // (Styles are ANSI sequences here; the CLI strips them for pipes.)
        let full = text::render(&report, false);
        assert!(full.contains("note"), "{full}");
        assert!(
            full.contains("skipped: minified code (line 1 is 5000 characters long)\n"),
            "{full}"
        );
        assert!(!full.contains("error"), "{full}");
    }
}

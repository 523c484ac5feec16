//! `--format text`: one line per violation or unreadable file, then a summary.
//! In diff mode, each changed file first lists its changed functions with deltas.
//! Suppressed violations follow (with `-v` only), then a warning per unused
//! suppression marker (with `--report-unused-suppressions`).
//!
//! Styles are embedded as ANSI sequences; the CLI writes through anstream,
//! which strips them for pipes, `NO_COLOR` and non-terminals. Paths, names
//! and messages are untrusted: their control characters are shown as
//! escapes ([`super::escape`]), so every line is one the renderer began.

use anstyle::{AnsiColor, Style};

use super::escape::{line_start_path, visible};
use super::{Report, Summary};
use crate::diff::{FileChange, FileStatus, UnitStatus};
use crate::gate::{format_value, Violation, ViolationChange};
use crate::model::{FileResult, FunctionUnit};

const PATH: Style = AnsiColor::Cyan.on_default().bold();
const METRIC: Style = AnsiColor::Red.on_default().bold();
const ERROR: Style = AnsiColor::Red.on_default().bold();
const ADDED: Style = AnsiColor::Green.on_default();
const REMOVED: Style = AnsiColor::Red.on_default();
const MODIFIED: Style = AnsiColor::Yellow.on_default();
const DIM: Style = Style::new().dimmed();
const NOTE: Style = AnsiColor::Yellow.on_default().bold();

/// Renders changes (diff mode), violations and file errors; the summary
/// line unless `quiet`.
pub fn render(report: &Report, quiet: bool) -> String {
    let mut out = body(report, quiet);
    out.push_str(&footer(report, quiet));
    out
}

/// The lines about the report's files: changes (diff mode), then file
/// errors and notes, then violations. Streamed output renders this for one
/// file at a time, then [`footer`] for the whole run.
pub fn body(report: &Report, quiet: bool) -> String {
    let mut out = String::new();
    if let (Some(changes), false) = (report.changes, quiet) {
        for (result, change) in report.results.iter().zip(changes) {
            file_changes(&mut out, report, result, change);
        }
    }
    for (result, err) in report.unanalysed() {
        if !err.is_failure() {
            // Deliberately skipped files are a note, and only in full output.
            if !quiet {
                out.push_str(&format!(
                    "{PATH}{}{PATH:#}: {NOTE}note{NOTE:#}: {}\n",
                    shown(report, &result.path),
                    visible(&err.to_string())
                ));
            }
            continue;
        }
        let (line, column) = err.position().unwrap_or((1, 1));
        out.push_str(&format!(
            "{PATH}{}{PATH:#}:{line}:{column}: {ERROR}error{ERROR:#}: {}\n",
            shown(report, &result.path),
            visible(&err.to_string())
        ));
    }
    for v in report.violations {
        if quiet && counted_only(report, v) {
            continue;
        }
        let subject = v
            .function
            .as_ref()
            .map(|name| format!(" in {}", visible(name)))
            .unwrap_or_default();
        let change = match (v.change, v.before) {
            (Some(ViolationChange::Existing), _) => format!(" {DIM}[existing]{DIM:#}"),
            (Some(ViolationChange::Worsened), Some(before)) => format!(
                " {METRIC}[worsened from {}]{METRIC:#}",
                format_value(before)
            ),
            (Some(change), _) => format!(" {METRIC}[{}]{METRIC:#}", change.name()),
            (None, _) => String::new(),
        };
        out.push_str(&format!(
            "{PATH}{}{PATH:#}:{}:{}: {METRIC}{}{METRIC:#} {} {DIM}(limit {} {}){DIM:#}{subject}{change}\n",
            shown(report, &v.path),
            v.line,
            v.column,
            v.metric,
            format_value(v.value),
            v.comparison.symbol(),
            format_value(v.threshold),
        ));
    }
    out
}

/// Quiet output only counts what was already there.
fn counted_only(report: &Report, v: &Violation) -> bool {
    v.change == Some(ViolationChange::Existing) && !report.fails(v)
}

/// The lines about the whole run: suppressed violations (`-v`), unused
/// markers, and the summary unless `quiet`.
pub fn footer(report: &Report, quiet: bool) -> String {
    let mut out = String::new();
    if report.show_suppressed {
        suppressed_lines(&mut out, report);
    }
    for unused in report.unused_suppressions.unwrap_or_default() {
        out.push_str(&format!(
            "{PATH}{}{PATH:#}:{}: {NOTE}warning{NOTE:#}: {}\n",
            shown(report, &unused.path),
            unused.suppression.line,
            visible(&unused.message())
        ));
    }
    let existing_not_listed = if quiet {
        report
            .violations
            .iter()
            .filter(|v| counted_only(report, v))
            .count()
    } else {
        0
    };
    if existing_not_listed > 0 {
        let plural = if existing_not_listed == 1 { "" } else { "s" };
        out.push_str(&format!(
            "{DIM}{existing_not_listed} existing violation{plural} in changed code, not failing (listed without -q){DIM:#}\n"
        ));
    }
    if !quiet {
        let failing = report.violations.iter().filter(|v| report.fails(v)).count();
        out.push_str(&summary_line(
            report.summary,
            report.changes.is_some(),
            failing,
        ));
    }
    out
}

/// A path as the text output shows it: relative to the current directory,
/// escaped, never starting a line with what reads as something else.
fn shown(report: &Report, path: &str) -> String {
    line_start_path(&report.shown_path(path)).into_owned()
}

/// One dimmed line per suppressed violation, naming the marker (`-v`).
fn suppressed_lines(out: &mut String, report: &Report) {
    for s in report.suppressed {
        let v = &s.violation;
        let subject = v
            .function
            .as_ref()
            .map(|name| format!(" in {}", visible(name)))
            .unwrap_or_default();
        let change = v
            .change
            .map(|change| format!(" [{}]", change.name()))
            .unwrap_or_default();
        let reason =
            s.by.reason
                .as_ref()
                .map(|reason| format!(": {}", visible(reason)))
                .unwrap_or_default();
        out.push_str(&format!(
            "{PATH}{}{PATH:#}:{}:{}: {DIM}{} {} (limit {} {}){subject}{change} [suppressed by '{}' on line {}{reason}]{DIM:#}\n",
            shown(report, &v.path),
            v.line,
            v.column,
            v.metric,
            format_value(v.value),
            v.comparison.symbol(),
            format_value(v.threshold),
            visible(&s.by.marker),
            s.by.line,
        ));
    }
}

/// `path (status)` and one line per added, modified or removed function.
fn file_changes(out: &mut String, report: &Report, result: &FileResult, change: &FileChange) {
    let heading = match (&change.old_path, change.status) {
        (Some(old), FileStatus::Renamed) => {
            format!("renamed from {}", visible(&report.shown_path(old)))
        }
        (_, FileStatus::Unchanged) => "unchanged by this change: judged whole".to_owned(),
        _ => change.status.name().to_owned(),
    };
    out.push_str(&format!(
        "{PATH}{}{PATH:#} {DIM}({heading}){DIM:#}\n",
        shown(report, &result.path)
    ));
    if let Ok(analysis) = &result.outcome {
        for (function, unit) in analysis.functions.iter().zip(&change.functions) {
            let (style, label) = match unit.status {
                UnitStatus::Unchanged => continue,
                UnitStatus::Added => (ADDED, "added"),
                UnitStatus::Modified => (MODIFIED, "modified"),
                UnitStatus::Removed => (REMOVED, "removed"),
            };
            let renamed = unit
                .before
                .as_ref()
                .filter(|before| before.qualified_name != function.qualified_name)
                .map(|before| format!(" {DIM}(was {}){DIM:#}", visible(&before.qualified_name)))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {style}{label:<8}{style:#} {}{renamed} {DIM}line {}{DIM:#}: {}\n",
                visible(&function.qualified_name),
                function.span.line,
                deltas(function, unit.before.as_ref()),
            ));
        }
    }
    for removed in &change.removed_functions {
        out.push_str(&format!(
            "  {REMOVED}{:<8}{REMOVED:#} {}\n",
            "removed",
            visible(&removed.qualified_name)
        ));
    }
}

/// `cyclomatic_complexity 8 → 12 (+4), cognitive_complexity 3` for the
/// function-level metrics the unit has.
fn deltas(after: &FunctionUnit, before: Option<&FunctionUnit>) -> String {
    let pairs = [
        (
            "cyclomatic_complexity",
            after.cyclomatic,
            before.and_then(|b| b.cyclomatic),
        ),
        (
            "cognitive_complexity",
            after.cognitive,
            before.and_then(|b| b.cognitive),
        ),
    ];
    pairs
        .iter()
        .filter_map(|(name, after, before)| {
            let after = (*after)?;
            Some(match before {
                Some(before) if *before != after => {
                    let delta = after as i64 - *before as i64;
                    format!("{name} {before} → {after} ({delta:+})")
                }
                _ => format!("{name} {after}"),
            })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn summary_line(s: Summary, diff: bool, failing: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let verdict = if failing == 0 && s.errors == 0 && s.unused_suppressions == 0 {
        "All checks passed"
    } else {
        "Found problems"
    };
    let scope = if diff { "changed " } else { "" };
    let mut violations = plural(s.violations, "violation");
    // In diff mode, violations the policy lets pass are counted apart.
    if failing < s.violations {
        violations.push_str(&format!(" ({failing} failing)"));
    }
    if s.suppressed > 0 {
        violations.push_str(&format!(" ({} suppressed)", s.suppressed));
    }
    if s.unused_suppressions > 0 {
        violations.push_str(&format!(
            ", {}",
            plural(s.unused_suppressions, "unused suppression")
        ));
    }
    // A file left unjudged is named in the summary, never silently counted as passing.
    let skipped = match s.skipped {
        0 => String::new(),
        n => format!(
            ", {} not judged (minified or not source)",
            plural(n, "file")
        ),
    };
    // "in M of K files": the files with violations, of those analysed.
    let files = plural(s.files, &format!("{scope}file"));
    let files = if s.violations == 0 {
        files
    } else {
        format!("{} of {files}", s.violating_files)
    };
    format!(
        "{verdict}: {} in {files}, {}, {} that could not be analysed{skipped}.\n",
        violations,
        plural(s.functions, "function"),
        plural(s.errors, "file")
    )
}

//! `--format text`: one line per violation or unreadable file, then a summary.
//! In diff mode, each changed file first lists its changed functions with deltas.
//!
//! Styles are embedded as ANSI sequences; the CLI writes through anstream,
//! which strips them for pipes, `NO_COLOR` and non-terminals. Paths, names
//! and messages are untrusted: their control characters are shown as
//! escapes ([`super::escape`]), so every line is one the renderer began.

use anstyle::{AnsiColor, Style};

use super::escape::{line_start_path, visible};
use super::{Report, Summary};
use crate::diff::{FileChange, FileStatus, UnitStatus};
use crate::gate::{format_value, ViolationChange};
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
    let mut out = String::new();
    if let (Some(changes), false) = (report.changes, quiet) {
        for (result, change) in report.results.iter().zip(changes) {
            file_changes(&mut out, result, change);
        }
    }
    for (result, err) in report.unanalysed() {
        if !err.is_failure() {
            // Deliberately skipped files are a note, and only in full output.
            if !quiet {
                out.push_str(&format!(
                    "{PATH}{}{PATH:#}: {NOTE}note{NOTE:#}: {}\n",
                    line_start_path(&result.path),
                    visible(&err.to_string())
                ));
            }
            continue;
        }
        let (line, column) = err.position().unwrap_or((1, 1));
        out.push_str(&format!(
            "{PATH}{}{PATH:#}:{line}:{column}: {ERROR}error{ERROR:#}: {}\n",
            line_start_path(&result.path),
            visible(&err.to_string())
        ));
    }
    for v in report.violations {
        let subject = v
            .function
            .as_ref()
            .map(|name| format!(" in {}", visible(name)))
            .unwrap_or_default();
        let change = match v.change {
            Some(ViolationChange::Existing) => format!(" {DIM}[existing]{DIM:#}"),
            Some(change) => format!(" {METRIC}[{}]{METRIC:#}", change.name()),
            None => String::new(),
        };
        out.push_str(&format!(
            "{PATH}{}{PATH:#}:{}:{}: {METRIC}{}{METRIC:#} {} {DIM}(limit {} {}){DIM:#}{subject}{change}\n",
            line_start_path(&v.path),
            v.line,
            v.column,
            v.metric,
            format_value(v.value),
            v.comparison.symbol(),
            format_value(v.threshold),
        ));
    }
    if !quiet {
        out.push_str(&summary_line(report.summary, report.changes.is_some()));
    }
    out
}

/// `path (status)` and one line per added, modified or removed function.
fn file_changes(out: &mut String, result: &FileResult, change: &FileChange) {
    let heading = match (&change.old_path, change.status) {
        (Some(old), FileStatus::Renamed) => format!("renamed from {}", visible(old)),
        _ => change.status.name().to_owned(),
    };
    out.push_str(&format!(
        "{PATH}{}{PATH:#} {DIM}({heading}){DIM:#}\n",
        line_start_path(&result.path)
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

fn summary_line(s: Summary, diff: bool) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let verdict = if s.violations == 0 && s.errors == 0 {
        "All checks passed"
    } else {
        "Found problems"
    };
    let scope = if diff { "changed " } else { "" };
    // A file left unjudged is named in the summary, never silently counted as passing.
    let skipped = match s.skipped {
        0 => String::new(),
        n => format!(
            ", {} not judged (minified or not source)",
            plural(n, "file")
        ),
    };
    format!(
        "{verdict}: {} in {}, {}, {} that could not be analysed{skipped}.\n",
        plural(s.violations, "violation"),
        plural(s.files, &format!("{scope}file")),
        plural(s.functions, "function"),
        plural(s.errors, "file")
    )
}

//! `--format text`: one line per violation or unreadable file, then a summary.
//!
//! Styles are embedded as ANSI sequences; the CLI writes through anstream,
//! which strips them for pipes, `NO_COLOR` and non-terminals.

use anstyle::{AnsiColor, Style};

use super::Summary;
use crate::gate::{format_value, Violation};
use crate::model::FileResult;

const PATH: Style = AnsiColor::Cyan.on_default().bold();
const METRIC: Style = AnsiColor::Red.on_default().bold();
const ERROR: Style = AnsiColor::Red.on_default().bold();
const DIM: Style = Style::new().dimmed();
const NOTE: Style = AnsiColor::Yellow.on_default().bold();

/// Renders the violations and file errors; the summary line unless `quiet`.
pub fn render(
    results: &[FileResult],
    violations: &[Violation],
    summary: Summary,
    quiet: bool,
) -> String {
    let mut out = String::new();
    for result in results {
        if let Err(err) = &result.outcome {
            if !err.is_failure() {
                // Deliberately skipped files are a note, and only in full output.
                if !quiet {
                    out.push_str(&format!(
                        "{PATH}{}{PATH:#}: {NOTE}note{NOTE:#}: {err}\n",
                        result.path
                    ));
                }
                continue;
            }
            let (line, column) = err.position().unwrap_or((1, 1));
            out.push_str(&format!(
                "{PATH}{}{PATH:#}:{line}:{column}: {ERROR}error{ERROR:#}: {err}\n",
                result.path
            ));
        }
    }
    for v in violations {
        let subject = v
            .function
            .as_ref()
            .map(|name| format!(" in {name}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{PATH}{}{PATH:#}:{}:{}: {METRIC}{}{METRIC:#} {} {DIM}(limit {} {}){DIM:#}{subject}\n",
            v.path,
            v.line,
            v.column,
            v.metric,
            format_value(v.value),
            v.comparison.symbol(),
            format_value(v.threshold),
        ));
    }
    if !quiet {
        out.push_str(&summary_line(summary));
    }
    out
}

fn summary_line(s: Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let verdict = if s.violations == 0 && s.errors == 0 {
        "All checks passed"
    } else {
        "Found problems"
    };
    format!(
        "{verdict}: {} in {}, {}, {} that could not be analysed.\n",
        plural(s.violations, "violation"),
        plural(s.files, "file"),
        plural(s.functions, "function"),
        plural(s.errors, "file")
    )
}

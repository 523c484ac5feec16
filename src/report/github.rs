//! `--format github`: GitHub Actions workflow commands, which the runner
//! turns into annotations on the pull request's changed lines.
//!
//! One command per violation, anchored at the function's header line
//! (`line`) through its last line (`endLine`), and one per file that could
//! not be analysed, and a warning per unused suppression marker (with
//! `--report-unused-suppressions`). Levels: a violation that fails the run is an `error`.
//! In diff mode, a new or worsened violation that `--fail-on` lets pass is a
//! `warning` and an existing one a `notice`: GitHub shows at most ten
//! annotations of each level per step, so inherited debt never crowds out
//! what fails the check (the Markdown summary lists everything).

use super::Report;
use crate::gate::{function_value, Violation, ViolationChange};

/// Renders one workflow command per line.
pub fn render(report: &Report) -> String {
    let mut out = body(report);
    out.push_str(&footer(report));
    out
}

/// The commands about the report's files: file errors, then violations
/// (streamed output renders this one file at a time).
pub fn body(report: &Report) -> String {
    let mut out = String::new();
    for (result, err) in report.errors() {
        let (line, column) = err.position().unwrap_or((1, 1));
        command(
            &mut out,
            "error",
            &[
                ("file", result.path.clone()),
                ("line", line.to_string()),
                ("col", column.to_string()),
                ("title", "antipasta: cannot analyse this file".to_owned()),
            ],
            &err.to_string(),
        );
    }
    for violation in report.violations {
        annotation(&mut out, report, violation);
    }
    out
}

/// The commands about the whole run: unused suppression markers.
pub fn footer(report: &Report) -> String {
    let mut out = String::new();
    for unused in report.unused_suppressions.unwrap_or_default() {
        command(
            &mut out,
            "warning",
            &[
                ("file", unused.path.clone()),
                ("line", unused.suppression.line.to_string()),
                ("title", "antipasta: unused suppression".to_owned()),
            ],
            &unused.message(),
        );
    }
    out
}

fn annotation(out: &mut String, report: &Report, violation: &Violation) {
    let level = match violation.change {
        _ if report.fails(violation) => "error",
        Some(ViolationChange::Existing) => "notice",
        _ => "warning",
    };
    let function = report.function_of(violation);
    let mut properties = vec![
        ("file", violation.path.clone()),
        ("line", violation.line.to_string()),
    ];
    if let Some((unit, _)) = function {
        properties.push(("endLine", unit.span.end_line.to_string()));
    }
    let title = match violation.change {
        Some(change) => format!("antipasta: {} ({})", violation.metric, change.name()),
        None => format!("antipasta: {}", violation.metric),
    };
    properties.push(("title", title));
    let before = function
        .and_then(|(_, change)| change?.before.as_ref())
        .and_then(|before| function_value(before, violation.metric))
        .filter(|_| violation.change == Some(ViolationChange::Worsened));
    let message = match before {
        Some(before) => format!(
            "{} (was {})",
            violation.message(),
            crate::gate::format_value(before)
        ),
        None => violation.message(),
    };
    command(out, level, &properties, &message);
}

/// `::level key=value,…::message`, escaped as the runner expects.
fn command(out: &mut String, level: &str, properties: &[(&str, String)], message: &str) {
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    out.push_str(&format!(
        "::{level} {}::{}\n",
        properties.join(","),
        escape_data(message)
    ));
}

/// The message after `::`: `%`, CR and LF are encoded.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as data, plus `:` and `,`, which delimit properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;

    #[test]
    fn check_report_annotations() {
        let fixture = fixture::check();
        assert_eq!(
            render(&fixture.report()),
            "::error file=pkg/broken.py,line=3,col=7,title=antipasta%3A cannot analyse this file::syntax error: unexpected indent%0Ahere\n\
             ::error file=pkg/a.py,line=1,title=antipasta%3A maintainability_index::maintainability_index 48.46 (limit >= 50)\n\
             ::error file=pkg/a.py,line=12,endLine=30,title=antipasta%3A cyclomatic_complexity::cyclomatic_complexity 14 (limit <= 10) in Parser.parse\n\
             ::error file=odd%2C 100%25%3A \"q\".py,line=1,endLine=3,title=antipasta%3A cyclomatic_complexity::cyclomatic_complexity 12 (limit <= 10) in f\n"
        );
    }

    #[test]
    fn diff_levels_follow_the_policy() {
        let fixture = fixture::diff();
        assert_eq!(
            render(&fixture.report()),
            "::error file=pkg/a.py,line=12,endLine=30,title=antipasta%3A cyclomatic_complexity (worsened)::cyclomatic_complexity 14 (limit <= 10) in Parser.parse (was 8)\n\
             ::error file=pkg/new.py,line=1,endLine=9,title=antipasta%3A cyclomatic_complexity (new)::cyclomatic_complexity 12 (limit <= 10) in fresh\n\
             ::notice file=pkg/old.py,line=3,endLine=40,title=antipasta%3A cyclomatic_complexity (existing)::cyclomatic_complexity 20 (limit <= 10) in legacy\n"
        );
        let mut only_new = fixture::diff();
        only_new.fail_on = Some(crate::diff::policy::FailOn::New);
        let levels: Vec<String> = render(&only_new.report())
            .lines()
            .map(|line| line.split(' ').next().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(levels, ["::warning", "::error", "::notice"]);
    }

    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(escape_data("50% a:b,c\r\n"), "50%25 a:b,c%0D%0A");
        assert_eq!(escape_property("50% a:b,c\r\n"), "50%25 a%3Ab%2Cc%0D%0A");
    }
}

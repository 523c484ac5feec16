//! `--format markdown`: a summary for people, e.g. appended to
//! `$GITHUB_STEP_SUMMARY`. It lists every violation (GitHub shows only ten
//! annotations per level and step): in diff mode those that fail first, then
//! those `--fail-on` lets pass, then the changed functions that got worst,
//! with deltas such as `8 → 12 (+4)`.

use super::Report;
use crate::config::metric::Metric;
use crate::diff::{UnitChange, UnitStatus};
use crate::gate::{format_value, function_value, Violation};
use crate::model::FunctionUnit;

/// How many changed functions the diff summary shows.
const WORST: usize = 10;

/// Renders the summary (GitHub-flavoured Markdown).
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let diff = report.changes.is_some();
    let failing: Vec<&Violation> = report
        .violations
        .iter()
        .filter(|v| report.fails(v))
        .collect();
    let passing: Vec<&Violation> = report
        .violations
        .iter()
        .filter(|v| !report.fails(v))
        .collect();
    let s = report.summary;
    let files = plural(s.files, if diff { "changed file" } else { "file" });
    let verdict = if failing.is_empty() && s.errors == 0 {
        "✅ antipasta: passed"
    } else {
        "❌ antipasta: failed"
    };
    out.push_str(&format!(
        "### {verdict}\n\n{} {}, {} {}, in {files} ({}).\n",
        plural(failing.len(), "violation"),
        if failing.len() == 1 { "fails" } else { "fail" },
        passing.len(),
        if passing.len() == 1 {
            "does not"
        } else {
            "do not"
        },
        plural(s.functions, "function"),
    ));
    errors(&mut out, report);
    let (fail_title, pass_title) = if diff {
        ("New or worsened violations", "Violations that do not fail")
    } else {
        ("Violations", "Violations that do not fail")
    };
    table(&mut out, report, fail_title, &failing);
    table(&mut out, report, pass_title, &passing);
    if diff {
        worst_changes(&mut out, report);
    }
    out
}

fn errors(out: &mut String, report: &Report) {
    let rows: Vec<String> = report
        .errors()
        .map(|(result, err)| {
            let line = err.position().map(|(line, _)| line).unwrap_or(1);
            format!(
                "| {}:{line} | {} |\n",
                cell(&result.path),
                cell(&err.to_string())
            )
        })
        .collect();
    if !rows.is_empty() {
        out.push_str(
            "\n#### Files that could not be analysed\n\n| Location | Error |\n|---|---|\n",
        );
        out.push_str(&rows.concat());
    }
}

fn table(out: &mut String, report: &Report, title: &str, violations: &[&Violation]) {
    if violations.is_empty() {
        return;
    }
    let diff = report.changes.is_some();
    out.push_str(&format!("\n#### {title}\n\n"));
    out.push_str(if diff {
        "| Change | Location | Function | Metric | Value | Limit |\n|---|---|---|---|---|---|\n"
    } else {
        "| Location | Function | Metric | Value | Limit |\n|---|---|---|---|---|\n"
    });
    for v in violations {
        let value = match report
            .function_of(v)
            .and_then(|(_, change)| before(change?, v.metric))
        {
            Some(before) if before != v.value => delta(before, v.value),
            _ => format_value(v.value),
        };
        if let Some(change) = v.change.filter(|_| diff) {
            out.push_str(&format!("| {} ", change.name()));
        }
        out.push_str(&format!(
            "| {}:{} | {} | {} | {value} | {} {} |\n",
            cell(&v.path),
            v.line,
            v.function
                .as_deref()
                .map(cell)
                .unwrap_or_else(|| "(file)".to_owned()),
            v.metric,
            cell(v.comparison.symbol()),
            format_value(v.threshold),
        ));
    }
}

/// The added and modified functions, largest increase first.
fn worst_changes(out: &mut String, report: &Report) {
    let mut changed: Vec<(&str, &FunctionUnit, &UnitChange)> = Vec::new();
    for (result, change) in report
        .results
        .iter()
        .zip(report.changes.unwrap_or_default())
    {
        if let Ok(analysis) = &result.outcome {
            for (unit, unit_change) in analysis.functions.iter().zip(&change.functions) {
                if matches!(unit_change.status, UnitStatus::Added | UnitStatus::Modified) {
                    changed.push((&result.path, unit, unit_change));
                }
            }
        }
    }
    if changed.is_empty() {
        return;
    }
    let increase = |unit: &FunctionUnit, change: &UnitChange, metric| {
        let after = function_value(unit, metric).unwrap_or_default();
        after - before(change, metric).unwrap_or_default()
    };
    changed.sort_by(|a, b| {
        let key = |(_, unit, change): &(&str, &FunctionUnit, &UnitChange)| {
            (
                increase(unit, change, Metric::CyclomaticComplexity),
                increase(unit, change, Metric::CognitiveComplexity),
            )
        };
        key(b)
            .partial_cmp(&key(a))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let shown = changed.len().min(WORST);
    out.push_str(&format!(
        "\n#### Changed functions, worst first ({shown} of {})\n\n\
         | Function | Location | Change | cyclomatic_complexity | cognitive_complexity |\n\
         |---|---|---|---|---|\n",
        changed.len()
    ));
    for (path, unit, change) in &changed[..shown] {
        let column = |metric| match (function_value(unit, metric), before(change, metric)) {
            (Some(after), Some(before)) if before != after => delta(before, after),
            (Some(after), _) => format_value(after),
            (None, _) => "–".to_owned(),
        };
        out.push_str(&format!(
            "| {} | {}:{} | {} | {} | {} |\n",
            cell(&unit.qualified_name),
            cell(path),
            unit.span.line,
            change.status.name(),
            column(Metric::CyclomaticComplexity),
            column(Metric::CognitiveComplexity),
        ));
    }
}

fn before(change: &UnitChange, metric: Metric) -> Option<f64> {
    function_value(change.before.as_ref()?, metric)
}

/// `8 → 12 (+4)`.
fn delta(before: f64, after: f64) -> String {
    let sign = if after >= before { "+" } else { "-" };
    format!(
        "{} → {} ({sign}{})",
        format_value(before),
        format_value(after),
        format_value((after - before).abs())
    )
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Text for a table cell: Markdown punctuation backslash-escaped, line
/// breaks as spaces.
fn cell(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;

    #[test]
    fn check_report_lists_every_violation() {
        let fixture = fixture::check();
        assert_eq!(
            render(&fixture.report()),
            "### ❌ antipasta: failed\n\n\
             3 violations fail, 0 do not, in 3 files (3 functions).\n\
             \n#### Files that could not be analysed\n\n\
             | Location | Error |\n|---|---|\n\
             | pkg/broken.py:3 | syntax error: unexpected indent here |\n\
             \n#### Violations\n\n\
             | Location | Function | Metric | Value | Limit |\n|---|---|---|---|---|\n\
             | pkg/a.py:1 | (file) | maintainability_index | 48.46 | \\>= 50 |\n\
             | pkg/a.py:12 | Parser.parse | cyclomatic_complexity | 14 | \\<= 10 |\n\
             | odd, 100%: \"q\".py:1 | f | cyclomatic_complexity | 12 | \\<= 10 |\n"
        );
    }

    #[test]
    fn diff_report_puts_failing_first_then_worst_changes() {
        let fixture = fixture::diff();
        assert_eq!(
            render(&fixture.report()),
            "### ❌ antipasta: failed\n\n\
             2 violations fail, 1 does not, in 4 changed files (5 functions).\n\
             \n#### New or worsened violations\n\n\
             | Change | Location | Function | Metric | Value | Limit |\n|---|---|---|---|---|---|\n\
             | worsened | pkg/a.py:12 | Parser.parse | cyclomatic_complexity | 8 → 14 (+6) | \\<= 10 |\n\
             | new | pkg/new.py:1 | fresh | cyclomatic_complexity | 12 | \\<= 10 |\n\
             \n#### Violations that do not fail\n\n\
             | Change | Location | Function | Metric | Value | Limit |\n|---|---|---|---|---|---|\n\
             | existing | pkg/old.py:3 | legacy | cyclomatic_complexity | 20 | \\<= 10 |\n\
             \n#### Changed functions, worst first (4 of 4)\n\n\
             | Function | Location | Change | cyclomatic_complexity | cognitive_complexity |\n\
             |---|---|---|---|---|\n\
             | fresh | pkg/new.py:1 | added | 12 | 6 |\n\
             | Parser.parse | pkg/a.py:12 | modified | 8 → 14 (+6) | 4 → 7 (+3) |\n\
             | legacy | pkg/old.py:3 | modified | 20 | 10 |\n\
             | tidy | pkg/a.py:50 | modified | 9 → 4 (-5) | 4 → 2 (-2) |\n"
        );
    }

    #[test]
    fn cells_escape_markdown() {
        assert_eq!(cell("a|b_c*d\ne"), "a\\|b\\_c\\*d e");
    }
}

//! `--format json`: the full results, one document.

use std::collections::HashMap;

use super::json_wire as wire;
use super::Report;
use crate::diff::{FileChange, UnitChange};
use crate::gate::suppress::Suppressed;
use crate::gate::Violation;
use crate::metrics::halstead::HalsteadReport;
use crate::model::{Analysis, FileResult, FunctionKind, FunctionUnit};

/// Renders the JSON document (with a trailing newline).
pub fn render(report: &Report) -> String {
    let summary = report.summary;
    let mut by_subject: BySubject = HashMap::new();
    for s in report.suppressed {
        let v = &s.violation;
        let line = if v.function.is_some() { v.line } else { 0 };
        by_subject
            .entry((v.path.as_str(), v.function.as_deref(), line))
            .or_default()
            .push(s);
    }
    let files = report
        .results
        .iter()
        .enumerate()
        .map(|(index, result)| {
            file(
                result,
                report.changes.map(|changes| &changes[index]),
                &by_subject,
            )
        })
        .collect();
    let document = wire::Document {
        schema_version: 1,
        tool: wire::Tool {
            name: "antipasta",
            version: env!("CARGO_PKG_VERSION"),
        },
        files,
        violations: report.violations.iter().map(violation).collect(),
        suppressed: report
            .suppressed
            .iter()
            .map(|s| wire::SuppressedViolation {
                violation: violation(&s.violation),
                marker: &s.by.marker,
                marker_line: s.by.line,
                reason: s.by.reason.as_deref(),
            })
            .collect(),
        unused_suppressions: report.unused_suppressions.map(|unused| {
            unused
                .iter()
                .map(|u| wire::UnusedSuppression {
                    path: &u.path,
                    line: u.suppression.line,
                    marker: &u.suppression.marker,
                    reason: u.suppression.reason.as_deref(),
                    message: u.message(),
                })
                .collect()
        }),
        summary: wire::Summary {
            files: summary.files,
            functions: summary.functions,
            violations: summary.violations,
            files_with_violations: summary.violating_files,
            errors: summary.errors,
            cache_hits: summary.cache_hits,
            cache_misses: summary.cache_misses,
            units_scored: summary.units_scored,
            suppressed: summary.suppressed,
            unused_suppressions: summary.unused_suppressions,
        },
    };
    let mut out = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}"));
    out.push('\n');
    out
}

/// Suppressed violations by path, function and its line (`None`, 0 for
/// the file's own metrics).
type BySubject<'a> = HashMap<(&'a str, Option<&'a str>, u32), Vec<&'a Suppressed>>;

fn file<'a>(
    result: &'a FileResult,
    change: Option<&'a FileChange>,
    suppressed: &BySubject<'a>,
) -> wire::File<'a> {
    let mine = |function: Option<&FunctionUnit>| -> Vec<wire::Suppression<'a>> {
        let key = (
            result.path.as_str(),
            function.map(|f| f.qualified_name.as_str()),
            function.map_or(0, |f| f.span.line),
        );
        suppressed
            .get(&key)
            .into_iter()
            .flatten()
            .map(|s| wire::Suppression {
                metric: s.violation.metric.name(),
                value: s.violation.value,
                threshold: s.violation.threshold,
                marker: &s.by.marker,
                line: s.by.line,
                reason: s.by.reason.as_deref(),
            })
            .collect()
    };
    let (error, analysis) = match &result.outcome {
        Ok(analysis) => (None, Some(analysis)),
        Err(err) => {
            let position = err.position();
            let error = wire::Error {
                message: err.to_string(),
                line: position.map(|p| p.0),
                column: position.map(|p| p.1),
            };
            (Some(error), None)
        }
    };
    let unit_changes = change.map(|c| c.functions.as_slice()).unwrap_or_default();
    wire::File {
        path: &result.path,
        language: result.language.name(),
        blob_id: &result.blob_id,
        status: change.map(|c| c.status.name()),
        old_path: change.and_then(|c| c.old_path.as_deref()),
        error,
        metrics: analysis.map(file_metrics),
        functions: analysis
            .map(|a| {
                let mut listed = functions(a, unit_changes);
                for (entry, unit) in listed.iter_mut().zip(&a.functions) {
                    entry.suppressed = mine(Some(unit));
                }
                listed
            })
            .unwrap_or_default(),
        classes: analysis.map(classes).unwrap_or_default(),
        suppressed: if analysis.is_some() {
            mine(None)
        } else {
            Vec::new()
        },
        removed_functions: change.map(|c| c.removed_functions.iter().map(function).collect()),
    }
}

fn file_metrics(analysis: &Analysis) -> wire::FileMetrics {
    let m = &analysis.metrics;
    wire::FileMetrics {
        lines: m.raw.as_ref().map(|raw| wire::LineCounts {
            lines_of_code: raw.loc,
            logical_lines_of_code: raw.lloc,
            source_lines_of_code: raw.sloc,
            comment_lines: raw.comments,
            single_comment_lines: raw.single_comments,
            multi_line_string_lines: raw.multi,
            blank_lines: raw.blank,
        }),
        cyclomatic_complexity: m.cyclomatic,
        cognitive_complexity: m.cognitive,
        maintainability: m.maintainability_index.zip(m.maintainability_rank).map(
            |(index, rank)| wire::Maintainability {
                maintainability_index: index,
                maintainability_rank: rank.to_string(),
            },
        ),
        halstead: halstead(&m.halstead),
        raw_unavailable: m.raw_unavailable.clone(),
    }
}

fn halstead(h: &HalsteadReport) -> wire::Halstead {
    wire::Halstead {
        halstead_distinct_operators: h.counts.distinct_operators,
        halstead_distinct_operands: h.counts.distinct_operands,
        halstead_total_operators: h.counts.total_operators,
        halstead_total_operands: h.counts.total_operands,
        halstead_vocabulary: h.vocabulary,
        halstead_length: h.length,
        halstead_calculated_length: h.calculated_length,
        halstead_volume: h.volume,
        halstead_difficulty: h.difficulty,
        halstead_effort: h.effort,
        halstead_time: h.time,
        halstead_bugs: h.bugs,
    }
}

/// The file's functions, each with its change when `changes` has one.
fn functions<'a>(analysis: &'a Analysis, changes: &'a [UnitChange]) -> Vec<wire::Function<'a>> {
    analysis
        .functions
        .iter()
        .enumerate()
        .map(|(index, f)| wire::Function {
            change: changes.get(index).map(|change| wire::Change {
                status: change.status.name(),
                before: change.before.as_ref().map(function_metrics),
                moved_from: change.moved_from.as_deref(),
            }),
            ..function(f)
        })
        .collect()
}

fn function(f: &FunctionUnit) -> wire::Function<'_> {
    wire::Function {
        name: &f.name,
        qualified_name: &f.qualified_name,
        kind: match f.kind {
            FunctionKind::Function => "function",
            FunctionKind::Method => "method",
        },
        line: f.span.line,
        start_line: f.span.start_line,
        end_line: f.span.end_line,
        column: f.span.column,
        metrics: function_metrics(f),
        suppressed: Vec::new(),
        change: None,
    }
}

fn function_metrics(f: &FunctionUnit) -> wire::FunctionMetrics {
    wire::FunctionMetrics {
        cyclomatic_complexity: f.cyclomatic,
        cognitive_complexity: f.cognitive,
        halstead: f.halstead.as_ref().map(halstead),
    }
}

fn classes(analysis: &Analysis) -> Vec<wire::Class<'_>> {
    analysis
        .classes
        .iter()
        .map(|c| wire::Class {
            name: &c.name,
            qualified_name: &c.qualified_name,
            line: c.span.line,
            end_line: c.span.end_line,
            column: c.span.column,
            metrics: wire::ClassMetrics {
                cyclomatic_complexity: c.cyclomatic,
            },
        })
        .collect()
}

fn violation(v: &Violation) -> wire::Violation<'_> {
    wire::Violation {
        path: &v.path,
        line: v.line,
        column: v.column,
        function: v.function.as_deref(),
        metric: v.metric.name(),
        value: v.value,
        threshold: v.threshold,
        comparison: v.comparison.symbol(),
        message: v.message(),
        change: v.change.map(|c| c.name()),
        before: v.before,
    }
}

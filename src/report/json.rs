//! `--format json`: the full results, one document.

use super::json_wire as wire;
use super::Report;
use crate::diff::{FileChange, UnitChange};
use crate::gate::Violation;
use crate::metrics::halstead::HalsteadReport;
use crate::model::{Analysis, FileResult, FunctionKind, FunctionUnit};

/// Renders the JSON document (with a trailing newline).
pub fn render(report: &Report) -> String {
    let summary = report.summary;
    let files = report
        .results
        .iter()
        .enumerate()
        .map(|(index, result)| file(result, report.changes.map(|changes| &changes[index])))
        .collect();
    let document = wire::Document {
        schema_version: 1,
        tool: wire::Tool {
            name: "antipasta",
            version: env!("CARGO_PKG_VERSION"),
        },
        files,
        violations: report.violations.iter().map(violation).collect(),
        summary: wire::Summary {
            files: summary.files,
            functions: summary.functions,
            violations: summary.violations,
            errors: summary.errors,
            cache_hits: summary.cache_hits,
            cache_misses: summary.cache_misses,
            units_scored: summary.units_scored,
        },
    };
    let mut out = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}"));
    out.push('\n');
    out
}

fn file<'a>(result: &'a FileResult, change: Option<&'a FileChange>) -> wire::File<'a> {
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
            .map(|a| functions(a, unit_changes))
            .unwrap_or_default(),
        classes: analysis.map(classes).unwrap_or_default(),
        removed_functions: change.map(|c| c.removed_functions.iter().map(function).collect()),
    }
}

fn file_metrics(analysis: &Analysis) -> wire::FileMetrics {
    let m = &analysis.metrics;
    wire::FileMetrics {
        lines_of_code: m.raw.loc,
        logical_lines_of_code: m.raw.lloc,
        source_lines_of_code: m.raw.sloc,
        comment_lines: m.raw.comments,
        single_comment_lines: m.raw.single_comments,
        multi_line_string_lines: m.raw.multi,
        blank_lines: m.raw.blank,
        cyclomatic_complexity: m.cyclomatic,
        cognitive_complexity: m.cognitive,
        maintainability_index: m.maintainability_index,
        maintainability_rank: m.maintainability_rank.to_string(),
        halstead: halstead(&m.halstead),
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
    }
}

//! The gate: compares measured values with the configured thresholds.

pub mod suppress;

use crate::config::metric::{Comparison, Metric, Scope, Threshold};
use crate::config::Settings;
use crate::model::{FileMetrics, FileResult, FunctionUnit};

/// One threshold a unit or file does not meet.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub path: String,
    pub line: u32,
    pub column: u32,
    /// Qualified name of the function, or `None` for a file-level metric.
    pub function: Option<String>,
    pub metric: Metric,
    pub value: f64,
    pub threshold: f64,
    pub comparison: Comparison,
    /// Diff mode: how the violation relates to the base version.
    pub change: Option<ViolationChange>,
    /// Diff mode: the value in the base version (of the paired function,
    /// or of the file for a file metric), when there was one.
    pub before: Option<f64>,
}

/// How a violation found by `diff` relates to the base version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViolationChange {
    /// In a unit (or file) that is new.
    New,
    /// In a modified unit whose value got worse or newly crossed the threshold.
    Worsened,
    /// Already there, and no worse, in the base version.
    Existing,
}

impl ViolationChange {
    /// The lowercase name used in JSON and text output.
    pub fn name(self) -> &'static str {
        match self {
            ViolationChange::New => "new",
            ViolationChange::Worsened => "worsened",
            ViolationChange::Existing => "existing",
        }
    }
}

impl Violation {
    /// `cyclomatic_complexity 12 (limit <= 10) in Outer.method`.
    pub fn message(&self) -> String {
        let subject = match &self.function {
            Some(name) => format!(" in {name}"),
            None => String::new(),
        };
        format!(
            "{} {} (limit {} {}){subject}",
            self.metric,
            format_value(self.value),
            self.comparison.symbol(),
            format_value(self.threshold)
        )
    }
}

/// Integers without decimals, other values to two places.
pub fn format_value(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value:.2}")
    }
}

/// Every violation in the results, ordered by path, then line, then
/// metric. Each file is judged by the thresholds of its path and language
/// (per-path `[[overrides]]` included).
pub fn evaluate<'r>(
    results: impl IntoIterator<Item = &'r FileResult>,
    settings: &Settings,
) -> Vec<Violation> {
    let mut violations = Vec::new();
    for result in results {
        let Ok(analysis) = &result.outcome else {
            continue;
        };
        for threshold in settings.thresholds_at(&result.path, result.language).iter() {
            match threshold.metric.scope() {
                Scope::File => {
                    if let Some(value) = file_value(&analysis.metrics, threshold.metric) {
                        check(&mut violations, result, None, 1, 1, value, threshold);
                    }
                }
                Scope::Function => {
                    for function in &analysis.functions {
                        if let Some(value) = function_value(function, threshold.metric) {
                            let span = function.span;
                            let name = Some(function.qualified_name.clone());
                            check(
                                &mut violations,
                                result,
                                name,
                                span.line,
                                span.column,
                                value,
                                threshold,
                            );
                        }
                    }
                }
            }
        }
    }
    violations.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.metric).cmp(&(&b.path, b.line, b.column, b.metric))
    });
    violations
}

fn check(
    out: &mut Vec<Violation>,
    result: &FileResult,
    function: Option<String>,
    line: u32,
    column: u32,
    value: f64,
    threshold: &Threshold,
) {
    if !threshold.comparison.holds(value, threshold.value) {
        out.push(Violation {
            path: result.path.clone(),
            line,
            column,
            function,
            metric: threshold.metric,
            value,
            threshold: threshold.value,
            comparison: threshold.comparison,
            change: None,
            before: None,
        });
    }
}

/// A file-level metric's value.
pub fn file_value(metrics: &FileMetrics, metric: Metric) -> Option<f64> {
    let raw = || metrics.raw.as_ref();
    Some(match metric {
        Metric::CyclomaticComplexity => metrics.cyclomatic as f64,
        Metric::CognitiveComplexity => metrics.cognitive as f64,
        // Not judged where the reference cannot compute it (raw_unavailable).
        Metric::MaintainabilityIndex => metrics.maintainability_index?,
        Metric::HalsteadVolume => metrics.halstead.volume,
        Metric::HalsteadDifficulty => metrics.halstead.difficulty,
        Metric::HalsteadEffort => metrics.halstead.effort,
        Metric::HalsteadTime => metrics.halstead.time,
        Metric::HalsteadBugs => metrics.halstead.bugs,
        Metric::LinesOfCode => raw()?.loc as f64,
        Metric::LogicalLinesOfCode => raw()?.lloc as f64,
        Metric::SourceLinesOfCode => raw()?.sloc as f64,
        Metric::CommentLines => raw()?.comments as f64,
        Metric::BlankLines => raw()?.blank as f64,
    })
}

/// A function-level metric's value, when the reference tool reports one.
pub fn function_value(function: &FunctionUnit, metric: Metric) -> Option<f64> {
    match metric {
        Metric::CyclomaticComplexity => function.cyclomatic.map(|v| v as f64),
        Metric::CognitiveComplexity => function.cognitive.map(|v| v as f64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_format_like_the_user_wrote_them() {
        assert_eq!(format_value(12.0), "12");
        assert_eq!(format_value(48.456), "48.46");
    }
}

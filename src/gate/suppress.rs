//! Inline suppressions in the gate: a violation a marker covers is set
//! aside as suppressed (shown, counted, never failing), and markers that
//! hide nothing can be listed (`--report-unused-suppressions`).

use std::collections::{HashMap, HashSet};

use super::Violation;
use crate::model::{Analysis, Covers, FileResult, FunctionUnit, Suppression};

/// A violation an inline marker exempts.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppressed {
    pub violation: Violation,
    pub by: Suppression,
}

/// A marker that hides nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Unused {
    pub path: String,
    pub suppression: Suppression,
    pub why: Unneeded,
}

/// Why a marker is unused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unneeded {
    /// It stands next to no function (or, for a file-level marker, outside
    /// the first comment block).
    CoversNothing,
    /// The units it covers meet the limits of the metrics it names.
    NothingToHide,
    /// Its list names no metric antipasta knows.
    NamesNoMetric,
}

impl Unused {
    /// `unused suppression '# noqa: C901': no violation to hide`.
    pub fn message(&self) -> String {
        let why = match self.why {
            Unneeded::CoversNothing => "it is next to no function it could cover",
            Unneeded::NothingToHide => "no violation to hide",
            Unneeded::NamesNoMetric => "it names no metric antipasta knows",
        };
        format!("unused suppression '{}': {why}", self.suppression.marker)
    }
}

/// Splits `violations` into those that stand and those a marker in
/// `results` suppresses.
pub fn set_aside<'r>(
    violations: Vec<Violation>,
    results: impl IntoIterator<Item = &'r FileResult>,
) -> (Vec<Violation>, Vec<Suppressed>) {
    let analyses: HashMap<&str, &Analysis> = results
        .into_iter()
        .filter_map(|r| Some((r.path.as_str(), r.outcome.as_ref().ok()?)))
        .collect();
    let functions: HashMap<(&str, &str, u32), &FunctionUnit> = analyses
        .iter()
        .flat_map(|(path, analysis)| {
            analysis
                .functions
                .iter()
                .map(move |f| ((*path, f.qualified_name.as_str(), f.span.line), f))
        })
        .collect();
    let mut standing = Vec::new();
    let mut suppressed = Vec::new();
    for violation in violations {
        let function = violation.function.as_deref().and_then(|name| {
            functions
                .get(&(violation.path.as_str(), name, violation.line))
                .copied()
        });
        let marker = analyses
            .get(violation.path.as_str())
            .and_then(|analysis| covering(analysis, function, &violation));
        match marker {
            Some(by) => suppressed.push(Suppressed {
                violation,
                by: by.clone(),
            }),
            None => standing.push(violation),
        }
    }
    (standing, suppressed)
}

/// The marker that covers a violation: the function's own markers, or a
/// file-level marker (which covers function metrics only when it names them).
fn covering<'a>(
    analysis: &'a Analysis,
    function: Option<&'a FunctionUnit>,
    violation: &Violation,
) -> Option<&'a Suppression> {
    let metric = violation.metric;
    if violation.function.is_none() {
        return analysis.file_suppressions.iter().find(|s| s.covers(metric));
    }
    let own = function.and_then(|f| f.suppressions.iter().find(|s| s.covers(metric)));
    own.or_else(|| {
        analysis
            .file_suppressions
            .iter()
            .find(|s| matches!(&s.covers, Covers::Only(metrics) if metrics.contains(&metric)))
    })
}

/// Keeps the suppressed violations whose violation `classify` keeps (the
/// diff policy: only changed units), with the change it gives them.
pub fn reclassify(
    suppressed: Vec<Suppressed>,
    classify: impl FnOnce(Vec<Violation>) -> Vec<Violation>,
) -> Vec<Suppressed> {
    let key = |v: &Violation| {
        (
            v.path.clone(),
            v.line,
            v.column,
            v.metric,
            v.function.clone(),
        )
    };
    let mut markers: HashMap<_, Suppression> = suppressed
        .iter()
        .map(|s| (key(&s.violation), s.by.clone()))
        .collect();
    let violations = suppressed.into_iter().map(|s| s.violation).collect();
    classify(violations)
        .into_iter()
        .filter_map(|violation| {
            let by = markers.remove(&key(&violation))?;
            Some(Suppressed { violation, by })
        })
        .collect()
}

/// The audited markers in `results` that hide none of `suppressed`.
/// `considered(file index, function index)` limits the search (in diff
/// mode, to changed functions); `None` stands for file-level and stray
/// markers.
pub fn unused(
    results: &[FileResult],
    suppressed: &[Suppressed],
    considered: impl Fn(usize, Option<usize>) -> bool,
) -> Vec<Unused> {
    let hiding: HashSet<(&str, u32, &str)> = suppressed
        .iter()
        .map(|s| (s.violation.path.as_str(), s.by.line, s.by.marker.as_str()))
        .collect();
    let mut found = Vec::new();
    for (file, result) in results.iter().enumerate() {
        let Ok(analysis) = &result.outcome else {
            continue;
        };
        let mut seen: HashSet<(u32, String)> = HashSet::new();
        let mut report = |suppression: &Suppression, why: Unneeded| {
            let (line, marker) = (suppression.line, suppression.marker.as_str());
            let hides = hiding.contains(&(result.path.as_str(), line, marker));
            if suppression.audited && !hides && seen.insert((line, marker.to_owned())) {
                let names_nothing = matches!(&suppression.covers, Covers::Only(m) if m.is_empty());
                found.push(Unused {
                    path: result.path.clone(),
                    suppression: suppression.clone(),
                    why: if names_nothing {
                        Unneeded::NamesNoMetric
                    } else {
                        why
                    },
                });
            }
        };
        for (index, function) in analysis.functions.iter().enumerate() {
            if considered(file, Some(index)) {
                for suppression in &function.suppressions {
                    report(suppression, Unneeded::NothingToHide);
                }
            }
        }
        if considered(file, None) {
            for suppression in &analysis.file_suppressions {
                report(suppression, Unneeded::NothingToHide);
            }
            for suppression in &analysis.stray_suppressions {
                report(suppression, Unneeded::CoversNothing);
            }
        }
    }
    found.sort_by(|a, b| (&a.path, a.suppression.line).cmp(&(&b.path, b.suppression.line)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::metric::{Comparison, Metric};
    use crate::model::{FileMetrics, FunctionKind, Language, Span};

    fn marker(text: &str, line: u32, covers: Covers) -> Suppression {
        Suppression {
            marker: text.to_owned(),
            line,
            covers,
            reason: None,
            audited: true,
        }
    }

    fn function(name: &str, line: u32, suppressions: Vec<Suppression>) -> FunctionUnit {
        FunctionUnit {
            name: name.to_owned(),
            qualified_name: name.to_owned(),
            kind: FunctionKind::Function,
            span: Span {
                line,
                start_line: line,
                end_line: line + 1,
                column: 1,
            },
            cyclomatic: Some(2),
            cognitive: Some(1),
            halstead: None,
            suppressions,
        }
    }

    fn result(functions: Vec<FunctionUnit>, file: Vec<Suppression>) -> FileResult {
        FileResult {
            path: "a.py".to_owned(),
            language: Language::Python,
            blob_id: "0".repeat(40),
            outcome: Ok(Analysis {
                metrics: FileMetrics {
                    raw: Some(Default::default()),
                    cyclomatic: 4,
                    cognitive: 2,
                    maintainability_index: Some(40.0),
                    maintainability_rank: Some('B'),
                    halstead: Default::default(),
                    raw_unavailable: None,
                },
                functions,
                classes: Vec::new(),
                file_suppressions: file,
                stray_suppressions: vec![marker("# antipasta: ignore", 9, Covers::All)],
            }),
        }
    }

    fn violation(function: Option<&str>, line: u32, metric: Metric) -> Violation {
        Violation {
            path: "a.py".to_owned(),
            line,
            column: 1,
            function: function.map(str::to_owned),
            metric,
            value: 2.0,
            threshold: 1.0,
            comparison: Comparison::Le,
            change: None,
            before: None,
        }
    }

    #[test]
    fn markers_set_violations_aside_and_unused_ones_are_found() {
        let noqa = marker(
            "# noqa: C901",
            1,
            Covers::Only(vec![Metric::CyclomaticComplexity]),
        );
        let cog = marker(
            "# antipasta: ignore[cog]",
            4,
            Covers::Only(vec![Metric::CognitiveComplexity]),
        );
        let file = marker("# antipasta: ignore-file", 1, Covers::All);
        let results = vec![result(
            vec![
                function("f", 1, vec![noqa.clone()]),
                function("g", 5, vec![cog]),
            ],
            vec![file.clone()],
        )];
        let (standing, suppressed) = set_aside(
            vec![
                violation(None, 1, Metric::MaintainabilityIndex),
                violation(Some("f"), 1, Metric::CyclomaticComplexity),
                violation(Some("f"), 1, Metric::CognitiveComplexity),
            ],
            &results,
        );
        // The file marker covers file metrics only; noqa covers f's cyclomatic.
        assert_eq!(
            standing,
            [violation(Some("f"), 1, Metric::CognitiveComplexity)]
        );
        let by: Vec<&str> = suppressed.iter().map(|s| s.by.marker.as_str()).collect();
        assert_eq!(by, ["# antipasta: ignore-file", "# noqa: C901"]);

        let unused_markers = |considered: &dyn Fn(usize, Option<usize>) -> bool| {
            unused(&results, &suppressed, considered)
                .into_iter()
                .map(|u| (u.suppression.line, u.why))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            unused_markers(&|_, _| true),
            [(4, Unneeded::NothingToHide), (9, Unneeded::CoversNothing)]
        );
        // Diff mode: only the markers of the functions (and files) considered.
        assert_eq!(
            unused_markers(&|_, unit| unit == Some(1)),
            [(4, Unneeded::NothingToHide)]
        );
    }

    #[test]
    fn reclassified_suppressions_keep_their_marker() {
        let by = marker("# noqa: C901", 1, Covers::All);
        let suppressed = vec![
            Suppressed {
                violation: violation(Some("f"), 1, Metric::CyclomaticComplexity),
                by: by.clone(),
            },
            Suppressed {
                violation: violation(Some("g"), 5, Metric::CyclomaticComplexity),
                by: marker("# noqa: C901", 5, Covers::All),
            },
        ];
        // A policy that keeps f's violation only, marked new.
        let kept = reclassify(suppressed, |violations| {
            violations
                .into_iter()
                .filter(|v| v.function.as_deref() == Some("f"))
                .map(|v| Violation {
                    change: Some(super::super::ViolationChange::New),
                    ..v
                })
                .collect()
        });
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].by, by);
        assert_eq!(
            kept[0].violation.change,
            Some(super::super::ViolationChange::New)
        );
    }
}

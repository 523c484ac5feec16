//! Diff-mode gate policy: which violations a change introduced, and which
//! of them fail the run under `--fail-on`.

use std::collections::HashMap;

use super::{FileChange, FileStatus, UnitStatus};
use crate::config::metric::Comparison;
use crate::gate::{file_value, function_value, Violation, ViolationChange};
use crate::model::FileResult;

/// Which violations fail `diff` (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Violations in added functions and files.
    New,
    /// New ones, and modified functions that got worse or newly crossed a threshold.
    Worsened,
    /// Every violation in a changed function or file.
    Any,
}

impl FailOn {
    /// Whether a violation of this kind fails the run.
    pub fn fails(self, change: ViolationChange) -> bool {
        match self {
            FailOn::New => change == ViolationChange::New,
            FailOn::Worsened => change != ViolationChange::Existing,
            FailOn::Any => true,
        }
    }
}

/// Keeps the violations that lie in changed units (function metrics) or
/// changed files (file metrics) and marks each new, worsened or existing.
/// `results`, `changes` and `base` are parallel: the target version, its
/// change, and the base version's result (when there is one).
pub fn classify(
    violations: Vec<Violation>,
    results: &[FileResult],
    changes: &[FileChange],
    base: &[Option<FileResult>],
) -> Vec<Violation> {
    let by_path: HashMap<&str, usize> = results
        .iter()
        .enumerate()
        .filter(|(index, _)| changes[*index].status != FileStatus::Deleted)
        .map(|(index, result)| (result.path.as_str(), index))
        .collect();
    violations
        .into_iter()
        .filter_map(|mut violation| {
            let index = *by_path.get(violation.path.as_str())?;
            let change = &changes[index];
            let before = match &violation.function {
                Some(name) => {
                    let analysis = results[index].outcome.as_ref().ok()?;
                    let position = analysis.function_at(name, violation.line)?;
                    let unit = change.functions.get(position)?;
                    match unit.status {
                        UnitStatus::Unchanged => return None,
                        UnitStatus::Added | UnitStatus::Removed => None,
                        UnitStatus::Modified => Some(
                            unit.before
                                .as_ref()
                                .and_then(|before| function_value(before, violation.metric)),
                        ),
                    }
                }
                None => match change.status {
                    FileStatus::Added | FileStatus::Deleted => None,
                    FileStatus::Modified | FileStatus::Renamed => Some(
                        base[index]
                            .as_ref()
                            .and_then(|b| b.outcome.as_ref().ok())
                            .and_then(|a| file_value(&a.metrics, violation.metric)),
                    ),
                },
            };
            violation.change = Some(match before {
                None => ViolationChange::New,
                Some(before) => judge(&violation, before),
            });
            Some(violation)
        })
        .collect()
}

/// Worsened when the base value met the threshold (or had none) or the
/// value moved further past it; otherwise existing.
fn judge(violation: &Violation, before: Option<f64>) -> ViolationChange {
    let Some(before) = before else {
        return ViolationChange::Worsened;
    };
    if violation.comparison.holds(before, violation.threshold) {
        return ViolationChange::Worsened;
    }
    let worse = match violation.comparison {
        Comparison::Lt | Comparison::Le => violation.value > before,
        Comparison::Gt | Comparison::Ge => violation.value < before,
        Comparison::Eq | Comparison::Ne => violation.value != before,
    };
    if worse {
        ViolationChange::Worsened
    } else {
        ViolationChange::Existing
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::metric::Metric;

    fn violation(value: f64, comparison: Comparison) -> Violation {
        Violation {
            path: "a.py".to_owned(),
            line: 1,
            column: 1,
            function: Some("f".to_owned()),
            metric: Metric::CyclomaticComplexity,
            value,
            threshold: 10.0,
            comparison,
            change: None,
        }
    }

    #[test]
    fn worse_means_further_past_the_threshold() {
        let le = violation(12.0, Comparison::Le);
        assert_eq!(judge(&le, Some(8.0)), ViolationChange::Worsened);
        assert_eq!(judge(&le, Some(11.0)), ViolationChange::Worsened);
        assert_eq!(judge(&le, Some(12.0)), ViolationChange::Existing);
        assert_eq!(judge(&le, Some(14.0)), ViolationChange::Existing);
        assert_eq!(judge(&le, None), ViolationChange::Worsened);
        let ge = violation(5.0, Comparison::Ge);
        assert_eq!(judge(&ge, Some(7.0)), ViolationChange::Worsened);
        assert_eq!(judge(&ge, Some(4.0)), ViolationChange::Existing);
    }

    #[test]
    fn fail_on_levels() {
        use ViolationChange::*;
        assert!(FailOn::New.fails(New) && !FailOn::New.fails(Worsened));
        assert!(FailOn::Worsened.fails(Worsened) && !FailOn::Worsened.fails(Existing));
        assert!(FailOn::Any.fails(Existing));
    }
}

//! Diff-mode gate policy: which violations a change introduced, and which
//! of them fail the run under `--fail-on`.

use std::collections::HashMap;

use super::{FileChange, FileStatus, UnitStatus};
use crate::config::gate::GateSettings;
use crate::config::metric::Comparison;
use crate::gate::{file_value, function_value, Violation, ViolationChange};
use crate::model::FileResult;

/// Which violations fail `diff` (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
/// changed files (file metrics) and marks each new, worsened or existing,
/// with the value before when there was one. `results`, `changes` and
/// `base` are parallel: the target version, its change, and the base
/// version's result (when there is one). A file named for an audit
/// ([`FileStatus::Unchanged`]) keeps every violation, unmarked: it is
/// judged whole. `gate` holds the file-metric tolerance.
pub fn classify(
    violations: Vec<Violation>,
    results: &[FileResult],
    changes: &[FileChange],
    base: &[Option<FileResult>],
    gate: &GateSettings,
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
            if change.status == FileStatus::Unchanged {
                return Some(violation);
            }
            let judged = match &violation.function {
                Some(name) => {
                    let analysis = results[index].outcome.as_ref().ok()?;
                    let position = analysis.function_at(name, violation.line)?;
                    let unit = change.functions.get(position)?;
                    match unit.status {
                        UnitStatus::Unchanged => return None,
                        UnitStatus::Added | UnitStatus::Removed => (ViolationChange::New, None),
                        UnitStatus::Modified => {
                            let before = unit
                                .before
                                .as_ref()
                                .and_then(|before| function_value(before, violation.metric));
                            (judge_function(&violation, before), before)
                        }
                    }
                }
                None => match change.status {
                    FileStatus::Added | FileStatus::Deleted | FileStatus::Unchanged => {
                        (ViolationChange::New, None)
                    }
                    FileStatus::Modified | FileStatus::Renamed => {
                        let before = base[index]
                            .as_ref()
                            .and_then(|b| b.outcome.as_ref().ok())
                            .and_then(|a| file_value(&a.metrics, violation.metric));
                        let judged = judge_file(&violation, before, gate.file_metric_tolerance);
                        (judged, before)
                    }
                },
            };
            (violation.change, violation.before) = (Some(judged.0), judged.1);
            Some(violation)
        })
        .collect()
}

/// A function metric: worsened when the base value met the threshold (or
/// had none) or the value moved any further past it; otherwise existing.
fn judge_function(violation: &Violation, before: Option<f64>) -> ViolationChange {
    let Some(before) = before else {
        return ViolationChange::Worsened;
    };
    if violation.comparison.holds(before, violation.threshold) {
        return ViolationChange::Worsened;
    }
    if worsening(violation, before) > 0.0 {
        ViolationChange::Worsened
    } else {
        ViolationChange::Existing
    }
}

/// A file metric: worsened when the change pushed the file over its limit
/// (the base value met it, or had none), or when the value got worse by
/// more than `tolerance` percent of the base value or of the limit,
/// whichever is larger; otherwise existing. File metrics move with every
/// line of a large file, so without a tolerance any edit of a legacy file
/// would worsen it. The limit's share keeps a value far below a floor
/// (a maintainability index near 0, already a logarithm of the file's
/// size) from failing on every edit.
fn judge_file(violation: &Violation, before: Option<f64>, tolerance: f64) -> ViolationChange {
    let Some(before) = before else {
        return ViolationChange::Worsened;
    };
    if violation.comparison.holds(before, violation.threshold) {
        return ViolationChange::Worsened;
    }
    let worse_by = worsening(violation, before);
    let allowed = before.abs().max(violation.threshold.abs()) * tolerance / 100.0;
    if worse_by > 0.0 && worse_by > allowed {
        ViolationChange::Worsened
    } else {
        ViolationChange::Existing
    }
}

/// How much further past its threshold the value moved since `before`
/// (positive: worse; for `==`/`!=` any move counts as worse).
fn worsening(violation: &Violation, before: f64) -> f64 {
    match violation.comparison {
        Comparison::Lt | Comparison::Le => violation.value - before,
        Comparison::Gt | Comparison::Ge => before - violation.value,
        Comparison::Eq | Comparison::Ne => (violation.value - before).abs(),
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
            before: None,
        }
    }

    #[test]
    fn worse_means_further_past_the_threshold() {
        let le = violation(12.0, Comparison::Le);
        assert_eq!(judge_function(&le, Some(8.0)), ViolationChange::Worsened);
        assert_eq!(judge_function(&le, Some(11.0)), ViolationChange::Worsened);
        assert_eq!(judge_function(&le, Some(12.0)), ViolationChange::Existing);
        assert_eq!(judge_function(&le, Some(14.0)), ViolationChange::Existing);
        assert_eq!(judge_function(&le, None), ViolationChange::Worsened);
        let ge = violation(5.0, Comparison::Ge);
        assert_eq!(judge_function(&ge, Some(7.0)), ViolationChange::Worsened);
        assert_eq!(judge_function(&ge, Some(4.0)), ViolationChange::Existing);
    }

    fn file_violation(metric: Metric, value: f64, threshold: f64) -> Violation {
        Violation {
            function: None,
            metric,
            threshold,
            comparison: metric.default_comparison(),
            ..violation(value, Comparison::Le)
        }
    }

    #[test]
    fn a_file_metric_pushed_over_its_limit_is_worsened_at_any_tolerance() {
        // maintainability_index >= 50: 50.3 before, 49.27 after.
        let mi = file_violation(Metric::MaintainabilityIndex, 49.27, 50.0);
        assert_eq!(
            judge_file(&mi, Some(50.3), 100.0),
            ViolationChange::Worsened
        );
        assert_eq!(judge_file(&mi, None, 100.0), ViolationChange::Worsened);
    }

    #[test]
    fn a_file_metric_already_over_fails_only_past_the_tolerance() {
        // maintainability_index >= 50, 40 before: 5 % of the limit (the
        // larger) allows down to 37.5.
        let slightly = file_violation(Metric::MaintainabilityIndex, 37.6, 50.0);
        assert_eq!(
            judge_file(&slightly, Some(40.0), 5.0),
            ViolationChange::Existing
        );
        assert_eq!(
            judge_file(&slightly, Some(40.0), 0.0),
            ViolationChange::Worsened
        );
        let much = file_violation(Metric::MaintainabilityIndex, 37.4, 50.0);
        assert_eq!(
            judge_file(&much, Some(40.0), 5.0),
            ViolationChange::Worsened
        );
        // Near 0 the same 2.5 points apply, not 5 % of 0.42.
        let floor = file_violation(Metric::MaintainabilityIndex, 0.06, 50.0);
        assert_eq!(
            judge_file(&floor, Some(0.42), 5.0),
            ViolationChange::Existing
        );
        // An improvement is never worse.
        let better = file_violation(Metric::MaintainabilityIndex, 45.0, 50.0);
        assert_eq!(
            judge_file(&better, Some(40.0), 0.0),
            ViolationChange::Existing
        );
        // halstead_volume <= 1000, 4000 before: 5 % allows up to 4200.
        let volume = file_violation(Metric::HalsteadVolume, 4150.0, 1000.0);
        assert_eq!(
            judge_file(&volume, Some(4000.0), 5.0),
            ViolationChange::Existing
        );
        let grown = file_violation(Metric::HalsteadVolume, 4250.0, 1000.0);
        assert_eq!(
            judge_file(&grown, Some(4000.0), 5.0),
            ViolationChange::Worsened
        );
        let same = file_violation(Metric::HalsteadVolume, 4000.0, 1000.0);
        assert_eq!(
            judge_file(&same, Some(4000.0), 0.0),
            ViolationChange::Existing
        );
    }

    #[test]
    fn fail_on_levels() {
        use ViolationChange::*;
        assert!(FailOn::New.fails(New) && !FailOn::New.fails(Worsened));
        assert!(FailOn::Worsened.fails(Worsened) && !FailOn::Worsened.fails(Existing));
        assert!(FailOn::Any.fails(Existing));
    }
}

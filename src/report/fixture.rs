//! The reports every renderer's tests render: a `check` report with a file
//! error and awkward paths, and a `diff` report with a new, a worsened and
//! an existing violation.

use super::{Report, Summary};
use crate::config::metric::{Comparison, Metric};
use crate::diff::policy::FailOn;
use crate::diff::{FileChange, FileStatus, UnitChange, UnitStatus};
use crate::gate::suppress::{Suppressed, Unused};
use crate::gate::{Violation, ViolationChange};
use crate::model::{
    Analysis, AnalysisError, FileMetrics, FileResult, FunctionKind, FunctionUnit, Language, Span,
};

/// Owned data a [`Report`] borrows.
pub struct Fixture {
    pub results: Vec<FileResult>,
    pub changes: Option<Vec<FileChange>>,
    pub violations: Vec<Violation>,
    pub fail_on: Option<FailOn>,
    pub suppressed: Vec<Suppressed>,
    pub unused: Option<Vec<Unused>>,
}

impl Fixture {
    pub fn report(&self) -> Report<'_> {
        Report {
            results: &self.results,
            changes: self.changes.as_deref(),
            violations: &self.violations,
            summary: Summary::of(&self.results, &self.violations).with_suppressions(
                self.suppressed.len(),
                self.unused.as_ref().map_or(0, Vec::len),
            ),
            fail_on: self.fail_on,
            root: Some(std::path::Path::new("/work/repo")),
            suppressed: &self.suppressed,
            cwd: None,
            unused_suppressions: self.unused.as_deref(),
            show_suppressed: true,
        }
    }
}

pub fn function(qualified_name: &str, line: u32, end_line: u32, cyclomatic: u64) -> FunctionUnit {
    FunctionUnit {
        name: qualified_name
            .rsplit('.')
            .next()
            .unwrap_or(qualified_name)
            .to_owned(),
        qualified_name: qualified_name.to_owned(),
        kind: if qualified_name.contains('.') {
            FunctionKind::Method
        } else {
            FunctionKind::Function
        },
        span: Span {
            line,
            start_line: line,
            end_line,
            column: if qualified_name.contains('.') { 5 } else { 1 },
        },
        cyclomatic: Some(cyclomatic),
        cognitive: Some(cyclomatic / 2),
        halstead: None,
        suppressions: Vec::new(),
    }
}

pub fn file(path: &str, functions: Vec<FunctionUnit>) -> FileResult {
    FileResult {
        path: path.to_owned(),
        language: Language::Python,
        blob_id: "0".repeat(40),
        outcome: Ok(Analysis {
            metrics: FileMetrics {
                raw: Some(Default::default()),
                cyclomatic: 1,
                cognitive: 0,
                maintainability_index: Some(48.456),
                maintainability_rank: Some('A'),
                halstead: Default::default(),
                raw_unavailable: None,
            },
            functions,
            classes: Vec::new(),
            file_suppressions: Vec::new(),
            stray_suppressions: Vec::new(),
        }),
    }
}

/// A cyclomatic-complexity violation (limit `<= 10`) on `function`.
pub fn violation(
    path: &str,
    function: &FunctionUnit,
    change: Option<ViolationChange>,
) -> Violation {
    Violation {
        path: path.to_owned(),
        line: function.span.line,
        column: function.span.column,
        function: Some(function.qualified_name.clone()),
        metric: Metric::CyclomaticComplexity,
        value: function.cyclomatic.unwrap_or_default() as f64,
        threshold: 10.0,
        comparison: Comparison::Le,
        change,
        before: None,
    }
}

/// `check`: a method over the limit, a file-level maintainability floor,
/// a function in a file whose path needs escaping, a syntax error.
pub fn check() -> Fixture {
    let parse = function("Parser.parse", 12, 30, 14);
    let helper = function("helper", 40, 44, 2);
    let odd = function("f", 1, 3, 12);
    let odd_path = "odd, 100%: \"q\".py";
    let broken = FileResult {
        path: "pkg/broken.py".to_owned(),
        language: Language::Python,
        blob_id: "1".repeat(40),
        outcome: Err(AnalysisError::Syntax {
            message: "unexpected indent\nhere".to_owned(),
            line: 3,
            column: 7,
        }),
    };
    let violations = vec![
        Violation {
            path: "pkg/a.py".to_owned(),
            line: 1,
            column: 1,
            function: None,
            metric: Metric::MaintainabilityIndex,
            value: 48.456,
            threshold: 50.0,
            comparison: Comparison::Ge,
            change: None,
            before: None,
        },
        violation("pkg/a.py", &parse, None),
        violation(odd_path, &odd, None),
    ];
    Fixture {
        results: vec![
            file(odd_path, vec![odd]),
            file("pkg/a.py", vec![parse, helper]),
            broken,
        ],
        changes: None,
        violations,
        fail_on: None,
        suppressed: Vec::new(),
        unused: None,
    }
}

/// `diff --fail-on worsened`: `Parser.parse` went from 8 to 14 (worsened),
/// `fresh` is new at 12, `legacy` stayed at 20 (existing), `helper` is
/// unchanged, `tidy` improved from 9 to 4, and a deleted file.
pub fn diff() -> Fixture {
    let parse = function("Parser.parse", 12, 30, 14);
    let helper = function("helper", 40, 44, 2);
    let tidy = function("tidy", 50, 60, 4);
    let fresh = function("fresh", 1, 9, 12);
    let legacy = function("legacy", 3, 40, 20);
    let unit = |status, before: Option<FunctionUnit>| UnitChange {
        status,
        before,
        moved_from: None,
    };
    let changes = vec![
        FileChange {
            status: FileStatus::Modified,
            old_path: None,
            functions: vec![
                unit(
                    UnitStatus::Modified,
                    Some(function("Parser.parse", 10, 20, 8)),
                ),
                unit(UnitStatus::Unchanged, Some(helper.clone())),
                unit(UnitStatus::Modified, Some(function("tidy", 48, 70, 9))),
            ],
            removed_functions: vec![function("gone", 80, 90, 3)],
        },
        FileChange {
            status: FileStatus::Added,
            old_path: None,
            functions: vec![unit(UnitStatus::Added, None)],
            removed_functions: Vec::new(),
        },
        FileChange {
            status: FileStatus::Modified,
            old_path: None,
            functions: vec![unit(UnitStatus::Modified, Some(legacy.clone()))],
            removed_functions: Vec::new(),
        },
        FileChange {
            status: FileStatus::Deleted,
            old_path: None,
            functions: Vec::new(),
            removed_functions: Vec::new(),
        },
    ];
    let violations = vec![
        violation("pkg/a.py", &parse, Some(ViolationChange::Worsened)),
        violation("pkg/new.py", &fresh, Some(ViolationChange::New)),
        violation("pkg/old.py", &legacy, Some(ViolationChange::Existing)),
    ];
    Fixture {
        results: vec![
            file("pkg/a.py", vec![parse, helper, tidy]),
            file("pkg/new.py", vec![fresh]),
            file("pkg/old.py", vec![legacy]),
            file("pkg/removed.py", Vec::new()),
        ],
        changes: Some(changes),
        violations,
        fail_on: Some(FailOn::Worsened),
        suppressed: Vec::new(),
        unused: None,
    }
}

//! Renderers: pure functions from results and violations to bytes.

pub mod json;
mod json_wire;
pub mod text;

use crate::gate::Violation;
use crate::model::FileResult;

/// Counts shown at the end of every report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub functions: usize,
    pub violations: usize,
    pub errors: usize,
    pub cache_hits: usize,
    pub cache_misses: usize,
}

impl Summary {
    pub fn of(results: &[FileResult], violations: &[Violation]) -> Summary {
        Summary {
            files: results.len(),
            functions: results
                .iter()
                .filter_map(|r| r.outcome.as_ref().ok())
                .map(|a| a.functions.len())
                .sum(),
            violations: violations.len(),
            errors: results
                .iter()
                .filter(|r| r.outcome.as_ref().is_err_and(|e| e.is_failure()))
                .count(),
            cache_hits: 0,
            cache_misses: 0,
        }
    }

    /// The same summary with the run's cache accounting.
    pub fn with_cache(self, hits: usize, misses: usize) -> Summary {
        Summary {
            cache_hits: hits,
            cache_misses: misses,
            ..self
        }
    }
}

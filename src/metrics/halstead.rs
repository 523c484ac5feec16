//! Halstead metrics from operator and operand counts (radon's `halstead_visitor_report`).
//!
//! The front end decides what an operator or operand is and hands over the
//! four counts; this module only does the arithmetic, in radon's evaluation
//! order so that every float matches to the last bit.

use serde::{Deserialize, Serialize};

/// The four counts every Halstead number derives from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HalsteadCounts {
    /// Distinct operators (h1).
    pub distinct_operators: u64,
    /// Distinct operands (h2).
    pub distinct_operands: u64,
    /// Total operators (N1).
    pub total_operators: u64,
    /// Total operands (N2).
    pub total_operands: u64,
}

/// The full Halstead report of radon: counts plus derived values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct HalsteadReport {
    pub counts: HalsteadCounts,
    pub vocabulary: u64,
    pub length: u64,
    pub calculated_length: f64,
    pub volume: f64,
    pub difficulty: f64,
    pub effort: f64,
    pub time: f64,
    pub bugs: f64,
}

/// `math.log(x, 2)` as CPython computes it: `ln(x) / ln(2)`, not `log2(x)`.
fn python_log2(x: f64) -> f64 {
    x.ln() / 2f64.ln()
}

impl HalsteadReport {
    /// Derives every value from the counts exactly as radon 6.0.1 does.
    pub fn from_counts(counts: HalsteadCounts) -> Self {
        let h1 = counts.distinct_operators;
        let h2 = counts.distinct_operands;
        let vocabulary = h1 + h2;
        let length = counts.total_operators + counts.total_operands;
        let calculated_length = if h1 != 0 && h2 != 0 {
            h1 as f64 * python_log2(h1 as f64) + h2 as f64 * python_log2(h2 as f64)
        } else {
            0.0
        };
        let volume = if vocabulary != 0 {
            length as f64 * python_log2(vocabulary as f64)
        } else {
            0.0
        };
        let difficulty = if h2 != 0 {
            (h1 * counts.total_operands) as f64 / (2 * h2) as f64
        } else {
            0.0
        };
        let effort = difficulty * volume;
        HalsteadReport {
            counts,
            vocabulary,
            length,
            calculated_length,
            volume,
            difficulty,
            effort,
            time: effort / 18.0,
            bugs: volume / 3000.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(h1: u64, h2: u64, n1: u64, n2: u64) -> HalsteadCounts {
        HalsteadCounts {
            distinct_operators: h1,
            distinct_operands: h2,
            total_operators: n1,
            total_operands: n2,
        }
    }

    #[test]
    fn radon_h_visit_total_case() {
        // radon/tests/test_other_metrics.py::H_VISIT_CASES, module total.
        let r = HalsteadReport::from_counts(counts(3, 8, 5, 10));
        assert_eq!((r.vocabulary, r.length), (11, 15));
        assert_eq!(r.calculated_length, 28.75488750216347);
        assert_eq!(r.volume, 51.89147427955947);
        assert_eq!(r.difficulty, 1.875);
        assert_eq!(r.effort, 97.296514274174);
        assert_eq!(r.time, 5.405361904120777);
        assert_eq!(r.bugs, 0.01729715809318649);
    }

    #[test]
    fn radon_h_visit_function_case() {
        let r = HalsteadReport::from_counts(counts(3, 5, 3, 6));
        assert_eq!((r.vocabulary, r.length), (8, 9));
        assert_eq!(r.calculated_length, 16.36452797660028);
        assert_eq!(r.volume, 27.0);
        assert_eq!(r.difficulty, 1.8);
        assert_eq!(r.effort, 48.6);
        assert_eq!(r.time, 2.7);
        assert_eq!(r.bugs, 0.009);
    }

    #[test]
    fn log_is_ln_over_ln2_not_log2() {
        // math.log(2**29, 2) == 29.000000000000004 in CPython.
        assert_eq!(python_log2((1u64 << 29) as f64), 29.000000000000004);
    }

    #[test]
    fn empty_input_is_all_zero() {
        assert_eq!(
            HalsteadReport::from_counts(HalsteadCounts::default()),
            HalsteadReport::default()
        );
    }
}

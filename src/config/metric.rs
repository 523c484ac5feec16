//! Metric names, comparison operators and thresholds.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A metric a threshold can be set on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    CyclomaticComplexity,
    CognitiveComplexity,
    MaintainabilityIndex,
    HalsteadVolume,
    HalsteadDifficulty,
    HalsteadEffort,
    HalsteadTime,
    HalsteadBugs,
    LinesOfCode,
    LogicalLinesOfCode,
    SourceLinesOfCode,
    CommentLines,
    BlankLines,
}

/// Where a metric's threshold is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// On every function and method.
    Function,
    /// On the file as a whole.
    File,
}

impl Metric {
    pub const ALL: [Metric; 13] = [
        Metric::CyclomaticComplexity,
        Metric::CognitiveComplexity,
        Metric::MaintainabilityIndex,
        Metric::HalsteadVolume,
        Metric::HalsteadDifficulty,
        Metric::HalsteadEffort,
        Metric::HalsteadTime,
        Metric::HalsteadBugs,
        Metric::LinesOfCode,
        Metric::LogicalLinesOfCode,
        Metric::SourceLinesOfCode,
        Metric::CommentLines,
        Metric::BlankLines,
    ];

    /// The snake_case name used in config files and output.
    pub fn name(self) -> &'static str {
        match self {
            Metric::CyclomaticComplexity => "cyclomatic_complexity",
            Metric::CognitiveComplexity => "cognitive_complexity",
            Metric::MaintainabilityIndex => "maintainability_index",
            Metric::HalsteadVolume => "halstead_volume",
            Metric::HalsteadDifficulty => "halstead_difficulty",
            Metric::HalsteadEffort => "halstead_effort",
            Metric::HalsteadTime => "halstead_time",
            Metric::HalsteadBugs => "halstead_bugs",
            Metric::LinesOfCode => "lines_of_code",
            Metric::LogicalLinesOfCode => "logical_lines_of_code",
            Metric::SourceLinesOfCode => "source_lines_of_code",
            Metric::CommentLines => "comment_lines",
            Metric::BlankLines => "blank_lines",
        }
    }

    /// Complexity is judged per function; everything else per file, as
    /// antipasta 1.x checks Halstead and the maintainability index on file totals.
    pub fn scope(self) -> Scope {
        match self {
            Metric::CyclomaticComplexity | Metric::CognitiveComplexity => Scope::Function,
            _ => Scope::File,
        }
    }

    /// The comparison a bare `-t metric=value` implies: a floor for the
    /// maintainability index, a ceiling for everything else.
    pub fn default_comparison(self) -> Comparison {
        match self {
            Metric::MaintainabilityIndex => Comparison::Ge,
            _ => Comparison::Le,
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Metric {
    type Err = String;

    /// Accepts full names and antipasta 1.x's prefixes (`cyc`, `cog`, `mai`, `vol`, `dif`, `eff`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase();
        let short = match wanted.as_str() {
            "cyc" => Some(Metric::CyclomaticComplexity),
            "cog" => Some(Metric::CognitiveComplexity),
            "mai" => Some(Metric::MaintainabilityIndex),
            "vol" => Some(Metric::HalsteadVolume),
            "dif" => Some(Metric::HalsteadDifficulty),
            "eff" => Some(Metric::HalsteadEffort),
            _ => None,
        };
        short
            .or_else(|| Metric::ALL.into_iter().find(|m| m.name() == wanted))
            .ok_or_else(|| {
                let names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
                format!("unknown metric '{text}' (expected one of: {}, or cyc, cog, mai, vol, dif, eff)", names.join(", "))
            })
    }
}

/// One of the six comparison operators a threshold states as the requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "==")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
}

impl Comparison {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Lt => "<",
            Comparison::Le => "<=",
            Comparison::Gt => ">",
            Comparison::Ge => ">=",
            Comparison::Eq => "==",
            Comparison::Ne => "!=",
        }
    }

    /// Whether `value` meets the requirement `value <op> threshold`.
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::Lt => value < threshold,
            Comparison::Le => value <= threshold,
            Comparison::Gt => value > threshold,
            Comparison::Ge => value >= threshold,
            Comparison::Eq => value == threshold,
            Comparison::Ne => value != threshold,
        }
    }
}

/// Why a number cannot be a metric's threshold.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum InvalidThreshold {
    #[error("threshold for {metric} must be a finite number, got {value}")]
    NotFinite { metric: Metric, value: f64 },
    #[error("threshold for {metric} must not be negative, got {value}")]
    Negative { metric: Metric, value: f64 },
    #[error("threshold for {metric} must be a whole number (the metric is a count), got {value}")]
    NotWhole { metric: Metric, value: f64 },
}

impl Metric {
    /// Whether the metric only takes whole values (complexities, line counts).
    pub fn is_integral(self) -> bool {
        matches!(
            self,
            Metric::CyclomaticComplexity
                | Metric::CognitiveComplexity
                | Metric::LinesOfCode
                | Metric::LogicalLinesOfCode
                | Metric::SourceLinesOfCode
                | Metric::CommentLines
                | Metric::BlankLines
        )
    }

    /// The one rule for a threshold, whatever its source (`-t`, `defaults`,
    /// `languages[].metrics[]`): a finite number, not negative (no metric
    /// is), and whole where the metric is a count.
    pub fn check_threshold(self, value: f64) -> Result<f64, InvalidThreshold> {
        let metric = self;
        if !value.is_finite() {
            Err(InvalidThreshold::NotFinite { metric, value })
        } else if value < 0.0 {
            Err(InvalidThreshold::Negative { metric, value })
        } else if self.is_integral() && value.fract() != 0.0 {
            Err(InvalidThreshold::NotWhole { metric, value })
        } else {
            Ok(value)
        }
    }
}

/// A resolved requirement on one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    pub metric: Metric,
    pub comparison: Comparison,
    pub value: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_names_and_prefixes_parse() {
        assert_eq!("cyc".parse::<Metric>(), Ok(Metric::CyclomaticComplexity));
        assert_eq!(
            "halstead_effort".parse::<Metric>(),
            Ok(Metric::HalsteadEffort)
        );
        assert_eq!("MAI".parse::<Metric>(), Ok(Metric::MaintainabilityIndex));
        assert!("bogus".parse::<Metric>().is_err());
    }

    #[test]
    fn thresholds_are_finite_non_negative_and_whole_for_counts() {
        let cyc = Metric::CyclomaticComplexity;
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(matches!(
                cyc.check_threshold(bad),
                Err(InvalidThreshold::NotFinite { .. })
            ));
        }
        assert!(matches!(
            cyc.check_threshold(-1.0),
            Err(InvalidThreshold::Negative { .. })
        ));
        assert_eq!(
            cyc.check_threshold(1.5).map_err(|e| e.to_string()),
            Err(
                "threshold for cyclomatic_complexity must be a whole number \
                 (the metric is a count), got 1.5"
                    .to_owned()
            )
        );
        assert_eq!(cyc.check_threshold(0.0), Ok(0.0));
        assert_eq!(cyc.check_threshold(10.0), Ok(10.0));
        assert!(Metric::BlankLines.check_threshold(2.5).is_err());
        assert_eq!(Metric::MaintainabilityIndex.check_threshold(47.5), Ok(47.5));
        assert_eq!(Metric::HalsteadBugs.check_threshold(0.05), Ok(0.05));
        assert!(Metric::MaintainabilityIndex
            .check_threshold(f64::NEG_INFINITY)
            .is_err());
    }

    #[test]
    fn comparisons_state_the_requirement() {
        assert!(Comparison::Le.holds(10.0, 10.0));
        assert!(!Comparison::Lt.holds(10.0, 10.0));
        assert!(Comparison::Ge.holds(50.0, 50.0));
        assert!(!Comparison::Gt.holds(50.0, 50.0));
        assert!(Comparison::Eq.holds(3.0, 3.0));
        assert!(Comparison::Ne.holds(3.0, 4.0));
    }
}

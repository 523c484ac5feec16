//! `[gate]`: how a change gate (`diff`, `check --staged`) judges file-level
//! metrics of a file that was already over its limit.

use serde::Deserialize;

/// The default file-metric tolerance, in percent of the value before the
/// change. Chosen on real history by `bench/file_tolerance.sh` (README,
/// "File-level metrics under a change gate").
pub const DEFAULT_FILE_METRIC_TOLERANCE: f64 = 5.0;

/// `[gate]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateOptions {
    /// Percent by which a file-level metric of a file already over its
    /// limit may get worse before the change counts as worsening it.
    pub file_metric_tolerance: Option<f64>,
}

/// Resolved `[gate]` settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GateSettings {
    /// In percent of the value before the change (0 = any worsening fails).
    pub file_metric_tolerance: f64,
}

impl Default for GateSettings {
    fn default() -> Self {
        GateSettings {
            file_metric_tolerance: DEFAULT_FILE_METRIC_TOLERANCE,
        }
    }
}

impl GateOptions {
    /// The settings, or a message naming the bad key.
    pub fn resolve(self) -> Result<GateSettings, String> {
        let tolerance = self
            .file_metric_tolerance
            .unwrap_or(DEFAULT_FILE_METRIC_TOLERANCE);
        if !tolerance.is_finite() || tolerance < 0.0 {
            return Err(format!(
                "gate.file_metric_tolerance must be a non-negative number of percent, got {tolerance}"
            ));
        }
        Ok(GateSettings {
            file_metric_tolerance: tolerance,
        })
    }
}

//! Maintainability index (radon's `mi_compute` and `mi_rank`).

/// Inputs of the maintainability index, as radon's `mi_parameters` builds them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MiInputs {
    /// File-level Halstead volume.
    pub halstead_volume: f64,
    /// Module total cyclomatic complexity.
    pub cyclomatic: u64,
    /// Logical lines of code (radon passes LLOC, though it names it `sloc`).
    pub logical_lines: u64,
    /// Comment percentage: 100 · (comments + multi) / sloc, or 0 when sloc is 0.
    pub comment_percent: f64,
}

impl MiInputs {
    /// Builds the comment percentage the way radon does with `multi=True`.
    pub fn comment_percent(comments: u64, multi: u64, sloc: u64) -> f64 {
        if sloc == 0 {
            0.0
        } else {
            (comments + multi) as f64 / sloc as f64 * 100.0
        }
    }
}

/// The maintainability index in [0, 100], evaluated in radon's order.
pub fn maintainability_index(inputs: MiInputs) -> f64 {
    if inputs.halstead_volume <= 0.0 || inputs.logical_lines == 0 {
        return 100.0;
    }
    let sloc_scale = (inputs.logical_lines as f64).ln();
    let volume_scale = inputs.halstead_volume.ln();
    let comments_scale = (2.46 * inputs.comment_percent.to_radians()).sqrt();
    let non_normalized =
        171.0 - 5.2 * volume_scale - 0.23 * inputs.cyclomatic as f64 - 16.2 * sloc_scale
            + 50.0 * comments_scale.sin();
    (non_normalized * 100.0 / 171.0).clamp(0.0, 100.0)
}

/// radon's `mi_rank`: A above 19, B above 9, else C.
pub fn maintainability_rank(score: f64) -> char {
    if score > 19.0 {
        'A'
    } else if score > 9.0 {
        'B'
    } else {
        'C'
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mi(volume: f64, cc: u64, lloc: u64, comments: f64) -> f64 {
        maintainability_index(MiInputs {
            halstead_volume: volume,
            cyclomatic: cc,
            logical_lines: lloc,
            comment_percent: comments,
        })
    }

    #[test]
    fn radon_mi_compute_cases() {
        assert_eq!(mi(10.0, 2, 5, 0.5), 81.75051711476864);
        assert_eq!(mi(200.0, 10, 78, 45.0), 70.0321877686122);
        assert_eq!(mi(41.51317942364757, 1, 4, 0.0), 75.40162245189028);
        assert_eq!(
            mi(66.60791492653966, 6, 10, 55.55555555555556),
            93.84027450359395
        );
        assert_eq!(
            mi(66.60791492653966, 6, 10, 22.22222222222222),
            88.84176333569131
        );
    }

    #[test]
    fn no_operators_scores_100() {
        assert_eq!(mi(0.0, 5, 10, 0.0), 100.0);
        assert_eq!(mi(10.0, 5, 0, 0.0), 100.0);
    }

    #[test]
    fn ranks_at_boundaries() {
        assert_eq!(maintainability_rank(9.0), 'C');
        assert_eq!(maintainability_rank(9.0001), 'B');
        assert_eq!(maintainability_rank(19.0), 'B');
        assert_eq!(maintainability_rank(19.0001), 'A');
    }
}

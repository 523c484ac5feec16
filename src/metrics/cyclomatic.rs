//! Cyclomatic complexity aggregation (radon's class average and `cc_rank`).

/// The complexity radon reports and ranks for a class block: the real
/// complexity when it has no methods, else `int(real / n) + (n > 1)`.
pub fn class_complexity(real_complexity: u64, method_count: u64) -> u64 {
    match real_complexity.checked_div(method_count) {
        Some(average) => average + u64::from(method_count > 1),
        None => real_complexity,
    }
}

/// radon's `cc_rank` letter for an integer complexity.
pub fn rank(complexity: u64) -> char {
    let tens = complexity.div_ceil(10).max(1);
    let step = tens - u64::from(complexity <= 5);
    char::from(b'A' + step.min(5) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_average_truncates_and_adds_one_for_several_methods() {
        assert_eq!(class_complexity(8, 2), 5);
        assert_eq!(class_complexity(7, 0), 7);
        assert_eq!(class_complexity(3, 1), 3);
    }

    #[test]
    fn ranks_match_radon_table() {
        let expected = [
            (0, 'A'),
            (5, 'A'),
            (6, 'B'),
            (10, 'B'),
            (11, 'C'),
            (20, 'C'),
            (21, 'D'),
            (30, 'D'),
            (31, 'E'),
            (40, 'E'),
            (41, 'F'),
            (500, 'F'),
        ];
        for (cc, letter) in expected {
            assert_eq!(rank(cc), letter, "cc {cc}");
        }
    }
}

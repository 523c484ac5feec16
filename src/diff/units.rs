//! Unit-level pairing: which function of the base version each function of
//! the target version continues, and whether its text changed.

use std::collections::HashMap;

use similar::TextDiff;

use super::{UnitChange, UnitStatus};
use crate::model::{FunctionUnit, Lines};

/// The least similarity at which two differently named functions count as
/// one renamed or moved function.
const UNIT_SIMILARITY: f32 = 0.5;

/// Up to this many (unpaired old × unpaired new) candidates, every pair is
/// compared; above, each function is compared with a bounded number of
/// candidates only, keeping a wholesale rewrite linear in the file.
const MAX_SIMILARITY_PAIRS: usize = 10_000;

/// Above [`MAX_SIMILARITY_PAIRS`], how many base functions around its own
/// position each unpaired target function is compared with.
const CANDIDATES_PER_UNIT: usize = 16;

/// A function with the source text of its lines.
#[derive(Debug, Clone, Copy)]
pub struct UnitText<'a> {
    pub unit: &'a FunctionUnit,
    /// Lines `start_line..=end_line` of the file (decorators included).
    pub text: &'a str,
}

/// The pairing of one file's functions.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitPairing {
    /// One change per target function, in order.
    pub changes: Vec<UnitChange>,
    /// Base functions nothing in the target continues.
    pub removed: Vec<FunctionUnit>,
}

/// Each function with its lines of `source`.
pub fn with_text<'a>(source: &'a str, functions: &'a [FunctionUnit]) -> Vec<UnitText<'a>> {
    let lines = Lines::new(source);
    functions
        .iter()
        .map(|unit| UnitText {
            unit,
            text: lines.of(&unit.span),
        })
        .collect()
}

/// Pairs by qualified name first (in order, for repeated names), then
/// identical texts (in order), then the remaining functions by text
/// similarity, most similar first. A paired function with identical text
/// is unchanged, otherwise modified; the rest are added or removed.
pub fn pair_units(old: &[UnitText<'_>], new: &[UnitText<'_>]) -> UnitPairing {
    let mut partner: Vec<Option<usize>> = vec![None; new.len()];
    let mut old_taken = vec![false; old.len()];
    let mut old_by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, unit) in old.iter().enumerate().rev() {
        old_by_name
            .entry(unit.unit.qualified_name.as_str())
            .or_default()
            .push(index);
    }
    for (n, unit) in new.iter().enumerate() {
        if let Some(o) = old_by_name
            .get_mut(unit.unit.qualified_name.as_str())
            .and_then(Vec::pop)
        {
            partner[n] = Some(o);
            old_taken[o] = true;
        }
    }
    // Identical texts: what the similarity ranking would pair first.
    let mut old_by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, unit) in old.iter().enumerate().rev() {
        if !old_taken[index] {
            old_by_text.entry(unit.text).or_default().push(index);
        }
    }
    for (n, unit) in new.iter().enumerate() {
        if partner[n].is_none() {
            if let Some(o) = old_by_text.get_mut(unit.text).and_then(Vec::pop) {
                partner[n] = Some(o);
                old_taken[o] = true;
            }
        }
    }
    let unpaired_old: Vec<usize> = (0..old.len()).filter(|&o| !old_taken[o]).collect();
    let unpaired_new: Vec<usize> = (0..new.len()).filter(|&n| partner[n].is_none()).collect();
    let mut scored = Vec::new();
    for (rank, &n) in unpaired_new.iter().enumerate() {
        for &o in candidates(rank, unpaired_new.len(), &unpaired_old) {
            if !could_be_similar(old[o].text, new[n].text) {
                continue;
            }
            let ratio = TextDiff::from_lines(old[o].text, new[n].text).ratio();
            if ratio >= UNIT_SIMILARITY {
                scored.push((ratio, n, o));
            }
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    for (_, n, o) in scored {
        if partner[n].is_none() && !old_taken[o] {
            partner[n] = Some(o);
            old_taken[o] = true;
        }
    }
    let changes = new
        .iter()
        .zip(&partner)
        .map(|(unit, partner)| match partner {
            None => UnitChange {
                status: UnitStatus::Added,
                before: None,
                moved_from: None,
            },
            Some(o) => UnitChange {
                status: if old[*o].text == unit.text {
                    UnitStatus::Unchanged
                } else {
                    UnitStatus::Modified
                },
                before: Some(old[*o].unit.clone()),
                moved_from: None,
            },
        })
        .collect();
    let removed = old
        .iter()
        .zip(&old_taken)
        .filter(|(_, taken)| !**taken)
        .map(|(unit, _)| unit.unit.clone())
        .collect();
    UnitPairing { changes, removed }
}

/// The unpaired base functions the `rank`-th of `new_count` unpaired target
/// functions is compared with: all of them when the product is small, else
/// the [`CANDIDATES_PER_UNIT`] around the same relative position (renamed
/// functions mostly keep their order).
fn candidates(rank: usize, new_count: usize, unpaired_old: &[usize]) -> &[usize] {
    if unpaired_old.len().saturating_mul(new_count) <= MAX_SIMILARITY_PAIRS {
        return unpaired_old;
    }
    let centre = rank.saturating_mul(unpaired_old.len()) / new_count.max(1);
    let start = centre
        .saturating_sub(CANDIDATES_PER_UNIT / 2)
        .min(unpaired_old.len().saturating_sub(CANDIDATES_PER_UNIT));
    let end = (start + CANDIDATES_PER_UNIT).min(unpaired_old.len());
    &unpaired_old[start..end]
}

/// Whether two texts' line counts allow a similarity of [`UNIT_SIMILARITY`]:
/// the ratio is 2 × matching lines / all lines, at most 2 × shorter /
/// (shorter + longer), so a text three times longer than the other can
/// never reach one half. Skips hopeless comparisons without changing a result.
fn could_be_similar(one: &str, two: &str) -> bool {
    let lines = |text: &str| text.lines().count().max(1);
    let (a, b) = (lines(one), lines(two));
    let (short, long) = (a.min(b), a.max(b));
    // 2·short / (short + long) ≥ 1/2  ⇔  3·short ≥ long
    3 * short >= long
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FunctionKind, Span};

    fn unit(name: &str, start_line: u32, end_line: u32) -> FunctionUnit {
        FunctionUnit {
            name: name.to_owned(),
            qualified_name: name.to_owned(),
            kind: FunctionKind::Function,
            span: Span {
                line: start_line,
                start_line,
                end_line,
                column: 1,
            },
            cyclomatic: Some(1),
            cognitive: Some(0),
            halstead: None,
            suppressions: Vec::new(),
        }
    }

    fn statuses(pairing: &UnitPairing) -> Vec<(UnitStatus, Option<&str>)> {
        pairing
            .changes
            .iter()
            .map(|c| (c.status, c.before.as_ref().map(|b| b.name.as_str())))
            .collect()
    }

    #[test]
    fn unit_lines_cut_whole_lines() {
        let source = "a\nb\nc\nd";
        let lines = Lines::new(source);
        assert_eq!(lines.of(&unit("f", 2, 3).span), "b\nc\n");
        assert_eq!(lines.of(&unit("f", 4, 4).span), "d");
        assert_eq!(lines.of(&unit("f", 1, 9).span), source);
        assert_eq!(lines.of(&unit("f", 9, 9).span), "");
    }

    #[test]
    fn names_then_similarity() {
        let (f, g, h, k) = (
            unit("f", 1, 2),
            unit("g", 3, 4),
            unit("h", 1, 9),
            unit("k", 1, 1),
        );
        let old = [
            UnitText {
                unit: &f,
                text: "def f():\n    return 1\n",
            },
            UnitText {
                unit: &g,
                text: "def g(a, b, c):\n    x = a + b\n    y = x * c\n    return y\n",
            },
            UnitText {
                unit: &k,
                text: "def k():\n    pass\n",
            },
        ];
        let renamed = unit("g2", 5, 6);
        let new = [
            UnitText {
                unit: &f,
                text: "def f():\n    return 1\n",
            },
            UnitText {
                unit: &renamed,
                text: "def g2(a, b, c):\n    x = a + b\n    y = x * c\n    return y\n",
            },
            UnitText {
                unit: &h,
                text: "def h():\n    while True:\n        break\n",
            },
        ];
        let pairing = pair_units(&old, &new);
        assert_eq!(
            statuses(&pairing),
            vec![
                (UnitStatus::Unchanged, Some("f")),
                (UnitStatus::Modified, Some("g")),
                (UnitStatus::Added, None),
            ]
        );
        assert_eq!(pairing.removed.len(), 1);
        assert_eq!(pairing.removed[0].name, "k");
    }

    #[test]
    fn repeated_names_pair_in_order() {
        let (a1, a2) = (unit("a", 1, 1), unit("a", 2, 2));
        let old = [
            UnitText {
                unit: &a1,
                text: "x",
            },
            UnitText {
                unit: &a2,
                text: "y",
            },
        ];
        let new = [
            UnitText {
                unit: &a1,
                text: "x",
            },
            UnitText {
                unit: &a2,
                text: "z",
            },
        ];
        let pairing = pair_units(&old, &new);
        assert_eq!(
            statuses(&pairing),
            vec![
                (UnitStatus::Unchanged, Some("a")),
                (UnitStatus::Modified, Some("a"))
            ]
        );
        assert!(pairing.removed.is_empty());
    }

    /// 300 renamed functions (90,000 candidate pairs): each is still paired
    /// with its own base version, through the bounded comparison.
    #[test]
    fn a_wholesale_rename_pairs_every_function_with_bounded_comparisons() {
        let count = 300;
        let text = |prefix: &str, i: usize| {
            format!("def {prefix}{i}(a):\n    x = a + {i}\n    y = x * {i}\n    return y - {i}\n")
        };
        let old_units: Vec<FunctionUnit> =
            (0..count).map(|i| unit(&format!("f{i}"), 1, 4)).collect();
        let new_units: Vec<FunctionUnit> =
            (0..count).map(|i| unit(&format!("g{i}"), 1, 4)).collect();
        let old_texts: Vec<String> = (0..count).map(|i| text("f", i)).collect();
        let new_texts: Vec<String> = (0..count).map(|i| text("g", i)).collect();
        let old: Vec<UnitText<'_>> = old_units
            .iter()
            .zip(&old_texts)
            .map(|(unit, text)| UnitText { unit, text })
            .collect();
        let new: Vec<UnitText<'_>> = new_units
            .iter()
            .zip(&new_texts)
            .map(|(unit, text)| UnitText { unit, text })
            .collect();
        assert!(count * count > MAX_SIMILARITY_PAIRS);
        let pairing = pair_units(&old, &new);
        let expected: Vec<(UnitStatus, Option<String>)> = (0..count)
            .map(|i| (UnitStatus::Modified, Some(format!("f{i}"))))
            .collect();
        let found: Vec<(UnitStatus, Option<String>)> = statuses(&pairing)
            .into_iter()
            .map(|(status, name)| (status, name.map(str::to_owned)))
            .collect();
        assert_eq!(found, expected);
        assert!(pairing.removed.is_empty());
    }

    #[test]
    fn texts_of_very_different_lengths_are_never_compared() {
        assert!(could_be_similar("a\nb\nc\n", "a\n"));
        assert!(!could_be_similar("a\nb\nc\nd\n", "a\n"));
        assert!(could_be_similar("", "a\n"));
    }
}

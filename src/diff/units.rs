//! Unit-level pairing: which function of the base version each function of
//! the target version continues, and whether its text changed.

use std::collections::HashMap;

use similar::TextDiff;

use super::{UnitChange, UnitStatus};
use crate::model::FunctionUnit;

/// The least similarity at which two differently named functions count as
/// one renamed or moved function.
const UNIT_SIMILARITY: f32 = 0.5;

/// Above this many (unpaired old × unpaired new) candidates, only exact
/// text matches pair functions, keeping a wholesale rewrite linear.
const MAX_SIMILARITY_PAIRS: usize = 10_000;

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
    functions
        .iter()
        .map(|unit| UnitText {
            unit,
            text: unit.span.lines(source),
        })
        .collect()
}

/// Pairs by qualified name first (in order, for repeated names), then the
/// remaining functions by text similarity. A paired function with
/// identical text is unchanged, otherwise modified; the rest are added or
/// removed.
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
    let unpaired_old = old_taken.iter().filter(|taken| !**taken).count();
    let unpaired_new = partner.iter().filter(|p| p.is_none()).count();
    let compare_similarity = unpaired_old * unpaired_new <= MAX_SIMILARITY_PAIRS;
    let mut scored = Vec::new();
    for (n, new_unit) in new.iter().enumerate() {
        if partner[n].is_some() {
            continue;
        }
        for (o, old_unit) in old.iter().enumerate() {
            if old_taken[o] {
                continue;
            }
            let ratio = if old_unit.text == new_unit.text {
                1.0
            } else if compare_similarity {
                TextDiff::from_lines(old_unit.text, new_unit.text).ratio()
            } else {
                0.0
            };
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
            },
            Some(o) => UnitChange {
                status: if old[*o].text == unit.text {
                    UnitStatus::Unchanged
                } else {
                    UnitStatus::Modified
                },
                before: Some(old[*o].unit.clone()),
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
        assert_eq!(unit("f", 2, 3).span.lines(source), "b\nc\n");
        assert_eq!(unit("f", 4, 4).span.lines(source), "d");
        assert_eq!(unit("f", 1, 9).span.lines(source), source);
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
}

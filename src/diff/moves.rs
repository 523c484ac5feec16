//! Functions moved between files: a function added in one changed file and
//! removed from another (of the same language family) within the same diff
//! is one moved function, judged like a modified one against its old
//! numbers. Pairs, in this order: identical texts; the same qualified name
//! when no other moved candidate has it on either side; then texts at
//! least half similar (line ratio), most similar first, when there are
//! few enough candidates to compare every pair (see docs/git.md, "Moved
//! functions"). Moves within a file and whole-file renames are paired by
//! the file's own unit pairing before this runs.

use std::collections::HashMap;

use similar::TextDiff;

use super::{Comparison, UnitStatus};
use crate::model::{FunctionUnit, Language, Lines};

/// The least line similarity at which two differently named functions in
/// different files are one moved function (as within a file).
const MOVE_SIMILARITY: f32 = 0.5;

/// Up to this many (added × removed) candidates, every pair is compared by
/// similarity; above, only identical texts and unique names are paired.
const MAX_SIMILARITY_PAIRS: usize = 10_000;

/// A function on one side of a possible move.
struct Candidate<'a> {
    /// Index of its file in the comparison.
    file: usize,
    /// Index among the file's functions (target) or removed functions (base).
    index: usize,
    unit: &'a FunctionUnit,
    text: &'a str,
    python: bool,
}

/// Pairs functions moved across files in `comparison`; `texts` holds each
/// file's (base, target) source text, parallel to its results.
pub fn pair_moved_functions(comparison: &mut Comparison, texts: &[(String, String)]) {
    let moves = plan(comparison, texts);
    apply(comparison, moves);
}

/// One function moved across files.
struct Move {
    /// The target function: its file and index among the file's functions.
    to: (usize, usize),
    /// The base function: its file and index among the removed functions.
    from: (usize, usize),
    before: FunctionUnit,
    old_path: String,
}

/// Which added functions continue which removed ones.
fn plan(comparison: &Comparison, texts: &[(String, String)]) -> Vec<Move> {
    let (added, removed) = candidates(comparison, texts);
    if added.is_empty() || removed.is_empty() {
        return Vec::new();
    }
    let mut partner: Vec<Option<usize>> = vec![None; added.len()];
    let mut taken = vec![false; removed.len()];
    let compatible = |a: &Candidate, r: &Candidate| a.file != r.file && a.python == r.python;
    // Identical texts.
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (r, candidate) in removed.iter().enumerate().rev() {
        by_text.entry(candidate.text).or_default().push(r);
    }
    for (a, candidate) in added.iter().enumerate() {
        if let Some(sources) = by_text.get_mut(candidate.text) {
            if let Some(at) = sources
                .iter()
                .rposition(|&r| !taken[r] && compatible(candidate, &removed[r]))
            {
                let r = sources.remove(at);
                partner[a] = Some(r);
                taken[r] = true;
            }
        }
    }
    // The same qualified name, unique among the remaining candidates.
    let added_names = unique_names(&added, &|a| partner[a].is_none());
    let removed_names = unique_names(&removed, &|r| !taken[r]);
    let mut by_name: Vec<(usize, usize)> = added_names
        .iter()
        .filter_map(|(name, a)| Some(((*a)?, removed_names.get(name).copied().flatten()?)))
        .filter(|&(a, r)| compatible(&added[a], &removed[r]))
        .collect();
    by_name.sort_unstable();
    for (a, r) in by_name {
        partner[a] = Some(r);
        taken[r] = true;
    }
    // Similar texts, when every pair can be compared.
    let free_added: Vec<usize> = (0..added.len()).filter(|&a| partner[a].is_none()).collect();
    let free_removed: Vec<usize> = (0..removed.len()).filter(|&r| !taken[r]).collect();
    if free_added.len().saturating_mul(free_removed.len()) <= MAX_SIMILARITY_PAIRS {
        let mut scored = Vec::new();
        for &a in &free_added {
            for &r in &free_removed {
                if !compatible(&added[a], &removed[r]) {
                    continue;
                }
                let ratio = TextDiff::from_lines(removed[r].text, added[a].text).ratio();
                if ratio >= MOVE_SIMILARITY {
                    scored.push((ratio, a, r));
                }
            }
        }
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
        for (_, a, r) in scored {
            if partner[a].is_none() && !taken[r] {
                partner[a] = Some(r);
                taken[r] = true;
            }
        }
    }
    added
        .iter()
        .zip(&partner)
        .filter_map(|(candidate, partner)| {
            let source = &removed[(*partner)?];
            let old_path = comparison.changes[source.file]
                .old_path
                .clone()
                .unwrap_or_else(|| comparison.results[source.file].path.clone());
            Some(Move {
                to: (candidate.file, candidate.index),
                from: (source.file, source.index),
                before: source.unit.clone(),
                old_path,
            })
        })
        .collect()
}

/// Each qualified name among the candidates `free` accepts, with the
/// candidate's index when no other has that name.
fn unique_names<'a>(
    side: &[Candidate<'a>],
    free: &dyn Fn(usize) -> bool,
) -> HashMap<&'a str, Option<usize>> {
    let mut names: HashMap<&str, Option<usize>> = HashMap::new();
    for (at, candidate) in side.iter().enumerate().filter(|(at, _)| free(*at)) {
        names
            .entry(candidate.unit.qualified_name.as_str())
            .and_modify(|one| *one = None)
            .or_insert(Some(at));
    }
    names
}

/// The added functions of every file's target version and the removed
/// functions of every base version, with their texts.
fn candidates<'a>(
    comparison: &'a Comparison,
    texts: &'a [(String, String)],
) -> (Vec<Candidate<'a>>, Vec<Candidate<'a>>) {
    let mut added = Vec::new();
    let mut removed = Vec::new();
    for (file, ((result, change), (old_text, new_text))) in comparison
        .results
        .iter()
        .zip(&comparison.changes)
        .zip(texts)
        .enumerate()
    {
        let python = result.language == Language::Python;
        if let Ok(analysis) = &result.outcome {
            let lines = Lines::new(new_text);
            for (index, (unit, unit_change)) in
                analysis.functions.iter().zip(&change.functions).enumerate()
            {
                if unit_change.status == UnitStatus::Added {
                    added.push(Candidate {
                        file,
                        index,
                        unit,
                        text: lines.of(&unit.span),
                        python,
                    });
                }
            }
        }
        let lines = Lines::new(old_text);
        for (index, unit) in change.removed_functions.iter().enumerate() {
            removed.push(Candidate {
                file,
                index,
                unit,
                text: lines.of(&unit.span),
                python,
            });
        }
    }
    (added, removed)
}

/// Records each move: the target function becomes a modified one with its
/// base version and old path; the base function is no longer removed.
fn apply(comparison: &mut Comparison, moves: Vec<Move>) {
    let mut unremoved: Vec<(usize, usize)> = Vec::new();
    for found in moves {
        let (file, index) = found.to;
        if let Some(change) = comparison.changes[file].functions.get_mut(index) {
            change.status = UnitStatus::Modified;
            change.before = Some(found.before);
            change.moved_from = Some(found.old_path);
            unremoved.push(found.from);
        }
    }
    // Highest index first, so the others keep their place.
    unremoved.sort_unstable_by(|a, b| b.cmp(a));
    for (file, index) in unremoved {
        let removed = &mut comparison.changes[file].removed_functions;
        if index < removed.len() {
            removed.remove(index);
        }
    }
}

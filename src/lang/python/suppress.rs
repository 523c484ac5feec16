//! Where Python suppression markers apply (the forms are parsed by
//! `lang::marker`; complexipy's own markers are placed by complexipy's
//! search in `cognitive.rs`).
//!
//! - `# antipasta: ignore[…]` on any header line of a `def` or `class`
//!   (first decorator through the `:`), or in an own-line comment directly
//!   above; on a class it covers every function inside the class.
//! - `# noqa` / `# noqa: C901` on the line of the function's name, where
//!   ruff reports C901.
//! - `# antipasta: ignore-file[…]` in a comment before the first statement.
//!
//! Markers that cover nothing are returned as strays.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::units::Definition;
use crate::lang::marker::{self, Marker, MarkerKind};
use crate::lang::tree::SyntaxTree;
use crate::model::Suppression;

/// A comment holding at least one marker.
struct Comment {
    line: u32,
    /// Nothing but blanks before it on its line.
    own_line: bool,
    markers: Vec<Marker>,
}

/// The markers of one file, placed.
#[derive(Debug, Default)]
pub struct Placed {
    /// By definition key (functions only).
    pub functions: HashMap<usize, Vec<Suppression>>,
    pub file: Vec<Suppression>,
    /// Markers that cover nothing, complexipy's included (`complexipy`
    /// lists the ones its search attached).
    pub stray: Vec<Suppression>,
}

/// Places the markers found in the comments of `tree` on `definitions`
/// (in key order); `complexipy` holds the suppressions complexipy's search
/// attached.
pub fn place(
    tree: &SyntaxTree<'_>,
    source: &str,
    definitions: &[Definition],
    complexipy: &[&Suppression],
) -> Placed {
    let mut placed = Placed::default();
    if !marker::mentions_any(source, &["antipasta", "noqa", "complexipy"]) {
        return placed;
    }
    let first_code_line = tree
        .root()
        .named_children()
        .next()
        .map_or(u32::MAX, |statement| {
            statement.start_position().row as u32 + 1
        });
    let comments = comments(tree, source);
    let found: Vec<(&Comment, &Marker)> = comments
        .iter()
        .flat_map(|comment| comment.markers.iter().map(move |m| (comment, m)))
        .collect();
    let mut attached = vec![false; found.len()];

    place_ignores(&mut placed, definitions, &found, &mut attached);

    // `# noqa` on the name's line; file markers; complexipy's.
    let by_complexipy: HashSet<(u32, &str)> = complexipy
        .iter()
        .map(|s| (s.line, s.marker.as_str()))
        .collect();
    let mut by_name_line: HashMap<u32, Vec<usize>> = HashMap::new();
    for (index, d) in definitions.iter().enumerate().filter(|(_, d)| !d.is_class) {
        by_name_line.entry(d.name_line).or_default().push(index);
    }
    for (i, (comment, found_marker)) in found.iter().enumerate() {
        let suppression = found_marker.suppression(comment.line);
        match found_marker.kind {
            MarkerKind::Noqa => {
                for &d in by_name_line.get(&comment.line).into_iter().flatten() {
                    push(&mut placed, definitions[d].key, suppression.clone());
                    attached[i] = true;
                }
            }
            MarkerKind::IgnoreFile if comment.line < first_code_line => {
                if placed.file.len() < marker::MAX_PER_LINE {
                    placed.file.push(suppression.clone());
                }
                attached[i] = true;
            }
            MarkerKind::Complexipy => {
                attached[i] = by_complexipy.contains(&(comment.line, found_marker.text.as_str()));
            }
            MarkerKind::ComplexipyRules => attached[i] = true,
            _ => {}
        }
        if !attached[i] {
            placed.stray.push(suppression);
        }
    }
    placed
}

/// `# antipasta: ignore`: the definitions whose header holds the comment
/// or that it stands directly above; a class hands its markers down to the
/// functions inside it.
fn place_ignores(
    placed: &mut Placed,
    definitions: &[Definition],
    found: &[(&Comment, &Marker)],
    attached: &mut [bool],
) {
    let ignores: Vec<usize> = (0..found.len())
        .filter(|&i| found[i].1.kind == MarkerKind::Ignore)
        .collect();
    let positions: Vec<(u32, bool)> = ignores
        .iter()
        .map(|&i| (found[i].0.line, found[i].0.own_line))
        .collect();
    let headers: Vec<(u32, u32)> = definitions
        .iter()
        .map(|d| (d.span.start_line, d.header_end_line))
        .collect();
    let mut by_class: BTreeMap<usize, Vec<Suppression>> = BTreeMap::new();
    for (m, d) in marker::on_headers(&positions, &headers) {
        let (comment, found_marker) = found[ignores[m]];
        attached[ignores[m]] = true;
        let suppression = found_marker.suppression(comment.line);
        if definitions[d].is_class {
            by_class.entry(d).or_default().push(suppression);
        } else {
            push(placed, definitions[d].key, suppression);
        }
    }
    for (class, suppressions) in &by_class {
        let class = &definitions[*class];
        let first = definitions.partition_point(|d| d.span.start_line <= class.header_end_line);
        for inner in definitions[first..]
            .iter()
            .take_while(|d| d.span.start_line <= class.span.end_line)
            .filter(|d| !d.is_class)
        {
            for suppression in suppressions {
                push(placed, inner.key, suppression.clone());
            }
        }
    }
}

/// Adds a suppression to a unit's list ([`marker::add_once`]).
fn push(placed: &mut Placed, key: usize, suppression: Suppression) {
    marker::add_once(placed.functions.entry(key).or_default(), suppression);
}

/// The comments holding markers, in source order.
fn comments(tree: &SyntaxTree<'_>, source: &str) -> Vec<Comment> {
    let mut found = Vec::new();
    for node in tree.nodes() {
        if node.kind() == "comment" {
            let text = node.text().trim_end_matches('\r');
            let markers = marker::python(text);
            if !markers.is_empty() {
                let start = node.start_byte();
                let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
                found.push(Comment {
                    line: node.start_position().row as u32 + 1,
                    own_line: source[line_start..start].trim().is_empty(),
                    markers,
                });
            }
        }
    }
    found.sort_by_key(|c| c.line);
    found
}

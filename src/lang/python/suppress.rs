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

use std::collections::HashMap;

use super::units::Definition;
use crate::lang::marker::{self, Marker, MarkerKind};
use crate::lang::tree::Node;
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

/// Places the markers found in the comments of `root` on `definitions`;
/// `complexipy` holds the suppressions complexipy's search attached.
pub fn place(
    root: Node<'_>,
    source: &str,
    definitions: &[Definition],
    complexipy: &[&Suppression],
) -> Placed {
    let mut placed = Placed::default();
    if !marker::mentions_any(source, &["antipasta", "noqa", "complexipy"]) {
        return placed;
    }
    let first_code_line = root.named_children().next().map_or(u32::MAX, |statement| {
        statement.start_position().row as u32 + 1
    });
    for comment in comments(root, source) {
        for found in &comment.markers {
            let suppression = found.suppression(comment.line);
            let attached = match found.kind {
                MarkerKind::Ignore => {
                    place_ignore(&mut placed, definitions, &comment, &suppression)
                }
                MarkerKind::Noqa => {
                    let mut any = false;
                    for d in definitions.iter().filter(|d| !d.is_class) {
                        if d.name_line == comment.line {
                            push(&mut placed, d.key, &suppression);
                            any = true;
                        }
                    }
                    any
                }
                MarkerKind::IgnoreFile if comment.line < first_code_line => {
                    placed.file.push(suppression.clone());
                    true
                }
                MarkerKind::Complexipy => complexipy.iter().any(|s| **s == suppression),
                _ => false,
            };
            if !attached && found.kind != MarkerKind::ComplexipyRules {
                placed.stray.push(suppression);
            }
        }
    }
    placed
}

/// `# antipasta: ignore`: the definitions whose header holds the comment
/// or that it stands directly above; a class passes it to its functions.
fn place_ignore(
    placed: &mut Placed,
    definitions: &[Definition],
    comment: &Comment,
    suppression: &Suppression,
) -> bool {
    let mut any = false;
    for d in definitions {
        let on_header = (d.span.start_line..=d.header_end_line).contains(&comment.line);
        let above = comment.own_line && comment.line + 1 == d.span.start_line;
        if !(on_header || above) {
            continue;
        }
        any = true;
        if d.is_class {
            for inner in definitions.iter().filter(|inner| {
                !inner.is_class
                    && inner.span.start_line > d.header_end_line
                    && inner.span.line <= d.span.end_line
            }) {
                push(placed, inner.key, suppression);
            }
        } else {
            push(placed, d.key, suppression);
        }
    }
    any
}

fn push(placed: &mut Placed, key: usize, suppression: &Suppression) {
    let list = placed.functions.entry(key).or_default();
    if !list.contains(suppression) {
        list.push(suppression.clone());
    }
}

/// The comments holding markers, in source order.
fn comments(root: Node<'_>, source: &str) -> Vec<Comment> {
    let mut found = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
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
        stack.extend(node.children());
    }
    found.sort_by_key(|c| c.line);
    found
}

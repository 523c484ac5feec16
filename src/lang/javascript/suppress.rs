//! Where JavaScript/TypeScript suppression markers apply (the forms are
//! parsed by `lang::marker`).
//!
//! - `// antipasta-ignore[…]` on any header line of a unit or class (its
//!   first line through the line where its body opens), or in an own-line
//!   comment directly above; on a class it covers every unit inside it.
//! - ESLint's directives apply at ESLint's report position of the unit
//!   (`line`/`column`, docs/metrics.md): `eslint-disable-next-line` to the
//!   line after the comment's last line, `eslint-disable-line` to its own
//!   line (a block comment spanning lines is no directive, as in ESLint),
//!   `/* eslint-disable */` from the comment on, up to a matching
//!   `/* eslint-enable */` or the end of the file.
//! - `// antipasta-ignore-file[…]` in a comment before the first statement.
//!
//! Markers that cover nothing are returned as strays.

use std::collections::HashMap;

use super::units::{UnitKey, Units};
use crate::config::metric::Metric;
use crate::lang::marker::{self, Marker, MarkerKind};
use crate::lang::tree::Node;
use crate::model::{Covers, Suppression};

/// The function-level metrics ESLint rules report.
const UNIT_METRICS: [Metric; 2] = [Metric::CyclomaticComplexity, Metric::CognitiveComplexity];

/// A comment holding at least one marker.
struct Comment {
    /// First and last line, 1-based.
    lines: (u32, u32),
    /// 1-based column of its start, in characters.
    column: u32,
    own_line: bool,
    markers: Vec<Marker>,
}

/// The markers of one file, placed.
#[derive(Debug, Default)]
pub struct Placed {
    pub units: HashMap<UnitKey, Vec<Suppression>>,
    pub file: Vec<Suppression>,
    pub stray: Vec<Suppression>,
}

/// Places the markers found in the comments of `root` on `found`'s units.
pub fn place(root: Node<'_>, source: &str, found: &Units) -> Placed {
    let mut placed = Placed::default();
    if !marker::mentions_any(source, &["antipasta", "eslint-"]) {
        return placed;
    }
    let first_code_line = root
        .named_children()
        .find(|statement| statement.kind() != "hash_bang_line")
        .map_or(u32::MAX, |statement| {
            statement.start_position().row as u32 + 1
        });
    let comments = comments(root, source);
    for comment in &comments {
        for found_marker in &comment.markers {
            let suppression = found_marker.suppression(comment.lines.0);
            let attached = match found_marker.kind {
                MarkerKind::Ignore => place_ignore(&mut placed, found, comment, &suppression),
                MarkerKind::IgnoreFile if comment.lines.0 < first_code_line => {
                    placed.file.push(suppression.clone());
                    true
                }
                MarkerKind::EslintDisableNextLine => {
                    at_line(&mut placed, found, comment.lines.1 + 1, &suppression)
                }
                MarkerKind::EslintDisableLine if comment.lines.0 == comment.lines.1 => {
                    at_line(&mut placed, found, comment.lines.0, &suppression)
                }
                // Placed below, once every block is known.
                MarkerKind::EslintDisable | MarkerKind::EslintEnable => continue,
                _ => false,
            };
            if !attached {
                placed.stray.push(suppression);
            }
        }
    }
    place_blocks(&mut placed, found, &comments);
    placed
}

/// `antipasta-ignore`: the units and classes whose header holds the
/// comment or that it stands directly above; a class passes it on to the
/// units inside it.
fn place_ignore(
    placed: &mut Placed,
    found: &Units,
    comment: &Comment,
    suppression: &Suppression,
) -> bool {
    let line = comment.lines.0;
    let near = |start_line: u32, header_end: u32| {
        (start_line..=header_end).contains(&line)
            || (comment.own_line && comment.lines.1 + 1 == start_line)
    };
    let mut any = false;
    for unit in &found.units {
        if near(unit.span.start_line, unit.header_end_line) {
            push(placed, unit.key, suppression.clone());
            any = true;
        }
    }
    for class in &found.classes {
        if !near(class.span.start_line, class.header_end_line) {
            continue;
        }
        any = true;
        for unit in found.units.iter().filter(|unit| {
            unit.span.start_line >= class.header_end_line && unit.span.line <= class.span.end_line
        }) {
            push(placed, unit.key, suppression.clone());
        }
    }
    any
}

/// An ESLint line directive: the units ESLint reports on `line`.
fn at_line(placed: &mut Placed, found: &Units, line: u32, suppression: &Suppression) -> bool {
    let mut any = false;
    for unit in found.units.iter().filter(|unit| unit.span.line == line) {
        push(placed, unit.key, suppression.clone());
        any = true;
    }
    any
}

/// `/* eslint-disable */` … `/* eslint-enable */`: for each unit and
/// metric, the last directive before the unit's report position that names
/// the metric decides; a disable covers the unit for the metrics it decides.
fn place_blocks(placed: &mut Placed, found: &Units, comments: &[Comment]) {
    let directives: Vec<(u32, u32, &Marker)> = comments
        .iter()
        .flat_map(|c| c.markers.iter().map(move |m| (c.lines.0, c.column, m)))
        .filter(|(_, _, m)| matches!(m.kind, MarkerKind::EslintDisable | MarkerKind::EslintEnable))
        .collect();
    if directives.is_empty() {
        return;
    }
    let mut used = vec![false; directives.len()];
    for unit in &found.units {
        let position = (unit.span.line, unit.span.column);
        let mut by_directive: Vec<(usize, Vec<Metric>)> = Vec::new();
        for metric in UNIT_METRICS {
            let deciding = directives
                .iter()
                .enumerate()
                .rfind(|(_, (line, column, m))| {
                    (*line, *column) < position && m.covers.contains(metric)
                });
            if let Some((index, (_, _, m))) = deciding {
                if m.kind == MarkerKind::EslintDisable {
                    match by_directive.iter_mut().find(|(i, _)| *i == index) {
                        Some((_, metrics)) => metrics.push(metric),
                        None => by_directive.push((index, vec![metric])),
                    }
                }
            }
        }
        for (index, metrics) in by_directive {
            let (line, _, m) = directives[index];
            let mut suppression = m.suppression(line);
            if metrics.len() < UNIT_METRICS.len() {
                suppression.covers = Covers::Only(metrics);
            }
            push(placed, unit.key, suppression);
            used[index] = true;
        }
    }
    for ((line, _, m), used) in directives.iter().zip(used) {
        if !used && m.kind == MarkerKind::EslintDisable {
            placed.stray.push(m.suppression(*line));
        }
    }
}

fn push(placed: &mut Placed, key: UnitKey, suppression: Suppression) {
    let list = placed.units.entry(key).or_default();
    if !list.contains(&suppression) {
        list.push(suppression);
    }
}

/// The comments holding markers, in source order.
fn comments(root: Node<'_>, source: &str) -> Vec<Comment> {
    let mut found = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "comment" {
            let markers = marker::javascript(node.text());
            if !markers.is_empty() {
                let start = node.start_byte();
                let line_start = source[..start]
                    .rfind(['\n', '\r', '\u{2028}', '\u{2029}'])
                    .map_or(0, |i| {
                        i + source[i..].chars().next().map_or(1, char::len_utf8)
                    });
                found.push(Comment {
                    lines: (
                        node.start_position().row as u32 + 1,
                        node.end_position().row as u32 + 1,
                    ),
                    column: node.start_char_column() as u32 + 1,
                    own_line: source[line_start..start].trim().is_empty(),
                    markers,
                });
            }
        }
        stack.extend(node.children());
    }
    found.sort_by_key(|c| (c.lines.0, c.column));
    found
}

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

use std::collections::{BTreeMap, HashMap};

use super::units::{Unit, UnitKey, Units};
use crate::config::metric::Metric;
use crate::lang::marker::{self, Marker, MarkerKind};
use crate::lang::tree::SyntaxTree;
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

/// Places the markers found in the comments of `tree` on `found`'s units.
pub fn place(tree: &SyntaxTree<'_>, source: &str, found: &Units) -> Placed {
    let mut placed = Placed::default();
    if !marker::mentions_any(source, &["antipasta", "eslint-"]) {
        return placed;
    }
    let first_code_line = tree
        .root()
        .named_children()
        .find(|statement| statement.kind() != "hash_bang_line")
        .map_or(u32::MAX, |statement| {
            statement.start_position().row as u32 + 1
        });
    let comments = comments(tree, source);
    let markers: Vec<(&Comment, &Marker)> = comments
        .iter()
        .flat_map(|comment| comment.markers.iter().map(move |m| (comment, m)))
        .collect();
    let mut attached = vec![false; markers.len()];
    place_ignores(&mut placed, found, &markers, &mut attached);

    // Per metric, the units each rule reports on a line.
    let mut by_report_line: [HashMap<u32, Vec<usize>>; 2] = Default::default();
    let line_directives = markers.iter().any(|(_, m)| {
        matches!(
            m.kind,
            MarkerKind::EslintDisableNextLine | MarkerKind::EslintDisableLine
        )
    });
    for (index, unit) in found.units.iter().enumerate().filter(|_| line_directives) {
        for (lines, metric) in by_report_line.iter_mut().zip(UNIT_METRICS) {
            let (line, _) = report_position(unit, metric);
            lines.entry(line).or_default().push(index);
        }
    }
    for (i, (comment, found_marker)) in markers.iter().enumerate() {
        let suppression = found_marker.suppression(comment.lines.0);
        let target = match found_marker.kind {
            MarkerKind::EslintDisableNextLine => Some(comment.lines.1 + 1),
            // A block comment spanning lines is no directive in ESLint.
            MarkerKind::EslintDisableLine if comment.lines.0 == comment.lines.1 => {
                Some(comment.lines.0)
            }
            _ => None,
        };
        if let Some(line) = target {
            let mut hit: Vec<(usize, Vec<Metric>)> = Vec::new();
            for (lines, metric) in by_report_line.iter().zip(UNIT_METRICS) {
                if !found_marker.covers.contains(metric) {
                    continue;
                }
                for &unit in lines.get(&line).into_iter().flatten() {
                    match hit.iter_mut().find(|(u, _)| *u == unit) {
                        Some((_, metrics)) => metrics.push(metric),
                        None => hit.push((unit, vec![metric])),
                    }
                }
            }
            for (unit, metrics) in hit {
                push(
                    &mut placed,
                    found.units[unit].key,
                    restricted(&suppression, metrics),
                );
                attached[i] = true;
            }
        }
        match found_marker.kind {
            MarkerKind::IgnoreFile if comment.lines.0 < first_code_line => {
                if placed.file.len() < marker::MAX_PER_LINE {
                    placed.file.push(suppression.clone());
                }
                attached[i] = true;
            }
            // Placed below, once every block is known.
            MarkerKind::EslintDisable | MarkerKind::EslintEnable => continue,
            _ => {}
        }
        if !attached[i] {
            placed.stray.push(suppression);
        }
    }
    place_blocks(&mut placed, found, &comments);
    placed
}

/// `antipasta-ignore`: the units and classes whose header holds the
/// comment or that it stands directly above; a class passes it on to the
/// units inside it.
fn place_ignores(
    placed: &mut Placed,
    found: &Units,
    markers: &[(&Comment, &Marker)],
    attached: &mut [bool],
) {
    let ignores: Vec<usize> = (0..markers.len())
        .filter(|&i| markers[i].1.kind == MarkerKind::Ignore)
        .collect();
    // An own-line comment stands above the line after its last line.
    let positions: Vec<(u32, bool)> = ignores
        .iter()
        .map(|&i| {
            let comment = markers[i].0;
            if comment.own_line {
                (comment.lines.1, true)
            } else {
                (comment.lines.0, false)
            }
        })
        .collect();
    let units = found.units.len();
    let headers: Vec<(u32, u32)> = found
        .units
        .iter()
        .map(|u| (u.span.start_line, u.header_end_line))
        .chain(
            found
                .classes
                .iter()
                .map(|c| (c.span.start_line, c.header_end_line)),
        )
        .collect();
    let mut by_class: BTreeMap<usize, Vec<Suppression>> = BTreeMap::new();
    for (m, header) in marker::on_headers(&positions, &headers) {
        let (comment, found_marker) = markers[ignores[m]];
        attached[ignores[m]] = true;
        let suppression = found_marker.suppression(comment.lines.0);
        match header.checked_sub(units) {
            Some(class) => by_class.entry(class).or_default().push(suppression),
            None => push(placed, found.units[header].key, suppression),
        }
    }
    if by_class.is_empty() {
        return;
    }
    let mut by_start: Vec<usize> = (0..units).collect();
    by_start.sort_by_key(|&u| found.units[u].span.start_line);
    for (class, suppressions) in &by_class {
        let class = &found.classes[*class];
        let first =
            by_start.partition_point(|&u| found.units[u].span.start_line < class.header_end_line);
        for &u in by_start[first..]
            .iter()
            .take_while(|&&u| found.units[u].span.start_line <= class.span.end_line)
        {
            for suppression in suppressions {
                push(placed, found.units[u].key, suppression.clone());
            }
        }
    }
}

/// `/* eslint-disable */` … `/* eslint-enable */`: for each unit and
/// metric, the last directive before the rule's report position that names
/// the metric decides; a disable covers the unit for the metrics it
/// decides. One sweep per metric over units and directives in position
/// order.
fn place_blocks(placed: &mut Placed, found: &Units, comments: &[Comment]) {
    let directives: Vec<(u32, u32, &Marker)> = comments
        .iter()
        .flat_map(|c| c.markers.iter().map(move |m| (c.lines.0, c.column, m)))
        .filter(|(_, _, m)| matches!(m.kind, MarkerKind::EslintDisable | MarkerKind::EslintEnable))
        .collect();
    if directives.is_empty() {
        return;
    }
    // (unit, directive) → the metrics the directive disables for the unit.
    let mut decided: HashMap<(usize, usize), Vec<Metric>> = HashMap::new();
    for metric in UNIT_METRICS {
        let mut order: Vec<usize> = (0..found.units.len()).collect();
        order.sort_by_key(|&u| report_position(&found.units[u], metric));
        let mut in_force = None;
        let mut next = 0;
        for u in order {
            let position = report_position(&found.units[u], metric);
            while let Some(&(line, column, m)) = directives.get(next) {
                if (line, column) >= position {
                    break;
                }
                if m.covers.contains(metric) {
                    in_force = (m.kind == MarkerKind::EslintDisable).then_some(next);
                }
                next += 1;
            }
            if let Some(index) = in_force {
                decided.entry((u, index)).or_default().push(metric);
            }
        }
    }
    let mut used = vec![false; directives.len()];
    let mut decided: Vec<((usize, usize), Vec<Metric>)> = decided.into_iter().collect();
    decided.sort_by_key(|((unit, index), _)| (*unit, *index));
    for ((unit, index), metrics) in decided {
        let (line, _, m) = directives[index];
        let suppression = restricted(&m.suppression(line), metrics);
        push(placed, found.units[unit].key, suppression);
        used[index] = true;
    }
    for ((line, _, m), used) in directives.iter().zip(used) {
        if !used && m.kind == MarkerKind::EslintDisable {
            placed.stray.push(m.suppression(*line));
        }
    }
}

/// Where a rule reports a unit: ESLint's `complexity` position, or
/// sonarjs's for cognitive complexity.
fn report_position(unit: &Unit, metric: Metric) -> (u32, u32) {
    match metric {
        Metric::CognitiveComplexity => unit.cognitive_position,
        _ => (unit.span.line, unit.span.column),
    }
}

/// A suppression narrowed to the metrics it covers for one unit (kept as
/// written when it covers all of them).
fn restricted(suppression: &Suppression, metrics: Vec<Metric>) -> Suppression {
    let mut narrowed = suppression.clone();
    if metrics.len() < UNIT_METRICS.len() {
        narrowed.covers = Covers::Only(metrics);
    }
    narrowed
}

/// Adds a suppression to a unit's list ([`marker::add_once`]).
fn push(placed: &mut Placed, key: UnitKey, suppression: Suppression) {
    marker::add_once(placed.units.entry(key).or_default(), suppression);
}

/// The comments holding markers, in source order.
fn comments(tree: &SyntaxTree<'_>, source: &str) -> Vec<Comment> {
    let mut found = Vec::new();
    for node in tree.nodes() {
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
    }
    found.sort_by_key(|c| (c.lines.0, c.column));
    // At most MAX_PER_LINE markers count on one line.
    let mut on_line = (0, 0);
    for comment in &mut found {
        if on_line.0 != comment.lines.0 {
            on_line = (comment.lines.0, 0);
        }
        let room = marker::MAX_PER_LINE - on_line.1;
        comment.markers.truncate(room);
        on_line.1 += comment.markers.len();
    }
    found.retain(|comment| !comment.markers.is_empty());
    found
}

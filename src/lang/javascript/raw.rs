//! Raw line counts of JavaScript/TypeScript source (antipasta's
//! definition, `docs/metrics.md`).
//!
//! Every line is exactly one of: code (it holds part of a token that is not
//! a comment; every line of a multi-line string or template literal is
//! code), comment-only (`single_comments`: it holds comment text and no
//! code; the hashbang line counts here) or blank. `comments` is the number
//! of lines holding comment text, code or not. `lloc` counts statements and
//! declarations. `multi` (radon's docstring lines) is always 0.

use crate::lang::tree::Node;
use crate::metrics::raw::RawCounts;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Blank,
    Comment,
    Code,
}

/// The raw counts of `source`, parsed as `root`.
pub fn raw_counts(root: Node<'_>, source: &str) -> RawCounts {
    let loc = source.lines().count();
    let mut lines = vec![Class::Blank; loc];
    let mut comment_lines = vec![false; loc];
    let mut lloc = 0;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if is_statement(node) {
            lloc += 1;
        }
        let first = node.start_position().row;
        let last = node.end_position().row;
        match node.kind() {
            "comment" | "html_comment" | "hash_bang_line" => {
                mark(&mut lines, first, last, Class::Comment);
                for seen in comment_lines.iter_mut().take(last + 1).skip(first) {
                    *seen = true;
                }
                continue;
            }
            "jsx_text" => {
                // JSX text between tags is often only indentation.
                for (row, piece) in (first..).zip(node.text().split('\n')) {
                    if !piece.trim().is_empty() {
                        mark(&mut lines, row, row, Class::Code);
                    }
                }
                continue;
            }
            _ => {}
        }
        if node.first_child().is_none() && node.start_byte() < node.end_byte() {
            mark(&mut lines, first, last, Class::Code);
        }
        stack.extend(node.children());
    }
    let count = |class: Class| lines.iter().filter(|c| **c == class).count() as u64;
    RawCounts {
        loc: loc as u64,
        lloc,
        sloc: count(Class::Code),
        comments: comment_lines.iter().filter(|c| **c).count() as u64,
        multi: 0,
        blank: count(Class::Blank),
        single_comments: count(Class::Comment),
    }
}

/// Raises rows `first..=last` to at least `class` (code wins over comment).
fn mark(lines: &mut [Class], first: usize, last: usize, class: Class) {
    for line in lines.iter_mut().take(last + 1).skip(first) {
        *line = (*line).max(class);
    }
}

/// Statements and declarations as ESTree has them: blocks, empty
/// statements and the `export` wrapper around a declaration are not counted
/// on their own.
fn is_statement(node: Node<'_>) -> bool {
    let kind = node.kind();
    if !(kind.ends_with("_statement") || kind.ends_with("_declaration")) {
        return false;
    }
    match kind {
        "statement_block" | "empty_statement" => false,
        "export_statement" => node.child_by_field_name("declaration").is_none(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{test_tree, Dialect};
    use super::*;

    #[test]
    fn classifies_code_comment_and_blank_lines() {
        let source = "#!/usr/bin/env node\n/**\n * Doc.\n */\nfunction f(a) { // why\n\n  const s = `x\n\ny`;\n  return s;\n}\nexport const k = 1;\n";
        let tree = test_tree(source, Dialect::JavaScript);
        let raw = raw_counts(tree.root(), source);
        assert_eq!(
            raw,
            RawCounts {
                loc: 12,
                // function, const, return, export const (one statement).
                lloc: 4,
                sloc: 7,
                comments: 5,
                multi: 0,
                blank: 1,
                single_comments: 4,
            }
        );
    }
}

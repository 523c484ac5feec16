//! Halstead operators and operands of JavaScript/TypeScript source
//! (antipasta's definition, `docs/metrics.md`).
//!
//! The file is cut into tokens once: anonymous grammar tokens (keywords,
//! punctuators, operators) are operators, keyed by their spelling; named
//! leaves (identifiers of every kind, `this`, `super`, `true`, `false`,
//! `null`, numbers, JSX text) and whole string, regex and substitution-free
//! template literals are operands, keyed by their text. Closing `)`, `]`
//! and `}` are not counted (a bracket pair counts once, at its opener), nor
//! comments, the hashbang line, and tokens the parser inserted (automatic
//! semicolons). A unit's counts are those of the tokens inside its node.

use std::collections::HashSet;

use crate::lang::tree::Node;
use crate::metrics::halstead::HalsteadCounts;

/// One counted token.
#[derive(Debug, Clone, Copy)]
pub struct Token<'s> {
    start: usize,
    operator: bool,
    key: &'s str,
}

/// The counted tokens of the file under `root`, in source order.
pub fn tokens<'s>(root: Node<'s>) -> Vec<Token<'s>> {
    let mut found = Vec::new();
    collect(root, &mut found);
    found
}

fn collect<'s>(node: Node<'s>, found: &mut Vec<Token<'s>>) {
    if node.is_missing() || node.start_byte() == node.end_byte() {
        return;
    }
    let atomic = match node.kind() {
        "comment" | "html_comment" | "hash_bang_line" => return,
        "string" | "regex" | "number" => true,
        "template_string" => !node
            .named_children()
            .any(|c| c.kind() == "template_substitution"),
        _ => node.first_child().is_none(),
    };
    if !atomic {
        for child in node.children() {
            collect(child, found);
        }
        return;
    }
    if node.is_named() {
        found.push(Token {
            start: node.start_byte(),
            operator: false,
            key: node.text(),
        });
    } else if !matches!(node.kind(), ")" | "]" | "}") {
        found.push(Token {
            start: node.start_byte(),
            operator: true,
            key: node.kind(),
        });
    }
}

/// Counts of the tokens starting in `start..end` (all when unbounded).
pub fn counts(tokens: &[Token<'_>], start: usize, end: usize) -> HalsteadCounts {
    let first = tokens.partition_point(|t| t.start < start);
    let last = tokens.partition_point(|t| t.start < end);
    let mut operators = HashSet::new();
    let mut operands = HashSet::new();
    let mut counts = HalsteadCounts::default();
    for token in &tokens[first..last] {
        if token.operator {
            counts.total_operators += 1;
            operators.insert(token.key);
        } else {
            counts.total_operands += 1;
            operands.insert(token.key);
        }
    }
    counts.distinct_operators = operators.len() as u64;
    counts.distinct_operands = operands.len() as u64;
    counts
}

#[cfg(test)]
mod tests {
    use super::super::{test_tree, Dialect};
    use super::*;

    fn file_counts(source: &str, dialect: Dialect) -> (u64, u64, u64, u64) {
        let tree = test_tree(source, dialect);
        let c = counts(&tokens(tree.root()), 0, usize::MAX);
        (
            c.distinct_operators,
            c.distinct_operands,
            c.total_operators,
            c.total_operands,
        )
    }

    #[test]
    fn keywords_and_punctuators_are_operators_names_and_literals_operands() {
        // Operators: function ( , { return + ; → 7 distinct, 8 total
        // (`+` twice; `)` and `}` are not counted).
        // Operands: f a b a b 1 → 4 distinct (f a b 1), 6 total.
        let source = "function f(a, b) { return a + b + 1; }\n";
        assert_eq!(file_counts(source, Dialect::JavaScript), (7, 4, 8, 6));
    }

    #[test]
    fn literals_are_single_operands_and_comments_are_ignored() {
        // const x = "a b" ; // c  → operators const = ; ; operands x "a b".
        // `${y}` template: operators ` ${ ` ; operand y.
        let source = "const x = \"a b\"; // c\nlet t = `p${y}q`, r = /re/g, s = `plain`\n";
        // Operators: const = ; let ` ${ , → 7 distinct; total const = ; let = ` ${ ` , = , = → 12.
        // Operands: x "a b" t p y q r /re/g s `plain` → 10 distinct, 10 total.
        assert_eq!(file_counts(source, Dialect::JavaScript), (7, 10, 12, 10));
    }

    #[test]
    fn typescript_types_count_as_tokens() {
        // let n : number = 1 ;  → operators let : number = ; ; operands n 1.
        let source = "let n: number = 1;\n";
        assert_eq!(file_counts(source, Dialect::TypeScript), (5, 2, 5, 2));
    }
}

//! Cyclomatic complexity as ESLint 10.15.0's `complexity` rule counts it
//! (variant `classic`; docs/js-metric-rules.md §1.2–1.3).
//!
//! Every unit (function, class field initializer, class static block)
//! starts at 1; each decision point adds 1 to the innermost unit whose code
//! path holds it. Method keys and decorators belong to the code around the
//! class; code outside every unit belongs to the program.

use std::collections::HashMap;

use super::syntax::{is_field_initializer, is_function};
use super::units::{UnitKey, UnitKind};
use crate::lang::tree::Node;

/// Complexities of one file.
#[derive(Debug, Default)]
pub struct Cyclomatic {
    /// ESLint's complexity of every unit.
    pub units: HashMap<UnitKey, u64>,
    /// The program code path: 1 plus the decision points outside every unit.
    pub program: u64,
}

impl Cyclomatic {
    /// The file's total: the program's count plus every unit's complexity,
    /// i.e. the sum over all of ESLint's code paths.
    pub fn file_total(&self) -> u64 {
        self.program + self.units.values().sum::<u64>()
    }
}

/// Counts every unit of the file rooted at `root`.
pub fn analyze(root: Node<'_>) -> Cyclomatic {
    let mut result = Cyclomatic {
        units: HashMap::new(),
        program: 1,
    };
    visit(root, None, &mut result);
    result
}

fn visit(node: Node<'_>, current: Option<UnitKey>, result: &mut Cyclomatic) {
    let mut current = current;
    if is_field_initializer(node) {
        current = Some(open(node, UnitKind::FieldInitializer, result));
    }
    if is_function(node) {
        let function = open(node, UnitKind::Function, result);
        for child in node.children() {
            // A method's (computed) key and decorators run outside the method.
            let outside = node.kind() == "method_definition"
                && matches!(child.field(), Some("name" | "decorator"));
            visit(
                child,
                if outside { current } else { Some(function) },
                result,
            );
        }
        return;
    }
    if node.kind() == "class_static_block" {
        current = Some(open(node, UnitKind::StaticBlock, result));
    }
    if is_decision_point(node) {
        match current {
            Some(key) => *result.units.entry(key).or_insert(1) += 1,
            None => result.program += 1,
        }
    }
    for child in node.children() {
        visit(child, current, result);
    }
}

fn open(node: Node<'_>, kind: UnitKind, result: &mut Cyclomatic) -> UnitKey {
    let key = UnitKey {
        node: node.id(),
        kind,
    };
    result.units.insert(key, 1);
    key
}

/// The nodes ESLint's `complexity` (classic) adds 1 for.
fn is_decision_point(node: Node<'_>) -> bool {
    match node.kind() {
        "if_statement" | "ternary_expression" | "for_statement" | "for_in_statement"
        | "while_statement" | "do_statement" | "catch_clause" | "switch_case" => true,
        // Every default value: parameters, destructuring, TS parameter properties.
        "assignment_pattern" | "object_assignment_pattern" => true,
        "required_parameter" | "optional_parameter" => node.child_by_field_name("value").is_some(),
        "binary_expression" => matches!(operator(node), Some("&&" | "||" | "??")),
        "augmented_assignment_expression" => matches!(operator(node), Some("&&=" | "||=" | "??=")),
        // Only the link written with `?.` counts. The TypeScript grammar
        // writes an optional call's `?.` as a bare token.
        "member_expression" | "subscript_expression" | "call_expression" => node
            .children()
            .any(|child| matches!(child.kind(), "optional_chain" | "?.")),
        _ => false,
    }
}

fn operator<'t>(node: Node<'t>) -> Option<&'t str> {
    node.child_by_field_name("operator").map(|op| op.kind())
}

#[cfg(test)]
mod tests {
    use super::super::{test_tree, Dialect};
    use super::*;

    /// (ESLint line, complexity) of every unit, sorted by position.
    fn complexities(source: &str, dialect: Dialect) -> Vec<(usize, u64)> {
        let tree = test_tree(source, dialect);
        let result = analyze(tree.root());
        let mut by_node: Vec<(usize, UnitKind, u64)> = result
            .units
            .iter()
            .map(|(key, cc)| (key.node, key.kind, *cc))
            .collect();
        by_node.sort_by_key(|(node, kind, _)| (*node, *kind));
        let starts: HashMap<usize, usize> = tree
            .nodes()
            .map(|n| (n.id(), n.start_position().row + 1))
            .collect();
        by_node
            .into_iter()
            .map(|(node, _, cc)| (starts[&node], cc))
            .collect()
    }

    #[test]
    fn counts_branches_loops_and_logical_operators() {
        let source = "function f(a, b) {\n  if (a) { return 1; } else if (b) { return 2; } else { return 3; }\n}\n\
                      function g(a, b, c, d) { return a && b || c && d ?? a; }\n\
                      function h(o) { o.a ||= 1; o.b &&= 2; o.c ??= 3; o.d += 4; }\n\
                      async function l(o, xs, it) {\n  for (let i = 0; i < 3; i++) { }\n  for (const k in o) { }\n  for (const x of xs) { }\n  for await (const y of it) { }\n  while (o.a) { }\n  do { } while (o.b);\n}\n";
        assert_eq!(
            complexities(source, Dialect::JavaScript),
            vec![(1, 3), (4, 5), (5, 4), (6, 7)]
        );
    }

    #[test]
    fn switch_catch_defaults_and_optional_chains() {
        let source = "function f(k, x) {\n  switch (k) { case 1: case 2: return 'a'; case 3: if (x) {} break; default: return 'c'; }\n}\n\
                      function g(a = 1, { b = 2, c } = {}) {\n  const [d = 3, e] = a;\n  for (const { g = 4 } of b) { }\n  try { } catch (e) { } finally { }\n}\n\
                      function h(a, k) { return a?.b.c?.[k]?.(1) ?? a?.d; }\n";
        assert_eq!(
            complexities(source, Dialect::JavaScript),
            vec![(1, 5), (4, 8), (9, 6)]
        );
    }

    #[test]
    fn class_members_fields_and_static_blocks() {
        // docs/js-metric-rules.md §4 "class-members" and "class-in-function".
        let source = "class A {\n  x = this.a || 1;\n  y = () => this.b && 2;\n  static z = function () { return 3; };\n  #p() { return this.c ?? 4; }\n  static { if (A.d) { A.e = 5; } }\n  constructor(a) { if (a) { this.a = a; } }\n}\n\
                      function make(flag) {\n  return class {\n    x = flag ? 1 : 2;\n    static { if (flag) { init(); } }\n  };\n}\n";
        assert_eq!(
            complexities(source, Dialect::JavaScript),
            vec![
                (2, 2),
                (3, 2),
                (3, 1),
                (4, 1),
                (4, 1),
                (5, 2),
                (6, 2),
                (7, 2),
                (9, 1),
                (11, 2),
                (12, 2)
            ]
        );
    }

    #[test]
    fn typescript_class_edges_belong_to_the_enclosing_function() {
        // docs/js-metric-rules.md §4 "class-edges" and "ts-types".
        let source = "function build(a: any, b: any) {\n  @dec(a || b)\n  class C extends (a ?? Object) {\n    [a && 'k'] = 1;\n    accessor acc = a ? 1 : 2;\n    h = x => x || 1;\n    ['lit']() { return a?.b; }\n  }\n  return C;\n}\n\
                      function over(a: string): string;\nfunction over(a: any): any { return a ?? f?.(); }\n\
                      abstract class B {\n  abstract run(): void;\n  constructor(private readonly x: number = 1, public y?: string) { }\n  declare w: number;\n}\n";
        assert_eq!(
            complexities(source, Dialect::TypeScript),
            vec![(1, 5), (4, 1), (6, 2), (6, 1), (7, 2), (12, 3), (15, 2)]
        );
    }
}

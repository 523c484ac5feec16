//! Halstead operators and operands exactly as radon 6.0.1's `HalsteadVisitor` counts them.
//!
//! Only five constructs count: binary, unary and boolean operators,
//! augmented assignments and comparisons (docs/metric-rules.md §B.1). Operands are
//! keyed by (enclosing function name, value): a name or attribute by its
//! bare name, a constant by its Python value, anything else by its node, so
//! every such occurrence is distinct (§B.2). Decorators, defaults and
//! annotations of a `def` are never visited; class bases and decorators are.

use std::collections::HashSet;

use super::literal::{decode_string, Number, StringValue};
use super::syntax::{undecorated, unparenthesized};
use crate::lang::tree::Node;
use crate::metrics::halstead::HalsteadCounts;

/// The value part of an operand key, compared as Python's `==` would.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Operand<'s> {
    /// Names, attribute names and `str` constants share one space: `x == 'x'`.
    Text(std::borrow::Cow<'s, str>),
    Bytes(Vec<u8>),
    Number(Number),
    None,
    Ellipsis,
    /// Any other expression: unique per occurrence (keyed by its tree node id).
    Node(usize),
}

/// A running set of operators and operands (one radon visitor's state).
#[derive(Debug, Default)]
struct Tally<'s> {
    operators: HashSet<&'static str>,
    operands: HashSet<(Option<&'s str>, Operand<'s>)>,
    total_operators: u64,
    total_operands: u64,
}

impl Tally<'_> {
    fn counts(&self) -> HalsteadCounts {
        HalsteadCounts {
            distinct_operators: self.operators.len() as u64,
            distinct_operands: self.operands.len() as u64,
            total_operators: self.total_operators,
            total_operands: self.total_operands,
        }
    }
}

/// radon's `h_visit` result: the file total and radon's per-function list.
#[derive(Debug, Default)]
pub struct HalsteadScan {
    pub total: HalsteadCounts,
    /// (definition start byte, counts) for every def reached from the module
    /// without passing through another def, in source order.
    pub functions: Vec<(usize, HalsteadCounts)>,
}

/// Counts a module.
pub fn analyze(root: Node<'_>) -> HalsteadScan {
    let mut walker = Walker {
        total: Tally::default(),
        functions: Vec::new(),
    };
    walker.walk_children(root, None, None);
    HalsteadScan {
        total: walker.total.counts(),
        functions: walker
            .functions
            .into_iter()
            .map(|(key, tally)| (key, tally.counts()))
            .collect(),
    }
}

struct Walker<'s> {
    total: Tally<'s>,
    functions: Vec<(usize, Tally<'s>)>,
}

impl<'s> Walker<'s> {
    /// Visits a node. `context` is the enclosing function's name; `report`
    /// indexes the per-function tally the counts also go to.
    fn walk(&mut self, node: Node<'s>, context: Option<&'s str>, report: Option<usize>) {
        match node.kind() {
            "decorated_definition" => {
                let definition = undecorated(node);
                if definition.kind() == "class_definition" {
                    // ClassDef is visited generically: its decorators count.
                    self.walk_children(node, context, report);
                } else {
                    self.walk(definition, context, report);
                }
            }
            "function_definition" => self.walk_function(node, report),
            "binary_operator" => {
                let operator = operator_text(node);
                self.count(
                    node,
                    binary_operator_name(operator),
                    &child_fields(node, &["left", "right"]),
                    context,
                    report,
                );
            }
            "unary_operator" => {
                let name = match operator_text(node) {
                    "-" => "USub",
                    "+" => "UAdd",
                    _ => "Invert",
                };
                self.count(
                    node,
                    name,
                    &child_fields(node, &["argument"]),
                    context,
                    report,
                );
            }
            "not_operator" => self.count(
                node,
                "Not",
                &child_fields(node, &["argument"]),
                context,
                report,
            ),
            "augmented_assignment" => {
                let operator = operator_text(node);
                let name = binary_operator_name(operator.trim_end_matches('='));
                self.count(
                    node,
                    name,
                    &child_fields(node, &["left", "right"]),
                    context,
                    report,
                );
            }
            // `X | Y` in an annotation is a BinOp(BitOr) in CPython.
            "union_type" => {
                let operands: Vec<Node<'s>> = node.named_children().collect();
                self.count(node, "BitOr", &operands, context, report);
            }
            "complex_pattern" => self.walk_complex_pattern(node, context, report),
            "boolean_operator" => self.walk_boolean(node, context, report),
            "comparison_operator" => self.walk_comparison(node, context, report),
            _ => self.walk_children(node, context, report),
        }
    }

    fn walk_children(&mut self, node: Node<'s>, context: Option<&'s str>, report: Option<usize>) {
        let mut minus = false;
        for child in node.children() {
            if child.is_named() {
                // `case -1:` is a MatchValue holding UnaryOp(USub, 1).
                if minus && is_number(child) && is_pattern(node) {
                    self.count_only("USub", &[child], context, report);
                }
                self.walk(child, context, report);
            }
            minus = child.kind() == "-" && !child.is_named();
        }
    }

    /// `case -1 + 2j:` is a BinOp whose left side is a constant or a
    /// UnaryOp(USub, constant) (a unique operand).
    fn walk_complex_pattern(
        &mut self,
        node: Node<'s>,
        context: Option<&'s str>,
        report: Option<usize>,
    ) {
        let negated = node
            .first_child()
            .is_some_and(|c| c.kind() == "-" && !c.is_named());
        let numbers: Vec<Node<'s>> = node.named_children().filter(|c| is_number(*c)).collect();
        let operator = node
            .children()
            .filter(|c| !c.is_named())
            .nth(usize::from(negated));
        let (Some(left), Some(right), Some(operator)) = (numbers.first(), numbers.get(1), operator)
        else {
            return;
        };
        let name = if operator.kind() == "+" { "Add" } else { "Sub" };
        let left_key = if negated {
            Operand::Node(left.id())
        } else {
            operand_key(*left)
        };
        self.count_keys(name, vec![left_key, operand_key(*right)], context, report);
        if negated {
            self.count_only("USub", &[*left], context, report);
        }
    }

    /// A def: only its body, under its own name; listed when not nested in another def.
    fn walk_function(&mut self, node: Node<'s>, report: Option<usize>) {
        let name = node.child_by_field_name("name").map(|n| n.text());
        let report = report.or_else(|| {
            self.functions.push((node.start_byte(), Tally::default()));
            Some(self.functions.len() - 1)
        });
        if let Some(body) = node.child_by_field_name("body") {
            for statement in body.named_children() {
                self.walk(statement, name, report);
            }
        }
    }

    /// A merged `BoolOp`: one operator, every operand of the unparenthesised run.
    fn walk_boolean(&mut self, node: Node<'s>, context: Option<&'s str>, report: Option<usize>) {
        let operator = operator_text(node);
        let mut operands = Vec::new();
        collect_bool_operands(node, operator, &mut operands);
        let name = if operator == "and" { "And" } else { "Or" };
        self.count_only(name, &operands, context, report);
        for operand in operands {
            self.walk(operand, context, report);
        }
    }

    fn walk_comparison(&mut self, node: Node<'s>, context: Option<&'s str>, report: Option<usize>) {
        let operators: Vec<&'static str> = node
            .children_by_field_name("operators")
            .map(|op| comparison_operator_name(op.kind()))
            .collect();
        let operands: Vec<Node<'s>> = node.named_children().collect();
        for name in &operators {
            self.record_operator(name, report);
        }
        self.add_totals(operators.len() as u64, 0, report);
        self.count_operands(&operands, context, report);
        self.walk_children(node, context, report);
    }

    fn count(
        &mut self,
        node: Node<'s>,
        operator: &'static str,
        operands: &[Node<'s>],
        context: Option<&'s str>,
        report: Option<usize>,
    ) {
        self.count_only(operator, operands, context, report);
        self.walk_children(node, context, report);
    }

    /// One occurrence of `operator` with these operands (children not visited).
    fn count_only(
        &mut self,
        operator: &'static str,
        operands: &[Node<'s>],
        context: Option<&'s str>,
        report: Option<usize>,
    ) {
        self.record_operator(operator, report);
        self.add_totals(1, 0, report);
        self.count_operands(operands, context, report);
    }

    /// One occurrence of `operator` with operands already keyed.
    fn count_keys(
        &mut self,
        operator: &'static str,
        keys: Vec<Operand<'s>>,
        context: Option<&'s str>,
        report: Option<usize>,
    ) {
        self.record_operator(operator, report);
        self.add_totals(1, 0, report);
        self.count_operand_keys(keys, context, report);
    }

    fn record_operator(&mut self, operator: &'static str, report: Option<usize>) {
        self.total.operators.insert(operator);
        if let Some(index) = report {
            self.functions[index].1.operators.insert(operator);
        }
    }

    fn add_totals(&mut self, operators: u64, operands: u64, report: Option<usize>) {
        for tally in self.tallies(report) {
            tally.total_operators += operators;
            tally.total_operands += operands;
        }
    }

    fn count_operands(
        &mut self,
        operands: &[Node<'s>],
        context: Option<&'s str>,
        report: Option<usize>,
    ) {
        let keys: Vec<Operand<'s>> = operands
            .iter()
            .map(|operand| operand_key(*operand))
            .collect();
        self.count_operand_keys(keys, context, report);
    }

    fn count_operand_keys(
        &mut self,
        keys: Vec<Operand<'s>>,
        context: Option<&'s str>,
        report: Option<usize>,
    ) {
        self.add_totals(0, keys.len() as u64, report);
        for value in keys {
            let key = (context, value);
            if let Some(index) = report {
                self.functions[index].1.operands.insert(key.clone());
            }
            self.total.operands.insert(key);
        }
    }

    fn tallies(&mut self, report: Option<usize>) -> impl Iterator<Item = &mut Tally<'s>> {
        let function = match report {
            Some(index) => self.functions.get_mut(index).map(|(_, tally)| tally),
            None => None,
        };
        std::iter::once(&mut self.total).chain(function)
    }
}

fn is_number(node: Node<'_>) -> bool {
    matches!(node.kind(), "integer" | "float")
}

fn is_pattern(node: Node<'_>) -> bool {
    node.kind().ends_with("_pattern")
}

fn child_fields<'t>(node: Node<'t>, fields: &[&str]) -> Vec<Node<'t>> {
    fields
        .iter()
        .filter_map(|field| node.child_by_field_name(field))
        .collect()
}

fn operator_text<'t>(node: Node<'t>) -> &'t str {
    node.child_by_field_name("operator")
        .map_or("", |op| op.text())
}

/// Operands of a run of the same boolean operator, as CPython merges it:
/// nested `boolean_operator`s with the same operator join the run unless
/// parentheses separate them.
fn collect_bool_operands<'t>(node: Node<'t>, operator: &str, out: &mut Vec<Node<'t>>) {
    let mut pending = vec![node];
    while let Some(current) = pending.pop() {
        for field in ["right", "left"] {
            let Some(child) = current.child_by_field_name(field) else {
                continue;
            };
            if child.kind() == "boolean_operator" && operator_text(child) == operator {
                pending.push(child);
            } else {
                out.push(child);
            }
        }
    }
    out.reverse();
}

fn binary_operator_name(operator: &str) -> &'static str {
    match operator {
        "+" => "Add",
        "-" => "Sub",
        "*" => "Mult",
        "@" => "MatMult",
        "/" => "Div",
        "%" => "Mod",
        "**" => "Pow",
        "<<" => "LShift",
        ">>" => "RShift",
        "|" => "BitOr",
        "^" => "BitXor",
        "&" => "BitAnd",
        "//" => "FloorDiv",
        _ => "Unknown",
    }
}

fn comparison_operator_name(kind: &str) -> &'static str {
    match kind {
        "==" => "Eq",
        "!=" | "<>" => "NotEq",
        "<" => "Lt",
        "<=" => "LtE",
        ">" => "Gt",
        ">=" => "GtE",
        "is" => "Is",
        "is not" => "IsNot",
        "in" => "In",
        "not in" => "NotIn",
        _ => "Unknown",
    }
}

/// The operand key radon's `dispatch` computes: `Name.id`, `Attribute.attr`,
/// `Constant.value`, or the node itself.
fn operand_key(operand: Node<'_>) -> Operand<'_> {
    let mut node = unparenthesized(operand);
    // Annotation wrappers (`type`) do not exist in CPython's AST.
    while node.kind() == "type" {
        match node.named_children().next() {
            Some(inner) => node = unparenthesized(inner),
            None => break,
        }
    }
    let unique = Operand::Node(node.id());
    match node.kind() {
        "identifier" | "keyword_identifier" => Operand::Text(node.text().into()),
        "member_type" => node
            .named_children()
            .last()
            .map_or(unique, |attr| Operand::Text(attr.text().into())),
        "attribute" => node
            .child_by_field_name("attribute")
            .map_or(unique, |attr| Operand::Text(attr.text().into())),
        "integer" | "float" => Number::parse(node.text()).map_or(unique, Operand::Number),
        "true" => Operand::Number(Number::from_bool(true)),
        "false" => Operand::Number(Number::from_bool(false)),
        "none" => Operand::None,
        "ellipsis" => Operand::Ellipsis,
        "string" | "concatenated_string" => string_constant(node).unwrap_or(unique),
        _ => unique,
    }
}

/// The value of a string literal (implicitly concatenated or not); `None`
/// for f-strings, which are `JoinedStr` nodes and so unique operands.
fn string_constant(node: Node<'_>) -> Option<Operand<'_>> {
    let pieces: Vec<Node<'_>> = if node.kind() == "string" {
        vec![node]
    } else {
        node.named_children()
            .filter(|c| c.kind() == "string")
            .collect()
    };
    let mut text_value = String::new();
    let mut bytes_value: Vec<u8> = Vec::new();
    let mut is_bytes = None;
    for piece in pieces {
        let start = piece.first_child()?;
        let end = piece.last_child()?;
        let opening = start.text();
        let prefix = opening.trim_end_matches(['"', '\'']);
        if prefix.contains(['f', 'F', 't', 'T']) {
            return None;
        }
        let body = piece
            .text()
            .get(start.end_byte() - piece.start_byte()..end.start_byte() - piece.start_byte())?;
        match decode_string(prefix, body) {
            StringValue::Str(s) if is_bytes != Some(true) => {
                is_bytes = Some(false);
                text_value.push_str(&s);
            }
            StringValue::Bytes(b) if is_bytes != Some(false) => {
                is_bytes = Some(true);
                bytes_value.extend(b);
            }
            _ => return None,
        }
    }
    Some(if is_bytes == Some(true) {
        Operand::Bytes(bytes_value)
    } else {
        Operand::Text(text_value.into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(source: &str) -> HalsteadScan {
        let tree = super::super::test_tree(source);
        analyze(tree.root())
    }

    /// (N1, N2, h1, h2) of the file total, radon's test tuple order.
    fn totals(source: &str) -> (u64, u64, u64, u64) {
        let c = scan(source).total;
        (
            c.total_operators,
            c.total_operands,
            c.distinct_operators,
            c.distinct_operands,
        )
    }

    #[test]
    fn radon_halstead_test_cases() {
        assert_eq!(totals("if a and b: pass\n"), (1, 2, 1, 2));
        assert_eq!(
            totals("if a and b: pass\nelif b or c: pass\n"),
            (2, 4, 2, 3)
        );
        assert_eq!(totals("a += 3\nb += 4\nc *= 3\n"), (3, 6, 2, 5));
        assert_eq!(
            totals("a = b < 4\nc = i <= 45 >= d\nk = 4 < 2\n"),
            (4, 7, 3, 6)
        );
    }

    #[test]
    fn radon_h_visit_case_total_and_function() {
        let src =
            "a = b + c\nd = c - f\n\ndef f(b):\n    a = 2 - 4\n    d = a + b\n    return a ** d\n";
        let s = scan(src);
        let t = s.total;
        assert_eq!(
            (
                t.distinct_operators,
                t.distinct_operands,
                t.total_operators,
                t.total_operands
            ),
            (3, 8, 5, 10)
        );
        assert_eq!(s.functions.len(), 1);
        let f = s.functions[0].1;
        assert_eq!(
            (
                f.distinct_operators,
                f.distinct_operands,
                f.total_operators,
                f.total_operands
            ),
            (3, 5, 3, 6)
        );
    }

    #[test]
    fn operands_compare_by_python_value() {
        // Two BinOp nodes, `1` (== 1.0 == True) and `a`.
        assert_eq!(totals("a + 1 + 1.0 + True\n").3, 4);
        assert_eq!(
            totals("(a == None, a == 0, a == False, a == 0.0, a == '')\n"),
            (5, 10, 1, 4)
        );
        // A name, an attribute and a string with the same text are one operand.
        assert_eq!(totals("x + o.x + 'x'\n").3, 2);
        assert_eq!(totals("b'a' + 'a'\n").3, 2);
        assert_eq!(totals("'a' 'b' + 'ab'\n").3, 1);
    }

    #[test]
    fn f_strings_are_unique_but_their_operators_count() {
        assert_eq!(totals("f'{a + b}'\n"), (1, 2, 1, 2));
        assert_eq!(totals("x = f'a' + f'a'\n").3, 2);
    }

    #[test]
    fn boolean_runs_merge_unless_parenthesised() {
        assert_eq!(totals("a and b and c\n"), (1, 3, 1, 3));
        assert_eq!(totals("a and (b and c)\n"), (2, 4, 1, 4));
        assert_eq!(totals("a or b and c\n"), (2, 4, 2, 4));
    }

    #[test]
    fn functions_with_same_name_share_a_context() {
        assert_eq!(
            totals("def f(a): return a + 1\ndef f(b): return b - 1\n").3,
            3
        );
    }

    #[test]
    fn def_decorators_defaults_annotations_are_not_visited() {
        let src = "@d(a + b)\ndef f(x: a | b = c - d) -> e | f:\n    return x\n";
        assert_eq!(totals(src), (0, 0, 0, 0));
        // Class decorators and bases are visited.
        assert_eq!(totals("@d(a + b)\nclass C(x - y):\n    pass\n").0, 2);
    }

    #[test]
    fn per_function_list_skips_nested_defs_but_counts_them_inside() {
        let src = "def f(a):\n    def g(b):\n        return b + 1\n    return a - 1\nclass C:\n    def m(self):\n        return -self\n";
        let s = scan(src);
        assert_eq!(s.functions.len(), 2);
        assert_eq!(s.functions[0].1.total_operators, 2);
        assert_eq!(s.functions[1].1.total_operators, 1);
    }

    #[test]
    fn line_continuations_are_not_operands() {
        assert_eq!(totals("x = (a, b) < \\\n    (c, d)\n"), (1, 2, 1, 2));
    }

    #[test]
    fn annotation_unions_are_bitor_binops() {
        // One BitOr (a unique subscript, None) and one IsNot (a unique call, None): radon gives h2 = 3.
        assert_eq!(
            totals("x: Callable[[], int] | None = f(x) is not None\n"),
            (2, 4, 2, 3)
        );
        assert_eq!(totals("class C:\n    y: a.b | c = 1\n"), (1, 2, 1, 2));
    }

    #[test]
    fn match_value_patterns_hold_unary_and_binary_operators() {
        let src = "match x:\n    case -0: pass\n    case 0 + 0j: pass\n    case -1 - 2j: pass\n    case {-0-0j: 1}: pass\n";
        // USub(0); Add(0, 0j); Sub(USub(1) unique, 2j) + USub(1); Sub(USub(0) unique, 0j) + USub(0).
        assert_eq!(totals(src), (6, 9, 3, 5));
    }
}

//! Cyclomatic complexity exactly as radon 6.0.1's `ComplexityVisitor` counts it.
//!
//! Mirrors the visitor's structure: a function's complexity is 1 plus the
//! decision points of its body statements; nested defs become closures with
//! their own numbers; classes inside functions vanish; decorators, defaults,
//! annotations and class bases are never visited (docs/metric-rules.md §A).

use std::collections::HashMap;

use super::syntax::{body_statements, undecorated, unparenthesized};
use crate::lang::tree::Node;
use crate::metrics::cyclomatic::class_complexity;
use crate::model::FunctionUnit;

/// radon's numbers for one file, keyed by definition start byte.
#[derive(Debug, Default)]
pub struct CyclomaticReport {
    /// `ComplexityVisitor.total_complexity` of the module (the MI input).
    pub module_total: u64,
    /// Every function, method and closure radon reports.
    pub functions: HashMap<usize, u64>,
    /// Every class radon reports (its averaged `complexity`).
    pub classes: HashMap<usize, u64>,
}

struct Function {
    key: usize,
    complexity: u64,
    closures: Vec<Function>,
}

struct Class {
    key: usize,
    real_complexity: u64,
    methods: Vec<Function>,
    inner_classes: Vec<Class>,
}

/// One `ComplexityVisitor`: its own decision points plus the blocks it found.
struct Visitor<'k> {
    complexity: u64,
    functions: Vec<Function>,
    classes: Vec<Class>,
    /// Functions whose complexity is already known (unchanged since a
    /// baseline): their bodies are not visited.
    known: &'k Known<'k>,
}

/// Definition key → the unchanged function's previous numbers.
pub type Known<'k> = HashMap<usize, &'k FunctionUnit>;

/// Runs radon's visitor over a module; functions in `known` keep their
/// previous complexity, as do the functions nested in them.
pub fn analyze(root: Node<'_>, known: &Known<'_>) -> CyclomaticReport {
    let mut module = Visitor {
        complexity: 1,
        ..Visitor::new(known)
    };
    module.visit_children(root);
    let functions_part: u64 = module.functions.iter().map(|f| f.complexity - 1).sum();
    let classes_part: u64 = module.classes.iter().map(|c| c.real_complexity - 1).sum();
    let mut report = CyclomaticReport {
        module_total: module.complexity + functions_part + classes_part,
        ..CyclomaticReport::default()
    };
    for function in &module.functions {
        record_function(function, &mut report);
    }
    for class in &module.classes {
        record_class(class, &mut report);
    }
    // Closures of skipped bodies were not visited; their numbers are known too.
    for (key, unit) in known {
        if let Some(complexity) = unit.cyclomatic {
            report.functions.entry(*key).or_insert(complexity);
        }
    }
    report
}

fn record_function(function: &Function, report: &mut CyclomaticReport) {
    report.functions.insert(function.key, function.complexity);
    for closure in &function.closures {
        record_function(closure, report);
    }
}

fn record_class(class: &Class, report: &mut CyclomaticReport) {
    report.classes.insert(
        class.key,
        class_complexity(class.real_complexity, class.methods.len() as u64),
    );
    for method in &class.methods {
        record_function(method, report);
    }
    for inner in &class.inner_classes {
        record_class(inner, report);
    }
}

impl<'k> Visitor<'k> {
    fn new(known: &'k Known<'k>) -> Self {
        Visitor {
            complexity: 0,
            functions: Vec::new(),
            classes: Vec::new(),
            known,
        }
    }

    fn visit(&mut self, node: Node<'_>) {
        match node.kind() {
            "decorated_definition" => self.visit(undecorated(node)),
            "function_definition" => self.visit_function(node),
            "class_definition" => self.visit_class(node),
            // `assert` counts 1 and its sub-expressions are never visited.
            "assert_statement" => self.complexity += 1,
            _ => {
                self.complexity += decision_points(node);
                self.visit_children(node);
            }
        }
    }

    fn visit_children(&mut self, node: Node<'_>) {
        for child in node.named_children() {
            self.visit(child);
        }
    }

    fn visit_function(&mut self, node: Node<'_>) {
        if let Some(complexity) = self
            .known
            .get(&node.start_byte())
            .and_then(|u| u.cyclomatic)
        {
            self.functions.push(Function {
                key: node.start_byte(),
                complexity,
                closures: Vec::new(),
            });
            return;
        }
        let mut complexity = 1;
        let mut closures = Vec::new();
        for statement in body_statements(node) {
            let mut visitor = Visitor::new(self.known);
            visitor.visit(statement);
            closures.append(&mut visitor.functions);
            complexity += visitor.complexity;
        }
        self.functions.push(Function {
            key: node.start_byte(),
            complexity,
            closures,
        });
    }

    fn visit_class(&mut self, node: Node<'_>) {
        let mut real_complexity = 1;
        let mut methods = Vec::new();
        let mut inner_classes = Vec::new();
        for statement in body_statements(node) {
            let mut visitor = Visitor::new(self.known);
            visitor.visit(statement);
            real_complexity +=
                visitor.complexity + visitor.functions.iter().map(|f| f.complexity).sum::<u64>();
            methods.append(&mut visitor.functions);
            inner_classes.append(&mut visitor.classes);
        }
        self.classes.push(Class {
            key: node.start_byte(),
            real_complexity,
            methods,
            inner_classes,
        });
    }
}

/// The decision points a node adds by itself (children are visited apart).
fn decision_points(node: Node<'_>) -> u64 {
    match node.kind() {
        // Each `elif` is an `If` nested in the parent's `orelse` in CPython.
        "if_statement" | "elif_clause" | "conditional_expression" => 1,
        // One `and`/`or` keyword adds one operand to a merged `BoolOp`.
        "boolean_operator" => 1,
        "for_statement" | "while_statement" => 1 + u64::from(has_else(node)),
        "try_statement" => try_decision_points(node),
        "for_in_clause" => 1,
        // Match guards are `if_clause`s too, but only comprehension filters count.
        "if_clause" => u64::from(node.parent().is_some_and(|p| p.kind() != "case_clause")),
        "match_statement" => match_decision_points(node),
        _ => 0,
    }
}

fn has_else(node: Node<'_>) -> bool {
    node.child_by_field_name("alternative")
        .is_some_and(|alt| alt.kind() == "else_clause")
}

/// `try`: one per handler plus one for `else:`; `except*` (`TryStar`) counts 0.
fn try_decision_points(node: Node<'_>) -> u64 {
    let handlers: Vec<Node<'_>> = node
        .named_children()
        .filter(|c| c.kind() == "except_clause")
        .collect();
    if handlers.iter().any(|h| h.has_token("*")) {
        return 0;
    }
    let has_else = node.named_children().any(|c| c.kind() == "else_clause");
    handlers.len() as u64 + u64::from(has_else)
}

/// `match`: the number of cases, minus one when a case is an irrefutable
/// bare capture or wildcard (`case _`, `case name`, `case (x)`).
fn match_decision_points(node: Node<'_>) -> u64 {
    let cases: Vec<Node<'_>> = node
        .child_by_field_name("body")
        .into_iter()
        .flat_map(|body| body.named_children())
        .filter(|c| c.kind() == "case_clause")
        .collect();
    let has_wildcard = cases.iter().any(|case| is_bare_capture(*case));
    (cases.len() as u64).saturating_sub(u64::from(has_wildcard))
}

fn is_bare_capture(case: Node<'_>) -> bool {
    let patterns: Vec<Node<'_>> = case
        .named_children()
        .filter(|c| c.kind() == "case_pattern")
        .collect();
    // `case a, b:` is a sequence pattern; a trailing comma makes one too.
    if patterns.len() != 1 || case.has_token(",") {
        return false;
    }
    is_capture_pattern(patterns[0])
}

fn is_capture_pattern(pattern: Node<'_>) -> bool {
    let pattern = unparenthesized(pattern);
    let children: Vec<Node<'_>> = pattern.named_children().collect();
    match pattern.kind() {
        "case_pattern" if children.is_empty() => pattern.has_token("_"),
        "case_pattern" if children.len() == 1 => is_capture_pattern(children[0]),
        // A dotted name is a value pattern; a single identifier captures.
        "dotted_name" => children.len() == 1,
        // `(x)` is a group, not a sequence, unless it has a comma.
        "tuple_pattern" => {
            children.len() == 1 && !pattern.has_token(",") && is_capture_pattern(children[0])
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (module total, function complexities in source order, class complexities in source order)
    fn cc(source: &str) -> (u64, Vec<u64>, Vec<u64>) {
        let tree = super::super::test_tree(source);
        let report = analyze(tree.root(), &Known::new());
        let mut functions: Vec<(usize, u64)> = report.functions.into_iter().collect();
        functions.sort();
        let mut classes: Vec<(usize, u64)> = report.classes.into_iter().collect();
        classes.sort();
        (
            report.module_total,
            functions.into_iter().map(|(_, c)| c).collect(),
            classes.into_iter().map(|(_, c)| c).collect(),
        )
    }

    fn first(source: &str) -> u64 {
        cc(source).1[0]
    }

    #[test]
    fn radon_visitor_module_cases() {
        assert_eq!(
            cc("if a and b or c and d:\n    pass\nelse:\n    pass\n").0,
            5
        );
        assert_eq!(
            cc("while a and b or c < 10:\n    pass\nelse:\n    pass\n").0,
            5
        );
        assert_eq!(
            cc("[i for i in range(42) if sum(k ** 2 for k in divisors(i)) & 1]\n").0,
            4
        );
        assert_eq!(
            cc("sum(i for i in range(10) if i >= 2 and val and val2 or val3)\n").0,
            6
        );
        assert_eq!(
            cc("try:\n    pass\nexcept A:\n    pass\nelse:\n    pass\nfinally:\n    pass\n").0,
            3
        );
        assert_eq!(cc("try:\n    pass\nfinally:\n    pass\n").0, 1);
        assert_eq!(cc("k = lambda a, b, c: c if a else b\n").0, 2);
        assert_eq!(
            cc("match a:\n    case 1: pass\n    case 2: pass\n    case _: pass\n").0,
            3
        );
        assert_eq!(cc("with open('f') as f:\n    pass\n").0, 1);
    }

    #[test]
    fn g01_elif_chain() {
        let src = "def f(a,b,c):\n    if a and b: return 1\n    elif b or c: return 2\n    elif c: return 3\n    else: return 4\n";
        assert_eq!(first(src), 6);
    }

    #[test]
    fn g02_else_if_is_just_another_if() {
        assert_eq!(
            first("def f(a,b):\n    if a: return 1\n    else:\n        if b: return 2\n"),
            3
        );
    }

    #[test]
    fn g03_g04_g05_boolean_operators() {
        assert_eq!(
            first("def f(a,b,c,d):\n    if a and b or c and d: return 1\n    return 0\n"),
            5
        );
        assert_eq!(
            first("def f(a,b,c,d):\n    return (a and b) or (c or d)\n"),
            4
        );
        assert_eq!(
            first("def f(a,b,c):\n    if not (a and b) or not (b or c): return 1\n"),
            5
        );
    }

    #[test]
    fn g06_loop_else() {
        let src = "def f(xs):\n    for x in xs:\n        if x: break\n    else: return None\n    while xs: xs.pop()\n    else: pass\n";
        assert_eq!(first(src), 6);
    }

    #[test]
    fn g07_g08_try_and_try_star() {
        let src = "def f():\n    try: a()\n    except ValueError: b()\n    except (TypeError, KeyError): c()\n    else: d()\n    finally: e()\n";
        assert_eq!(first(src), 4);
        assert_eq!(
            first(
                "def f():\n    try: a()\n    except* ValueError: b()\n    except* TypeError: c()\n"
            ),
            1
        );
    }

    #[test]
    fn g09_with_and_assert() {
        let src = "def f(a,b):\n    with open(a) as fh:\n        assert a and b, \"msg\"\n        return fh.read()\n";
        assert_eq!(first(src), 2);
    }

    #[test]
    fn g10_comprehensions() {
        let src = "def f(xs):\n    a=[x for x in xs if x if x>1]; b={x:y for x in xs for y in xs if x!=y}; c={x for x in xs if x and x>2}\n";
        assert_eq!(first(src), 10);
    }

    #[test]
    fn g11_g12_lambdas_and_ternaries() {
        let src = "def f(xs):\n    key = lambda x: x if x > 0 else -x\n    return sorted(xs, key=lambda y: y if y else 0), key\n";
        assert_eq!(first(src), 3);
        assert_eq!(
            first("def f(a,b):\n    return 1 if a else (2 if b else 3)\n"),
            3
        );
    }

    #[test]
    fn g13_match_with_capture_and_guard() {
        let src = "def f(cmd):\n    match cmd:\n        case \"go\": pass\n        case [x, y] if x and y: pass\n        case other: pass\n";
        assert_eq!(first(src), 4);
        assert_eq!(
            first("def f(a):\n    match a:\n        case 1: pass\n        case other: pass\n"),
            2
        );
        assert_eq!(first("def f(a):\n    match a:\n        case _: pass\n"), 1);
        assert_eq!(
            first("def f(a):\n    match a:\n        case (x): pass\n        case 2: pass\n"),
            2
        );
        assert_eq!(
            first("def f(a):\n    match a:\n        case x as y: pass\n        case 2: pass\n"),
            3
        );
        assert_eq!(
            first("def f(a):\n    match a:\n        case _ | 1: pass\n        case 2: pass\n"),
            3
        );
        assert_eq!(
            first("def f(a):\n    match a:\n        case x.y: pass\n        case 2: pass\n"),
            3
        );
    }

    #[test]
    fn g14_g15_closures_have_their_own_numbers() {
        let src = "def outer(a):\n    def inner(b):\n        if b: return 1\n        return 0\n    if a: return inner(a)\n    return 0\n";
        assert_eq!(cc(src).1, vec![2, 2]);
        let src = "def deco(fn):\n    def wrapper(*args):\n        if args: return fn(*args)\n        return None\n    return wrapper\n";
        assert_eq!(cc(src).1, vec![1, 2]);
    }

    #[test]
    fn g16_classes_average_their_methods() {
        let src = "class A:\n    x = 1 if flag else 2\n    def m(self, a):\n        if a: pass\n    async def n(self, b):\n        for i in b:\n            if i and b: pass\n    class Inner:\n        def q(self):\n            if self: pass\n";
        let (_, functions, classes) = cc(src);
        assert_eq!(functions, vec![2, 4, 2]);
        assert_eq!(classes, vec![5, 3]);
    }

    #[test]
    fn g20_module_total_and_defs_in_blocks() {
        let src = "import sys\nX = 1 if sys else 2\nif sys.argv:\n    def f(a):\n        if a: return 1\n        return 0\n";
        assert_eq!(cc(src), (4, vec![2], vec![]));
    }

    #[test]
    fn g22_decorators_and_defaults_are_not_visited() {
        let src = "import functools\nX = Y = 0\n@functools.lru_cache(maxsize=None if X else 3)\ndef f(a=1 if Y else 2): return a\n";
        assert_eq!(first(src), 1);
    }

    #[test]
    fn classes_inside_functions_vanish() {
        let src = "def f():\n    class L:\n        def m(self):\n            if self: pass\n";
        assert_eq!(cc(src), (1, vec![1], vec![]));
    }

    #[test]
    fn radon_general_case_total() {
        // radon/tests/test_complexity_visitor.py GENERAL_CASES case 1.
        let src = "if a and b:\n    print\nelse:\n    print\na = sum(i for i in range(1000) if i % 3 == 0 and i % 5 == 0)\n\ndef f(n):\n    def inner(n):\n        return n ** 2\n\n    if n == 0:\n        return 1\n    elif n == 1:\n        return n\n    elif n < 5:\n        return (n - 1) ** 2\n    return n * pow(inner(n), f(n - 1), n - 3)\n";
        assert_eq!(cc(src).0, 9);
    }

    #[test]
    fn g17_to_g24_remaining_snippets() {
        assert_eq!(
            first(
                "def fact(n):\n    if n <= 1: return 1\n    return n * fact(n - 1) + fact(n - 2)\n"
            ),
            2
        );
        let g18 = "def f(a, b, c):\n    for i in a:\n        while b:\n            if c:\n                try: pass\n                except Exception:\n                    if i: pass\n";
        assert_eq!(first(g18), 6);
        let g19 =
            "def f(a, b):\n    g(a and b); g(x=a and b); y=(a and b)+1; z=[a or b]; return not a\n";
        assert_eq!(first(g19), 5);
        let g21 = "def f():\n    while True:\n        try: x = g()\n        except StopIteration: break\n        else:\n            if x: continue\n";
        assert_eq!(first(g21), 5);
        assert_eq!(first("def f(a,b):\n    while a and b or not a: pass\n"), 4);
        assert_eq!(first("def f(a,b,c,d):\n    x = a and (b if c else d)\n"), 3);
    }
}

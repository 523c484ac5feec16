//! Python cognitive complexity exactly as complexipy 8.3.0 computes it.
//!
//! complexipy walks ruff's AST; this module walks a tree-sitter-python tree
//! and maps its shapes onto ruff's (parentheses are transparent, a decorated
//! definition is the definition, `elif` is a clause of its `if`). The rules
//! themselves are described in `docs/metric-rules.md`, section E, with the
//! 8.3.0 deltas in §E.8.
//!
//! Notes for the caller:
//! - complexipy ends lines at `\n`, `\r\n` and a lone `\r`; this module
//!   counts lines the same way. tree-sitter-python, however, lets a comment
//!   run over a lone `\r`, silently swallowing the rest of such a file, so
//!   parse a copy in which every lone `\r` is replaced by `\n` (same length:
//!   offsets and line numbers do not change) and pass that copy here.
//! - Known tree-sitter-python misreadings that no syntax error flags:
//!   `x = a, [b]` followed by a line starting with `[` is read as one
//!   subscript. Valid code that tree-sitter rejects (and the caller skips):
//!   `from __future__ import *`, and a bracketed continuation line indented
//!   less than its block.

use std::borrow::Cow;

use super::cyclomatic::Known;
use crate::lang::marker::{self, MarkerKind};
use crate::lang::tree::Node;
use crate::model::Suppression;

/// One function as complexipy reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitiveFunction {
    /// complexipy's name: `f`, `A::m`, `A::Inner::q`.
    pub name: String,
    /// Start byte of the tree-sitter `function_definition` node (not of the
    /// enclosing `decorated_definition`).
    pub node_start_byte: usize,
    /// 1-based line of the function's start: the first decorator's line when
    /// the function is decorated.
    pub line_start: u32,
    /// 1-based line of the end of the function's last body statement.
    pub line_end: u32,
    /// The function's cognitive complexity.
    pub complexity: u64,
    /// The complexipy marker that hides the function: complexipy reports
    /// nothing for it (and leaves it out of the total); antipasta still
    /// scores it and shows it as suppressed.
    pub ignored_by: Option<Suppression>,
}

/// The cognitive complexity of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitiveReport {
    /// complexipy's file value: the reported functions plus module-level code.
    pub total: u64,
    /// The functions in complexipy's order (source order), the ones it
    /// reports and the ones its ignore marker hides.
    pub functions: Vec<CognitiveFunction>,
}

/// Computes complexipy 8.3.0's cognitive complexity of a parsed module.
///
/// `root` is the `module` node of a tree parsed from `source` with
/// tree-sitter-python. Functions carrying an ignore marker are scored but
/// marked `ignored_by`, and left out of the total, as complexipy leaves
/// them out.
///
/// Functions in `known` (unchanged since a baseline) keep their previous
/// score without being walked.
pub fn analyze(root: Node<'_>, source: &str, known: &Known<'_>) -> CognitiveReport {
    let ctx = Ctx::new(root, source);
    let mut functions = Vec::new();
    let mut module_total: u64 = 0;

    for statement in kids(root) {
        let mut found = Vec::new();
        collect_functions(&ctx, statement, None, &mut found);
        for candidate in found {
            let ignored_by = ctx.ignored_by(candidate.outer.start_byte());
            let key = candidate.def.start_byte();
            let complexity = match known.get(&key).and_then(|unit| unit.cognitive) {
                Some(complexity) => complexity,
                None => ctx.score(candidate.def),
            };
            functions.push(ctx.reported(candidate, complexity, ignored_by));
        }
        if definition_of(statement).is_none() {
            module_total = module_total.saturating_add(ctx.statement(statement, 0, Mode::Module));
        }
    }

    let total = functions
        .iter()
        .filter(|f| f.ignored_by.is_none())
        .map(|f| f.complexity)
        .fold(module_total, u64::saturating_add);
    CognitiveReport { total, functions }
}

/// Whether definitions met while scoring count (inside a function) or are
/// scored on their own and so count 0 (inside a module-level statement).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Function,
    Module,
}

/// A function found by discovery, not yet scored.
struct Candidate<'t> {
    /// The statement as it stands in its suite: the `decorated_definition`
    /// when decorated, else the `function_definition` itself.
    outer: Node<'t>,
    /// The `function_definition` node.
    def: Node<'t>,
    name: String,
}

/// The named children of `node`, without the extras (comments and
/// backslash line continuations), which tree-sitter keeps as named nodes.
fn kids(node: Node<'_>) -> Vec<Node<'_>> {
    node.named_children().collect()
}

/// The first named, non-extra child of `node` of the given kind.
fn kid_of_kind<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    kids(node).into_iter().find(|child| child.kind() == kind)
}

/// `node` without any parentheses around it.
fn unparenthesized(mut node: Node<'_>) -> Node<'_> {
    while node.kind() == "parenthesized_expression" {
        match kids(node).first() {
            Some(inner) => node = *inner,
            None => break,
        }
    }
    node
}

/// The definition a statement stands for, looking through decorators.
fn definition_of(statement: Node<'_>) -> Option<Node<'_>> {
    match statement.kind() {
        "function_definition" | "class_definition" => Some(statement),
        "decorated_definition" => statement
            .child_by_field_name("definition")
            .filter(|d| matches!(d.kind(), "function_definition" | "class_definition")),
        _ => None,
    }
}

/// The `function_definition` a statement stands for, looking through decorators.
fn function_of(statement: Node<'_>) -> Option<Node<'_>> {
    definition_of(statement).filter(|d| d.kind() == "function_definition")
}

/// The statements of a definition's or clause's body.
fn body_statements<'t>(node: Node<'t>, field: &str) -> Vec<Node<'t>> {
    node.child_by_field_name(field)
        .map(kids)
        .unwrap_or_default()
}

/// The block of a clause that holds its body without a field name
/// (`except`, `finally`).
fn unnamed_block(node: Node<'_>) -> Vec<Node<'_>> {
    kid_of_kind(node, "block").map(kids).unwrap_or_default()
}

/// The suites of a compound statement in which complexipy's discovery looks
/// for definitions: the bodies of `if`/`elif`/`else`, loops and their
/// `else`, `try` and its handlers, `else` and `finally`, `with` and `match`
/// cases.
fn nested_suites(statement: Node<'_>) -> Vec<Vec<Node<'_>>> {
    let mut suites = Vec::new();
    match statement.kind() {
        "if_statement" => {
            suites.push(body_statements(statement, "consequence"));
            for clause in kids(statement) {
                match clause.kind() {
                    "elif_clause" => suites.push(body_statements(clause, "consequence")),
                    "else_clause" => suites.push(body_statements(clause, "body")),
                    _ => {}
                }
            }
        }
        "for_statement" | "while_statement" => {
            suites.push(body_statements(statement, "body"));
            if let Some(orelse) = statement.child_by_field_name("alternative") {
                suites.push(body_statements(orelse, "body"));
            }
        }
        "try_statement" => {
            suites.push(body_statements(statement, "body"));
            for clause in kids(statement) {
                match clause.kind() {
                    "except_clause" | "except_group_clause" | "finally_clause" => {
                        suites.push(unnamed_block(clause))
                    }
                    "else_clause" => suites.push(body_statements(clause, "body")),
                    _ => {}
                }
            }
        }
        "with_statement" => suites.push(body_statements(statement, "body")),
        "match_statement" => {
            if let Some(block) = statement.child_by_field_name("body") {
                for case in kids(block) {
                    if case.kind() == "case_clause" {
                        suites.push(body_statements(case, "consequence"));
                    }
                }
            }
        }
        _ => {}
    }
    suites
}

/// complexipy 8.3.0's discovery: a `def` is reported, a class reports its
/// methods and those of its nested classes (`A::Inner::q`), and compound
/// statements are searched through their suites. Function bodies are not
/// searched.
fn collect_functions<'t>(
    ctx: &Ctx<'_>,
    statement: Node<'t>,
    class: Option<&str>,
    out: &mut Vec<Candidate<'t>>,
) {
    match definition_of(statement) {
        Some(def) if def.kind() == "function_definition" => out.push(Candidate {
            outer: statement,
            def,
            name: qualified(class, &identifier(ctx.field_text(def, "name"))),
        }),
        Some(class_def) => {
            let name = qualified(class, &identifier(ctx.field_text(class_def, "name")));
            for child in body_statements(class_def, "body") {
                collect_functions(ctx, child, Some(&name), out);
            }
        }
        None => {
            for suite in nested_suites(statement) {
                for child in suite {
                    collect_functions(ctx, child, class, out);
                }
            }
        }
    }
}

/// An identifier as ruff spells it. ruff NFKC-normalizes non-ASCII
/// identifiers; without Unicode tables this covers only the compatibility
/// characters likely in real code: `ª`, `µ`, `º`, `ſ`, the Kelvin, Ångström
/// and Ohm signs, fullwidth ASCII letters, digits and `_`, and the Latin
/// ligatures `ﬀ`…`ﬆ`.
fn identifier(raw: &str) -> Cow<'_, str> {
    if raw.is_ascii() {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\u{aa}' => out.push('a'),
            '\u{b5}' => out.push('\u{3bc}'),
            '\u{ba}' => out.push('o'),
            '\u{17f}' => out.push('s'),
            '\u{2126}' => out.push('\u{3a9}'),
            '\u{212a}' => out.push('K'),
            '\u{212b}' => out.push('\u{c5}'),
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            '\u{ff10}'..='\u{ff19}'
            | '\u{ff21}'..='\u{ff3a}'
            | '\u{ff3f}'
            | '\u{ff41}'..='\u{ff5a}' => {
                // Fullwidth forms sit 0xfee0 above their ASCII counterparts.
                out.push(char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c))
            }
            other => out.push(other),
        }
    }
    Cow::Owned(out)
}

fn qualified(class: Option<&str>, name: &str) -> String {
    match class {
        Some(class) => format!("{class}::{name}"),
        None => name.to_string(),
    }
}

/// Byte offsets where lines start, with `\n`, `\r\n` and a lone `\r` as
/// line ends (ruff's line index).
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(source: &str) -> Self {
        let bytes = source.as_bytes();
        let mut starts = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        Self { starts }
    }

    fn line_of(&self, byte: usize) -> u32 {
        let line = self.starts.partition_point(|&start| start <= byte) + 1;
        u32::try_from(line).unwrap_or(u32::MAX)
    }
}

/// What the scoring of one file shares.
struct Ctx<'s> {
    source: &'s str,
    lines: LineIndex,
    /// Byte ranges of the comments, in source order; empty when no comment
    /// can hold an ignore marker.
    comments: Vec<(usize, usize)>,
}

impl<'s> Ctx<'s> {
    fn new(root: Node<'_>, source: &'s str) -> Self {
        let comments = if contains_ignore_case(source, "complexipy") {
            comment_ranges(root, source)
        } else {
            Vec::new()
        };
        Self {
            source,
            lines: LineIndex::new(source),
            comments,
        }
    }

    fn text(&self, node: Node<'_>) -> &'s str {
        self.source
            .get(node.start_byte()..node.end_byte())
            .unwrap_or("")
    }

    fn field_text(&self, node: Node<'_>, field: &str) -> &'s str {
        node.child_by_field_name(field)
            .map_or("", |child| self.text(child))
    }

    /// A function's score: its body plus one for direct recursion.
    fn score(&self, def: Node<'_>) -> u64 {
        let own = self.statement(def, 0, Mode::Function);
        own.saturating_add(u64::from(self.is_directly_recursive(def)))
    }

    fn reported(
        &self,
        candidate: Candidate<'_>,
        complexity: u64,
        ignored_by: Option<Suppression>,
    ) -> CognitiveFunction {
        CognitiveFunction {
            name: candidate.name,
            node_start_byte: candidate.def.start_byte(),
            line_start: self.lines.line_of(candidate.outer.start_byte()),
            line_end: self.lines.line_of(statement_end(candidate.def)),
            complexity,
            ignored_by,
        }
    }

    // ----- statements -------------------------------------------------

    /// S(stmt, n): the score of one statement at nesting level `n`.
    fn statement(&self, stmt: Node<'_>, n: u64, mode: Mode) -> u64 {
        match stmt.kind() {
            "function_definition" | "class_definition" | "decorated_definition" => {
                match (definition_of(stmt), mode) {
                    (Some(_), Mode::Module) | (None, _) => 0,
                    (Some(def), Mode::Function) if def.kind() == "function_definition" => {
                        self.function(def, n)
                    }
                    (Some(class_def), Mode::Function) => self.class(class_def, n),
                }
            }
            "expression_statement" => self.expression_statement(stmt, n),
            "return_statement" | "raise_statement" | "assert_statement" | "print_statement" => {
                self.sum_bool_ops(kids(stmt), n)
            }
            "if_statement" => self.if_statement(stmt, n, mode),
            "for_statement" => {
                let iter = stmt
                    .child_by_field_name("right")
                    .map_or(0, |e| self.bool_ops(e, n));
                self.looping(stmt, iter, n, mode)
            }
            "while_statement" => {
                let test = stmt
                    .child_by_field_name("condition")
                    .map_or(0, |e| self.bool_ops(e, n));
                self.looping(stmt, test, n, mode)
            }
            "try_statement" => self.try_statement(stmt, n, mode),
            "with_statement" => {
                let items: u64 = kid_of_kind(stmt, "with_clause")
                    .map(kids)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|item| item.kind() == "with_item")
                    .filter_map(|item| item.child_by_field_name("value"))
                    .map(|value| self.bool_ops(value, n))
                    .sum();
                items + self.suite(&body_statements(stmt, "body"), n, mode)
            }
            "match_statement" => {
                let mut total = 1 + n;
                if let Some(block) = stmt.child_by_field_name("body") {
                    for case in kids(block) {
                        if case.kind() == "case_clause" {
                            total += self.suite(&body_statements(case, "consequence"), n + 1, mode);
                        }
                    }
                }
                total
            }
            _ => 0,
        }
    }

    fn suite(&self, statements: &[Node<'_>], n: u64, mode: Mode) -> u64 {
        statements
            .iter()
            .map(|s| self.statement(*s, n, mode))
            .fold(0, u64::saturating_add)
    }

    /// A `def` scored as a statement. A body of exactly a `def` and a
    /// `return` (the decorator shape) scores only the inner `def`, at the
    /// same level; otherwise a `def` directly in the body is one level deeper.
    fn function(&self, def: Node<'_>, n: u64) -> u64 {
        let body = body_statements(def, "body");
        if let [inner, last] = body.as_slice() {
            if function_of(*inner).is_some() && last.kind() == "return_statement" {
                return self.statement(*inner, n, Mode::Function);
            }
        }
        body.iter()
            .map(|s| {
                let level = if function_of(*s).is_some() { n + 1 } else { n };
                self.statement(*s, level, Mode::Function)
            })
            .fold(0, u64::saturating_add)
    }

    /// A class inside a function: only its direct methods count, at `n`.
    fn class(&self, class_def: Node<'_>, n: u64) -> u64 {
        body_statements(class_def, "body")
            .into_iter()
            .filter(|s| function_of(*s).is_some())
            .map(|s| self.statement(s, n, Mode::Function))
            .fold(0, u64::saturating_add)
    }

    fn expression_statement(&self, stmt: Node<'_>, n: u64) -> u64 {
        let children = kids(stmt);
        let [only] = children.as_slice() else {
            // `a, b` is a tuple.
            return self.sum_bool_ops(children, n);
        };
        match only.kind() {
            "assignment" | "augmented_assignment" => {
                // `a = b = v` nests in tree-sitter; ruff scores the value `v`.
                let mut current = *only;
                loop {
                    match current.child_by_field_name("right") {
                        None => return 0,
                        Some(right)
                            if matches!(right.kind(), "assignment" | "augmented_assignment") =>
                        {
                            current = right
                        }
                        Some(right) => return self.bool_ops(right, n),
                    }
                }
            }
            _ => self.bool_ops(*only, n),
        }
    }

    fn if_statement(&self, stmt: Node<'_>, n: u64, mode: Mode) -> u64 {
        let test = stmt
            .child_by_field_name("condition")
            .map_or(0, |e| self.bool_ops(e, n));
        let mut total = 1 + n + test;
        total += self.suite(&body_statements(stmt, "consequence"), n + 1, mode);
        for clause in kids(stmt) {
            match clause.kind() {
                "elif_clause" => {
                    let test = clause
                        .child_by_field_name("condition")
                        .map_or(0, |e| self.bool_ops(e, n));
                    total += 1 + test;
                    total += self.suite(&body_statements(clause, "consequence"), n + 1, mode);
                }
                "else_clause" => {
                    total += 1;
                    total += self.suite(&body_statements(clause, "body"), n + 1, mode);
                }
                _ => {}
            }
        }
        total
    }

    /// `for` and `while`: 1 + n + the scan of the iterable or test, the body
    /// one level deeper, the loop's `else` at the loop's level.
    fn looping(&self, stmt: Node<'_>, control: u64, n: u64, mode: Mode) -> u64 {
        let mut total = 1 + n + control;
        total += self.suite(&body_statements(stmt, "body"), n + 1, mode);
        if let Some(orelse) = stmt.child_by_field_name("alternative") {
            total += self.suite(&body_statements(orelse, "body"), n, mode);
        }
        total
    }

    fn try_statement(&self, stmt: Node<'_>, n: u64, mode: Mode) -> u64 {
        let mut total = self.suite(&body_statements(stmt, "body"), n, mode);
        for clause in kids(stmt) {
            match clause.kind() {
                "except_clause" | "except_group_clause" => {
                    total += 1 + n;
                    total += self.suite(&unnamed_block(clause), n + 1, mode);
                }
                "else_clause" => total += self.suite(&body_statements(clause, "body"), n, mode),
                "finally_clause" => total += self.suite(&unnamed_block(clause), n, mode),
                _ => {}
            }
        }
        total
    }

    // ----- expressions ------------------------------------------------

    fn sum_bool_ops(&self, exprs: Vec<Node<'_>>, n: u64) -> u64 {
        exprs
            .into_iter()
            .map(|e| self.bool_ops(e, n))
            .fold(0, u64::saturating_add)
    }

    /// B(e, n): complexipy's limited expression scan. Kinds not listed
    /// score 0 and are not descended into.
    fn bool_ops(&self, expr: Node<'_>, n: u64) -> u64 {
        match expr.kind() {
            // `as_pattern` only reaches here from a `with` item (`e as x`,
            // where only `e` is scanned); tree-sitter may also attach `as x`
            // to the last operand of a trailing conditional or lambda.
            "parenthesized_expression" | "as_pattern" => {
                kids(expr).first().map_or(0, |e| self.bool_ops(*e, n))
            }
            "boolean_operator" => self.operator_sequences(expr, None),
            "not_operator" | "unary_operator" => expr
                .child_by_field_name("argument")
                .map_or(0, |operand| self.nested_sequences(operand, None)),
            "comparison_operator"
            | "tuple"
            | "list"
            | "set"
            | "expression_list"
            | "pattern_list" => self.sum_bool_ops(kids(expr), n),
            "conditional_expression" => match kids(expr).as_slice() {
                // tree-sitter reads `x := a if b else c` as `(x := a) if b
                // else c`; a bare walrus can't be a conditional's body, so
                // this is ruff's walrus, which scans to 0.
                [body, ..] if body.kind() == "named_expression" => 0,
                [body, test, orelse] => {
                    1 + n
                        + self.bool_ops(*test, n)
                        + self.bool_ops(*body, n + 1)
                        + self.bool_ops(*orelse, n + 1)
                }
                _ => 0,
            },
            "lambda" => expr
                .child_by_field_name("body")
                .map_or(0, |body| self.bool_ops(body, n + 1)),
            "list_comprehension"
            | "set_comprehension"
            | "generator_expression"
            | "dictionary_comprehension" => self.comprehension(expr, n),
            "call" => match expr.child_by_field_name("arguments") {
                Some(args) if args.kind() == "argument_list" => kids(args)
                    .into_iter()
                    .filter(|arg| !matches!(arg.kind(), "keyword_argument" | "dictionary_splat"))
                    .map(|arg| self.bool_ops(arg, n))
                    .fold(0, u64::saturating_add),
                Some(generator) => self.bool_ops(generator, n),
                None => 0,
            },
            "dictionary" => kids(expr)
                .into_iter()
                .map(|item| match item.kind() {
                    "pair" => item
                        .child_by_field_name("value")
                        .map_or(0, |value| self.bool_ops(value, n)),
                    // `**d` is an entry whose value is `d`.
                    "dictionary_splat" => kids(item).first().map_or(0, |v| self.bool_ops(*v, n)),
                    _ => 0,
                })
                .fold(0, u64::saturating_add),
            _ => 0,
        }
    }

    /// A comprehension: each `for` clause 1 + n plus the scan of its
    /// iterable, each `if` filter 1 plus its scan one level deeper, and the
    /// element (key and value) one level deeper.
    fn comprehension(&self, expr: Node<'_>, n: u64) -> u64 {
        let mut total: u64 = 0;
        for clause in kids(expr) {
            match clause.kind() {
                "for_in_clause" => {
                    let iters: Vec<Node<'_>> = clause.children_by_field_name("right").collect();
                    total += 1 + n + self.sum_bool_ops(iters, n);
                }
                "if_clause" => {
                    total += 1 + kids(clause).first().map_or(0, |e| self.bool_ops(*e, n + 1));
                }
                _ => {}
            }
        }
        if let Some(body) = expr.child_by_field_name("body") {
            total += if body.kind() == "pair" {
                body.child_by_field_name("key")
                    .map_or(0, |k| self.bool_ops(k, n + 1))
                    + body
                        .child_by_field_name("value")
                        .map_or(0, |v| self.bool_ops(v, n + 1))
            } else {
                self.bool_ops(body, n + 1)
            };
        }
        total
    }

    /// The operator of a `boolean_operator` node.
    fn bool_operator(&self, node: Node<'_>) -> &'s str {
        self.field_text(node, "operator")
    }

    /// Boolean sequences (8.3.0): a boolean operator counts 1 unless the
    /// operator directly around it (parentheses aside) is the same one.
    fn operator_sequences(&self, node: Node<'_>, enclosing: Option<&str>) -> u64 {
        let op = self.bool_operator(node);
        let starts = u64::from(enclosing != Some(op));
        let left = node
            .child_by_field_name("left")
            .map_or(0, |l| self.nested_sequences(l, Some(op)));
        let right = node
            .child_by_field_name("right")
            .map_or(0, |r| self.nested_sequences(r, Some(op)));
        starts + left + right
    }

    /// Continues a boolean sequence into an operand: only boolean operators
    /// and unary operators (which reset the enclosing operator) are followed.
    fn nested_sequences(&self, node: Node<'_>, enclosing: Option<&str>) -> u64 {
        match node.kind() {
            "parenthesized_expression" => kids(node)
                .first()
                .map_or(0, |inner| self.nested_sequences(*inner, enclosing)),
            "boolean_operator" => self.operator_sequences(node, enclosing),
            "not_operator" | "unary_operator" => node
                .child_by_field_name("argument")
                .map_or(0, |operand| self.nested_sequences(operand, None)),
            _ => 0,
        }
    }

    // ----- recursion ----------------------------------------------------

    /// Whether the body of `def` calls the function by its bare name,
    /// outside nested definitions and lambdas.
    fn is_directly_recursive(&self, def: Node<'_>) -> bool {
        let name = identifier(self.field_text(def, "name"));
        let Some(body) = def.child_by_field_name("body") else {
            return false;
        };
        let mut stack = vec![body];
        while let Some(node) = stack.pop() {
            match node.kind() {
                "function_definition" | "class_definition" | "decorated_definition" | "lambda" => {
                    continue
                }
                "call" => {
                    let callee = node.child_by_field_name("function").map(unparenthesized);
                    if callee.is_some_and(|c| {
                        c.kind() == "identifier" && identifier(self.text(c)) == name
                    }) {
                        return true;
                    }
                }
                _ => {}
            }
            stack.extend(node.named_children());
        }
        false
    }

    // ----- ignore markers -----------------------------------------------

    /// The ignore marker next to a function starting at `start` (its
    /// first decorator when decorated) that hides it, as a suppression of
    /// its cognitive complexity. Only a marker without a valid rule list
    /// hides the function.
    fn ignored_by(&self, start: usize) -> Option<Suppression> {
        let (comment_start, marker) = self.find_marker(start)?;
        (marker.kind == MarkerKind::Complexipy)
            .then(|| marker.suppression(self.lines.line_of(comment_start)))
    }

    /// complexipy's search for a marker near a definition: the start line,
    /// an own-line comment just above, the signature lines of a `def`, and
    /// for a decorated definition the `def` line's signature and the line
    /// above it. Returns the first marker met, as its rule list.
    fn find_marker(&self, start: usize) -> Option<(usize, marker::Marker)> {
        if self.comments.is_empty() {
            return None;
        }
        let src = self.source;
        let line_start = line_start_of(src, start);
        let current = line_at(src, line_start);

        if let Some(marker) = self.marker_on_line(line_start, false) {
            return Some(marker);
        }
        if let Some(previous) = previous_line_start(src, line_start) {
            if let Some(marker) = self.marker_on_line(previous, true) {
                return Some(marker);
            }
        }
        if current.trim_start().starts_with("def ") {
            return self.signature_marker(line_start);
        }
        if current.trim_start().starts_with('@') {
            let mut pos = line_start;
            for _ in 0..10 {
                pos = next_line_start(src, pos)?;
                let line = line_at(src, pos);
                let trimmed = line.trim();
                if trimmed.starts_with("def ") {
                    if let Some(marker) = self.signature_marker(pos) {
                        return Some(marker);
                    }
                    if let Some(previous) = previous_line_start(src, pos) {
                        if let Some(marker) = self.marker_on_line(previous, false) {
                            return Some(marker);
                        }
                    }
                    break;
                }
                if !trimmed.is_empty() && !line.trim_start().starts_with('@') {
                    break;
                }
            }
        }
        None
    }

    /// A marker on a signature's lines: from the `def` line on, at most 20
    /// lines, through the first line holding a `:`.
    fn signature_marker(&self, def_line_start: usize) -> Option<(usize, marker::Marker)> {
        let mut pos = def_line_start;
        for _ in 0..20 {
            if let Some(marker) = self.marker_on_line(pos, false) {
                return Some(marker);
            }
            if line_at(self.source, pos).contains(':') {
                break;
            }
            pos = next_line_start(self.source, pos)?;
        }
        None
    }

    /// The marker in a comment on the line starting at `line_start`; with
    /// `own_line`, only a comment with nothing but blanks before it.
    fn marker_on_line(&self, line_start: usize, own_line: bool) -> Option<(usize, marker::Marker)> {
        let line_end = line_end_of(self.source, line_start);
        let first = self
            .comments
            .partition_point(|&(start, _)| start < line_start);
        self.comments[first..]
            .iter()
            .take_while(|&&(start, _)| start < line_end)
            .filter(|&&(start, _)| {
                !own_line
                    || self
                        .source
                        .get(line_start..start)
                        .is_some_and(|before| before.trim().is_empty())
            })
            .find_map(|&(start, end)| {
                let text = self.source.get(start..end).unwrap_or("");
                marker::python(text)
                    .into_iter()
                    .find(|m| {
                        matches!(m.kind, MarkerKind::Complexipy | MarkerKind::ComplexipyRules)
                    })
                    .map(|m| (start, m))
            })
    }
}

/// The end byte of a statement as ruff sees it: compound statements end with
/// their last body statement, trailing comments inside the block left out.
fn statement_end(node: Node<'_>) -> usize {
    let mut current = node;
    loop {
        let descend = matches!(
            current.kind(),
            "function_definition"
                | "class_definition"
                | "decorated_definition"
                | "if_statement"
                | "elif_clause"
                | "else_clause"
                | "for_statement"
                | "while_statement"
                | "try_statement"
                | "except_clause"
                | "except_group_clause"
                | "finally_clause"
                | "with_statement"
                | "match_statement"
                | "case_clause"
                | "block"
        );
        if !descend {
            return current.end_byte();
        }
        match kids(current).last() {
            Some(last) => current = *last,
            None => return current.end_byte(),
        }
    }
}

/// Byte ranges of all comment nodes, in source order.
fn comment_ranges(root: Node<'_>, source: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "comment" {
            let mut end = node.end_byte();
            // ruff's comment token stops before a `\r`.
            while end > node.start_byte() && source.as_bytes().get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
            ranges.push((node.start_byte(), end));
        }
        stack.extend(node.children());
    }
    ranges.sort_unstable();
    ranges
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}

// ----- line helpers: `\n`, `\r\n` and a lone `\r` end a line ---------------

fn is_line_break(c: char) -> bool {
    c == '\n' || c == '\r'
}

fn line_start_of(src: &str, offset: usize) -> usize {
    src.get(..offset)
        .and_then(|before| before.rfind(is_line_break))
        .map_or(0, |i| i + 1)
}

fn line_end_of(src: &str, offset: usize) -> usize {
    src.get(offset..)
        .and_then(|rest| rest.find(is_line_break))
        .map_or(src.len(), |i| offset + i)
}

fn line_at(src: &str, line_start: usize) -> &str {
    src.get(line_start..line_end_of(src, line_start))
        .unwrap_or("")
}

fn next_line_start(src: &str, line_start: usize) -> Option<usize> {
    let end = line_end_of(src, line_start);
    if end >= src.len() {
        return None;
    }
    let terminator = if src.get(end..).is_some_and(|r| r.starts_with("\r\n")) {
        2
    } else {
        1
    };
    Some(end + terminator)
}

fn previous_line_start(src: &str, line_start: usize) -> Option<usize> {
    if line_start == 0 {
        return None;
    }
    let terminator = if src.get(..line_start).is_some_and(|b| b.ends_with("\r\n")) {
        2
    } else {
        1
    };
    Some(line_start_of(src, line_start.saturating_sub(terminator)))
}

#[cfg(test)]
mod tests {
    //! Expected values come from running complexipy 8.3.0's
    //! `code_complexity(source)` on the same source.

    use super::*;

    fn run(source: &str) -> CognitiveReport {
        let tree = super::super::test_tree(source);
        assert!(
            !tree.nodes().any(|n| n.is_error() || n.is_missing()),
            "tree-sitter error in {source:?}"
        );
        analyze(tree.root(), source, &Known::new())
    }

    /// Checks the file total and each function's (name, line_start,
    /// line_end, complexity), in order.
    fn check(source: &str, total: u64, functions: &[(&str, u32, u32, u64)]) {
        let report = run(source);
        let got: Vec<(&str, u32, u32, u64)> = report
            .functions
            .iter()
            .filter(|f| f.ignored_by.is_none())
            .map(|f| (f.name.as_str(), f.line_start, f.line_end, f.complexity))
            .collect();
        assert_eq!(got, functions, "functions of {source:?}");
        assert_eq!(report.total, total, "total of {source:?}");
    }

    #[test]
    fn node_start_byte_is_the_function_definition() {
        let source = "import x\n\n@deco\n@other(1)\nasync def f():\n    pass\n\ndef g(): pass\n";
        let report = run(source);
        let starts: Vec<(u32, usize)> = report
            .functions
            .iter()
            .map(|f| (f.line_start, f.node_start_byte))
            .collect();
        let async_def = source.find("async def").expect("async def");
        let def_g = source.find("def g").expect("def g");
        assert_eq!(starts, vec![(3, async_def), (8, def_g)]);
    }

    #[test]
    fn identifiers_are_nfkc_normalised_like_ruff() {
        // complexipy 8.3.0 reports `Cμ::file` (micro sign → mu, ligature
        // split) and counts `file(a)` as a call to `ﬁle`.
        check(
            "class C\u{b5}:\n    def \u{fb01}le(a):\n        return file(a)\n",
            1,
            &[("C\u{3bc}::file", 2, 3, 1)],
        );
    }

    #[test]
    fn empty_and_comment_only_sources() {
        check("", 0, &[]);
        check("# complexipy: ignore\n", 0, &[]);
        check("\"\"\"doc\"\"\"\n", 0, &[]);
    }

    #[test]
    fn broken_trees_do_not_panic() {
        for source in [
            "def f(:\n    if a and\n",
            "class A:\n    def m(self\n",
            "@deco\n",
            "x = (a if b\n",
            "def f():\n    (bar.\nbaz)\n",
            "if a:\n    # complexipy: ignore\n    def",
            "\u{feff}def f(): pass\r\n",
        ] {
            let tree = super::super::test_tree(source);
            let _ = analyze(tree.root(), source, &Known::new());
        }
    }

    #[test]
    fn g01_elif_chain() {
        check(
            "def f(a, b, c):\n    if a and b: return 1\n    elif b or c: return 2\n    elif c: return 3\n    else: return 4\n",
            6,
            &[("f", 1, 5, 6)],
        );
    }

    #[test]
    fn g02_else_then_if() {
        check(
            "def f(a, b):\n    if a: return 1\n    else:\n        if b: return 2\n",
            4,
            &[("f", 1, 4, 4)],
        );
    }

    #[test]
    fn g03_mixed_sequences() {
        check(
            "def f(a, b, c, d):\n    if a and b or c and d: return 1\n    return 0\n",
            4,
            &[("f", 1, 3, 4)],
        );
    }

    #[test]
    fn g04_parenthesised_or() {
        check(
            "def f(a, b, c, d):\n    return (a and b) or (c or d)\n",
            2,
            &[("f", 1, 2, 2)],
        );
    }

    #[test]
    fn g05_negated_groups() {
        check(
            "def f(a, b, c):\n    if not (a and b) or not (b or c): return 1\n",
            4,
            &[("f", 1, 2, 4)],
        );
    }

    #[test]
    fn g06_loop_else() {
        check(
            "def f(xs):\n    for x in xs:\n        if x: break\n    else: return None\n    while xs: xs.pop()\n    else: pass\n",
            4,
            &[("f", 1, 6, 4)],
        );
    }

    #[test]
    fn g07_try_handlers() {
        check(
            "def f():\n    try: a()\n    except ValueError: b()\n    except (TypeError, KeyError): c()\n    else: d()\n    finally: e()\n",
            2,
            &[("f", 1, 6, 2)],
        );
    }

    #[test]
    fn g08_except_star() {
        check(
            "def f():\n    try: a()\n    except* ValueError: b()\n    except* TypeError: c()\n",
            2,
            &[("f", 1, 4, 2)],
        );
    }

    #[test]
    fn g09_with_assert() {
        check(
            "def f(a, b):\n    with open(a) as fh:\n        assert a and b, \"msg\"\n        return fh.read()\n",
            1,
            &[("f", 1, 4, 1)],
        );
    }

    #[test]
    fn g10_comprehensions() {
        check(
            "def f(xs):\n    a = [x for x in xs if x if x > 1]\n    b = {x: y for x in xs for y in xs if x != y}\n    c = {x for x in xs if x and x > 2}\n",
            9,
            &[("f", 1, 4, 9)],
        );
    }

    #[test]
    fn g11_lambdas() {
        check(
            "def f(xs):\n    key = lambda x: x if x > 0 else -x\n    return sorted(xs, key=lambda y: y if y else 0), key\n",
            2,
            &[("f", 1, 3, 2)],
        );
    }

    #[test]
    fn g12_nested_ternary() {
        check(
            "def f(a, b):\n    return 1 if a else (2 if b else 3)\n",
            3,
            &[("f", 1, 2, 3)],
        );
    }

    #[test]
    fn g13_match_guards_ignored() {
        check(
            "def f(cmd):\n    match cmd:\n        case \"go\": pass\n        case [x, y] if x and y: pass\n        case other: pass\n",
            1,
            &[("f", 1, 5, 1)],
        );
    }

    #[test]
    fn g14_nested_def() {
        check(
            "def outer(a):\n    def inner(b):\n        if b: return 1\n        return 0\n    if a: return inner(a)\n    return 0\n",
            3,
            &[("outer", 1, 6, 3)],
        );
    }

    #[test]
    fn g15_decorator_shape() {
        check(
            "def deco(fn):\n    def wrapper(*args):\n        if args: return fn(*args)\n        return None\n    return wrapper\n",
            1,
            &[("deco", 1, 5, 1)],
        );
    }

    #[test]
    fn g15_docstring_breaks_decorator_shape() {
        check(
            "def deco(fn):\n    \"\"\"Doc.\"\"\"\n    def wrapper(*args):\n        if args: return fn(*args)\n        return None\n    return wrapper\n",
            2,
            &[("deco", 1, 6, 2)],
        );
    }

    #[test]
    fn g16_class_discovery() {
        check(
            "class A:\n    x = 1 if flag else 2\n    def m(self, a):\n        if a: return 1\n    async def n(self, b):\n        for i in b:\n            if i and b: pass\n    class Inner:\n        def q(self):\n            if self: pass\n",
            6,
            &[("A::m", 3, 4, 1), ("A::n", 5, 7, 4), ("A::Inner::q", 9, 10, 1)],
        );
    }

    #[test]
    fn g17_recursion_counted_once() {
        check(
            "def fact(n):\n    if n <= 1: return 1\n    return n * fact(n - 1) + fact(n - 2)\n",
            2,
            &[("fact", 1, 3, 2)],
        );
    }

    #[test]
    fn g18_nesting() {
        check(
            "def f(a, b, c):\n    for i in a:\n        while b:\n            if c:\n                try: pass\n                except Exception:\n                    if i: pass\n",
            15,
            &[("f", 1, 7, 15)],
        );
    }

    #[test]
    fn g19_limited_scan() {
        check(
            "def f(a, b):\n    g(a and b); g(x=a and b); y = (a and b) + 1; z = [a or b]; return not a\n",
            2,
            &[("f", 1, 2, 2)],
        );
    }

    #[test]
    fn g20_def_under_module_if() {
        check(
            "import sys\nX = 1 if sys else 2\nif sys.argv:\n    def f(a):\n        if a: return 1\n        return 0\n",
            3,
            &[("f", 4, 6, 1)],
        );
    }

    #[test]
    fn g21_try_else_in_loop() {
        check(
            "def f(g):\n    while True:\n        try: x = g()\n        except StopIteration: break\n        else:\n            if x: continue\n",
            5,
            &[("f", 1, 6, 5)],
        );
    }

    #[test]
    fn g22_decorator_line_and_defaults() {
        check(
            "import functools\n\n@functools.lru_cache(maxsize=None if X else 3)\ndef f(a=1 if Y else 2): return a\n",
            0,
            &[("f", 3, 4, 0)],
        );
    }

    #[test]
    fn g23_not_resets_sequence() {
        check(
            "def f(a, b):\n    while a and b or not a: pass\n",
            3,
            &[("f", 1, 2, 3)],
        );
    }

    #[test]
    fn g24_ternary_in_operand() {
        check(
            "def f(a, b, c, d):\n    x = a and (b if c else d)\n",
            1,
            &[("f", 1, 2, 1)],
        );
    }

    /// E.5: boolean sequences, 8.3.0 column.
    #[test]
    fn e5_boolean_sequences() {
        let cases: &[(&str, u64)] = &[
            ("a and b and c", 1),
            ("a and b or c and d", 3),
            ("a or (b and (c or d))", 3),
            ("(a or b) and (c or d)", 3),
            ("(a and b) or (c or d)", 2),
            ("a and b or not a", 2),
            ("not (a and b) or not (b or c)", 3),
            ("not (a and b)", 1),
            ("a and not b", 1),
            ("a or b and c or d", 2),
            ("a or (b or c)", 1),
        ];
        for &(expr, expected) in cases {
            let source = format!("def f(a, b, c, d):\n    return {expr}\n");
            check(&source, expected, &[("f", 1, 2, expected)]);
        }
    }

    /// E.2/E.3: one statement in a function body.
    #[test]
    fn e3_expression_scan_one_liners() {
        let cases: &[(&str, u64)] = &[
            ("if x == (a if b else c): pass", 2),
            ("g(*(a or b))", 0),
            ("f'{a and b}'", 0),
            ("d[a or b]", 0),
            ("o.m(a or b)", 1),
            ("await g(a or b)", 0),
            ("yield a or b", 0),
            ("g(x=a and b)", 0),
            ("y = (a and b) + 1", 0),
            ("z = [a or b]", 1),
            ("d = {'x': a and b, a or b: 1}", 1),
            ("return g(1 if a else 2, key=3 if b else 4)", 1),
            ("sorted(xs, key=lambda y: y if y else 0)", 0),
            ("a and (b if c else d)", 1),
            ("g(a) and h(b or c)", 1),
            ("raise E(a or b) from (c and d)", 2),
            ("x: int", 0),
            ("x: int = a or b", 1),
            ("x += a and b", 1),
            ("del a, b", 0),
            ("with a or b as c, d and e: pass", 2),
            ("for x in a or b: pass", 2),
            ("a = b = c or d", 1),
            ("a, b", 0),
            ("{**(a or b)}", 1),
            ("g(a or b for a in c)", 2),
            ("-(a or b)", 1),
            ("not not (a and b)", 1),
        ];
        for &(line, expected) in cases {
            let source = format!("async def f(a, b, c, d, xs, o, g, h):\n    {line}\n");
            check(&source, expected, &[("f", 1, 2, expected)]);
        }
    }

    #[test]
    fn e3_handler_type_and_nested_comprehension() {
        // The handler type is not scanned.
        check(
            "def f(a, b):\n    try: pass\n    except (a or b): pass\n",
            1,
            &[("f", 1, 3, 1)],
        );
        // Each `for` clause of a comprehension is 1 + nesting.
        check(
            "def f(xs):\n    if xs:\n        [a for a in xs for b in a]\n",
            5,
            &[("f", 1, 3, 5)],
        );
    }

    #[test]
    fn e2_statement_nesting() {
        // A def inside a block takes the block's level.
        check(
            "def f(a):\n    if a:\n        def g(b):\n            if b: pass\n",
            3,
            &[("f", 1, 4, 3)],
        );
        // Each directly nested def adds one level.
        check(
            "def f():\n    def g():\n        def h(b):\n            if b: pass\n        h(1)\n    g()\n",
            3,
            &[("f", 1, 6, 3)],
        );
        // Decorator shape: the `return` is never scored.
        check(
            "def f(fn):\n    def w(): pass\n    return w if fn else None\n",
            0,
            &[("f", 1, 3, 0)],
        );
        // A class in a function: only its direct methods, at the same level.
        check(
            "def f(a):\n    class L:\n        def m(self):\n            if self: pass\n        x = 1 if a else 2\n    return L\n",
            1,
            &[("f", 1, 6, 1)],
        );
        // `elif` has no nesting increment.
        check(
            "def f(a, b):\n    if a: pass\n    elif b: pass\n",
            2,
            &[("f", 1, 3, 2)],
        );
    }

    #[test]
    fn e4_recursion() {
        // complexipy's own recursion fixture: two self-calls count once.
        check(
            "def fib(n):\n    return fib(n - 1) + fib(n - 2)\n",
            1,
            &[("fib", 1, 2, 1)],
        );
        // A method calling its bare name.
        check(
            "class A:\n    def m(self, n):\n        return self.m(n) + m(n)\n",
            1,
            &[("A::m", 2, 3, 1)],
        );
        // An attribute call is not recursion.
        check(
            "class A:\n    def m(self, n):\n        return self.m(n)\n",
            0,
            &[("A::m", 2, 3, 0)],
        );
        // Nested definitions are not searched.
        check(
            "def f():\n    def g():\n        return f()\n    return 1\n",
            0,
            &[("f", 1, 4, 0)],
        );
        // Lambda bodies are not searched.
        check(
            "def f():\n    h = lambda: f()\n    return h\n",
            0,
            &[("f", 1, 3, 0)],
        );
        // Nested functions get no bonus of their own.
        check(
            "def f():\n    def g():\n        return g()\n    x = 1\n    return g\n",
            0,
            &[("f", 1, 5, 0)],
        );
        // Decorator shape: only the `return` is searched.
        check(
            "def f(fn):\n    def w():\n        return f(fn)\n    return f(w)\n",
            1,
            &[("f", 1, 4, 1)],
        );
        // Parentheses around the callee are transparent.
        check("def f(n):\n    return (f)(n)\n", 1, &[("f", 1, 2, 1)]);
        // Calls inside f-string replacement fields count.
        check("def f(n):\n    return f'{f(n)}'\n", 1, &[("f", 1, 2, 1)]);
    }

    #[test]
    fn e6_ignore_markers() {
        // A marker on the `def` line.
        check(
            "def f(a):  # complexipy: ignore\n    if a: pass\n\ndef g(a):\n    if a: pass\n",
            1,
            &[("g", 4, 5, 1)],
        );
        // An own-line comment directly above.
        check("# complexipy: ignore\ndef f(a):\n    if a: pass\n", 0, &[]);
        // A marker above, after code, is not an own-line comment.
        check(
            "x = 1  # complexipy: ignore\ndef f(a):\n    if a: pass\n",
            1,
            &[("f", 2, 3, 1)],
        );
        // A marker on a line of a multi-line signature.
        check(
            "def f(\n    a,  # noqa: complexipy\n    b,\n):\n    if a: pass\n",
            0,
            &[],
        );
        // A marker on the decorator line.
        check(
            "@deco  # complexipy: ignore\ndef f(a):\n    if a: pass\n",
            0,
            &[],
        );
        // A comment line ends the search for the `def` below decorators.
        check(
            "@deco\n# complexipy: ignore\ndef f(a):\n    if a: pass\n",
            1,
            &[("f", 1, 4, 1)],
        );
        // The `def` line below decorators; case and blanks are free.
        check(
            "@deco\n@other\ndef f(a):  # NOQA : COMPLEXIPY\n    if a: pass\n",
            0,
            &[],
        );
        // An `async def` line does not start the signature scan.
        check(
            "async def f(\n    a,  # complexipy: ignore\n):\n    if a: pass\n",
            1,
            &[("f", 1, 4, 1)],
        );
        // Marker text inside a string is not a comment.
        check(
            "def f(a='# complexipy: ignore'):\n    if a: pass\n",
            1,
            &[("f", 1, 2, 1)],
        );
        // A valid rule list suppresses rules, not the function.
        check(
            "def f(a):  # complexipy: ignore[C101]\n    if a: pass\n",
            1,
            &[("f", 1, 2, 1)],
        );
        // An invalid rule list counts as a bare marker.
        check(
            "def f(a):  # complexipy: ignore[not a rule]\n    if a: pass\n",
            0,
            &[],
        );
        // The marker word must end there.
        check(
            "def f(a):  # complexipy: ignored\n    if a: pass\n",
            1,
            &[("f", 1, 2, 1)],
        );
        // Methods are checked one by one.
        check(
            "class A:\n    # complexipy: ignore\n    def m(self):\n        if self: pass\n    def n(self):\n        if self: pass\n",
            1,
            &[("A::n", 5, 6, 1)],
        );
        // CRLF line ends.
        check(
            "x = 1\r\n# complexipy: ignore\r\ndef f(a):\r\n    if a: pass\r\ndef g(a):\r\n    if a: pass\r\n",
            1,
            &[("g", 5, 6, 1)],
        );
    }

    /// A function complexipy's marker hides is still scored (antipasta
    /// shows it as suppressed) but stays out of complexipy's total. Its
    /// score, 1, is complexipy's for the same function unmarked (`g` in
    /// `e6_ignore_markers`).
    #[test]
    fn ignored_functions_are_scored_and_marked() {
        let report = run("x = 1\n\n# complexipy: ignore -- legacy\ndef f(a):\n    if a: pass\n");
        assert_eq!(report.total, 0);
        let f = &report.functions[0];
        assert_eq!((f.name.as_str(), f.complexity), ("f", 1));
        let by = f.ignored_by.as_ref().expect("marked");
        assert_eq!(
            (by.marker.as_str(), by.line, by.reason.as_deref()),
            ("# complexipy: ignore", 3, Some("legacy"))
        );
        assert_eq!(
            run("def f(a):  # complexipy: ignore[C101]\n    if a: pass\n").functions[0].ignored_by,
            None
        );
    }

    #[test]
    fn tree_sitter_shapes() {
        // A backslash continuation is a named extra node in tree-sitter.
        check(
            "def f(a):\n    for x in a:\n        y = None if a is None \\\n            else 3\n",
            3,
            &[("f", 1, 4, 3)],
        );
        // tree-sitter reads the walrus as the ternary's body; ruff sees a walrus.
        check(
            "def f(a, b, d):\n    if (c := a if b else d):\n        pass\n",
            1,
            &[("f", 1, 3, 1)],
        );
        // tree-sitter attaches `as q` to the ternary's last operand.
        check(
            "def f(a, b, c, d):\n    with [x for x in a if x] if b else (c or d) as q:\n        pass\n",
            5,
            &[("f", 1, 3, 5)],
        );
        // Comments inside expressions are extras.
        check(
            "def f(a, b, c):\n    if (a  # first\n            or b\n            and c):\n        pass\n",
            3,
            &[("f", 1, 5, 3)],
        );
        // Trailing comments in a block do not move line_end.
        check(
            "def f(a):\n    if a:\n        pass\n        # trailing\n    # trailing too\n\nx = 1\n",
            1,
            &[("f", 1, 3, 1)],
        );
        // Simple statements separated by semicolons.
        check(
            "def f(a): x = a or a; return a and a;\n",
            2,
            &[("f", 1, 1, 2)],
        );
        // Defs under module-level blocks and class-level blocks are reported; the block is scored without them.
        check(
            "if X:\n    class A:\n        if Y:\n            def m(self):\n                if self: pass\n    for i in X:\n        def g():\n            pass\nelse:\n    @deco\n    def h(a):\n        if a: pass\n",
            6,
            &[("A::m", 4, 5, 1), ("g", 7, 8, 0), ("h", 10, 12, 1)],
        );
        // A Python 2 looking print statement is a tuple expression to ruff.
        check(
            "def f(a, b):\n    print >>a, a or b\n",
            1,
            &[("f", 1, 2, 1)],
        );
    }
}

//! JavaScript / TypeScript cognitive complexity exactly as
//! eslint-plugin-sonarjs 4.2.2's `cognitive-complexity` rule (S3776)
//! computes it, on trees from tree-sitter-javascript 0.25 and
//! tree-sitter-typescript 0.23 (JS, JSX, TS, TSX).
//!
//! The rule is an ESLint visitor with running state: a file-wide nesting
//! counter, a set of nodes whose entry raises it, one own score and one
//! control-flow nesting counter per open function, and the pieces of the
//! hidden file-level score (`docs/js-metric-rules.md` §2). This module
//! replays the events ESLint would send, in ESLint's order, over the
//! tree-sitter tree and updates the same state the same way, so the
//! rule's quirks come out as they do in the rule: a function that is
//! directly a branch of a `?:` leaks one nesting level into the enclosing
//! function (ESLint calls the rule's `*:exit` handler before its
//! `:function:exit` handler, §5), and, for the file score, a function that
//! is both such a branch and nested three functions deep leaks one level
//! into the rest of the file.
//!
//! Mapping ESTree onto tree-sitter: parentheses are transparent (ESTree has
//! no node for them); an ESTree `MethodDefinition`/`Property` holding a
//! `FunctionExpression` is one `method_definition` whose decorators and key
//! belong to the enclosing scope; `else_clause` wraps an `if`'s alternate;
//! logical expressions are `binary_expression`s with `&&`, `||` or `??`.
//! Bodiless TypeScript signatures (`function_signature`,
//! `method_signature`, `abstract_method_signature`) are not functions, as
//! `TSDeclareFunction` and `TSEmptyBodyFunctionExpression` are not for the
//! rule's `:function` selector. tree-sitter-typescript 0.23 groups a
//! postfix `!`, `as` or `satisfies` after `a && b` around the whole
//! `a && b` (no syntax error flags it); logical operators are therefore
//! scored per chain of binary operators, which gives TypeScript's grouping
//! back (see `misplaced_postfix_inner`).
//!
//! Known difference: the React-component test of the file score reads an
//! identifier's first character as written, so a name starting with a
//! Unicode escape (`\u0041pp`) is judged by `\`, where ESTree decodes it.

use std::collections::{HashMap, HashSet};

use super::syntax::is_function;
use crate::lang::tree::Node;

/// SonarJS cognitive complexity of one parsed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitiveScores {
    /// Score of each function, keyed by `Node::id()` of the tree-sitter node that is the
    /// function: function_declaration, generator_function_declaration, function_expression
    /// (or `function` in older grammars), generator_function, arrow_function, method_definition.
    /// Every such function node in the file appears (score may be 0).
    pub functions: HashMap<usize, u64>,
    /// sonarjs's hidden file-level score (docs/js-metric-rules.md §2.6).
    pub file_total: u64,
}

/// Scores the file whose `program` node is `root`.
pub fn score(root: Node<'_>) -> CognitiveScores {
    let mut rule = Rule::default();
    rule.visit(root);
    CognitiveScores {
        functions: rule.functions,
        file_total: non_negative(rule.file_total),
    }
}

/// A function being visited.
#[derive(Default)]
struct OpenFunction {
    /// The function's own score so far (the rule's `functionOwnComplexity`).
    own: i64,
    /// Control-flow nesting inside this function only
    /// (`functionOwnControlFlowNesting`); nested functions add nothing.
    control_nesting: i64,
}

/// State of the outermost open function, for the file score.
#[derive(Default)]
struct TopLevel {
    /// Its own increments, counted with the file-wide nesting.
    own: i64,
    /// Whether it has a structural increment of its own.
    has_structural: bool,
    /// Its name starts with a character equal to its upper case.
    capital_name: bool,
    /// It contains `return <jsx>` directly (not in a nested function).
    returns_jsx: bool,
    /// Increments of its finished nested functions, each structural one
    /// raised by one (`complexityIfNested`).
    nested_if_nested: i64,
    /// The same increments without the raise (`complexityIfNotNested`).
    nested_if_not_nested: i64,
}

/// The rule's state while one file is visited.
#[derive(Default)]
struct Rule {
    /// Own score of every function met so far.
    functions: HashMap<usize, u64>,
    /// The file score (`fileComplexity`).
    file_total: i64,
    /// File-wide nesting level (`nesting`).
    nesting: i64,
    /// Nodes whose entry raises the nesting level (`nestingNodes`).
    nesting_nodes: HashSet<usize>,
    /// Open functions, outermost first (`enclosingFunctions`).
    open: Vec<OpenFunction>,
    top: TopLevel,
    /// Increments of the open second-level function and the functions in
    /// it, with structural ones raised by one (`complexityIfNested`).
    second_if_nested: i64,
    /// The same without the raise (`complexityIfNotNested`).
    second_if_not_nested: i64,
}

impl Rule {
    fn visit(&mut self, node: Node<'_>) {
        if is_function(node) {
            self.visit_function(node);
            return;
        }
        self.enter_any(node);
        self.enter(node);
        for child in node.named_children() {
            self.visit(child);
        }
        self.exit_any(node);
    }

    /// A function: the rule's `*` handler runs before its `:function`
    /// handler, on entry and on exit alike.
    fn visit_function(&mut self, function: Node<'_>) {
        let is_method = function.kind() == "method_definition";
        let outside =
            |child: &Node<'_>| is_method && matches!(child.field(), Some("decorator" | "name"));
        for child in function.named_children().filter(|c| outside(c)) {
            self.visit(child);
        }
        self.enter_any(function);
        self.enter_function(function);
        for child in function.named_children().filter(|c| !outside(c)) {
            self.visit(child);
        }
        self.exit_any(function);
        self.exit_function(function);
    }

    /// The rule's `*` handler.
    fn enter_any(&mut self, node: Node<'_>) {
        if self.nesting_nodes.contains(&node.id()) {
            self.nesting += 1;
            if let Some(function) = self.open.last_mut() {
                function.control_nesting += 1;
            }
        }
    }

    /// The rule's `*:exit` handler.
    fn exit_any(&mut self, node: Node<'_>) {
        if self.nesting_nodes.remove(&node.id()) {
            self.nesting -= 1;
            if let Some(function) = self.open.last_mut() {
                function.control_nesting -= 1;
            }
        }
    }

    fn enter_function(&mut self, function: Node<'_>) {
        match self.open.len() {
            0 => {
                self.top = TopLevel {
                    capital_name: name_starts_with_capital(function),
                    ..TopLevel::default()
                }
            }
            1 => {
                self.second_if_nested = 0;
                self.second_if_not_nested = 0;
            }
            _ => {
                self.nesting += 1;
                self.nesting_nodes.insert(function.id());
            }
        }
        self.open.push(OpenFunction::default());
    }

    fn exit_function(&mut self, function: Node<'_>) {
        let own = self.open.pop().map_or(0, |f| f.own);
        match self.open.len() {
            0 => {
                let top = &self.top;
                let nested = if top.has_structural && !(top.capital_name && top.returns_jsx) {
                    top.nested_if_nested
                } else {
                    top.nested_if_not_nested
                };
                self.file_total += top.own + nested;
            }
            1 => {
                self.top.nested_if_nested += self.second_if_nested;
                self.top.nested_if_not_nested += self.second_if_not_nested;
            }
            _ => {}
        }
        self.functions.insert(function.id(), non_negative(own));
    }

    /// The rule's handlers for the node kinds it listens to.
    fn enter(&mut self, node: Node<'_>) {
        match node.kind() {
            "if_statement" => self.if_statement(node),
            "for_statement" | "for_in_statement" | "while_statement" | "do_statement" => {
                self.structural();
                self.nest(node.child_by_field_name("body"));
            }
            "switch_statement" => {
                self.structural();
                if let Some(body) = node.child_by_field_name("body") {
                    for case in body.named_children() {
                        if matches!(case.kind(), "switch_case" | "switch_default") {
                            self.nest(Some(case));
                        }
                    }
                }
            }
            "break_statement" | "continue_statement"
                if node.child_by_field_name("label").is_some() =>
            {
                self.flat()
            }
            "catch_clause" => {
                self.structural();
                self.nest(node.child_by_field_name("body"));
            }
            "ternary_expression" => {
                self.structural();
                self.nest(node.child_by_field_name("consequence").map(unparenthesized));
                self.nest(node.child_by_field_name("alternative").map(unparenthesized));
            }
            "binary_expression"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression"
            | "member_expression"
            | "subscript_expression"
            | "call_expression" => self.operator_chain(node),
            "return_statement" if self.open.len() == 1 && returns_jsx(node) => {
                self.top.returns_jsx = true
            }
            _ => {}
        }
    }

    /// `if`: structural, or flat when it is an `else if`; its branches
    /// nest, and a final `else` adds one.
    fn if_statement(&mut self, node: Node<'_>) {
        let is_else_if = node.parent().is_some_and(|clause| {
            clause.kind() == "else_clause"
                && clause
                    .parent()
                    .is_some_and(|owner| owner.kind() == "if_statement")
        });
        if is_else_if {
            self.flat();
        } else {
            self.structural();
        }
        self.nest(node.child_by_field_name("consequence"));
        let alternate = node
            .child_by_field_name("alternative")
            .and_then(|clause| clause.named_children().next());
        if let Some(alternate) = alternate.filter(|a| a.kind() != "if_statement") {
            self.nest(Some(alternate));
            self.flat();
        }
    }

    /// A chain of binary operators, scored once, at its top: its logical
    /// operators (with those of the logical expressions it holds in
    /// parentheses as operands of logical operators, which ESTree does not
    /// separate) add one per `&&` that does not follow another `&&`; `||`
    /// and `??` add nothing. A chain directly in a JSX expression container
    /// adds nothing when it uses one logical operator only and has no `?:`
    /// operand.
    fn operator_chain(&mut self, node: Node<'_>) {
        if !is_chain(node) || node.parent().is_some_and(|p| continues_chain(p, node)) {
            return;
        }
        let chain = Chain::of(node);
        let mut operators = Vec::new();
        chain.logical_operators(&mut operators);
        if operators.is_empty() || is_logical_operand(node) {
            return;
        }
        let in_jsx = enclosing_expression(node).is_some_and(|p| p.kind() == "jsx_expression");
        if in_jsx
            && operators.iter().all(|op| *op == operators[0])
            && !chain.has_conditional_operand()
        {
            return;
        }
        let mut previous = None;
        for operator in operators {
            if operator == "&&" && previous != Some("&&") {
                self.flat();
            }
            previous = Some(operator);
        }
    }

    /// Marks a node whose entry raises the nesting level.
    fn nest(&mut self, node: Option<Node<'_>>) {
        if let Some(node) = node {
            self.nesting_nodes.insert(node.id());
        }
    }

    /// A structural increment: one plus the nesting level.
    fn structural(&mut self) {
        let added = self.nesting + 1;
        match self.open.len() {
            0 => self.file_total += added,
            1 => {
                self.top.has_structural = true;
                self.top.own += added;
            }
            _ => {
                self.second_if_nested += added + 1;
                self.second_if_not_nested += added;
            }
        }
        if let Some(function) = self.open.last_mut() {
            function.own += function.control_nesting + 1;
        }
    }

    /// A flat increment of one.
    fn flat(&mut self) {
        if let Some(function) = self.open.last_mut() {
            function.own += 1;
        }
        match self.open.len() {
            0 => self.file_total += 1,
            1 => self.top.own += 1,
            _ => {
                self.second_if_nested += 1;
                self.second_if_not_nested += 1;
            }
        }
    }
}

/// `&&`, `||` or `??` when `node` is a logical expression.
fn logical_operator(node: Node<'_>) -> Option<&'static str> {
    if node.kind() != "binary_expression" {
        return None;
    }
    match node.child_by_field_name("operator")?.kind() {
        "&&" => Some("&&"),
        "||" => Some("||"),
        "??" => Some("??"),
        _ => None,
    }
}

/// Where tree-sitter-typescript 0.23 misplaces a postfix: it reads
/// `a && b!`, `a && b as T` and `a && b satisfies T` as applying `!`, `as`
/// or `satisfies` to the whole `a && b` (and `a && b!.c` as `(a && b)!.c`),
/// where TypeScript applies it to `b` alone. For such a node (a non-null,
/// `as` or `satisfies` expression over an unparenthesized binary expression,
/// or a member, subscript or call expression over one), the child that
/// holds the rest of the operator chain.
fn misplaced_postfix_inner(node: Node<'_>) -> Option<Node<'_>> {
    let (inner, binary_kinds): (Option<Node<'_>>, fn(Node<'_>) -> bool) = match node.kind() {
        "non_null_expression" => (node.named_children().next(), |_| true),
        "as_expression" | "satisfies_expression" => (node.named_children().next(), |inner| {
            logical_operator(inner).is_some()
        }),
        "member_expression" | "subscript_expression" => {
            (node.child_by_field_name("object"), |_| false)
        }
        "call_expression" => (node.child_by_field_name("function"), |_| false),
        _ => return None,
    };
    inner.filter(|inner| {
        if inner.kind() == "binary_expression" {
            binary_kinds(*inner)
        } else {
            misplaced_postfix_inner(*inner).is_some()
        }
    })
}

/// Whether `node` is part of a binary operator chain: a binary expression
/// or a misplaced postfix over one.
fn is_chain(node: Node<'_>) -> bool {
    node.kind() == "binary_expression" || misplaced_postfix_inner(node).is_some()
}

/// Whether the chain goes on from `parent` into its child `child`.
fn continues_chain(parent: Node<'_>, child: Node<'_>) -> bool {
    parent.kind() == "binary_expression" || misplaced_postfix_inner(parent) == Some(child)
}

/// One piece of a binary operator chain, in source order.
enum Piece<'t> {
    /// A binary operator: `&&`, `||` or `??`, or `None` for any other.
    Operator(Option<&'static str>),
    /// An operand; `None` for the last operand of a misplaced postfix,
    /// which TypeScript reads as that postfix applied to it.
    Operand(Option<Node<'t>>),
}

/// A binary operator chain read as TypeScript and JavaScript group it.
/// Every binary operator binds tighter than the logical ones, so whatever
/// the grouping, a chain's logical operators are one ESTree logical tree
/// whose operands are the chain's operands and non-logical parts.
struct Chain<'t> {
    pieces: Vec<Piece<'t>>,
}

impl<'t> Chain<'t> {
    /// The chain whose top node is `top`.
    fn of(top: Node<'t>) -> Self {
        let mut pieces = Vec::new();
        collect_pieces(top, &mut pieces);
        Chain { pieces }
    }

    /// The operands next to logical operators only: the operands of the
    /// chain's logical tree.
    fn logical_operands(&self) -> impl Iterator<Item = (usize, Node<'t>)> + '_ {
        let logical =
            |piece: Option<&Piece<'_>>| matches!(piece, None | Some(Piece::Operator(Some(_))));
        self.pieces
            .iter()
            .enumerate()
            .filter_map(move |(index, piece)| match piece {
                Piece::Operand(Some(node))
                    if logical(index.checked_sub(1).and_then(|i| self.pieces.get(i)))
                        && logical(self.pieces.get(index + 1)) =>
                {
                    Some((index, *node))
                }
                _ => None,
            })
    }

    /// The logical tree's operators in source order, looking into
    /// parenthesized operands.
    fn logical_operators(&self, operators: &mut Vec<&'static str>) {
        let mut nested = self.logical_operands().peekable();
        for (index, piece) in self.pieces.iter().enumerate() {
            match piece {
                Piece::Operator(Some(operator)) => operators.push(operator),
                Piece::Operand(_) if nested.peek().is_some_and(|(i, _)| *i == index) => {
                    if let Some(inner) = nested.next().and_then(|(_, n)| parenthesized_chain(n)) {
                        Chain::of(inner).logical_operators(operators);
                    }
                }
                _ => {}
            }
        }
    }

    /// Whether an operand of the logical tree is a `?:`.
    fn has_conditional_operand(&self) -> bool {
        self.logical_operands().any(|(_, operand)| {
            unparenthesized(operand).kind() == "ternary_expression"
                || parenthesized_chain(operand)
                    .is_some_and(|inner| Chain::of(inner).has_conditional_operand())
        })
    }
}

/// Appends the pieces of the chain below `node`.
fn collect_pieces<'t>(node: Node<'t>, pieces: &mut Vec<Piece<'t>>) {
    if node.kind() == "binary_expression" {
        if let Some(left) = node.child_by_field_name("left") {
            collect_pieces(left, pieces);
        }
        pieces.push(Piece::Operator(logical_operator(node)));
        if let Some(right) = node.child_by_field_name("right") {
            collect_pieces(right, pieces);
        }
    } else if let Some(inner) = misplaced_postfix_inner(node) {
        collect_pieces(inner, pieces);
        if let Some(Piece::Operand(last)) = pieces.last_mut() {
            *last = None;
        }
    } else {
        pieces.push(Piece::Operand(Some(node)));
    }
}

/// The chain inside a parenthesized operand.
fn parenthesized_chain(operand: Node<'_>) -> Option<Node<'_>> {
    let inner = unparenthesized(operand);
    (inner != operand && is_chain(inner)).then_some(inner)
}

/// Whether the chain topped by `top` is, in parentheses, an operand of an
/// enclosing chain's logical tree (and so scored with that tree).
fn is_logical_operand(top: Node<'_>) -> bool {
    let mut operand = top;
    while let Some(parent) = operand
        .parent()
        .filter(|p| p.kind() == "parenthesized_expression")
    {
        operand = parent;
    }
    if operand == top {
        return false;
    }
    let Some(mut outer) = operand.parent().filter(|p| continues_chain(*p, operand)) else {
        return false;
    };
    while let Some(parent) = outer.parent().filter(|p| continues_chain(*p, outer)) {
        outer = parent;
    }
    Chain::of(outer)
        .logical_operands()
        .any(|(_, node)| node == operand)
}

/// `node` without the parentheses around it.
fn unparenthesized(mut node: Node<'_>) -> Node<'_> {
    while node.kind() == "parenthesized_expression" {
        match node.named_children().next() {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The ESTree parent of an expression: its parent, looking through
/// parentheses.
fn enclosing_expression(node: Node<'_>) -> Option<Node<'_>> {
    let mut parent = node.parent()?;
    while parent.kind() == "parenthesized_expression" {
        parent = parent.parent()?;
    }
    Some(parent)
}

/// Whether a `return` statement returns a JSX element or fragment.
fn returns_jsx(statement: Node<'_>) -> bool {
    statement
        .named_children()
        .next()
        .map(unparenthesized)
        .is_some_and(|argument| {
            matches!(argument.kind(), "jsx_element" | "jsx_self_closing_element")
        })
}

/// The rule's `nameStartsWithCapital`: a non-arrow function's own name, or
/// else the variable it initialises.
fn name_starts_with_capital(function: Node<'_>) -> bool {
    if !matches!(function.kind(), "arrow_function" | "method_definition") {
        if let Some(name) = function.child_by_field_name("name") {
            return starts_with_capital(name.text());
        }
    }
    if function.kind() == "method_definition" {
        return false;
    }
    enclosing_expression(function)
        .filter(|parent| parent.kind() == "variable_declarator")
        .and_then(|declarator| declarator.child_by_field_name("name"))
        .filter(|name| name.kind() == "identifier")
        .is_some_and(|name| starts_with_capital(name.text()))
}

/// JavaScript's `name[0] === name[0].toUpperCase()`: `name[0]` is a UTF-16
/// unit, so a character beyond the BMP (a lone surrogate) always passes.
fn starts_with_capital(name: &str) -> bool {
    name.chars().next().is_some_and(|first| {
        u32::from(first) > 0xFFFF || {
            let mut upper = first.to_uppercase();
            upper.next() == Some(first) && upper.next().is_none()
        }
    })
}

fn non_negative(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    //! Expected numbers come from running eslint-plugin-sonarjs 4.2.2 on
    //! the same sources (`docs/js-metric-rules.md` §4 and §5): each
    //! function at sonarjs's primary location, and the file score.

    use std::sync::LazyLock;

    use tree_sitter::{Language, Parser};

    use super::*;
    use crate::lang::tree::SyntaxTree;

    static JAVASCRIPT: LazyLock<Language> =
        LazyLock::new(|| tree_sitter_javascript::LANGUAGE.into());
    static TYPESCRIPT: LazyLock<Language> =
        LazyLock::new(|| tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into());
    static TSX: LazyLock<Language> = LazyLock::new(|| tree_sitter_typescript::LANGUAGE_TSX.into());

    /// sonarjs's primary location of a function (1-based line and column):
    /// a declaration's name, a method's or property's key, an arrow's `=>`,
    /// else the `function` keyword.
    fn sonar_position(function: Node<'_>) -> (usize, usize) {
        let at = |node: Node<'_>| (node.start_position().row + 1, node.start_char_column() + 1);
        let key = |node: Node<'_>| match node.kind() {
            "computed_property_name" => node.named_children().next().map_or(at(node), at),
            _ => at(node),
        };
        let token = |kind: &str| {
            function
                .children()
                .find(|c| !c.is_named() && c.kind() == kind)
                .map(at)
        };
        match function.kind() {
            "method_definition" => function.child_by_field_name("name").map(key),
            "arrow_function" => token("=>"),
            "function_declaration" | "generator_function_declaration" => function
                .child_by_field_name("name")
                .map(at)
                .or_else(|| token("function")),
            _ => enclosing_expression(function)
                .filter(|parent| parent.kind() == "pair")
                .and_then(|pair| pair.child_by_field_name("key"))
                .map(key)
                .or_else(|| token("function")),
        }
        .expect("every function has a sonarjs location")
    }

    /// Every function of `source` as (line, column, score), sorted, and the
    /// file score.
    fn run(language: &'static Language, source: &str) -> (Vec<(usize, usize, u64)>, u64) {
        let mut parser = Parser::new();
        parser.set_language(language).expect("grammar loads");
        let parsed = parser.parse(source, None).expect("parses");
        let tree = SyntaxTree::copy(&parsed, source, language, 1_000).expect("shallow");
        assert!(
            !tree.nodes().any(|n| n.is_error() || n.is_missing()),
            "syntax error in {source:?}"
        );
        let scores = score(tree.root());
        let mut functions: Vec<(usize, usize, u64)> = tree
            .nodes()
            .filter(|n| is_function(*n))
            .map(|n| {
                let (line, column) = sonar_position(n);
                (line, column, scores.functions[&n.id()])
            })
            .collect();
        assert_eq!(functions.len(), scores.functions.len(), "{source:?}");
        functions.sort_unstable();
        (functions, scores.file_total)
    }

    fn check(
        language: &'static Language,
        source: &str,
        functions: &[(usize, usize, u64)],
        file_total: u64,
    ) {
        assert_eq!(
            run(language, source),
            (functions.to_vec(), file_total),
            "{source}"
        );
    }

    #[test]
    fn if_else_if_else() {
        let source = "function f(a, b) {
  if (a) {
    return 1;
  } else if (b) {
    return 2;
  } else {
    return 3;
  }
}
";
        check(&JAVASCRIPT, source, &[(1, 10, 3)], 3);
    }

    #[test]
    fn structural_increments_grow_with_nesting() {
        let source = "function f(xs) {
  for (const x of xs) {        // loop
    if (x) {                   // nested once
      while (x.next) {         // nested twice
        x = x.next;
      }
    }
  }
}
";
        check(&JAVASCRIPT, source, &[(1, 10, 6)], 6);
    }

    #[test]
    fn switch_counts_once_and_nests_its_cases() {
        let source = "function f(k, x) {
  switch (k) {
    case 1:
    case 2:
      return 'a';
    case 3:
      if (x) { return 'b'; }
      break;
    default:
      return 'c';
  }
}
";
        check(&JAVASCRIPT, source, &[(1, 10, 3)], 3);
    }

    #[test]
    fn logical_sequences_count_and_only() {
        let source = "function and3(a, b, c) { return a && b && c; }
function or3(a, b, c) { return a || b || c; }
function nullish(a, b) { return a ?? b; }
function mixed(a, b, c, d) { return a && b || c && d; }
function alternating(a, b, c, d) { return a && b && c || d; }
function negated(a, b, c) { return !(a && b) && c; }
function inIf(a, b, c) { if (a && (b || c)) { return 1; } }
";
        let expected = [
            (1, 10, 1),
            (2, 10, 0),
            (3, 10, 0),
            (4, 10, 2),
            (5, 10, 1),
            (6, 10, 2),
            (7, 10, 2),
        ];
        check(&JAVASCRIPT, source, &expected, 8);
    }

    #[test]
    fn logical_assignment_optional_chaining_and_defaults() {
        let assignments = "function f(o) {
  o.a ||= 1;
  o.b &&= 2;
  o.c ??= 3;
  o.d += 4;
}
";
        check(&JAVASCRIPT, assignments, &[(1, 10, 0)], 0);
        let chains = "function f(a, k) {
  return a?.b.c?.[k]?.(1) ?? a?.d;
}
";
        check(&JAVASCRIPT, chains, &[(1, 10, 0)], 0);
        let defaults = "function f(a = 1, { b = 2, c } = {}) {
  const [d = 3, e] = a;
  for (const { g = 4 } of b) { }
  return d;
}
";
        check(&JAVASCRIPT, defaults, &[(1, 10, 1)], 1);
    }

    #[test]
    fn try_and_finally_do_not_nest() {
        let source = "function f() {
  try {
    if (g()) { h(); }
  } catch (e) {
    if (e) { throw e; }
  } finally {
    if (h()) { g(); }
  }
  try { g(); } finally { h(); }
}
";
        check(&JAVASCRIPT, source, &[(1, 10, 5)], 5);
    }

    #[test]
    fn nested_conditional_expressions() {
        let source = "function f(a, b) {
  return a ? (b ? 1 : 2) : 3;
}
function g(a, b) {
  return a ? 1 : b ? 2 : 3;
}
";
        check(&JAVASCRIPT, source, &[(1, 10, 3), (4, 10, 3)], 6);
    }

    #[test]
    fn nested_functions_are_scored_alone() {
        let source = "function outer(xs) {
  if (xs) {
    const inner = function (x) {
      if (x) { return 1; }
      return 0;
    };
    return xs.map((x) => (x ? inner(x) : 0));
  }
  return [];
}
";
        check(
            &JAVASCRIPT,
            source,
            &[(1, 10, 1), (3, 19, 1), (7, 23, 1)],
            7,
        );
    }

    #[test]
    fn recursion_is_not_counted() {
        let source = "function fact(n) {
  if (n <= 1) { return 1; }
  return n * fact(n - 1);
}
";
        check(&JAVASCRIPT, source, &[(1, 10, 1)], 1);
    }

    #[test]
    fn labelled_break_and_continue() {
        let source = "function f(m) {
  outer: for (const row of m) {
    for (const x of row) {
      if (x < 0) continue outer;
      if (x > 9) break outer;
      if (x === 5) break;
    }
  }
}
";
        check(&JAVASCRIPT, source, &[(1, 10, 14)], 14);
    }

    #[test]
    fn every_loop_kind() {
        let source = "async function f(o, xs, it) {
  for (let i = 0; i < 3; i++) { }
  for (const k in o) { }
  for (const x of xs) { }
  for await (const y of it) { }
  while (o.a) { }
  do { } while (o.b);
}
";
        check(&JAVASCRIPT, source, &[(1, 16, 6)], 6);
    }

    #[test]
    fn class_members() {
        let source = "class A {
  x = this.a || 1;
  y = () => this.b && 2;
  static z = function () { return 3; };
  #p() { return this.c ?? 4; }
  static { if (A.d) { A.e = 5; } }
  constructor(a) { if (a) { this.a = a; } }
  get v() { return this.a ? 1 : 2; }
  set v(w) { this.a = w; }
  static async *gen() { yield 1; }
}
";
        let expected = [
            (3, 10, 1),
            (4, 14, 0),
            (5, 3, 0),
            (7, 3, 1),
            (8, 7, 1),
            (9, 7, 0),
            (10, 17, 0),
        ];
        check(&JAVASCRIPT, source, &expected, 4);
    }

    #[test]
    fn class_field_and_static_block_count_for_the_enclosing_function() {
        let source = "function make(flag) {
  return class {
    x = flag ? 1 : 2;
    static { if (flag) { init(); } }
  };
}
";
        check(&JAVASCRIPT, source, &[(1, 10, 2)], 2);
    }

    #[test]
    fn object_members_and_anonymous_functions() {
        let source = "const o = {
  m(a) { return a && 1; },
  get g() { return 1; },
  f: function (a) { return a || 2; },
  n: function named(a) { return a ?? 3; },
  ['k' + 1]: (a) => a?.b,
};
export default function (a) { return a ? 1 : 2; }
(function () { if (o) { } })();
";
        let expected = [
            (2, 3, 1),
            (3, 7, 0),
            (4, 3, 0),
            (5, 3, 0),
            (6, 18, 0),
            (8, 16, 1),
            (9, 2, 1),
        ];
        check(&JAVASCRIPT, source, &expected, 3);
    }

    #[test]
    fn top_level_code_counts_for_the_file_only() {
        let source = "if (process.env.X) {
  for (const a of [1, 2]) {
    console.log(a && a.b);
  }
}
const h = (a) => (a ? 1 : 2);
";
        check(&JAVASCRIPT, source, &[(6, 15, 1)], 5);
    }

    #[test]
    fn file_score_nests_deeper_functions() {
        let source = "function outer(a) {
  if (a) { }
  function inner(b) {
    if (b) { }
    return function deepest(c) { if (c) { } };
  }
  return inner;
}
function plain() {
  return [1].map((x) => { if (x) { return 1; } return 2; });
}
";
        let expected = [(1, 10, 1), (3, 12, 1), (5, 12, 1), (9, 10, 0), (10, 22, 1)];
        check(&JAVASCRIPT, source, &expected, 7);
    }

    #[test]
    fn jsx_short_circuits_and_conditionals() {
        let source = "function Item({ a, b, c, items }) {
  return (
    <div>
      {a && <span />}
      {a && b && <span />}
      {a || b}
      {a && b || c}
      {a ? <i /> : null}
      {items.map((it) => it.ok && <li key={it.id} />)}
      <input disabled={a && b} />
      {a && b ? <b /> : null}
    </div>
  );
}
function helper(a, b) {
  const x = <p>{a && b}</p>;
  return a && b && x;
}
";
        check(
            &JAVASCRIPT,
            source,
            &[(1, 10, 4), (9, 23, 1), (15, 10, 1)],
            6,
        );
    }

    #[test]
    fn tsx_component_with_hooks() {
        let source = "export function Panel({ open, items }: { open?: boolean; items: string[] }) {
  const [n, setN] = useState<number>(0);
  useEffect(() => {
    if (open && n > 0) { setN(0); }
  }, [open, n]);
  if (!items.length) return null;
  return <ul>{open ? items.map((i) => <li key={i}>{i}</li>) : <li>closed</li>}</ul>;
}
";
        check(&TSX, source, &[(1, 17, 2), (3, 16, 2), (7, 36, 0)], 4);
    }

    #[test]
    fn typescript_types_overloads_and_abstract_members() {
        let source = "type Pick2<T> = T extends string ? 'a' : T extends number ? 'b' : never;
interface I { m(a?: number): void; f: (x: number) => number; }
function over(a: string): string;
function over(a: number): number;
function over(a: any): any { return a ?? 0; }
abstract class B {
  abstract run(): void;
  constructor(private readonly x: number = 1, public y?: string) { }
  accessor z = this.x || 2;
  declare w: number;
  enumish(e: E) { return e === E.A ? (this.y as string)! : ''; }
}
enum E { A = 1, B = A << 1 }
";
        check(&TYPESCRIPT, source, &[(5, 10, 0), (8, 3, 0), (11, 3, 1)], 1);
    }

    #[test]
    fn class_heads_belong_to_the_enclosing_function() {
        let source = "function build(a: any, b: any) {
  @dec(a || b)
  class C extends (a ?? Object) {
    [a && 'k'] = 1;
    accessor acc = a ? 1 : 2;
    h = x => x || 1;
    ['lit']() { return a?.b; }
    [`tpl`]() { }
  }
  return C;
}
";
        let expected = [(1, 10, 2), (6, 11, 0), (7, 6, 0), (8, 6, 0)];
        check(&TYPESCRIPT, source, &expected, 2);
    }

    #[test]
    fn loop_heads_and_if_tests_are_not_nested() {
        let source = "function f(a, b, xs) {
  while (a ? b : xs) {
    for (let i = a ? 0 : 1; i < (b ? 2 : 3); i++) { }
  }
  if (a ? b : 0) { }
}
";
        check(&JAVASCRIPT, source, &[(1, 10, 10)], 10);
    }

    #[test]
    fn else_block_with_if_is_not_else_if() {
        let source = "function f(a, b, c) {
  if (a) {
    return 1;
  } else {
    if (b) { return 2; }
  }
  if (a) { } else if (b) { if (c) { } } else { }
}
";
        check(&JAVASCRIPT, source, &[(1, 10, 9)], 9);
    }

    #[test]
    fn callbacks_and_iifes() {
        let source = "function f(xs) {
  return xs
    .filter((x) => x && x.ok)
    .map(function (x) { return x.v ? x.v : 0; })
    .reduce((a, b) => a + b, 0);
}
";
        let expected = [(1, 10, 0), (3, 17, 1), (4, 10, 1), (5, 20, 0)];
        check(&JAVASCRIPT, source, &expected, 2);
    }

    #[test]
    fn function_as_conditional_branch_leaks_one_nesting_level() {
        let source = "function f(x) {
  const g = x ? () => 1 : null;
  if (x) {}
}
";
        check(&JAVASCRIPT, source, &[(1, 10, 3), (2, 20, 0)], 2);
    }

    #[test]
    fn misplaced_typescript_postfixes_are_regrouped() {
        let source = "function m1(a: any, b: any, c: any) { return a && b! && c; }
function m2(a: any, b: any, c: any) { return a && b!.c && c; }
function m3(a: any, b: any, c: any) { return a && b![0] && c || a && b!() && c; }
function m4(a: any, b: any, c: any) { return a && b as any && c; }
function m5(a: any, b: any, c: any) { return a && b satisfies any && c; }
function m6(a: any, b: any, c: any) { return a && b! as any && c; }
function m7(a: any, b: any, c: any) { return (a && b!) && c && (a || b! || c) && a; }
function m8(a: any, b: any, c: any) { return a + b! >= c && a.v! >= 0 && b.v! >= 0 && c; }
function m9(a: any, b: any, c: any) { if (a && (b && c!)! && c) {} return a || b! && c; }
function m10(a: any, b: any) { return (a && b)! && a; }
function m11(a: any, b: any) { return a == b as any && a; }
";
        let expected = [
            (1, 10, 1),
            (2, 10, 1),
            (3, 10, 2),
            (4, 10, 1),
            (5, 10, 1),
            (6, 10, 1),
            (7, 10, 2),
            (8, 10, 1),
            (9, 10, 4),
            (10, 10, 2),
            (11, 10, 1),
        ];
        check(&TYPESCRIPT, source, &expected, 17);
        let jsx = "function J({ a, b }: any) {
  return <div>{a && b!.c && <i/>}{a && (b && c!)}{(a && b!) && (b ? 1 : 2)}{a && b! || c}</div>;
}
";
        check(&TSX, jsx, &[(1, 10, 3)], 3);
    }

    #[test]
    fn file_score_keeps_a_leaked_level_of_a_deep_conditional_function() {
        let source = "function a1(x) {
  function b1() {
    function c1() {
      const d = x ? () => { if (x) {} } : function () { if (x) {} };
      if (x) { for (;;) {} }
    }
    if (x) {}
  }
  if (x) { if (x) {} }
}
function a2(x) { if (x) {} }
";
        let expected = [
            (1, 10, 3),
            (2, 12, 1),
            (3, 14, 8),
            (4, 24, 1),
            (4, 43, 1),
            (11, 10, 1),
        ];
        check(&JAVASCRIPT, source, &expected, 39);
    }

    #[test]
    fn react_components_keep_nested_increments_unraised() {
        let source = "function App({ a }) {
  if (a) {}
  const x = () => { if (a) {} };
  return <div />;
}
function app({ a }) {
  if (a) {}
  const x = () => { if (a) {} };
  return <div />;
}
const Arrow = ({ a }) => {
  if (a) {}
  const y = () => { if (a) {} };
  return (<></>);
};
";
        let expected = [
            (1, 10, 1),
            (3, 16, 1),
            (6, 10, 1),
            (8, 16, 1),
            (11, 23, 1),
            (13, 16, 1),
        ];
        check(&JAVASCRIPT, source, &expected, 7);
    }

    #[test]
    fn never_panics_on_broken_code() {
        let source = "function f(a) { if (a && b! ? c : d) { for (;;) { x = a ? () => { while (a) {} } : 1; } } else if (b) { return <p>{a && b}</p>; } }\nclass C { @d(a || b) m() { switch (a) { case 1: break l; } } }\n";
        for language in [&*JAVASCRIPT, &*TYPESCRIPT, &*TSX] {
            for end in (0..=source.len()).filter(|i| source.is_char_boundary(*i)) {
                let prefix = &source[..end];
                let mut parser = Parser::new();
                parser.set_language(language).expect("grammar loads");
                let parsed = parser.parse(prefix, None).expect("parses");
                let tree = SyntaxTree::copy(&parsed, prefix, language, 1_000).expect("shallow");
                score(tree.root());
            }
        }
    }
}

//! Unit discovery: every function-like code path ESLint's `complexity`
//! reports (docs/js-metric-rules.md §1.1), plus classes, with the names a user
//! searches for and ESLint's report positions.
//!
//! Names: a method is `Class.method`, an object-literal member
//! `object.member` when the object is assigned to a name, a function
//! expression or arrow takes the variable, property or assignment target it
//! is stored in (else its own name, else `<anonymous>`), a default export is
//! `default`. A class field initializer is named after its field (`Class.x`;
//! `Class.y.<initializer>` when the field holds a function, which takes the
//! plain name); a static block is `Class.<static>`. Qualified names join the
//! enclosing classes, named objects and functions with dots.

use super::syntax::{
    eslint_position, estree_parent, is_class, is_field, is_field_initializer, is_function,
    member_of, member_start, static_property_name, unparenthesized,
};
use crate::lang::tree::Node;
use crate::model::{FunctionKind, Span};

/// What kind of code path a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitKind {
    Function,
    /// The value of a class field (`x = <expr>`).
    FieldInitializer,
    /// `static { … }` in a class body.
    StaticBlock,
}

/// Identifies a unit: a field whose value is a function gives two units on
/// the same node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitKey {
    /// `Node::id()` of the function, the field's value or the static block.
    pub node: usize,
    pub kind: UnitKind,
}

/// A unit found in the file, before metrics are attached.
#[derive(Debug, Clone)]
pub struct Unit {
    pub key: UnitKey,
    pub name: String,
    pub qualified_name: String,
    pub kind: FunctionKind,
    /// `line`/`column` are ESLint's report position (§1.6).
    pub span: Span,
    /// Byte range of the unit's node.
    pub bytes: (usize, usize),
    /// Last line of the header: where the body opens.
    pub header_end_line: u32,
    /// Where sonarjs reports the unit's cognitive complexity (line,
    /// column), which differs from ESLint's `complexity` position for
    /// decorated members and declarations whose name is on a later line.
    pub cognitive_position: (u32, u32),
}

impl Unit {
    /// The unit of `node`, reported at `(line, start_line, column)`.
    fn new(
        node: Node<'_>,
        unit_kind: UnitKind,
        kind: FunctionKind,
        qualified_name: String,
        name: String,
        (line, start_line, column): (u32, u32, u32),
    ) -> Unit {
        Unit {
            key: UnitKey {
                node: node.id(),
                kind: unit_kind,
            },
            name,
            qualified_name,
            kind,
            span: Span {
                line,
                start_line,
                end_line: end_line(node),
                column,
            },
            bytes: (node.start_byte(), node.end_byte()),
            header_end_line: header_end_line(node).max(line),
            cognitive_position: (line, column),
        }
    }
}

/// A class (declaration or expression).
#[derive(Debug, Clone)]
pub struct Class {
    pub name: String,
    pub qualified_name: String,
    pub span: Span,
    /// Last line of the header: where the body opens.
    pub header_end_line: u32,
}

/// Every unit and class of the file, in source order.
#[derive(Debug, Default)]
pub struct Units {
    pub units: Vec<Unit>,
    pub classes: Vec<Class>,
}

/// Lists the units and classes under `root`.
pub fn collect(root: Node<'_>, source: &str) -> Units {
    let mut found = Units::default();
    let mut scope = Vec::new();
    visit(root, source, &mut scope, &mut found);
    found.units.sort_by_key(|u| (u.bytes.0, u.key));
    found
}

fn visit(node: Node<'_>, source: &str, scope: &mut Vec<String>, found: &mut Units) {
    let mut pushed = 0;
    if is_field_initializer(node) {
        let field = node.parent().map(field_name).unwrap_or_default();
        let is_function_value = is_function(unparenthesized(node));
        let name = if is_function_value {
            format!("{field}.<initializer>")
        } else {
            field.clone()
        };
        let (line, column) = eslint_position(unparenthesized(node), source);
        let head = (line, line, column);
        found.units.push(Unit::new(
            node,
            UnitKind::FieldInitializer,
            FunctionKind::Method,
            qualify(scope, &name),
            name,
            head,
        ));
        if !is_function_value {
            scope.push(field);
            pushed += 1;
        }
    }
    if is_function(node) {
        let name = function_name(node);
        let (line, column, start_line, kind) = function_head(node, source);
        let mut unit = Unit::new(
            node,
            UnitKind::Function,
            kind,
            qualify(scope, &name),
            name.clone(),
            (line, start_line, column),
        );
        unit.cognitive_position = sonarjs_position(node, source);
        found.units.push(unit);
        scope.push(name);
        pushed += 1;
    } else if node.kind() == "class_static_block" {
        let name = "<static>".to_owned();
        let (line, column) = eslint_position(node, source);
        found.units.push(Unit::new(
            node,
            UnitKind::StaticBlock,
            FunctionKind::Method,
            qualify(scope, &name),
            name.clone(),
            (line, line, column),
        ));
        scope.push(name);
        pushed += 1;
    } else if is_class(node) {
        let name = class_name(node);
        let keyword = node
            .children()
            .find(|c| c.kind() == "class")
            .unwrap_or(node);
        let (line, column) = eslint_position(keyword, source);
        found.classes.push(Class {
            qualified_name: qualify(scope, &name),
            name: name.clone(),
            span: Span {
                line,
                start_line: node.start_position().row as u32 + 1,
                end_line: end_line(node),
                column,
            },
            header_end_line: header_end_line(node).max(line),
        });
        scope.push(name);
        pushed += 1;
    } else if node.kind() == "object" {
        if let Some(name) = assigned_name(node) {
            scope.push(name);
            pushed += 1;
        }
    }
    for child in node.children() {
        visit(child, source, scope, found);
    }
    scope.truncate(scope.len() - pushed);
}

fn qualify(scope: &[String], name: &str) -> String {
    if scope.is_empty() {
        name.to_owned()
    } else {
        format!("{}.{name}", scope.join("."))
    }
}

/// The line where a function's or class's body opens; a node without a
/// body (a field's value, a static block) has its first line.
fn header_end_line(node: Node<'_>) -> u32 {
    let opening = match node.kind() {
        "class_static_block" => None,
        _ => node.child_by_field_name("body"),
    };
    opening.unwrap_or(node).start_position().row as u32 + 1
}

fn end_line(node: Node<'_>) -> u32 {
    node.end_position().row as u32 + 1
}

/// ESLint's report position of a function (§1.6), the first line of the
/// member or function (decorators included) and whether it is a method.
fn function_head(node: Node<'_>, source: &str) -> (u32, u32, u32, FunctionKind) {
    if let Some(member) = member_of(node) {
        let start = member_start(member);
        let (line, column) = eslint_position(start, source);
        return (line, column, line, FunctionKind::Method);
    }
    let head = if node.kind() == "arrow_function" {
        node.children().find(|c| c.kind() == "=>").unwrap_or(node)
    } else {
        node
    };
    let (line, column) = eslint_position(head, source);
    let start_line = node.start_position().row as u32 + 1;
    (line, column, start_line, FunctionKind::Function)
}

/// Where sonarjs reports a function: the name of a declaration, the key of
/// a method or object property, else the `function` keyword or the `=>`.
fn sonarjs_position(node: Node<'_>, source: &str) -> (u32, u32) {
    let token = |kind: &str| node.children().find(|c| c.kind() == kind && !c.is_named());
    let anchor = match member_of(node) {
        Some(member) if member.kind() == "method_definition" => member.child_by_field_name("name"),
        Some(member) if member.kind() == "pair" => member.child_by_field_name("key"),
        _ => match node.kind() {
            "arrow_function" => token("=>"),
            "function_declaration" | "generator_function_declaration" => node
                .child_by_field_name("name")
                .or_else(|| token("function")),
            _ => token("function"),
        },
    };
    eslint_position(anchor.unwrap_or(node), source)
}

/// The name a user knows a function by.
fn function_name(node: Node<'_>) -> String {
    if node.kind() == "method_definition" {
        return node
            .child_by_field_name("name")
            .map(key_name)
            .unwrap_or_default();
    }
    let own = node
        .child_by_field_name("name")
        .map(|n| n.text().to_owned());
    let is_declaration = matches!(
        node.kind(),
        "function_declaration" | "generator_function_declaration"
    );
    if is_declaration {
        return own.unwrap_or_else(|| "default".to_owned());
    }
    assigned_name(node)
        .or(own)
        .unwrap_or_else(|| "<anonymous>".to_owned())
}

fn class_name(node: Node<'_>) -> String {
    node.child_by_field_name("name")
        .map(|n| n.text().to_owned())
        .or_else(|| assigned_name(node))
        .unwrap_or_else(|| "<class>".to_owned())
}

fn field_name(field: Node<'_>) -> String {
    field
        .child_by_field_name("property")
        .or_else(|| field.child_by_field_name("name"))
        .map(key_name)
        .unwrap_or_default()
}

/// A property key as written: its static name, else `[expression]`.
fn key_name(key: Node<'_>) -> String {
    static_property_name(key).unwrap_or_else(|| compact(key.text()))
}

/// The name an expression is stored under: `const x = …`, `a.b = …`,
/// `{ k: … }`, a class field, `export default …`.
fn assigned_name(node: Node<'_>) -> Option<String> {
    let parent = estree_parent(node)?;
    let holds = |field: &str| {
        parent
            .child_by_field_name(field)
            .is_some_and(|child| unparenthesized(child) == node)
    };
    match parent.kind() {
        "variable_declarator" if holds("value") => parent
            .child_by_field_name("name")
            .filter(|n| n.kind() == "identifier")
            .map(|n| n.text().to_owned()),
        "assignment_expression" if holds("right") => parent
            .child_by_field_name("left")
            .filter(|n| matches!(n.kind(), "identifier" | "member_expression"))
            .map(|n| compact(n.text())),
        "pair" if holds("value") => parent.child_by_field_name("key").map(key_name),
        _ if is_field(parent) && holds("value") => Some(field_name(parent)),
        "export_statement" => Some("default".to_owned()),
        _ => None,
    }
}

/// Source text with all whitespace removed (`a .b` → `a.b`).
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::super::{test_tree, Dialect};
    use super::*;

    fn listing(source: &str, dialect: Dialect) -> Vec<String> {
        let tree = test_tree(source, dialect);
        let found = collect(tree.root(), source);
        found
            .units
            .iter()
            .map(|u| {
                format!(
                    "{} {}:{} {:?}",
                    u.qualified_name, u.span.line, u.span.column, u.kind
                )
            })
            .chain(found.classes.iter().map(|c| {
                format!(
                    "class {} {}:{}",
                    c.qualified_name, c.span.line, c.span.column
                )
            }))
            .collect()
    }

    #[test]
    fn class_members_are_named_and_placed_like_eslint() {
        let source = "class A {\n  x = this.a || 1;\n  y = () => this.b && 2;\n  static z = function () { return 3; };\n  #p() { return this.c ?? 4; }\n  static { if (A.d) { A.e = 5; } }\n  constructor(a) { if (a) { this.a = a; } }\n  get v() { return this.a ? 1 : 2; }\n  static async *gen() { yield 1; }\n}\n";
        assert_eq!(
            listing(source, Dialect::JavaScript),
            vec![
                "A.x 2:7 Method",
                "A.y 3:3 Method",
                "A.y.<initializer> 3:7 Method",
                "A.z 4:3 Method",
                "A.z.<initializer> 4:14 Method",
                "A.#p 5:3 Method",
                "A.<static> 6:3 Method",
                "A.constructor 7:3 Method",
                "A.v 8:3 Method",
                "A.gen 9:3 Method",
                "class A 1:1",
            ]
        );
    }

    #[test]
    fn functions_take_the_name_they_are_stored_under() {
        let source = "const o = {\n  m(a) { return a && 1; },\n  f: function (a) { return a || 2; },\n  ['k' + 1]: (a) => a?.b,\n};\n(function () { if (o) { } })();\nexport default function (a) { return a ? 1 : 2; }\n\
                      function outer(xs) {\n  const inner = function (x) { return x; };\n  return xs.map((x) => (x ? inner(x) : 0));\n}\nexports.run = async () => {};\nconst B = class { m() {} };\n";
        assert_eq!(
            listing(source, Dialect::JavaScript),
            vec![
                "o.m 2:3 Method",
                "o.f 3:3 Method",
                "o.['k'+1] 4:3 Method",
                "<anonymous> 6:2 Function",
                "default 7:16 Function",
                "outer 8:1 Function",
                "outer.inner 9:17 Function",
                "outer.<anonymous> 10:21 Function",
                "exports.run 12:24 Function",
                "B.m 13:19 Method",
                "class B 13:11",
            ]
        );
    }

    #[test]
    fn typescript_decorated_methods_start_at_the_decorator() {
        let source = "class C {\n  @log()\n  run(): void { }\n  abstract stop(): void;\n}\nfunction over(a: string): string;\nfunction over(a: any): any { return a; }\n";
        assert_eq!(
            listing(source, Dialect::TypeScript),
            vec!["C.run 2:3 Method", "over 7:1 Function", "class C 1:1"]
        );
    }
}

//! Function and class discovery: every `def` and `class` with its qualified name.

use super::syntax::{definition_name, undecorated};
use crate::lang::tree::Node;
use crate::model::{FunctionKind, Span};

/// A definition found in the file, before metrics are attached.
#[derive(Debug, Clone)]
pub struct Definition {
    /// Start byte of the `function_definition`/`class_definition` node: the
    /// key under which every visitor reports its numbers for this unit.
    pub key: usize,
    pub name: String,
    pub qualified_name: String,
    pub is_class: bool,
    pub kind: FunctionKind,
    pub span: Span,
    /// Line of the `:` that ends the header (the last signature line).
    pub header_end_line: u32,
    /// Line of the definition's name (where ruff reports `C901`).
    pub name_line: u32,
}

/// Lists every definition in source order, with dotted qualified names
/// (`Outer.method.inner`). A def is a method when the nearest enclosing
/// definition is a class, as radon decides it.
pub fn collect(root: Node<'_>) -> Vec<Definition> {
    let mut found: Vec<Definition> = Vec::new();
    // Each stack entry names its enclosing definition by index into
    // `found` (None at module level), so no scope is copied per node.
    let mut stack: Vec<(Node<'_>, Option<usize>)> = vec![(root, None)];
    while let Some((node, enclosing)) = stack.pop() {
        let mut pending = Vec::new();
        for child in node.named_children() {
            if !matches!(
                child.kind(),
                "function_definition" | "class_definition" | "decorated_definition"
            ) {
                pending.push((child, enclosing));
                continue;
            }
            let definition = undecorated(child);
            let name = definition_name(definition).to_owned();
            let (qualified_name, in_class) = match enclosing.map(|index| &found[index]) {
                Some(parent) => (format!("{}.{name}", parent.qualified_name), parent.is_class),
                None => (name.clone(), false),
            };
            found.push(Definition {
                key: definition.start_byte(),
                qualified_name,
                name,
                is_class: definition.kind() == "class_definition",
                kind: if in_class {
                    FunctionKind::Method
                } else {
                    FunctionKind::Function
                },
                span: span(child, definition),
                header_end_line: header_end_line(definition),
                name_line: definition
                    .child_by_field_name("name")
                    .map_or(0, |name| name.start_position().row as u32 + 1),
            });
            if let Some(body) = definition.child_by_field_name("body") {
                pending.push((body, Some(found.len() - 1)));
            }
        }
        // Reverse so that the explicit stack visits children in source order.
        stack.extend(pending.into_iter().rev());
    }
    found.sort_by_key(|d| d.key);
    found
}

fn span(outer: Node<'_>, definition: Node<'_>) -> Span {
    let start = definition.start_position();
    Span {
        line: start.row as u32 + 1,
        start_line: outer.start_position().row as u32 + 1,
        end_line: last_line(definition),
        column: definition.start_char_column() as u32 + 1,
    }
}

/// The line of the `:` before the body.
fn header_end_line(definition: Node<'_>) -> u32 {
    let colon = definition
        .children()
        .filter(|child| child.kind() == ":")
        .last()
        .unwrap_or(definition);
    colon.start_position().row as u32 + 1
}

/// The last line holding code of the definition (trailing comments excluded).
fn last_line(definition: Node<'_>) -> u32 {
    let body = definition.child_by_field_name("body").unwrap_or(definition);
    let last = body.named_children().last().unwrap_or(body);
    let end = last.end_position();
    // A node ending at column 0 ends with the newline of the previous line.
    let row = if end.column == 0 && end.row > 0 {
        end.row - 1
    } else {
        end.row
    };
    row as u32 + 1
}

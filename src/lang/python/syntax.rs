//! Small helpers over Python syntax nodes shared by the visitors.

use crate::lang::tree::Node;

/// Strips parentheses, which do not exist in CPython's AST.
pub fn unparenthesized(mut node: Node<'_>) -> Node<'_> {
    while node.kind() == "parenthesized_expression" {
        match node.named_children().next() {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The statements of a definition's body.
pub fn body_statements<'t>(definition: Node<'t>) -> impl Iterator<Item = Node<'t>> {
    definition
        .child_by_field_name("body")
        .into_iter()
        .flat_map(|body| body.named_children())
}

/// The `function_definition` or `class_definition` a `decorated_definition` wraps.
pub fn undecorated(node: Node<'_>) -> Node<'_> {
    if node.kind() == "decorated_definition" {
        node.child_by_field_name("definition").unwrap_or(node)
    } else {
        node
    }
}

/// The identifier a definition binds.
pub fn definition_name<'t>(definition: Node<'t>) -> &'t str {
    definition
        .child_by_field_name("name")
        .map_or("", |n| n.text())
}

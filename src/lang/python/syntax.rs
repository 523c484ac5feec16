//! Small helpers over tree-sitter-python nodes shared by the Python visitors.

use tree_sitter::Node;

/// The source text of a node.
pub fn text<'s>(node: Node<'_>, source: &'s str) -> &'s str {
    source.get(node.byte_range()).unwrap_or("")
}

/// Strips parentheses, which do not exist in CPython's AST.
pub fn unparenthesized(mut node: Node<'_>) -> Node<'_> {
    while node.kind() == "parenthesized_expression" {
        match node
            .named_children(&mut node.walk())
            .find(|c| c.kind() != "comment")
        {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The named children of a node, comments excluded.
pub fn named_children(node: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect();
    children.into_iter()
}

/// The statements of a `block` (a function, class or clause body).
pub fn block_statements(block: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    named_children(block)
}

/// The `function_definition` or `class_definition` a `decorated_definition` wraps.
pub fn undecorated(node: Node<'_>) -> Node<'_> {
    if node.kind() == "decorated_definition" {
        node.child_by_field_name("definition").unwrap_or(node)
    } else {
        node
    }
}

/// Whether a node has an anonymous child token of the given kind.
pub fn has_token(node: Node<'_>, token: &str) -> bool {
    let mut cursor = node.walk();
    let found = node
        .children(&mut cursor)
        .any(|c| !c.is_named() && c.kind() == token);
    found
}

/// The identifier a definition binds.
pub fn definition_name<'s>(definition: Node<'_>, source: &'s str) -> &'s str {
    definition
        .child_by_field_name("name")
        .map_or("", |n| text(n, source))
}

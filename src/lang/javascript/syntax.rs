//! Shared facts about the JavaScript/TypeScript syntax trees: which nodes are
//! functions and class members, how ESTree (the reference tools' AST) would
//! see them, property names and ESLint's 1-based UTF-16 columns.

use crate::lang::tree::Node;

/// Whether `node` is a function with a body (what ESLint's code-path
/// analysis opens a code path for). Overload signatures, abstract and
/// interface members are other kinds, so they are not functions here.
pub fn is_function(node: Node<'_>) -> bool {
    // Named only: the `function` keyword token has the kind `function` too.
    node.is_named()
        && matches!(
            node.kind(),
            "function_declaration"
                | "generator_function_declaration"
                | "function_expression"
                | "function"
                | "generator_function"
                | "arrow_function"
                | "method_definition"
        )
}

/// Whether `node` is a class body field (`x = 1`, `static y;`).
pub fn is_field(node: Node<'_>) -> bool {
    matches!(node.kind(), "field_definition" | "public_field_definition")
}

/// Whether `node` is a class expression or declaration.
pub fn is_class(node: Node<'_>) -> bool {
    node.is_named()
        && matches!(
            node.kind(),
            "class_declaration" | "class" | "abstract_class_declaration"
        )
}

/// Whether a field is an ESTree `PropertyDefinition`: `accessor` fields
/// (`AccessorProperty`) and `declare` fields are not.
fn is_property_definition(field: Node<'_>) -> bool {
    is_field(field) && !field.has_token("accessor") && !field.has_token("declare")
}

/// Whether `node` is the value of a class field that ESLint treats as a
/// "class field initializer" code path.
pub fn is_field_initializer(node: Node<'_>) -> bool {
    node.field() == Some("value") && node.parent().is_some_and(is_property_definition)
}

/// The ESTree parent of `node`: parentheses are not ESTree nodes.
pub fn estree_parent(node: Node<'_>) -> Option<Node<'_>> {
    let mut parent = node.parent()?;
    while parent.kind() == "parenthesized_expression" {
        parent = parent.parent()?;
    }
    Some(parent)
}

/// The child of `parent` that holds `node` (itself, or a parenthesised wrapper).
fn holder_in<'t>(node: Node<'t>, parent: Node<'t>) -> Node<'t> {
    let mut holder = node;
    while let Some(up) = holder.parent() {
        if up == parent {
            break;
        }
        holder = up;
    }
    holder
}

/// `node` with enclosing parentheses removed, looking inward.
pub fn unparenthesized(node: Node<'_>) -> Node<'_> {
    let mut inner = node;
    while inner.kind() == "parenthesized_expression" {
        match inner.named_children().next() {
            Some(child) => inner = child,
            None => break,
        }
    }
    inner
}

/// The object property or class field (`pair`, field definition) whose value
/// is the function `node`, as ESTree's `Property`/`PropertyDefinition`
/// parent; `method_definition` nodes are their own member.
pub fn member_of(node: Node<'_>) -> Option<Node<'_>> {
    if node.kind() == "method_definition" {
        return Some(node);
    }
    let parent = estree_parent(node)?;
    let is_member = match parent.kind() {
        "pair" => true,
        _ => is_property_definition(parent),
    };
    (is_member && holder_in(node, parent).field() == Some("value")).then_some(parent)
}

/// Where a member starts for ESLint: TypeScript method decorators are
/// siblings before the method in the class body, and the member starts at
/// the first of them.
pub fn member_start(member: Node<'_>) -> Node<'_> {
    let Some(body) = member.parent().filter(|p| p.kind() == "class_body") else {
        return member;
    };
    let mut first = member;
    let mut pending_decorators: Option<Node<'_>> = None;
    for child in body.children() {
        if child == member {
            if let Some(decorator) = pending_decorators {
                first = decorator;
            }
            break;
        }
        if child.kind() == "decorator" {
            pending_decorators.get_or_insert(child);
        } else if child.kind() != "comment" {
            pending_decorators = None;
        }
    }
    first
}

/// The static name of a property key, as ESLint's `getStaticPropertyName`
/// finds it: identifiers, private names (`#p`), string and number literals,
/// and computed keys holding a literal or a substitution-free template.
pub fn static_property_name(key: Node<'_>) -> Option<String> {
    match key.kind() {
        "property_identifier" | "identifier" | "private_property_identifier" | "number" => {
            Some(key.text().to_owned())
        }
        "string" => Some(string_value(key)),
        "computed_property_name" => {
            let inner = unparenthesized(key.named_children().next()?);
            match inner.kind() {
                "string" => Some(string_value(inner)),
                "number" => Some(inner.text().to_owned()),
                "template_string"
                    if !inner
                        .named_children()
                        .any(|c| c.kind() == "template_substitution") =>
                {
                    let text = inner.text();
                    Some(text[1..text.len().saturating_sub(1).max(1)].to_owned())
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// A string literal's text without its quotes (escapes left as written).
fn string_value(string: Node<'_>) -> String {
    let text = string.text();
    if text.len() >= 2 {
        text[1..text.len() - 1].to_owned()
    } else {
        String::new()
    }
}

/// A 1-based (line, column) as ESLint prints it: the column counts UTF-16
/// code units from the start of the line.
pub fn eslint_position(node: Node<'_>, source: &str) -> (u32, u32) {
    let start = node.start_byte();
    let line_start = start - node.start_position().column;
    let column = source
        .get(line_start..start)
        .map_or(0, |prefix| prefix.encode_utf16().count());
    (node.start_position().row as u32 + 1, column as u32 + 1)
}

//! A compact, read-only copy of a tree-sitter syntax tree.
//!
//! tree-sitter's cursor walks are costly (hidden nodes are skipped on every
//! step). The front ends run several visitors per file, so the tree is
//! copied once, in one cursor pass, into a flat arena whose nodes link to
//! parent, first child and next sibling. Visitors then navigate it for
//! the price of an index lookup. The node API mirrors tree-sitter's names.

/// A 0-based row and byte column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    pub row: usize,
    pub column: usize,
}

/// Why a tree could not be copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeError {
    /// Deeper than the limit the caller set.
    TooDeep,
}

#[derive(Debug, Clone, Copy)]
struct NodeData {
    kind: &'static str,
    field: Option<&'static str>,
    named: bool,
    extra: bool,
    error: bool,
    missing: bool,
    start_byte: u32,
    end_byte: u32,
    start_row: u32,
    start_column: u32,
    end_row: u32,
    end_column: u32,
    parent: u32,
    first_child: u32,
    next_sibling: u32,
}

const NONE: u32 = u32::MAX;

/// The flat copy of one parsed file.
#[derive(Debug)]
pub struct SyntaxTree<'s> {
    nodes: Vec<NodeData>,
    source: &'s str,
    /// Levels below the root of the deepest node.
    depth: usize,
}

/// A node of a [`SyntaxTree`].
#[derive(Clone, Copy)]
pub struct Node<'t> {
    tree: &'t SyntaxTree<'t>,
    index: u32,
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.tree, other.tree) && self.index == other.index
    }
}

impl Eq for Node<'_> {}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}", self.kind(), self.start_byte())
    }
}

impl<'s> SyntaxTree<'s> {
    /// Copies `tree` (parsed from `source` with `language`), failing beyond
    /// `max_depth` levels. Kind and field names are borrowed from the
    /// `'static` language, so the copy outlives the tree-sitter tree.
    pub fn copy(
        tree: &tree_sitter::Tree,
        source: &'s str,
        language: &'static tree_sitter::Language,
        max_depth: usize,
    ) -> Result<Self, TreeError> {
        let mut nodes: Vec<NodeData> = Vec::new();
        let mut cursor = tree.walk();
        // Index of the last child added under each open ancestor.
        let mut last_child: Vec<u32> = vec![NONE];
        let mut parents: Vec<u32> = vec![NONE];
        let mut depth = 0;
        loop {
            let node = cursor.node();
            let index = nodes.len() as u32;
            let parent = *parents.last().unwrap_or(&NONE);
            let start = node.start_position();
            let end = node.end_position();
            nodes.push(NodeData {
                kind: language.node_kind_for_id(node.kind_id()).unwrap_or(""),
                field: cursor
                    .field_id()
                    .and_then(|id| language.field_name_for_id(id.get())),
                named: node.is_named(),
                extra: node.is_extra(),
                error: node.is_error(),
                missing: node.is_missing(),
                start_byte: node.start_byte() as u32,
                end_byte: node.end_byte() as u32,
                start_row: start.row as u32,
                start_column: start.column as u32,
                end_row: end.row as u32,
                end_column: end.column as u32,
                parent,
                first_child: NONE,
                next_sibling: NONE,
            });
            if let Some(previous) = last_child.last_mut() {
                if *previous == NONE {
                    if parent != NONE {
                        nodes[parent as usize].first_child = index;
                    }
                } else {
                    nodes[*previous as usize].next_sibling = index;
                }
                *previous = index;
            }
            if cursor.goto_first_child() {
                if parents.len() > max_depth {
                    return Err(TreeError::TooDeep);
                }
                parents.push(index);
                last_child.push(NONE);
                depth = depth.max(parents.len() - 1);
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return Ok(SyntaxTree {
                        nodes,
                        source,
                        depth,
                    });
                }
                parents.pop();
                last_child.pop();
            }
        }
    }

    /// The root node.
    pub fn root(&'s self) -> Node<'s> {
        Node {
            tree: self,
            index: 0,
        }
    }

    /// The source text the tree was parsed from.
    pub fn source(&self) -> &'s str {
        self.source
    }

    /// Levels below the root of the deepest node (what the visitors'
    /// recursion needs stack for).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Every node in document (pre-)order.
    pub fn nodes(&'s self) -> impl Iterator<Item = Node<'s>> {
        (0..self.nodes.len() as u32).map(move |index| Node { tree: self, index })
    }
}

impl<'t> Node<'t> {
    fn data(&self) -> &'t NodeData {
        &self.tree.nodes[self.index as usize]
    }

    fn at(&self, index: u32) -> Option<Node<'t>> {
        (index != NONE).then_some(Node {
            tree: self.tree,
            index,
        })
    }

    pub fn kind(&self) -> &'static str {
        self.data().kind
    }

    /// The field name this node has in its parent, if any.
    pub fn field(&self) -> Option<&'static str> {
        self.data().field
    }

    pub fn is_named(&self) -> bool {
        self.data().named
    }

    pub fn is_error(&self) -> bool {
        self.data().error
    }

    pub fn is_missing(&self) -> bool {
        self.data().missing
    }

    /// A stable identifier, unique within the tree.
    pub fn id(&self) -> usize {
        self.index as usize
    }

    pub fn start_byte(&self) -> usize {
        self.data().start_byte as usize
    }

    pub fn end_byte(&self) -> usize {
        self.data().end_byte as usize
    }

    /// Position of the first byte.
    pub fn start_position(&self) -> Point {
        Point {
            row: self.data().start_row as usize,
            column: self.data().start_column as usize,
        }
    }

    /// Position just past the last byte.
    pub fn end_position(&self) -> Point {
        Point {
            row: self.data().end_row as usize,
            column: self.data().end_column as usize,
        }
    }

    /// 0-based column of the first byte, counted in characters.
    pub fn start_char_column(&self) -> usize {
        let start = self.start_byte();
        let line_start = start - self.data().start_column as usize;
        self.tree
            .source
            .get(line_start..start)
            .map_or(self.data().start_column as usize, |s| s.chars().count())
    }

    /// The node's source text.
    pub fn text(&self) -> &'t str {
        self.tree
            .source
            .get(self.start_byte()..self.end_byte())
            .unwrap_or("")
    }

    pub fn parent(&self) -> Option<Node<'t>> {
        self.at(self.data().parent)
    }

    /// All children, anonymous tokens included.
    pub fn children(&self) -> Children<'t> {
        Children {
            next: self.at(self.data().first_child),
        }
    }

    /// Named children, extras (comments, line continuations) excluded.
    pub fn named_children(&self) -> impl Iterator<Item = Node<'t>> {
        self.children().filter(|c| c.is_named() && !c.data().extra)
    }

    /// The first child with the given field name.
    pub fn child_by_field_name(&self, field: &str) -> Option<Node<'t>> {
        self.children().find(|c| c.field() == Some(field))
    }

    /// Every child with the given field name.
    pub fn children_by_field_name<'f>(&self, field: &'f str) -> impl Iterator<Item = Node<'t>> + 'f
    where
        't: 'f,
    {
        self.children().filter(move |c| c.field() == Some(field))
    }

    /// Whether an anonymous child token of this kind exists (`async`, `*`, `,`).
    pub fn has_token(&self, token: &str) -> bool {
        self.children().any(|c| !c.is_named() && c.kind() == token)
    }

    /// The first and last child.
    pub fn first_child(&self) -> Option<Node<'t>> {
        self.at(self.data().first_child)
    }

    pub fn last_child(&self) -> Option<Node<'t>> {
        self.children().last()
    }
}

/// Iterator over a node's children.
pub struct Children<'t> {
    next: Option<Node<'t>>,
}

impl<'t> Iterator for Children<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        let current = self.next?;
        self.next = current.at(current.data().next_sibling);
        Some(current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_structure_fields_and_positions() {
        let source = "def f(a):\n    return a + 1\n";
        static PYTHON: std::sync::LazyLock<tree_sitter::Language> =
            std::sync::LazyLock::new(|| tree_sitter_python::LANGUAGE.into());
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&PYTHON).expect("grammar loads");
        let parsed = parser.parse(source, None).expect("parses");
        let tree = SyntaxTree::copy(&parsed, source, &PYTHON, 100).expect("shallow");
        let function = tree.root().named_children().next().expect("a def");
        assert_eq!(function.kind(), "function_definition");
        assert_eq!(
            function.child_by_field_name("name").map(|n| n.text()),
            Some("f")
        );
        let body = function.child_by_field_name("body").expect("body");
        let ret = body.named_children().next().expect("return");
        assert_eq!(ret.start_position(), Point { row: 1, column: 4 });
        let sum = ret.named_children().next().expect("binary operator");
        assert_eq!(
            sum.child_by_field_name("operator").map(|n| n.text()),
            Some("+")
        );
        assert_eq!(sum.parent(), Some(ret));
        assert_eq!(tree.nodes().count(), parsed.root_node().descendant_count());
        assert_eq!(
            SyntaxTree::copy(&parsed, source, &PYTHON, 3).err(),
            Some(TreeError::TooDeep)
        );
    }
}

//! SonarJS cognitive complexity (eslint-plugin-sonarjs 4.2.2 `cognitive-complexity`).
//!
//! Placeholder with the agreed interface: it scores nothing. The real
//! visitor is written on the `js-cognitive` branch and replaces this file.

use std::collections::HashMap;

use crate::lang::tree::Node;

/// SonarJS cognitive complexity of one parsed file.
pub struct CognitiveScores {
    /// Score of each function, keyed by `Node::id()` of the tree-sitter node that is the
    /// function: function_declaration, generator_function_declaration, function_expression
    /// (or `function`), generator_function, arrow_function, method_definition.
    /// Every such function node present in the file appears (score may be 0).
    pub functions: HashMap<usize, u64>,
    /// sonarjs's hidden file-level score (js-metric-rules §2.6).
    pub file_total: u64,
}

/// Scores every function of the file rooted at `root`.
pub fn score(_root: Node<'_>) -> CognitiveScores {
    CognitiveScores {
        functions: HashMap::new(),
        file_total: 0,
    }
}

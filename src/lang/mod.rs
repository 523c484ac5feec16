//! Language front ends: the only place that knows tree-sitter node kinds.

pub mod javascript;
pub mod python;
pub mod tree;

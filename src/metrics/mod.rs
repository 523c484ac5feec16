//! Language-neutral metric math: pure functions from counts to numbers.
//!
//! Nothing here knows about tree-sitter or files; the language front ends in
//! `lang/` feed these types with the counts their reference tools define.

pub mod cyclomatic;
pub mod halstead;
pub mod maintainability;
pub mod raw;

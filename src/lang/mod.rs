//! Language front ends: the only place that knows tree-sitter node kinds.

mod deep;
pub mod javascript;
pub mod line_breaks;
pub mod marker;
pub mod python;
pub mod tree;

use crate::model::Language;

/// The grammar a file at `path` is parsed with, named for cache keys: the
/// language's name, except that `.tsx` files have a grammar of their own.
pub fn grammar_name(language: Language, path: &str) -> &'static str {
    match javascript::Dialect::of(language, path) {
        javascript::Dialect::Tsx => "tsx",
        _ => language.name(),
    }
}

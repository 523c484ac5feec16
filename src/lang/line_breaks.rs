//! Line ends as the reference tools count them.
//!
//! tree-sitter starts a row at `\n` only. CPython, ruff (complexipy), radon
//! and ESLint also end a line at a lone `\r`; the front ends replace it with
//! `\n` before parsing, which keeps every byte offset and gives the
//! references' line numbers (see docs/metrics.md, "Line ends").

use std::borrow::Cow;

/// `source` with every `\r` that is not followed by `\n` replaced by `\n`.
pub fn lone_carriage_returns_as_newlines(source: &str) -> Cow<'_, str> {
    let bytes = source.as_bytes();
    let is_lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(is_lone) {
        return Cow::Borrowed(source);
    }
    let replaced: String = source
        .char_indices()
        .map(|(i, c)| if c == '\r' && is_lone(i) { '\n' } else { c })
        .collect();
    Cow::Owned(replaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lone_carriage_returns_become_newlines() {
        assert_eq!(
            lone_carriage_returns_as_newlines("a\rb\r\nc\r"),
            "a\nb\r\nc\n"
        );
        assert!(matches!(
            lone_carriage_returns_as_newlines("a\r\nb\n"),
            Cow::Borrowed(_)
        ));
    }
}

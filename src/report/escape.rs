//! Untrusted text in reports and diagnostics: file paths, function names
//! and parser messages come from the repository and may hold anything. The
//! text format and the CLI's warnings and errors show control characters
//! visibly, so no name can start an output line of its own (a CI log reads a
//! line starting with `::` as a workflow command); CSV neutralises cells a
//! spreadsheet would read as a formula.

use std::borrow::Cow;

/// `text` with every control character written as a visible escape: `\n`,
/// `\r`, `\t`, `\x1b` for the other ASCII controls and `\u{..}` for the
/// rest (C1 controls, line and paragraph separators, bidirectional
/// overrides). Everything else, backslashes included, is kept as is.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii() && is_hidden(c) => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if is_hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A path at the start of a text line: [`visible`], and prefixed with `./`
/// when it begins with `:` or white space, so that the line cannot read as
/// a workflow command (`::…`, which runners match after trimming spaces).
pub fn line_start_path(path: &str) -> Cow<'_, str> {
    let shown = visible(path);
    if shown.starts_with(|c: char| c == ':' || c.is_whitespace()) {
        Cow::Owned(format!("./{shown}"))
    } else {
        shown
    }
}

/// A CSV cell a spreadsheet would evaluate (starting with `=`, `+`, `-`,
/// `@`, tab or CR) prefixed with `'`, as OWASP's CSV-injection guidance
/// says; other cells unchanged. RFC 4180 quoting is applied after this.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Characters a terminal or log viewer would act on or hide rather than
/// show: Unicode controls, line and paragraph separators, and the
/// bidirectional marks and overrides that reorder what is displayed.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible_escapes() {
        assert_eq!(visible("plain/name.py"), "plain/name.py");
        assert_eq!(visible("a\n::stop-commands::x"), "a\\n::stop-commands::x");
        assert_eq!(visible("\r\t\x1b[31m\x7f"), "\\r\\t\\x1b[31m\\x7f");
        assert_eq!(
            visible("\u{85}\u{2028}\u{202e}é"),
            "\\u{85}\\u{2028}\\u{202e}é"
        );
        assert_eq!(visible("back\\slash"), "back\\slash");
    }

    #[test]
    fn a_path_never_starts_a_line_with_a_colon_or_space() {
        assert_eq!(line_start_path("::warning::x.py"), "./::warning::x.py");
        assert_eq!(line_start_path(" ::x.py"), "./ ::x.py");
        assert_eq!(line_start_path("\u{a0}::x.py"), "./\u{a0}::x.py");
        assert_eq!(line_start_path("\n::x.py"), "\\n::x.py");
        assert_eq!(line_start_path("a/::x.py"), "a/::x.py");
        assert_eq!(line_start_path("/abs/x.py"), "/abs/x.py");
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(cell), format!("'{cell}"));
        }
        assert_eq!(csv_cell("a=b"), "a=b");
        assert_eq!(csv_cell(""), "");
    }
}

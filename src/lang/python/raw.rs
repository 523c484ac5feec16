//! radon 6.0.1's raw line counts (`radon.raw.analyze`) on CPython 3.12.
//!
//! Lines are split like `str.splitlines()` and stripped; each run of lines
//! that tokenizes completely is classified (comment-only, a lone string,
//! or code) and its logical lines counted with radon's `;`-split,
//! last-colon rule (docs/metric-rules.md §C).

use super::tokenize::{Token, Tokenizer};
use crate::metrics::raw::RawCounts;

/// radon raises `SyntaxError('SyntaxError at line: N')` for these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("SyntaxError at line: {line}")]
pub struct RawError {
    /// 1-based line where the run that never completes starts.
    pub line: u32,
}

/// Splits like Python's `str.splitlines()` (no trailing empty line).
fn split_lines(source: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = source.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        let is_break = matches!(
            c,
            '\n' | '\r'
                | '\x0b'
                | '\x0c'
                | '\x1c'
                | '\x1d'
                | '\x1e'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if !is_break {
            continue;
        }
        lines.push(&source[start..index]);
        start = index + c.len_utf8();
        if c == '\r' {
            if let Some((next, '\n')) = chars.peek().copied() {
                chars.next();
                start = next + 1;
            }
        }
    }
    if start < source.len() {
        lines.push(&source[start..]);
    }
    lines
}

/// Python's `str.strip()` whitespace.
fn strip(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c))
}

/// Counts a source text the way `radon.raw.analyze` does.
pub fn raw_counts(source: &str) -> Result<RawCounts, RawError> {
    let lines: Vec<&str> = split_lines(source).into_iter().map(strip).collect();
    let mut counts = RawCounts::default();
    let mut start = 0;
    while start < lines.len() {
        let mut tokenizer = Tokenizer::default();
        let mut end = start;
        loop {
            let error = || RawError {
                line: start as u32 + 1,
            };
            // Every tokenizer error is final: no later line can repair it.
            if tokenizer.feed_line(lines[end]).is_err() {
                return Err(error());
            }
            if tokenizer.is_complete() {
                break;
            }
            end += 1;
            if end == lines.len() {
                return Err(error());
            }
        }
        classify(tokenizer.tokens(), &lines[start..=end], &mut counts);
        start = end + 1;
    }
    counts.loc = counts.sloc + counts.blank + counts.multi + counts.single_comments;
    Ok(counts)
}

fn classify(tokens: &[Token], lines: &[&str], counts: &mut RawCounts) {
    counts.comments += tokens.iter().filter(|t| **t == Token::Comment).count() as u64;
    match tokens {
        [Token::Comment] => counts.single_comments += 1,
        [Token::Str { start_row, end_row }] if start_row == end_row => counts.single_comments += 1,
        // A lone multi-line string's non-empty lines are `multi`, any other
        // group's are `sloc`; empty lines are `blank` either way.
        _ => {
            let empty = lines.iter().filter(|l| l.is_empty()).count() as u64;
            let filled = if matches!(tokens, [Token::Str { .. }]) {
                &mut counts.multi
            } else {
                &mut counts.sloc
            };
            *filled += lines.len() as u64 - empty;
            counts.blank += empty;
        }
    }
    counts.lloc += logical_lines(tokens);
}

/// radon's `_logical`: split on `;`; per segment (comments dropped, the
/// end marker kept only in the last), 1 or 2 when it holds a `:` (2 unless
/// the last colon is second to last), else 1 unless it is empty.
fn logical_lines(tokens: &[Token]) -> u64 {
    let segments: Vec<&[Token]> = tokens.split(|t| *t == Token::Semicolon).collect();
    let last = segments.len() - 1;
    segments
        .iter()
        .enumerate()
        .map(|(index, segment)| {
            let significant: Vec<&Token> =
                segment.iter().filter(|t| **t != Token::Comment).collect();
            // The ENDMARKER token, present only in the last segment.
            let length = significant.len() + usize::from(index == last);
            match significant.iter().rposition(|t| **t == Token::Colon) {
                Some(colon) => 2 - u64::from(colon + 2 == length),
                None => u64::from(!significant.is_empty()),
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (loc, lloc, sloc, comments, multi, blank, single_comments), radon's field order.
    fn raw(source: &str) -> (u64, u64, u64, u64, u64, u64, u64) {
        let c = raw_counts(source).expect("tokenizes");
        (
            c.loc,
            c.lloc,
            c.sloc,
            c.comments,
            c.multi,
            c.blank,
            c.single_comments,
        )
    }

    #[test]
    fn cpython_312_f_string_cases() {
        assert_eq!(
            raw("def f(a):\n    f\"doc {a}\"\n    x = f\"{a:>10}\"\n    return x\n"),
            (4, 5, 4, 0, 0, 0, 0)
        );
        assert_eq!(
            raw("def f():\n    f\"\"\"\n    doc\n    \"\"\"\n"),
            (4, 2, 4, 0, 0, 0, 0)
        );
        assert_eq!(raw("x = f\"{d[1:2]}\"\n").1, 2);
        assert_eq!(raw("x = f\"{ {1: 2} }\"\n").1, 2);
        assert_eq!(raw("x = f\"{a!r}\"\n").1, 1);
        assert_eq!(raw("if f\"{a:>3}\":\n    pass\n").1, 2);
    }

    #[test]
    fn radon_analyze_cases() {
        assert_eq!(raw("\"\"\"\ndoc?\n\"\"\""), (3, 1, 0, 0, 3, 0, 0));
        assert_eq!(raw("# just a comment\nif a and b:\n    print('woah')\nelse:\n    # you'll never get here\n    print('ven')"), (6, 4, 4, 2, 0, 0, 2));
        assert_eq!(raw("#\n#\n#"), (3, 0, 0, 3, 0, 0, 3));
        assert_eq!(
            raw("def f(n):\n    \"\"\"here\"\"\"\n    return n * f(n - 1)"),
            (3, 3, 2, 0, 0, 0, 1)
        );
        assert_eq!(raw("def function():\n    \"\"\" this is not a \"\"\" \"\"\" docstring because it is concatenated \"\"\""), (2, 2, 2, 0, 0, 0, 0));
        assert_eq!(
            raw("def function():\n    \" this is not a multiline \" \\\n        \" docstring \""),
            (3, 2, 3, 0, 0, 0, 0)
        );
        assert_eq!(raw("def function():\n    \"\"\" this is not a docstring \"\"\" # because it also has a comment on the line"), (2, 2, 2, 1, 0, 0, 0));
        assert_eq!(raw("def function():\n    \"\"\" docstring continued by blank line \"\"\" \\\n\n    pass"), (4, 2, 3, 0, 0, 1, 0));
        assert_eq!(
            raw("def function():\n    pass; pass"),
            (2, 3, 2, 0, 0, 0, 0)
        );
        assert_eq!(
            raw("def function():\n    \"\"\" doc string \"\"\"; pass"),
            (2, 3, 2, 0, 0, 0, 0)
        );
    }

    #[test]
    fn extra_probes() {
        assert_eq!(
            raw("foo(a,  # first\n    # second\n    b)\n"),
            (3, 1, 3, 2, 0, 0, 0)
        );
        assert_eq!(raw("b'abc'\nr'''raw\nstr'''\n"), (3, 2, 0, 0, 2, 0, 1));
        assert_eq!(raw("x = 1\n\"\"\"doc\"\"\" # c\n"), (2, 2, 2, 1, 0, 0, 0));
        assert_eq!(
            raw("class A: pass\nif x: y = 1; z = 2\nfor i in r: pass\nwhile 0: break\n"),
            (4, 9, 4, 0, 0, 0, 0)
        );
        assert_eq!(raw("d = {1: 2}\ny = d[1:2]\nz = lambda q: q\nw: int = 3\ndef g(a: int) -> int:\n    return a\n"), (6, 10, 6, 0, 0, 0, 0));
        assert_eq!(
            raw("@dec\n@dec2(a=1)\ndef f():\n    pass\n"),
            (4, 4, 4, 0, 0, 0, 0)
        );
        assert_eq!(raw(""), (0, 0, 0, 0, 0, 0, 0));
    }

    #[test]
    fn logical_line_quirks() {
        assert_eq!(raw("if a: pass\n").1, 2);
        assert_eq!(raw("if a:\n    pass\n").1, 2);
        assert_eq!(raw("def f(): ...\n").1, 2);
        assert_eq!(raw("if a: b; c\n").1, 2);
        assert_eq!(raw("f = lambda: 0; g = 1\n").1, 2);
        assert_eq!(raw("x = 1;\n").1, 1);
        assert_eq!(raw("a = 2; b = 43; c = 42; d = 3; print(a)\n").1, 5);
        assert_eq!(raw("42 # a comment\n").1, 1);
        assert_eq!(raw("# just a comment\n").1, 0);
        assert_eq!(raw("return {\n 1: 2,\n}\n").1, 2);
        assert_eq!(raw("y = (x := 3)\n").1, 1);
    }

    #[test]
    fn line_breaks_follow_splitlines() {
        assert_eq!(raw("x = 1\n\x0c\ny = 2\n").0, 4);
        assert_eq!(raw("x = 1\r\ny = 2\r\n"), raw("x = 1\ny = 2\n"));
        assert_eq!(raw("\tx = 1\n"), (1, 1, 1, 0, 0, 0, 0));
    }

    #[test]
    fn nested_f_strings_and_same_quote_nesting() {
        assert_eq!(raw("x = f\"{x!r:>{w}} {f'{y}'}\"\n"), (1, 2, 1, 0, 0, 0, 0));
        assert_eq!(raw("x = f\"{d[\"k\"]}\"\n"), (1, 1, 1, 0, 0, 0, 0));
        assert_eq!(raw("x = f'''\n{a}\n'''\n"), (3, 1, 3, 0, 0, 0, 0));
    }

    #[test]
    fn backslashes_never_escape_f_string_braces() {
        // Values from radon 6.0.1 on CPython 3.12.1.
        assert_eq!(raw("x = fr'\\{{\\}}'\n"), (1, 1, 1, 0, 0, 0, 0));
        assert_eq!(raw("x = f'\\N{DASH}{a:x}'\n"), (1, 2, 1, 0, 0, 0, 0));
        assert_eq!(raw("x = rf'\\N{a}'\n"), (1, 1, 1, 0, 0, 0, 0));
    }

    #[test]
    fn a_continuation_absorbs_one_empty_line_only() {
        assert_eq!(raw("x \\\n\n\ny"), (4, 2, 2, 0, 0, 2, 0));
    }

    #[test]
    fn unterminated_constructs_are_errors_with_a_line() {
        assert_eq!(raw_counts("x = 1\n\0\n"), Err(RawError { line: 2 }));
        assert_eq!(raw_counts("x = 1\ny = [1, 2,\n"), Err(RawError { line: 2 }));
        assert_eq!(raw_counts("s = 'abc\n"), Err(RawError { line: 1 }));
        assert_eq!(raw_counts("x = \"\"\"abc\n"), Err(RawError { line: 1 }));
    }

    #[test]
    fn never_panics_on_prefixes_of_tricky_text() {
        let tricky = "s = f\"{a!r:>{w}}\" + r'\\'' + b\"\\\"\" # c\nd = {\n 1: '''x\n''' ,\n}\\\n\nx = f'{ {\"a\": 1}[\"a\"] }'\n\u{2028}é = 1;\r\n";
        for end in (0..=tricky.len()).filter(|i| tricky.is_char_boundary(*i)) {
            let _ = raw_counts(&tricky[..end]);
        }
    }
}

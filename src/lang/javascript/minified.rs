//! Recognises minified (generated) JavaScript, which is skipped rather than
//! measured: its one-line functions would only produce noise.
//!
//! Only code counts: a token scan sets comments and the text of string and
//! template literals aside (their quotes count; a template's `${…}` is
//! code), so a long comment or a long inline string (a base64 image, a
//! source map) never makes a file look generated. Within the first 10 KB of
//! code, a file is minified when some line holds more than 1,000 bytes of
//! code and the lines scanned average more than 200. A hand-written file
//! with one long line of code (a data table) stays analysed.

/// How many bytes of code are looked at.
const CODE_WINDOW_BYTES: usize = 10 * 1024;
/// A line with at least this much code is a candidate.
const LONG_LINE_BYTES: usize = 1_000;
/// Mean code bytes per scanned line above which the file is generated.
const MEAN_LINE_BYTES: usize = 200;

/// The first over-long line (1-based) and its length in characters, if
/// `source` looks minified.
pub fn detect(source: &str) -> Option<(u32, usize)> {
    let lines = code_per_line(source.as_bytes(), CODE_WINDOW_BYTES);
    let total: usize = lines.iter().sum();
    if total / lines.len() <= MEAN_LINE_BYTES {
        return None;
    }
    let index = lines.iter().position(|&code| code > LONG_LINE_BYTES)?;
    let length = source
        .split('\n')
        .nth(index)
        .map_or(0, |l| l.chars().count());
    Some((u32::try_from(index + 1).unwrap_or(u32::MAX), length))
}

/// Bytes of code on each line, scanning until `window` bytes of code have
/// been seen (the last line counted so far) or the source ends.
fn code_per_line(bytes: &[u8], window: usize) -> Vec<usize> {
    let mut scan = Scan {
        bytes,
        at: 0,
        lines: vec![0],
        code: 0,
    };
    // Brace depth at which each open template substitution `${` returns to its template.
    let mut templates: Vec<usize> = Vec::new();
    let mut braces = 0usize;
    // The last code byte that is not whitespace: decides whether `/` starts a regex.
    let mut previous = Previous::Start;
    while scan.code < window {
        let Some(&byte) = bytes.get(scan.at) else {
            break;
        };
        let next = bytes.get(scan.at + 1).copied();
        match byte {
            b'\n' => scan.newline(),
            b'/' if next == Some(b'/') => scan.skip_line_comment(),
            b'/' if next == Some(b'*') => scan.skip_block_comment(),
            b'\'' | b'"' => {
                scan.string(byte);
                previous = Previous::Operand;
            }
            b'`' => {
                if scan.template() {
                    templates.push(braces);
                    braces += 1;
                    previous = Previous::Punctuator;
                } else {
                    previous = Previous::Operand;
                }
            }
            b'/' if previous.allows_regex(bytes, scan.at) => {
                scan.regex();
                previous = Previous::Operand;
            }
            b'}' if braces > 0 && templates.last() == Some(&(braces - 1)) => {
                braces -= 1;
                templates.pop();
                scan.code(1);
                if scan.template_rest() {
                    templates.push(braces);
                    braces += 1;
                    previous = Previous::Punctuator;
                } else {
                    previous = Previous::Operand;
                }
            }
            _ => {
                match byte {
                    b'{' => braces += 1,
                    b'}' => braces = braces.saturating_sub(1),
                    _ => {}
                }
                if !byte.is_ascii_whitespace() {
                    previous = Previous::after(byte);
                }
                scan.code(1);
            }
        }
    }
    scan.lines
}

/// What precedes a `/` in the code: a regex literal can start after an
/// operator or punctuator, or after a keyword such as `return`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Previous {
    Start,
    Punctuator,
    /// `)`, `]`, a literal: a `/` divides.
    Operand,
    /// An identifier or keyword character.
    Word,
}

impl Previous {
    fn after(byte: u8) -> Previous {
        match byte {
            b')' | b']' => Previous::Operand,
            b if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80 => Previous::Word,
            _ => Previous::Punctuator,
        }
    }

    fn allows_regex(self, bytes: &[u8], at: usize) -> bool {
        match self {
            Previous::Start | Previous::Punctuator => true,
            Previous::Operand => false,
            Previous::Word => {
                let before = bytes[..at].trim_ascii_end();
                let start = before
                    .iter()
                    .rposition(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$'))
                    .map_or(0, |p| p + 1);
                matches!(
                    &before[start..],
                    b"return"
                        | b"typeof"
                        | b"case"
                        | b"do"
                        | b"else"
                        | b"in"
                        | b"of"
                        | b"new"
                        | b"delete"
                        | b"void"
                        | b"throw"
                        | b"instanceof"
                        | b"yield"
                        | b"await"
                )
            }
        }
    }
}

/// The scanner's position and tallies.
struct Scan<'s> {
    bytes: &'s [u8],
    at: usize,
    /// Code bytes per line so far (the last entry is the current line).
    lines: Vec<usize>,
    code: usize,
}

impl Scan<'_> {
    fn newline(&mut self) {
        self.lines.push(0);
        self.at += 1;
    }

    fn code(&mut self, count: usize) {
        if let Some(line) = self.lines.last_mut() {
            *line += count;
        }
        self.code += count;
        self.at += count;
    }

    /// `// …` up to (not including) the line end.
    fn skip_line_comment(&mut self) {
        let rest = &self.bytes[self.at..];
        self.at += rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    }

    /// `/* … */`, counting the lines it spans.
    fn skip_block_comment(&mut self) {
        self.at += 2;
        while let Some(&byte) = self.bytes.get(self.at) {
            if byte == b'*' && self.bytes.get(self.at + 1) == Some(&b'/') {
                self.at += 2;
                return;
            }
            if byte == b'\n' {
                self.lines.push(0);
            }
            self.at += 1;
        }
    }

    /// A backslash escape inside a string or template: skipped, and an
    /// escaped line end continues the text on the next line.
    fn escape(&mut self) {
        if self.bytes.get(self.at + 1) == Some(&b'\n') {
            self.lines.push(0);
        }
        self.at += 2;
    }

    /// A quoted string: its quotes are code, its text is not. An
    /// unterminated string ends at the line end.
    fn string(&mut self, quote: u8) {
        self.code(1);
        while let Some(&byte) = self.bytes.get(self.at) {
            match byte {
                b'\\' => self.escape(),
                b'\n' => return,
                b if b == quote => {
                    self.code(1);
                    return;
                }
                _ => self.at += 1,
            }
        }
    }

    /// A template literal from its opening backtick; true when it stopped
    /// at a `${` (the substitution is code).
    fn template(&mut self) -> bool {
        self.code(1);
        self.template_rest()
    }

    /// The rest of a template's text, up to its closing backtick (true:
    /// up to a `${` instead).
    fn template_rest(&mut self) -> bool {
        while let Some(&byte) = self.bytes.get(self.at) {
            match byte {
                b'\\' => self.escape(),
                b'\n' => self.newline(),
                b'`' => {
                    self.code(1);
                    return false;
                }
                b'$' if self.bytes.get(self.at + 1) == Some(&b'{') => {
                    self.code(2);
                    return true;
                }
                _ => self.at += 1,
            }
        }
        false
    }

    /// A regex literal: code, scanned only so that quotes inside it are not
    /// taken for strings. Ends at its closing `/` (outside a class) or the line end.
    fn regex(&mut self) {
        self.code(1);
        let mut in_class = false;
        while let Some(&byte) = self.bytes.get(self.at) {
            match byte {
                b'\n' => return,
                b'\\' => {
                    let width = if self.bytes.get(self.at + 1).is_some_and(|&b| b != b'\n') {
                        2
                    } else {
                        1
                    };
                    self.code(width);
                }
                b'[' => {
                    in_class = true;
                    self.code(1);
                }
                b']' => {
                    in_class = false;
                    self.code(1);
                }
                b'/' if !in_class => {
                    self.code(1);
                    return;
                }
                _ => self.code(1),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_single_line_bundles_are_minified() {
        let bundle = format!("/*! lib v1 */\n{}\n", "var a=1;".repeat(400));
        assert_eq!(detect(&bundle), Some((2, 3200)));
    }

    #[test]
    fn one_long_line_in_ordinary_code_is_not() {
        let mut source = "function f(a) {\n  return a;\n}\n".repeat(200);
        source.insert_str(0, &format!("const table = [{}];\n", "1, ".repeat(700)));
        assert_eq!(detect(&source), None);
        assert_eq!(detect(""), None);
    }

    #[test]
    fn comments_and_literal_text_are_not_code() {
        let function = "function f(a) {\n  return a ? 1 : 2;\n}\n";
        let comment = format!("// {}\n{function}", "x".repeat(10_000));
        assert_eq!(detect(&comment), None);
        let block = format!("/* {} */{function}", "x".repeat(10_000));
        assert_eq!(detect(&block), None);
        let base64 = format!("const icon = \"{}\";\n{function}", "QUJD".repeat(5_000));
        assert_eq!(detect(&base64), None);
        let template = format!(
            "const page = `{}${{a}}{}`;\n{function}",
            "x".repeat(5_000),
            "y".repeat(5_000)
        );
        assert_eq!(detect(&template), None);
    }

    #[test]
    fn code_in_substitutions_and_after_regexes_counts() {
        // A regex holding a quote does not open a string.
        let line = format!("var r=/\"/g;{}\n", "a=b+c;".repeat(300));
        assert_eq!(detect(&line), Some((1, line.len() - 1)));
        let substituted = format!("var t=`${{{}}}`;\n", "a+".repeat(800));
        assert_eq!(detect(&substituted), Some((1, substituted.len() - 1)));
    }

    #[test]
    fn code_per_line_counts_code_bytes_only() {
        assert_eq!(
            code_per_line(b"a = 'xyz'; // c\n/* d\ne */ b", 100),
            vec![8, 0, 2]
        );
        assert_eq!(code_per_line(b"x = `a${b}c`\ny", 100), vec![10, 1]);
    }
}

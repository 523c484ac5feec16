//! Just enough of CPython 3.12's tokenizer for radon's raw metrics.
//!
//! radon groups a file's stripped lines into the shortest runs that
//! `tokenize.generate_tokens` accepts, then looks at token types. This
//! tokenizer is fed one stripped line at a time and keeps its state across
//! lines, so it can say after each line whether the pending run is complete
//! (no open bracket, string or f-string, no trailing backslash) in linear
//! time, where radon re-tokenizes a growing buffer. It reports only what
//! radon observes: comments, plain string tokens with their rows, the
//! operators `:` and `;`, and a count-preserving "other" for everything else
//! (names, numbers, other operators, f-string parts).

/// A token as radon's raw analysis distinguishes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// `COMMENT`.
    Comment,
    /// A complete plain (non-f) `STRING`, with its 0-based start and end rows in the run.
    Str { start_row: u32, end_row: u32 },
    /// The operator `:` (not `:=`).
    Colon,
    /// The operator `;`.
    Semicolon,
    /// Any other token: names, numbers, operators, f-string pieces.
    Other,
}

/// Why the pending run can never tokenize, whatever lines follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenizeError {
    /// A single-quoted string or f-string reached the end of its line.
    UnterminatedString,
    /// A backslash followed by something other than a line end.
    StrayBackslash,
    /// Source code cannot contain NUL bytes.
    NullByte,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Ordinary code; inside an f-string replacement field when `field` is set.
    Code { field: bool },
    /// A plain string literal.
    Str {
        quote: u8,
        triple: bool,
        start_row: u32,
    },
    /// The literal part of an f-string (or a format spec when `spec`).
    FString {
        quote: u8,
        triple: bool,
        raw: bool,
        spec: bool,
    },
}

/// Whether the quote at `i` closes a literal opened with `quote` (`triple`: three of them).
fn closes(bytes: &[u8], i: usize, quote: u8, triple: bool) -> bool {
    !triple || (bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote))
}

/// A resumable tokenizer for one run of lines.
#[derive(Debug)]
pub struct Tokenizer {
    /// Innermost mode last. Replacement fields sit on top of their f-string.
    modes: Vec<Mode>,
    /// Open brackets, per code level (one entry per `Code` mode).
    depths: Vec<u32>,
    /// The last line ended with a continuation backslash.
    continued: bool,
    /// A continuation has already absorbed one empty line.
    continued_over_empty: bool,
    /// Lines fed so far, minus one: the current 0-based row.
    row: u32,
    started: bool,
    tokens: Vec<Token>,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer {
            modes: vec![Mode::Code { field: false }],
            depths: vec![0],
            continued: false,
            continued_over_empty: false,
            row: 0,
            started: false,
            tokens: Vec::new(),
        }
    }
}

const PREFIXES: [&str; 13] = [
    "", "r", "u", "f", "b", "br", "rb", "fr", "rf", "ur", "rt", "t", "tr",
];

/// For a valid 3.12 string prefix (case-insensitive; `ur`, `t`, `rt`, `tr`
/// are not), whether it makes an f-string and whether a raw one.
fn is_string_prefix(name: &str) -> Option<(bool, bool)> {
    let lower = name.to_ascii_lowercase();
    if PREFIXES[..9].contains(&lower.as_str()) {
        Some((lower.contains('f'), lower.contains('r')))
    } else {
        None
    }
}

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_alphabetic() || (!c.is_ascii() && !c.is_whitespace())
}

fn is_name_continue(c: char) -> bool {
    c == '_' || c.is_alphanumeric() || (!c.is_ascii() && !c.is_whitespace())
}

const THREE_CHAR_OPERATORS: [&str; 5] = ["**=", "//=", ">>=", "<<=", "..."];
const TWO_CHAR_OPERATORS: [&str; 19] = [
    "!=", "%=", "&=", "**", "*=", "+=", "-=", "->", "//", "/=", ":=", "<<", "<=", "==", ">=", ">>",
    "@=", "^=", "|=",
];

impl Tokenizer {
    /// Whether the run so far tokenizes completely.
    pub fn is_complete(&self) -> bool {
        self.modes.len() == 1 && self.depths[0] == 0 && !self.continued
    }

    /// The tokens of the run so far.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// Feeds one line (without its line break). Call [`Self::is_complete`]
    /// after it; when incomplete, feed the next line of the run.
    pub fn feed_line(&mut self, line: &str) -> Result<(), TokenizeError> {
        if self.started {
            // The line break joining this line to the previous one.
            self.newline()?;
        }
        self.started = true;
        // After a continuation backslash one empty line adds nothing: the
        // run still ends in backslash-newline, which does not tokenize. The
        // next line break ends the logical line whatever follows.
        if self.continued && line.is_empty() && !self.continued_over_empty {
            self.continued_over_empty = true;
        } else {
            self.continued = false;
            self.continued_over_empty = false;
        }
        if line.contains('\0') {
            return Err(TokenizeError::NullByte);
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            i = match *self.modes.last().unwrap_or(&Mode::Code { field: false }) {
                Mode::Code { field } => self.code(line, i, field)?,
                Mode::Str {
                    quote,
                    triple,
                    start_row,
                } => self.string(bytes, i, quote, triple, start_row),
                Mode::FString {
                    quote,
                    triple,
                    raw,
                    spec,
                } => self.fstring(bytes, i, quote, triple, raw, spec),
            };
        }
        Ok(())
    }

    /// Line break between two fed lines: only legal inside brackets,
    /// triple-quoted strings or after a continuation backslash.
    fn newline(&mut self) -> Result<(), TokenizeError> {
        self.row += 1;
        match self.modes.last() {
            Some(Mode::Str { triple: false, .. }) | Some(Mode::FString { triple: false, .. })
                if !self.continued =>
            {
                Err(TokenizeError::UnterminatedString)
            }
            _ => Ok(()),
        }
    }

    fn push(&mut self, token: Token) {
        self.tokens.push(token);
    }

    fn depth(&mut self) -> &mut u32 {
        let last = self.depths.len() - 1;
        &mut self.depths[last]
    }

    /// Scans one token of code starting at byte `i`; returns the next index.
    fn code(&mut self, line: &str, i: usize, field: bool) -> Result<usize, TokenizeError> {
        let bytes = line.as_bytes();
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\x0c' => Ok(i + 1),
            b'#' => {
                self.push(Token::Comment);
                Ok(bytes.len())
            }
            b'\\' => {
                if i + 1 == bytes.len() {
                    self.continued = true;
                    Ok(i + 1)
                } else {
                    Err(TokenizeError::StrayBackslash)
                }
            }
            b'\'' | b'"' => Ok(self.open_string(bytes, i, false, false)),
            b'(' | b'[' | b'{' => {
                *self.depth() += 1;
                self.push(Token::Other);
                Ok(i + 1)
            }
            b')' | b']' => {
                let depth = self.depth();
                *depth = depth.saturating_sub(1);
                self.push(Token::Other);
                Ok(i + 1)
            }
            b'}' => {
                if field && *self.depth() == 0 {
                    // End of a replacement field: back to the f-string.
                    self.push(Token::Other);
                    self.modes.pop();
                    self.depths.pop();
                    return Ok(i + 1);
                }
                let depth = self.depth();
                *depth = depth.saturating_sub(1);
                self.push(Token::Other);
                Ok(i + 1)
            }
            b':' if field && *self.depth() == 0 => {
                // A format spec starts (even before `=`, as in 3.12): the
                // colon is an OP, the spec is f-string text.
                self.push(Token::Colon);
                let (quote, triple, raw) = self.enclosing_fstring();
                self.modes.push(Mode::FString {
                    quote,
                    triple,
                    raw,
                    spec: true,
                });
                Ok(i + 1)
            }
            b'!' if field && *self.depth() == 0 && bytes.get(i + 1) != Some(&b'=') => {
                self.push(Token::Other);
                Ok(i + 1)
            }
            b'0'..=b'9' => Ok(self.number(bytes, i)),
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => Ok(self.number(bytes, i)),
            _ => {
                let ch = line[i..].chars().next().unwrap_or(' ');
                if is_name_start(ch) {
                    return Ok(self.name(line, i));
                }
                Ok(self.operator(line, i))
            }
        }
    }

    fn enclosing_fstring(&self) -> (u8, bool, bool) {
        self.modes
            .iter()
            .rev()
            .find_map(|mode| match mode {
                Mode::FString {
                    quote, triple, raw, ..
                } => Some((*quote, *triple, *raw)),
                _ => None,
            })
            .unwrap_or((b'"', false, false))
    }

    fn operator(&mut self, line: &str, i: usize) -> usize {
        let rest = &line[i..];
        let width = if THREE_CHAR_OPERATORS.iter().any(|op| rest.starts_with(op)) {
            3
        } else if TWO_CHAR_OPERATORS.iter().any(|op| rest.starts_with(op)) {
            2
        } else {
            rest.chars().next().map_or(1, char::len_utf8)
        };
        let token = match &rest[..width] {
            ":" => Token::Colon,
            ";" => Token::Semicolon,
            _ => Token::Other,
        };
        self.push(token);
        i + width
    }

    fn number(&mut self, bytes: &[u8], mut i: usize) -> usize {
        let hex = matches!(bytes.get(i..i + 2), Some(b"0x" | b"0X"));
        let mut previous = 0u8;
        while i < bytes.len() {
            let c = bytes[i];
            let exponent_sign = matches!(c, b'+' | b'-') && matches!(previous, b'e' | b'E') && !hex;
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || exponent_sign {
                previous = c;
                i += 1;
            } else {
                break;
            }
        }
        self.push(Token::Other);
        i
    }

    fn name(&mut self, line: &str, i: usize) -> usize {
        let end = line[i..]
            .char_indices()
            .find(|(_, c)| !is_name_continue(*c))
            .map_or(line.len(), |(offset, _)| i + offset);
        let bytes = line.as_bytes();
        if matches!(bytes.get(end), Some(b'\'' | b'"')) {
            if let Some((is_f, raw)) = is_string_prefix(&line[i..end]) {
                return self.open_string(bytes, end, is_f, raw);
            }
        }
        self.push(Token::Other);
        end
    }

    /// Opens a string at the quote at `i`.
    fn open_string(&mut self, bytes: &[u8], i: usize, is_f: bool, raw: bool) -> usize {
        let quote = bytes[i];
        let triple = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
        let after = if triple { i + 3 } else { i + 1 };
        if is_f {
            self.push(Token::Other); // FSTRING_START
            self.modes.push(Mode::FString {
                quote,
                triple,
                raw,
                spec: false,
            });
        } else {
            self.modes.push(Mode::Str {
                quote,
                triple,
                start_row: self.row,
            });
        }
        after
    }

    /// Inside a plain string: runs to the closing quote or the line end.
    fn string(
        &mut self,
        bytes: &[u8],
        mut i: usize,
        quote: u8,
        triple: bool,
        start_row: u32,
    ) -> usize {
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i = self.escape(bytes, i),
                c if c == quote => {
                    if closes(bytes, i, quote, triple) {
                        self.modes.pop();
                        self.push(Token::Str {
                            start_row,
                            end_row: self.row,
                        });
                        return i + if triple { 3 } else { 1 };
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        bytes.len()
    }

    /// Skips a backslash escape inside a literal; a backslash ending the
    /// line continues the literal on the next one.
    fn escape(&mut self, bytes: &[u8], i: usize) -> usize {
        if i + 1 == bytes.len() {
            self.continued = true;
        }
        i + 2
    }

    /// Inside f-string text or a format spec.
    fn fstring(
        &mut self,
        bytes: &[u8],
        mut i: usize,
        quote: u8,
        triple: bool,
        raw: bool,
        spec: bool,
    ) -> usize {
        let start = i;
        while i < bytes.len() {
            match bytes[i] {
                // A backslash never escapes a brace in an f-string; `\N{…}`
                // is a named escape unless the string is raw.
                b'\\' if matches!(bytes.get(i + 1), Some(b'{' | b'}')) => i += 1,
                b'\\'
                    if !raw
                        && bytes.get(i + 1) == Some(&b'N')
                        && bytes.get(i + 2) == Some(&b'{') =>
                {
                    i = bytes[i..]
                        .iter()
                        .position(|&b| b == b'}')
                        .map_or(bytes.len(), |end| i + end + 1);
                }
                b'\\' => i = self.escape(bytes, i),
                b'{' if !spec && bytes.get(i + 1) == Some(&b'{') => i += 2,
                b'}' if !spec && bytes.get(i + 1) == Some(&b'}') => i += 2,
                b'{' => {
                    if i > start {
                        self.push(Token::Other); // FSTRING_MIDDLE
                    }
                    self.push(Token::Other);
                    self.modes.push(Mode::Code { field: true });
                    self.depths.push(0);
                    return i + 1;
                }
                b'}' if spec => {
                    // End of the format spec and of its replacement field.
                    self.push(Token::Other); // FSTRING_MIDDLE (may be empty)
                    self.push(Token::Other);
                    self.modes.pop(); // the spec
                    self.modes.pop(); // the field's code mode
                    self.depths.pop();
                    return i + 1;
                }
                c if c == quote && !spec => {
                    if closes(bytes, i, quote, triple) {
                        if i > start {
                            self.push(Token::Other);
                        }
                        self.push(Token::Other); // FSTRING_END
                        self.modes.pop();
                        return i + if triple { 3 } else { 1 };
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        if i > start {
            self.push(Token::Other);
        }
        bytes.len()
    }
}

//! A bound on how deeply a YAML text nests, found by one linear scan before
//! the text reaches the YAML parser, whose time grows with the square of the
//! depth (100,000 levels in 200 KB take minutes).
//!
//! The scan never undercounts a nesting the parser would build: every flow
//! `[`/`{` outside a quoted scalar and every block collection (a `-`, `?`
//! or `key:` at a column deeper than the open ones) counts. It may
//! overcount odd but valid text, which only matters past [`MAX_DEPTH`],
//! far beyond any configuration file.

/// The deepest nesting a configuration file may have. antipasta's schema
/// needs five levels (`languages` → entry → `metrics` → entry → key).
pub const MAX_DEPTH: usize = 64;

/// The first line (1-based) on which `text` may nest deeper than `limit`
/// collections, if any. A lone CR breaks lines too, as in YAML.
pub fn first_line_deeper_than(text: &str, limit: usize) -> Option<usize> {
    let mut scan = Scan::default();
    text.split('\n')
        .position(|line| {
            line.split('\r').any(|line| {
                scan.line(line);
                scan.deepest > limit
            })
        })
        .map(|index| index + 1)
}

#[derive(Default)]
struct Scan {
    /// Columns of the open block collections, innermost last.
    blocks: Vec<usize>,
    /// Open flow collections (`[`, `{`).
    flow: usize,
    /// Inside a quoted scalar spanning lines: its quote.
    quote: Option<char>,
    /// Inside a block scalar (`|`, `>`): the indentation of its parent line.
    literal_parent: Option<usize>,
    deepest: usize,
}

impl Scan {
    fn line(&mut self, line: &str) {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let content = &line[indent..];
        if let Some(parent) = self.literal_parent {
            if content.trim().is_empty() || indent > parent {
                return;
            }
            self.literal_parent = None;
        }
        let mut rest = content;
        let mut column = indent;
        if self.quote.is_none() && self.flow == 0 {
            if content.trim().is_empty() || content.starts_with('#') {
                return;
            }
            while self.blocks.last().is_some_and(|&open| open > indent) {
                self.blocks.pop();
            }
            // `- `, `? ` and `: ` indicators, each a collection at its column.
            while let Some(after) = indicator(rest) {
                self.open_block(column);
                let skipped = rest.len() - after.len();
                column += skipped;
                rest = after;
            }
            if is_mapping_entry(rest) {
                self.open_block(column);
            }
        }
        self.scan_scalars_and_flow(rest);
        self.deepest = self.deepest.max(self.blocks.len() + self.flow);
        if self.quote.is_none() && self.flow == 0 && starts_block_scalar(content) {
            self.literal_parent = Some(indent);
        }
    }

    fn open_block(&mut self, column: usize) {
        if self.blocks.last() != Some(&column) {
            self.blocks.push(column);
            self.deepest = self.deepest.max(self.blocks.len() + self.flow);
        }
    }

    /// Quotes, comments and flow brackets on the rest of a line.
    fn scan_scalars_and_flow(&mut self, text: &str) {
        let mut previous = ' ';
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match self.quote {
                Some('"') if c == '\\' => {
                    chars.next();
                }
                Some(quote) if c == quote => {
                    if quote == '\'' && chars.peek() == Some(&'\'') {
                        chars.next();
                    } else {
                        self.quote = None;
                    }
                }
                Some(_) => {}
                None => {
                    let token_start = previous.is_whitespace() || "[{,:".contains(previous);
                    match c {
                        '#' if previous.is_whitespace() => return,
                        '"' | '\'' if token_start => self.quote = Some(c),
                        '[' | '{' if token_start || self.flow > 0 => {
                            self.flow += 1;
                            self.deepest = self.deepest.max(self.blocks.len() + self.flow);
                        }
                        ']' | '}' if self.flow > 0 => self.flow -= 1,
                        _ => {}
                    }
                }
            }
            previous = c;
        }
    }
}

/// After a leading `-`, `?` or `:` indicator and its spaces, the rest.
fn indicator(text: &str) -> Option<&str> {
    let mut chars = text.chars();
    let first = chars.next()?;
    let after = chars.as_str();
    let separated = after.is_empty() || after.starts_with([' ', '\t']);
    (matches!(first, '-' | '?' | ':') && separated).then(|| after.trim_start_matches([' ', '\t']))
}

/// Whether a line's content is `key:` or `key: value` (a mapping entry).
fn is_mapping_entry(text: &str) -> bool {
    let key_end = text
        .find(": ")
        .or_else(|| text.strip_suffix(':').map(str::len));
    key_end.is_some_and(|end| {
        let key = &text[..end];
        !key.starts_with(['[', '{', '#']) && !key.contains(" #")
    })
}

/// Whether a line ends in a block scalar header (`|`, `>-`, `|2+` …).
fn starts_block_scalar(content: &str) -> bool {
    let without_comment = content.split(" #").next().unwrap_or(content).trim_end();
    let header =
        without_comment.trim_end_matches(|c: char| c == '+' || c == '-' || c.is_ascii_digit());
    header.ends_with('|') || header.ends_with('>')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The deepest nesting the scan finds in `text`.
    fn depth(text: &str) -> usize {
        let mut scan = Scan::default();
        text.split(['\n', '\r']).for_each(|line| scan.line(line));
        scan.deepest
    }

    #[test]
    fn configuration_files_nest_as_written() {
        let config = "defaults:\n  max_cyclomatic_complexity: 10\nlanguages:\n  - name: python\n    extensions: [.py]\n    metrics:\n      - type: cognitive_complexity\n        threshold: 20\n        comparison: \"<\"\nignore_patterns: [\"**/*.{test,spec}.js\", 'a[b']\nprofile: standard\n";
        assert_eq!(depth(config), 5);
        assert_eq!(depth(""), 0);
        assert_eq!(depth("a: 1\n"), 1);
    }

    #[test]
    fn flow_and_compact_block_nesting_count_every_level() {
        let flow = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(depth(&flow), 101);
        let maps = format!("a: {}{}\n", "{b: ".repeat(70), "}".repeat(70));
        assert_eq!(depth(&maps), 71);
        let block = format!("{}x\n", "- ".repeat(100));
        assert_eq!(depth(&block), 100);
        let indented: String = (0..80)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert_eq!(depth(&indented), 80);
    }

    #[test]
    fn quoted_commented_and_literal_brackets_do_not_count() {
        let text = "a: \"[[[[\"\nb: '[[''[['\nc: x # [[[[\nd: |\n  [[[[\n  - - - -\ne: \"multi\n  [[[[ line\"\nf: [1, [2]]\n";
        assert_eq!(depth(text), 3);
    }

    #[test]
    fn the_first_line_past_the_limit_is_named() {
        let text = format!("a: 1\nb: {}\n", "[".repeat(1_000_000));
        assert_eq!(first_line_deeper_than(&text, MAX_DEPTH), Some(2));
        assert_eq!(first_line_deeper_than("a: [[1]]\n", MAX_DEPTH), None);
        let old_mac = format!("a: 1\r{}x\r", "- ".repeat(100));
        assert_eq!(first_line_deeper_than(&old_mac, MAX_DEPTH), Some(1));
        let windows = format!("a: 1\r\nb: 2\r\n{}x\r\n", "- ".repeat(100));
        assert_eq!(first_line_deeper_than(&windows, MAX_DEPTH), Some(3));
    }
}

//! Recognises minified (generated) JavaScript, which is skipped rather than
//! measured: its one-line functions would only produce noise.
//!
//! A file is minified when, within its first 10 KB, some line is longer than
//! 1,000 bytes and the lines average more than 200 bytes. A hand-written file
//! with one long line (a data table, an inline source map) stays analysed.

/// How much of the file is looked at.
const HEAD_BYTES: usize = 10 * 1024;
/// A line at least this long is a candidate.
const LONG_LINE_BYTES: usize = 1_000;
/// Mean line length of the head above which the file is generated.
const MEAN_LINE_BYTES: usize = 200;

/// The first over-long line (1-based) and its length, if `source` looks minified.
pub fn detect(source: &str) -> Option<(u32, usize)> {
    let head = &source.as_bytes()[..source.len().min(HEAD_BYTES)];
    let lines: Vec<&[u8]> = head.split(|b| *b == b'\n').collect();
    if head.len() / lines.len() <= MEAN_LINE_BYTES {
        return None;
    }
    let index = lines.iter().position(|l| l.len() > LONG_LINE_BYTES)?;
    // Report the length of the whole line, not just its part in the head.
    let length = source
        .lines()
        .nth(index)
        .map_or(lines[index].len(), |l| l.chars().count());
    Some((index as u32 + 1, length))
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
        source.insert_str(0, &format!("const table = \"{}\";\n", "x".repeat(2000)));
        assert_eq!(detect(&source), None);
        assert_eq!(detect(""), None);
    }
}

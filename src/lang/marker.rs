//! Suppression markers: the one parser for every marker antipasta honours,
//! read from the text of one comment (Python or JavaScript/TypeScript).
//!
//! Which units a marker covers is each front end's business
//! (`python/suppress.rs`, `javascript/suppress.rs`, and complexipy's own
//! search in `python/cognitive.rs`); the forms and their placement rules are
//! listed in the README ("Inline suppressions").

use crate::config::metric::Metric;
use crate::model::{Covers, Suppression};

/// One marker found in a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub kind: MarkerKind,
    pub covers: Covers,
    pub reason: Option<String>,
    /// The marker as written, from its first character to the end of its
    /// rule list (control characters replaced).
    pub text: String,
    /// Whether `--report-unused-suppressions` checks it (see [`Suppression`]).
    pub audited: bool,
}

/// Which syntax a marker uses, which decides where it applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// `# antipasta: ignore[…]`, `// antipasta-ignore[…]`.
    Ignore,
    /// `# antipasta: ignore-file[…]`, `// antipasta-ignore-file[…]`.
    IgnoreFile,
    /// ruff's and flake8's `# noqa` (bare) or `# noqa: …, C901`.
    Noqa,
    /// complexipy's `# complexipy: ignore` or `# noqa: complexipy`, without
    /// a valid rule list: complexipy leaves the function out.
    Complexipy,
    /// complexipy's marker with a valid rule list (`[C101]`): it stops
    /// complexipy's search but hides nothing.
    ComplexipyRules,
    /// `// eslint-disable-next-line […]`.
    EslintDisableNextLine,
    /// `// eslint-disable-line […]`.
    EslintDisableLine,
    /// `/* eslint-disable […] */`.
    EslintDisable,
    /// `/* eslint-enable […] */`.
    EslintEnable,
}

impl Marker {
    /// The marker as a suppression found on `line`.
    pub fn suppression(&self, line: u32) -> Suppression {
        Suppression {
            marker: self.text.clone(),
            line,
            covers: self.covers.clone(),
            reason: self.reason.clone(),
            audited: self.audited,
        }
    }
}

/// The markers in one Python comment (`#` included), in the order found.
///
/// Each marker's reason ends where the next marker begins, and only the
/// first [`MAX_PER_LINE`] markers count: a hostile comment stays linear.
pub fn python(comment: &str) -> Vec<Marker> {
    let starts: Vec<usize> = comment
        .match_indices('#')
        .map(|(hash, _)| hash)
        .filter(|&hash| opens_marker(comment, hash))
        .collect();
    let until_next = |hash: usize| {
        let next = starts.partition_point(|&start| start <= hash);
        &comment[..starts.get(next).copied().unwrap_or(comment.len())]
    };
    let mut found: Vec<Marker> = starts
        .iter()
        .filter_map(|&hash| {
            let part = until_next(hash);
            antipasta_python(part, hash).or_else(|| noqa(part, hash))
        })
        .take(MAX_PER_LINE)
        .collect();
    if let Some((hash, end, list)) = complexipy_match(comment, "complexipy", "ignore")
        .or_else(|| complexipy_match(comment, "noqa", "complexipy"))
    {
        let limit = until_next(hash).len().max(end);
        found.push(complexipy(&comment[..limit], hash, end, list));
    }
    found
}

/// At most this many markers count on one line (the rest are ignored), and
/// a unit keeps at most this many: hostile input stays linear.
pub const MAX_PER_LINE: usize = 8;

/// Adds a suppression to a unit's list: each once, at most [`MAX_PER_LINE`].
pub fn add_once(list: &mut Vec<Suppression>, suppression: Suppression) {
    if list.len() < MAX_PER_LINE && !list.contains(&suppression) {
        list.push(suppression);
    }
}

/// Whether a marker word follows the `#` at `hash`.
fn opens_marker(comment: &str, hash: usize) -> bool {
    let bytes = comment.as_bytes();
    let i = skip_blanks(bytes, hash + 1);
    ["antipasta", "noqa", "complexipy"]
        .iter()
        .any(|word| eat_word(bytes, i, word).is_some())
}

/// The markers in one JavaScript/TypeScript comment (`//…` or `/*…*/`).
/// ESLint directives must open the comment; `eslint-disable` and
/// `eslint-enable` count in block comments only, as in ESLint.
pub fn javascript(comment: &str) -> Vec<Marker> {
    let (body, block) = if let Some(body) = comment.strip_prefix("//") {
        (body, false)
    } else if let Some(body) = comment.strip_prefix("/*") {
        (body.strip_suffix("*/").unwrap_or(body), true)
    } else {
        return Vec::new();
    };
    let body = body.trim_start();
    let (open, close) = if block { ("/* ", " */") } else { ("// ", "") };
    if let Some(marker) = antipasta_javascript(body, open, close) {
        return vec![marker];
    }
    eslint(body, block, open, close).into_iter().collect()
}

/// Which markers sit on which headers: `markers` are (line, own-line
/// comment) in line order, `headers` are (first line, last header line) of
/// the units. A marker hits a header it lies on, or the one starting on the
/// next line when it is an own-line comment. Returns (marker, header)
/// pairs; a header takes at most [`MAX_PER_LINE`] markers.
///
/// One sweep: a header enters when the sweep reaches the line above it and
/// leaves once passed or full, so the work stays linear in markers and
/// headers however headers nest.
pub fn on_headers(markers: &[(u32, bool)], headers: &[(u32, u32)]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..headers.len()).collect();
    order.sort_by_key(|&h| headers[h].0);
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    let mut taken = vec![0usize; headers.len()];
    let mut hits = Vec::new();
    for (m, &(line, own_line)) in markers.iter().enumerate() {
        while let Some(&h) = order.get(next) {
            if headers[h].0.saturating_sub(1) > line {
                break;
            }
            active.push(h);
            next += 1;
        }
        active.retain(|&h| headers[h].1.max(headers[h].0) >= line && taken[h] < MAX_PER_LINE);
        for &h in &active {
            if line >= headers[h].0 || own_line {
                hits.push((m, h));
                taken[h] += 1;
            }
        }
    }
    hits
}

// ----- antipasta's own markers ------------------------------------------------

/// `#[ \t]*antipasta[ \t]*:[ \t]*ignore(-file)?` at `hash`, then an optional
/// `[metric, …]` list and ` -- reason` (ASCII case-insensitive).
fn antipasta_python(comment: &str, hash: usize) -> Option<Marker> {
    let bytes = comment.as_bytes();
    let mut i = skip_blanks(bytes, hash + 1);
    i = skip_blanks(bytes, eat_word(bytes, i, "antipasta")?);
    if bytes.get(i) != Some(&b':') {
        return None;
    }
    i = skip_blanks(bytes, i + 1);
    let end = eat_word(bytes, i, "ignore")?;
    ignore_marker(comment, hash, end)
}

/// `antipasta-ignore(-file)?` opening a comment's body.
fn antipasta_javascript(body: &str, open: &str, close: &str) -> Option<Marker> {
    let end = eat_word(body.as_bytes(), 0, "antipasta-ignore")?;
    let mut marker = ignore_marker(body, 0, end)?;
    marker.text = format!("{open}{}{close}", marker.text);
    Some(marker)
}

/// The rest of an antipasta marker whose `ignore` word ends at `end`.
fn ignore_marker(text: &str, start: usize, end: usize) -> Option<Marker> {
    let bytes = text.as_bytes();
    let (kind, mut end) = match eat_word(bytes, end, "-file") {
        Some(after) => (MarkerKind::IgnoreFile, after),
        None => (MarkerKind::Ignore, end),
    };
    if text[end..].chars().next().is_some_and(is_word_char) {
        return None;
    }
    let mut covers = Covers::All;
    let open = skip_blanks(bytes, end);
    if bytes.get(open) == Some(&b'[') {
        if let Some(close) = text[open + 1..].find(']') {
            let list = &text[open + 1..open + 1 + close];
            covers = Covers::Only(
                list.split(',')
                    .filter_map(|name| name.parse::<Metric>().ok())
                    .collect(),
            );
            end = open + close + 2;
        }
    }
    Some(Marker {
        kind,
        covers,
        reason: reason(&text[end..]),
        text: clean(&text[start..end]),
        audited: true,
    })
}

// ----- ruff / flake8 -------------------------------------------------------

/// `# noqa` (bare) or `# noqa: CODE[, CODE…]` naming `C901`, as ruff reads
/// it: codes are letters then digits, separated by commas or blanks. A
/// colon followed by no code (`# noqa: complexipy`) is not a ruff marker.
fn noqa(comment: &str, hash: usize) -> Option<Marker> {
    let bytes = comment.as_bytes();
    let start = skip_blanks(bytes, hash + 1);
    let end = eat_word(bytes, start, "noqa")?;
    if comment[end..].chars().next().is_some_and(is_word_char) {
        return None;
    }
    let colon = skip_blanks(bytes, end);
    let cyclomatic = Covers::Only(vec![Metric::CyclomaticComplexity]);
    if bytes.get(colon) != Some(&b':') {
        return Some(Marker {
            kind: MarkerKind::Noqa,
            covers: cyclomatic,
            reason: reason(&comment[end..]),
            text: clean(&comment[hash..end]),
            audited: false,
        });
    }
    let mut i = colon + 1;
    let mut codes_end = None;
    let mut names_c901 = false;
    loop {
        while matches!(bytes.get(i), Some(b' ' | b'\t' | b',')) {
            i += 1;
        }
        let letters = bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let digits = bytes[i + letters..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let after = i + letters + digits;
        let whole = !comment[after..].chars().next().is_some_and(is_word_char);
        if letters == 0 || digits == 0 || !whole {
            break;
        }
        names_c901 |= comment[i..after].eq_ignore_ascii_case("C901");
        codes_end = Some(after);
        i = after;
    }
    let codes_end = codes_end?;
    names_c901.then(|| Marker {
        kind: MarkerKind::Noqa,
        covers: cyclomatic,
        reason: reason(&comment[codes_end..]),
        text: clean(&comment[hash..codes_end]),
        audited: true,
    })
}

// ----- complexipy ----------------------------------------------------------------

/// complexipy 8.3.0's marker (`# complexipy: ignore`, else `# noqa:
/// complexipy`, ASCII case-insensitive, blanks around the parts, with an
/// optional bracketed rule list), matched by [`complexipy_match`] as `#`
/// at `hash`, end and list; `comment` ends where the next marker begins.
/// A list of valid rule ids (`C101`) makes it hide nothing; any other list
/// counts as no list.
fn complexipy(comment: &str, hash: usize, end: usize, list: Option<&str>) -> Marker {
    let valid_rules = list.is_some_and(|list| {
        list.split(',')
            .map(str::trim)
            .filter(|code| !code.is_empty())
            .all(is_rule_id)
    });
    let (kind, covers) = if valid_rules {
        (MarkerKind::ComplexipyRules, Covers::Only(Vec::new()))
    } else {
        (
            MarkerKind::Complexipy,
            Covers::Only(vec![Metric::CognitiveComplexity]),
        )
    };
    Marker {
        kind,
        covers,
        reason: reason(&comment[end..]),
        text: clean(&comment[hash..end]),
        audited: !valid_rules,
    }
}

fn is_rule_id(code: &str) -> bool {
    let bytes = code.as_bytes();
    match bytes.split_first() {
        Some((first, rest)) => {
            first.is_ascii_alphabetic() && !rest.is_empty() && rest.iter().all(u8::is_ascii_digit)
        }
        None => false,
    }
}

/// Matches `#[ \t]*FIRST[ \t]*:[ \t]*SECOND\b([ \t]*\[([^\]]*)\])?` at the
/// leftmost possible `#`: the `#`, the end of the match and the bracketed
/// text when the optional group matched.
fn complexipy_match<'c>(
    comment: &'c str,
    first: &str,
    second: &str,
) -> Option<(usize, usize, Option<&'c str>)> {
    let bytes = comment.as_bytes();
    for (hash, _) in comment.match_indices('#') {
        let mut i = skip_blanks(bytes, hash + 1);
        let Some(after_first) = eat_word(bytes, i, first) else {
            continue;
        };
        i = skip_blanks(bytes, after_first);
        if bytes.get(i) != Some(&b':') {
            continue;
        }
        i = skip_blanks(bytes, i + 1);
        let Some(end) = eat_word(bytes, i, second) else {
            continue;
        };
        if comment[end..].chars().next().is_some_and(is_word_char) {
            continue;
        }
        let open = skip_blanks(bytes, end);
        if bytes.get(open) == Some(&b'[') {
            if let Some(close) = comment[open + 1..].find(']') {
                let list = &comment[open + 1..open + 1 + close];
                return Some((hash, open + close + 2, Some(list)));
            }
        }
        return Some((hash, end, None));
    }
    None
}

// ----- ESLint ------------------------------------------------------------------------

/// An ESLint directive opening a comment's body, as ESLint reads it: the
/// directive word, then blank-separated text, a description after a
/// blank-surrounded `--`, rules split at commas. Only `complexity` and
/// `sonarjs/cognitive-complexity` matter; a directive naming neither is no
/// marker, one naming no rule covers everything.
fn eslint(body: &str, block: bool, open: &str, close: &str) -> Option<Marker> {
    const WORDS: [(&str, MarkerKind); 4] = [
        (
            "eslint-disable-next-line",
            MarkerKind::EslintDisableNextLine,
        ),
        ("eslint-disable-line", MarkerKind::EslintDisableLine),
        ("eslint-disable", MarkerKind::EslintDisable),
        ("eslint-enable", MarkerKind::EslintEnable),
    ];
    let (word, kind) = WORDS.into_iter().find(|(word, _)| {
        body.strip_prefix(word)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
    })?;
    let line_directive = matches!(
        kind,
        MarkerKind::EslintDisableNextLine | MarkerKind::EslintDisableLine
    );
    if !block && !line_directive {
        return None;
    }
    let rest = &body[word.len()..];
    let (value, description) = split_description(rest);
    let rules: Vec<&str> = value
        .split(',')
        .map(str::trim)
        .filter(|rule| !rule.is_empty())
        .collect();
    let metrics: Vec<Metric> = rules
        .iter()
        .filter_map(|rule| match *rule {
            "complexity" => Some(Metric::CyclomaticComplexity),
            "sonarjs/cognitive-complexity" => Some(Metric::CognitiveComplexity),
            _ => None,
        })
        .collect();
    let (covers, audited) = match (rules.is_empty(), metrics.is_empty()) {
        (true, _) => (Covers::All, false),
        (false, true) => return None,
        (false, false) => (Covers::Only(metrics), true),
    };
    let written = format!("{word} {}", value.trim());
    Some(Marker {
        kind,
        covers,
        reason: description
            .map(|d| shown(d, MAX_REASON_CHARS))
            .filter(|r| !r.is_empty()),
        text: clean(&format!("{open}{}{close}", written.trim_end())),
        audited,
    })
}

/// ESLint's split of a directive's text at the first `--` run with blanks
/// on both sides: the value and the description.
fn split_description(text: &str) -> (&str, Option<&str>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() && bytes.get(i + 1) == Some(&b'-') {
            let dashes = bytes[i + 1..].iter().take_while(|&&b| b == b'-').count();
            let after = i + 1 + dashes;
            if dashes >= 2 && bytes.get(after).is_some_and(u8::is_ascii_whitespace) {
                return (&text[..i], Some(text[after..].trim()));
            }
        }
        i += 1;
    }
    (text, None)
}

// ----- shared helpers ----------------------------------------------------------------

/// ` -- reason` right after a marker: the trimmed reason, if any.
fn reason(after: &str) -> Option<String> {
    let rest = after.trim_start().strip_prefix("--")?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(shown(rest.trim(), MAX_REASON_CHARS)).filter(|r| !r.is_empty())
}

/// Longest marker text kept, in characters (longer ones end in `…`).
const MAX_MARKER_CHARS: usize = 160;
/// Longest reason kept, in characters.
const MAX_REASON_CHARS: usize = 400;

/// A marker's text as shown: see [`shown`].
fn clean(text: &str) -> String {
    shown(text, MAX_MARKER_CHARS)
}

/// Comment text with control characters replaced (markers and reasons
/// reach terminals, CSV and CI logs), cut after `limit` characters: every
/// unit a marker covers carries a copy.
fn shown(text: &str, limit: usize) -> String {
    let mut out: String = text
        .chars()
        .take(limit)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if text.chars().nth(limit).is_some() {
        out.push('…');
    }
    out
}

/// Whether `text` holds any of `words` (lowercase), ASCII
/// case-insensitively: the front ends skip the comment walk for files that
/// cannot hold a marker.
pub fn mentions_any(text: &str, words: &[&str]) -> bool {
    let lower = text.to_ascii_lowercase();
    words.iter().any(|word| lower.contains(word))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

fn eat_word(bytes: &[u8], i: usize, word: &str) -> Option<usize> {
    let end = i + word.len();
    bytes
        .get(i..end)
        .filter(|candidate| candidate.eq_ignore_ascii_case(word.as_bytes()))
        .map(|_| end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Metric::{CognitiveComplexity as Cog, CyclomaticComplexity as Cyc};

    fn one(markers: Vec<Marker>) -> Marker {
        assert_eq!(markers.len(), 1, "{markers:?}");
        markers.into_iter().next().expect("one marker")
    }

    #[test]
    fn antipasta_python_markers() {
        let m = one(python("# antipasta: ignore"));
        assert_eq!(
            (m.kind, &m.covers, &m.text, m.reason.as_deref(), m.audited),
            (
                MarkerKind::Ignore,
                &Covers::All,
                &"# antipasta: ignore".to_owned(),
                None,
                true
            )
        );
        let m = one(python(
            "# Antipasta:ignore[cyclomatic_complexity, cog, nonsense] -- legacy parser",
        ));
        assert_eq!(m.covers, Covers::Only(vec![Cyc, Cog]));
        assert_eq!(m.reason.as_deref(), Some("legacy parser"));
        assert_eq!(
            m.text,
            "# Antipasta:ignore[cyclomatic_complexity, cog, nonsense]"
        );
        let m = one(python("# type: ignore  # antipasta: ignore-file[mai, vol]"));
        assert_eq!(m.kind, MarkerKind::IgnoreFile);
        assert_eq!(
            m.covers,
            Covers::Only(vec![Metric::MaintainabilityIndex, Metric::HalsteadVolume])
        );
        assert!(python("# antipasta: ignored").is_empty());
        assert!(python("# antipasta ignore").is_empty());
        assert!(python("# antipasta: ignore-files").is_empty());
        // A reason needs the blank-surrounded dashes.
        assert_eq!(one(python("# antipasta: ignore --x")).reason, None);
        // Long markers and reasons are cut.
        let long = format!(
            "# antipasta: ignore[{}] -- {}",
            "x, ".repeat(100),
            "y".repeat(1000)
        );
        let m = one(python(&long));
        assert_eq!(m.text.chars().count(), MAX_MARKER_CHARS + 1);
        assert!(m.text.ends_with('…'));
        assert_eq!(
            m.reason.map(|r| r.chars().count()),
            Some(MAX_REASON_CHARS + 1)
        );
        // Control characters never reach the output.
        assert_eq!(
            one(python("# antipasta: ignore -- a\u{1b}[31mb"))
                .reason
                .as_deref(),
            Some("a\u{FFFD}[31mb")
        );
    }

    #[test]
    fn noqa_markers_like_ruff() {
        let m = one(python("# noqa: C901"));
        assert_eq!(
            (m.kind, &m.covers, m.text.as_str(), m.audited),
            (
                MarkerKind::Noqa,
                &Covers::Only(vec![Cyc]),
                "# noqa: C901",
                true
            )
        );
        assert_eq!(one(python("#NOQA:E501,c901 more")).text, "#NOQA:E501,c901");
        assert_eq!(one(python("# noqa: E501 C901")).text, "# noqa: E501 C901");
        // Bare noqa hides what ruff would report on the line (C901), but is
        // not audited: it may serve other rules.
        assert_eq!(
            one(python("# noqa -- generated")).reason.as_deref(),
            Some("generated")
        );
        let bare = one(python("# noqa"));
        assert_eq!(
            (bare.covers, bare.audited),
            (Covers::Only(vec![Cyc]), false)
        );
        assert!(python("# noqa: E501").is_empty());
        assert!(python("# noqanything").is_empty());
        assert!(python("# noqa: C9011").is_empty());
    }

    #[test]
    fn complexipy_markers_keep_complexipy_semantics() {
        let m = one(python("# complexipy: ignore"));
        assert_eq!(
            (m.kind, m.covers),
            (MarkerKind::Complexipy, Covers::Only(vec![Cog]))
        );
        let m = one(python("#NOQA : COMPLEXIPY"));
        assert_eq!(m.kind, MarkerKind::Complexipy);
        assert_eq!(
            one(python("# complexipy: ignore[C101]")).kind,
            MarkerKind::ComplexipyRules
        );
        assert_eq!(
            one(python("# complexipy: ignore[not a rule]")).kind,
            MarkerKind::Complexipy
        );
        assert!(python("# complexipy: ignored").is_empty());
        // Both a ruff and a complexipy marker in one comment.
        let kinds: Vec<MarkerKind> = python("# noqa: C901  # complexipy: ignore")
            .iter()
            .map(|m| m.kind)
            .collect();
        assert_eq!(kinds, [MarkerKind::Noqa, MarkerKind::Complexipy]);
    }

    #[test]
    fn markers_find_their_headers() {
        // Headers: lines 3-5, 10-10, nested 4-4 inside the first.
        let headers = [(3, 5), (10, 10), (4, 4)];
        let markers = [
            (2, true),
            (2, false),
            (4, false),
            (9, false),
            (9, true),
            (11, true),
        ];
        assert_eq!(
            on_headers(&markers, &headers),
            [(0, 0), (2, 0), (2, 2), (4, 1)]
        );
        // A header takes at most MAX_PER_LINE markers.
        let many: Vec<(u32, bool)> = (0..20).map(|_| (1, false)).collect();
        assert_eq!(on_headers(&many, &[(1, 1)]).len(), MAX_PER_LINE);
    }

    #[test]
    fn javascript_markers() {
        let m = one(javascript("// antipasta-ignore[cyc] -- generated"));
        assert_eq!(
            (m.kind, &m.covers, m.text.as_str(), m.reason.as_deref()),
            (
                MarkerKind::Ignore,
                &Covers::Only(vec![Cyc]),
                "// antipasta-ignore[cyc]",
                Some("generated")
            )
        );
        assert_eq!(
            one(javascript("/* antipasta-ignore-file */")).text,
            "/* antipasta-ignore-file */"
        );
        let m = one(javascript(
            "// eslint-disable-next-line no-console, complexity -- legacy",
        ));
        assert_eq!(m.kind, MarkerKind::EslintDisableNextLine);
        assert_eq!(m.covers, Covers::Only(vec![Cyc]));
        assert_eq!(m.reason.as_deref(), Some("legacy"));
        let m = one(javascript(
            "/* eslint-disable sonarjs/cognitive-complexity */",
        ));
        assert_eq!(
            (m.kind, m.covers),
            (MarkerKind::EslintDisable, Covers::Only(vec![Cog]))
        );
        let all = one(javascript("// eslint-disable-line"));
        assert_eq!((all.covers, all.audited), (Covers::All, false));
        // ESLint reads eslint-disable/enable in block comments only.
        assert!(javascript("// eslint-disable complexity").is_empty());
        assert!(javascript("// eslint-disable-next-line no-console").is_empty());
        assert!(javascript("// see eslint-disable-next-line complexity").is_empty());
        assert!(javascript("// eslint-disable-next-linecomplexity").is_empty());
        assert_eq!(
            one(javascript("/* eslint-enable */")).kind,
            MarkerKind::EslintEnable
        );
    }
}

//! File-level pairing: which files differ between two versions, and which
//! of the added and deleted ones are really renames, found as `git diff -M`
//! finds them (docs/git.md, "Renames"): identical blobs first, then files
//! whose name is unique on both sides and similar above a raised bar, then
//! the most similar pairs of what is left, similarity being git's score —
//! the share of the larger file's bytes found in the other, counted by
//! hashed chunks of up to 64 bytes ending at a newline.

use std::collections::HashMap;

use super::FileStatus;
use crate::model::Language;
use crate::source::{Origin, SourceFile};

/// The whole similarity scale, as git counts it (100 %).
pub const MAX_SCORE: u64 = 60_000;

/// How renames are detected (`-M`, `--find-renames=N`, `--no-renames`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenameOptions {
    /// Off with `--no-renames`: every moved file is a deletion and an addition.
    pub enabled: bool,
    /// The least similarity, out of [`MAX_SCORE`] (git's default, 50 %).
    pub min_score: u64,
    /// Above `limit` × `limit` candidate pairs, only exact and same-name
    /// renames are looked for (git's `diff.renameLimit`, 1,000 files).
    pub limit: usize,
}

impl Default for RenameOptions {
    fn default() -> Self {
        RenameOptions {
            enabled: true,
            min_score: MAX_SCORE / 2,
            limit: 1000,
        }
    }
}

impl RenameOptions {
    /// Reads git's `-M` argument: `N%`, or digits read as a decimal
    /// fraction (`-M9` and `-M90` are 90 %, `-M05` is 5 %).
    pub fn parse_score(text: &str) -> Result<u64, String> {
        let bad = || format!("invalid rename score '{text}' (expected N% or digits)");
        let (digits, percent) = match text.strip_suffix('%') {
            Some(digits) => (digits, true),
            None => (text, false),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let score = if percent {
            let value: u64 = digits.parse().map_err(|_| bad())?;
            value.saturating_mul(MAX_SCORE) / 100
        } else {
            // 0.DIGITS of the scale, with as many digits as are meaningful.
            let digits = &digits[..digits.len().min(9)];
            let value: u64 = digits.parse().map_err(|_| bad())?;
            value * MAX_SCORE / 10u64.pow(u32::try_from(digits.len()).unwrap_or(9))
        };
        Ok(score.min(MAX_SCORE))
    }
}

/// A file that differs between the base and the target version.
#[derive(Debug, Clone, PartialEq)]
pub struct FilePair {
    pub status: FileStatus,
    /// The base version (`None` when added).
    pub old: Option<SourceFile>,
    /// The target version (`None` when deleted).
    pub new: Option<SourceFile>,
}

/// Pairs two listings by path. Both must carry blob ids: files with the
/// same id on both sides are unchanged and left out without being read.
/// `read` gives a file's text for rename similarity (only called for added
/// and deleted files of the same language family).
pub fn pair_files(
    old: Vec<SourceFile>,
    new: Vec<SourceFile>,
    read: &dyn Fn(&SourceFile) -> Option<String>,
    options: RenameOptions,
) -> Vec<FilePair> {
    let mut old_by_path: HashMap<String, SourceFile> = old
        .into_iter()
        .map(|file| (file.display.clone(), file))
        .collect();
    let mut pairs = Vec::new();
    let mut added = Vec::new();
    for file in new {
        match old_by_path.remove(&file.display) {
            Some(before) if before.blob.is_some() && before.blob == file.blob => {}
            Some(before) => pairs.push(FilePair {
                status: FileStatus::Modified,
                old: Some(before),
                new: Some(file),
            }),
            None => added.push(file),
        }
    }
    let mut deleted: Vec<SourceFile> = old_by_path.into_values().collect();
    deleted.sort();
    if options.enabled {
        pairs.extend(renames(&mut deleted, &mut added, read, options));
    }
    pairs.extend(added.into_iter().map(|file| FilePair {
        status: FileStatus::Added,
        old: None,
        new: Some(file),
    }));
    pairs.extend(deleted.into_iter().map(|file| FilePair {
        status: FileStatus::Deleted,
        old: Some(file),
        new: None,
    }));
    pairs.sort_by(|a, b| a.path().cmp(b.path()));
    pairs
}

impl FilePair {
    /// The path the pair is listed under: the target's, or the base's when deleted.
    pub fn path(&self) -> &str {
        self.new
            .as_ref()
            .or(self.old.as_ref())
            .map_or("", |file| file.display.as_str())
    }
}

/// Takes renamed files out of `deleted` and `added`, in git's three rounds.
fn renames(
    deleted: &mut Vec<SourceFile>,
    added: &mut Vec<SourceFile>,
    read: &dyn Fn(&SourceFile) -> Option<String>,
    options: RenameOptions,
) -> Vec<FilePair> {
    let mut matches: Vec<(usize, usize)> = Vec::new();
    let mut taken_old = vec![false; deleted.len()];
    let mut taken_new = vec![false; added.len()];
    // 1. Identical blobs; among several sources, one of the same name.
    let mut by_blob: HashMap<_, Vec<usize>> = HashMap::new();
    for (o, file) in deleted.iter().enumerate() {
        if let Some(blob) = file.blob {
            by_blob.entry(blob).or_default().push(o);
        }
    }
    for (n, new) in added.iter().enumerate() {
        let Some(sources) = new.blob.and_then(|blob| by_blob.get(&blob)) else {
            continue;
        };
        let free = sources.iter().copied().filter(|&o| !taken_old[o]);
        let best = free
            .clone()
            .find(|&o| basename(&deleted[o].display) == basename(&new.display))
            .or_else(|| free.clone().next());
        if let Some(o) = best {
            taken_old[o] = true;
            taken_new[n] = true;
            matches.push((o, n));
        }
    }
    if options.min_score < MAX_SCORE {
        let mut spans = Spans::new(read);
        // 2. A name unique among the remaining sources and destinations
        // alike pairs when similar above halfway to 100 %.
        let min_basename_score = options.min_score + (MAX_SCORE - options.min_score) / 2;
        let sources = unique_names(deleted, &taken_old);
        let destinations = unique_names(added, &taken_new);
        let mut by_name: Vec<(usize, usize)> = sources
            .iter()
            .filter_map(|(name, o)| Some(((*o)?, destinations.get(name).copied().flatten()?)))
            .collect();
        by_name.sort_unstable();
        for (o, n) in by_name {
            if same_family(&deleted[o], &added[n])
                && spans.score(&deleted[o], &added[n], min_basename_score) >= min_basename_score
            {
                taken_old[o] = true;
                taken_new[n] = true;
                matches.push((o, n));
            }
        }
        // 3. The most similar of what is left, within the rename limit.
        let remaining_old: Vec<usize> = (0..deleted.len()).filter(|&o| !taken_old[o]).collect();
        let remaining_new: Vec<usize> = (0..added.len()).filter(|&n| !taken_new[n]).collect();
        if within_limit(remaining_new.len(), remaining_old.len(), options.limit) {
            let mut candidates: Vec<Candidate> = Vec::new();
            for &n in &remaining_new {
                // The best few sources of each destination, as git keeps.
                let mut best: Vec<Candidate> = Vec::with_capacity(CANDIDATES_PER_DESTINATION + 1);
                for &o in &remaining_old {
                    if !same_family(&deleted[o], &added[n]) {
                        continue;
                    }
                    let score = spans.score(&deleted[o], &added[n], options.min_score);
                    if score < options.min_score {
                        continue;
                    }
                    best.push(Candidate {
                        score,
                        same_name: basename(&deleted[o].display) == basename(&added[n].display),
                        new: n,
                        old: o,
                    });
                    best.sort_by(Candidate::order);
                    best.truncate(CANDIDATES_PER_DESTINATION);
                }
                candidates.extend(best);
            }
            candidates.sort_by(Candidate::order);
            for candidate in candidates {
                if !taken_old[candidate.old] && !taken_new[candidate.new] {
                    taken_old[candidate.old] = true;
                    taken_new[candidate.new] = true;
                    matches.push((candidate.old, candidate.new));
                }
            }
        }
    }
    let mut old_slots: Vec<Option<SourceFile>> = deleted.drain(..).map(Some).collect();
    let mut new_slots: Vec<Option<SourceFile>> = added.drain(..).map(Some).collect();
    let pairs = matches
        .into_iter()
        .filter_map(|(o, n)| {
            Some(FilePair {
                status: FileStatus::Renamed,
                old: Some(old_slots[o].take()?),
                new: Some(new_slots[n].take()?),
            })
        })
        .collect();
    deleted.extend(old_slots.into_iter().flatten());
    added.extend(new_slots.into_iter().flatten());
    pairs
}

/// Each file name of the files not `taken`, with the file's index when
/// no other file has that name.
fn unique_names<'f>(files: &'f [SourceFile], taken: &[bool]) -> HashMap<&'f str, Option<usize>> {
    let mut seen: HashMap<&str, Option<usize>> = HashMap::new();
    for (at, file) in files.iter().enumerate().filter(|(at, _)| !taken[*at]) {
        seen.entry(basename(&file.display))
            .and_modify(|one| *one = None)
            .or_insert(Some(at));
    }
    seen
}

/// How many sources git keeps per destination in the similarity round.
const CANDIDATES_PER_DESTINATION: usize = 4;

/// A possible rename in the similarity round.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: u64,
    same_name: bool,
    new: usize,
    old: usize,
}

impl Candidate {
    /// Best first: higher score, then the same file name, then path order.
    fn order(a: &Candidate, b: &Candidate) -> std::cmp::Ordering {
        b.score
            .cmp(&a.score)
            .then(b.same_name.cmp(&a.same_name))
            .then((a.new, a.old).cmp(&(b.new, b.old)))
    }
}

/// git's test of whether the similarity matrix is small enough: at most
/// `limit` × `limit` pairs, and one side at most `limit` files.
fn within_limit(destinations: usize, sources: usize, limit: usize) -> bool {
    let (destinations, sources, limit) = (destinations as u64, sources as u64, limit as u64);
    (destinations <= limit || sources <= limit)
        && destinations.saturating_mul(sources) <= limit.saturating_mul(limit)
}

/// The last component of a `/`-separated path.
fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Python with Python, JavaScript with TypeScript (a migration renames
/// `.js` to `.ts`): a rename across families could not pair functions.
fn same_family(old: &SourceFile, new: &SourceFile) -> bool {
    let family = |language| matches!(language, Language::Python);
    family(old.language) == family(new.language)
}

/// A file's size and its chunk hashes with their byte counts.
type Fingerprint = (u64, Vec<(u32, u64)>);

/// Each file's [`Fingerprint`], computed once.
struct Spans<'a> {
    read: &'a dyn Fn(&SourceFile) -> Option<String>,
    known: HashMap<Origin, Option<Fingerprint>>,
}

impl<'a> Spans<'a> {
    fn new(read: &'a dyn Fn(&SourceFile) -> Option<String>) -> Self {
        Spans {
            read,
            known: HashMap::new(),
        }
    }

    /// Computes `file`'s fingerprint unless known.
    fn learn(&mut self, file: &SourceFile) {
        if !self.known.contains_key(&file.origin) {
            let fingerprint = (self.read)(file).map(|text| {
                let size = u64::try_from(text.len()).unwrap_or(u64::MAX);
                (size, span_hashes(text.as_bytes()))
            });
            self.known.insert(file.origin.clone(), fingerprint);
        }
    }

    /// git's similarity of `new` to `old`, out of [`MAX_SCORE`]: 0 when
    /// their sizes differ too much to reach `min_score`.
    fn score(&mut self, old: &SourceFile, new: &SourceFile, min_score: u64) -> u64 {
        self.learn(old);
        self.learn(new);
        let fingerprint = |file: &SourceFile| self.known.get(&file.origin).and_then(Option::as_ref);
        let (Some((old_size, old_spans)), Some((new_size, new_spans))) =
            (fingerprint(old), fingerprint(new))
        else {
            return 0;
        };
        let max_size = (*old_size).max(*new_size);
        let delta = max_size - (*old_size).min(*new_size);
        if max_size == 0 || max_size * (MAX_SCORE - min_score) < delta * MAX_SCORE {
            return 0;
        }
        copied(old_spans, new_spans) * MAX_SCORE / max_size
    }
}

/// git's spans of a file: chunks that end at a newline or after 64
/// bytes, each hashed, with the bytes counted per hash (sorted by hash).
/// In text (no NUL in the first 8,000 bytes) a CR before LF is skipped.
fn span_hashes(bytes: &[u8]) -> Vec<(u32, u64)> {
    const HASH_BASE: u32 = 107_927;
    let is_text = !bytes[..bytes.len().min(8000)].contains(&0);
    let mut counts: HashMap<u32, u64> = HashMap::new();
    let (mut high, mut low, mut length) = (0u32, 0u32, 0u64);
    let mut add = |high: u32, low: u32, length: u64| {
        let hash = high.wrapping_add(low.wrapping_mul(0x61)) % HASH_BASE;
        *counts.entry(hash).or_default() += length;
    };
    for (at, &byte) in bytes.iter().enumerate() {
        if is_text && byte == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
            continue;
        }
        let previous = high;
        high = ((high << 7) ^ (low >> 25)).wrapping_add(u32::from(byte));
        low = (low << 7) ^ (previous >> 25);
        length += 1;
        if length == 64 || byte == b'\n' {
            add(high, low, length);
            (high, low, length) = (0, 0, 0);
        }
    }
    if length > 0 {
        add(high, low, length);
    }
    let mut spans: Vec<(u32, u64)> = counts.into_iter().collect();
    spans.sort_unstable();
    spans
}

/// The bytes of `new` also found in `old`: per hash, the smaller count.
fn copied(old: &[(u32, u64)], new: &[(u32, u64)]) -> u64 {
    let (mut total, mut o, mut n) = (0, 0, 0);
    while o < old.len() && n < new.len() {
        match old[o].0.cmp(&new[n].0) {
            std::cmp::Ordering::Less => o += 1,
            std::cmp::Ordering::Greater => n += 1,
            std::cmp::Ordering::Equal => {
                total += old[o].1.min(new[n].1);
                o += 1;
                n += 1;
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Language;
    use crate::source::Origin;

    fn file(path: &str, content: &str) -> SourceFile {
        let id = crate::source::blob_id(content.as_bytes())
            .parse()
            .expect("hash");
        SourceFile {
            display: path.to_owned(),
            origin: Origin::Path(content.into()),
            language: Language::Python,
            blob: Some(id),
        }
    }

    fn read(file: &SourceFile) -> Option<String> {
        match &file.origin {
            Origin::Path(content) => Some(content.display().to_string()),
            Origin::Blob(_) | Origin::Converted { .. } => None,
        }
    }

    fn summary(pairs: &[FilePair]) -> Vec<(FileStatus, Option<&str>, Option<&str>)> {
        pairs
            .iter()
            .map(|p| {
                (
                    p.status,
                    p.old.as_ref().map(|f| f.display.as_str()),
                    p.new.as_ref().map(|f| f.display.as_str()),
                )
            })
            .collect()
    }

    #[test]
    fn rename_scores_read_as_git_reads_them() {
        let percent = |n: u64| n * MAX_SCORE / 100;
        assert_eq!(RenameOptions::parse_score("50%"), Ok(percent(50)));
        assert_eq!(RenameOptions::parse_score("90"), Ok(percent(90)));
        assert_eq!(RenameOptions::parse_score("9"), Ok(percent(90)));
        assert_eq!(RenameOptions::parse_score("05"), Ok(percent(5)));
        assert_eq!(RenameOptions::parse_score("100%"), Ok(MAX_SCORE));
        assert_eq!(RenameOptions::parse_score("150%"), Ok(MAX_SCORE));
        assert!(RenameOptions::parse_score("x").is_err());
        assert!(RenameOptions::parse_score("%").is_err());
    }

    #[test]
    fn spans_end_at_newlines_or_64_bytes_and_skip_cr_before_lf() {
        let spans = span_hashes(b"ab\ncd\n");
        assert_eq!(spans.iter().map(|span| span.1).sum::<u64>(), 6);
        assert_eq!(spans.len(), 2);
        assert_eq!(span_hashes(b"ab\r\ncd\r\n"), spans);
        let long = [b'x'; 130];
        let counts: Vec<u64> = span_hashes(&long).iter().map(|span| span.1).collect();
        // Two identical 64-byte chunks share a hash; the 2-byte tail is its own.
        assert_eq!(counts.iter().sum::<u64>(), 130);
        assert!(counts.contains(&128) && counts.contains(&2));
    }

    #[test]
    fn same_blob_same_path_is_left_out() {
        let body = "def f():\n    return 1\n";
        let pairs = pair_files(
            vec![file("a.py", body)],
            vec![file("a.py", body)],
            &read,
            RenameOptions::default(),
        );
        assert!(pairs.is_empty());
    }

    #[test]
    fn statuses_by_path() {
        let pairs = pair_files(
            vec![file("a.py", "x = 1\n"), file("gone.py", "y = 2\n")],
            vec![
                file("a.py", "x = 2\n"),
                file("new.py", "completely\ndifferent\n"),
            ],
            &read,
            RenameOptions::default(),
        );
        assert_eq!(
            summary(&pairs),
            vec![
                (FileStatus::Modified, Some("a.py"), Some("a.py")),
                (FileStatus::Deleted, Some("gone.py"), None),
                (FileStatus::Added, None, Some("new.py")),
            ]
        );
    }

    #[test]
    fn renames_exact_and_similar() {
        let long: String = (0..20).map(|i| format!("x{i} = {i}\n")).collect();
        let edited = long.replace("x3 = 3", "x3 = 33");
        let pairs = pair_files(
            vec![file("old/same.py", "a = 1\n"), file("old/long.py", &long)],
            vec![file("new/same.py", "a = 1\n"), file("new/long.py", &edited)],
            &read,
            RenameOptions::default(),
        );
        assert_eq!(
            summary(&pairs),
            vec![
                (
                    FileStatus::Renamed,
                    Some("old/long.py"),
                    Some("new/long.py")
                ),
                (
                    FileStatus::Renamed,
                    Some("old/same.py"),
                    Some("new/same.py")
                ),
            ]
        );
    }
}

//! A change judged end to end, shared by `diff` and `check --staged`: both
//! versions of every changed file analysed (the base first, as each
//! target's baseline), joined unit by unit, and the violations of the
//! target classified new, worsened or existing.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use super::files::{pair_files, FilePair, RenameOptions};
use super::policy::classify;
use super::{compare, Comparison, FileStatus};
use crate::config::Settings;
use crate::engine::Run;
use crate::gate::suppress::{reclassify, set_aside, Suppressed};
use crate::gate::{evaluate, Violation};
use crate::model::{Baseline, FileResult};
use crate::source::pathspec::Pathspecs;
use crate::source::{Origin, Reader, SourceFile};

/// Every version's source text, read once (rename detection, baselines
/// and unit pairing all need it); `None` when unreadable or not UTF-8.
pub struct Texts<'a> {
    reader: &'a Reader<'a>,
    known: RefCell<HashMap<Origin, Option<String>>>,
}

impl<'a> Texts<'a> {
    pub fn new(reader: &'a Reader<'a>) -> Self {
        Texts {
            reader,
            known: RefCell::default(),
        }
    }

    /// The text of `file` (a leading UTF-8 byte order mark dropped).
    pub fn get(&self, file: &SourceFile) -> Option<String> {
        if let Some(known) = self.known.borrow().get(&file.origin) {
            return known.clone();
        }
        let read = self.reader.read(file).ok().and_then(|bytes| {
            let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
            String::from_utf8(bytes.to_vec()).ok()
        });
        self.known
            .borrow_mut()
            .insert(file.origin.clone(), read.clone());
        read
    }
}

/// Runs the engine on files with their baselines (the caller's cache and
/// thread settings, and its reporting of cache trouble).
pub type Analyze<'f> = dyn FnMut(&[SourceFile], &[Option<Baseline>]) -> Result<Run, String> + 'f;

/// A judged change: the comparison, its classified violations (those
/// inline markers exempt set aside, classified alike), and the engine's
/// accounting over both versions.
#[derive(Debug)]
pub struct Judged {
    pub comparison: Comparison,
    pub violations: Vec<Violation>,
    pub suppressed: Vec<Suppressed>,
    pub cache_hits: usize,
    pub cache_misses: usize,
    pub units_scored: usize,
}

impl Judged {
    /// The files whose target version exists (not deleted).
    pub fn targets(&self) -> impl Iterator<Item = &FileResult> {
        self.comparison
            .results
            .iter()
            .zip(&self.comparison.changes)
            .filter(|(_, change)| change.status != FileStatus::Deleted)
            .map(|(result, _)| result)
    }
}

/// Analyses and judges `pairs` (from [`super::files::pair_files`]; a pair
/// with [`FileStatus::Unchanged`] is judged whole, as `check` would).
/// Violations that inline markers cover are set aside unless
/// `suppressions` is false (`--no-suppressions`).
pub fn judge(
    pairs: &[FilePair],
    analyze: &mut Analyze<'_>,
    texts: &Texts<'_>,
    settings: &Settings,
    suppressions: bool,
) -> Result<Judged, String> {
    let old_files: Vec<SourceFile> = pairs.iter().filter_map(|p| p.old.clone()).collect();
    let old_run = analyze(&old_files, &[])?;
    let mut old_analysed = old_run.results.into_iter();
    let old: Vec<Option<FileResult>> = pairs
        .iter()
        .map(|pair| pair.old.as_ref().and_then(|_| old_analysed.next()))
        .collect();
    let (new_files, baselines): (Vec<SourceFile>, Vec<Option<Baseline>>) = pairs
        .iter()
        .zip(&old)
        .filter_map(|(pair, before)| {
            let new = pair.new.clone()?;
            Some((new, baseline(pair.old.as_ref(), before.as_ref(), texts)))
        })
        .unzip();
    let new_run = analyze(&new_files, &baselines)?;
    let mut new_analysed = new_run.results.into_iter();
    let new = pairs
        .iter()
        .map(|pair| pair.new.as_ref().and_then(|_| new_analysed.next()))
        .collect();
    let comparison = compare(pairs, old, new, &|file| texts.get(file));
    let mut judged = Judged {
        comparison,
        violations: Vec::new(),
        suppressed: Vec::new(),
        cache_hits: old_run.cache_hits + new_run.cache_hits,
        cache_misses: old_run.cache_misses + new_run.cache_misses,
        units_scored: old_run.units_scored + new_run.units_scored,
    };
    let found = evaluate(judged.targets(), settings);
    let (standing, suppressed) = if suppressions {
        set_aside(found, judged.targets())
    } else {
        (found, Vec::new())
    };
    let comparison = &judged.comparison;
    let policy = |violations| {
        classify(
            violations,
            &comparison.results,
            &comparison.changes,
            &comparison.base,
            &settings.gate,
        )
    };
    let violations = policy(standing);
    let suppressed = reclassify(suppressed, policy);
    judged.violations = violations;
    judged.suppressed = suppressed;
    Ok(judged)
}

/// A base version's text and functions, when it was analysed.
fn baseline(
    file: Option<&SourceFile>,
    result: Option<&FileResult>,
    texts: &Texts<'_>,
) -> Option<Baseline> {
    let functions = result?.outcome.as_ref().ok()?.functions.clone();
    Some(Baseline {
        source: texts.get(file?)?,
        functions,
    })
}

/// A commit in preparation as `check --staged` judges it: the staged files
/// (`files`) paired with HEAD's versions (`head`, which holds HEAD's
/// deleted files too, so renames are found), deletions outside the
/// pathspecs left out, plus each staged file the commit does not change
/// (named for an audit) as a [`FileStatus::Unchanged`] pair, judged whole.
/// Empty when the commit changes none of the files. Renames are found as
/// `renames` says (the repository's `diff.renames` and `diff.renameLimit`).
pub fn commit_pairs(
    files: Vec<SourceFile>,
    head: Vec<SourceFile>,
    pathspecs: &mut Pathspecs,
    texts: &Texts<'_>,
    renames: RenameOptions,
) -> Vec<FilePair> {
    let mut pairs = pair_files(head, files.clone(), &|file| texts.get(file), renames);
    pairs.retain(|pair| {
        pair.status != FileStatus::Deleted
            || pair
                .old
                .as_ref()
                .is_some_and(|old| pathspecs.matches(old.display.as_bytes()))
    });
    if pairs.is_empty() {
        return pairs;
    }
    let changed: HashSet<String> = pairs
        .iter()
        .filter_map(|pair| Some(pair.new.as_ref()?.display.clone()))
        .collect();
    pairs.extend(
        files
            .into_iter()
            .filter(|file| !changed.contains(&file.display))
            .map(|file| FilePair {
                status: FileStatus::Unchanged,
                old: None,
                new: Some(file),
            }),
    );
    pairs.sort_by(|a, b| {
        let key = |pair: &FilePair| {
            pair.new
                .as_ref()
                .or(pair.old.as_ref())
                .map(|file| file.display.clone())
        };
        key(a).cmp(&key(b))
    });
    pairs
}

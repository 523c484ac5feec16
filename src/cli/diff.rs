//! `antipasta diff [REV [REV]] [--staged] [-- PATHS…]`: judges what changed.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::options::AnalysisOptions;
use super::Outcome;
use crate::cache::Cache;
use crate::config::Settings;
use crate::diff::files::{pair_files, FilePair, RenameOptions};
use crate::diff::policy::{classify, FailOn};
use crate::diff::{compare, FileStatus};
use crate::gate::evaluate;
use crate::model::{Baseline, FileResult};
use crate::report::{render, Report, Summary};
use crate::source::git::GitSource;
use crate::source::snapshot::{listings, Snapshot};
use crate::source::{Origin, Reader, SourceFile};

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// What to compare, as with git diff: nothing (HEAD vs worktree), REV
    /// (REV vs worktree), REV1 REV2, REV1..REV2, or REV1...REV2 (from their
    /// merge base: what a branch changed).
    #[arg(value_name = "REV", num_args = 0..=2)]
    pub revisions: Vec<String>,
    /// Compare REV (default HEAD) with the staged content instead of the worktree.
    #[arg(long, visible_alias = "cached")]
    pub staged: bool,
    /// Which violations fail the run: in new functions only, also in
    /// functions that got worse, or any in a changed function.
    #[arg(long, value_enum, default_value_t = FailOn::Worsened)]
    pub fail_on: FailOn,
    /// Detect renames whose similarity is at least N (git's score; `50%`
    /// by default, digits alone read as a fraction: `-M9` is 90 %).
    #[arg(
        short = 'M',
        long = "find-renames",
        value_name = "N",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "50%"
    )]
    pub find_renames: Option<String>,
    /// Never pair a deleted and an added file as a rename.
    #[arg(long, conflicts_with = "find_renames")]
    pub no_renames: bool,
    /// Only these files or directories (after `--`): git pathspecs, with
    /// globs and magic such as `:(exclude)`.
    #[arg(last = true, value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub options: AnalysisOptions,
}

/// Rewrites git's attached `-M<score>` (`-M90%`, `-M5`) as
/// `--find-renames=<score>`, which clap reads without taking the next
/// argument (`-M HEAD~1` keeps HEAD~1 a revision). Arguments after `--`
/// are left alone.
pub fn attached_rename_scores(
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    let mut after_separator = false;
    args.into_iter()
        .map(|arg| {
            if arg == "--" {
                after_separator = true;
            }
            let score = arg
                .to_str()
                .and_then(|text| text.strip_prefix("-M"))
                .filter(|score| {
                    !score.is_empty() && score.starts_with(|c: char| c.is_ascii_digit())
                });
            match score {
                Some(score) if !after_separator => format!("--find-renames={score}").into(),
                _ => arg,
            }
        })
        .collect()
}

impl DiffArgs {
    /// The rename detection the flags ask for, else the repository's
    /// `diff.renames` and `diff.renameLimit`, else git's defaults.
    fn renames(&self, git: &GitSource) -> Result<RenameOptions, String> {
        let defaults = RenameOptions::default();
        let (configured, limit) = git.rename_config();
        let min_score = match &self.find_renames {
            Some(score) => RenameOptions::parse_score(score)?,
            None => defaults.min_score,
        };
        Ok(RenameOptions {
            enabled: !self.no_renames && (configured || self.find_renames.is_some()),
            min_score,
            limit: limit.unwrap_or(defaults.limit),
        })
    }
}

pub fn run(args: &DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let options = &args.options;
    let settings = options.settings(&cwd)?;
    let git = GitSource::discover(&cwd).map_err(|e| format!("diff needs a git repository: {e}"))?;
    let (base, target) = snapshots(args, &git)?;
    let paths: Vec<&std::ffi::OsStr> = args.paths.iter().map(|path| path.as_os_str()).collect();
    let mut pathspecs = git.pathspecs(&paths, &cwd).map_err(|e| e.to_string())?;
    let (base_files, target_files) = listings(base, target, &git, &settings)?;
    if !pathspecs.is_empty() {
        // As `check --staged`: a pathspec that names nothing git knows is
        // a mistake (a typo, a glob matching nothing), never a silent pass.
        let index_paths = git.index_paths().map_err(|e| e.to_string())?;
        let known = base_files
            .iter()
            .chain(&target_files)
            .map(|file| file.display.as_bytes())
            .chain(index_paths.iter().map(Vec::as_slice));
        if !pathspecs.unmatched(known).is_empty() {
            // The listings may hold the changed files only: ask both whole sides.
            let all_base = base.files(&git, &settings)?;
            let all_target = target.files(&git, &settings)?;
            let known = all_base
                .iter()
                .chain(&all_target)
                .map(|file| file.display.as_bytes())
                .chain(index_paths.iter().map(Vec::as_slice));
            if let Some(spec) = pathspecs.unmatched(known).first() {
                return Err(format!(
                    "pathspec '{spec}' did not match any file known to git"
                ));
            }
        }
    }
    let mut list = |mut files: Vec<SourceFile>| -> Vec<SourceFile> {
        files.retain(|file| pathspecs.matches(file.display.as_bytes()));
        files
    };
    let (base_files, target_files) = (list(base_files), list(target_files));
    let reader = Reader::git(&git, settings.max_file_size);
    // Rename detection, baselines and unit pairing all need file texts:
    // each is read once.
    let texts: RefCell<HashMap<Origin, Option<String>>> = RefCell::default();
    let text = |file: &SourceFile| -> Option<String> {
        if let Some(known) = texts.borrow().get(&file.origin) {
            return known.clone();
        }
        let read = reader.read(file).ok().and_then(|bytes| {
            let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
            String::from_utf8(bytes.to_vec()).ok()
        });
        texts.borrow_mut().insert(file.origin.clone(), read.clone());
        read
    };
    let mut pairs = pair_files(base_files, target_files, &text, args.renames(&git)?);
    // `.gitattributes` exclusions (linguist-vendored, -antipasta), looked
    // up for the changed files only.
    git.retain_attributed(&mut pairs, FilePair::path)
        .map_err(|e| e.to_string())?;
    // `MERGE^!` is git's combined diff: only files that differ from every parent.
    for parent in other_merge_parents(args, &git)? {
        let blobs: HashMap<String, _> = parent
            .files(&git, &settings)?
            .into_iter()
            .map(|file| (file.display, file.blob))
            .collect();
        pairs.retain(|pair| {
            let side = pair.new.as_ref().or(pair.old.as_ref());
            side.is_none_or(|file| {
                blobs.get(&file.display) != Some(&pair.new.as_ref().and_then(|new| new.blob))
            })
        });
    }

    let cache = options.open_cache(&settings, Some(&git), err);
    let analysed = analyse_pairs(
        &pairs,
        options,
        &reader,
        cache.as_ref(),
        &settings,
        &text,
        err,
    )?;
    let comparison = compare(&pairs, analysed.old, analysed.new, &text);

    let targets = || {
        comparison
            .results
            .iter()
            .zip(&comparison.changes)
            .filter(|(_, change)| change.status != FileStatus::Deleted)
            .map(|(result, _)| result)
    };
    let violations = classify(
        evaluate(targets(), &settings),
        &comparison.results,
        &comparison.changes,
        &comparison.base,
    );
    let summary = Summary::of(targets(), &violations).with_run(
        analysed.cache_hits,
        analysed.cache_misses,
        analysed.units_scored,
    );
    let summary = Summary {
        files: comparison.results.len(),
        ..summary
    };
    options.print_counts(&summary, err);
    let report = Report {
        results: &comparison.results,
        changes: Some(&comparison.changes),
        violations: &violations,
        summary,
        fail_on: Some(args.fail_on),
        root: git.workdir(),
    };
    let failing = violations.iter().any(|v| report.fails(v));
    let rendered = render(&report, options.format, options.quiet);
    out.write_all(rendered.as_bytes())
        .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(if failing || summary.errors > 0 {
        Outcome::Failed
    } else {
        Outcome::Clean
    })
}

/// Both versions of every changed file, analysed, parallel to the pairs.
struct Analysed {
    old: Vec<Option<FileResult>>,
    new: Vec<Option<FileResult>>,
    cache_hits: usize,
    cache_misses: usize,
    units_scored: usize,
}

/// Analyses the base versions first, then the target versions with each
/// base as its baseline: functions unchanged since the base keep their
/// numbers instead of being scored again.
fn analyse_pairs(
    pairs: &[FilePair],
    options: &AnalysisOptions,
    reader: &Reader<'_>,
    cache: Option<&Cache>,
    settings: &Settings,
    text: &dyn Fn(&SourceFile) -> Option<String>,
    err: &mut dyn Write,
) -> Result<Analysed, String> {
    let old_files: Vec<SourceFile> = pairs.iter().filter_map(|p| p.old.clone()).collect();
    let old_run = options.analyze(&old_files, &[], reader, cache, settings, err)?;
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
            Some((new, baseline(pair.old.as_ref(), before.as_ref(), text)))
        })
        .unzip();
    let new_run = options.analyze(&new_files, &baselines, reader, cache, settings, err)?;
    let mut new_analysed = new_run.results.into_iter();
    let new = pairs
        .iter()
        .map(|pair| pair.new.as_ref().and_then(|_| new_analysed.next()))
        .collect();
    Ok(Analysed {
        old,
        new,
        cache_hits: old_run.cache_hits + new_run.cache_hits,
        cache_misses: old_run.cache_misses + new_run.cache_misses,
        units_scored: old_run.units_scored + new_run.units_scored,
    })
}

/// A base version's text and functions, when it was analysed.
fn baseline(
    file: Option<&SourceFile>,
    result: Option<&FileResult>,
    text: &dyn Fn(&SourceFile) -> Option<String>,
) -> Option<Baseline> {
    let functions = result?.outcome.as_ref().ok()?.functions.clone();
    Some(Baseline {
        source: text(file?)?,
        functions,
    })
}

/// The base and target versions the revision arguments name.
fn snapshots(args: &DiffArgs, git: &GitSource) -> Result<(Snapshot, Snapshot), String> {
    let commit = |spec: &str| -> Result<Snapshot, String> {
        if spec == "HEAD" && git.head_is_unborn() {
            return Ok(Snapshot::Empty);
        }
        git.resolve_commit(spec)
            .map(Snapshot::Commit)
            .map_err(|e| e.to_string())
    };
    let or_head = |spec: &str| if spec.is_empty() { "HEAD" } else { spec }.to_owned();
    let target_side = if args.staged {
        Snapshot::Index
    } else {
        Snapshot::Worktree
    };
    match args.revisions.as_slice() {
        [] => Ok((commit("HEAD")?, target_side)),
        [range] if range.contains("...") => {
            let (one, two) = range.split_once("...").unwrap_or_default();
            let (one, two) = (or_head(one), or_head(two));
            let one_id = git.resolve_commit(&one).map_err(|e| e.to_string())?;
            let two_id = git.resolve_commit(&two).map_err(|e| e.to_string())?;
            let base = git
                .merge_base((&one, one_id), (&two, two_id))
                .map_err(|e| e.to_string())?;
            Ok((Snapshot::Commit(base), Snapshot::Commit(two_id)))
        }
        [range] if range.contains("..") => {
            let (one, two) = range.split_once("..").unwrap_or_default();
            Ok((commit(&or_head(one))?, commit(&or_head(two))?))
        }
        [rev] if parent_form(rev).is_some() => {
            let (spec, form) = parent_form(rev).unwrap_or((rev, ParentForm::ExcludeParents));
            let id = git.resolve_commit(spec).map_err(|e| e.to_string())?;
            let parents = git.parents(id).map_err(|e| e.to_string())?;
            let parent = |n: usize| {
                parents
                    .get(n - 1)
                    .map(|id| Snapshot::Commit(*id))
                    .ok_or_else(|| format!("unknown revision '{rev}': {spec} has no parent {n}"))
            };
            match form {
                // A root commit against nothing, as `git show` does.
                ParentForm::ExcludeParents if parents.is_empty() => {
                    Ok((Snapshot::Empty, Snapshot::Commit(id)))
                }
                ParentForm::ExcludeParents => Ok((parent(1)?, Snapshot::Commit(id))),
                ParentForm::Parent(n) => Ok((parent(n)?, Snapshot::Commit(id))),
                // `git diff REV^@`: the parents alone name what to compare.
                ParentForm::Parents => match parents.as_slice() {
                    [] => Err(format!("unknown revision '{rev}': {spec} has no parent")),
                    [only] => Ok((Snapshot::Commit(*only), target_side)),
                    [first, second, ..] => {
                        Ok((Snapshot::Commit(*first), Snapshot::Commit(*second)))
                    }
                },
            }
        }
        [rev] => Ok((commit(rev)?, target_side)),
        [one, two] if !args.staged => Ok((commit(one)?, commit(two)?)),
        _ => Err("--staged compares one revision with the index; give at most one".to_owned()),
    }
}

/// For `MERGE^!`, the parents of the merge after its first (the first is
/// the base of the comparison); nothing for any other revision form.
fn other_merge_parents(args: &DiffArgs, git: &GitSource) -> Result<Vec<Snapshot>, String> {
    let [rev] = args.revisions.as_slice() else {
        return Ok(Vec::new());
    };
    let Some((spec, ParentForm::ExcludeParents)) = parent_form(rev) else {
        return Ok(Vec::new());
    };
    let id = git.resolve_commit(spec).map_err(|e| e.to_string())?;
    let parents = git.parents(id).map_err(|e| e.to_string())?;
    Ok(parents.into_iter().skip(1).map(Snapshot::Commit).collect())
}

/// The parent shorthands of git's revision syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ParentForm {
    /// `REV^!`: REV against its first parent.
    ExcludeParents,
    /// `REV^@`: REV's parents.
    Parents,
    /// `REV^-N` (`REV^-` is N = 1): REV against its N-th parent.
    Parent(usize),
}

/// The revision and the form of `REV^!`, `REV^@`, `REV^-` and `REV^-N`.
fn parent_form(spec: &str) -> Option<(&str, ParentForm)> {
    if let Some(rev) = spec.strip_suffix("^!") {
        return Some((rev, ParentForm::ExcludeParents));
    }
    if let Some(rev) = spec.strip_suffix("^@") {
        return Some((rev, ParentForm::Parents));
    }
    let (rev, n) = spec.rsplit_once("^-")?;
    let n = if n.is_empty() { 1 } else { n.parse().ok()? };
    (n > 0).then_some((rev, ParentForm::Parent(n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_shorthands() {
        assert_eq!(
            parent_form("HEAD^!"),
            Some(("HEAD", ParentForm::ExcludeParents))
        );
        assert_eq!(parent_form("main^@"), Some(("main", ParentForm::Parents)));
        assert_eq!(parent_form("HEAD^-"), Some(("HEAD", ParentForm::Parent(1))));
        assert_eq!(parent_form("v1^-2"), Some(("v1", ParentForm::Parent(2))));
        assert_eq!(parent_form("HEAD~2"), None);
        assert_eq!(parent_form("a^-x"), None);
    }
}

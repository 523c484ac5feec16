//! `antipasta diff [REV [REV]] [--staged] [-- PATHS…]`: judges what changed.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::options::{AnalysisOptions, FailOnArg};
use super::{relative_dir, Outcome, Output};
use crate::cache::Cache;
use crate::config::Settings;
use crate::diff::files::{pair_files, FilePair, RenameOptions};
use crate::diff::judge::{judge, Judged, Texts};
use crate::diff::policy::FailOn;
use crate::diff::{FileChange, FileStatus, UnitStatus};
use crate::model::Baseline;
use crate::report::{write, Report, Summary};
use crate::source::git::GitSource;
use crate::source::snapshot::{listings, Snapshot};
use crate::source::{Reader, SourceFile};

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
    #[arg(long, value_enum, default_value_t = FailOnArg::Worsened)]
    pub fail_on: FailOnArg,
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
    let settings = options.settings(&cwd, err)?;
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
    let texts = Texts::new(&reader);
    let mut pairs = pair_files(
        base_files,
        target_files,
        &|file| texts.get(file),
        args.renames(&git)?,
    );
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
    let judged = judge_pairs(
        &pairs,
        options,
        &reader,
        cache.as_ref(),
        &settings,
        &texts,
        err,
    )?;
    report_change(
        &judged,
        args.fail_on.into(),
        git.workdir(),
        options,
        out,
        err,
    )
}

/// [`judge`] with the engine run as `options` configure it.
pub(super) fn judge_pairs(
    pairs: &[FilePair],
    options: &AnalysisOptions,
    reader: &Reader<'_>,
    cache: Option<&Cache>,
    settings: &Settings,
    texts: &Texts<'_>,
    err: &mut dyn Write,
) -> Result<Judged, String> {
    let mut analyze = |files: &[SourceFile], baselines: &[Option<Baseline>]| {
        options.analyze(files, baselines, reader, cache, settings, err)
    };
    judge(
        pairs,
        &mut analyze,
        texts,
        settings,
        !options.no_suppressions,
    )
}

/// Renders a judged change and maps it to an exit code: failed when a
/// violation fails under `fail_on`, a file could not be analysed, or (under
/// `--fail-on any`) a marker hides nothing. `root` is what the paths are
/// relative to.
pub(super) fn report_change(
    judged: &Judged,
    fail_on: FailOn,
    root: Option<&Path>,
    options: &AnalysisOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, String> {
    let changes = &judged.comparison.changes;
    let unused = options.unused_suppressions(
        &judged.comparison.results,
        &judged.suppressed,
        |file, unit| changed(&changes[file], unit),
    );
    let unused_count = unused.as_ref().map_or(0, Vec::len);
    let summary = Summary::of(judged.targets(), &judged.violations)
        .with_run(judged.cache_hits, judged.cache_misses, judged.units_scored)
        .with_suppressions(judged.suppressed.len(), unused_count);
    let summary = Summary {
        files: judged.comparison.results.len(),
        ..summary
    };
    options.print_counts(&summary, err);
    // Text output shows paths relative to the current directory.
    let cwd = std::env::current_dir()
        .ok()
        .zip(root)
        .and_then(|(cwd, root)| relative_dir(&cwd, root));
    let report = Report {
        results: &judged.comparison.results,
        changes: Some(&judged.comparison.changes),
        violations: &judged.violations,
        summary,
        fail_on: Some(fail_on),
        root,
        suppressed: &judged.suppressed,
        unused_suppressions: unused.as_deref(),
        show_suppressed: options.verbose,
        cwd: cwd.as_deref(),
    };
    // Unused markers are warnings, except under `--fail-on any`.
    let failing = judged.violations.iter().any(|v| report.fails(v))
        || (unused_count > 0 && fail_on == FailOn::Any);
    let mut output = Output::new(out);
    output.write(|out| write(&report, options.format.into(), options.quiet, out));
    output.finish()?;
    Ok(if failing || summary.errors > 0 {
        Outcome::Failed
    } else {
        Outcome::Clean
    })
}

/// Whether a file's markers count in diff mode: an added or modified
/// function's (`unit`), or the file's own and stray ones (`None`), in a
/// file that was not deleted.
fn changed(change: &FileChange, unit: Option<usize>) -> bool {
    if change.status == FileStatus::Deleted {
        return false;
    }
    match unit {
        None => true,
        Some(index) => change
            .functions
            .get(index)
            .is_some_and(|unit| matches!(unit.status, UnitStatus::Added | UnitStatus::Modified)),
    }
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

//! `antipasta diff [REV [REV]] [--staged] [-- PATHS…]`: judges what changed.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::options::{pathspecs, AnalysisOptions, FailOnArg};
use super::{relative_dir, Outcome, Output};
use crate::cache::Cache;
use crate::config::Settings;
use crate::diff::files::{pair_files, FilePair};
use crate::diff::judge::{judge, Judged, Texts};
use crate::diff::policy::FailOn;
use crate::diff::{FileChange, FileStatus, UnitStatus};
use crate::model::Baseline;
use crate::report::{write, Report, Summary};
use crate::source::git::{matches_pathspec, GitSource};
use crate::source::snapshot::Snapshot;
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
    /// Only these files or directories (after `--`).
    #[arg(last = true, value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub options: AnalysisOptions,
}

pub fn run(args: &DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let options = &args.options;
    let settings = options.settings(&cwd, err)?;
    let git = GitSource::discover(&cwd).map_err(|e| format!("diff needs a git repository: {e}"))?;
    let (base, target) = snapshots(args, &git)?;
    let pathspecs = pathspecs(&args.paths, &cwd, &git);
    let list = |snapshot: Snapshot| -> Result<Vec<SourceFile>, String> {
        let mut files = snapshot.files(&git, &settings)?;
        files.retain(|file| matches_pathspec(&file.display, &pathspecs));
        Ok(files)
    };
    let reader = Reader::git(&git, settings.max_file_size);
    let texts = Texts::new(&reader);
    let pairs = pair_files(list(base)?, list(target)?, &|file| texts.get(file));
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
        [rev] => Ok((commit(rev)?, target_side)),
        [one, two] if !args.staged => Ok((commit(one)?, commit(two)?)),
        _ => Err("--staged compares one revision with the index; give at most one".to_owned()),
    }
}

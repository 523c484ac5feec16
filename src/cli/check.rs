//! `antipasta check [PATHS…]`, and with `--staged` the commit gate.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use clap::Args;

use super::diff::{judge_pairs, report_change};
use super::options::{AnalysisOptions, FailOnArg, Setup};
use super::progress::Progress;
use super::{relative_dir, Outcome, Output};
use crate::config::Settings;
use crate::diff::files::RenameOptions;
use crate::diff::judge::{commit_pairs, Texts};
use crate::diff::policy::FailOn;
use crate::gate::evaluate;
use crate::report::escape::visible;
use crate::report::{Format, Report, Streamed, Summary};
use crate::source::git::{GitFile, GitSource};
use crate::source::pathspec::Pathspecs;
use crate::source::walk::{collect, repository_root};
use crate::source::{Reader, SourceFile};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to analyse (default: the current directory;
    /// with --staged, git pathspecs, default: the whole repository).
    pub paths: Vec<PathBuf>,
    /// Judge the staged content (read from the git index, never the
    /// worktree) of added and modified files, limited to PATHS, against
    /// HEAD: function by function, as `diff --staged` does. Files named
    /// in PATHS that the commit does not change are judged whole.
    #[arg(long)]
    pub staged: bool,
    /// With --staged: which violations fail: in new functions only, also
    /// in functions the commit makes worse (the default), or `any`: every
    /// violation of the staged files, judged whole.
    #[arg(long, value_enum, value_name = "LEVEL", requires = "staged")]
    pub fail_on: Option<FailOnArg>,
    #[command(flatten)]
    pub options: AnalysisOptions,
}

pub fn run(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let options = &args.options;
    let settings = options.settings(&cwd, err)?;
    // One repository handle for the source, the clean-file ids and the cache location.
    let git = GitSource::discover(&cwd);
    if let (true, Err(e)) = (args.staged, &git) {
        return Err(format!("--staged needs a git repository: {e}"));
    }
    let cache = options.open_cache(&settings, git.as_ref().ok(), err);
    // Directories the walk could not list: errors for the run (exit 1).
    let mut unreadable = 0;
    let (files, reader) = if let (true, Ok(git)) = (args.staged, &git) {
        let mut staged = staged_files(git, args, &cwd, &settings, err)?;
        let fail_on = args.fail_on.map_or(FailOn::Worsened, FailOn::from);
        let reader = Reader::git(git, settings.max_file_size);
        let texts = Texts::new(&reader);
        let pairs = if fail_on == FailOn::Any {
            Vec::new()
        } else {
            // The repository's diff.renames and diff.renameLimit, as `diff` reads them.
            let (enabled, limit) = git.rename_config();
            let defaults = RenameOptions::default();
            let renames = RenameOptions {
                enabled,
                limit: limit.unwrap_or(defaults.limit),
                ..defaults
            };
            commit_pairs(
                staged.files.clone(),
                staged.head,
                &mut staged.pathspecs,
                &texts,
                renames,
            )
        };
        if !pairs.is_empty() {
            let judged = judge_pairs(
                &pairs,
                options,
                &reader,
                cache.as_ref(),
                &settings,
                &texts,
                err,
            )?;
            return report_change(&judged, fail_on, git.workdir(), options, out, err);
        }
        // Nothing the commit changes (or `--fail-on any`): the named files, whole.
        (staged.files, reader)
    } else {
        let base = repository_root(&cwd).unwrap_or_else(|| cwd.clone());
        let here = [PathBuf::from(".")];
        let paths = if args.paths.is_empty() {
            &here[..]
        } else {
            &args.paths
        };
        let mut listing = collect(paths, &cwd, &base, &settings).map_err(|e| e.to_string())?;
        // Index ids only pay off as cache keys.
        if let (Some(_), Ok(git)) = (&cache, &git) {
            attach_clean_blob_ids(&mut listing.files, git, &base);
        }
        for warning in &listing.warnings {
            let _ = writeln!(err, "antipasta: warning: {}", visible(&warning.to_string()));
        }
        for error in &listing.unreadable {
            let _ = writeln!(err, "antipasta: error: {}", visible(&error.to_string()));
        }
        unreadable = listing.unreadable.len();
        (listing.files, Reader::filesystem(settings.max_file_size))
    };
    // What the paths are relative to (as `collect` and the index have them).
    let root = repository_root(&cwd).unwrap_or_else(|| cwd.clone());
    let here = relative_dir(&cwd, &root);
    let mut output = Output::new(out);
    let format: Format = options.format.into();
    let mut streamed = Streamed::new(format, options.quiet);
    let mut violations = Vec::new();
    let mut suppressed = Vec::new();
    // Whether a file seen so far fails the run.
    let mut failing = unreadable > 0;
    let mut progress = Progress::new(files.len(), format == Format::Text);
    let setup = Setup {
        reader: &reader,
        cache: cache.as_ref(),
        settings: &settings,
    };
    // Each file is judged and written as soon as it and those before it are done.
    let run = options.analyze_streaming(&files, &[], &setup, err, |result| {
        let file = std::slice::from_ref(result);
        let (file_violations, file_suppressed) = options.set_aside(evaluate(file, &settings), file);
        if streamed.per_file() {
            let report = Report {
                results: file,
                changes: None,
                violations: &file_violations,
                summary: Summary::of(file, &file_violations),
                fail_on: None,
                root: Some(&root),
                suppressed: &file_suppressed,
                unused_suppressions: None,
                show_suppressed: false,
                cwd: here.as_deref(),
            };
            progress.suspend(|| output.write(|out| streamed.file(&report, out)));
        }
        progress.advance();
        failing |=
            !file_violations.is_empty() || result.outcome.as_ref().is_err_and(|e| e.is_failure());
        violations.extend(file_violations);
        suppressed.extend(file_suppressed);
        // Nobody reads the rest, and it cannot change the exit code (1): stop.
        if output.closed() && failing {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })?;
    progress.finish();
    let results = run.results;
    let unused = options.unused_suppressions(&results, &suppressed, |_, _| true);
    let unused_count = unused.as_ref().map_or(0, Vec::len);
    let summary = Summary::of(&results, &violations)
        .with_run(run.cache_hits, run.cache_misses, run.units_scored)
        .with_suppressions(suppressed.len(), unused_count);
    let summary = Summary {
        errors: summary.errors + unreadable,
        ..summary
    };
    options.print_counts(&summary, err);
    let report = Report {
        results: &results,
        changes: None,
        violations: &violations,
        summary,
        fail_on: None,
        root: Some(&root),
        suppressed: &suppressed,
        unused_suppressions: unused.as_deref(),
        show_suppressed: options.verbose,
        cwd: here.as_deref(),
    };
    output.write(|out| streamed.finish(&report, out));
    output.finish()?;
    // An unused marker fails `check`, as ruff's RUF100 does.
    Ok(
        if summary.violations > 0 || summary.errors > 0 || unused_count > 0 {
            Outcome::Failed
        } else {
            Outcome::Clean
        },
    )
}

/// The staged side and the HEAD side of a commit in preparation.
struct StagedChange {
    /// The staged files under the requested paths.
    files: Vec<SourceFile>,
    /// HEAD's version of those files, and HEAD's files the index deletes.
    head: Vec<SourceFile>,
    pathspecs: Pathspecs,
}

/// The staged files under the requested paths and their HEAD versions,
/// minus config ignores (which apply here even to named paths: pre-commit
/// names every file).
fn staged_files(
    git: &GitSource,
    args: &CheckArgs,
    cwd: &Path,
    settings: &Settings,
    err: &mut dyn Write,
) -> Result<StagedChange, String> {
    if git.workdir().is_none() {
        return Err("--staged needs a repository with a worktree".to_owned());
    }
    let args: Vec<&std::ffi::OsStr> = args.paths.iter().map(|path| path.as_os_str()).collect();
    let mut pathspecs = git.pathspecs(&args, cwd).map_err(|e| e.to_string())?;
    let staged = git.staged(&mut pathspecs).map_err(|e| e.to_string())?;
    // A name git knows nothing of, and that is not on disk either, is a
    // mistake (a typo, a glob that matches nothing), never a silent pass.
    if let Some(spec) = staged
        .unmatched
        .iter()
        .find(|spec| !cwd.join(spec.as_str()).exists())
    {
        return Err(format!(
            "{spec}: No such file or directory (and not in the index)"
        ));
    }
    if !staged.unmerged.is_empty() {
        for path in &staged.unmerged {
            let _ = writeln!(
                err,
                "antipasta: error: {path}: unmerged (resolve the conflict and stage the result)"
            );
        }
        let count = staged.unmerged.len();
        let paths = if count == 1 { "path" } else { "paths" };
        return Err(format!("{count} unmerged {paths}"));
    }
    let source_files = |files: Vec<GitFile>| -> Vec<SourceFile> {
        files
            .into_iter()
            .filter(|file| !settings.ignore.is_match(&file.path))
            .map(SourceFile::from)
            .collect()
    };
    Ok(StagedChange {
        files: source_files(staged.files),
        head: source_files(staged.head),
        pathspecs,
    })
}

/// Gives tracked, unmodified worktree files the blob id the index already
/// holds, so a cache hit needs no read at all (what `git status` trusts).
fn attach_clean_blob_ids(files: &mut [SourceFile], git: &GitSource, base: &Path) {
    let same_root = git
        .workdir()
        .and_then(|w| w.canonicalize().ok())
        .is_some_and(|w| base.canonicalize().is_ok_and(|b| b == w));
    if !same_root {
        return;
    }
    let Ok(clean) = git.clean_blob_ids() else {
        return;
    };
    for file in files {
        file.blob = clean.get(&file.display).copied();
    }
}

//! `antipasta check [PATHS…]`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::options::AnalysisOptions;
use super::Outcome;
use crate::config::Settings;
use crate::gate::evaluate;
use crate::report::escape::visible;
use crate::report::{render, Report, Summary};
use crate::source::git::GitSource;
use crate::source::walk::{collect, repository_root};
use crate::source::{Origin, Reader, SourceFile};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to analyse (default: the current directory;
    /// with --staged, git pathspecs, default: the whole repository).
    pub paths: Vec<PathBuf>,
    /// Analyse the staged content of added and modified files (read from
    /// the git index, never the worktree), limited to PATHS.
    #[arg(long)]
    pub staged: bool,
    #[command(flatten)]
    pub options: AnalysisOptions,
}

pub fn run(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let options = &args.options;
    let settings = options.settings(&cwd)?;
    // One repository handle for the source, the clean-file ids and the cache location.
    let git = GitSource::discover(&cwd);
    if let (true, Err(e)) = (args.staged, &git) {
        return Err(format!("--staged needs a git repository: {e}"));
    }
    let cache = options.open_cache(&settings, git.as_ref().ok(), err);
    // Directories the walk could not list: errors for the run (exit 1).
    let mut unreadable = 0;
    let (files, reader) = if let (true, Ok(git)) = (args.staged, &git) {
        (
            staged_files(git, args, &cwd, &settings, err)?,
            Reader::git(git, settings.max_file_size),
        )
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
    let run = options.analyze(&files, &[], &reader, cache.as_ref(), &settings, err)?;
    let results = run.results;
    let violations = evaluate(&results, &settings);
    let summary = Summary::of(&results, &violations).with_run(
        run.cache_hits,
        run.cache_misses,
        run.units_scored,
    );
    let summary = Summary {
        errors: summary.errors + unreadable,
        ..summary
    };
    options.print_counts(&summary, err);
    // What the paths are relative to (as `collect` and the index have them).
    let root = repository_root(&cwd).unwrap_or_else(|| cwd.clone());
    let report = Report {
        results: &results,
        changes: None,
        violations: &violations,
        summary,
        fail_on: None,
        root: Some(&root),
    };
    let rendered = render(&report, options.format, options.quiet);
    out.write_all(rendered.as_bytes())
        .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(if summary.violations > 0 || summary.errors > 0 {
        Outcome::Failed
    } else {
        Outcome::Clean
    })
}

/// The staged files under the requested paths, minus config ignores
/// (which apply here even to named paths: pre-commit names every file).
fn staged_files(
    git: &GitSource,
    args: &CheckArgs,
    cwd: &Path,
    settings: &Settings,
    err: &mut dyn Write,
) -> Result<Vec<SourceFile>, String> {
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
        return Err(format!("{} unmerged path(s)", staged.unmerged.len()));
    }
    Ok(staged
        .files
        .into_iter()
        .filter(|file| !settings.ignore.is_match(&file.path))
        .map(|file| SourceFile {
            display: file.path,
            origin: Origin::Blob(file.blob),
            language: file.language,
            blob: Some(file.blob),
        })
        .collect())
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

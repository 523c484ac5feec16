//! `antipasta check [PATHS…]`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::Outcome;
use crate::cache::{resolve_dir as resolve_cache_dir, Cache};
use crate::config::metric::{is_valid_threshold, Metric};
use crate::config::{settings_for, Settings};
use crate::engine::analyze_files;
use crate::gate::evaluate;
use crate::report::{render, Format, Report, Summary};
use crate::source::git::GitSource;
use crate::source::walk::{collect, display_path, repository_root};
use crate::source::{Origin, Reader, SourceFile};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to analyse.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print violations only, no summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Use this configuration file instead of searching for one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Override a threshold: METRIC=VALUE (full name or cyc, cog, mai, vol, dif, eff).
    #[arg(short = 't', long = "threshold", value_name = "METRIC=VALUE", value_parser = parse_threshold)]
    pub thresholds: Vec<(Metric, f64)>,
    /// Analyse the staged content of added and modified files (read from
    /// the git index, never the worktree), limited to PATHS.
    #[arg(long)]
    pub staged: bool,
    /// Do not read or write the result cache (also: ANTIPASTA_NO_CACHE=1).
    #[arg(long)]
    pub no_cache: bool,
    /// Cache directory (also: ANTIPASTA_CACHE_DIR; default: inside the
    /// repository's git directory, else the user cache directory).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Report cache hits and misses on stderr.
    #[arg(short, long)]
    pub verbose: bool,
    /// Number of analysis threads (default: all cores).
    #[arg(short, long, value_name = "N", default_value_t = 0)]
    pub jobs: usize,
}

fn parse_threshold(text: &str) -> Result<(Metric, f64), String> {
    let (metric, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected METRIC=VALUE, got '{text}'"))?;
    let metric: Metric = metric.parse()?;
    let value: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("'{value}' is not a number"))?;
    if !is_valid_threshold(value) {
        return Err(format!(
            "threshold for {metric} must be a non-negative number"
        ));
    }
    Ok((metric, value))
}

pub fn run(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let mut settings: Settings =
        settings_for(args.config.as_deref(), &cwd).map_err(|e| e.to_string())?;
    for (metric, value) in &args.thresholds {
        settings.override_threshold(*metric, *value);
    }
    // One repository handle for the source, the clean-file ids and the cache location.
    let git = GitSource::discover(&cwd);
    if let (true, Err(e)) = (args.staged, &git) {
        return Err(format!("--staged needs a git repository: {e}"));
    }
    let cache = open_cache(args, &settings, git.as_ref().ok(), err);
    let (files, reader) = if let (true, Ok(git)) = (args.staged, &git) {
        (
            staged_files(git, args, &cwd, &settings, err)?,
            Reader::Git(git),
        )
    } else {
        let base = repository_root(&cwd).unwrap_or_else(|| cwd.clone());
        let (mut files, walk_errors) = collect(&args.paths, &cwd, &base, &settings);
        // Index ids only pay off as cache keys.
        if let (Some(_), Ok(git)) = (&cache, &git) {
            attach_clean_blob_ids(&mut files, git, &base);
        }
        for walk_error in &walk_errors {
            let _ = writeln!(err, "antipasta: warning: {walk_error}");
        }
        if !walk_errors.is_empty() && files.is_empty() {
            return Err("nothing to analyse".to_owned());
        }
        (files, Reader::Filesystem)
    };
    let run = analyze_files(&files, &reader, args.jobs, cache.as_ref())
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    if let Some(problem) = &run.cache_problem {
        let _ = writeln!(
            err,
            "antipasta: warning: cache disabled for this run: {problem}"
        );
    }
    if args.verbose {
        let _ = writeln!(
            err,
            "antipasta: cache: {} hits, {} misses",
            run.cache_hits, run.cache_misses
        );
    }
    if let (Some(cache), None) = (&cache, &run.cache_problem) {
        // Bookkeeping only: a failure here never changes the results.
        let _ = cache.record_run(run.cache_hits, run.cache_misses);
        let _ = cache.auto_prune(settings.cache.max_age_days, settings.cache.max_size_mb);
    }
    let results = run.results;
    let violations = evaluate(&results, &settings);
    let summary = Summary::of(&results, &violations).with_run(
        run.cache_hits,
        run.cache_misses,
        run.units_scored,
    );
    let report = Report {
        results: &results,
        changes: None,
        violations: &violations,
        summary,
    };
    let rendered = render(&report, args.format, args.quiet);
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
    let root = git
        .workdir()
        .ok_or("--staged needs a repository with a worktree")?;
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
    let pathspecs: Vec<String> = args
        .paths
        .iter()
        .map(|path| display_path(&normalize(&cwd.join(path)), &root))
        .collect();
    let staged = git.staged(&pathspecs).map_err(|e| e.to_string())?;
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

/// Removes `.` and `..` components without touching the filesystem.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
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

/// Opens the result cache unless disabled; a cache that cannot be opened
/// is reported once and the run goes on without it.
fn open_cache(
    args: &CheckArgs,
    settings: &Settings,
    git: Option<&GitSource>,
    err: &mut dyn Write,
) -> Option<Cache> {
    let disabled_by_env =
        std::env::var_os("ANTIPASTA_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0");
    if args.no_cache || disabled_by_env || !settings.cache.enabled {
        return None;
    }
    let dir = resolve_cache_dir(
        args.cache_dir.as_deref(),
        settings.cache.dir.as_deref(),
        git.map(GitSource::common_dir),
    )?;
    match Cache::open(&dir) {
        Ok(cache) => Some(cache),
        Err(problem) => {
            let _ = writeln!(err, "antipasta: warning: running without cache: {problem}");
            None
        }
    }
}

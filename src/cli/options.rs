//! Flags shared by the analysing commands (`check`, `diff`) and what they
//! set up: settings, the cache, and a cache-aware engine run.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::selection::SelectionOptions;
use crate::cache::{
    prepare_dir as prepare_cache_dir, resolve_dir as resolve_cache_dir, Cache, Notice, CACHE_FILES,
};
use crate::config::metric::Metric;
use crate::config::{settings_for, Settings};
use crate::diff::policy::FailOn;
use crate::engine::{analyze_files_streaming, Run};
use crate::gate::suppress::{set_aside, unused, Suppressed, Unused};
use crate::gate::Violation;
use crate::model::{Baseline, FileResult};
use crate::report::escape::visible;
use crate::report::{Format, Summary};
use crate::source::git::GitSource;
use crate::source::walk::repository_root;
use crate::source::{Reader, SourceFile};

#[derive(Debug, Args)]
pub struct AnalysisOptions {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// `-q` (a global flag, [`super::GlobalOptions`]).
    #[arg(skip)]
    pub quiet: bool,
    /// Use this configuration file instead of searching for one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Override a threshold: METRIC=VALUE (full name or cyc, cog, mai, vol, dif, eff).
    #[arg(short = 't', long = "threshold", value_name = "METRIC=VALUE", value_parser = parse_threshold)]
    pub thresholds: Vec<(Metric, f64)>,
    /// Do not read or write the result cache (also: ANTIPASTA_NO_CACHE=1).
    #[arg(long)]
    pub no_cache: bool,
    /// Cache directory (also: ANTIPASTA_CACHE_DIR; default: inside the
    /// repository's git directory, else the user cache directory).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// `-v` (a global flag, [`super::GlobalOptions`]).
    #[arg(skip)]
    pub verbose: bool,
    /// Number of analysis threads [default: all cores; at most 256].
    #[arg(
        short,
        long,
        value_name = "N",
        default_value_t = 0,
        hide_default_value = true,
        value_parser = parse_jobs
    )]
    pub jobs: usize,
    /// Ignore every inline suppression marker (an audit of what they hide).
    #[arg(long, conflicts_with = "report_unused_suppressions")]
    pub no_suppressions: bool,
    /// List suppression markers that hide nothing; `check` (and `diff
    /// --fail-on any`) then fails when there are any.
    #[arg(long)]
    pub report_unused_suppressions: bool,
    #[command(flatten)]
    pub selection: SelectionOptions,
}

/// `--format`: the output formats as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Human-readable lines for a terminal.
    Text,
    /// The full results as one JSON document.
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// A Markdown summary (e.g. for $GITHUB_STEP_SUMMARY).
    Markdown,
    /// One CSV row per violation.
    Csv,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Csv => Format::Csv,
        }
    }
}

/// `--fail-on`: which violations fail a judged change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    /// Violations in added functions and files.
    New,
    /// New ones, and modified functions that got worse or newly crossed a threshold.
    Worsened,
    /// Every violation in a changed function or file.
    Any,
}

impl From<FailOnArg> for FailOn {
    fn from(fail_on: FailOnArg) -> FailOn {
        match fail_on {
            FailOnArg::New => FailOn::New,
            FailOnArg::Worsened => FailOn::Worsened,
            FailOnArg::Any => FailOn::Any,
        }
    }
}

/// The most threads `--jobs` may ask for: beyond any core count worth
/// using, below the point where starting the threads costs more than the run.
const MAX_JOBS: usize = 256;

fn parse_jobs(text: &str) -> Result<usize, String> {
    let jobs: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of threads"))?;
    if jobs > MAX_JOBS {
        return Err(format!("at most {MAX_JOBS} threads (0 = one per core)"));
    }
    Ok(jobs)
}

pub(super) fn parse_threshold(text: &str) -> Result<(Metric, f64), String> {
    let (metric, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected METRIC=VALUE, got '{text}'"))?;
    let metric: Metric = metric.parse()?;
    let value: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("'{value}' is not a number"))?;
    let value = metric.check_threshold(value).map_err(|e| e.to_string())?;
    Ok((metric, value))
}

impl AnalysisOptions {
    /// The configuration found from `cwd` (or `--config`), with `-t`
    /// overrides; per-path overrides match paths relative to the
    /// repository root (else `cwd`), as results name them. Warnings go
    /// to `err`, and with `-v` the file used.
    pub fn settings(&self, cwd: &Path, err: &mut dyn Write) -> Result<Settings, String> {
        let mut settings = settings_for(self.config.as_deref(), cwd).map_err(|e| e.to_string())?;
        settings.set_path_root(&repository_root(cwd).unwrap_or_else(|| cwd.to_path_buf()));
        for (metric, value) in &self.thresholds {
            settings.override_threshold(*metric, *value);
        }
        self.selection.apply(&mut settings)?;
        for warning in &settings.warnings {
            let _ = writeln!(err, "antipasta: warning: {}", visible(warning));
        }
        if self.verbose {
            let _ = match &settings.source {
                Some(path) => writeln!(
                    err,
                    "antipasta: configuration: {}",
                    visible(&path.display().to_string())
                ),
                None => writeln!(
                    err,
                    "antipasta: configuration: none found; built-in defaults"
                ),
            };
        }
        Ok(settings)
    }

    /// Opens the result cache unless disabled; a cache that cannot be
    /// opened is reported once and the run goes on without it.
    pub fn open_cache(
        &self,
        settings: &Settings,
        git: Option<&GitSource>,
        err: &mut dyn Write,
    ) -> Option<Cache> {
        let disabled_by_env =
            std::env::var_os("ANTIPASTA_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0");
        if self.no_cache || disabled_by_env || !settings.cache.enabled {
            return None;
        }
        let dir = resolve_cache_dir(
            self.cache_dir.as_deref(),
            settings.cache.dir.as_deref(),
            git.map(GitSource::common_dir),
        )?;
        let refusal = prepare_cache_dir(&dir)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                git.map_or(Ok(()), |git| {
                    git.check_cache_dir(&dir, CACHE_FILES)
                        .map_err(|e| e.to_string())
                })
            });
        if let Err(problem) = refusal {
            let _ = writeln!(err, "antipasta: warning: running without cache: {problem}");
            return None;
        }
        match Cache::open(&dir) {
            Ok((cache, notice)) => {
                match notice {
                    Some(notice @ Notice::ReadOnly) => {
                        let _ = writeln!(err, "antipasta: note: {notice}");
                    }
                    Some(notice) => {
                        let _ = writeln!(err, "antipasta: warning: {notice}");
                    }
                    None => {}
                }
                Some(cache)
            }
            Err(problem) => {
                let _ = writeln!(err, "antipasta: warning: running without cache: {problem}");
                None
            }
        }
    }

    /// Analyses `files` (see [`crate::engine::analyze_files`] for `baselines`), reports
    /// cache trouble on `err`, and keeps the cache's bookkeeping.
    pub fn analyze(
        &self,
        files: &[SourceFile],
        baselines: &[Option<Baseline>],
        reader: &Reader<'_>,
        cache: Option<&Cache>,
        settings: &Settings,
        err: &mut dyn Write,
    ) -> Result<Run, String> {
        let setup = Setup {
            reader,
            cache,
            settings,
        };
        self.analyze_streaming(files, baselines, &setup, err, |_| ControlFlow::Continue(()))
    }

    /// [`Self::analyze`], handing each file's result to `deliver` in path
    /// order as soon as it and all earlier ones are done; when `deliver`
    /// breaks, files not yet started are left out.
    pub fn analyze_streaming(
        &self,
        files: &[SourceFile],
        baselines: &[Option<Baseline>],
        setup: &Setup<'_, '_>,
        err: &mut dyn Write,
        deliver: impl FnMut(&FileResult) -> ControlFlow<()>,
    ) -> Result<Run, String> {
        let Setup {
            reader,
            cache,
            settings,
        } = *setup;
        let run = analyze_files_streaming(files, baselines, reader, self.jobs, cache, deliver)
            .map_err(|e| format!("cannot start worker threads: {e}"))?;
        if let Some(problem) = &run.cache_problem {
            let _ = writeln!(
                err,
                "antipasta: warning: cache disabled for this run: {problem}"
            );
        }
        if let Some(rejected) = cache.map(Cache::rejected).filter(|&n| n > 0) {
            let _ = writeln!(
                err,
                "antipasta: warning: {} failed their checksum and {} recomputed",
                plural(rejected, "cache entry", "cache entries"),
                if rejected == 1 { "was" } else { "were" }
            );
        }
        if let (Some(cache), None) = (cache, &run.cache_problem) {
            // Bookkeeping only: a failure here never changes the results.
            let _ = cache.record_run(run.cache_hits, run.cache_misses);
            let _ = cache.auto_prune(settings.cache.max_age_days, settings.cache.max_size_mb);
        }
        Ok(run)
    }

    /// Sets aside the violations inline markers suppress (none with
    /// `--no-suppressions`).
    pub fn set_aside<'r>(
        &self,
        violations: Vec<Violation>,
        results: impl IntoIterator<Item = &'r FileResult>,
    ) -> (Vec<Violation>, Vec<Suppressed>) {
        if self.no_suppressions {
            (violations, Vec::new())
        } else {
            set_aside(violations, results)
        }
    }

    /// With `--report-unused-suppressions`: the markers that hide none of
    /// `suppressed`, among those `considered` (see [`unused`]).
    pub fn unused_suppressions(
        &self,
        results: &[FileResult],
        suppressed: &[Suppressed],
        considered: impl Fn(usize, Option<usize>) -> bool,
    ) -> Option<Vec<Unused>> {
        self.report_unused_suppressions
            .then(|| unused(results, suppressed, considered))
    }

    /// With `-v`: the run's cache and scoring counts on `err`.
    pub fn print_counts(&self, summary: &Summary, err: &mut dyn Write) {
        if self.verbose {
            let _ = writeln!(
                err,
                "antipasta: cache: {}, {}; {} scored",
                plural(summary.cache_hits, "hit", "hits"),
                plural(summary.cache_misses, "miss", "misses"),
                plural(summary.units_scored, "function", "functions"),
            );
        }
    }
}

/// `1 hit`, `2 hits`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What an analysis reads with and answers from.
#[derive(Clone, Copy)]
pub struct Setup<'r, 'a> {
    pub reader: &'a Reader<'r>,
    pub cache: Option<&'a Cache>,
    pub settings: &'a Settings,
}

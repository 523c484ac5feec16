//! Flags shared by the analysing commands (`check`, `diff`) and what they
//! set up: settings, the cache, and a cache-aware engine run.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::cache::{resolve_dir as resolve_cache_dir, Cache};
use crate::config::metric::Metric;
use crate::config::{settings_for, Settings};
use crate::engine::{analyze_files, Run};
use crate::model::Baseline;
use crate::report::{Format, Summary};
use crate::source::git::GitSource;
use crate::source::{Reader, SourceFile};

#[derive(Debug, Args)]
pub struct AnalysisOptions {
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
    /// Number of analysis threads (default: all cores; at most 256).
    #[arg(short, long, value_name = "N", default_value_t = 0, value_parser = parse_jobs)]
    pub jobs: usize,
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

fn parse_threshold(text: &str) -> Result<(Metric, f64), String> {
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
    /// The configuration found from `cwd` (or `--config`), with `-t` overrides.
    pub fn settings(&self, cwd: &Path) -> Result<Settings, String> {
        let mut settings = settings_for(self.config.as_deref(), cwd).map_err(|e| e.to_string())?;
        for (metric, value) in &self.thresholds {
            settings.override_threshold(*metric, *value);
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
        match Cache::open(&dir) {
            Ok(cache) => Some(cache),
            Err(problem) => {
                let _ = writeln!(err, "antipasta: warning: running without cache: {problem}");
                None
            }
        }
    }

    /// Analyses `files` (see [`analyze_files`] for `baselines`), reports
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
        let run = analyze_files(files, baselines, reader, self.jobs, cache)
            .map_err(|e| format!("cannot start worker threads: {e}"))?;
        if let Some(problem) = &run.cache_problem {
            let _ = writeln!(
                err,
                "antipasta: warning: cache disabled for this run: {problem}"
            );
        }
        if let (Some(cache), None) = (cache, &run.cache_problem) {
            // Bookkeeping only: a failure here never changes the results.
            let _ = cache.record_run(run.cache_hits, run.cache_misses);
            let _ = cache.auto_prune(settings.cache.max_age_days, settings.cache.max_size_mb);
        }
        Ok(run)
    }

    /// With `-v`: the run's cache and scoring counts on `err`.
    pub fn print_counts(&self, summary: &Summary, err: &mut dyn Write) {
        if self.verbose {
            let _ = writeln!(
                err,
                "antipasta: cache: {} hits, {} misses; {} functions scored",
                summary.cache_hits, summary.cache_misses, summary.units_scored
            );
        }
    }
}

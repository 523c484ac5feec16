//! `antipasta cache stats|clear|prune`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Outcome;
use crate::cache::{now, resolve_dir, Cache};
use crate::config::settings_for;
use crate::source::git::GitSource;

#[derive(Debug, Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    pub command: CacheCommand,
    /// The cache directory (default: as `check` finds it).
    #[arg(long, value_name = "DIR", global = true)]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Entries, size on disk, oldest and newest entry, last run's hits and misses.
    Stats,
    /// Remove every entry.
    Clear,
    /// Remove old entries, then the oldest until the cache fits.
    Prune {
        /// Remove entries stored more than N days ago (default: config `max_age_days`).
        #[arg(long, value_name = "N")]
        days: Option<u64>,
        /// Keep at most this many megabytes of entries (default: config `max_size_mb`).
        #[arg(long, value_name = "MB")]
        max_size: Option<u64>,
    },
}

pub fn run(args: &CacheArgs, out: &mut dyn Write, _err: &mut dyn Write) -> Result<Outcome, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let settings = settings_for(None, &cwd).map_err(|e| e.to_string())?;
    let git = GitSource::discover(&cwd).ok();
    let dir = resolve_dir(
        args.cache_dir.as_deref(),
        settings.cache.dir.as_deref(),
        git.as_ref().map(GitSource::common_dir),
    )
    .ok_or("no cache directory: set --cache-dir or ANTIPASTA_CACHE_DIR")?;
    let cache = Cache::open(&dir).map_err(|e| e.to_string())?;
    let write_error = |e: std::io::Error| format!("cannot write output: {e}");
    match &args.command {
        CacheCommand::Stats => {
            let stats = cache.stats().map_err(|e| e.to_string())?;
            let now = now();
            let age = |stamp: Option<u64>| match stamp {
                Some(stamp) => format!(
                    "{} (unix time {stamp})",
                    describe_age(now.saturating_sub(stamp))
                ),
                None => "-".to_owned(),
            };
            let last_run = stats.last_run.map_or("-".to_owned(), |(hits, misses)| {
                format!("{hits} hits, {misses} misses")
            });
            writeln!(
                out,
                "cache: {}\nentries: {}\nbytes on disk: {}\noldest entry: {}\nnewest entry: {}\nlast run: {last_run}",
                dir.display(),
                stats.entries,
                stats.bytes_on_disk,
                age(stats.oldest),
                age(stats.newest),
            )
            .map_err(write_error)?;
        }
        CacheCommand::Clear => {
            let removed = cache.clear().map_err(|e| e.to_string())?;
            writeln!(out, "removed {removed} entries from {}", dir.display())
                .map_err(write_error)?;
        }
        CacheCommand::Prune { days, max_size } => {
            let days = days.unwrap_or(settings.cache.max_age_days);
            let max_size = max_size.unwrap_or(settings.cache.max_size_mb);
            let removed = cache
                .prune(Some(days), Some(max_size))
                .map_err(|e| e.to_string())?;
            writeln!(out, "removed {removed} entries from {}", dir.display())
                .map_err(write_error)?;
        }
    }
    Ok(Outcome::Clean)
}

fn describe_age(seconds: u64) -> String {
    match seconds {
        0..=119 => format!("{seconds} seconds ago"),
        120..=7199 => format!("{} minutes ago", seconds / 60),
        7200..=172_799 => format!("{} hours ago", seconds / 3600),
        _ => format!("{} days ago", seconds / 86_400),
    }
}

//! `antipasta cache stats|clear|prune`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Outcome;
use crate::cache::{
    clear, inspect, now, resolve_dir, Cache, Cleared, Inspection, BUILD_FINGERPRINT,
};
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
    /// Remove the cache's files (works on a damaged cache too).
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

pub fn run(args: &CacheArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, String> {
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
    let write_error = |e: std::io::Error| format!("cannot write output: {e}");
    match &args.command {
        CacheCommand::Stats => {
            let header = format!(
                "cache: {}\nbuild fingerprint: {BUILD_FINGERPRINT}",
                dir.display()
            );
            match inspect(&dir).map_err(|e| e.to_string())? {
                Inspection::Missing => {
                    writeln!(out, "{header}\nno cache here yet: nothing has been stored")
                        .map_err(write_error)?;
                    return Ok(Outcome::Clean);
                }
                Inspection::Damaged(damage) => {
                    let _ = writeln!(
                        err,
                        "antipasta: warning: the cache is damaged ({damage}); the next run rebuilds it"
                    );
                    writeln!(out, "{header}\nstatus: damaged ({damage})").map_err(write_error)?;
                    return Ok(Outcome::Clean);
                }
                Inspection::Sound(_) => {}
            }
            let cache = Cache::open_read_only(&dir).map_err(|e| e.to_string())?;
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
                "{header}\nentries: {}\nentries failing their checksum: {}\nbytes on disk: {}\noldest entry: {}\nnewest entry: {}\nlast run: {last_run}",
                stats.entries,
                stats.damaged,
                stats.bytes_on_disk,
                age(stats.oldest),
                age(stats.newest),
            )
            .map_err(write_error)?;
        }
        CacheCommand::Clear => {
            let message = match clear(&dir).map_err(|e| e.to_string())? {
                Cleared::Nothing => format!("no cache at {}", dir.display()),
                Cleared::Entries(entries) => {
                    format!("removed {entries} entries from {}", dir.display())
                }
                Cleared::Damaged(damage) => {
                    format!("removed a damaged cache ({damage}) from {}", dir.display())
                }
            };
            writeln!(out, "{message}").map_err(write_error)?;
        }
        CacheCommand::Prune { days, max_size } => {
            let (cache, notice) = Cache::open(&dir).map_err(|e| e.to_string())?;
            if let Some(notice) = notice {
                let _ = writeln!(err, "antipasta: warning: {notice}");
            }
            if !cache.is_writable() {
                return Err(format!(
                    "cannot prune {}: the cache is read-only",
                    dir.display()
                ));
            }
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

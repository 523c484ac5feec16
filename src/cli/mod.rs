//! Command-line interface: parse flags, call the engine, map outcomes to exit codes.

pub mod cache;
pub mod check;
pub mod config;
pub mod diff;
pub mod hook;
pub mod metrics;
pub mod options;
pub mod selection;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::report::escape::visible;

/// Exit codes, as ruff and pre-commit users expect them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: nothing to report.
    Clean,
    /// 1: violations, or files that could not be analysed.
    Failed,
    /// 2: usage, configuration or I/O error.
    Error,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        ExitCode::from(match outcome {
            Outcome::Clean => 0,
            Outcome::Failed => 1,
            Outcome::Error => 2,
        })
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "antipasta",
    version,
    about = "A fast, git-native code-complexity gate"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse files and fail when a function or file exceeds a threshold.
    Check(check::CheckArgs),
    /// Judge what changed between two versions: only changed functions are
    /// scored, and only new or worsened violations fail.
    Diff(diff::DiffArgs),
    /// antipasta 1.x's gate: its flags, run as `check` (a note says how).
    Metrics(metrics::MetricsArgs),
    /// Inspect and maintain the result cache.
    Cache(cache::CacheArgs),
    /// Inspect configuration.
    #[command(subcommand)]
    Config(config::ConfigCommand),
    /// Install git hooks.
    #[command(subcommand)]
    Hook(hook::HookCommand),
}

/// Runs the parsed command, writing data to `out` and diagnostics to `err`.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    let result = match cli.command {
        Command::Check(args) => check::run(&args, out, err),
        Command::Diff(args) => diff::run(&args, out, err),
        Command::Metrics(args) => metrics::run(&args, out, err),
        Command::Config(command) => config::run(&command, out, err),
        Command::Cache(args) => cache::run(&args, out, err),
        Command::Hook(command) => hook::run(&command, err),
    };
    match result {
        Ok(outcome) => outcome,
        Err(message) => {
            // Messages quote paths and names from the repository.
            let _ = writeln!(err, "antipasta: error: {}", visible(&message));
            Outcome::Error
        }
    }
}

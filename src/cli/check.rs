//! `antipasta check [PATHS…]`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Outcome;
use crate::config::metric::Metric;
use crate::config::{settings_for, Settings};
use crate::engine::analyze_files;
use crate::gate::evaluate;
use crate::report::{json, text, Summary};
use crate::source::walk::{collect, repository_root};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

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
    if value < 0.0 || !value.is_finite() {
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
    let base = repository_root(&cwd).unwrap_or_else(|| cwd.clone());
    let (files, walk_errors) = collect(&args.paths, &cwd, &base, &settings);
    for walk_error in &walk_errors {
        let _ = writeln!(err, "antipasta: warning: {walk_error}");
    }
    let results = analyze_files(&files, args.jobs)
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    let violations = evaluate(&results, &settings);
    let summary = Summary::of(&results, &violations);
    let rendered = match args.format {
        Format::Text => text::render(&results, &violations, summary, args.quiet),
        Format::Json => json::render(&results, &violations, summary),
    };
    out.write_all(rendered.as_bytes())
        .map_err(|e| format!("cannot write output: {e}"))?;
    if !walk_errors.is_empty() && files.is_empty() {
        return Ok(Outcome::Error);
    }
    Ok(if summary.violations > 0 || summary.errors > 0 {
        Outcome::Failed
    } else {
        Outcome::Clean
    })
}

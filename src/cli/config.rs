//! `antipasta config validate [FILE]` and `antipasta config explain PATH`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::options::normalize;
use super::Outcome;
use crate::config::overrides::Change;
use crate::config::{discover, load, settings_for, Settings};
use crate::gate::format_value;
use crate::model::Language;
use crate::source::walk::{display_path, repository_root};

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Check a configuration file (default: the one `check` would use).
    Validate {
        /// The file to validate.
        file: Option<PathBuf>,
    },
    /// Print the effective limits for a file and where each came from
    /// (built-in default, [defaults], [[languages]], [[overrides]] #N).
    Explain {
        /// The file (it need not exist; its extension gives the language).
        path: PathBuf,
        /// Use this configuration file instead of searching for one.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

pub fn run(
    command: &ConfigCommand,
    out: &mut dyn Write,
    _err: &mut dyn Write,
) -> Result<Outcome, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    match command {
        ConfigCommand::Validate { file } => validate(file.as_deref(), &cwd, out),
        ConfigCommand::Explain { path, config } => explain(path, config.as_deref(), &cwd, out),
    }
}

fn validate(file: Option<&Path>, cwd: &Path, out: &mut dyn Write) -> Result<Outcome, String> {
    let path = match file {
        Some(path) => path.to_path_buf(),
        None => match discover(cwd).map_err(|e| e.to_string())? {
            Some(path) => path,
            None => {
                let _ = writeln!(
                    out,
                    "No configuration file found; the built-in defaults apply."
                );
                return Ok(Outcome::Clean);
            }
        },
    };
    let parsed = load(&path).map_err(|e| e.to_string())?;
    let settings = Settings::resolve(parsed, Some(path.clone())).map_err(|e| e.to_string())?;
    let _ = writeln!(out, "{}: valid", path.display());
    for (language, thresholds) in &settings.thresholds {
        for t in thresholds {
            let _ = writeln!(
                out,
                "  {} {} {} {}",
                language.name(),
                t.metric,
                t.comparison.symbol(),
                t.value
            );
        }
    }
    for entry in settings.overrides.entries() {
        let language = entry
            .language
            .map(|l| format!(" ({})", l.name()))
            .unwrap_or_default();
        let changes: Vec<String> = entry
            .changes
            .iter()
            .map(|change| match change {
                Change::Set(t) => format!("{} {} {}", t.metric, t.comparison.symbol(), t.value),
                Change::Disable(metric) => format!("{metric} disabled"),
            })
            .collect();
        let _ = writeln!(
            out,
            "  overrides #{} {:?}{language}: {}",
            entry.number,
            entry.paths,
            changes.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "  gate file_metric_tolerance {} %",
        settings.gate.file_metric_tolerance
    );
    Ok(Outcome::Clean)
}

fn explain(
    path: &Path,
    config: Option<&Path>,
    cwd: &Path,
    out: &mut dyn Write,
) -> Result<Outcome, String> {
    let language = Language::from_path(path).ok_or_else(|| {
        format!(
            "{}: not a file antipasta analyses (.py .pyi .js .mjs .cjs .jsx .ts .mts .cts .tsx)",
            path.display()
        )
    })?;
    let mut settings = settings_for(config, cwd).map_err(|e| e.to_string())?;
    let root = repository_root(cwd).unwrap_or_else(|| cwd.to_path_buf());
    settings.set_path_root(&root);
    let display = display_path(&normalize(&cwd.join(path)), &root);
    let origin = settings.source.as_ref().map_or_else(
        || "no configuration file: built-in defaults".to_owned(),
        |source| format!("configuration {}", source.display()),
    );
    let _ = writeln!(out, "{} ({}), {origin}", display, language.name());
    if settings.ignore.is_match(&display) {
        let _ = writeln!(
            out,
            "  ignored by ignore_patterns: not analysed unless named"
        );
    }
    let (limits, matched) = settings.explain(&display, language);
    let matched: Vec<String> = matched.iter().map(|n| format!("#{n}")).collect();
    let _ = writeln!(
        out,
        "  matching overrides: {}",
        if matched.is_empty() {
            "none".to_owned()
        } else {
            matched.join(", ")
        }
    );
    for limit in limits {
        let value = match limit.threshold {
            Some(t) => format!("{} {}", t.comparison.symbol(), format_value(t.value)),
            None => "not checked".to_owned(),
        };
        let _ = writeln!(
            out,
            "  {:<22} {value:<12} {}",
            limit.metric.name(),
            limit.source
        );
    }
    Ok(Outcome::Clean)
}

//! `antipasta config validate [FILE]`.

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use super::Outcome;
use crate::config::{discover, load, Settings};

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Check a configuration file (default: the one `check` would use).
    Validate {
        /// The file to validate.
        file: Option<PathBuf>,
    },
}

pub fn run(
    command: &ConfigCommand,
    out: &mut dyn Write,
    _err: &mut dyn Write,
) -> Result<Outcome, String> {
    let ConfigCommand::Validate { file } = command;
    let path = match file {
        Some(path) => path.clone(),
        None => {
            let cwd = std::env::current_dir()
                .map_err(|e| format!("cannot read the current directory: {e}"))?;
            match discover(&cwd).map_err(|e| e.to_string())? {
                Some(path) => path,
                None => {
                    let _ = writeln!(
                        out,
                        "No configuration file found; the built-in defaults apply."
                    );
                    return Ok(Outcome::Clean);
                }
            }
        }
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
    Ok(Outcome::Clean)
}

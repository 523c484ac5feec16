//! `antipasta hook install [--force]`: the pre-commit hook for teams without
//! the pre-commit framework.

use std::io::Write;

use clap::Subcommand;

use super::Outcome;
use crate::report::escape::visible;
use crate::source::git::GitSource;
use crate::source::hooks::{install_pre_commit, Installed};

#[derive(Debug, Subcommand)]
pub enum HookCommand {
    /// Install the pre-commit hook (`antipasta check --staged`) into the
    /// repository's hooks directory, honouring core.hooksPath.
    Install {
        /// Replace a pre-commit hook that antipasta did not install.
        #[arg(long)]
        force: bool,
    },
}

pub fn run(command: &HookCommand, err: &mut dyn Write) -> Result<Outcome, String> {
    let HookCommand::Install { force } = command;
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let dir = GitSource::discover(&cwd)
        .and_then(|git| git.hooks_dir())
        .map_err(|e| e.to_string())?;
    let installed = install_pre_commit(&dir, *force).map_err(|e| e.to_string())?;
    let path = dir.join("pre-commit");
    let what = match installed {
        Installed::Created => "installed",
        Installed::Updated => "updated",
        Installed::Unchanged => "already up to date:",
        Installed::Replaced => "replaced the existing hook with",
    };
    let _ = writeln!(
        err,
        "antipasta: {what} {}",
        visible(&path.display().to_string())
    );
    Ok(Outcome::Clean)
}

//! Which files a run looks at, beyond the configuration: `--exclude`,
//! `--extend-exclude`, `--include` and `--force-exclude`, as ruff spells them.

use clap::Args;

use crate::config::Settings;

#[derive(Debug, Default, Args)]
pub struct SelectionOptions {
    /// Exclude files matching this gitignore-style pattern, replacing the
    /// configured ignore_patterns (repeatable).
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
    /// Exclude files matching this pattern too, keeping the configured
    /// (or default) ignore_patterns (repeatable).
    #[arg(long, value_name = "PATTERN")]
    pub extend_exclude: Vec<String>,
    /// Analyse files matching this pattern even when an ignore pattern
    /// excludes them (repeatable).
    #[arg(long, value_name = "PATTERN")]
    pub include: Vec<String>,
    /// Apply the ignore patterns to files named on the command line too
    /// (for pre-commit, which names every staged file).
    #[arg(long)]
    pub force_exclude: bool,
    /// Drop every ignore pattern, configured or default (antipasta 1.x's
    /// --force-analyze); --extend-exclude and .gitignore still apply.
    #[arg(long, conflicts_with = "exclude")]
    pub no_ignore_patterns: bool,
    /// Do not read .gitignore, .git/info/exclude or the global excludes file.
    #[arg(long)]
    pub no_gitignore: bool,
}

impl SelectionOptions {
    /// Applies the flags to `settings`.
    pub fn apply(&self, settings: &mut Settings) -> Result<(), String> {
        let exclude = if self.no_ignore_patterns {
            Some(Vec::new())
        } else {
            (!self.exclude.is_empty()).then(|| self.exclude.clone())
        };
        if self.no_gitignore {
            settings.use_gitignore = false;
        }
        settings
            .select(
                exclude,
                &self.extend_exclude,
                &self.include,
                self.force_exclude,
            )
            .map_err(|e| format!("--exclude/--extend-exclude/--include: {e}"))
    }
}

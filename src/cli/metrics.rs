//! `antipasta metrics`: antipasta 1.x's gate command, its flags mapped onto
//! `check` (the equivalent command is named in a one-line note on stderr).

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, ValueEnum};

use super::{check, Cli, Command, GlobalOptions, Outcome};
use crate::report::escape::visible;

/// The formats 1.x's `metrics` offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricsFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Configuration file (1.x's default, .antipasta.yaml, is found by the
    /// usual search).
    #[arg(short = 'c', long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A file to analyse (repeatable).
    #[arg(short = 'f', long = "files", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// A directory to analyse.
    #[arg(short = 'd', long, value_name = "DIR")]
    pub directory: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MetricsFormat::Text)]
    pub format: MetricsFormat,
    /// Override a threshold: METRIC=VALUE (repeatable).
    #[arg(short = 't', long = "threshold", value_name = "METRIC=VALUE")]
    pub thresholds: Vec<String>,
    /// Analyse files matching this pattern even when ignored (repeatable).
    #[arg(short = 'i', long = "include-pattern", value_name = "PATTERN")]
    pub include_patterns: Vec<String>,
    /// Also exclude files matching this pattern (repeatable).
    #[arg(short = 'e', long = "exclude-pattern", value_name = "PATTERN")]
    pub exclude_patterns: Vec<String>,
    /// Do not read .gitignore files.
    #[arg(long)]
    pub no_gitignore: bool,
    /// Analyse files the ignore patterns exclude.
    #[arg(long)]
    pub force_analyze: bool,
}

impl MetricsArgs {
    /// The `antipasta check` arguments that do what these flags did in 1.x.
    pub fn check_arguments(&self) -> Vec<OsString> {
        let mut argv: Vec<OsString> = vec!["antipasta".into(), "check".into()];
        let mut flag = |name: &str, value: Option<OsString>| {
            argv.push(name.into());
            argv.extend(value);
        };
        if let Some(config) = &self.config {
            flag("--config", Some(config.into()));
        }
        if self.format == MetricsFormat::Json {
            flag("--format", Some("json".into()));
        }
        for threshold in &self.thresholds {
            flag("--threshold", Some(threshold.into()));
        }
        for pattern in &self.include_patterns {
            flag("--include", Some(pattern.into()));
        }
        if self.force_analyze {
            flag("--no-ignore-patterns", None);
        }
        for pattern in &self.exclude_patterns {
            flag("--extend-exclude", Some(pattern.into()));
        }
        if self.no_gitignore {
            flag("--no-gitignore", None);
        }
        argv.push("--".into());
        argv.extend(self.files.iter().map(OsString::from));
        argv.extend(self.directory.iter().map(OsString::from));
        if self.files.is_empty() && self.directory.is_none() {
            argv.push(".".into());
        }
        argv
    }
}

/// Runs `args` as `check`; 1.x's `-q` is the global `--quiet`, handed on
/// with the other global flags.
pub fn run(
    args: &MetricsArgs,
    global: &GlobalOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, String> {
    let mut argv = args.check_arguments();
    if global.quiet {
        argv.insert(2, "--quiet".into());
    }
    let shown: Vec<String> = argv
        .iter()
        .map(|arg| shell_word(&arg.to_string_lossy()))
        .collect();
    let _ = writeln!(
        err,
        "antipasta: note: `metrics` is antipasta 1.x's command; running `{}` (exit codes: 1 = violations, 2 = errors)",
        visible(&shown.join(" "))
    );
    let cli = Cli::try_parse_from(&argv).map_err(|e| e.to_string())?;
    match cli.command {
        Command::Check(mut check_args) => {
            global.apply(&mut check_args.options);
            check::run(&check_args, out, err)
        }
        _ => Err("internal: `metrics` did not map onto `check`".to_owned()),
    }
}

/// `word` as a POSIX shell would need it written.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=,:@%+".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(argv: &[&str]) -> Vec<String> {
        let mut full = vec!["antipasta", "metrics"];
        full.extend_from_slice(argv);
        let cli = Cli::try_parse_from(full).expect("metrics flags parse");
        let Command::Metrics(args) = cli.command else {
            panic!("not the metrics command");
        };
        args.check_arguments()
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn every_1x_flag_maps_onto_check() {
        let argv = mapped(&[
            "-c",
            "a.yaml",
            "-f",
            "x.py",
            "--files",
            "y.py",
            "-d",
            "src",
            "-q",
            "--format",
            "json",
            "-t",
            "cyc=5",
            "--threshold",
            "cog=9",
            "-i",
            "keep/**",
            "-e",
            "gen",
            "--no-gitignore",
            "--force-analyze",
        ]);
        assert_eq!(
            argv,
            [
                "antipasta",
                "check",
                "--config",
                "a.yaml",
                "--format",
                "json",
                "--threshold",
                "cyc=5",
                "--threshold",
                "cog=9",
                "--include",
                "keep/**",
                "--no-ignore-patterns",
                "--extend-exclude",
                "gen",
                "--no-gitignore",
                "--",
                "x.py",
                "y.py",
                "src",
            ]
        );
        let cli = Cli::try_parse_from(&argv).expect("the mapped command parses");
        let Command::Check(check) = cli.command else {
            panic!("not check");
        };
        // 1.x's -q is the global --quiet, which `run` hands on.
        let cli = Cli::try_parse_from(["antipasta", "metrics", "-q"]).expect("parses");
        assert!(cli.global.quiet);
        assert_eq!(check.options.thresholds.len(), 2);
        assert!(check.options.selection.no_ignore_patterns);
        assert!(check.options.selection.no_gitignore);
        assert_eq!(check.options.selection.include, ["keep/**"]);
        assert_eq!(check.paths.len(), 3);
    }

    #[test]
    fn no_paths_means_the_current_directory_and_text_is_the_default() {
        assert_eq!(mapped(&[]), ["antipasta", "check", "--", "."]);
    }

    #[test]
    fn a_1x_only_format_is_refused() {
        assert!(Cli::try_parse_from(["antipasta", "metrics", "--format", "sarif"]).is_err());
    }

    #[test]
    fn the_note_quotes_what_a_shell_would_need() {
        assert_eq!(shell_word("keep/**"), "'keep/**'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word("src/a.py"), "src/a.py");
    }
}

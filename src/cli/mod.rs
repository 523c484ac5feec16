//! Command-line interface: parse flags, call the engine, map outcomes to exit codes.

pub mod cache;
pub mod check;
pub mod config;
pub mod diff;
pub mod hook;
pub mod metrics;
pub mod options;
mod progress;
pub mod selection;

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::escape::visible;

impl GlobalOptions {
    /// Hands the global flags to an analysing command's options.
    fn apply(&self, options: &mut options::AnalysisOptions) {
        options.quiet = self.quiet;
        options.verbose = self.verbose;
    }
}

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
    #[command(flatten)]
    pub global: GlobalOptions,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags accepted before or after the subcommand (`antipasta -v check`).
#[derive(Debug, Args)]
pub struct GlobalOptions {
    /// Print violations only, no summary.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Report cache hits and misses on stderr; list suppressed violations.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// When to colour the output [default: auto: on a terminal, unless
    /// NO_COLOR is set; FORCE_COLOR forces it].
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorArg::Auto,
        hide_default_value = true,
        global = true
    )]
    pub color: ColorArg,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour on a terminal, unless NO_COLOR is set (FORCE_COLOR forces it).
    Auto,
    Always,
    Never,
}

impl ColorArg {
    /// The colour choice for the output streams: `--color`, else a
    /// non-empty FORCE_COLOR forces colour (force-color.org), else
    /// anstream's detection (terminal, NO_COLOR, CLICOLOR, CLICOLOR_FORCE).
    fn choice(self, force_color: Option<&std::ffi::OsStr>) -> anstream::ColorChoice {
        match self {
            ColorArg::Always => anstream::ColorChoice::Always,
            ColorArg::Never => anstream::ColorChoice::Never,
            ColorArg::Auto if force_color.is_some_and(|v| !v.is_empty()) => {
                anstream::ColorChoice::Always
            }
            ColorArg::Auto => anstream::ColorChoice::Auto,
        }
    }
}

/// The `antipasta` binary: parses the command line, sets the colour
/// choice, runs on stdout and stderr.
pub fn main() -> ExitCode {
    let cli = Cli::parse_from(diff::attached_rename_scores(std::env::args_os()));
    cli.global
        .color
        .choice(std::env::var_os("FORCE_COLOR").as_deref())
        .write_global();
    let mut out = anstream::stdout().lock();
    let mut err = anstream::stderr().lock();
    run(cli, &mut out, &mut err).into()
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

/// `cwd` relative to `root`, `/`-separated ("" at the root), for showing
/// paths relative to the current directory; `None` when `cwd` is not
/// inside `root`.
fn relative_dir(cwd: &std::path::Path, root: &std::path::Path) -> Option<String> {
    let canonical =
        |path: &std::path::Path| path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let relative = canonical(cwd)
        .strip_prefix(canonical(root))
        .ok()?
        .to_path_buf();
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}

/// The output stream. A closed pipe (`antipasta check | head -1`) ends
/// the writing quietly, as ripgrep does: the exit code stays what the
/// results say. Any other write failure is an error of the run.
pub struct Output<'a> {
    out: &'a mut dyn Write,
    closed: bool,
    /// The first write failure other than a closed pipe.
    failure: Option<std::io::Error>,
}

impl<'a> Output<'a> {
    pub fn new(out: &'a mut dyn Write) -> Output<'a> {
        Output {
            out,
            closed: false,
            failure: None,
        }
    }

    /// Runs `write` on the stream unless it is closed or has failed.
    pub fn write(&mut self, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
        if self.closed || self.failure.is_some() {
            return;
        }
        match write(self.out) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => self.closed = true,
            Err(e) => self.failure = Some(e),
        }
    }

    /// Whether the reader has closed the pipe.
    pub fn closed(&self) -> bool {
        self.closed
    }

    /// The run's error if a write failed (a closed pipe is no failure).
    pub fn finish(mut self) -> Result<(), String> {
        self.write(|out| out.flush());
        match self.failure {
            Some(e) => Err(format!("cannot write output: {e}")),
            None => Ok(()),
        }
    }
}

/// Runs the parsed command, writing data to `out` and diagnostics to `err`.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    let global = cli.global;
    let result = match cli.command {
        Command::Check(mut args) => {
            global.apply(&mut args.options);
            check::run(&args, out, err)
        }
        Command::Diff(mut args) => {
            global.apply(&mut args.options);
            diff::run(&args, out, err)
        }
        Command::Metrics(args) => metrics::run(&args, &global, out, err),
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

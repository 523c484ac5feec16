//! The `antipasta` binary: parse arguments, run, exit 0/1/2.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = antipasta::cli::diff::attached_rename_scores(std::env::args_os());
    let cli = antipasta::cli::Cli::parse_from(args);
    let mut out = anstream::stdout().lock();
    let mut err = anstream::stderr().lock();
    antipasta::cli::run(cli, &mut out, &mut err).into()
}

//! The `antipasta` binary: parse arguments, run, exit 0/1/2.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = antipasta::cli::parse();
    let mut out = anstream::stdout().lock();
    let mut err = anstream::stderr().lock();
    antipasta::cli::run(cli, &mut out, &mut err).into()
}

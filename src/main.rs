//! The `antipasta` binary: parse arguments, run, exit 0/1/2.

use std::process::ExitCode;

fn main() -> ExitCode {
    antipasta::cli::main()
}

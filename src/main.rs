//! The `sanctions-check` command: scan documents with the bundled or custom
//! rules, list, validate and test rule files, and explain a rule on a text.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}

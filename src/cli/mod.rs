//! The command-line interface: argument parsing, rule loading, and one module
//! per command. Only this part of the crate prints.

mod args;
mod baseline;
mod explain_cmd;
mod inputs;
mod lists_cmd;
mod report;
mod rules_cmd;
mod sarif;
mod scan_cmd;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use sanctions_check::{LoadError, RuleSet, RuleSetBuilder};

use args::{Cli, ColorChoice, Command, RuleSource};

/// Exit code: no findings.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: errors (bad rules, unreadable input, bad usage).
pub const EXIT_ERROR: u8 = 2;

/// Parses arguments, runs the command, and turns the outcome into an exit
/// code. A closed standard output (`| head`) ends the program quietly.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            });
        }
    };
    let result = match cli.command {
        Command::Scan(a) => scan_cmd::run(a),
        Command::Rules(c) => rules_cmd::run(c),
        Command::Explain(a) => explain_cmd::run(a),
        Command::Lists(c) => lists_cmd::run(c),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(EXIT_CLEAN),
        Err(e) => {
            let _ = writeln!(io::stderr(), "sanctions-check: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Loads the rules named by `--rules` (the bundled pack when none).
pub(crate) fn load_rules(source: &RuleSource) -> Result<RuleSet, LoadError> {
    load_rules_with(source, &[])
}

/// Loads the rules named by `--rules`, with watchlist rule files (made from
/// `--list`) that replace the bundled list.
pub(crate) fn load_rules_with(
    source: &RuleSource,
    lists: &[(String, String)],
) -> Result<RuleSet, LoadError> {
    let mut b = RuleSetBuilder::new();
    let builtin = |b: RuleSetBuilder| {
        if lists.is_empty() {
            b.add_builtin()
        } else {
            b.add_builtin_rules_only()
        }
    };
    if source.rules.is_empty() {
        b = builtin(b);
    }
    for r in &source.rules {
        b = if r == "builtin" {
            builtin(b)
        } else {
            b.add_path(r)
        };
    }
    for (name, yaml) in lists {
        b = b.add_source(name.clone(), yaml.clone());
    }
    b.build()
}

/// Prints rule-loading problems to stderr and returns the error exit code.
pub(crate) fn report_load_error(e: &LoadError, color: bool) -> io::Result<u8> {
    let mut err = io::stderr().lock();
    write!(err, "{}", e.render(color))?;
    let n = e.diagnostics.iter().filter(|d| d.is_error()).count();
    writeln!(err, "sanctions-check: {n} error(s) in rule files")?;
    Ok(EXIT_ERROR)
}

/// Whether to color a stream, from `--color`, NO_COLOR and the terminal.
pub(crate) fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Whether stderr is a terminal.
pub(crate) fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}

//! `sanctions-check rules list | validate | test | schema`.

use std::io::{self, Write};

use sanctions_check::{RuleInfo, RuleSet};
use serde::Serialize;

use super::args::{
    ColorChoice, ListArgs, ReportFormat, RuleSource, RulesCommand, TestArgs, ValidateArgs,
};
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, load_rules, report_load_error, use_color};

pub fn run(cmd: RulesCommand) -> io::Result<u8> {
    match cmd {
        RulesCommand::List(a) => list(a),
        RulesCommand::Validate(a) => validate(a),
        RulesCommand::Test(a) => test(a),
        RulesCommand::Schema => {
            io::stdout().write_all(sanctions_check::rule_file_schema().as_bytes())?;
            Ok(EXIT_CLEAN)
        }
    }
}

/// `1 rule`, `2 rules`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn has_unverified(r: &RuleInfo) -> bool {
    r.citations
        .iter()
        .any(|c| c.paragraph.is_some() && !c.verified)
}

#[derive(Serialize)]
struct RuleOut<'a> {
    id: &'a str,
    title: &'a str,
    category: &'a str,
    severity: sanctions_check::Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    effective: Option<&'a str>,
    citations: Vec<String>,
    unverified_citation: bool,
    scope: String,
    file: String,
    line: usize,
    tags: &'a [String],
}

fn list(a: ListArgs) -> io::Result<u8> {
    let rules = match load_rules(&a.source) {
        Ok(r) => r,
        Err(e) => {
            return report_load_error(
                &e,
                use_color(ColorChoice::Auto, super::stderr_is_terminal()),
            );
        }
    };
    let selected: Vec<&RuleInfo> = rules
        .rules()
        .filter(|r| !a.unverified || has_unverified(r))
        .collect();
    let mut out = io::stdout().lock();
    if a.format == ReportFormat::Json {
        let items: Vec<RuleOut> = selected
            .iter()
            .map(|r| RuleOut {
                id: &r.id,
                title: &r.title,
                category: &r.category,
                severity: r.severity,
                effective: r.effective.as_deref(),
                citations: r.citations.iter().map(ToString::to_string).collect(),
                unverified_citation: has_unverified(r),
                scope: r.scope.name(),
                file: r.file.display().to_string(),
                line: r.line,
                tags: &r.tags,
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &items).map_err(io::Error::from)?;
        writeln!(out)?;
        return Ok(EXIT_CLEAN);
    }
    let w_id = selected
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    let w_cat = selected
        .iter()
        .map(|r| r.category.len())
        .max()
        .unwrap_or(8)
        .max(8);
    writeln!(
        out,
        "{:w_id$}  {:w_cat$}  {:8}  {:10}  TITLE",
        "ID", "CATEGORY", "SEVERITY", "EFFECTIVE"
    )?;
    for r in &selected {
        let mark = if has_unverified(r) {
            " [citation unverified]"
        } else {
            ""
        };
        writeln!(
            out,
            "{:w_id$}  {:w_cat$}  {:8}  {:10}  {}{mark}",
            r.id,
            r.category,
            r.severity.as_str(),
            r.effective.as_deref().unwrap_or("-"),
            r.title
        )?;
    }
    for (name, generated, parties) in rules.watchlists() {
        writeln!(
            out,
            "\nwatchlist: {name}: {parties} listed parties{}",
            generated
                .map(|g| format!(", list generated {g}"))
                .unwrap_or_default()
        )?;
    }
    let unverified = selected.iter().filter(|r| has_unverified(r)).count();
    writeln!(
        out,
        "\n{}, {} with a citation whose paragraph number is unverified ({} terms in the automaton)",
        count(selected.len(), "rule"),
        unverified,
        rules.pattern_count()
    )?;
    Ok(EXIT_CLEAN)
}

fn load_for(paths: &[String]) -> Result<RuleSet, sanctions_check::LoadError> {
    load_rules(&RuleSource {
        rules: paths.to_vec(),
    })
}

fn validate(a: ValidateArgs) -> io::Result<u8> {
    let color = use_color(a.color, super::stderr_is_terminal());
    let rules = match load_for(&a.paths) {
        Ok(r) => r,
        Err(e) => return report_load_error(&e, color),
    };
    let mut problems: Vec<sanctions_check::Diagnostic> = rules.warnings().to_vec();
    problems.extend(rules.check_examples().iter().map(|f| f.to_diagnostic()));
    let errors = problems.iter().filter(|d| d.is_error()).count();
    let mut err = io::stderr().lock();
    if !problems.is_empty() {
        write!(err, "{}", rules.render_diagnostics(&problems, color))?;
    }
    writeln!(
        err,
        "sanctions-check: {}, {}: {} error(s), {} warning(s)",
        count(rules.rules().len(), "rule"),
        count(rules.example_count(), "example"),
        errors,
        problems.len() - errors
    )?;
    Ok(if errors > 0 { EXIT_ERROR } else { EXIT_CLEAN })
}

#[derive(Serialize)]
struct TestReport {
    rules: usize,
    examples: usize,
    failed: usize,
    failures: Vec<FailureOut>,
}

#[derive(Serialize)]
struct FailureOut {
    rule: String,
    file: String,
    line: usize,
    column: usize,
    expected: &'static str,
    text: String,
    why: String,
}

fn test(a: TestArgs) -> io::Result<u8> {
    let rules = match load_for(&a.paths) {
        Ok(r) => r,
        Err(e) => {
            return report_load_error(
                &e,
                use_color(ColorChoice::Auto, super::stderr_is_terminal()),
            );
        }
    };
    let failures = rules.check_examples();
    let report = TestReport {
        rules: rules.rules().len(),
        examples: rules.example_count(),
        failed: failures.len(),
        failures: failures
            .iter()
            .map(|f| FailureOut {
                rule: f.rule.clone(),
                file: f.position.file.display().to_string(),
                line: f.position.line,
                column: f.position.column,
                expected: if f.expected_match {
                    "match"
                } else {
                    "no_match"
                },
                text: f.text.clone(),
                why: f.explanation.clone(),
            })
            .collect(),
    };
    let mut out = io::stdout().lock();
    if a.format == ReportFormat::Json {
        serde_json::to_writer_pretty(&mut out, &report).map_err(io::Error::from)?;
        writeln!(out)?;
    } else {
        for f in &report.failures {
            writeln!(
                out,
                "FAIL {} ({}:{}:{}): expected {}\n  text: {}\n  why:  {}\n",
                f.rule,
                f.file,
                f.line,
                f.column,
                if f.expected == "match" {
                    "a finding"
                } else {
                    "no finding"
                },
                f.text,
                f.why
            )?;
        }
        writeln!(
            out,
            "{}, {}: {} passed, {} failed",
            count(report.rules, "rule"),
            count(report.examples, "example"),
            report.examples - report.failed,
            report.failed
        )?;
    }
    Ok(if report.failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

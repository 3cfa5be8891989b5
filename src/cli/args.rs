//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use sanctions_check::Severity;

/// Flags passages and trade records that may describe dealings prohibited by
/// sanctions, so that a person reviews them.
#[derive(Debug, Parser)]
#[command(name = "sanctions-check", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and folders (or standard input) for possible sanctions breaches.
    #[command(after_help = SCAN_EXAMPLES)]
    Scan(ScanArgs),
    /// List, validate and test rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Show a rule, and why it does or does not fire on a text.
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
    /// Import lists of designated parties (UN Consolidated List XML, or simple YAML/CSV lists).
    #[command(subcommand)]
    Lists(ListsCommand),
}

#[derive(Debug, Subcommand)]
pub enum ListsCommand {
    /// Turn a list into a rule file holding its facts (names, aliases, references, dates).
    #[command(after_help = IMPORT_EXAMPLES)]
    Import(ImportArgs),
}

const IMPORT_EXAMPLES: &str = "Examples:
  sanctions-check lists import consolidated.xml --regime DPRK --un-dprk -o rules/un-dprk/designated.yaml
  sanctions-check lists import watchlist.csv --id-prefix acme.watchlist -o acme-list.yaml";

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The list: UN Consolidated List XML (.xml), or a simple list (.yaml, .yml, .csv).
    pub file: PathBuf,
    /// For UN XML: keep only this regime (UN_LIST_TYPE), e.g. DPRK. Default: all.
    #[arg(long)]
    pub regime: Option<String>,
    /// Where to write the rule file (default: standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Settings of the bundled UN DPRK pack: id prefix `un-dprk.designated_parties`,
    /// context list `dprk`, and the 1718 asset-freeze and travel-ban citations.
    #[arg(long)]
    pub un_dprk: bool,
    /// Id prefix of the rules made from the list.
    #[arg(long, value_name = "PREFIX")]
    pub id_prefix: Option<String>,
    /// A term list (defined in the rules loaded with it) whose terms give short
    /// or generic aliases the context they need.
    #[arg(long, value_name = "LIST")]
    pub context_list: Option<String>,
}

const EXIT_CODES: &str = "Exit codes: 0 no findings, 1 findings (for `rules test`: a failing example), \
2 errors (bad rules, unreadable input, malformed records, bad usage).";

const SCAN_EXAMPLES: &str = "Exit codes: 0 no findings, 1 findings, 2 errors.

Examples:
  sanctions-check scan reports/                     scan a folder with the bundled UN DPRK pack
  sanctions-check scan --format json memo.txt       one JSON document with findings and summary
  cat notice.txt | sanctions-check scan             read standard input
  sanctions-check scan --rules my-rules/ docs/      use custom rules instead of the bundled pack
  sanctions-check scan --rules builtin --rules extra.yaml docs/
  sanctions-check scan --category petroleum --min-severity high docs/
  sanctions-check scan --write-baseline reviewed.json docs/   then: --baseline reviewed.json";

const EXPLAIN_EXAMPLES: &str = "Examples:
  sanctions-check explain un-dprk.petroleum.refined-supply
  sanctions-check explain un-dprk.petroleum.refined-supply --text \"Diesel was shipped to Nampo.\"
  sanctions-check explain acme.fuel --rules my-rules/ article.txt";

/// Where rules come from.
#[derive(Debug, Args, Clone, Default)]
pub struct RuleSource {
    /// Rule file or folder (repeatable); `builtin` names the bundled pack.
    /// Default: the bundled pack.
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// One block per finding, for people.
    Text,
    /// One JSON document: version, findings, summary, errors.
    Json,
    /// One JSON object per finding per line, streamed.
    Jsonl,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// One row per finding, with a header.
    Csv,
}

/// Output formats of the commands that print one report.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    /// For people.
    Text,
    /// One JSON document.
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    /// Color on a terminal, unless NO_COLOR is set.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and folders to scan; `-` (or nothing, with piped input) reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub source: RuleSource,
    /// Only report these categories (repeatable, or comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub category: Vec<String>,
    /// Only report findings of this severity or above.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub min_severity: Option<Severity>,
    /// Only report findings with at least this confidence (0 to 1).
    #[arg(long, value_name = "N", default_value_t = 0.0, value_parser = parse_confidence)]
    pub min_confidence: f64,
    /// Only run rules whose id matches this glob (repeatable), e.g. `un-dprk.petroleum.*`.
    #[arg(long = "rule", value_name = "GLOB")]
    pub rule: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// When to use color.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Worker threads (default: all cores). Output order never depends on it.
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Scan hidden files and folders too.
    #[arg(long)]
    pub hidden: bool,
    /// Do not honour .gitignore, .ignore and similar files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links (loops are detected and reported).
    #[arg(long, short = 'L')]
    pub follow: bool,
    /// Do not report findings whose fingerprints are in this file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings' fingerprints in this file.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Screen names against this list instead of the bundled UN list (repeatable):
    /// a UN Consolidated List XML as downloaded, or a simple YAML/CSV list.
    #[arg(long = "list", value_name = "FILE")]
    pub lists: Vec<PathBuf>,
    /// With --list and a UN XML file: keep only this regime (e.g. DPRK). Default: all.
    #[arg(long, value_name = "REGIME")]
    pub list_regime: Option<String>,
    /// Field-mapping file (YAML) that adds or moves column names of record
    /// files (.json, .jsonl, .csv, .yaml) to the roles rules use.
    #[arg(long, value_name = "FILE")]
    pub fields: Option<PathBuf>,
    /// Read every file as plain text, even .json, .jsonl, .csv and .yaml.
    #[arg(long)]
    pub no_records: bool,
    /// No summary line and no progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List rules: ids, categories, severities, titles.
    List(ListArgs),
    /// Load and check rule files; print every problem with file:line:col.
    Validate(ValidateArgs),
    /// Run every rule's inline examples and explain each failure.
    Test(TestArgs),
    /// Print the JSON Schema of rule files.
    Schema,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub source: RuleSource,
    /// Output format (text or json).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Only rules whose citations include an unverified paragraph number.
    #[arg(long)]
    pub unverified: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Rule files or folders (`builtin` for the bundled pack).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// When to use color.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Rule files or folders (`builtin` for the bundled pack).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Output format (text or json).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id.
    pub rule: String,
    /// A file whose text to explain the rule on.
    #[arg(conflicts_with = "text", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// A text to explain the rule on.
    #[arg(long)]
    pub text: Option<String>,
    #[command(flatten)]
    pub source: RuleSource,
    /// Output format (text or json).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

fn parse_confidence(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` is not a number from 0 to 1")),
    }
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

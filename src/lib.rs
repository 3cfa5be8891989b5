//! sanctions-check flags passages of documents that may describe dealings
//! prohibited by sanctions, so that a person reviews them.
//!
//! The pipeline, one module per arrow:
//!
//! ```text
//! rules/*.yaml ──yaml──▶ model (serde types, positions kept)
//!              ──compile──▶ RuleSet (one automaton + condition trees; Send + Sync)
//! text ──normalize (+ offset map)──▶ automaton pass ──▶ hits
//!      ──scan: only the rules hit, only in the units around the hits──▶ Finding
//! ```
//!
//! ```
//! use sanctions_check::RuleSet;
//!
//! let rules = RuleSet::builtin()?;
//! let text = "A North Korean tanker took on 8,000 barrels of diesel in a ship-to-ship transfer.";
//! for f in rules.scan_text(text) {
//!     println!("{}:{} {} {} [{}]", f.line, f.column, f.severity, f.rule, f.citation_text());
//! }
//! # Ok::<(), sanctions_check::LoadError>(())
//! ```
//!
//! The rule format is documented in `rules/README.md`.

#![deny(missing_docs)]

mod builtin;
mod compile;
pub mod diagnostic;
pub mod document;
pub mod explain;
mod finding;
pub mod model;
pub mod normalize;
pub mod records;
mod ruleset;
mod scan;
mod scan_records;
pub mod segment;
pub mod stream;
pub mod watchlist;
mod yaml;

pub use compile::{MAX_CONDITION_DEPTH, MAX_REGEX_SIZE, MAX_REGEXES, MAX_TERMS};
pub use diagnostic::{Code, Diagnostic};
pub use finding::{Evidence, Finding, FoundQuantity, PartyMatch};
pub use model::{Citation, Severity};
pub use ruleset::{ExampleFailure, LoadError, RuleInfo, RuleSet, RuleSetBuilder, SourceFile};
pub use segment::Scope;
pub use yaml::{MAX_RULE_FILE_BYTES, MAX_YAML_ALIASES, MAX_YAML_DEPTH};

/// The JSON Schema of rule files, generated from the serde types.
pub fn rule_file_schema() -> String {
    let schema = schemars::schema_for!(model::RuleFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

//! SARIF 2.1.0 output: the few structures code-scanning tools read.

use sanctions_check::{Finding, RuleSet, Severity};
use serde::Serialize;

#[derive(Serialize)]
pub struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    /// Columns count Unicode code points (characters), as in every output.
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    short_description: Message,
    full_description: Message,
    default_configuration: Configuration,
    properties: DescriptorProperties<'a>,
}

#[derive(Serialize)]
struct DescriptorProperties<'a> {
    category: &'a str,
    severity: Severity,
    citations: Vec<String>,
    tags: &'a [String],
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    properties: ResultProperties,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "sanctionsCheck/v1")]
    v1: String,
}

#[derive(Serialize)]
struct ResultProperties {
    category: String,
    severity: Severity,
    confidence: f64,
    proximity: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    /// Absent for records, whose offsets are within a field's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<usize>,
    snippet: Message,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// The artifact URI of a path: relative paths stay relative, absolute ones
/// become `file://` URIs; every byte outside the unreserved set and `/` is
/// percent-encoded.
fn uri(path: &str) -> String {
    if path == "-" {
        return "stdin".into();
    }
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if p.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

/// The SARIF log of a scan.
pub fn log<'a>(rules: &'a RuleSet, findings: &[(String, Finding)]) -> Log<'a> {
    let descriptors: Vec<Descriptor<'a>> = rules
        .rules()
        .map(|r| Descriptor {
            id: &r.id,
            short_description: Message {
                text: r.title.clone(),
            },
            full_description: Message {
                text: if r.description.is_empty() {
                    r.title.clone()
                } else {
                    r.description.clone()
                },
            },
            default_configuration: Configuration {
                level: level(r.severity),
            },
            properties: DescriptorProperties {
                category: &r.category,
                severity: r.severity,
                citations: r.citations.iter().map(ToString::to_string).collect(),
                tags: &r.tags,
            },
        })
        .collect();
    let results = findings
        .iter()
        .map(|(path, f)| SarifResult {
            rule_id: f.rule.clone(),
            rule_index: descriptors.iter().position(|d| d.id == f.rule).unwrap_or(0),
            level: level(f.severity),
            message: Message {
                text: format!("{} ({})", f.title, f.citation_text()),
            },
            locations: vec![Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri: uri(path) },
                    region: Region {
                        start_line: f.line,
                        start_column: f.record.is_none().then_some(f.column),
                        byte_offset: f.record.is_none().then_some(f.start),
                        byte_length: f.record.is_none().then_some(f.end - f.start),
                        snippet: Message {
                            text: f.excerpt.clone(),
                        },
                    },
                },
            }],
            partial_fingerprints: Fingerprints {
                v1: f.fingerprint.clone(),
            },
            properties: ResultProperties {
                category: f.category.clone(),
                severity: f.severity,
                confidence: f.confidence,
                proximity: f.proximity.clone(),
            },
        })
        .collect();
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "sanctions-check",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://github.com/sanctions-check/sanctions-check",
                    rules: descriptors,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

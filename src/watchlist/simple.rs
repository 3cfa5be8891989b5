//! Simple watchlists (YAML or CSV: name, aliases, reference, type), and the
//! rule-file form every list is stored in.
//!
//! Users screen against their own lists in one of two forms.
//!
//! **YAML** ([`parse_simple_yaml`]): the fields of the rule-file model, with
//! friendlier parties: `type` defaults to `entity` (`person`, `company`,
//! `organization` and `ship` are accepted too), `reference` may be left out,
//! and an alias is either a plain string (good quality) or `{name, quality}`.
//!
//! ```yaml
//! name: Our counterparties of concern
//! parties:
//!   - name: Example Shipping Co Ltd
//!     aliases: [Example Shpg, {name: Old Example Co, quality: low}]
//!   - reference: V1
//!     type: vessel
//!     name: EXAMPLE STAR
//!     imo: "9074729"
//! ```
//!
//! **CSV** ([`parse_simple_csv`]): a header row naming the columns, in any
//! order: `name` (required), `aliases` (separated by `;`), `reference`,
//! `type` (`individual`, `entity` or `vessel`; default `entity`), `imo`,
//! `listed_on`, `nationality`. Lines starting with `#` are comments.
//!
//! In both forms a party without a reference gets `P` and its position
//! (`P001`, `P002`...), references must be unique, and an IMO number (only
//! for vessels; `IMO 9074729` and `9074729` are both accepted) must be seven
//! digits with a valid check digit.
//!
//! [`to_rule_yaml`] writes any list as a rule file (`watchlist:` key) that the
//! rule loader reads back unchanged.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use super::un_xml::ListError;
use super::variants::imo_check_digit_ok;
use super::{Alias, Party, PartyKind, Quality, WatchlistDef};
use crate::model::{Citation, Severity};

/// Name given to a simple list that does not name itself.
pub const DEFAULT_LIST_NAME: &str = "custom list";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SimpleList {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    generated: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default)]
    citations: Vec<Citation>,
    #[serde(default)]
    id_prefix: Option<String>,
    #[serde(default)]
    context_list: Option<String>,
    #[serde(default)]
    parties: Vec<SimpleParty>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SimpleParty {
    #[serde(default)]
    reference: Option<Scalar>,
    #[serde(default, rename = "type")]
    kind: Option<KindIn>,
    name: String,
    #[serde(default)]
    name_parts: Vec<String>,
    #[serde(default)]
    aliases: Vec<AliasIn>,
    #[serde(default)]
    listed_on: Option<String>,
    #[serde(default)]
    nationality: Option<String>,
    #[serde(default)]
    imo: Option<Scalar>,
}

/// A string that YAML may have read as a number (`reference: 12`,
/// `imo: 9074729`).
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Number(u64),
}

impl Scalar {
    fn into_string(self) -> String {
        match self {
            Scalar::Text(s) => s,
            Scalar::Number(n) => n.to_string(),
        }
    }
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum KindIn {
    #[serde(alias = "person")]
    Individual,
    #[serde(alias = "company", alias = "organization", alias = "organisation")]
    Entity,
    #[serde(alias = "ship")]
    Vessel,
}

impl From<KindIn> for PartyKind {
    fn from(k: KindIn) -> Self {
        match k {
            KindIn::Individual => PartyKind::Individual,
            KindIn::Entity => PartyKind::Entity,
            KindIn::Vessel => PartyKind::Vessel,
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum AliasIn {
    Plain(String),
    Full {
        name: String,
        #[serde(default = "good")]
        quality: Quality,
    },
}

fn good() -> Quality {
    Quality::Good
}

/// The fields of one party before checks.
struct RawParty {
    reference: Option<String>,
    kind: PartyKind,
    name: String,
    name_parts: Vec<String>,
    aliases: Vec<Alias>,
    listed_on: Option<String>,
    nationality: Option<String>,
    imo: Option<String>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| super::un_xml::collapse(&s))
        .filter(|s| !s.is_empty())
}

/// Reads an IMO number written `9074729`, `IMO 9074729`, `IMO: 9074729` or
/// `IMO No. 9074729`.
fn parse_imo(raw: &str) -> Result<String, String> {
    let mut rest = raw.trim();
    if rest.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("imo")) {
        rest = rest.get(3..).unwrap_or_default();
    }
    rest = rest.trim_start_matches([' ', ':', '.', '#']);
    if rest.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("no")) {
        rest = rest.get(2..).unwrap_or_default();
    }
    let digits = rest.trim_start_matches([' ', ':', '.', '#']).trim_end();
    if digits.len() != 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("IMO number `{raw}` is not seven digits"));
    }
    if !imo_check_digit_ok(digits) {
        return Err(format!(
            "IMO number `{raw}` fails the check digit (a ship's IMO number has one; \
             IMO company numbers are not ship numbers)"
        ));
    }
    Ok(digits.to_owned())
}

/// Checks one party; `position` is its 1-based position in the list.
fn build_party(position: usize, raw: RawParty) -> Result<Party, String> {
    let name = super::un_xml::collapse(&raw.name);
    let reference = non_empty(raw.reference).unwrap_or_else(|| format!("P{position:03}"));
    if name.is_empty() {
        return Err(format!(
            "party {position} (`{reference}`) has an empty name"
        ));
    }
    let imo = match non_empty(raw.imo) {
        None => None,
        Some(_) if raw.kind != PartyKind::Vessel => {
            return Err(format!(
                "party `{reference}` ({name}) has an IMO number but is not a vessel \
                 (set its type to vessel)"
            ));
        }
        Some(s) => Some(parse_imo(&s).map_err(|e| format!("party `{reference}` ({name}): {e}"))?),
    };
    let mut aliases: Vec<Alias> = Vec::new();
    for a in raw.aliases {
        let alias_name = super::un_xml::collapse(&a.name);
        if !alias_name.is_empty() && !aliases.iter().any(|x| x.name == alias_name) {
            aliases.push(Alias {
                name: alias_name,
                quality: a.quality,
            });
        }
    }
    Ok(Party {
        reference,
        kind: raw.kind,
        name,
        name_parts: raw
            .name_parts
            .iter()
            .map(|p| super::un_xml::collapse(p))
            .filter(|p| !p.is_empty())
            .collect(),
        aliases,
        listed_on: non_empty(raw.listed_on),
        nationality: non_empty(raw.nationality),
        imo,
    })
}

fn duplicate_check(seen: &mut HashSet<String>, party: &Party) -> Result<(), String> {
    if seen.insert(party.reference.to_lowercase()) {
        Ok(())
    } else {
        Err(format!(
            "reference `{}` is used twice (references name the rules, so they must be unique)",
            party.reference
        ))
    }
}

/// Reads a simple watchlist written in YAML (see the module documentation).
///
/// # Errors
///
/// [`ListError::Yaml`] with the position of a syntax error or of a wrong or
/// unknown field; [`ListError::InvalidParty`] for an empty name, a duplicate
/// reference or a bad IMO number.
///
/// ```
/// use sanctions_check::watchlist::{PartyKind, Quality};
/// use sanctions_check::watchlist::simple::parse_simple_yaml;
///
/// let list = parse_simple_yaml(
///     "name: Our list\n\
///      parties:\n  \
///        - name: Example Trading Corp\n    \
///          aliases: [Example Trading, {name: Old Example Co, quality: low}]\n  \
///        - {type: vessel, name: EXAMPLE STAR, imo: 9074729}\n",
/// )?;
/// assert_eq!(list.name, "Our list");
/// let p = &list.parties[0];
/// assert_eq!((p.reference.as_str(), p.kind), ("P001", PartyKind::Entity));
/// assert_eq!(p.aliases[1].quality, Quality::Low);
/// assert_eq!(list.parties[1].imo.as_deref(), Some("9074729"));
/// # Ok::<(), sanctions_check::watchlist::un_xml::ListError>(())
/// ```
pub fn parse_simple_yaml(text: &str) -> Result<WatchlistDef, ListError> {
    let list: SimpleList =
        crate::yaml::parse(Path::new("watchlist"), text).map_err(|d| ListError::Yaml {
            line: d.position.line,
            column: d.position.column,
            message: d.message,
        })?;
    let mut parties = Vec::with_capacity(list.parties.len());
    let mut seen = HashSet::new();
    for (i, p) in list.parties.into_iter().enumerate() {
        let raw = RawParty {
            reference: p.reference.map(Scalar::into_string),
            kind: p.kind.map_or(PartyKind::Entity, PartyKind::from),
            name: p.name,
            name_parts: p.name_parts,
            aliases: p
                .aliases
                .into_iter()
                .map(|a| match a {
                    AliasIn::Plain(name) => Alias {
                        name,
                        quality: Quality::Good,
                    },
                    AliasIn::Full { name, quality } => Alias { name, quality },
                })
                .collect(),
            listed_on: p.listed_on,
            nationality: p.nationality,
            imo: p.imo.map(Scalar::into_string),
        };
        let party = build_party(i + 1, raw)
            .and_then(|party| duplicate_check(&mut seen, &party).map(|()| party))
            .map_err(|message| ListError::InvalidParty { message })?;
        parties.push(party);
    }
    Ok(WatchlistDef {
        name: non_empty(list.name).unwrap_or_else(|| DEFAULT_LIST_NAME.to_owned()),
        source: non_empty(list.source),
        generated: non_empty(list.generated),
        category: non_empty(list.category),
        severity: list.severity,
        citations: list.citations,
        id_prefix: non_empty(list.id_prefix),
        context_list: non_empty(list.context_list),
        parties,
    })
}

/// The columns of a CSV list.
#[derive(Default)]
struct Columns {
    name: Option<usize>,
    aliases: Option<usize>,
    reference: Option<usize>,
    kind: Option<usize>,
    imo: Option<usize>,
    listed_on: Option<usize>,
    nationality: Option<usize>,
}

/// The 1-based line where the record read from `pos` starts. The reader
/// reports where it began reading, before the blank and comment lines it
/// skipped, so skip them here too.
fn record_line(text: &str, pos: &csv::Position) -> u64 {
    let bytes = text.as_bytes();
    let mut b = usize::try_from(pos.byte())
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    while b < bytes.len() {
        match bytes[b] {
            b'\n' => b += 1,
            b'\r' if bytes.get(b + 1) == Some(&b'\n') => b += 2,
            b'#' => {
                b = bytes[b..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(bytes.len(), |i| b + i + 1);
            }
            _ => break,
        }
    }
    let newlines = bytes[..b].iter().filter(|&&c| c == b'\n').count();
    u64::try_from(newlines)
        .unwrap_or(u64::MAX)
        .saturating_add(1)
}

fn csv_error(text: &str, e: &csv::Error, fallback_line: u64) -> ListError {
    let line = e.position().map_or(fallback_line, |p| record_line(text, p));
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("the row has {len} fields but the header has {expected_len}"),
        _ => e.to_string(),
    };
    ListError::Csv { line, message }
}

fn parse_kind(cell: &str) -> Option<PartyKind> {
    match cell.trim().to_lowercase().as_str() {
        "" | "entity" | "company" | "organization" | "organisation" => Some(PartyKind::Entity),
        "individual" | "person" => Some(PartyKind::Individual),
        "vessel" | "ship" => Some(PartyKind::Vessel),
        _ => None,
    }
}

/// Reads a simple watchlist written as CSV with a header row (see the module
/// documentation). The list is named [`DEFAULT_LIST_NAME`].
///
/// # Errors
///
/// [`ListError::Csv`] with the line of the row for a missing `name` column,
/// an unknown column, a row with the wrong number of fields, an empty name,
/// an unknown type, a bad IMO number or a duplicate reference.
///
/// ```
/// use sanctions_check::watchlist::PartyKind;
/// use sanctions_check::watchlist::simple::parse_simple_csv;
///
/// let list = parse_simple_csv(
///     "name,aliases,reference,type,imo\n\
///      Example Trading Corp,Example Trading;ETC,E1,entity,\n\
///      Kim Example,,I1,individual,\n\
///      EXAMPLE STAR,,V1,vessel,IMO 9074729\n",
/// )?;
/// assert_eq!(list.parties.len(), 3);
/// assert_eq!(list.parties[0].aliases.len(), 2);
/// assert_eq!(list.parties[2].kind, PartyKind::Vessel);
/// assert_eq!(list.parties[2].imo.as_deref(), Some("9074729"));
///
/// let err = parse_simple_csv("name,type\nA,entity\nB,robot\n").unwrap_err();
/// assert_eq!(err.to_string(), "CSV error at line 3: unknown type `robot` (use individual, entity or vessel)");
/// # Ok::<(), sanctions_check::watchlist::un_xml::ListError>(())
/// ```
pub fn parse_simple_csv(text: &str) -> Result<WatchlistDef, ListError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| csv_error(text, &e, 1))?
        .clone();
    let header_line = headers.position().map_or(1, |p| record_line(text, p));
    let mut cols = Columns::default();
    for (i, h) in headers.iter().enumerate() {
        let key = h.trim().trim_start_matches('\u{FEFF}').to_lowercase();
        let slot = match key.as_str() {
            "name" => &mut cols.name,
            "aliases" | "alias" => &mut cols.aliases,
            "reference" | "ref" => &mut cols.reference,
            "type" | "kind" => &mut cols.kind,
            "imo" => &mut cols.imo,
            "listed_on" => &mut cols.listed_on,
            "nationality" => &mut cols.nationality,
            _ => {
                return Err(ListError::Csv {
                    line: header_line,
                    message: format!(
                        "unknown column `{h}` (use name, aliases, reference, type, imo, \
                         listed_on, nationality)"
                    ),
                });
            }
        };
        if slot.is_some() {
            return Err(ListError::Csv {
                line: header_line,
                message: format!("column `{h}` appears twice"),
            });
        }
        *slot = Some(i);
    }
    let Some(name_col) = cols.name else {
        return Err(ListError::Csv {
            line: header_line,
            message: "the header row has no `name` column (expected e.g. \
                      `name,aliases,reference,type,imo`)"
                .to_owned(),
        });
    };

    let mut parties = Vec::new();
    let mut seen = HashSet::new();
    let mut last_line = header_line;
    for row in reader.records() {
        let row = row.map_err(|e| csv_error(text, &e, last_line + 1))?;
        let line = row
            .position()
            .map_or(last_line + 1, |p| record_line(text, p));
        last_line = line;
        if row.iter().all(str::is_empty) {
            continue;
        }
        let cell = |c: Option<usize>| c.and_then(|i| row.get(i)).unwrap_or_default();
        let kind_cell = cell(cols.kind);
        let kind = parse_kind(kind_cell).ok_or_else(|| ListError::Csv {
            line,
            message: format!("unknown type `{kind_cell}` (use individual, entity or vessel)"),
        })?;
        let raw = RawParty {
            reference: Some(cell(cols.reference).to_owned()),
            kind,
            name: cell(Some(name_col)).to_owned(),
            name_parts: Vec::new(),
            aliases: cell(cols.aliases)
                .split(';')
                .map(|a| Alias {
                    name: a.to_owned(),
                    quality: Quality::Good,
                })
                .collect(),
            listed_on: Some(cell(cols.listed_on).to_owned()),
            nationality: Some(cell(cols.nationality).to_owned()),
            imo: Some(cell(cols.imo).to_owned()),
        };
        let party = build_party(parties.len() + 1, raw)
            .and_then(|party| duplicate_check(&mut seen, &party).map(|()| party))
            .map_err(|message| ListError::Csv { line, message })?;
        parties.push(party);
    }
    Ok(WatchlistDef {
        name: DEFAULT_LIST_NAME.to_owned(),
        parties,
        ..WatchlistDef::default()
    })
}

/// Is `c` allowed unescaped in a YAML double-quoted scalar? (YAML 1.2
/// printable characters, minus the ones YAML 1.1 readers take for line
/// breaks and the byte-order mark.)
fn yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// `s` as a JSON string, which is also a valid YAML double-quoted scalar.
fn quote(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap_or_else(|_| String::from("\"\""));
    if json.chars().all(yaml_printable) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if yaml_printable(c) {
            out.push(c);
        } else {
            // Only BMP characters are not printable, so one \u escape.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        }
    }
    out
}

/// An enum value as serde names it, quoted.
fn quote_serde<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| String::from("\"\""))
}

fn field(out: &mut String, indent: &str, key: &str, value: Option<&String>) {
    if let Some(v) = value {
        let _ = writeln!(out, "{indent}{key}: {}", quote(v));
    }
}

/// Writes `list` as a rule file holding it under a top-level `watchlist:` key,
/// with the field names of the serde model and every string quoted as a JSON
/// string. The output is deterministic and reads back to the same list.
///
/// ```
/// use sanctions_check::watchlist::simple::{parse_simple_csv, to_rule_yaml};
///
/// let list = parse_simple_csv("name,aliases,type\nKim Example,Kim Ex-Ample,individual\n")?;
/// let yaml = to_rule_yaml(&list);
/// assert!(yaml.starts_with("# Generated by `sanctions-check lists import`"));
/// assert!(yaml.contains("\nwatchlist:\n  name: \"custom list\"\n  parties:\n    - reference: \"P001\"\n"));
/// assert!(yaml.contains("      aliases:\n        - {name: \"Kim Ex-Ample\", quality: \"good\"}\n"));
/// # Ok::<(), sanctions_check::watchlist::un_xml::ListError>(())
/// ```
pub fn to_rule_yaml(list: &WatchlistDef) -> String {
    let mut out = String::new();
    out.push_str(
        "# Generated by `sanctions-check lists import`: do not edit by hand.\n\
         # Re-run the import to update this list; change the source list, not this file.\n",
    );
    out.push_str("watchlist:\n");
    let i1 = "  ";
    field(&mut out, i1, "name", Some(&list.name));
    field(&mut out, i1, "source", list.source.as_ref());
    field(&mut out, i1, "generated", list.generated.as_ref());
    field(&mut out, i1, "category", list.category.as_ref());
    if let Some(s) = &list.severity {
        let _ = writeln!(out, "{i1}severity: {}", quote_serde(s));
    }
    if !list.citations.is_empty() {
        out.push_str("  citations:\n");
        for c in &list.citations {
            let _ = writeln!(out, "    - instrument: {}", quote(&c.instrument));
            field(&mut out, "      ", "paragraph", c.paragraph.as_ref());
            let _ = writeln!(out, "      verified: {}", c.verified);
            field(&mut out, "      ", "url", c.url.as_ref());
        }
    }
    field(&mut out, i1, "id_prefix", list.id_prefix.as_ref());
    field(&mut out, i1, "context_list", list.context_list.as_ref());
    if list.parties.is_empty() {
        out.push_str("  parties: []\n");
        return out;
    }
    out.push_str("  parties:\n");
    let i3 = "      ";
    for p in &list.parties {
        let _ = writeln!(out, "    - reference: {}", quote(&p.reference));
        let _ = writeln!(out, "{i3}type: {}", quote_serde(&p.kind));
        field(&mut out, i3, "name", Some(&p.name));
        if !p.name_parts.is_empty() {
            let parts: Vec<String> = p.name_parts.iter().map(|s| quote(s)).collect();
            let _ = writeln!(out, "{i3}name_parts: [{}]", parts.join(", "));
        }
        if !p.aliases.is_empty() {
            let _ = writeln!(out, "{i3}aliases:");
            for a in &p.aliases {
                let _ = writeln!(
                    out,
                    "{i3}  - {{name: {}, quality: {}}}",
                    quote(&a.name),
                    quote_serde(&a.quality)
                );
            }
        }
        field(&mut out, i3, "listed_on", p.listed_on.as_ref());
        field(&mut out, i3, "nationality", p.nationality.as_ref());
        field(&mut out, i3, "imo", p.imo.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Wrapper {
        watchlist: WatchlistDef,
    }

    fn round_trip(list: &WatchlistDef) -> WatchlistDef {
        let yaml = to_rule_yaml(list);
        match serde_saphyr::from_str::<Wrapper>(&yaml) {
            Ok(w) => w.watchlist,
            Err(e) => panic!("{e}\n{yaml}"),
        }
    }

    fn full_list() -> WatchlistDef {
        WatchlistDef {
            name: "Test \"list\"\nwith: colon # and hash".into(),
            source: Some("somewhere\u{2028}odd\u{85}\u{7f}\u{1}".into()),
            generated: Some("2030-01-15T00:00:05.000Z".into()),
            category: Some("designated_parties".into()),
            severity: Some(Severity::Critical),
            citations: vec![
                Citation {
                    instrument: "UNSCR 1718 (2006)".into(),
                    paragraph: Some("8(d)".into()),
                    verified: true,
                    url: Some("https://example.org/r?a=1&b=2".into()),
                },
                Citation {
                    instrument: "UNSCR 2270 (2016)".into(),
                    paragraph: None,
                    verified: false,
                    url: None,
                },
            ],
            id_prefix: Some("un1718".into()),
            context_list: Some("dprk".into()),
            parties: vec![
                Party {
                    reference: "KPi.001".into(),
                    kind: PartyKind::Individual,
                    name: "CH'OE SO’K MIN".into(),
                    name_parts: vec!["CH'OE".into(), "SO’K MIN".into()],
                    aliases: vec![
                        Alias {
                            name: "Choe Sok Min".into(),
                            quality: Quality::Low,
                        },
                        Alias {
                            name: "金铁三 \\ 'x' {y} [z] &a *b !c %d @e `f`".into(),
                            quality: Quality::Good,
                        },
                    ],
                    listed_on: Some("2016-03-02".into()),
                    nationality: Some("Democratic People's Republic of Korea".into()),
                    imo: None,
                },
                Party {
                    reference: "V1".into(),
                    kind: PartyKind::Vessel,
                    name: "null".into(),
                    name_parts: vec![],
                    aliases: vec![],
                    listed_on: None,
                    nationality: None,
                    imo: Some("9074729".into()),
                },
                Party {
                    reference: "true".into(),
                    kind: PartyKind::Entity,
                    name: "- yes: no".into(),
                    name_parts: vec![],
                    aliases: vec![],
                    listed_on: None,
                    nationality: None,
                    imo: None,
                },
            ],
        }
    }

    #[test]
    fn rule_yaml_round_trips() {
        let list = full_list();
        assert_eq!(round_trip(&list), list);
        let empty = WatchlistDef {
            name: "empty".into(),
            ..WatchlistDef::default()
        };
        assert_eq!(round_trip(&empty), empty);
    }

    #[test]
    fn rule_yaml_is_deterministic_and_escapes_non_printables() {
        let list = full_list();
        let a = to_rule_yaml(&list);
        assert_eq!(a, to_rule_yaml(&list.clone()));
        assert!(a.contains("\\u2028") && a.contains("\\u0085") && a.contains("\\u007f"));
        assert!(a.contains("\\u0001"));
    }

    #[test]
    fn imo_forms() {
        assert_eq!(parse_imo("9074729").as_deref(), Ok("9074729"));
        assert_eq!(parse_imo("IMO 9074729").as_deref(), Ok("9074729"));
        assert_eq!(parse_imo("imo: 9074729").as_deref(), Ok("9074729"));
        assert_eq!(parse_imo("IMO No. 9074729").as_deref(), Ok("9074729"));
        assert_eq!(parse_imo("IMO9074729").as_deref(), Ok("9074729"));
        assert!(parse_imo("9074728").is_err());
        assert!(parse_imo("907472").is_err());
        assert!(parse_imo("ｉｍｏ 9074729").is_err());
        assert!(parse_imo("IMO ٩٠٧٤٧٢٩").is_err());
    }

    #[test]
    fn yaml_numbers_and_kinds() {
        let list = parse_simple_yaml(
            "parties:\n  - {reference: 12, type: ship, name: SAM MA 2, imo: 8914934}\n  - {type: person, name: Kim Example}\n",
        );
        let list = match list {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(list.name, DEFAULT_LIST_NAME);
        assert_eq!(list.parties[0].reference, "12");
        assert_eq!(list.parties[0].imo.as_deref(), Some("8914934"));
        assert_eq!(list.parties[1].kind, PartyKind::Individual);
        assert_eq!(list.parties[1].reference, "P002");
    }

    #[test]
    fn yaml_errors() {
        let e = parse_simple_yaml("parties:\n  - name: A\n    alias: [B]\n");
        assert!(matches!(e, Err(ListError::Yaml { line: 3, .. })), "{e:?}");
        let e = parse_simple_yaml("parties:\n  - name: A\n    type: robot\n");
        assert!(matches!(e, Err(ListError::Yaml { line: 3, .. })), "{e:?}");
        let e = parse_simple_yaml(
            "parties:\n  - {reference: A, name: X}\n  - {reference: a, name: Y}\n",
        );
        assert!(matches!(e, Err(ListError::InvalidParty { .. })), "{e:?}");
        let e = parse_simple_yaml("parties:\n  - {name: X, imo: 9074729}\n");
        assert!(matches!(e, Err(ListError::InvalidParty { .. })), "{e:?}");
        let e = parse_simple_yaml("parties:\n  - {name: '  '}\n");
        assert!(matches!(e, Err(ListError::InvalidParty { .. })), "{e:?}");
    }

    #[test]
    fn csv_errors_have_lines() {
        let line_of = |text: &str| match parse_simple_csv(text) {
            Err(ListError::Csv { line, .. }) => line,
            other => panic!("{other:?}"),
        };
        assert_eq!(line_of("aliases,type\nA,entity\n"), 1);
        assert_eq!(line_of("name,colour\nA,red\n"), 1);
        assert_eq!(
            line_of("name,type\nA,entity\n# comment\nB,entity,extra\n"),
            4
        );
        assert_eq!(line_of("name,reference\nA,R1\n\"B\nC\",R2\nD,r1\n"), 5);
        assert_eq!(line_of("name,imo,type\nA,9074728,vessel\n"), 2);
        assert_eq!(line_of("name,type\n,entity\n"), 2);
        assert_eq!(
            line_of("# a list\n\nname,type\n\nA,entity\r\n\r\n# c\nB,robot\n"),
            8
        );
        assert_eq!(line_of("# a list\n\nnome,type\n"), 3);
    }

    #[test]
    fn csv_skips_empty_rows_and_aliases() {
        let list = parse_simple_csv("\u{FEFF}Name , Aliases\nA,\" B ; ;C;B\"\n,\n");
        let list = match list {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(list.parties.len(), 1);
        let names: Vec<&str> = list.parties[0]
            .aliases
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(names, ["B", "C"]);
    }
}

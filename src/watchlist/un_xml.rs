//! The UN Security Council Consolidated List (XML).
//!
//! The UN publishes one XML file for all Security Council sanctions regimes
//! (`https://scsanctions.un.org/resources/xml/en/consolidated.xml`):
//!
//! ```text
//! CONSOLIDATED_LIST (@dateGenerated)
//! ├── INDIVIDUALS / INDIVIDUAL*   one per listed person
//! └── ENTITIES / ENTITY*          one per listed entity or group
//! ```
//!
//! [`parse_un_xml`] reads the whole file or an extract of it and keeps facts
//! only: reference number, names, aliases with their quality, date of listing
//! and nationality. Narrative fields (`COMMENTS1`, designations, addresses,
//! documents) are never copied. The IMO numbers that appear in the comments
//! of entity records are IMO *company* numbers, not ship numbers, so no party
//! read from this file has an `imo`.
//!
//! The reader is lenient about content and strict about syntax:
//!
//! - unknown elements are ignored and every optional element may be missing;
//! - every text value is trimmed and its runs of whitespace (including the
//!   line breaks found inside some names) collapse to one space;
//! - aliases with an empty name are skipped, and so are records without a
//!   name; a record without a reference number falls back to its `DATAID`;
//! - alias quality: `Good`, `a.k.a.`, `f.k.a.` (a former name still
//!   identifies the party) or an empty quality give [`Quality::Good`]; `Low`
//!   and any other value give [`Quality::Low`];
//! - malformed XML is an error with the line and column of the problem.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::{Alias, Party, PartyKind, Quality, WatchlistDef};

/// Name of the source written into lists read from the UN XML.
pub const UN_SOURCE: &str = "UN Security Council Consolidated List";

/// Why a list could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ListError {
    /// The XML is not well formed.
    #[error("malformed XML at line {line}, column {column}: {message}")]
    Xml {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem, in characters.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The XML is well formed but is not a UN Consolidated List.
    #[error("not a UN Consolidated List: {found}, expected a <CONSOLIDATED_LIST> root element")]
    NotConsolidatedList {
        /// What was found instead (e.g. `the root element is <sdnList>`).
        found: String,
    },
    /// The YAML of a simple list could not be read.
    #[error("YAML error at line {line}, column {column}: {message}")]
    Yaml {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A row of a CSV list is wrong.
    #[error("CSV error at line {line}: {message}")]
    Csv {
        /// 1-based line of the row.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A party of a simple list is wrong (empty name, duplicate reference,
    /// bad IMO number...).
    #[error("invalid party: {message}")]
    InvalidParty {
        /// What is wrong, naming the party.
        message: String,
    },
}

/// 1-based line and column (in characters) of byte offset `pos` of `text`.
pub(crate) fn line_column(text: &str, pos: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let before = &bytes[..pos.min(bytes.len())];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // Count characters: every byte that does not continue a UTF-8 sequence.
    let column = 1 + before[line_start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count();
    (line, column)
}

fn xml_error(text: &str, pos: usize, message: impl Into<String>) -> ListError {
    let (line, column) = line_column(text, pos);
    ListError::Xml {
        line,
        column,
        message: message.into(),
    }
}

/// Trims `s` and collapses every run of whitespace to one space.
pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Maps the list's alias quality to ours (see the module documentation).
pub(crate) fn alias_quality(raw: &str) -> Quality {
    let key: String = raw
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match key.as_str() {
        "" | "good" | "strong" | "aka" | "fka" | "nka" => Quality::Good,
        _ => Quality::Low,
    }
}

/// One INDIVIDUAL or ENTITY record while it is read.
#[derive(Default)]
struct Record {
    list_type: Option<String>,
    reference: Option<String>,
    dataid: Option<String>,
    names: [Option<String>; 4],
    listed_on: Option<String>,
    nationality: Option<String>,
    aliases: Vec<Alias>,
    alias_quality: Option<String>,
    alias_name: Option<String>,
}

impl Record {
    fn set_field(&mut self, field: &str, value: String) {
        let slot = match field {
            "UN_LIST_TYPE" => &mut self.list_type,
            "REFERENCE_NUMBER" => &mut self.reference,
            "DATAID" => &mut self.dataid,
            "FIRST_NAME" => &mut self.names[0],
            "SECOND_NAME" => &mut self.names[1],
            "THIRD_NAME" => &mut self.names[2],
            "FOURTH_NAME" => &mut self.names[3],
            "LISTED_ON" => &mut self.listed_on,
            _ => return,
        };
        if slot.is_none() && !value.is_empty() {
            *slot = Some(value);
        }
    }

    fn into_party(self, kind: PartyKind) -> Option<Party> {
        let reference = self
            .reference
            .or_else(|| self.dataid.map(|d| format!("DATAID {d}")))?;
        let (name, name_parts) = match kind {
            PartyKind::Individual => {
                let parts: Vec<String> = self.names.into_iter().flatten().collect();
                (parts.join(" "), parts)
            }
            _ => (self.names.into_iter().flatten().next()?, Vec::new()),
        };
        if name.is_empty() {
            return None;
        }
        let listed_on = self.listed_on.map(|d| {
            // `2009-04-24T00:00:00` in some older files: keep the date.
            let b = d.as_bytes();
            if d.len() > 10 && b.get(10) == Some(&b'T') && d.is_char_boundary(10) {
                d[..10].to_owned()
            } else {
                d
            }
        });
        Some(Party {
            reference,
            kind,
            name,
            name_parts,
            aliases: self.aliases,
            listed_on,
            nationality: self.nationality,
            imo: None,
        })
    }
}

/// Reads the UN Security Council Consolidated List XML (the full file or an
/// extract), keeping only the entries of `regime` (the `UN_LIST_TYPE`,
/// compared case-insensitively, e.g. `DPRK`) when it is given.
///
/// Parties are sorted by reference number. See the module documentation for
/// what is kept and how quirks of the real file are handled.
///
/// # Errors
///
/// [`ListError::Xml`] with the line and column of the problem when the XML
/// is malformed, and [`ListError::NotConsolidatedList`] when the root element
/// is not `CONSOLIDATED_LIST`.
///
/// ```
/// use sanctions_check::watchlist::{PartyKind, Quality};
/// use sanctions_check::watchlist::un_xml::parse_un_xml;
///
/// let xml = r#"<CONSOLIDATED_LIST dateGenerated="2030-01-15T00:00:05.000Z">
///   <INDIVIDUALS><INDIVIDUAL>
///     <FIRST_NAME>PAEK</FIRST_NAME><SECOND_NAME>SONG-HUI</SECOND_NAME>
///     <UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPi.901</REFERENCE_NUMBER>
///     <LISTED_ON>2030-01-10</LISTED_ON>
///     <COMMENTS1>Narrative is never copied.</COMMENTS1>
///     <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Mr. Bai</ALIAS_NAME></INDIVIDUAL_ALIAS>
///   </INDIVIDUAL></INDIVIDUALS>
///   <ENTITIES><ENTITY>
///     <FIRST_NAME>EXAMPLE TRADING CORPORATION</FIRST_NAME>
///     <UN_LIST_TYPE>Taliban</UN_LIST_TYPE><REFERENCE_NUMBER>TAe.901</REFERENCE_NUMBER>
///   </ENTITY></ENTITIES>
/// </CONSOLIDATED_LIST>"#;
///
/// let list = parse_un_xml(xml, Some("dprk"))?;
/// assert_eq!(list.name, "UN Security Council Consolidated List (DPRK)");
/// assert_eq!(list.generated.as_deref(), Some("2030-01-15T00:00:05.000Z"));
/// assert_eq!(list.parties.len(), 1);
/// let p = &list.parties[0];
/// assert_eq!((p.reference.as_str(), p.kind), ("KPi.901", PartyKind::Individual));
/// assert_eq!(p.name, "PAEK SONG-HUI");
/// assert_eq!(p.name_parts, ["PAEK", "SONG-HUI"]);
/// assert_eq!(p.aliases[0].quality, Quality::Low);
///
/// let err = parse_un_xml("<CONSOLIDATED_LIST>\n  <INDIVIDUALS>\n</CONSOLIDATED_LIST>", None)
///     .unwrap_err();
/// assert!(err.to_string().starts_with("malformed XML at line 3, column 1"), "{err}");
/// # Ok::<(), sanctions_check::watchlist::un_xml::ListError>(())
/// ```
pub fn parse_un_xml(text: &str, regime: Option<&str>) -> Result<WatchlistDef, ListError> {
    let regime = regime.map(str::trim).filter(|r| !r.is_empty());
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    reader.config_mut().check_end_names = true;

    let mut stack: Vec<String> = Vec::new();
    let mut root_seen = false;
    let mut generated: Option<String> = None;
    // The record being read: its kind and the depth of its element.
    let mut record: Option<(PartyKind, usize, Record)> = None;
    let mut buf = String::new();
    let mut parties: Vec<Party> = Vec::new();
    let mut regime_spelling: Option<String> = None;

    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let pos = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                return Err(xml_error(text, pos, e.to_string()));
            }
        };
        match event {
            Event::Start(start) => {
                let name = local_name(&start);
                if !root_seen {
                    root_seen = true;
                    if !name.eq_ignore_ascii_case("CONSOLIDATED_LIST") {
                        return Err(ListError::NotConsolidatedList {
                            found: format!("the root element is <{name}>"),
                        });
                    }
                    generated = root_date(text, &reader, &start)?;
                }
                stack.push(name);
                buf.clear();
                if record.is_none() {
                    let kind = match stack.last().map(String::as_str) {
                        Some("INDIVIDUAL") => Some(PartyKind::Individual),
                        Some("ENTITY") => Some(PartyKind::Entity),
                        _ => None,
                    };
                    if let Some(kind) = kind {
                        record = Some((kind, stack.len(), Record::default()));
                    }
                }
            }
            Event::End(_) => {
                let value = collapse(&buf);
                buf.clear();
                let mut finished = false;
                if let Some((_, depth, rec)) = record.as_mut() {
                    match stack.get(*depth..).unwrap_or_default() {
                        [] => finished = true,
                        [group] if group.ends_with("_ALIAS") => {
                            let quality = rec.alias_quality.take();
                            if let Some(name) = rec.alias_name.take().filter(|n| !n.is_empty()) {
                                rec.aliases.push(Alias {
                                    name,
                                    quality: alias_quality(quality.as_deref().unwrap_or("")),
                                });
                            }
                        }
                        [field] => rec.set_field(field, value),
                        [group, field]
                            if group == "NATIONALITY"
                                && field == "VALUE"
                                && rec.nationality.is_none()
                                && !value.is_empty() =>
                        {
                            rec.nationality = Some(value);
                        }
                        [group, field] if group.ends_with("_ALIAS") => match field.as_str() {
                            "QUALITY" => rec.alias_quality = Some(value),
                            "ALIAS_NAME" => rec.alias_name = Some(value),
                            _ => {}
                        },
                        _ => {}
                    }
                }
                if finished && let Some((kind, _, rec)) = record.take() {
                    let keep = match (regime, &rec.list_type) {
                        (None, _) => true,
                        (Some(r), Some(t)) => t.eq_ignore_ascii_case(r),
                        (Some(_), None) => false,
                    };
                    if keep {
                        if regime.is_some() && regime_spelling.is_none() {
                            regime_spelling.clone_from(&rec.list_type);
                        }
                        parties.extend(rec.into_party(kind));
                    }
                }
                stack.pop();
            }
            Event::Text(t) => {
                if record.is_some() {
                    buf.push_str(&t.xml_content(XmlVersion::Implicit1_0));
                }
            }
            Event::CData(t) => {
                if record.is_some() {
                    buf.push_str(&t.xml_content(XmlVersion::Implicit1_0));
                }
            }
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten()
                } else {
                    None
                };
                let text_of = match resolved {
                    Some(c) => Some(c.to_string()),
                    None => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_owned),
                };
                match text_of {
                    Some(s) => {
                        if record.is_some() {
                            buf.push_str(&s);
                        }
                    }
                    None => {
                        let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
                        let pos = end.saturating_sub(r.len() + 2);
                        return Err(xml_error(
                            text,
                            pos,
                            format!("unknown or invalid entity reference `&{};`", &*r),
                        ));
                    }
                }
            }
            Event::Eof => break,
            Event::Empty(_)
            | Event::Comment(_)
            | Event::Decl(_)
            | Event::PI(_)
            | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(xml_error(
            text,
            text.len(),
            format!("unexpected end of document: <{open}> is not closed"),
        ));
    }
    if !root_seen {
        return Err(ListError::NotConsolidatedList {
            found: "the document has no root element".to_owned(),
        });
    }

    parties.sort_by(|a, b| a.reference.cmp(&b.reference));
    let name = match regime {
        Some(r) => format!(
            "{UN_SOURCE} ({})",
            regime_spelling.unwrap_or_else(|| r.to_owned())
        ),
        None => UN_SOURCE.to_owned(),
    };
    Ok(WatchlistDef {
        name,
        source: Some(UN_SOURCE.to_owned()),
        generated,
        parties,
        ..WatchlistDef::default()
    })
}

fn local_name(start: &BytesStart<'_>) -> String {
    start.local_name().as_ref().to_owned()
}

/// The `dateGenerated` attribute of the root element.
fn root_date(
    text: &str,
    reader: &quick_xml::Reader<&[u8]>,
    start: &BytesStart<'_>,
) -> Result<Option<String>, ListError> {
    let at_error = |e: &dyn std::fmt::Display| {
        let pos = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let pos = pos.saturating_sub(start.len() + 2);
        xml_error(text, pos, e.to_string())
    };
    match start.try_get_attribute("dateGenerated") {
        Ok(Some(a)) => {
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| at_error(&e))?;
            Ok(Some(collapse(&value)).filter(|v| !v.is_empty()))
        }
        Ok(None) => Ok(None),
        Err(e) => Err(at_error(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        let text = "ab\ncdé f\ng";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        // "cdé " is 5 bytes and 4 characters.
        assert_eq!(line_column(text, 3 + 5), (2, 5));
        assert_eq!(line_column(text, 1000), (3, 2));
    }

    #[test]
    fn quality_mapping() {
        assert_eq!(alias_quality("Good"), Quality::Good);
        assert_eq!(alias_quality("a.k.a."), Quality::Good);
        assert_eq!(alias_quality("f.k.a."), Quality::Good);
        assert_eq!(alias_quality(""), Quality::Good);
        assert_eq!(alias_quality("Low"), Quality::Low);
        assert_eq!(alias_quality("something else"), Quality::Low);
    }

    #[test]
    fn entities_escapes_and_cdata() {
        let xml = "<CONSOLIDATED_LIST><ENTITIES><ENTITY>\
            <FIRST_NAME>A &amp; B <![CDATA[TRADING]]>&#32;CO</FIRST_NAME>\
            <REFERENCE_NUMBER> KPe.9 </REFERENCE_NUMBER>\
            <ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Old&#x20;Name</ALIAS_NAME></ENTITY_ALIAS>\
            <ENTITY_ALIAS><QUALITY/><ALIAS_NAME/></ENTITY_ALIAS>\
            </ENTITY></ENTITIES></CONSOLIDATED_LIST>";
        let list = parse_un_xml(xml, None).unwrap_or_default();
        assert_eq!(list.parties.len(), 1);
        let p = &list.parties[0];
        assert_eq!(p.name, "A & B TRADING CO");
        assert_eq!(p.reference, "KPe.9");
        assert_eq!(
            p.aliases,
            [Alias {
                name: "Old Name".into(),
                quality: Quality::Good
            }]
        );
        assert_eq!(list.name, UN_SOURCE);
    }

    #[test]
    fn unknown_entity_is_an_error() {
        let xml = "<CONSOLIDATED_LIST><ENTITIES><ENTITY>\n<FIRST_NAME>A &foo; B</FIRST_NAME>";
        match parse_un_xml(xml, None) {
            Err(ListError::Xml { line, column, .. }) => assert_eq!((line, column), (2, 15)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unclosed_document_is_an_error() {
        let err = parse_un_xml("<CONSOLIDATED_LIST>\n<INDIVIDUALS>", None);
        assert!(
            matches!(err, Err(ListError::Xml { line: 2, .. })),
            "{err:?}"
        );
    }

    #[test]
    fn byte_order_mark_and_declaration() {
        let xml = "\u{FEFF}<?xml version='1.0' encoding='UTF-8'?>\n<CONSOLIDATED_LIST dateGenerated='2030-01-01'>\
            <ENTITIES><ENTITY><FIRST_NAME>X CO</FIRST_NAME><REFERENCE_NUMBER>KPe.1</REFERENCE_NUMBER>\
            </ENTITY></ENTITIES></CONSOLIDATED_LIST>";
        let list = parse_un_xml(xml, None);
        assert!(matches!(&list, Ok(l) if l.parties.len() == 1), "{list:?}");
    }

    #[test]
    fn other_documents_are_refused() {
        assert!(matches!(
            parse_un_xml("<sdnList></sdnList>", None),
            Err(ListError::NotConsolidatedList { .. })
        ));
        assert!(matches!(
            parse_un_xml("", None),
            Err(ListError::NotConsolidatedList { .. })
        ));
        assert!(matches!(
            parse_un_xml("<?xml version='1.0'?><!-- nothing -->", None),
            Err(ListError::NotConsolidatedList { .. })
        ));
    }

    #[test]
    fn regime_filter_and_date_only_listing() {
        let xml = "<CONSOLIDATED_LIST><INDIVIDUALS>\
            <INDIVIDUAL><FIRST_NAME>KIM</FIRST_NAME><SECOND_NAME>A</SECOND_NAME>\
            <UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPi.2</REFERENCE_NUMBER>\
            <LISTED_ON>2009-04-24T00:00:00</LISTED_ON></INDIVIDUAL>\
            <INDIVIDUAL><FIRST_NAME>X</FIRST_NAME><UN_LIST_TYPE>Iraq</UN_LIST_TYPE>\
            <REFERENCE_NUMBER>IQi.1</REFERENCE_NUMBER></INDIVIDUAL>\
            <INDIVIDUAL><FIRST_NAME>NO TYPE</FIRST_NAME><REFERENCE_NUMBER>XXi.1</REFERENCE_NUMBER></INDIVIDUAL>\
            </INDIVIDUALS></CONSOLIDATED_LIST>";
        let all = parse_un_xml(xml, None).unwrap_or_default();
        assert_eq!(all.parties.len(), 3);
        let dprk = parse_un_xml(xml, Some(" dprk ")).unwrap_or_default();
        assert_eq!(dprk.parties.len(), 1);
        assert_eq!(dprk.parties[0].listed_on.as_deref(), Some("2009-04-24"));
        assert_eq!(dprk.name, "UN Security Council Consolidated List (DPRK)");
    }
}

//! Trade records: customs lines, bills of lading, manifests and payment
//! messages exported as JSON, JSON Lines, CSV or YAML.
//!
//! Each record is flattened into fields addressed by dotted paths
//! (`consignee.country`, `items.0.hs_code`). Numbering is 1-based; `line` is
//! where the record starts in the file. A malformed record (a broken JSONL
//! line, a CSV row with the wrong number of fields) becomes a
//! [`RecordError`] with its line, and the other records are still read.

pub mod hs;
pub mod quantity;
pub mod roles;

use std::path::Path;

use serde_json::Value;

/// A file format that holds records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordFormat {
    /// `.json`: an object, or an array of objects.
    Json,
    /// `.jsonl`, `.ndjson`: one object per line.
    JsonLines,
    /// `.csv`: a header row, then one record per row.
    Csv,
    /// `.yaml`, `.yml`: a sequence of mappings, or one mapping.
    Yaml,
}

impl RecordFormat {
    /// The format a path's extension names, if it holds records.
    pub fn of_path(path: &Path) -> Option<RecordFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "json" => RecordFormat::Json,
            "jsonl" | "ndjson" => RecordFormat::JsonLines,
            "csv" => RecordFormat::Csv,
            "yaml" | "yml" => RecordFormat::Yaml,
            _ => return None,
        })
    }
}

/// One field of a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Dotted path (`consignee.country`), or the CSV header.
    pub path: String,
    /// The value as text.
    pub value: String,
}

/// One record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// 1-based number of the record in its file.
    pub number: usize,
    /// 1-based line where the record starts.
    pub line: usize,
    /// Its fields, in file order.
    pub fields: Vec<Field>,
}

/// A record that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordError {
    /// 1-based number of the record.
    pub number: usize,
    /// 1-based line where it starts.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Records read from a file, and the records that could not be read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Records {
    /// Records read.
    pub records: Vec<Record>,
    /// Records that could not be read.
    pub errors: Vec<RecordError>,
}

/// Reads the records of `text` in `format`.
///
/// ```
/// use sanctions_check::records::{read_records, RecordFormat};
/// let r = read_records(RecordFormat::JsonLines, "{\"hs_code\":\"2710.19\"}\n{broken\n{\"a\":{\"b\":1}}\n");
/// assert_eq!(r.records.len(), 2);
/// assert_eq!(r.records[1].fields[0].path, "a.b");
/// assert_eq!((r.errors[0].number, r.errors[0].line), (2, 2));
/// ```
pub fn read_records(format: RecordFormat, text: &str) -> Records {
    match format {
        RecordFormat::Json => json(text),
        RecordFormat::JsonLines => json_lines(text),
        RecordFormat::Csv => csv_records(text),
        RecordFormat::Yaml => yaml_records(text),
    }
}

/// Flattens a JSON value into fields.
pub fn flatten(value: &Value) -> Vec<Field> {
    let mut out = Vec::new();
    flatten_into(value, String::new(), &mut out, 0);
    out
}

/// Nesting deeper than this is not flattened further.
const MAX_FLATTEN_DEPTH: usize = 32;

fn flatten_into(value: &Value, path: String, out: &mut Vec<Field>, depth: usize) {
    let child = |k: &str| {
        if path.is_empty() {
            k.to_owned()
        } else {
            format!("{path}.{k}")
        }
    };
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push(Field {
            path,
            value: b.to_string(),
        }),
        Value::Number(n) => out.push(Field {
            path,
            value: n.to_string(),
        }),
        Value::String(s) => out.push(Field {
            path,
            value: s.clone(),
        }),
        _ if depth >= MAX_FLATTEN_DEPTH => {}
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten_into(v, child(&i.to_string()), out, depth + 1);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                flatten_into(v, child(k), out, depth + 1);
            }
        }
    }
}

fn line_at(text: &str, byte: usize) -> usize {
    1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..byte.min(text.len())]).count()
}

fn record_of(value: &Value, number: usize, line: usize) -> Result<Record, RecordError> {
    if value.is_object() {
        Ok(Record {
            number,
            line,
            fields: flatten(value),
        })
    } else {
        Err(RecordError {
            number,
            line,
            message: "a record must be an object".into(),
        })
    }
}

fn push(out: &mut Records, r: Result<Record, RecordError>) {
    match r {
        Ok(r) => out.records.push(r),
        Err(e) => out.errors.push(e),
    }
}

fn json(text: &str) -> Records {
    let mut out = Records::default();
    let start = text.len() - text.trim_start().len();
    if text[start..].starts_with('[') {
        for (n, span) in array_elements(text, start).into_iter().enumerate() {
            let line = line_at(text, span.start);
            let r = serde_json::from_str::<Value>(&text[span])
                .map_err(|e| RecordError {
                    number: n + 1,
                    line,
                    message: format!("invalid JSON: {e}"),
                })
                .and_then(|v| record_of(&v, n + 1, line));
            push(&mut out, r);
        }
    } else {
        let line = line_at(text, start);
        let r = serde_json::from_str::<Value>(text)
            .map_err(|e| RecordError {
                number: 1,
                line: e.line().max(1),
                message: format!("invalid JSON: {e}"),
            })
            .and_then(|v| record_of(&v, 1, line));
        push(&mut out, r);
    }
    out
}

/// Byte ranges of the elements of the top-level array starting at `open`,
/// found by tracking strings and brackets, so that one broken element does
/// not hide the others.
fn array_elements(text: &str, open: usize) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    let mut start: Option<usize> = None;
    for (i, &c) in b.iter().enumerate().skip(open) {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => {
                in_str = true;
                if depth == 1 && start.is_none() {
                    start = Some(i);
                }
            }
            b'[' | b'{' => {
                if depth == 1 && start.is_none() {
                    start = Some(i);
                }
                depth += 1;
            }
            b']' | b'}' => {
                if depth == 1 {
                    if let Some(s) = start.take() {
                        out.push(s..i);
                    }
                    return trim_ranges(text, out);
                }
                depth = depth.saturating_sub(1);
            }
            b',' if depth == 1 => {
                if let Some(s) = start.take() {
                    out.push(s..i);
                }
            }
            c if depth == 1 && start.is_none() && !c.is_ascii_whitespace() => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    trim_ranges(text, out)
}

fn trim_ranges(text: &str, ranges: Vec<std::ops::Range<usize>>) -> Vec<std::ops::Range<usize>> {
    ranges
        .into_iter()
        .map(|r| {
            let s = &text[r.clone()];
            r.start..r.start + s.trim_end().len()
        })
        .filter(|r| !r.is_empty())
        .collect()
}

fn json_lines(text: &str) -> Records {
    let mut out = Records::default();
    let mut number = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        number += 1;
        let r = serde_json::from_str::<Value>(line)
            .map_err(|e| RecordError {
                number,
                line: i + 1,
                message: format!("invalid JSON: {e}"),
            })
            .and_then(|v| record_of(&v, number, i + 1));
        push(&mut out, r);
    }
    out
}

fn csv_records(text: &str) -> Records {
    let mut out = Records::default();
    // The delimiter is sniffed from the header row: exports from spreadsheets
    // in many locales use semicolons, some tabs.
    let header = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|d| header.bytes().filter(|b| b == d).count())
        .filter(|d| header.as_bytes().contains(d))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
        Err(e) => {
            out.errors.push(RecordError {
                number: 0,
                line: 1,
                message: format!("unreadable header row: {e}"),
            });
            return out;
        }
    };
    for (i, row) in reader.records().enumerate() {
        let number = i + 1;
        match row {
            Ok(row) => {
                let line = row.position().map_or(0, |p| p.line() as usize);
                if row.len() != headers.len() {
                    out.errors.push(RecordError {
                        number,
                        line,
                        message: format!(
                            "row has {} fields, the header has {}",
                            row.len(),
                            headers.len()
                        ),
                    });
                    continue;
                }
                let fields = headers
                    .iter()
                    .zip(row.iter())
                    .filter(|(_, v)| !v.trim().is_empty())
                    .map(|(h, v)| Field {
                        path: h.clone(),
                        value: v.to_owned(),
                    })
                    .collect();
                out.records.push(Record {
                    number,
                    line,
                    fields,
                });
            }
            Err(e) => out.errors.push(RecordError {
                number,
                line: e.position().map_or(0, |p| p.line() as usize),
                message: e.to_string(),
            }),
        }
    }
    out
}

fn yaml_records(text: &str) -> Records {
    let mut out = Records::default();
    match crate::yaml::parse_records(text) {
        Ok(values) => {
            for (n, (line, v)) in values.iter().enumerate() {
                push(&mut out, record_of(v, n + 1, *line));
            }
        }
        Err((line, message)) => out.errors.push(RecordError {
            number: 1,
            line,
            message,
        }),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_arrays_keep_going_past_a_broken_element() {
        let text = "[\n {\"a\": \"x, y\"},\n {\"b\": [1, 2]},\n {broken},\n {\"c\": {\"d\": null, \"e\": true}}\n]";
        let r = read_records(RecordFormat::Json, text);
        assert_eq!(r.records.len(), 3);
        assert_eq!(r.records[0].fields[0].value, "x, y");
        assert_eq!(r.records[1].fields[1].path, "b.1");
        assert_eq!((r.records[2].number, r.records[2].line), (4, 5));
        assert_eq!((r.errors[0].number, r.errors[0].line), (3, 4));
    }

    #[test]
    fn a_json_object_is_one_record() {
        let r = read_records(
            RecordFormat::Json,
            "\n{\"consignee\": {\"country\": \"KP\"}}",
        );
        assert_eq!(r.records[0].fields[0].path, "consignee.country");
        assert_eq!(r.records[0].line, 2);
    }

    #[test]
    fn csv_rows_with_the_wrong_width_are_reported() {
        let text =
            "hs_code,description\n2710.19,diesel\n0307,squid,extra\n\"0306\",\"crab\nfrozen\"\n";
        let r = read_records(RecordFormat::Csv, text);
        assert_eq!(r.records.len(), 2);
        assert_eq!((r.errors[0].number, r.errors[0].line), (2, 3));
        assert_eq!((r.records[1].number, r.records[1].line), (3, 4));
        assert_eq!(r.records[1].fields[1].value, "crab\nfrozen");
    }

    #[test]
    fn csv_delimiters_are_sniffed() {
        let r = read_records(
            RecordFormat::Csv,
            "HS Code;Destination Country\n2710.19;KP\n",
        );
        assert_eq!(r.records[0].fields[1].value, "KP");
        let r = read_records(RecordFormat::Csv, "a\tb\n1\t2\n");
        assert_eq!(r.records[0].fields[1].path, "b");
    }

    #[test]
    fn yaml_sequences_of_mappings() {
        let r = read_records(
            RecordFormat::Yaml,
            "- hs_code: '0307'\n  origin: KP\n- hs_code: 2710\n",
        );
        assert_eq!(r.records.len(), 2);
        assert_eq!(r.records[1].line, 3);
    }
}

//! Findings: what a reviewer gets for each passage a rule flags.

use std::ops::Range;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::model::{Citation, Severity};

/// One passage flagged by one rule.
///
/// Offsets are byte offsets into the original text (never the folded one);
/// `line` and `column` are 1-based, columns counted in characters.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// The rule id.
    pub rule: String,
    /// The rule title.
    pub title: String,
    /// The rule category.
    pub category: String,
    /// The rule severity.
    pub severity: Severity,
    /// The legal basis the rule cites.
    pub citations: Vec<Citation>,
    /// When the measure took effect (`YYYY-MM-DD`), if the rule says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    /// Start of the flagged passage (byte offset, inclusive).
    pub start: usize,
    /// End of the flagged passage (byte offset, exclusive).
    pub end: usize,
    /// Line of `start` (1-based).
    pub line: usize,
    /// Column of `start` (1-based, in characters).
    pub column: usize,
    /// The sentence (or surrounding text, at most about 400 bytes) around the
    /// passage, verbatim.
    pub excerpt: String,
    /// Byte offset of the excerpt in the original text.
    pub excerpt_start: usize,
    /// Every matched term or pattern that supports the finding.
    pub evidence: Vec<Evidence>,
    /// The narrowest unit holding all the evidence: `sentence`, `paragraph`
    /// or `document`.
    pub proximity: String,
    /// From 0 to 1: 1 when all the evidence is in one sentence, lower when it
    /// is spread out or a downgrade condition (an exemption, say) applies.
    pub confidence: f64,
    /// Why the confidence was lowered, for the reviewer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// For records: the 1-based record number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<usize>,
    /// For records: the field the passage is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For watchlist rules: the listed party and the alias that matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<PartyMatch>,
    /// A quantity the rule required, converted to the rule's unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<FoundQuantity>,
    /// Stable identity of the finding: the same rule and the same evidence
    /// text in the same document give the same fingerprint across runs and
    /// across unrelated edits elsewhere in the document.
    pub fingerprint: String,
}

/// The listed party a watchlist finding names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartyMatch {
    /// Permanent reference (e.g. `KPe.001`).
    pub reference: String,
    /// Primary name on the list.
    pub name: String,
    /// individual, entity or vessel.
    pub kind: String,
    /// The alias (or primary name) that matched, as the list writes it.
    pub alias: String,
    /// `good` or `low`.
    pub quality: String,
    /// Date of listing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed_on: Option<String>,
    /// The list's name.
    pub list: String,
    /// When the list was generated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
}

/// A quantity found by a rule, in the rule's unit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FoundQuantity {
    /// The figure, converted.
    pub value: f64,
    /// The unit of the figure.
    pub unit: String,
    /// The quantity as written.
    pub text: String,
}

/// A term or pattern that matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The matched text, verbatim from the original.
    pub text: String,
    /// The list (or inline condition) it belongs to.
    pub list: String,
    /// For records: the field it is in (offsets are then within the field's value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Start byte offset in the original text.
    pub start: usize,
    /// End byte offset in the original text.
    pub end: usize,
}

impl Finding {
    /// The byte range of the flagged passage.
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The citations as a reviewer reads them, joined with `; `.
    pub fn citation_text(&self) -> String {
        self.citations
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Fingerprint of a finding: a hash of the rule id, the folded evidence texts
/// (sorted, without positions; with their field, for records) and the
/// occurrence number of that pair in the document.
pub(crate) fn fingerprint(rule: &str, evidence: &[Evidence], occurrence: usize) -> String {
    let mut texts: Vec<String> = evidence
        .iter()
        .map(|e| match &e.field {
            Some(f) => format!("{f}={}", crate::normalize::fold_term(&e.text)),
            None => crate::normalize::fold_term(&e.text),
        })
        .collect();
    texts.sort();
    texts.dedup();
    let mut h = Sha256::new();
    h.update(rule.as_bytes());
    for t in &texts {
        h.update([0]);
        h.update(t.as_bytes());
    }
    h.update([1]);
    h.update(occurrence.to_le_bytes());
    let digest = h.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Line starts of a text, for turning byte offsets into lines and columns.
/// Line breaks are `\n`, `\r\n` and a lone `\r`.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let b = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while let Some(off) = memchr::memchr2(b'\n', b'\r', &b[i..]) {
            let at = i + off;
            let next = if b[at] == b'\r' && b.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            starts.push(next);
            i = next;
            if i >= b.len() {
                break;
            }
        }
        LineIndex { starts }
    }

    /// Number of lines (line breaks plus one).
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where the last line starts.
    pub fn last_start(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }

    /// 1-based line and character column of byte `pos`.
    pub fn locate(&self, text: &str, pos: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= pos).max(1);
        let start = self.starts[line - 1];
        let col = text.get(start..pos).map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_with_any_line_ending() {
        let t = "ab\r\ncd\ref\nGé h";
        let idx = LineIndex::new(t);
        assert_eq!(idx.locate(t, 0), (1, 1));
        assert_eq!(idx.locate(t, t.find('c').unwrap()), (2, 1));
        assert_eq!(idx.locate(t, t.find('f').unwrap()), (3, 2));
        assert_eq!(idx.locate(t, t.find('h').unwrap()), (4, 4));
    }

    #[test]
    fn fingerprints_ignore_positions_and_case() {
        let ev = |text: &str, start| Evidence {
            text: text.into(),
            list: "l".into(),
            field: None,
            start,
            end: start + text.len(),
        };
        let a = fingerprint("r", &[ev("North Korea", 10), ev("diesel", 40)], 0);
        let b = fingerprint("r", &[ev("diesel", 400), ev("north  korea", 100)], 0);
        assert_eq!(a, b);
        assert_ne!(a, fingerprint("r", &[ev("diesel", 1)], 0));
        assert_ne!(
            a,
            fingerprint("r", &[ev("North Korea", 10), ev("diesel", 40)], 1)
        );
        assert_eq!(a.len(), 16);
    }
}

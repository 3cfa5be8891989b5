//! The first stage of a scan: a small automaton over the words that every
//! rule needs, run on the raw text.
//!
//! Most documents never mention the sanctioned country. Every rule of a pack
//! usually requires a link to it (a *gate clause*: one of its atoms must be
//! hit somewhere in the document), so a document in which no gate atom can
//! match cannot produce a finding, and costs one pass of a small
//! ASCII-case-insensitive automaton instead of normalization plus the full
//! term automaton.
//!
//! The gate must never lose a finding. On the raw text it first looks for
//! what is *necessary*: for each literal term of a gate atom, one word of it
//! (the most distinctive); around each such word, it folds a window reaching
//! as many words on each side as the longest gate term has, and looks there
//! for the gate terms themselves. "Korea" in "South Korea" thus costs one
//! small window, and the document stays out of the full stage. When a
//! document's only non-ASCII characters are
//! punctuation, quotes, dashes, symbols or spaces (most English news),
//! folding only changes case and turns separators into spaces, so a folded
//! match of a term implies that each of its words appears in the raw text as
//! it is, case aside: the gate runs on the raw bytes. Non-ASCII letters or
//! digits (diacritics and transliteration change letters), invisible
//! characters (soft hyphens, zero-width spaces) and a hyphen at a line end
//! (which joins two raw words into one) break that; the gate then runs on
//! the folded text, which the full stage reuses.
//!
//! The gate is built only when every text rule has a clause made of literal
//! terms alone; otherwise every document goes through the full stage.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::{AtomId, Clause};

/// Words too common to gate on: when a term has a rarer word, that one is
/// used ("korea", not "north", for "North Korea").
const COMMON: &[&str] = &[
    "the",
    "of",
    "and",
    "for",
    "in",
    "on",
    "to",
    "a",
    "an",
    "north",
    "south",
    "people",
    "peoples",
    "republic",
    "democratic",
    "party",
    "army",
    "general",
    "bureau",
    "office",
    "central",
    "news",
    "agency",
    "workers",
    "state",
    "ministry",
    "national",
    "committee",
    "commission",
    "company",
    "corporation",
    "trading",
    "bank",
    "group",
    "international",
    "second",
    "first",
];

/// The gate of a rule set.
pub(crate) struct Gate {
    /// One distinctive word per gate term, on raw text, case-insensitive.
    ac: AhoCorasick,
    words: usize,
    /// The folded gate terms.
    terms: AhoCorasick,
    /// Words in the longest gate term.
    max_words: u32,
}

impl Gate {
    /// Builds the gate: `clauses[i]` are the requirements of text rule `i`;
    /// `terms(atom)` gives an atom's folded literal terms, or `None` when the
    /// atom holds a regex. `None` when some rule has no literal-only clause.
    pub fn build<'a>(
        clauses: &[&[Clause]],
        terms: impl Fn(AtomId) -> Option<Vec<&'a str>>,
    ) -> Option<Gate> {
        let mut words: Vec<String> = Vec::new();
        let mut gate_terms: Vec<String> = Vec::new();
        let mut uses: std::collections::HashMap<AtomId, usize> = Default::default();
        for rule in clauses {
            for c in *rule {
                for a in &c.atoms {
                    *uses.entry(*a).or_default() += 1;
                }
            }
        }
        for rule in clauses {
            // The literal-only clause whose atoms the most rules share: the
            // pack's link to the sanctioned country, typically.
            let best = rule
                .iter()
                .filter(|c| c.atoms.iter().all(|a| terms(*a).is_some()))
                .max_by_key(|c| c.atoms.iter().map(|a| uses[a]).min().unwrap_or(0))?;
            for a in &best.atoms {
                for t in terms(*a)? {
                    words.push(gate_word(t)?.to_owned());
                    gate_terms.push(t.to_owned());
                }
            }
        }
        words.sort();
        words.dedup();
        gate_terms.sort();
        gate_terms.dedup();
        let max_words = gate_terms
            .iter()
            .map(|t| {
                t.split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .count()
            })
            .max()
            .unwrap_or(1);
        let n = words.len();
        // Past this size the gate would cost more to build than it saves.
        if n > super::terms::AUTOMATON_PATTERNS
            || gate_terms.len() > super::terms::AUTOMATON_PATTERNS
        {
            return None;
        }
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&words)
            .ok()?;
        // Only run on small windows, so an NFA (cheap to build)
        // rather than a DFA.
        let terms = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .build(&gate_terms)
            .ok()?;
        Some(Gate {
            ac,
            words: n,
            terms,
            max_words: u32::try_from(max_words).unwrap_or(u32::MAX),
        })
    }

    /// Number of distinct gate words.
    pub fn word_count(&self) -> usize {
        self.words
    }

    /// On the raw text: whether it may hold a finding, or `None` when the
    /// raw text cannot tell (see the module documentation).
    pub fn raw_may_match(&self, text: &str) -> Option<bool> {
        if !raw_words_survive_folding(text) || has_hyphen_break(text.as_bytes()) {
            return None;
        }
        let mut checked_to = 0;
        for m in self.ac.find_iter(text) {
            if m.end() <= checked_to {
                continue;
            }
            // Words are runs of letters and digits, so the window starts and
            // ends on word boundaries of the raw text.
            let w = crate::segment::word_window(text, m.start()..m.end(), self.max_words);
            checked_to = w.end;
            if self.folded_may_match(crate::normalize::NormalizedText::new(&text[w]).as_str()) {
                return Some(true);
            }
        }
        Some(false)
    }

    /// On folded text: whether a gate term occurs, starting on a word
    /// boundary (its end is not checked: a trailing `*` may allow more).
    pub fn folded_may_match(&self, folded: &str) -> bool {
        let b = folded.as_bytes();
        self.terms.find_overlapping_iter(folded).any(|m| {
            let s = m.start();
            s == 0 || !b[s - 1].is_ascii_alphanumeric() || !b[s].is_ascii_alphanumeric()
        })
    }
}

/// The most distinctive word of a folded term: the longest one that is not
/// a common word (or the longest, if all are).
fn gate_word(term: &str) -> Option<&str> {
    let words: Vec<&str> = term
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words
        .iter()
        .filter(|w| !COMMON.contains(w))
        .max_by_key(|w| w.len())
        .or_else(|| words.iter().max_by_key(|w| w.len()))
        .copied()
}

/// Whether every non-ASCII character of `text` folds to something that is
/// not part of a word (punctuation, symbols, spaces), so that the words of
/// the raw text are the words of the folded text.
fn raw_words_survive_folding(text: &str) -> bool {
    if text.is_ascii() {
        return true;
    }
    text.chars().filter(|c| !c.is_ascii()).all(|c| {
        !(c.is_alphanumeric()
            || matches!(
                c,
                '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
            )
            || any_ascii::any_ascii_char(c)
                .bytes()
                .any(|b| b.is_ascii_alphanumeric()))
    })
}

/// Whether a hyphen is followed, across spaces or tabs, by a line break.
fn has_hyphen_break(b: &[u8]) -> bool {
    memchr::memchr_iter(b'-', b).any(|i| {
        b[i + 1..]
            .iter()
            .find(|c| !matches!(c, b' ' | b'\t'))
            .is_some_and(|c| matches!(c, b'\n' | b'\r'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_words_prefer_rare_words() {
        assert_eq!(gate_word("north korea"), Some("korea"));
        assert_eq!(
            gate_word("democratic people's republic of korea"),
            Some("korea")
        );
        assert_eq!(gate_word("pyongyang"), Some("pyongyang"));
        assert_eq!(gate_word("office 39"), Some("39"));
        assert_eq!(gate_word("..."), None);
    }

    #[test]
    fn raw_words_survive_punctuation_but_not_letters() {
        assert!(raw_words_survive_folding("plain ascii"));
        assert!(raw_words_survive_folding(
            "the People’s “Army” — 3 % …\u{00A0}x"
        ));
        // "€" folds to "EUR": letters, so the raw text cannot tell.
        assert!(!raw_words_survive_folding("3 €"));
        assert!(!raw_words_survive_folding("Zürich"));
        assert!(!raw_words_survive_folding("Pyong\u{00AD}yang"));
        assert!(!raw_words_survive_folding("北朝鮮"));
        assert!(!raw_words_survive_folding("ﬁne"));
    }

    #[test]
    fn hyphen_breaks() {
        assert!(has_hyphen_break(b"Pyong-\nyang"));
        assert!(has_hyphen_break(b"Pyong- \r\nyang"));
        assert!(!has_hyphen_break(b"ship-to-ship\n"));
        assert!(!has_hyphen_break(b"end -"));
    }
}

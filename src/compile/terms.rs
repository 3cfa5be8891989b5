//! Atoms and the one automaton: literal terms and regexes of every list and
//! condition, compiled together.

use std::collections::HashMap;

use regex::{Regex, RegexBuilder};
use regex_syntax::hir::literal::{ExtractKind, Extractor};

use super::automaton::{Start, TermAutomaton};
use super::{MAX_REGEX_SIZE, MAX_REGEXES, MAX_TERMS, pos};
use crate::diagnostic::{Code, Diagnostic, Position};
use crate::model::Spanned;
use crate::normalize::{NormalizedText, fold_term};
use crate::ruleset::SourceFile;

/// Most patterns in one automaton (see [`MatcherBuilder::build`]).
pub const AUTOMATON_PATTERNS: usize = 10_000;

/// Index of an atom: a named list, or the terms or regex of one condition.
pub(crate) type AtomId = u32;

/// One occurrence of an atom in a document, in original byte offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Hit {
    pub atom: AtomId,
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Copy, Debug)]
struct TermRef {
    atom: AtomId,
    /// Trailing `*`: the match may continue into the rest of a word.
    inflect: bool,
}

/// A literal term of an atom, as the first-stage gate sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct AtomTerm<'a> {
    /// The folded term.
    pub text: &'a str,
    /// Written as a name in the rules (see [`is_named`]).
    pub named: bool,
    /// A trailing `*`: a match may end inside a word.
    pub open: bool,
}

/// Collects atoms while rules compile.
#[derive(Default)]
pub(crate) struct MatcherBuilder {
    names: Vec<String>,
    patterns: Vec<String>,
    index: HashMap<String, usize>,
    refs: Vec<Vec<TermRef>>,
    named: Vec<bool>,
    regexes: Vec<(AtomId, Regex)>,
    terms: usize,
    limit_reported: bool,
}

impl MatcherBuilder {
    /// A new atom named `name` (a list name, or a description of an inline
    /// condition).
    pub fn add_atom(&mut self, name: &str) -> AtomId {
        self.names.push(name.to_owned());
        AtomId::try_from(self.names.len() - 1).unwrap_or(AtomId::MAX)
    }

    /// Adds a literal term to `atom`.
    pub fn add_term(
        &mut self,
        atom: AtomId,
        source: &SourceFile,
        term: &Spanned<String>,
        rule: Option<&str>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        self.terms += 1;
        if self.terms > MAX_TERMS {
            if !self.limit_reported {
                self.limit_reported = true;
                diagnostics.push(
                    Diagnostic::new(
                        Code::LimitExceeded,
                        pos(source, term),
                        format!("more than {MAX_TERMS} terms in the rule set"),
                    )
                    .with_rule(rule),
                );
            }
            return;
        }
        let raw = term.value.trim();
        let (body, inflect) = match raw.strip_suffix('*') {
            Some(b) => (b, true),
            None => (raw, false),
        };
        let folded = fold_term(body);
        if body.contains('*') {
            diagnostics.push(
                Diagnostic::new(
                    Code::InvalidTerm,
                    pos(source, term),
                    format!("`*` is only allowed at the end of a term: `{raw}`"),
                )
                .with_rule(rule)
                .with_hint("use a `regex:` condition for other wildcards"),
            );
            return;
        }
        if !folded.bytes().any(|b| b.is_ascii_alphanumeric()) {
            diagnostics.push(
                Diagnostic::new(
                    Code::InvalidTerm,
                    pos(source, term),
                    format!("term `{raw}` has no letter or digit to match"),
                )
                .with_rule(rule)
                .with_hint("remove the empty term"),
            );
            return;
        }
        let idx = *self.index.entry(folded.clone()).or_insert_with(|| {
            self.patterns.push(folded);
            self.refs.push(Vec::new());
            self.named.push(false);
            self.patterns.len() - 1
        });
        self.named[idx] |= is_named(body);
        let refs = &mut self.refs[idx];
        if !refs.iter().any(|r| r.atom == atom && r.inflect == inflect) {
            refs.push(TermRef { atom, inflect });
        }
    }

    /// Adds a regular expression to `atom`, checking that it compiles and
    /// warning when it has no literal to search for first.
    pub fn add_regex(
        &mut self,
        atom: AtomId,
        source: &SourceFile,
        pattern: &Spanned<String>,
        rule: Option<&str>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let here = pos(source, pattern);
        if self.regexes.len() >= MAX_REGEXES {
            if !self.limit_reported {
                self.limit_reported = true;
                diagnostics.push(
                    Diagnostic::new(
                        Code::LimitExceeded,
                        here,
                        format!("more than {MAX_REGEXES} regular expressions in the rule set"),
                    )
                    .with_rule(rule),
                );
            }
            return;
        }
        match compile_regex(&pattern.value) {
            Err(e) => {
                let (code, hint) = if e.contains("size limit") {
                    (
                        Code::LimitExceeded,
                        "the pattern compiles to too large an automaton; bound its repetitions or split it",
                    )
                } else {
                    (
                        Code::InvalidRegex,
                        "patterns use Rust `regex` syntax: https://docs.rs/regex/latest/regex/#syntax",
                    )
                };
                diagnostics.push(
                    Diagnostic::new(code, here, format!("invalid regex: {}", one_line(&e)))
                        .with_rule(rule)
                        .with_hint(hint),
                );
            }
            Ok(re) => {
                if is_slow(&pattern.value) {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::SlowPattern,
                            here,
                            format!("regex `{}` has no literal of two or more characters to search for first, so it runs over every byte of every document", pattern.value),
                        )
                        .with_rule(rule)
                        .with_hint("start or end the pattern with a fixed word, or use `terms:`"),
                    );
                }
                self.regexes.push((atom, re));
            }
        }
    }

    /// The matcher; its automaton is built apart (see
    /// [`Matcher::build_automaton`]), so that other work can run meanwhile.
    pub fn build(self) -> Matcher {
        let mut lazy = self.regexes;
        lazy.sort_by_key(|(a, _)| *a);
        Matcher {
            names: self.names,
            patterns: self.patterns,
            ac: TermAutomaton::default(),
            refs: self.refs.into_iter().map(Vec::into_boxed_slice).collect(),
            named: self.named,
            lazy,
        }
    }
}

impl Matcher {
    /// Builds the term automaton over the patterns, starting as `start`
    /// says, or a diagnostic.
    ///
    /// Construction grows faster than linearly with the number of patterns,
    /// so very large term sets are split into several automatons of at most
    /// [`AUTOMATON_PATTERNS`] patterns, each searched in turn: compilation
    /// stays linear, scanning pays one pass per part.
    pub fn build_automaton(&self, start: Start) -> Result<TermAutomaton, Box<Diagnostic>> {
        TermAutomaton::build(&self.patterns, AUTOMATON_PATTERNS, start).map_err(|e| {
            Box::new(Diagnostic::new(
                Code::LimitExceeded,
                Position::file_start(std::path::Path::new("<rule set>")),
                format!("the term automaton cannot be built: {e}"),
            ))
        })
    }

    /// Installs the automaton built by [`Matcher::build_automaton`] and, if
    /// it starts as an NFA, has its DFA built in the background.
    pub fn set_automaton(&mut self, ac: TermAutomaton) {
        self.ac = ac;
        self.ac
            .finish_in_background(self.patterns.clone(), AUTOMATON_PATTERNS);
    }

    /// The term automaton.
    pub fn automaton(&self) -> &TermAutomaton {
        &self.ac
    }
}

/// Compiles a rule regex: case-insensitive, size-limited, with `\b` and
/// `\B` taken as ASCII word boundaries (see [`ascii_word_boundaries`]).
fn compile_regex(p: &str) -> Result<Regex, String> {
    RegexBuilder::new(&ascii_word_boundaries(p))
        .case_insensitive(true)
        .size_limit(MAX_REGEX_SIZE)
        .build()
        .map_err(|e| e.to_string())
}

/// Rewrites `\b` and `\B` outside character classes as `(?-u:\b)` and
/// `(?-u:\B)`. Unicode word boundaries force the regex engine off its fast
/// DFA whenever the text has a non-ASCII character; ASCII boundaries keep it
/// on, and differ only next to non-ASCII letters, which rule authors can
/// spell out when they matter (`carb[óÓ]n`).
pub(crate) fn ascii_word_boundaries(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 16);
    let mut chars = p.chars();
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(b @ ('b' | 'B')) if class_depth == 0 => {
                    out.push_str(if b == 'b' { "(?-u:\\b)" } else { "(?-u:\\B)" });
                }
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            '[' => {
                class_depth += 1;
                out.push(c);
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether neither the start nor the end of the pattern gives a literal of
/// two or more bytes that a search could look for first.
fn is_slow(pattern: &str) -> bool {
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(&ascii_word_boundaries(pattern))
    else {
        return false;
    };
    let good = |kind| {
        let seq = Extractor::new().kind(kind).extract(&hir);
        seq.min_literal_len().is_some_and(|n| n >= 2)
    };
    !good(ExtractKind::Prefix) && !good(ExtractKind::Suffix)
}

/// All terms and regexes of a rule set, ready to find hits in documents.
pub(crate) struct Matcher {
    names: Vec<String>,
    patterns: Vec<String>,
    /// The term automaton.
    ac: TermAutomaton,
    refs: Vec<Box<[TermRef]>>,
    /// Whether each pattern is written as a name somewhere (see [`is_named`]).
    named: Vec<bool>,
    /// Regexes, sorted by atom. They run on demand: over a document only
    /// when a rule needs them to find its units and its literal requirements
    /// are met, otherwise only inside the units being evaluated.
    lazy: Vec<(AtomId, Regex)>,
}

impl Matcher {
    /// The name of an atom (its list name, or a description).
    pub fn atom_name(&self, atom: AtomId) -> &str {
        self.names.get(atom as usize).map_or("?", String::as_str)
    }

    /// The folded literal patterns of the automaton.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Number of distinct literal patterns in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// Number of regular expressions.
    pub fn regex_count(&self) -> usize {
        self.lazy.len()
    }

    /// The folded literal terms of every atom.
    pub fn patterns_by_atom(&self) -> HashMap<AtomId, Vec<AtomTerm<'_>>> {
        let mut out: HashMap<AtomId, Vec<AtomTerm<'_>>> = HashMap::new();
        for (i, refs) in self.refs.iter().enumerate() {
            for r in refs.iter() {
                out.entry(r.atom).or_default().push(AtomTerm {
                    text: &self.patterns[i],
                    named: self.named[i],
                    open: r.inflect,
                });
            }
        }
        out
    }

    /// Whether `atom` holds regexes (which run on demand).
    pub fn is_lazy(&self, atom: AtomId) -> bool {
        self.lazy.binary_search_by_key(&atom, |(a, _)| *a).is_ok()
    }

    /// Hits of a lazy atom inside `range` of `text`.
    pub fn find_lazy(
        &self,
        atom: AtomId,
        text: &str,
        range: std::ops::Range<usize>,
        out: &mut Vec<Hit>,
    ) {
        let Some(slice) = text.get(range.clone()) else {
            return;
        };
        let lo = self.lazy.partition_point(|(a, _)| *a < atom);
        for (_, re) in self.lazy[lo..].iter().take_while(|(a, _)| *a == atom) {
            for m in re.find_iter(slice) {
                if !m.is_empty() {
                    out.push(Hit {
                        atom,
                        start: range.start + m.start(),
                        end: range.start + m.end(),
                    });
                }
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Appends every hit in `original` (folded as `norm`) to `out`.
    pub fn find(&self, norm: &NormalizedText, out: &mut Vec<Hit>) {
        for (base, ac) in self.ac.parts() {
            let text = norm.as_str().as_bytes();
            for m in ac.find_overlapping_iter(text) {
                let (s, e) = (m.start(), m.end());
                if !starts_on_boundary(text, s) {
                    continue;
                }
                let right_word = ends_inside_word(text, e);
                let mut span = None;
                for r in self.refs[base + m.pattern().as_usize()].iter() {
                    if right_word && !r.inflect {
                        continue;
                    }
                    // An inflected match covers the whole word ("Ruritanian").
                    let range = span
                        .get_or_insert_with(|| {
                            let end = if right_word {
                                e + text[e..].iter().take_while(|b| is_word(**b)).count()
                            } else {
                                e
                            };
                            norm.original_range(s..end)
                        })
                        .clone();
                    out.push(Hit {
                        atom: r.atom,
                        start: range.start,
                        end: range.end,
                    });
                }
            }
        }
    }
}

/// Whether a term is written as a name: with a capital (or a letter of a
/// script without case) or a digit. "Pyongyang", "MiG", "KN-23" and "北朝鮮"
/// are names; "missile" and "sold" are ordinary words, far more frequent in
/// documents (the first-stage gate avoids them, see `gate.rs`).
fn is_named(term: &str) -> bool {
    term.chars()
        .any(|c| c.is_ascii_digit() || (c.is_alphabetic() && !c.is_lowercase()))
}

/// Whether a byte of folded text belongs to a word (folded words are runs
/// of ASCII letters and digits).
pub(crate) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Whether a term matched in folded `text` from byte `s` starts a word there
/// (or starts with a byte that is not part of a word).
pub(crate) fn starts_on_boundary(text: &[u8], s: usize) -> bool {
    s == 0 || !is_word(text[s - 1]) || !is_word(text[s])
}

/// Whether a term matched in folded `text` up to byte `e` stops inside a
/// word (only a term with a trailing `*` may).
pub(crate) fn ends_inside_word(text: &[u8], e: usize) -> bool {
    e < text.len() && is_word(text[e]) && is_word(text[e - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries_become_ascii_outside_classes() {
        assert_eq!(
            ascii_word_boundaries(r"\bcarb[óÓ]n\b"),
            r"(?-u:\b)carb[óÓ]n(?-u:\b)"
        );
        assert_eq!(ascii_word_boundaries(r"a\\b\Bc"), r"a\\b(?-u:\B)c");
        assert_eq!(ascii_word_boundaries(r"[\d\]]\d"), r"[\d\]]\d");
        let re = compile_regex(r"\bHS\s*8[45]\b").unwrap();
        assert!(re.is_match("café, hs 84 laptops"));
        assert!(!re.is_match("hs 84710x"));
    }
}

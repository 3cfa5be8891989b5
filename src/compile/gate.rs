//! The first stage of a scan: one small automaton over distinctive
//! fragments of the terms that every rule needs, run on the raw text.
//!
//! Most documents never mention the sanctioned country. Every rule of a pack
//! usually requires a link to it (a *gate clause*: one of its atoms must be
//! hit somewhere in the document), so a document in which no gate term can
//! match cannot produce a finding, and costs one pass of a small automaton
//! over the raw bytes instead of normalization plus the full term automaton.
//!
//! The gate must never lose a finding. Folding changes a text in few ways:
//! ASCII letters lose their case, runs of separators (spaces, line breaks,
//! hyphens, dashes) become one space, curly quotes become straight ones,
//! invisible characters vanish, a hyphen at a line end joins two words, and
//! every other non-ASCII character is transliterated. So, where no non-ASCII
//! character other than a curly quote lies inside, a folded term appears in
//! the raw text with its letters in any case, each space as a run of ASCII
//! separators, and each quote straight or curly. The gate therefore:
//!
//! 1. takes from each gate term a *fragment*: its most distinctive word when
//!    it has one ("pyongyang", "d.p.r.k.", a rare word of a listed name),
//!    otherwise the whole term ("north korea", "hong kong electronics":
//!    "korea" and "electronics" alone are everywhere in the news);
//! 2. searches the raw bytes for the fragments, spelled as above and starting
//!    (and, unless the term ends with `*`, ending) on a word boundary, with
//!    one lazy DFA;
//! 3. around each hit, folds a window as wide as the longest gate term and
//!    looks there for the gate terms themselves;
//! 4. for every other non-ASCII character ("é", "ß", "北", "€", a
//!    non-breaking space), folds the word around it, and when that word could
//!    belong to a gate term ("Pyŏngyang", not "Müller"), checks a window
//!    around it the same way.
//!
//! Invisible characters and hyphens at a line end change word boundaries;
//! when a document has one, the raw text cannot tell and the gate runs on the
//! folded text, which the full stage reuses.
//!
//! The gate is built only when every text rule has a clause made of literal
//! terms alone; otherwise every document goes through the full stage.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, Hir, Look, Repetition};

use super::common_words::COMMON_WORDS;
use super::terms::{AtomTerm, ends_inside_word, is_word, starts_on_boundary};
use super::{AtomId, Clause};

/// Most words whose check [`Gate::may_be_term_word_cached`] keeps per thread.
const MAX_CACHED_WORDS: usize = 50_000;

/// Identifies gates, for the per-thread cache of word checks.
static NEXT_GATE_ID: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Words with non-ASCII letters already checked, for the gate of this id.
    static WORD_CHECKS: RefCell<(u64, HashMap<Box<str>, bool>)> =
        RefCell::new((u64::MAX, HashMap::new()));
    /// The lazy DFA's cache of states, for the gate of this id.
    static DFA_CACHE: RefCell<Option<(u64, Cache)>> = const { RefCell::new(None) };
}

/// A piece used by more terms of the rule set than this is not distinctive.
const MAX_PIECE_USES: usize = 3;

/// The gate of a rule set.
pub(crate) struct Gate {
    /// Unique among the gates of this process.
    id: u64,
    /// The raw spellings of the fragments of the gate terms, as a lazy DFA
    /// that finds where they end (forward only: the start is not needed).
    raw: DFA,
    /// Number of distinct fragments.
    fragments: usize,
    /// The folded gate terms.
    terms: AhoCorasick,
    /// Whether each gate term ends with `*` (may end inside a word).
    open: Vec<bool>,
    /// Every word of the gate terms.
    term_words: HashSet<String>,
    /// The last words of gate terms with a trailing `*`.
    open_words: HashSet<String>,
    /// Their lengths, in order.
    open_lengths: Vec<usize>,
    /// Words in the longest gate term.
    max_words: u32,
}

impl Gate {
    /// Builds the gate: `clauses[i]` are the requirements of text rule `i`;
    /// `terms(atom)` gives an atom's folded literal terms, or `None` when
    /// the atom holds a regex; `vocabulary` is every folded term of the rule
    /// set (a word that many terms share is a poor gate). `None` when some
    /// rule has no literal-only clause.
    pub fn build<'a>(
        clauses: &[&[Clause]],
        terms: impl Fn(AtomId) -> Option<Vec<AtomTerm<'a>>>,
        vocabulary: &[String],
    ) -> Option<Gate> {
        let chosen = choose_clauses(clauses, &terms)?;
        let mut chosen_terms: Vec<AtomTerm<'a>> = Vec::new();
        for c in chosen {
            for a in &c.atoms {
                chosen_terms.extend(terms(*a)?);
            }
        }
        // A term both open and closed counts as open.
        chosen_terms.sort_unstable_by_key(|t| (t.text, !t.open));
        chosen_terms.dedup_by_key(|t| t.text);
        let uses = piece_uses(vocabulary.iter().map(String::as_str));
        let mut fragments: BTreeSet<(String, bool)> = BTreeSet::new();
        let mut term_words: HashSet<String> = HashSet::new();
        let mut open_words: HashSet<String> = HashSet::new();
        let mut max_words = 1;
        for term in &chosen_terms {
            fragments.insert(fragment(term, &uses)?);
            let ws: Vec<&str> = words_of(term.text).collect();
            max_words = max_words.max(count(ws.len()));
            if term.open {
                open_words.extend(ws.last().map(|w| (*w).to_owned()));
            }
            term_words.extend(ws.into_iter().map(str::to_owned));
        }
        if chosen_terms.len() > super::terms::AUTOMATON_PATTERNS {
            return None;
        }
        let raw = fragment_dfa(&fragments_hir(
            fragments.iter().map(|(f, open)| (f.as_str(), *open)),
        ))?;
        // Only run on small windows, so an NFA (cheap to build)
        // rather than a DFA.
        let gate_terms: Vec<&str> = chosen_terms.iter().map(|t| t.text).collect();
        let open = chosen_terms.iter().map(|t| t.open).collect();
        let terms = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .build(&gate_terms)
            .ok()?;
        Some(Gate {
            id: NEXT_GATE_ID.fetch_add(1, Ordering::Relaxed),
            raw,
            fragments: fragments.len(),
            terms,
            open,
            term_words,
            open_lengths: {
                let mut l: Vec<usize> = open_words.iter().map(String::len).collect();
                l.sort_unstable();
                l.dedup();
                l
            },
            open_words,
            max_words,
        })
    }

    /// Number of distinct fragments the gate searches for.
    pub fn word_count(&self) -> usize {
        self.fragments
    }

    /// On the raw text: whether it may hold a finding, or `None` when the
    /// raw text cannot tell (see the module documentation).
    pub fn raw_may_match(&self, text: &str) -> Option<bool> {
        if has_hyphen_break(text.as_bytes()) {
            return None;
        }
        let n = self.max_words;
        // Words with a character that folds into letters, once each (a name
        // is often repeated), when they could belong to a gate term.
        let mut word_end = 0;
        let mut risky = risky_chars(text)?
            .into_iter()
            .filter_map(|r| {
                if r.start < word_end {
                    return None;
                }
                let w = whole_words(text, r.clone());
                word_end = w.end;
                // A dash, ellipsis or space between spaces folds into no
                // word at all.
                if w == r && !folds_to_word(&text[r]) {
                    return None;
                }
                self.may_be_term_word_cached(&text[w.clone()]).then_some(w)
            })
            .peekable();
        // The last window checked: a window inside it needs no new check.
        let mut checked = 0..0;
        let mut check = |r: Range<usize>, before: u32, after: u32| -> bool {
            let w = crate::segment::word_window(text, r.clone(), before).start
                ..crate::segment::word_window(text, r, after).end;
            if checked.start <= w.start && w.end <= checked.end {
                return false;
            }
            checked = w.clone();
            self.folded_may_match(&crate::normalize::fold_term(&text[w]))
        };
        // Only where matches end is needed (no reverse search for where
        // they start): a window reaching twice the longest term's length
        // back from the end holds every term that overlaps the fragment.
        let mut input = regex_automata::Input::new(text.as_bytes());
        // Should the lazy DFA fail (it has no quit byte and never gives up),
        // the raw text cannot tell.
        while let Some(m) = self.next_fragment_end(&input).ok()? {
            let mut end = m.offset();
            while let Some(r) = risky.next_if(|r| r.start <= end) {
                if check(r, n, n) {
                    return Some(true);
                }
            }
            // The match may end with a byte of the character after the
            // fragment.
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            if check(end..end, 2 * n, n) {
                return Some(true);
            }
            if m.offset() >= text.len() {
                break;
            }
            input.set_start(m.offset().max(input.start() + 1));
        }
        // A window of the longest term's length on each side holds every
        // term that overlaps a word.
        for r in risky {
            if check(r, n, n) {
                return Some(true);
            }
        }
        Some(false)
    }

    /// Where the next fragment in `input` ends, with this thread's cache of
    /// DFA states.
    fn next_fragment_end(
        &self,
        input: &regex_automata::Input<'_>,
    ) -> Result<Option<regex_automata::HalfMatch>, regex_automata::MatchError> {
        DFA_CACHE.with(|cell| {
            let mut cell = cell.borrow_mut();
            let cache = match &mut *cell {
                Some((id, cache)) if *id == self.id => cache,
                slot => &mut slot.insert((self.id, self.raw.create_cache())).1,
            };
            self.raw.try_search_fwd(cache, input)
        })
    }

    /// [`Gate::may_be_term_word`], remembered per thread: the same names and
    /// places come back from document to document.
    fn may_be_term_word_cached(&self, raw: &str) -> bool {
        WORD_CHECKS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.0 != self.id || cache.1.len() >= MAX_CACHED_WORDS {
                cache.0 = self.id;
                cache.1.clear();
            }
            if let Some(known) = cache.1.get(raw) {
                return *known;
            }
            let answer = self.may_be_term_word(raw);
            cache.1.insert(raw.into(), answer);
            answer
        })
    }

    /// Whether a raw word, folded, could be part of a gate term: one of its
    /// folded words is a word of a gate term, or begins with the last word
    /// of a term with a trailing `*`.
    fn may_be_term_word(&self, raw: &str) -> bool {
        let folded = crate::normalize::fold_term(raw);
        words_of(&folded).any(|w| {
            self.term_words.contains(w)
                || self
                    .open_lengths
                    .iter()
                    .take_while(|k| **k < w.len())
                    .any(|k| self.open_words.contains(&w[..*k]))
        })
    }

    /// On folded text: whether a gate term occurs, starting on a word
    /// boundary and, unless it ends with `*`, ending on one.
    pub fn folded_may_match(&self, folded: &str) -> bool {
        let b = folded.as_bytes();
        self.terms.find_overlapping_iter(folded).any(|m| {
            starts_on_boundary(b, m.start())
                && (self.open[m.pattern().as_usize()] || !ends_inside_word(b, m.end()))
        })
    }
}

/// The raw spellings the gate's pattern gives a folded apostrophe and a
/// folded double quote. The curly ones are therefore not risky characters
/// (see [`risky_chars`]); other quotes that fold into these are.
const APOSTROPHES: [&str; 2] = ["'", "\u{2019}"];
const QUOTES: [&str; 3] = ["\"", "\u{201C}", "\u{201D}"];

/// Whether `c` is a non-ASCII spelling the gate's pattern knows.
fn is_spelled_quote(c: char) -> bool {
    APOSTROPHES
        .iter()
        .chain(&QUOTES)
        .any(|s| s.chars().eq(std::iter::once(c)))
}

/// The pattern that finds any of the folded `fragments` (each with whether
/// it is open) in raw text: ASCII letters in any case, each space as a run of
/// ASCII separators, each quote straight or curly, and a word boundary
/// before a fragment and, unless it is open, after it (where it begins or
/// ends with a letter or digit). Built as a syntax tree, not parsed from
/// text, and as a trie: fragments share their prefixes, so that each state
/// of the lazy DFA holds few NFA states and is quick to compute.
fn fragments_hir<'f>(fragments: impl IntoIterator<Item = (&'f str, bool)>) -> Hir {
    #[derive(Default)]
    struct Node {
        children: BTreeMap<char, Node>,
        /// A fragment ends here: whether one that ends here is open.
        end: Option<bool>,
    }
    let word = |c: char| c.is_ascii_alphanumeric();
    let bytes = |ranges: &[(u8, u8)]| {
        Hir::class(Class::Bytes(ClassBytes::new(
            ranges.iter().map(|&(a, b)| ClassBytesRange::new(a, b)),
        )))
    };
    let either = |spellings: &[&str]| {
        Hir::alternation(
            spellings
                .iter()
                .map(|s| Hir::literal(s.as_bytes()))
                .collect(),
        )
    };
    let separators: Vec<(u8, u8)> = (0..=127u8)
        .filter(|b| crate::normalize::is_ascii_separator(*b))
        .map(|b| (b, b))
        .collect();
    let spelling = |c: char| match c {
        ' ' => Hir::repetition(Repetition {
            min: 1,
            max: None,
            greedy: true,
            sub: Box::new(bytes(&separators)),
        }),
        '\'' => either(&APOSTROPHES),
        '"' => either(&QUOTES),
        c if c.is_ascii_alphabetic() => {
            let (l, u) = (c.to_ascii_lowercase() as u8, c.to_ascii_uppercase() as u8);
            bytes(&[(l, l), (u, u)])
        }
        c => Hir::literal(c.encode_utf8(&mut [0; 4]).as_bytes()),
    };
    let mut root = Node::default();
    for (fragment, open) in fragments {
        let mut node = &mut root;
        for c in fragment.chars() {
            node = node.children.entry(c.to_ascii_lowercase()).or_default();
        }
        // Open and closed: open, which matches more.
        node.end = Some(node.end.unwrap_or(false) || open);
    }
    fn build(
        node: &Node,
        last: Option<char>,
        word: &dyn Fn(char) -> bool,
        spelling: &dyn Fn(char) -> Hir,
    ) -> Hir {
        let mut alternatives = Vec::new();
        if let Some(open) = node.end {
            alternatives.push(match last {
                Some(c) if !open && word(c) => Hir::look(Look::WordAscii),
                _ => Hir::empty(),
            });
        }
        for (c, child) in &node.children {
            let mut parts = Vec::new();
            // `\b` takes `_` for a letter, which folding does not: an `_`
            // next to a letter or digit is checked apart (see
            // [`risky_chars`]).
            if last.is_none() && word(*c) {
                parts.push(Hir::look(Look::WordAscii));
            }
            parts.push(spelling(*c));
            parts.push(build(child, Some(*c), word, spelling));
            alternatives.push(Hir::concat(parts));
        }
        Hir::alternation(alternatives)
    }
    build(&root, None, &word, &spelling)
}

/// A lazy DFA that finds where any match of `pattern` ends.
fn fragment_dfa(pattern: &Hir) -> Option<DFA> {
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .utf8(false)
                .which_captures(thompson::WhichCaptures::None),
        )
        .build_from_hir(pattern)
        .ok()?;
    DFA::builder().build_from_nfa(nfa).ok()
}

/// How often a gate term may be expected to let an ordinary document
/// through, roughly: a name (written with a capital or a digit) rarely, a
/// phrase of ordinary words sometimes, a single ordinary word ("missile",
/// "sold") often.
fn cost<'a: 'b, 'b>(terms: impl Iterator<Item = &'b AtomTerm<'a>>) -> usize {
    terms
        .map(|t| match (t.named, t.text.contains(' ')) {
            (true, _) => 1,
            (false, true) => 3,
            (false, false) => 10,
        })
        .sum()
}

/// Chooses the gate clause of every rule: one of its clauses made of literal
/// terms alone (`None` when a rule has none).
///
/// The gate lets a document through when any chosen term occurs, so the
/// union of the chosen terms should be small and specific. Rules with a
/// single candidate clause are fixed first; each other rule then takes the
/// clause whose terms not already in the gate [`cost`] least (the pack's
/// shared link to the sanctioned country, typically, rather than a list of
/// trade verbs or of weapons), the cheaper clause on a tie.
fn choose_clauses<'c, 'a>(
    clauses: &[&'c [Clause]],
    terms: &impl Fn(AtomId) -> Option<Vec<AtomTerm<'a>>>,
) -> Option<Vec<&'c Clause>> {
    let mut candidates: Vec<Vec<(&'c Clause, Vec<AtomTerm<'a>>)>> =
        Vec::with_capacity(clauses.len());
    for rule in clauses {
        let mut options = Vec::new();
        for c in rule.iter() {
            let mut ts = Vec::new();
            for a in &c.atoms {
                match terms(*a) {
                    Some(t) => ts.extend(t),
                    None => {
                        ts.clear();
                        break;
                    }
                }
            }
            if !ts.is_empty() {
                ts.sort_unstable();
                ts.dedup();
                options.push((c, ts));
            }
        }
        if options.is_empty() {
            return None;
        }
        candidates.push(options);
    }
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_key(|i| {
        let o = &candidates[*i];
        let cheapest = o.iter().map(|(_, t)| cost(t.iter())).min();
        (o.len(), cheapest.unwrap_or(0))
    });
    let mut in_gate: HashSet<&str> = HashSet::new();
    let mut chosen = Vec::with_capacity(order.len());
    for i in order {
        let (c, ts) = candidates[i].iter().min_by_key(|(_, ts)| {
            let new = cost(ts.iter().filter(|t| !in_gate.contains(t.text)));
            (new, cost(ts.iter()))
        })?;
        in_gate.extend(ts.iter().map(|t| t.text));
        chosen.push(*c);
    }
    Some(chosen)
}

/// The pieces of a folded term: its runs without spaces.
fn pieces_of(term: &str) -> Vec<&str> {
    term.split(' ').filter(|p| !p.is_empty()).collect()
}

/// How many terms of `vocabulary` each piece is used by.
fn piece_uses<'v>(vocabulary: impl Iterator<Item = &'v str>) -> HashMap<&'v str, usize> {
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for t in vocabulary {
        let mut ps = pieces_of(t);
        ps.sort_unstable();
        ps.dedup();
        for p in ps {
            *uses.entry(p).or_default() += 1;
        }
    }
    uses
}

/// The words of a folded term or text: runs of ASCII letters and digits.
fn words_of(t: &str) -> impl Iterator<Item = &str> {
    t.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// How distinctive a piece is (higher is better): not a common word, at
/// least four letters long, used by few terms of the rule set, long.
fn piece_rank(piece: &str, uses: &HashMap<&str, usize>) -> (bool, bool, Reverse<usize>, usize) {
    let letters = piece.bytes().filter(|b| b.is_ascii_alphanumeric()).count();
    (
        COMMON_WORDS.binary_search(&piece).is_err(),
        letters >= 4,
        Reverse(uses.get(piece).copied().unwrap_or(0)),
        piece.len(),
    )
}

/// The fragment of a gate term that the raw search looks for, and whether
/// a match of it may end inside a word (see the module documentation).
fn fragment(term: &AtomTerm<'_>, uses: &HashMap<&str, usize>) -> Option<(String, bool)> {
    let pieces = pieces_of(term.text);
    let (at, best) = pieces
        .iter()
        .enumerate()
        .max_by_key(|(_, p)| piece_rank(p, uses))?;
    if is_distinctive(best, uses) || pieces.len() == 1 {
        return Some(((*best).to_owned(), term.open && at + 1 == pieces.len()));
    }
    // Two adjacent pieces, the most distinctive pair: a phrase of common
    // words is far rarer than either word, and a short fragment keeps the
    // automaton small.
    let (at, _) = pieces.windows(2).enumerate().max_by_key(|(_, w)| {
        let (a, b) = (piece_rank(w[0], uses), piece_rank(w[1], uses));
        (usize::from(a.0) + usize::from(b.0), w[0].len() + w[1].len())
    })?;
    Some((
        pieces[at..at + 2].join(" "),
        term.open && at + 2 == pieces.len(),
    ))
}

/// Whether a piece alone is rare enough in documents to search for: not a
/// common word, at least four letters and digits, in few terms of the rule
/// set.
fn is_distinctive(piece: &str, uses: &HashMap<&str, usize>) -> bool {
    let (uncommon, long, Reverse(n), _) = piece_rank(piece, uses);
    uncommon && long && n <= MAX_PIECE_USES
}

/// The non-ASCII characters of `text` other than the curly quotes that
/// [`fragments_hir`] spells ("é", "ß", "北", "€", "…", "‘", a non-breaking
/// space), and each `_` next to a letter or digit, by position; `None` when
/// `text` has an invisible character (a soft hyphen or zero-width space
/// joins the words around it, so the raw words are not the folded ones).
fn risky_chars(text: &str) -> Option<Vec<Range<usize>>> {
    let bytes = text.as_bytes();
    let mut out: Vec<Range<usize>> = memchr::memchr_iter(b'_', bytes)
        .filter(|i| {
            let letter =
                |j: Option<usize>| j.and_then(|j| bytes.get(j)).is_some_and(|b| is_word(*b));
            letter(i.checked_sub(1)) || letter(Some(i + 1))
        })
        .map(|i| i..i + 1)
        .collect();
    if text.is_ascii() {
        return Some(out);
    }
    let underscores = out.len();
    let mut i = 0;
    while let Some(at) = next_non_ascii(bytes, i) {
        let c = text[at..].chars().next()?;
        let end = at + c.len_utf8();
        if crate::normalize::is_invisible(c) {
            return None;
        }
        if !is_spelled_quote(c) {
            out.push(at..end);
        }
        i = end;
    }
    if underscores > 0 {
        out.sort_unstable_by_key(|r| r.start);
    }
    Some(out)
}

/// Whether some character of `s` folds into a letter or digit.
fn folds_to_word(s: &str) -> bool {
    s.chars().any(|c| {
        c.is_alphanumeric()
            || any_ascii::any_ascii_char(c)
                .bytes()
                .any(|b| b.is_ascii_alphanumeric())
    })
}

/// The first byte at or after `from` that is not ASCII.
fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    // Long ASCII stretches are skipped a block at a time (`is_ascii` reads
    // a word at a time).
    const BLOCK: usize = 32;
    let mut i = from;
    while bytes.len() - i >= BLOCK && bytes[i..i + BLOCK].is_ascii() {
        i += BLOCK;
    }
    bytes[i..].iter().position(|b| !b.is_ascii()).map(|o| i + o)
}

/// `r` widened to the whole words it touches (words are runs of letters
/// and digits).
fn whole_words(text: &str, r: Range<usize>) -> Range<usize> {
    let before = text[..r.start]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map_or(r.start, |(i, _)| i);
    let after: usize = text[r.end..]
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .map(char::len_utf8)
        .sum();
    before..r.end + after
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

    fn fragment_of(text: &str, open: bool, vocabulary: &[&str]) -> (String, bool) {
        let uses = piece_uses(vocabulary.iter().copied());
        let term = AtomTerm {
            text,
            named: true,
            open,
        };
        fragment(&term, &uses).unwrap()
    }

    #[test]
    fn fragments_are_rare_words_or_rare_pairs() {
        let f = |t, open| fragment_of(t, open, &[]);
        assert_eq!(f("pyongyang", true), ("pyongyang".into(), true));
        assert_eq!(f("d.p.r.k.", false), ("d.p.r.k.".into(), false));
        // Every word is common in the news: the most distinctive two.
        assert_eq!(f("north korea", true), ("north korea".into(), true));
        assert_eq!(
            f("hong kong electronics", false),
            ("kong electronics".into(), false)
        );
        let strategic = [
            "strategic rocket a",
            "strategic rocket b",
            "strategic rocket c",
            "strategic rocket d",
        ];
        assert_eq!(
            fragment_of(
                "strategic rocket force of the korean people's army",
                false,
                &strategic
            ),
            ("strategic rocket".into(), false)
        );
        // Short names: two of their words.
        assert_eq!(f("ri won ho", false), ("won ho".into(), false));
        // A rare word: only it, open only when it ends an open term.
        assert_eq!(f("korea ryonbong", true), ("ryonbong".into(), true));
        assert_eq!(
            f("korea ryonbong general", true),
            ("ryonbong".into(), false)
        );
        // A word in many terms of the rule set is not rare.
        let vocabulary = ["ryonbong a", "ryonbong b", "ryonbong c", "ryonbong d"];
        assert_eq!(
            fragment_of("korea ryonbong", false, &vocabulary),
            ("korea ryonbong".into(), false)
        );
        assert_eq!(fragment_of("korea", true, &[]), ("korea".into(), true));
    }

    #[test]
    fn the_pack_gate_dismisses_ordinary_news_and_keeps_dprk_news() {
        let set = crate::RuleSet::builtin().unwrap();
        let gate = set.gate().expect("the pack is gated");
        // Words that are pack terms but harmless without a DPRK link: trade
        // verbs, weapons, oil, South Korea, parts of listed names.
        let ordinary = "SEOUL \u{2014} South Korea\u{2019}s Hyundai sold 12 missiles and \
            bought crude oil; the Ministry of Defence in Hong Kong said electronics \
            exports from Zürich and São Paulo rose. Koreans traded won for dollars.";
        assert_eq!(gate.raw_may_match(ordinary), Some(false));
        for news in [
            "A tanker delivered diesel to North\nKorea.",
            "Officials in PYONGYANG denied it.",
            "Le charbon de Pyŏngyang.",
            "The D.P.R.K.\u{2019}s envoy.",
            "Korea Ryonbong General Corporation bought it.",
            "_North Korea_ sold coal.",
        ] {
            assert_eq!(gate.raw_may_match(news), Some(true), "{news}");
        }
        // A soft hyphen: the raw text cannot tell.
        assert_eq!(gate.raw_may_match("Pyong\u{00AD}yang"), None);
    }

    #[test]
    fn raw_patterns_spell_case_separators_and_quotes() {
        let re = |f, open| {
            regex_automata::meta::Regex::builder()
                .build_from_hir(&fragments_hir([(f, open)]))
                .unwrap()
        };
        let nk = re("north korea", true);
        for t in [
            "NORTH KOREA",
            "North-Korea",
            "north \r\n\tKorean",
            "North - Korea",
        ] {
            assert!(nk.is_match(t.as_bytes()), "{t}");
        }
        assert!(!nk.is_match("northkorea".as_bytes()));
        assert!(!nk.is_match("xnorth korea".as_bytes()));
        // `\b` takes `_` for a letter; the gate checks such places apart.
        assert!(!nk.is_match("_North Korea".as_bytes()));
        let name = re("so'ng", false);
        assert!(name.is_match("Ri So\u{2019}ng.".as_bytes()));
        assert!(name.is_match("so'ng".as_bytes()));
        assert!(!name.is_match("so'ngs".as_bytes()));
        let abbr = re("d.p.r.k.", false);
        assert!(abbr.is_match("the D.P.R.K.'s".as_bytes()));
    }

    #[test]
    fn risky_chars_are_non_ascii_but_the_curly_quotes() {
        let risky =
            |t| risky_chars(t).map(|v| v.into_iter().map(|r| (r.start, r.end)).collect::<Vec<_>>());
        assert_eq!(risky("plain ascii"), Some(vec![]));
        assert_eq!(risky("the People’s “Army”"), Some(vec![]));
        // A dash or a non-breaking space is a separator, but one that the
        // raw search does not spell.
        assert_eq!(risky("a — b\u{00A0}c"), Some(vec![(2, 5), (7, 9)]));
        // "€" folds to "EUR": letters.
        assert_eq!(risky("3 €"), Some(vec![(2, 5)]));
        assert_eq!(risky("Zürich"), Some(vec![(1, 3)]));
        assert_eq!(risky("北朝"), Some(vec![(0, 3), (3, 6)]));
        assert_eq!(risky("ﬁne"), Some(vec![(0, 3)]));
        assert_eq!(risky("a…b ‘c’"), Some(vec![(1, 4), (6, 9)]));
        assert_eq!(risky("Pyong\u{00AD}yang"), None);
    }

    #[test]
    fn hyphen_breaks() {
        assert!(has_hyphen_break(b"Pyong-\nyang"));
        assert!(has_hyphen_break(b"Pyong- \r\nyang"));
        assert!(!has_hyphen_break(b"ship-to-ship\n"));
        assert!(!has_hyphen_break(b"end -"));
    }
}

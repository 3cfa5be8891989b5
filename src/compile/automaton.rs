//! The term automaton, in two tiers.
//!
//! An Aho-Corasick DFA scans faster than an NFA over the same patterns
//! (`scan/dense_1mb_nfa_only` against `scan/dense_1mb` in the benchmarks),
//! but it takes several times longer to build: for the bundled
//! pack's four thousand patterns, about 40 ms against 7 ms. A rule set with
//! many patterns therefore starts with an NFA, ready at once, and
//! builds the DFA on a background thread; every search made after the DFA is
//! ready uses it. Both find the same matches (`Standard` semantics,
//! overlapping), so findings never depend on which tier ran. A one-shot scan
//! of a few documents ends before the DFA is needed; a long scan pays the
//! build once, on another core.
//!
//! Small rule sets build their DFA at once: it takes well under a
//! millisecond, and a thread would cost more.

use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// Below this many patterns the DFA is built at once, without a thread.
pub const BACKGROUND_MIN_PATTERNS: usize = 1_000;

/// Automatons over consecutive slices of the patterns, each with the index
/// of its first pattern.
pub(crate) type Parts = Vec<(usize, AhoCorasick)>;

/// Which automaton [`TermAutomaton::build`] starts with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Start {
    /// The NFA now, the DFA on a background thread when the set is large.
    #[default]
    Tiered,
    /// The DFA now (or the NFA only when a DFA cannot be built).
    Fast,
    /// The NFA only (to compare the tiers in tests).
    Quick,
}

/// The term automaton of a rule set (see the module documentation).
#[derive(Default)]
pub(crate) struct TermAutomaton {
    /// The NFA, used until `fast` is set; empty when `fast` was built at once.
    quick: Parts,
    /// The DFA, once built.
    fast: Arc<OnceLock<Parts>>,
    /// Whether the DFA is still to be built in the background.
    pending: bool,
}

impl TermAutomaton {
    /// Builds the automaton over `patterns`, split into parts of at most
    /// `part_size` patterns, or returns the builder's error.
    ///
    /// With [`Start::Tiered`] and a large set, the returned automaton uses
    /// the NFA; call [`TermAutomaton::finish_in_background`] once the rest
    /// of compilation is done, so that the DFA does not compete with it.
    pub fn build(
        patterns: &[String],
        part_size: usize,
        start: Start,
    ) -> Result<Self, aho_corasick::BuildError> {
        let tiered = start == Start::Tiered && patterns.len() >= BACKGROUND_MIN_PATTERNS;
        if start == Start::Quick || tiered {
            return Ok(TermAutomaton {
                quick: build_parts(patterns, part_size, AhoCorasickKind::NoncontiguousNFA)?,
                fast: Arc::new(OnceLock::new()),
                pending: tiered,
            });
        }
        let fast = OnceLock::new();
        let _ = fast.set(build_dfa_parts(patterns, part_size)?);
        Ok(TermAutomaton {
            quick: Vec::new(),
            fast: Arc::new(fast),
            pending: false,
        })
    }

    /// Starts building the DFA on a background thread, when this automaton
    /// still runs on its NFA; `patterns` and `part_size` must be those given
    /// to [`TermAutomaton::build`]. Should no thread be available, or the DFA
    /// fail to build, the NFA stays in use.
    pub fn finish_in_background(&mut self, patterns: Vec<String>, part_size: usize) {
        if !self.pending || self.fast.get().is_some() {
            return;
        }
        self.pending = false;
        let fast = Arc::clone(&self.fast);
        let _ = std::thread::Builder::new()
            .name("term-dfa".into())
            .spawn(move || {
                if let Ok(parts) = build_parts(&patterns, part_size, AhoCorasickKind::DFA) {
                    let _ = fast.set(parts);
                }
            });
    }

    /// The automaton parts to search with now: the DFA when ready.
    pub fn parts(&self) -> &[(usize, AhoCorasick)] {
        self.fast.get().unwrap_or(&self.quick)
    }

    /// Whether searches use the DFA.
    pub fn is_fast(&self) -> bool {
        self.fast.get().is_some()
    }

    /// Blocks until the DFA is ready; returns at once when no DFA is coming
    /// (it could not be built, or the automaton was built as NFA only).
    pub fn wait_until_fast(&self) {
        // The background thread sets the DFA or gives up; it holds the only
        // other reference to `fast` while it works.
        while self.fast.get().is_none() && Arc::strong_count(&self.fast) > 1 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
}

fn build_dfa_parts(
    patterns: &[String],
    part_size: usize,
) -> Result<Parts, aho_corasick::BuildError> {
    // A set too large for a DFA gets a contiguous NFA.
    build_parts(patterns, part_size, AhoCorasickKind::DFA)
        .or_else(|_| build_parts(patterns, part_size, AhoCorasickKind::ContiguousNFA))
}

fn build_parts(
    patterns: &[String],
    part_size: usize,
    kind: AhoCorasickKind,
) -> Result<Parts, aho_corasick::BuildError> {
    patterns
        .chunks(part_size.max(1))
        .enumerate()
        .map(|(i, part)| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(kind))
                .build(part)
                .map(|a| (i * part_size, a))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("term{i} x")).collect()
    }

    fn matches(a: &TermAutomaton, text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for (base, ac) in a.parts() {
            for m in ac.find_overlapping_iter(text) {
                out.push((base + m.pattern().as_usize(), m.start(), m.end()));
            }
        }
        out.sort_unstable();
        out
    }

    #[test]
    fn small_sets_are_fast_at_once() {
        let p = patterns(10);
        let a = TermAutomaton::build(&p, 4, Start::Tiered).unwrap();
        assert!(a.is_fast());
        assert_eq!(a.parts().len(), 3);
    }

    #[test]
    fn large_sets_start_quick_and_become_fast() {
        let p = patterns(BACKGROUND_MIN_PATTERNS + 5);
        let mut a = TermAutomaton::build(&p, 700, Start::Tiered).unwrap();
        assert!(!a.is_fast());
        let text = "a term12 x and term1003 x, term7 xy";
        let before = matches(&a, text);
        a.finish_in_background(p.clone(), 700);
        a.wait_until_fast();
        assert!(a.is_fast());
        assert_eq!(matches(&a, text), before);
        assert!(before.contains(&(1003, 15, 25)), "{before:?}");
    }

    #[test]
    fn quick_only_never_becomes_fast() {
        let p = patterns(BACKGROUND_MIN_PATTERNS);
        let mut a = TermAutomaton::build(&p, 10_000, Start::Quick).unwrap();
        a.finish_in_background(p, 10_000);
        a.wait_until_fast();
        assert!(!a.is_fast());
    }
}

//! The scanning engine: fold once, run the automaton once, evaluate only the
//! rules whose terms were hit, only in the scope units around the hits.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use crate::compile::Hit;
use crate::compile::{AtomId, Clause, Cond, QuantityTest};
use crate::finding::{Evidence, Finding, FoundQuantity, LineIndex, fingerprint};
use crate::normalize::NormalizedText;
use crate::ruleset::{CompiledRule, RuleSet};
use crate::segment::{Scope, Segments};

/// The pseudo-atom of quantities found in prose, in evidence.
pub(crate) const QUANTITY_ATOM: AtomId = AtomId::MAX;

/// Longest excerpt, in bytes, on each side of a finding.
const EXCERPT_CONTEXT: usize = 200;

/// An atom and the byte range of a unit.
type UnitKey = (AtomId, usize, usize);

/// Hits of one document, grouped by atom. Literal terms are found ahead, in
/// one automaton pass; regexes run on demand (see [`Hits::of`] and
/// [`Hits::within`]) and their hits are cached.
pub(crate) struct Hits<'t> {
    hits: Vec<Hit>,
    /// (atom, first, end) of each atom's run in `hits`.
    index: Vec<(AtomId, usize, usize)>,
    text: &'t str,
    set: &'t RuleSet,
    /// Regex atoms run over the whole document.
    whole: RefCell<HashMap<AtomId, Rc<[Hit]>>>,
    /// Regex atoms run inside one unit.
    units: RefCell<HashMap<UnitKey, Rc<[Hit]>>>,
}

impl<'t> Hits<'t> {
    /// Finds every literal hit of `set` in `text`.
    pub fn find(set: &'t RuleSet, text: &'t str) -> Hits<'t> {
        Hits::with_folded(set, text, &NormalizedText::new(text))
    }

    /// Finds every literal hit of `set` in `text`, already folded as `norm`.
    pub fn with_folded(set: &'t RuleSet, text: &'t str, norm: &NormalizedText) -> Hits<'t> {
        let mut hits = Vec::new();
        set.matcher().find(norm, &mut hits);
        Hits::new(set, text, hits)
    }

    fn new(set: &'t RuleSet, text: &'t str, mut hits: Vec<Hit>) -> Hits<'t> {
        hits.sort_unstable();
        hits.dedup();
        let mut index: Vec<(AtomId, usize, usize)> = Vec::new();
        for (i, h) in hits.iter().enumerate() {
            match index.last_mut() {
                Some(last) if last.0 == h.atom => last.2 = i + 1,
                _ => index.push((h.atom, i, i + 1)),
            }
        }
        Hits {
            hits,
            index,
            text,
            set,
            whole: RefCell::new(HashMap::new()),
            units: RefCell::new(HashMap::new()),
        }
    }

    /// No literal hit at all.
    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }

    /// Literal hits of `atom`, by start.
    fn literal(&self, atom: AtomId) -> &[Hit] {
        match self.index.binary_search_by_key(&atom, |(a, _, _)| *a) {
            Ok(i) => &self.hits[self.index[i].1..self.index[i].2],
            Err(_) => &[],
        }
    }

    fn is_regex(&self, atom: AtomId) -> bool {
        self.set.matcher().is_lazy(atom)
    }

    /// Every hit of `atom` in the document, by start (runs its regexes over
    /// the whole document the first time).
    pub fn of(&self, atom: AtomId) -> HitList<'_> {
        if !self.is_regex(atom) {
            return HitList::Literal(self.literal(atom));
        }
        if let Some(h) = self.whole.borrow().get(&atom) {
            return HitList::Found(h.clone());
        }
        let mut found = self.literal(atom).to_vec();
        self.set
            .matcher()
            .find_lazy(atom, self.text, 0..self.text.len(), &mut found);
        let found: Rc<[Hit]> = found.into();
        self.whole.borrow_mut().insert(atom, found.clone());
        HitList::Found(found)
    }

    /// Hits of `atom` that start inside `unit`.
    pub fn within(&self, atom: AtomId, unit: &Range<usize>) -> HitList<'_> {
        if !self.is_regex(atom) {
            return HitList::Literal(slice_within(self.literal(atom), unit));
        }
        if let Some(all) = self.whole.borrow().get(&atom) {
            return HitList::Found(slice_within(all, unit).into());
        }
        let key = (atom, unit.start, unit.end);
        if let Some(h) = self.units.borrow().get(&key) {
            return HitList::Found(h.clone());
        }
        let mut found = slice_within(self.literal(atom), unit).to_vec();
        self.set
            .matcher()
            .find_lazy(atom, self.text, unit.clone(), &mut found);
        let found: Rc<[Hit]> = found.into();
        self.units.borrow_mut().insert(key, found.clone());
        HitList::Found(found)
    }

    /// Whether `atom` has a hit starting inside `unit`.
    pub fn any_within(&self, atom: AtomId, unit: &Range<usize>) -> bool {
        // A literal hit settles it without running the atom's regexes.
        !slice_within(self.literal(atom), unit).is_empty()
            || (self.is_regex(atom) && !self.within(atom, unit).is_empty())
    }

    /// Number of hits of the clause's atoms in the document; `None` when
    /// the clause has a regex atom and `run_regexes` is false.
    fn clause_count(&self, c: &Clause, run_regexes: bool) -> Option<usize> {
        c.atoms
            .iter()
            .map(|a| {
                if !self.is_regex(*a) {
                    Some(self.literal(*a).len())
                } else {
                    run_regexes.then(|| self.of(*a).len())
                }
            })
            .sum()
    }

    /// Distinct atoms with a literal hit.
    pub fn atoms(&self) -> impl Iterator<Item = AtomId> + '_ {
        self.index.iter().map(|(a, _, _)| *a)
    }
}

/// Hits of one atom, by start: borrowed for literal terms, shared for
/// regexes (whose hits are cached).
pub(crate) enum HitList<'h> {
    /// Literal hits, found ahead.
    Literal(&'h [Hit]),
    /// Regex hits, found on demand.
    Found(Rc<[Hit]>),
}

impl std::ops::Deref for HitList<'_> {
    type Target = [Hit];

    fn deref(&self) -> &[Hit] {
        match self {
            HitList::Literal(h) => h,
            HitList::Found(h) => h,
        }
    }
}

/// The hits of a sorted slice that start inside `unit`.
fn slice_within<'h>(all: &'h [Hit], unit: &Range<usize>) -> &'h [Hit] {
    let lo = all.partition_point(|h| h.start < unit.start);
    let hi = all.partition_point(|h| h.start < unit.end);
    &all[lo..hi.max(lo)]
}

/// Evaluates conditions over one document.
pub(crate) struct Evaluator<'a> {
    pub set: &'a RuleSet,
    pub text: &'a str,
    pub hits: &'a Hits<'a>,
    pub segs: Segments<'a>,
}

impl<'a> Evaluator<'a> {
    pub fn new(set: &'a RuleSet, text: &'a str, hits: &'a Hits<'a>) -> Self {
        Evaluator {
            set,
            text,
            hits,
            segs: Segments::new(text),
        }
    }

    /// Whether `cond` holds in `unit`.
    pub fn holds(&self, cond: &Cond, unit: &Range<usize>) -> bool {
        match cond {
            Cond::Atom(a) => self.hits.any_within(*a, unit),
            Cond::All(c) => c.iter().all(|c| self.holds(c, unit)),
            Cond::Any(c) => c.iter().any(|c| self.holds(c, unit)),
            Cond::Not(c) => !self.holds(c, unit),
            Cond::AtLeast(n, c) => c.iter().filter(|c| self.holds(c, unit)).count() >= *n,
            Cond::Scoped(scope, c) => self.scoped_unit(*scope, c, unit).is_some(),
            Cond::Field(..) => false,
            Cond::Quantity(q) => self.quantity_in(q, unit).is_some(),
        }
    }

    /// The first quantity written in `unit` that `q` accepts: its span and
    /// converted value.
    pub fn quantity_in(
        &self,
        q: &QuantityTest,
        unit: &Range<usize>,
    ) -> Option<(Range<usize>, f64)> {
        let text = self.text.get(unit.clone())?;
        crate::records::quantity::quantities(text)
            .into_iter()
            .find_map(|found| {
                q.accepts(found.value, found.unit).map(|v| {
                    (
                        unit.start + found.span.start..unit.start + found.span.end,
                        v,
                    )
                })
            })
    }

    /// Whether `cond` may hold in some sentence of paragraph `p`: an
    /// over-approximation that needs no sentence splitting (negations and
    /// quantities are assumed to hold; narrower scopes are widened to `p`).
    fn may_hold(&self, cond: &Cond, p: &Range<usize>) -> bool {
        match cond {
            Cond::Atom(a) => self.hits.any_within(*a, p),
            Cond::All(c) => c.iter().all(|c| self.may_hold(c, p)),
            Cond::Any(c) => c.iter().any(|c| self.may_hold(c, p)),
            Cond::AtLeast(n, c) => c.iter().filter(|c| self.may_hold(c, p)).count() >= *n,
            Cond::Not(_) | Cond::Quantity(_) => true,
            Cond::Field(..) => false,
            // A wider scope is evaluated from `p` exactly as from any of its
            // sentences.
            Cond::Scoped(Scope::Paragraph | Scope::Document, _) => self.holds(cond, p),
            Cond::Scoped(_, c) => self.may_hold(c, p),
        }
    }

    /// For a condition with its own scope: the unit of that scope, related to
    /// `unit`, in which it holds. A wider scope is the unit containing
    /// `unit`; a narrower one is any unit inside `unit`; `N words` is a
    /// window around any hit of the condition's terms inside `unit`.
    fn scoped_unit(&self, scope: Scope, cond: &Cond, unit: &Range<usize>) -> Option<Range<usize>> {
        if let Scope::Words(n) = scope {
            let mut atoms = Vec::new();
            cond.positive_atoms(&mut atoms);
            return atoms.iter().find_map(|a| {
                self.hits.within(*a, unit).iter().find_map(|h| {
                    let w = self.segs.word_window(h.start..h.end, n);
                    self.holds(cond, &w).then_some(w)
                })
            });
        }
        let outer = self.segs.unit_at(scope, unit.start);
        if outer.start <= unit.start && outer.end >= unit.end {
            return self.holds(cond, &outer).then_some(outer);
        }
        self.segs
            .units_within(scope, unit.clone())
            .into_iter()
            .find(|u| self.holds(cond, u))
    }

    /// Collects the hits that make `cond` hold in `unit` (call only when it
    /// holds). Hits from a unit wider than `focus` are limited to the one
    /// nearest to it.
    pub fn gather(
        &self,
        cond: &Cond,
        unit: &Range<usize>,
        focus: &Range<usize>,
        out: &mut Vec<Hit>,
    ) {
        match cond {
            Cond::Atom(a) => {
                let hits = self.hits.within(*a, unit);
                if unit.start >= focus.start && unit.end <= focus.end {
                    out.extend_from_slice(&hits);
                } else if let Some(h) = hits.iter().min_by_key(|h| distance(h, focus)) {
                    out.push(*h);
                }
            }
            Cond::All(c) => c.iter().for_each(|c| self.gather(c, unit, focus, out)),
            Cond::Any(c) if !(unit.start >= focus.start && unit.end <= focus.end) => {
                // Outside the focus unit, one option is enough: the one whose
                // evidence lies nearest to the passage.
                let best = c
                    .iter()
                    .filter(|c| self.holds(c, unit))
                    .map(|c| {
                        let mut hits = Vec::new();
                        self.gather(c, unit, focus, &mut hits);
                        let d = hits
                            .iter()
                            .map(|h| distance(h, focus))
                            .min()
                            .unwrap_or(usize::MAX);
                        (d, hits)
                    })
                    .min_by_key(|(d, _)| *d);
                if let Some((_, hits)) = best {
                    out.extend(hits);
                }
            }
            Cond::Any(c) | Cond::AtLeast(_, c) => {
                for c in c {
                    if self.holds(c, unit) {
                        self.gather(c, unit, focus, out);
                    }
                }
            }
            Cond::Not(_) | Cond::Field(..) => {}
            Cond::Scoped(scope, c) => {
                if let Some(u) = self.scoped_unit(*scope, c, unit) {
                    self.gather(c, &u, focus, out);
                }
            }
            Cond::Quantity(q) => {
                if let Some((span, _)) = self.quantity_in(q, unit) {
                    out.push(Hit {
                        atom: QUANTITY_ATOM,
                        start: span.start,
                        end: span.end,
                    });
                }
            }
        }
    }

    /// The units in which a rule is evaluated. None when one of its
    /// requirements has no hit in the document. Otherwise the units of its
    /// scope around the hits of its rarest local requirement (or, when it has
    /// none, of every atom that can make it fire).
    pub fn candidate_units(&self, rule: &CompiledRule) -> Vec<Range<usize>> {
        // Literal requirements first: they cost nothing to count.
        let literal: Vec<Option<usize>> = rule
            .clauses
            .iter()
            .map(|c| self.hits.clause_count(c, false))
            .collect();
        if literal.contains(&Some(0)) {
            return Vec::new();
        }
        let rarest_literal = rule
            .clauses
            .iter()
            .zip(&literal)
            .filter_map(|(c, n)| Some((c, (*n)?)).filter(|(c, _)| c.local))
            .min_by_key(|(_, n)| *n)
            .map(|(c, _)| c.atoms.clone());
        // Otherwise the units lie around the hits of one local requirement
        // with regexes, which then run over the document: the one with the
        // fewest regex atoms, then the fewest literal hits. The other
        // requirements are checked in each unit (`holds`), so their regexes
        // run only there.
        let anchors = match rarest_literal {
            Some(a) => a,
            None => {
                let local = rule.clauses.iter().filter(|c| c.local).min_by_key(|c| {
                    let lazy = c.atoms.iter().filter(|a| self.hits.is_regex(**a)).count();
                    let literal: usize = c.atoms.iter().map(|a| self.hits.literal(*a).len()).sum();
                    (lazy, literal)
                });
                match local {
                    Some(c) if self.hits.clause_count(c, true).unwrap_or(0) == 0 => {
                        return Vec::new();
                    }
                    Some(c) => c.atoms.clone(),
                    None => rule.triggers.clone(),
                }
            }
        };
        let scope = rule.info.scope;
        let mut units: Vec<Range<usize>> = Vec::new();
        // Sentences are found only in paragraphs where the rule may hold.
        let mut checked: Option<(Range<usize>, bool)> = None;
        for a in anchors {
            for h in self.hits.of(a).iter() {
                if scope == Scope::Sentence {
                    let p = self.segs.unit_at(Scope::Paragraph, h.start);
                    let ok = match &checked {
                        Some((q, ok)) if *q == p => *ok,
                        _ => {
                            let ok = self.may_hold(&rule.cond, &p);
                            checked = Some((p, ok));
                            ok
                        }
                    };
                    if !ok {
                        continue;
                    }
                }
                units.push(match scope {
                    Scope::Words(n) => self.segs.word_window(h.start..h.end, n),
                    s => self.segs.unit_at(s, h.start),
                });
            }
        }
        units.sort_by_key(|u| (u.start, u.end));
        units.dedup();
        units
    }

    /// Findings of one rule (before fingerprints), merged where they overlap.
    pub fn rule_findings(&self, rule: &CompiledRule, lines: &LineIndex) -> Vec<Finding> {
        let mut out: Vec<(Range<usize>, Vec<Hit>, Range<usize>)> = Vec::new();
        for unit in self.candidate_units(rule) {
            if !self.holds(&rule.cond, &unit) {
                continue;
            }
            if rule.unless.as_ref().is_some_and(|u| self.holds(u, &unit)) {
                continue;
            }
            let mut hits = Vec::new();
            self.gather(&rule.cond, &unit, &unit, &mut hits);
            hits.sort_unstable_by_key(|h| (h.start, h.end, h.atom));
            hits.dedup();
            let inside: Vec<&Hit> = hits
                .iter()
                .filter(|h| h.start >= unit.start && h.end <= unit.end)
                .collect();
            let span = match (inside.first(), inside.iter().map(|h| h.end).max()) {
                (Some(f), Some(end)) => f.start..end,
                _ => trim(self.text, unit.clone()),
            };
            match out.last_mut() {
                Some((s, h, u)) if span.start < s.end => {
                    s.end = s.end.max(span.end);
                    u.end = u.end.max(unit.end);
                    h.extend(hits);
                    h.sort_unstable_by_key(|h| (h.start, h.end, h.atom));
                    h.dedup();
                }
                _ => out.push((span, hits, unit)),
            }
        }
        out.into_iter()
            .map(|(span, hits, unit)| self.finding(rule, span, &hits, &unit, lines))
            .collect()
    }

    fn finding(
        &self,
        rule: &CompiledRule,
        span: Range<usize>,
        hits: &[Hit],
        unit: &Range<usize>,
        lines: &LineIndex,
    ) -> Finding {
        let info = &rule.info;
        let ranges: Vec<Range<usize>> = hits.iter().map(|h| h.start..h.end).collect();
        let proximity = self.segs.proximity(&ranges);
        let base = match proximity {
            Scope::Sentence | Scope::Words(_) => 1.0,
            Scope::Paragraph => 0.7,
            Scope::Document => 0.5,
        };
        let (confidence, notes) = rule.downgrade(base, |c| self.holds(c, unit));
        let (line, column) = lines.locate(self.text, span.start);
        let (excerpt_start, excerpt) = self.excerpt(&span);
        let evidence = hits
            .iter()
            .map(|h| Evidence {
                text: self.text[h.start..h.end].to_owned(),
                list: if h.atom == QUANTITY_ATOM {
                    "quantity".to_owned()
                } else {
                    self.set.matcher().atom_name(h.atom).to_owned()
                },
                field: None,
                start: h.start,
                end: h.end,
            })
            .collect();
        let quantity = hits
            .iter()
            .find(|h| h.atom == QUANTITY_ATOM)
            .zip(first_quantity_test(&rule.cond))
            .and_then(|(h, q)| {
                let (_, value) = self.quantity_in(q, &(h.start..h.end))?;
                Some(FoundQuantity {
                    value: (value * 100.0).round() / 100.0,
                    unit: q.unit.name().to_owned(),
                    text: self.text[h.start..h.end].to_owned(),
                })
            });
        let party = rule.party.as_ref().map(|p| {
            let (alias, quality) = hits
                .iter()
                .find_map(|h| p.aliases.iter().find(|(a, _, _)| *a == h.atom))
                .map(|(_, alias, q)| (alias.clone(), *q))
                .unwrap_or_else(|| (p.name.clone(), crate::watchlist::Quality::Good));
            crate::finding::PartyMatch {
                reference: p.reference.clone(),
                name: p.name.clone(),
                kind: p.kind.clone(),
                alias,
                quality: match quality {
                    crate::watchlist::Quality::Good => "good".into(),
                    crate::watchlist::Quality::Low => "low".into(),
                },
                listed_on: p.listed_on.clone(),
                list: p.list.clone(),
                generated: p.generated.clone(),
            }
        });
        Finding {
            party,
            rule: info.id.clone(),
            title: info.title.clone(),
            category: info.category.clone(),
            severity: info.severity,
            citations: info.citations.clone(),
            effective: info.effective.clone(),
            start: span.start,
            end: span.end,
            line,
            column,
            excerpt,
            excerpt_start,
            evidence,
            proximity: proximity.name(),
            confidence,
            notes,
            record: None,
            field: None,
            quantity,
            fingerprint: String::new(),
        }
    }

    /// The sentence around `span` (widened to hold it), at most
    /// [`EXCERPT_CONTEXT`] bytes on each side, trimmed.
    fn excerpt(&self, span: &Range<usize>) -> (usize, String) {
        let s = self.segs.unit_at(Scope::Sentence, span.start);
        let e = self
            .segs
            .unit_at(Scope::Sentence, span.end.saturating_sub(1).max(span.start));
        let mut lo = s
            .start
            .min(span.start)
            .max(span.start.saturating_sub(EXCERPT_CONTEXT));
        let mut hi = e
            .end
            .max(span.end)
            .min(span.end + EXCERPT_CONTEXT)
            .min(self.text.len());
        while !self.text.is_char_boundary(lo) {
            lo += 1;
        }
        while !self.text.is_char_boundary(hi) {
            hi -= 1;
        }
        let r = trim(self.text, lo.min(span.start)..hi.max(span.end));
        (r.start, self.text[r].to_owned())
    }
}

/// The first prose quantity test of a condition.
pub(crate) fn first_quantity_test(c: &Cond) -> Option<&QuantityTest> {
    match c {
        Cond::Quantity(q) => Some(q),
        Cond::All(c) | Cond::Any(c) | Cond::AtLeast(_, c) => c.iter().find_map(first_quantity_test),
        Cond::Scoped(_, c) => first_quantity_test(c),
        Cond::Atom(_) | Cond::Not(_) | Cond::Field(..) => None,
    }
}

fn distance(h: &Hit, focus: &Range<usize>) -> usize {
    if h.end <= focus.start {
        focus.start - h.end
    } else {
        h.start.saturating_sub(focus.end)
    }
}

/// `range` without leading and trailing whitespace.
fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.end - (s.len() - s.trim_end().len());
    start..end.max(start)
}

/// Scans `text` with every text rule of `set` (or only rule index `only`).
pub(crate) fn scan(set: &RuleSet, text: &str, only: Option<usize>) -> Vec<Finding> {
    match first_stage(set, text) {
        Some(norm) => scan_with_hits(set, text, &Hits::with_folded(set, text, &norm), only),
        None => Vec::new(),
    }
}

/// The first stage: `None` when the gate shows that `text` cannot hold a
/// finding, else the folded text for the full stage.
pub(crate) fn first_stage(set: &RuleSet, text: &str) -> Option<NormalizedText> {
    let Some(gate) = set.gate() else {
        return Some(NormalizedText::new(text));
    };
    match gate.raw_may_match(text) {
        Some(false) => None,
        Some(true) => Some(NormalizedText::new(text)),
        None => Some(NormalizedText::new(text)).filter(|n| gate.folded_may_match(n.as_str())),
    }
}

/// Scans `text`, whose hits are already known.
pub(crate) fn scan_with_hits(
    set: &RuleSet,
    text: &str,
    hits: &Hits,
    only: Option<usize>,
) -> Vec<Finding> {
    if hits.is_empty() && set.regex_rules().is_empty() && only.is_none() {
        return Vec::new();
    }
    let mut rules: Vec<usize> = match only {
        Some(i) => vec![i],
        None => hits
            .atoms()
            .flat_map(|a| set.rules_of_atom(a).iter().copied())
            .chain(set.regex_rules().iter().copied())
            .collect(),
    };
    rules.sort_unstable();
    rules.dedup();
    let eval = Evaluator::new(set, text, hits);
    let lines = LineIndex::new(text);
    let mut findings: Vec<Finding> = rules
        .into_iter()
        .filter_map(|i| set.compiled(i))
        .filter(|r| !r.record_only)
        .flat_map(|r| eval.rule_findings(r, &lines))
        .collect();
    findings.sort_by(|a, b| (a.start, a.end, &a.rule).cmp(&(b.start, b.end, &b.rule)));
    assign_fingerprints(&mut findings);
    findings
}

pub(crate) fn assign_fingerprints(findings: &mut [Finding]) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for f in findings {
        let base = fingerprint(&f.rule, &f.evidence, 0);
        let n = seen.entry(base.clone()).or_insert(0);
        f.fingerprint = if *n == 0 {
            base
        } else {
            fingerprint(&f.rule, &f.evidence, *n)
        };
        *n += 1;
    }
}

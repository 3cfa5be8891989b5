//! Conditions as written become a small tree over atom ids.

use std::collections::{HashMap, HashSet};

use super::terms::{AtomId, MatcherBuilder};
use super::{MAX_CONDITION_DEPTH, closest, pos};
use crate::diagnostic::{Code, Diagnostic, Position};
use crate::model::{ConditionDef, QuantityDef, Spanned};
use crate::records::hs::HsRange;
use crate::records::quantity::Unit;
use crate::records::roles::Role;
use crate::ruleset::SourceFile;
use crate::segment::Scope;

/// A compiled condition.
#[derive(Clone, Debug)]
pub enum Cond {
    /// True where the atom (a list, or inline terms or regex) has a hit.
    Atom(AtomId),
    /// True where every child holds.
    All(Vec<Cond>),
    /// True where any child holds.
    Any(Vec<Cond>),
    /// True where the child does not hold.
    Not(Box<Cond>),
    /// True where at least `n` children hold.
    AtLeast(usize, Vec<Cond>),
    /// The child, evaluated over another scope.
    Scoped(Scope, Box<Cond>),
    /// A test on a record field (never true in plain text).
    Field(FieldSel, FieldTest),
    /// A quantity written in the text of the unit.
    Quantity(QuantityTest),
}

/// Most choices of one clause per child of an `any` whose unions are kept
/// as clauses (see [`Cond::clauses`]).
const MAX_CLAUSE_COMBINATIONS: usize = 16;

/// A requirement: one of these atoms must be hit (see [`Cond::clauses`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// The atoms, sorted.
    pub atoms: Vec<AtomId>,
    /// Whether the hit must lie in the unit being evaluated.
    pub local: bool,
}

/// Which fields of a record a field condition looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldSel {
    /// Fields whose name maps to this role.
    Role(Role),
    /// The field with this path (compared by letters and digits only).
    Path(String),
}

/// What a field condition tests.
#[derive(Clone, Debug)]
pub enum FieldTest {
    /// The field's value contains a hit of the atom.
    Atom(AtomId),
    /// The value is one of these codes (upper-case).
    Country(Vec<String>),
    /// The value is an HS code in one of these ranges.
    Hs(Vec<HsRange>),
    /// The value is a quantity within bounds.
    Quantity(QuantityTest),
}

/// Bounds on a quantity, in a unit.
#[derive(Clone, Debug, PartialEq)]
pub struct QuantityTest {
    /// The unit of the bounds.
    pub unit: Unit,
    /// Lower bound (exclusive).
    pub above: Option<f64>,
    /// Upper bound (exclusive).
    pub below: Option<f64>,
    /// Barrels per tonne.
    pub per_tonne: Option<f64>,
}

impl QuantityTest {
    /// The value converted to the test's unit, when it is within bounds.
    pub fn accepts(&self, value: f64, unit: Unit) -> Option<f64> {
        let v = crate::records::quantity::convert(value, unit, self.unit, self.per_tonne)?;
        (self.above.is_none_or(|a| v > a) && self.below.is_none_or(|b| v < b)).then_some(v)
    }
}

impl Cond {
    /// Atoms whose hits can make this condition true (those not under a
    /// negation).
    pub fn positive_atoms(&self, out: &mut Vec<AtomId>) {
        match self {
            Cond::Atom(a) => out.push(*a),
            Cond::All(c) | Cond::Any(c) | Cond::AtLeast(_, c) => {
                c.iter().for_each(|c| c.positive_atoms(out));
            }
            Cond::Not(_) | Cond::Field(..) | Cond::Quantity(_) => {}
            Cond::Scoped(_, c) => c.positive_atoms(out),
        }
    }

    /// Requirements for the condition to hold, as clauses: each clause is a
    /// set of atoms at least one of which must be hit (a conjunction of
    /// disjunctions, like YARA's atoms). A clause is *local* when the hit
    /// must lie in the unit being evaluated (of scope `rule_scope`), and
    /// global when it may lie anywhere in the document.
    pub fn clauses(&self, rule_scope: Scope, local: bool, out: &mut Vec<Clause>) {
        match self {
            Cond::Atom(a) => out.push(Clause {
                atoms: vec![*a],
                local,
            }),
            Cond::All(c) => c.iter().for_each(|c| c.clauses(rule_scope, local, out)),
            Cond::Any(c) | Cond::AtLeast(_, c) => {
                // One child must hold, so for any choice of one clause per
                // child, their union must. Kept: the clauses every child has
                // (typically a shared list), and the unions of all choices
                // when there are few, else of the first clauses.
                let subs: Vec<Vec<Clause>> = c
                    .iter()
                    .map(|child| {
                        let mut sub = Vec::new();
                        child.clauses(rule_scope, local, &mut sub);
                        sub
                    })
                    .collect();
                if subs.is_empty() || subs.iter().any(Vec::is_empty) {
                    return;
                }
                let before = out.len();
                for first in &subs[0] {
                    if subs[1..]
                        .iter()
                        .all(|s| s.iter().any(|o| o.atoms == first.atoms))
                    {
                        let local = subs
                            .iter()
                            .all(|s| s.iter().any(|o| o.atoms == first.atoms && o.local));
                        out.push(Clause {
                            atoms: first.atoms.clone(),
                            local,
                        });
                    }
                }
                let combinations = subs
                    .iter()
                    .try_fold(1usize, |n, s| n.checked_mul(s.len()))
                    .filter(|n| *n <= MAX_CLAUSE_COMBINATIONS);
                let choices: Vec<Vec<&Clause>> = match combinations {
                    Some(_) => subs.iter().fold(vec![Vec::new()], |acc, s| {
                        acc.iter()
                            .flat_map(|pick| {
                                s.iter().map(move |c| {
                                    let mut p = pick.clone();
                                    p.push(c);
                                    p
                                })
                            })
                            .collect()
                    }),
                    None => vec![subs.iter().map(|s| &s[0]).collect()],
                };
                for pick in choices {
                    let mut atoms: Vec<AtomId> =
                        pick.iter().flat_map(|c| c.atoms.iter().copied()).collect();
                    atoms.sort_unstable();
                    atoms.dedup();
                    let clause = Clause {
                        atoms,
                        local: pick.iter().all(|c| c.local),
                    };
                    if !out[before..].contains(&clause) {
                        out.push(clause);
                    }
                }
            }
            Cond::Scoped(scope, c) => c.clauses(rule_scope, local && *scope <= rule_scope, out),
            Cond::Not(_) | Cond::Field(..) | Cond::Quantity(_) => {}
        }
    }

    /// Whether the condition tests record fields anywhere (such a rule runs
    /// on records only).
    pub fn uses_fields(&self) -> bool {
        match self {
            Cond::Field(..) => true,
            Cond::Atom(_) | Cond::Quantity(_) => false,
            Cond::All(c) | Cond::Any(c) | Cond::AtLeast(_, c) => c.iter().any(Cond::uses_fields),
            Cond::Not(c) | Cond::Scoped(_, c) => c.uses_fields(),
        }
    }
}

/// What a rule's conditions compile against.
pub(crate) struct Context<'a> {
    pub source: &'a SourceFile,
    pub rule: &'a str,
    pub lists: &'a HashMap<String, (AtomId, Position)>,
    pub used_lists: &'a mut HashSet<String>,
    pub matcher: &'a mut MatcherBuilder,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

impl Context<'_> {
    fn error(&mut self, code: Code, at: Position, message: String, hint: Option<String>) {
        let mut d = Diagnostic::new(code, at, message).with_rule(Some(self.rule));
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.diagnostics.push(d);
    }

    /// Compiles one condition (errors are recorded; the result is then a
    /// placeholder that is never run).
    pub fn condition(&mut self, def: &Spanned<ConditionDef>, depth: usize) -> Cond {
        let here = pos(self.source, def);
        if depth > MAX_CONDITION_DEPTH {
            self.error(
                Code::LimitExceeded,
                here,
                format!("conditions nest deeper than {MAX_CONDITION_DEPTH} levels"),
                Some("flatten the condition: `all` inside `all` can be merged".into()),
            );
            return Cond::Any(Vec::new());
        }
        let c = &def.value;
        let kinds: Vec<&str> = [
            ("list", c.list.is_some()),
            ("terms", c.terms.is_some()),
            ("regex", c.regex.is_some()),
            ("all", c.all.is_some()),
            ("any", c.any.is_some()),
            ("none", c.none.is_some()),
            ("not", c.not.is_some()),
            ("at_least", c.at_least.is_some()),
            ("country", c.country.is_some()),
            ("hs_code", c.hs_code.is_some()),
            ("quantity", c.quantity.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, on)| on.then_some(k))
        .collect();
        if kinds.len() > 1 {
            self.error(
                Code::AmbiguousCondition,
                here.clone(),
                format!(
                    "a condition must have one kind, this one has {}",
                    kinds.join(", ")
                ),
                Some("wrap several conditions in `all:` or `any:`".into()),
            );
            return Cond::Any(Vec::new());
        }
        if c.of.is_some() && c.at_least.is_none() {
            self.error(
                Code::AmbiguousCondition,
                here.clone(),
                "`of` is only used with `at_least`".into(),
                Some("write `at_least: N` beside `of:`".into()),
            );
        }
        if let Some(field) = &c.field {
            return self.field_condition(c, field, kinds.first().copied(), &here);
        }
        if let Some(k @ ("country" | "hs_code")) = kinds.first().copied() {
            self.error(
                Code::AmbiguousCondition,
                here.clone(),
                format!("`{k}` tests a record field and needs `field:`"),
                Some(format!(
                    "add e.g. `field: {}`",
                    if k == "country" {
                        "destination_country"
                    } else {
                        "hs_code"
                    }
                )),
            );
            return Cond::Any(Vec::new());
        }
        let cond = match kinds.first().copied() {
            None => {
                self.error(
                    Code::EmptyCondition,
                    here.clone(),
                    "empty condition".into(),
                    Some("give one of list, terms, regex, all, any, none, not, at_least".into()),
                );
                Cond::Any(Vec::new())
            }
            Some("list") => self.list_ref(c.list.as_ref().expect("checked")),
            Some("terms") => self.inline_terms(c.terms.as_deref().unwrap_or(&[]), &here),
            Some("regex") => self.inline_regex(c.regex.as_ref().expect("checked")),
            Some("all") => Cond::All(self.children("all", c.all.as_deref(), &here, depth)),
            Some("any") => Cond::Any(self.children("any", c.any.as_deref(), &here, depth)),
            Some("none") => Cond::Not(Box::new(Cond::Any(self.children(
                "none",
                c.none.as_deref(),
                &here,
                depth,
            )))),
            Some("not") => Cond::Not(Box::new(
                self.condition(c.not.as_deref().expect("checked"), depth + 1),
            )),
            Some("quantity") => match self.quantity(c.quantity.as_ref().expect("checked")) {
                Some(q) => Cond::Quantity(q),
                None => Cond::Any(Vec::new()),
            },
            Some(_) => self.at_least(c, &here, depth),
        };
        match &c.scope {
            Some(s) => match parse_scope(self, s) {
                Some(scope) => Cond::Scoped(scope, Box::new(cond)),
                None => cond,
            },
            None => cond,
        }
    }

    fn field_condition(
        &mut self,
        c: &ConditionDef,
        field: &Spanned<String>,
        kind: Option<&str>,
        here: &Position,
    ) -> Cond {
        let sel = match Role::parse(field.value.trim()) {
            Some(r) => FieldSel::Role(r),
            None => FieldSel::Path(crate::records::roles::key(&field.value)),
        };
        let test = match kind {
            Some("terms") => match self.inline_terms(c.terms.as_deref().unwrap_or(&[]), here) {
                Cond::Atom(a) => Some(FieldTest::Atom(a)),
                _ => None,
            },
            Some("list") => match self.list_ref(c.list.as_ref().expect("checked")) {
                Cond::Atom(a) => Some(FieldTest::Atom(a)),
                _ => None,
            },
            Some("regex") => match self.inline_regex(c.regex.as_ref().expect("checked")) {
                Cond::Atom(a) => Some(FieldTest::Atom(a)),
                _ => None,
            },
            Some("country") => {
                let codes: Vec<String> = c
                    .country
                    .iter()
                    .flatten()
                    .map(|s| s.value.trim().to_uppercase())
                    .filter(|s| !s.is_empty())
                    .collect();
                if codes.is_empty() {
                    self.error(
                        Code::EmptyList,
                        here.clone(),
                        "`country` lists no code".into(),
                        Some("e.g. `country: [KP, PRK]`".into()),
                    );
                }
                Some(FieldTest::Country(codes))
            }
            Some("hs_code") => {
                let mut ranges = Vec::new();
                for s in c.hs_code.iter().flatten() {
                    match HsRange::parse(&s.value) {
                        Some(r) => ranges.push(r),
                        None => {
                            let at = pos(self.source, s);
                            self.error(
                                Code::InvalidTerm,
                                at,
                                format!("`{}` is not an HS code or range", s.value),
                                Some("write chapters, headings or ranges with the same number of digits: `03`, `2710`, `8802.11`, `50-63`".into()),
                            );
                        }
                    }
                }
                if ranges.is_empty() && c.hs_code.as_ref().is_some_and(Vec::is_empty) {
                    self.error(
                        Code::EmptyList,
                        here.clone(),
                        "`hs_code` lists no code".into(),
                        None,
                    );
                }
                Some(FieldTest::Hs(ranges))
            }
            Some("quantity") => self
                .quantity(c.quantity.as_ref().expect("checked"))
                .map(FieldTest::Quantity),
            other => {
                self.error(
                    Code::AmbiguousCondition,
                    here.clone(),
                    match other {
                        Some(k) => format!("`field` cannot be combined with `{k}`"),
                        None => "`field` needs a test".into(),
                    },
                    Some("give one of terms, list, regex, country, hs_code, quantity beside `field:`".into()),
                );
                None
            }
        };
        match test {
            Some(t) => Cond::Field(sel, t),
            None => Cond::Any(Vec::new()),
        }
    }

    fn quantity(&mut self, q: &Spanned<QuantityDef>) -> Option<QuantityTest> {
        let Some(unit) = Unit::parse(&q.value.unit) else {
            let at = pos(self.source, q);
            self.error(
                Code::InvalidTerm,
                at,
                format!("unknown unit `{}`", q.value.unit),
                Some("use barrels, cubic metres, litres, tonnes, kilograms or pounds".into()),
            );
            return None;
        };
        Some(QuantityTest {
            unit,
            above: q.value.above,
            below: q.value.below,
            per_tonne: q.value.per_tonne.filter(|k| *k > 0.0),
        })
    }

    fn children(
        &mut self,
        kind: &str,
        list: Option<&[Spanned<ConditionDef>]>,
        here: &Position,
        depth: usize,
    ) -> Vec<Cond> {
        let list = list.unwrap_or(&[]);
        if list.is_empty() {
            self.error(
                Code::EmptyCondition,
                here.clone(),
                format!("`{kind}` has no conditions"),
                Some(format!("list at least one condition under `{kind}:`")),
            );
        }
        list.iter().map(|c| self.condition(c, depth + 1)).collect()
    }

    fn at_least(&mut self, c: &ConditionDef, here: &Position, depth: usize) -> Cond {
        let n = c.at_least.as_ref().expect("checked");
        let of = self.children("at_least", c.of.as_deref(), here, depth);
        let count = n.value as usize;
        if count == 0 || count > of.len() {
            self.error(
                Code::InvalidCount,
                pos(self.source, n),
                format!(
                    "`at_least: {count}` of {} conditions can never or always hold",
                    of.len()
                ),
                Some(format!("use a number from 1 to {}", of.len().max(1))),
            );
        }
        Cond::AtLeast(count, of)
    }

    fn list_ref(&mut self, name: &Spanned<String>) -> Cond {
        if let Some((atom, _)) = self.lists.get(&name.value) {
            self.used_lists.insert(name.value.clone());
            return Cond::Atom(*atom);
        }
        let hint = closest(&name.value, self.lists.keys().map(String::as_str))
            .map(|c| format!("did you mean `{c}`?"))
            .unwrap_or_else(|| "define it under `lists:` in any loaded rule file".into());
        self.error(
            Code::UnknownList,
            pos(self.source, name),
            format!("unknown term list `{}`", name.value),
            Some(hint),
        );
        Cond::Any(Vec::new())
    }

    fn inline_terms(&mut self, terms: &[Spanned<String>], here: &Position) -> Cond {
        if terms.is_empty() {
            self.error(
                Code::EmptyList,
                here.clone(),
                "`terms` is empty".into(),
                Some("list at least one term".into()),
            );
        }
        let label = format!("{} terms (line {})", self.rule, here.line);
        let atom = self.matcher.add_atom(&label);
        for t in terms {
            self.matcher
                .add_term(atom, self.source, t, Some(self.rule), self.diagnostics);
        }
        Cond::Atom(atom)
    }

    fn inline_regex(&mut self, pattern: &Spanned<String>) -> Cond {
        let label = format!("{} regex (line {})", self.rule, pattern.referenced.line());
        let atom = self.matcher.add_atom(&label);
        self.matcher.add_regex(
            atom,
            self.source,
            pattern,
            Some(self.rule),
            self.diagnostics,
        );
        Cond::Atom(atom)
    }
}

/// Parses a scope value, recording an error when it is not valid.
pub(crate) fn parse_scope(cx: &mut Context<'_>, s: &Spanned<String>) -> Option<Scope> {
    let scope = Scope::parse(&s.value);
    if scope.is_none() {
        let at = pos(cx.source, s);
        cx.error(
            Code::InvalidScope,
            at,
            format!("unknown scope `{}`", s.value),
            Some("use sentence, paragraph, document, or `N words` (1 to 1000)".into()),
        );
    }
    scope
}

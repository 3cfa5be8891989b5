//! Why a rule did or did not fire on a text: the rule author's debugger.

use std::fmt::{self, Write as _};

use serde::Serialize;

use crate::compile::{AtomId, Cond};
use crate::finding::{Finding, LineIndex};
use crate::ruleset::{RuleInfo, RuleSet};
use crate::scan::{Evaluator, Hits};
use crate::segment::Scope;

/// The account of one rule on one text.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The rule's id.
    pub rule: String,
    /// The rule's conditions, written out.
    pub conditions: String,
    /// The `unless` condition, written out.
    pub unless: Option<String>,
    /// For each list or inline term set of the rule: what matched, where.
    pub terms: Vec<TermReport>,
    /// Each scope unit the rule was evaluated in, and the outcome.
    pub units: Vec<UnitReport>,
    /// The findings.
    pub findings: Vec<Finding>,
}

/// Matches of one list (or inline term set).
#[derive(Debug, Clone, Serialize)]
pub struct TermReport {
    /// List name, or the rule id and `terms`/`regex` for inline ones.
    pub list: String,
    /// Matched texts with their line and column.
    pub matches: Vec<(String, usize, usize)>,
}

/// One unit (sentence, paragraph ...) the rule was evaluated in.
#[derive(Debug, Clone, Serialize)]
pub struct UnitReport {
    /// Line where the unit starts.
    pub line: usize,
    /// The unit's text (shortened).
    pub text: String,
    /// Whether `match` held.
    pub matched: bool,
    /// Whether `unless` held (cancelling the match).
    pub cancelled: bool,
}

impl Explanation {
    /// A short account: which lists matched and which did not, and the
    /// outcome per unit.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let (hit, miss): (Vec<_>, Vec<_>) = self.terms.iter().partition(|t| !t.matches.is_empty());
        if !hit.is_empty() {
            let parts: Vec<String> = hit
                .iter()
                .map(|t| {
                    let m: Vec<String> = t
                        .matches
                        .iter()
                        .map(|(x, _, _)| format!("\"{x}\""))
                        .collect();
                    format!("{} matched {}", t.list, m.join(", "))
                })
                .collect();
            let _ = write!(s, "{}", parts.join("; "));
        }
        if !miss.is_empty() {
            if !s.is_empty() {
                s.push_str("; ");
            }
            let names: Vec<&str> = miss.iter().map(|t| t.list.as_str()).collect();
            let _ = write!(s, "no match for {}", names.join(", "));
        }
        if self.units.iter().any(|u| u.cancelled) {
            s.push_str("; `unless` cancelled the match");
        } else if self.units.iter().all(|u| !u.matched) {
            s.push_str("; the conditions never held together in one scope unit");
        }
        s
    }
}

/// Explains rule `id` on `text`; `None` when no rule has that id.
pub fn explain(set: &RuleSet, id: &str, text: &str) -> Option<Explanation> {
    let index = set.index_of(id)?;
    let rule = set.compiled(index)?;
    let hits = Hits::find(set, text);
    let eval = Evaluator::new(set, text, &hits);
    let lines = LineIndex::new(text);
    let mut atoms = Vec::new();
    all_atoms(&rule.cond, &mut atoms);
    if let Some(u) = &rule.unless {
        all_atoms(u, &mut atoms);
    }
    atoms.dedup();
    let terms = atoms
        .iter()
        .map(|&a| TermReport {
            list: set.matcher().atom_name(a).to_owned(),
            matches: hits
                .of(a)
                .iter()
                .map(|h| {
                    let (l, c) = lines.locate(text, h.start);
                    (text[h.start..h.end].to_owned(), l, c)
                })
                .collect(),
        })
        .collect();
    let units = eval
        .candidate_units(rule)
        .into_iter()
        .map(|u| {
            let matched = eval.holds(&rule.cond, &u);
            let cancelled = matched && rule.unless.as_ref().is_some_and(|c| eval.holds(c, &u));
            UnitReport {
                line: lines.locate(text, u.start).0,
                text: shorten(text[u].trim(), 160),
                matched,
                cancelled,
            }
        })
        .collect();
    let findings = crate::scan::scan(set, text, Some(index));
    Some(Explanation {
        rule: id.to_owned(),
        conditions: describe(set, &rule.cond, rule.info.scope),
        unless: rule
            .unless
            .as_ref()
            .map(|u| describe(set, u, rule.info.scope)),
        terms,
        units,
        findings,
    })
}

/// The rule's metadata, looked up by id.
pub fn rule_info<'a>(set: &'a RuleSet, id: &str) -> Option<&'a RuleInfo> {
    set.rules().find(|r| r.id == id)
}

/// The conditions of rule `id` written out (`None` when there is no such rule).
pub fn conditions_of(set: &RuleSet, id: &str) -> Option<(String, Option<String>)> {
    let rule = set.compiled(set.index_of(id)?)?;
    Some((
        describe(set, &rule.cond, rule.info.scope),
        rule.unless
            .as_ref()
            .map(|u| describe(set, u, rule.info.scope)),
    ))
}

/// The `downgrade` entries of rule `id`: note, factor and condition written out.
pub fn downgrades_of(set: &RuleSet, id: &str) -> Vec<(String, f64, String)> {
    let Some(rule) = set.index_of(id).and_then(|i| set.compiled(i)) else {
        return Vec::new();
    };
    rule.downgrades
        .iter()
        .map(|d| {
            (
                d.note.clone(),
                d.factor,
                describe(set, &d.when, rule.info.scope),
            )
        })
        .collect()
}

/// The rule id nearest to a mistyped one ("did you mean").
pub fn closest_rule_id<'a>(set: &'a RuleSet, id: &str) -> Option<&'a str> {
    crate::compile::closest(id, set.rules().map(|r| r.id.as_str())).or_else(|| {
        set.rules()
            .map(|r| r.id.as_str())
            .find(|r| r.contains(id) || id.contains(r))
    })
}

fn all_atoms(c: &Cond, out: &mut Vec<AtomId>) {
    match c {
        Cond::Atom(a) => {
            if !out.contains(a) {
                out.push(*a);
            }
        }
        Cond::All(c) | Cond::Any(c) | Cond::AtLeast(_, c) => {
            c.iter().for_each(|c| all_atoms(c, out))
        }
        Cond::Not(c) | Cond::Scoped(_, c) => all_atoms(c, out),
        Cond::Field(_, crate::compile::FieldTest::Atom(a)) => {
            if !out.contains(a) {
                out.push(*a);
            }
        }
        Cond::Field(..) | Cond::Quantity(_) => {}
    }
}

fn describe(set: &RuleSet, c: &Cond, scope: Scope) -> String {
    struct D<'a>(&'a RuleSet, &'a Cond);
    impl fmt::Display for D<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let join = |f: &mut fmt::Formatter<'_>, word: &str, c: &[Cond]| {
                write!(f, "{word}(")?;
                for (i, c) in c.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", D(self.0, c))?;
                }
                f.write_str(")")
            };
            match self.1 {
                Cond::Atom(a) => write!(f, "{}", self.0.matcher().atom_name(*a)),
                Cond::All(c) => join(f, "all", c),
                Cond::Any(c) => join(f, "any", c),
                Cond::AtLeast(n, c) => join(f, &format!("at_least {n} of "), c),
                Cond::Not(c) => write!(f, "not({})", D(self.0, c)),
                Cond::Scoped(s, c) => write!(f, "{} [in the {}]", D(self.0, c), s.name()),
                Cond::Field(sel, test) => {
                    let field = match sel {
                        crate::compile::FieldSel::Role(r) => r.name().to_owned(),
                        crate::compile::FieldSel::Path(p) => p.clone(),
                    };
                    match test {
                        crate::compile::FieldTest::Atom(a) => {
                            write!(f, "field {field} has {}", self.0.matcher().atom_name(*a))
                        }
                        crate::compile::FieldTest::Country(c) => {
                            write!(f, "field {field} is one of {}", c.join("/"))
                        }
                        crate::compile::FieldTest::Hs(r) => {
                            let r: Vec<String> = r.iter().map(ToString::to_string).collect();
                            write!(f, "field {field} is HS {}", r.join(", "))
                        }
                        crate::compile::FieldTest::Quantity(q) => {
                            write!(f, "field {field} is {}", describe_quantity(q))
                        }
                    }
                }
                Cond::Quantity(q) => write!(f, "a quantity {}", describe_quantity(q)),
            }
        }
    }
    format!("{} [in the {}]", D(set, c), scope.name())
}

fn describe_quantity(q: &crate::compile::QuantityTest) -> String {
    let mut s = String::new();
    if let Some(a) = q.above {
        s.push_str(&format!("above {a} "));
    }
    if let Some(b) = q.below {
        s.push_str(&format!("below {b} "));
    }
    format!("{s}{}", q.unit.name())
}

fn shorten(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    format!("{cut}…")
}

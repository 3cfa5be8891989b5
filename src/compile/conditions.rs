//! Conditions as written become a small tree over atom ids.

use std::collections::{HashMap, HashSet};

use super::terms::{AtomId, MatcherBuilder};
use super::{MAX_CONDITION_DEPTH, closest, pos};
use crate::diagnostic::{Code, Diagnostic, Position};
use crate::model::{ConditionDef, Spanned};
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
            Cond::Not(_) => {}
            Cond::Scoped(_, c) => c.positive_atoms(out),
        }
    }

    /// Atoms that every match of this condition needs: one of them must be
    /// hit for the condition to hold (`None` when the condition can hold
    /// without any hit, e.g. a bare `not`).
    #[allow(dead_code)] // used by the prefilter stage
    pub fn required_atoms(&self) -> Option<Vec<AtomId>> {
        match self {
            Cond::Atom(a) => Some(vec![*a]),
            Cond::All(c) => c
                .iter()
                .filter_map(Cond::required_atoms)
                .min_by_key(Vec::len),
            Cond::Any(c) | Cond::AtLeast(_, c) => {
                let mut all = Vec::new();
                for c in c {
                    all.extend(c.required_atoms()?);
                }
                Some(all)
            }
            Cond::Not(_) => None,
            Cond::Scoped(_, c) => c.required_atoms(),
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
        let label = format!("{} terms", self.rule);
        let atom = self.matcher.add_atom(&label);
        for t in terms {
            self.matcher
                .add_term(atom, self.source, t, Some(self.rule), self.diagnostics);
        }
        Cond::Atom(atom)
    }

    fn inline_regex(&mut self, pattern: &Spanned<String>) -> Cond {
        let label = format!("{} regex", self.rule);
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

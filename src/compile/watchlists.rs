//! Watchlists become rules: one rule per listed party, whose terms are the
//! party's name variants ([`crate::watchlist::variants`]), all in the same
//! automaton as the rule terms.
//!
//! Per party:
//! - a variant that is distinctive on its own is a match by itself;
//! - a variant that *needs context* (short or generic) counts only with a
//!   term of the list's `context_list` (e.g. the pack's `dprk` names) in the
//!   same sentence; without a context list it counts, downgraded;
//! - a match on low-quality aliases only is downgraded;
//! - a vessel's IMO number counts when the word "IMO" is within three words.

use std::sync::Arc;

use serde_saphyr::Location;

use super::terms::{AtomId, MatcherBuilder};
use super::{Cond, pos_of_file};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Severity, Spanned};
use crate::ruleset::{CompiledRule, Downgrade, Examples, PartyMeta, RuleInfo, SourceFile};
use crate::segment::Scope;
use crate::watchlist::variants::{NameVariant, name_variants};
use crate::watchlist::{Party, PartyKind, Quality, WatchlistDef};

/// Default category of watchlist findings.
pub const DEFAULT_CATEGORY: &str = "designated_parties";

fn spanned(s: &str) -> Spanned<String> {
    Spanned::new(s.to_owned(), Location::UNKNOWN, Location::UNKNOWN)
}

/// The name variants of each party of a list, in order.
pub(crate) type PartyVariants = Vec<Vec<NameVariant>>;

/// Lists with at least this many parties in all have their name variants
/// worked out on another thread.
const THREAD_MIN_PARTIES: usize = 50;

/// The name variants of the parties of every file's watchlist, worked out
/// on another thread while the caller compiles the rules: they are the
/// costly part of compiling a list.
pub(crate) struct Variants(Option<std::thread::JoinHandle<Vec<Option<PartyVariants>>>>);

fn variants_of<'a>(lists: impl Iterator<Item = Option<&'a [Party]>>) -> Vec<Option<PartyVariants>> {
    lists
        .map(|l| l.map(|parties| parties.iter().map(name_variants).collect()))
        .collect()
}

impl Variants {
    /// Starts working out the variants of the watchlists of `lists` (one
    /// entry per file), on another thread when they are many.
    pub fn start(lists: Vec<Option<&[Party]>>) -> Variants {
        let parties: usize = lists.iter().flatten().map(|l| l.len()).sum();
        if parties < THREAD_MIN_PARTIES {
            return Variants(None);
        }
        let owned: Vec<Option<Vec<Party>>> = lists
            .into_iter()
            .map(|l| l.map(<[Party]>::to_vec))
            .collect();
        let handle = std::thread::Builder::new()
            .name("name-variants".into())
            .spawn(move || variants_of(owned.iter().map(Option::as_deref)));
        Variants(handle.ok())
    }

    /// The variants, per file and party: those worked out on the other
    /// thread, or worked out here (the same `lists` as given to `start`).
    pub fn finish(self, lists: Vec<Option<&[Party]>>) -> Vec<Option<PartyVariants>> {
        match self.0 {
            Some(handle) => handle
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            None => variants_of(lists.into_iter()),
        }
    }
}

/// Compiles the watchlist of one file into rules, given the name variants
/// of its parties.
pub(crate) fn compile(
    list: &WatchlistDef,
    variants: PartyVariants,
    source: &Arc<SourceFile>,
    matcher: &mut MatcherBuilder,
    lists: &std::collections::HashMap<String, (AtomId, crate::diagnostic::Position)>,
    used_lists: &mut std::collections::HashSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<CompiledRule> {
    let context = match &list.context_list {
        Some(name) => {
            match lists.get(name) {
                Some((atom, _)) => {
                    used_lists.insert(name.clone());
                    Some(*atom)
                }
                None => {
                    diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownList,
                        pos_of_file(source),
                        format!("watchlist `{}`: unknown context list `{name}`", list.name),
                    )
                    .with_hint("define it under `lists:` in a loaded rule file, or remove `context_list`"),
                );
                    None
                }
            }
        }
        None => None,
    };
    let imo_word = list.parties.iter().any(|p| p.imo.is_some()).then(|| {
        let a = matcher.add_atom("IMO");
        for t in ["IMO", "IMO No", "IMO number"] {
            matcher.add_term(a, source, &spanned(t), None, diagnostics);
        }
        a
    });
    let prefix = list
        .id_prefix
        .clone()
        .unwrap_or_else(|| "watchlist".to_owned());
    let category = list
        .category
        .clone()
        .unwrap_or_else(|| DEFAULT_CATEGORY.to_owned());
    let severity = list.severity.unwrap_or(Severity::High);
    let mut rules = Vec::new();
    for (party, variants) in list.parties.iter().zip(variants) {
        let mut strong = Vec::new();
        let mut weak = Vec::new();
        let mut good = Vec::new();
        let mut low = Vec::new();
        let mut aliases: Vec<(AtomId, String, Quality)> = Vec::new();
        // One atom per (alias, needs context), so a finding can say which
        // alias matched.
        let mut atoms: std::collections::HashMap<(String, bool), AtomId> = Default::default();
        for v in variants {
            let atom = match atoms.get(&(v.alias.clone(), v.needs_context)) {
                Some(a) => *a,
                None => {
                    let label = format!("{} · {}", party.reference, v.alias);
                    let a = matcher.add_atom(&label);
                    aliases.push((a, v.alias.trim_matches('"').to_owned(), v.quality));
                    if v.needs_context {
                        weak.push(a);
                    } else {
                        strong.push(a);
                    }
                    match v.quality {
                        Quality::Good => good.push(a),
                        Quality::Low => low.push(a),
                    }
                    atoms.insert((v.alias.clone(), v.needs_context), a);
                    a
                }
            };
            matcher.add_term(atom, source, &spanned(&v.term), None, diagnostics);
        }
        let mut options: Vec<Cond> = strong.iter().map(|a| Cond::Atom(*a)).collect();
        let mut downgrades = Vec::new();
        if !weak.is_empty() {
            let weak_cond = Cond::Any(weak.iter().map(|a| Cond::Atom(*a)).collect());
            match context {
                Some(ctx) => options.push(Cond::All(vec![
                    weak_cond,
                    Cond::Scoped(Scope::Sentence, Box::new(Cond::Atom(ctx))),
                ])),
                None => {
                    downgrades.push(Downgrade {
                        when: Cond::All(vec![
                            weak_cond.clone(),
                            Cond::Not(Box::new(Cond::Any(
                                strong.iter().map(|a| Cond::Atom(*a)).collect(),
                            ))),
                        ]),
                        note: "short or generic alias: check the context".into(),
                        factor: 0.5,
                    });
                    options.push(weak_cond);
                }
            }
        }
        if let (Some(imo), Some(word)) = (&party.imo, imo_word) {
            let a = matcher.add_atom(&format!("{} · IMO {imo}", party.reference));
            matcher.add_term(a, source, &spanned(imo), None, diagnostics);
            aliases.push((a, format!("IMO {imo}"), Quality::Good));
            options.push(Cond::All(vec![
                Cond::Atom(a),
                Cond::Scoped(Scope::Words(3), Box::new(Cond::Atom(word))),
            ]));
        }
        if options.is_empty() {
            continue;
        }
        if !low.is_empty() {
            downgrades.push(Downgrade {
                when: Cond::All(vec![
                    Cond::Any(low.iter().map(|a| Cond::Atom(*a)).collect()),
                    Cond::Not(Box::new(Cond::Any(
                        good.iter().map(|a| Cond::Atom(*a)).collect(),
                    ))),
                ]),
                note: "matched a low-quality alias only".into(),
                factor: 0.6,
            });
        }
        let cond = Cond::Any(options);
        let mut triggers = Vec::new();
        cond.positive_atoms(&mut triggers);
        triggers.sort_unstable();
        triggers.dedup();
        let mut clauses = Vec::new();
        cond.clauses(Scope::Sentence, true, &mut clauses);
        let kind = match party.kind {
            PartyKind::Individual => "individual",
            PartyKind::Entity => "entity",
            PartyKind::Vessel => "vessel",
        };
        let id = format!(
            "{prefix}.{}",
            party
                .reference
                .to_lowercase()
                .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        );
        let info = RuleInfo {
            id,
            title: format!("Listed {kind}: {} ({})", party.name, party.reference),
            category: category.clone(),
            severity,
            description: format!(
                "{} is on the {}{} as {} {kind}{}. A finding names the alias that matched.",
                party.name,
                list.name,
                list.generated
                    .as_ref()
                    .map(|g| format!(" (generated {g})"))
                    .unwrap_or_default(),
                if kind == "individual" { "an" } else { "a" },
                party
                    .listed_on
                    .as_ref()
                    .map(|d| format!(", listed on {d}"))
                    .unwrap_or_default()
            ),
            citations: list.citations.clone(),
            effective: party.listed_on.clone(),
            references: Vec::new(),
            tags: vec!["watchlist".into(), kind.into()],
            scope: Scope::Sentence,
            file: source.path.clone(),
            line: 1,
            match_examples: 0,
            no_match_examples: 0,
        };
        rules.push(CompiledRule {
            info: Arc::new(info),
            cond,
            unless: None,
            downgrades,
            triggers,
            clauses,
            record_only: false,
            examples: Examples::default(),
            party: Some(Arc::new(PartyMeta {
                reference: party.reference.clone(),
                name: party.name.clone(),
                kind: kind.into(),
                listed_on: party.listed_on.clone(),
                list: list.name.clone(),
                generated: list.generated.clone(),
                aliases,
            })),
        });
    }
    rules
}

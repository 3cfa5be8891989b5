//! Validation and compilation: rule files as written ([`crate::model`]) become
//! the immutable [`RuleSet`](crate::RuleSet) the engine runs.
//!
//! Compilation is where work is free, so it does as much as it can once:
//!
//! 1. every named list and every inline `terms`/`regex` condition becomes an
//!    *atom*, a set of patterns whose hits are collected per document;
//! 2. every literal term of every atom is folded ([`crate::normalize`]) and
//!    put into one Aho-Corasick automaton (a DFA); regexes go into one
//!    `RegexSet` that tells which of them to run;
//! 3. conditions become a small tree over atom ids ([`Cond`]);
//! 4. each rule records the atoms that can make it fire, so that a document
//!    only costs the rules whose terms it contains.
//!
//! All problems of a load are collected, not just the first, each with its
//! file, line, column, rule id, code and, where it helps, a hint.

pub(crate) mod automaton;
mod common_words;
mod conditions;
mod gate;
mod terms;
mod watchlists;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, Position};
use crate::model::{RuleDef, RuleFile, Spanned};
use crate::ruleset::{CompiledRule, Downgrade, Examples, RuleInfo, RuleSet, SourceFile};
use crate::segment::Scope;
use crate::yaml;

pub use conditions::{Clause, Cond, FieldSel, FieldTest, QuantityTest};
pub(crate) use gate::Gate;
pub(crate) use terms::{AtomId, Hit, Matcher};

/// Most literal terms in one rule set (all lists and rules together).
pub const MAX_TERMS: usize = 200_000;
/// Most regular expressions in one rule set.
pub const MAX_REGEXES: usize = 2_000;
/// Largest compiled size of one regular expression (bytes of automaton).
pub const MAX_REGEX_SIZE: usize = 2 * 1024 * 1024;
/// Deepest nesting of conditions (`all` in `any` in `not` ...).
pub const MAX_CONDITION_DEPTH: usize = 12;

/// A parsed rule file with its text, ready to compile.
pub(crate) struct ParsedFile {
    pub source: Arc<SourceFile>,
    pub file: RuleFile,
}

/// Parses one rule file; a syntax error becomes a diagnostic.
pub(crate) fn parse_file(source: Arc<SourceFile>) -> Result<ParsedFile, Box<Diagnostic>> {
    let file: RuleFile = yaml::parse(&source.path, &source.text)?;
    Ok(ParsedFile { source, file })
}

/// The start of a source file, for problems of generated data.
pub(crate) fn pos_of_file(source: &SourceFile) -> Position {
    Position::file_start(&source.path)
}

/// Where a spanned value sits.
pub(crate) fn pos<T>(source: &SourceFile, v: &Spanned<T>) -> Position {
    yaml::position(&source.path, &source.text, &v.referenced)
}

/// Compiles parsed files into a rule set, or returns every problem found.
pub(crate) fn compile(
    files: Vec<ParsedFile>,
    mut diagnostics: Vec<Diagnostic>,
    start: automaton::Start,
) -> Result<RuleSet, Vec<Diagnostic>> {
    let mut matcher = terms::MatcherBuilder::default();
    let sources: Vec<Arc<SourceFile>> = files.iter().map(|f| f.source.clone()).collect();
    let watchlists = || -> Vec<Option<&[crate::watchlist::Party]>> {
        files
            .iter()
            .map(|f| f.file.watchlist.as_ref().map(|l| l.parties.as_slice()))
            .collect()
    };
    let variants = watchlists::Variants::start(watchlists());

    // 1. Named lists, from every file, into atoms.
    let mut lists: HashMap<String, (AtomId, Position)> = HashMap::new();
    for f in &files {
        let mut names: Vec<_> = f.file.lists.iter().collect();
        names.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
        for (name, def) in names {
            let here = pos(&f.source, name);
            if let Some((_, first)) = lists.get(&name.value) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateList,
                        here,
                        format!("term list `{}` is already defined at {first}", name.value),
                    )
                    .with_hint("rename one of the lists; names are shared by all loaded files"),
                );
                continue;
            }
            if def.terms.is_empty() && def.regex.is_empty() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::EmptyList,
                        here.clone(),
                        format!("term list `{}` has no terms and no regex", name.value),
                    )
                    .with_hint("add `terms:` or `regex:` entries, or remove the list"),
                );
            }
            let atom = matcher.add_atom(&name.value);
            for t in &def.terms {
                matcher.add_term(atom, &f.source, t, None, &mut diagnostics);
            }
            for r in &def.regex {
                matcher.add_regex(atom, &f.source, r, None, &mut diagnostics);
            }
            lists.insert(name.value.clone(), (atom, here));
        }
    }

    // 2. Rules.
    let mut used_lists: HashSet<String> = HashSet::new();
    let mut ids: HashMap<String, Position> = HashMap::new();
    let mut rules = Vec::new();
    for f in &files {
        for def in &f.file.rules {
            let mut cx = conditions::Context {
                source: &f.source,
                rule: &def.id.value,
                lists: &lists,
                used_lists: &mut used_lists,
                matcher: &mut matcher,
                diagnostics: &mut diagnostics,
            };
            if let Some(rule) = compile_rule(def, &mut cx, &mut ids) {
                rules.push(rule);
            }
        }
    }

    // 3. Watchlists: one rule per listed party.
    let variants = variants.finish(watchlists());
    for (f, variants) in files.iter().zip(variants) {
        if let (Some(list), Some(variants)) = (&f.file.watchlist, variants) {
            rules.extend(watchlists::compile(
                list,
                variants,
                &f.source,
                &mut matcher,
                &lists,
                &mut used_lists,
                &mut diagnostics,
            ));
        }
    }

    // 4. Lists nobody uses.
    let mut unused: Vec<_> = lists
        .iter()
        .filter(|(name, _)| !used_lists.contains(*name))
        .collect();
    unused.sort_by(|a, b| a.1.1.line.cmp(&b.1.1.line).then(a.0.cmp(b.0)));
    for (name, (_, here)) in unused {
        diagnostics.push(
            Diagnostic::new(
                Code::UnusedList,
                here.clone(),
                format!("term list `{name}` is not used by any rule"),
            )
            .with_hint("refer to it with `list: NAME` in a condition, or remove it"),
        );
    }

    // Building the automaton is the costly part: not for a set with errors.
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    let mut matcher = matcher.build();
    let text_rules: Vec<&[Clause]> = rules
        .iter()
        .filter(|r| !r.record_only)
        .map(|r| r.clauses.as_slice())
        .collect();
    // The term automaton and the gate are built at the same time.
    let (automaton, gate) = std::thread::scope(|scope| {
        let automaton = scope.spawn(|| matcher.build_automaton(start));
        let by_atom = matcher.patterns_by_atom();
        let gate = Gate::build(
            &text_rules,
            |a| (!matcher.is_lazy(a)).then(|| by_atom.get(&a).cloned().unwrap_or_default()),
            matcher.patterns(),
        );
        let automaton = automaton
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (automaton, gate)
    });
    match automaton {
        Ok(a) => matcher.set_automaton(a),
        Err(d) => {
            diagnostics.push(*d);
            return Err(diagnostics);
        }
    }
    Ok(RuleSet::new(rules, matcher, gate, diagnostics, sources))
}

fn compile_rule(
    def: &RuleDef,
    cx: &mut conditions::Context<'_>,
    ids: &mut HashMap<String, Position>,
) -> Option<CompiledRule> {
    let source = cx.source;
    let id = &def.id.value;
    let here = pos(source, &def.id);
    let before = cx.diagnostics.iter().filter(|d| d.is_error()).count();
    let rule = Some(id.as_str());

    if !valid_id(id) {
        cx.diagnostics.push(
            Diagnostic::new(
                Code::InvalidId,
                here.clone(),
                format!("rule id `{id}` is not a dotted identifier"),
            )
            .with_rule(rule)
            .with_hint("use lower-case words, digits, `-` and `_`, separated by dots, e.g. `acme.petroleum.diesel-supply`"),
        );
    }
    if let Some(first) = ids.get(id) {
        cx.diagnostics.push(
            Diagnostic::new(
                Code::DuplicateRuleId,
                here.clone(),
                format!("rule id `{id}` is already used at {first}"),
            )
            .with_rule(rule)
            .with_hint("rule ids must be unique across all loaded files"),
        );
    } else {
        ids.insert(id.clone(), here.clone());
    }
    if def.citations.is_empty() {
        cx.diagnostics.push(
            Diagnostic::new(Code::NoCitation, here.clone(), "rule cites no legal basis")
                .with_rule(rule)
                .with_hint("add `citations:` with the instrument and paragraph it models"),
        );
    }
    let effective = def.effective.as_ref().and_then(|e| {
        if valid_date(&e.value) {
            Some(e.value.clone())
        } else {
            cx.diagnostics.push(
                Diagnostic::new(
                    Code::InvalidDate,
                    pos(source, e),
                    format!("`{}` is not a date", e.value),
                )
                .with_rule(rule)
                .with_hint("write dates as YYYY-MM-DD, e.g. 2017-12-22"),
            );
            None
        }
    });
    let scope = match &def.scope {
        None => Scope::Sentence,
        Some(s) => conditions::parse_scope(cx, s).unwrap_or(Scope::Sentence),
    };
    let cond = cx.condition(&def.matches, 0);
    let unless = def.unless.as_ref().map(|u| cx.condition(u, 0));
    let downgrades: Vec<Downgrade> = def
        .downgrade
        .iter()
        .map(|d| Downgrade {
            when: cx.condition(&d.when, 0),
            note: d.note.clone(),
            factor: d.factor.unwrap_or(0.5).clamp(0.0, 1.0),
        })
        .collect();
    let after = cx.diagnostics.iter().filter(|d| d.is_error()).count();
    if after > before {
        return None;
    }
    let record_only = cond.uses_fields() || unless.as_ref().is_some_and(Cond::uses_fields);
    let mut triggers = Vec::new();
    cond.positive_atoms(&mut triggers);
    triggers.sort_unstable();
    triggers.dedup();
    let mut clauses = Vec::new();
    cond.clauses(scope, true, &mut clauses);
    let info = RuleInfo {
        id: id.clone(),
        title: def.title.clone(),
        category: def.category.value.clone(),
        severity: def.severity,
        description: def.description.trim().to_owned(),
        citations: def.citations.clone(),
        effective,
        references: def.references.clone(),
        tags: def.tags.clone(),
        scope,
        file: source.path.clone(),
        line: here.line,
        match_examples: def.examples.should_match.len(),
        no_match_examples: def.examples.should_not_match.len(),
    };
    Some(CompiledRule {
        info: Arc::new(info),
        cond,
        unless,
        downgrades,
        triggers,
        clauses,
        record_only,
        party: None,
        examples: Examples {
            should_match: def
                .examples
                .should_match
                .iter()
                .map(|e| (e.value.clone(), pos(source, e)))
                .collect(),
            should_not_match: def
                .examples
                .should_not_match
                .iter()
                .map(|e| (e.value.clone(), pos(source, e)))
                .collect(),
        },
    })
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}

fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    matches!(
        (num(0..4), num(5..7), num(8..10)),
        (Some(_), Some(1..=12), Some(1..=31))
    )
}

/// Edit distance, for "did you mean" hints.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .map(|c| (levenshtein(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Reads a rule file from disk.
pub(crate) fn read_source(path: &Path) -> Result<SourceFile, Box<Diagnostic>> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if meta.len() > yaml::MAX_RULE_FILE_BYTES as u64 {
        return Err(Box::new(Diagnostic::new(
            Code::LimitExceeded,
            Position::file_start(path),
            format!(
                "file is {} bytes, more than the limit of {} bytes for a rule file",
                meta.len(),
                yaml::MAX_RULE_FILE_BYTES
            ),
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| io_error(path, &e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Box::new(
            Diagnostic::new(
                Code::Syntax,
                Position::file_start(path),
                format!(
                    "rule file is not UTF-8 (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )
            .with_hint("save the file as UTF-8"),
        )
    })?;
    Ok(SourceFile {
        path: path.to_owned(),
        text,
    })
}

pub(crate) fn io_error(path: &Path, e: &std::io::Error) -> Box<Diagnostic> {
    Box::new(Diagnostic::new(
        Code::Io,
        Position::file_start(path),
        format!("cannot read {}: {e}", path.display()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_dates() {
        assert!(valid_id("un-dprk.petroleum.refined_supply2"));
        assert!(!valid_id("Bad Id"));
        assert!(!valid_id("a..b"));
        assert!(valid_date("2017-12-22"));
        assert!(!valid_date("2017-13-01"));
        assert!(!valid_date("22/12/2017"));
    }

    #[test]
    fn suggestions() {
        let lists = ["dprk_aliases", "petroleum_terms"];
        assert_eq!(
            closest("dprk_aliase", lists.into_iter()),
            Some("dprk_aliases")
        );
        assert_eq!(closest("zzz", lists.into_iter()), None);
    }
}

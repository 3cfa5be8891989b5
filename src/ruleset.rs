//! The compiled rule set: load, compile once, scan many documents.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::compile::{self, AtomId, Cond, Gate, Matcher, ParsedFile};
use crate::diagnostic::{self, Code, Diagnostic};
use crate::finding::Finding;
use crate::model::{Citation, Severity};
use crate::scan;
use crate::segment::Scope;

/// A rule file's path and text, kept for error messages.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as given (bundled files are named `rules/un-dprk/...`).
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
}

/// What a rule is, for reports and listings.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RuleInfo {
    /// Stable dotted id.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// Category.
    pub category: String,
    /// Severity.
    pub severity: Severity,
    /// What is prohibited and what the rule looks for.
    pub description: String,
    /// Legal basis.
    pub citations: Vec<Citation>,
    /// When the measure took effect.
    pub effective: Option<String>,
    /// Further reading.
    pub references: Vec<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Default scope of the rule's conditions.
    pub scope: Scope,
    /// The file that defines the rule.
    pub file: PathBuf,
    /// The line of its `id`.
    pub line: usize,
    /// Number of inline examples that must match.
    pub match_examples: usize,
    /// Number of inline examples that must not match.
    pub no_match_examples: usize,
}

/// The listed party of a watchlist rule.
#[derive(Debug, Clone)]
pub(crate) struct PartyMeta {
    pub reference: String,
    pub name: String,
    pub kind: String,
    pub listed_on: Option<String>,
    pub list: String,
    pub generated: Option<String>,
    /// Each alias atom with the alias it stands for and its quality.
    pub aliases: Vec<(AtomId, String, crate::watchlist::Quality)>,
}

/// A condition that weakens a finding.
#[derive(Debug, Clone)]
pub(crate) struct Downgrade {
    pub when: Cond,
    pub note: String,
    pub factor: f64,
}

/// A rule's inline examples with their positions.
#[derive(Debug, Clone, Default)]
pub(crate) struct Examples {
    pub should_match: Vec<(String, diagnostic::Position)>,
    pub should_not_match: Vec<(String, diagnostic::Position)>,
}

/// A rule ready to run.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub info: Arc<RuleInfo>,
    pub cond: Cond,
    pub unless: Option<Cond>,
    pub downgrades: Vec<Downgrade>,
    /// Atoms whose hits can make the rule fire.
    pub triggers: Vec<AtomId>,
    /// Requirements: for each clause, one of its atoms must be hit.
    pub clauses: Vec<crate::compile::Clause>,
    /// The rule tests record fields, so it runs on records only.
    pub record_only: bool,
    /// For watchlist rules: the listed party.
    pub party: Option<Arc<PartyMeta>>,
    pub examples: Examples,
}

impl CompiledRule {
    /// Applies the rule's downgrades to `confidence`: each whose condition
    /// `holds` multiplies it by its factor and adds its note. The result is
    /// rounded to two decimals.
    pub(crate) fn downgrade(
        &self,
        mut confidence: f64,
        holds: impl Fn(&Cond) -> bool,
    ) -> (f64, Vec<String>) {
        let mut notes = Vec::new();
        for d in &self.downgrades {
            if holds(&d.when) {
                confidence *= d.factor;
                notes.push(d.note.clone());
            }
        }
        ((confidence * 100.0).round() / 100.0, notes)
    }
}

/// An inline example that does not give the result its rule claims.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    /// The rule.
    pub rule: String,
    /// The example text.
    pub text: String,
    /// Whether the example was listed under `match` (true) or `no_match`.
    pub expected_match: bool,
    /// Where the example is written.
    pub position: diagnostic::Position,
    /// Why: which terms matched and which conditions held.
    pub explanation: String,
}

impl ExampleFailure {
    /// The failure as a located problem (code E010).
    pub fn to_diagnostic(&self) -> Diagnostic {
        let what = if self.expected_match {
            "example under `match` is not flagged"
        } else {
            "example under `no_match` is flagged"
        };
        Diagnostic::new(Code::ExampleFailed, self.position.clone(), what)
            .with_rule(Some(&self.rule))
            .with_hint(self.explanation.clone())
    }
}

/// Rule files that could not be loaded: every problem found, with the texts
/// needed to show them.
#[derive(Debug, thiserror::Error)]
pub struct LoadError {
    /// Every problem (errors, and the warnings found along the way).
    pub diagnostics: Vec<Diagnostic>,
    sources: Vec<Arc<SourceFile>>,
}

impl LoadError {
    /// Renders the problems as annotated snippets of the rule files.
    pub fn render(&self, color: bool) -> String {
        render_with(&self.diagnostics, &self.sources, color)
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        writeln!(f, "{errors} error(s) in rule files")?;
        for d in &self.diagnostics {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

fn render_with(diagnostics: &[Diagnostic], sources: &[Arc<SourceFile>], color: bool) -> String {
    diagnostic::render(
        diagnostics,
        |p: &Path| {
            sources
                .iter()
                .find(|s| s.path == p)
                .map(|s| s.text.as_str())
        },
        color,
    )
}

/// Collects rule files, then compiles them into a [`RuleSet`].
///
/// ```
/// use sanctions_check::RuleSetBuilder;
/// let yaml = r#"
/// rules:
///   - id: demo.fuel
///     title: Fuel to Ruritania
///     category: petroleum
///     severity: high
///     citations: [{ instrument: "Demo Act 2024", paragraph: "3", verified: true }]
///     match:
///       all:
///         - terms: [Ruritania*]
///         - terms: [diesel, fuel oil]
/// "#;
/// let rules = RuleSetBuilder::new().add_source("demo.yaml", yaml).build().unwrap();
/// let findings = rules.scan_text("The tanker sold diesel to Ruritanian buyers.");
/// assert_eq!(findings[0].rule, "demo.fuel");
/// ```
#[derive(Default)]
pub struct RuleSetBuilder {
    files: Vec<ParsedFile>,
    diagnostics: Vec<Diagnostic>,
    automaton: compile::automaton::Start,
}

impl RuleSetBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the bundled UN DPRK pack.
    pub fn add_builtin(self) -> Self {
        self.add_sources(builtin_sources(|_| true))
    }

    /// Adds the bundled pack without its list of designated parties (to
    /// screen against another list).
    pub fn add_builtin_rules_only(self) -> Self {
        self.add_sources(builtin_sources(|name| {
            !name.ends_with(crate::builtin::DESIGNATED_FILE)
        }))
    }

    /// Adds a rule file, or every `.yaml`/`.yml` file under a folder (in path
    /// order).
    pub fn add_path(mut self, path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        if path.is_dir() {
            let mut found = Vec::new();
            collect_yaml(path, &mut found, &mut self.diagnostics, 0);
            found.sort();
            let mut sources = Vec::new();
            for f in found {
                match compile::read_source(&f) {
                    Ok(source) => sources.push(source),
                    Err(d) => self.diagnostics.push(*d),
                }
            }
            self.add_sources(sources)
        } else {
            self.add_file(path)
        }
    }

    fn add_file(mut self, path: &Path) -> Self {
        match compile::read_source(path) {
            Ok(source) => self.add_parsed(source),
            Err(d) => {
                self.diagnostics.push(*d);
                self
            }
        }
    }

    /// Adds a rule file given as text; `name` is used in messages.
    pub fn add_source(self, name: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        self.add_parsed(SourceFile {
            path: name.into(),
            text: text.into(),
        })
    }

    fn add_parsed(self, source: SourceFile) -> Self {
        self.add_sources(vec![source])
    }

    /// Parses several files, in parallel when there are a few, and adds
    /// them in order.
    fn add_sources(mut self, sources: Vec<SourceFile>) -> Self {
        let mut sources: Vec<Arc<SourceFile>> = sources.into_iter().map(Arc::new).collect();
        sources.retain(|s| !self.files.iter().any(|f| f.source.path == s.path));
        for (source, parsed) in parse_all(sources) {
            self.add_result(source, parsed);
        }
        self
    }

    fn add_result(&mut self, source: Arc<SourceFile>, parsed: ParseResult) {
        if self.files.iter().any(|f| f.source.path == source.path) {
            return;
        }
        match parsed {
            Ok(f) => self.files.push(f),
            Err(d) => {
                self.diagnostics.push(*d);
                // Keep the text so the error can be shown with its snippet.
                self.files.push(ParsedFile {
                    source,
                    file: Default::default(),
                });
            }
        }
    }

    /// Builds the term automaton as an NFA only, never upgraded to a DFA
    /// (slower scans; to check that both find the same).
    #[doc(hidden)]
    pub fn nfa_only(mut self) -> Self {
        self.automaton = compile::automaton::Start::Quick;
        self
    }

    /// Builds the term automaton as a DFA before [`RuleSetBuilder::build`]
    /// returns, instead of in the background (see
    /// [`RuleSet::wait_for_full_speed`]).
    pub fn full_speed_at_once(mut self) -> Self {
        self.automaton = compile::automaton::Start::Fast;
        self
    }

    /// Validates and compiles everything added.
    ///
    /// A large rule set (a thousand terms or more) returns with its terms in
    /// an automaton that is quick to build, and builds a faster one on a
    /// background thread, used by every scan that starts after it is ready;
    /// findings are the same with both (see [`RuleSet::wait_for_full_speed`]).
    pub fn build(self) -> Result<RuleSet, LoadError> {
        let sources: Vec<Arc<SourceFile>> = self.files.iter().map(|f| f.source.clone()).collect();
        compile::compile(self.files, self.diagnostics, self.automaton).map_err(|diagnostics| {
            LoadError {
                diagnostics,
                sources,
            }
        })
    }
}

type ParseResult = Result<ParsedFile, Box<Diagnostic>>;

/// The bundled files whose name `keep` accepts.
fn builtin_sources(keep: impl Fn(&str) -> bool) -> Vec<SourceFile> {
    crate::builtin::FILES
        .iter()
        .filter(|(name, _)| keep(name))
        .map(|(name, text)| SourceFile {
            path: PathBuf::from(name),
            text: (*text).to_owned(),
        })
        .collect()
}

/// Parses files on up to one thread per core, larger files first; results
/// in the order given.
fn parse_all(sources: Vec<Arc<SourceFile>>) -> Vec<(Arc<SourceFile>, ParseResult)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(sources.len());
    if threads <= 1 {
        return sources
            .into_iter()
            .map(|s| (s.clone(), compile::parse_file(s)))
            .collect();
    }
    // Deal the files out by size, each to the least loaded thread.
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(sources[*i].text.len()));
    let mut groups: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); threads];
    for i in order {
        if let Some(g) = groups.iter_mut().min_by_key(|g| g.0) {
            g.0 += sources[i].text.len();
            g.1.push(i);
        }
    }
    let mut results: Vec<Option<ParseResult>> = sources.iter().map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = groups
            .iter()
            .map(|(_, group)| {
                let sources = &sources;
                scope.spawn(move || {
                    group
                        .iter()
                        .map(|i| (*i, compile::parse_file(sources[*i].clone())))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            let done = h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            for (i, r) in done {
                results[i] = Some(r);
            }
        }
    });
    sources
        .into_iter()
        .zip(results)
        .filter_map(|(s, r)| Some((s, r?)))
        .collect()
}

/// Folders nest at most this deep when looking for rule files.
const MAX_RULE_DIR_DEPTH: usize = 16;

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>, diags: &mut Vec<Diagnostic>, depth: usize) {
    if depth > MAX_RULE_DIR_DEPTH {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(*compile::io_error(dir, &e));
            return;
        }
    };
    for entry in entries.flatten() {
        let p = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            collect_yaml(&p, out, diags, depth + 1);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(p);
        }
    }
}

/// Compiled rules: immutable, `Send + Sync`, shared by any number of scans
/// and threads.
///
/// ```
/// use sanctions_check::RuleSet;
/// let rules = RuleSet::builtin().expect("the bundled pack compiles");
/// let findings = rules.scan_text("Weather in Oslo was mild on Tuesday.");
/// assert!(findings.is_empty());
/// ```
pub struct RuleSet {
    rules: Vec<CompiledRule>,
    matcher: Matcher,
    gate: Option<Gate>,
    atom_rules: Vec<Vec<usize>>,
    /// Rules that a regex can trigger: considered for every document.
    regex_rules: Vec<usize>,
    warnings: Vec<Diagnostic>,
    sources: Vec<Arc<SourceFile>>,
}

impl fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleSet")
            .field("rules", &self.rules.len())
            .field("patterns", &self.matcher.pattern_count())
            .field("regexes", &self.matcher.regex_count())
            .field("gate_words", &self.gate.as_ref().map(Gate::word_count))
            .finish()
    }
}

impl RuleSet {
    pub(crate) fn new(
        rules: Vec<CompiledRule>,
        matcher: Matcher,
        gate: Option<Gate>,
        warnings: Vec<Diagnostic>,
        sources: Vec<Arc<SourceFile>>,
    ) -> Self {
        let atoms = rules
            .iter()
            .flat_map(|r| r.triggers.iter().copied())
            .max()
            .map_or(0, |m| m as usize + 1);
        let mut atom_rules = vec![Vec::new(); atoms];
        for (i, r) in rules.iter().enumerate() {
            for &a in &r.triggers {
                atom_rules[a as usize].push(i);
            }
        }
        let regex_rules = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.record_only && r.triggers.iter().any(|a| matcher.is_lazy(*a)))
            .map(|(i, _)| i)
            .collect();
        RuleSet {
            rules,
            matcher,
            gate,
            atom_rules,
            regex_rules,
            warnings,
            sources,
        }
    }

    /// The bundled UN DPRK pack.
    pub fn builtin() -> Result<RuleSet, LoadError> {
        RuleSetBuilder::new().add_builtin().build()
    }

    /// Rule files and folders of rule files.
    pub fn from_paths<P: AsRef<Path>>(paths: &[P]) -> Result<RuleSet, LoadError> {
        paths
            .iter()
            .fold(RuleSetBuilder::new(), |b, p| b.add_path(p))
            .build()
    }

    /// One rule file given as text.
    pub fn from_yaml(name: &str, text: &str) -> Result<RuleSet, LoadError> {
        RuleSetBuilder::new().add_source(name, text).build()
    }

    /// Scans a text with every rule; findings come in text order.
    pub fn scan_text(&self, text: &str) -> Vec<Finding> {
        scan::scan(self, text, None)
    }

    /// Scans records (see [`crate::records`]): the text rules on every
    /// field's value, and the record rules on each record. `fields` maps
    /// column names to the roles rules refer to.
    pub fn scan_records(
        &self,
        records: &crate::records::Records,
        fields: &crate::records::roles::FieldMap,
    ) -> Vec<Finding> {
        crate::scan_records::scan_records(self, records, fields)
    }

    /// Scans without the first-stage gate (for tests that check the gate
    /// never loses a finding).
    #[doc(hidden)]
    pub fn scan_text_ungated(&self, text: &str) -> Vec<Finding> {
        scan::scan_with_hits(self, text, &scan::Hits::find(self, text), None)
    }

    /// Whether `text` gets past the first-stage gate into the full stage
    /// (for tests and benchmarks of the gate's selectivity).
    #[doc(hidden)]
    pub fn passes_first_stage(&self, text: &str) -> bool {
        scan::first_stage(self, text).is_some()
    }

    /// The rules, in load order.
    pub fn rules(&self) -> impl ExactSizeIterator<Item = &RuleInfo> {
        self.rules.iter().map(|r| r.info.as_ref())
    }

    /// Warnings found while compiling (unused lists, slow patterns, ...).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Renders problems (such as [`RuleSet::warnings`] or example failures)
    /// as annotated snippets of the rule files.
    pub fn render_diagnostics(&self, diagnostics: &[Diagnostic], color: bool) -> String {
        render_with(diagnostics, &self.sources, color)
    }

    /// The watchlists compiled in: name, generation date, number of parties.
    pub fn watchlists(&self) -> Vec<(String, Option<String>, usize)> {
        let mut out: Vec<(String, Option<String>, usize)> = Vec::new();
        for p in self.rules.iter().filter_map(|r| r.party.as_ref()) {
            match out
                .iter_mut()
                .find(|(n, g, _)| *n == p.list && *g == p.generated)
            {
                Some(e) => e.2 += 1,
                None => out.push((p.list.clone(), p.generated.clone(), 1)),
            }
        }
        out
    }

    /// Blocks until the term automaton runs at full speed.
    ///
    /// A large rule set starts scanning with an automaton that is quick to
    /// build while a faster one (a DFA) is built on a
    /// background thread; scans are correct either way. Call this before
    /// timing scans, or build with [`RuleSetBuilder::full_speed_at_once`].
    /// Returns at once when the faster automaton is ready, or when none is
    /// coming.
    ///
    /// ```
    /// let rules = sanctions_check::RuleSet::builtin().unwrap();
    /// rules.wait_for_full_speed();
    /// assert!(rules.is_full_speed());
    /// ```
    pub fn wait_for_full_speed(&self) {
        self.matcher.automaton().wait_until_fast();
    }

    /// Whether the term automaton runs at full speed (see
    /// [`RuleSet::wait_for_full_speed`]).
    pub fn is_full_speed(&self) -> bool {
        self.matcher.automaton().is_fast()
    }

    /// Number of distinct literal patterns in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.matcher.pattern_count()
    }

    /// Runs every rule's inline examples; returns those that fail.
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        let mut out = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            let cases = r
                .examples
                .should_match
                .iter()
                .map(|e| (e, true))
                .chain(r.examples.should_not_match.iter().map(|e| (e, false)));
            for ((text, position), expected) in cases {
                let flagged = if r.record_only {
                    // A record rule's examples are records written as JSON objects.
                    let records =
                        crate::records::read_records(crate::records::RecordFormat::JsonLines, text);
                    if records.records.len() != 1 {
                        out.push(ExampleFailure {
                            rule: r.info.id.clone(),
                            text: text.clone(),
                            expected_match: expected,
                            position: position.clone(),
                            explanation: "the example of a record rule must be one JSON object"
                                .into(),
                        });
                        continue;
                    }
                    crate::scan_records::scan_records(self, &records, &Default::default())
                        .iter()
                        .any(|f| f.rule == r.info.id)
                } else {
                    !scan::scan(self, text, Some(i)).is_empty()
                };
                if flagged != expected {
                    out.push(ExampleFailure {
                        rule: r.info.id.clone(),
                        text: text.clone(),
                        expected_match: expected,
                        position: position.clone(),
                        explanation: crate::explain::explain(self, &r.info.id, text)
                            .map(|e| e.summary())
                            .unwrap_or_default(),
                    });
                }
            }
        }
        out
    }

    /// Number of inline examples across all rules.
    pub fn example_count(&self) -> usize {
        self.rules
            .iter()
            .map(|r| r.examples.should_match.len() + r.examples.should_not_match.len())
            .sum()
    }

    pub(crate) fn record_rules(&self) -> impl Iterator<Item = &CompiledRule> {
        self.rules.iter().filter(|r| r.record_only)
    }

    pub(crate) fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Number of fragments (a rare word, or two adjacent words) that the
    /// first-stage gate searches for (`None` when the rule set has a rule
    /// that the gate cannot cover, so every document goes through the full
    /// stage).
    pub fn gate_word_count(&self) -> Option<usize> {
        self.gate.as_ref().map(Gate::word_count)
    }

    pub(crate) fn gate(&self) -> Option<&Gate> {
        self.gate.as_ref()
    }

    pub(crate) fn regex_rules(&self) -> &[usize] {
        &self.regex_rules
    }

    pub(crate) fn rules_of_atom(&self, atom: AtomId) -> &[usize] {
        self.atom_rules
            .get(atom as usize)
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn compiled(&self, i: usize) -> Option<&CompiledRule> {
        self.rules.get(i)
    }

    pub(crate) fn index_of(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.info.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn rule_set_is_send_and_sync() {
        assert_send_sync::<RuleSet>();
    }
}

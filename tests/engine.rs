//! The engine's behaviour, one short case per line where possible: term
//! matching, boolean composition, scopes, exceptions, and what findings say.

use sanctions_check::{RuleSet, RuleSetBuilder};

/// A rule set with one rule `t.r` whose `match` is `cond` (YAML flow syntax)
/// and whose scope is `scope`.
fn rule(cond: &str, scope: &str) -> RuleSet {
    let yaml = format!(
        "rules:\n  - id: t.r\n    title: T\n    category: c\n    severity: high\n    scope: {scope}\n    citations: [{{instrument: X}}]\n    match: {cond}\n"
    );
    RuleSet::from_yaml("t.yaml", &yaml).unwrap_or_else(|e| panic!("{}", e.render(false)))
}

/// Number of findings of a single-term rule on `text`.
fn term(t: &str, text: &str) -> usize {
    rule(&format!("{{terms: [{t:?}]}}"), "sentence")
        .scan_text(text)
        .len()
}

#[test]
fn terms_match_whole_words_case_insensitively() {
    assert_eq!(term("arms", "They sold ARMS."), 1);
    assert_eq!(term("arms", "They sold farms and armstrong."), 0);
    assert_eq!(term("ROK", "a BROKER in Rokeby"), 0);
    assert_eq!(term("DPRK", "the DPRK's navy"), 1);
}

#[test]
fn terms_ignore_diacritics_quotes_spacing_and_layout_debris() {
    assert_eq!(term("Nicolás", "Nicolas was there"), 1);
    assert_eq!(term("Nicolas", "NICOLÁS was there"), 1);
    assert_eq!(term("Corée du Nord", "la Coree du Nord"), 1);
    assert_eq!(term("Kim Yong-nam", "Kim Yong Nam spoke"), 1);
    assert_eq!(term("Kim Yong Nam", "KIM  Yong-\nNam spoke"), 1);
    assert_eq!(term("Kim Yong Nam", "Kim\u{00A0}Yong\u{2009}Nam"), 1);
    assert_eq!(term("People's", "the People’s Army"), 1);
    assert_eq!(term("Pyongyang", "in Pyong-\nyang today"), 1);
    assert_eq!(term("sanctions", "sanc\u{00AD}tions"), 1);
    assert_eq!(term("refined", "re\u{200B}fined"), 1);
    assert_eq!(term("diesel", "ｄｉｅｓｅｌ fuel"), 1);
}

#[test]
fn trailing_star_allows_inflections() {
    assert_eq!(term("North Korea*", "North Korean-flagged tanker"), 1);
    assert_eq!(term("North Korea*", "North Koreans"), 1);
    assert_eq!(term("North Korea", "North Koreans"), 0);
    assert_eq!(term("North Korea", "North Korea’s port"), 1);
}

#[test]
fn boolean_composition() {
    let all = rule("{all: [{terms: [a1]}, {terms: [b2]}]}", "sentence");
    assert_eq!(all.scan_text("a1 and b2.").len(), 1);
    assert_eq!(all.scan_text("a1 only.").len(), 0);
    let any = rule("{any: [{terms: [a1]}, {terms: [b2]}]}", "sentence");
    assert_eq!(any.scan_text("b2 only.").len(), 1);
    let none = rule(
        "{all: [{terms: [a1]}, {none: [{terms: [b2]}, {terms: [c3]}]}]}",
        "sentence",
    );
    assert_eq!(none.scan_text("a1 alone.").len(), 1);
    assert_eq!(none.scan_text("a1 with c3.").len(), 0);
    let not = rule("{all: [{terms: [a1]}, {not: {terms: [b2]}}]}", "sentence");
    assert_eq!(not.scan_text("a1 with b2.").len(), 0);
    let two = rule(
        "{at_least: 2, of: [{terms: [a1]}, {terms: [b2]}, {terms: [c3]}]}",
        "sentence",
    );
    assert_eq!(two.scan_text("a1 and c3.").len(), 1);
    assert_eq!(two.scan_text("A1 alone. B2 alone.").len(), 0);
    let nested = rule(
        "{any: [{all: [{terms: [a1]}, {any: [{terms: [b2]}, {not: {terms: [zz]}}]}]}]}",
        "sentence",
    );
    assert_eq!(nested.scan_text("a1 here.").len(), 1);
}

#[test]
fn scopes_decide_where_conditions_co_occur() {
    let text = "Alpha met today. Then bravo arrived.\n\nCharlie left.";
    let both = "{all: [{terms: [alpha]}, {terms: [bravo]}]}";
    assert_eq!(rule(both, "sentence").scan_text(text).len(), 0);
    assert_eq!(rule(both, "paragraph").scan_text(text).len(), 1);
    let far = "{all: [{terms: [alpha]}, {terms: [charlie]}]}";
    assert_eq!(rule(far, "paragraph").scan_text(text).len(), 0);
    assert_eq!(rule(far, "document").scan_text(text).len(), 1);
    let near = "{all: [{terms: [alpha]}, {terms: [today]}]}";
    assert_eq!(rule(near, "2 words").scan_text(text).len(), 1);
    assert_eq!(rule(near, "1 words").scan_text(text).len(), 0);
}

#[test]
fn a_condition_can_widen_its_own_scope() {
    // The document names the country anywhere; one sentence names the deal.
    let r = rule(
        "{all: [{terms: [Ruritania], scope: document}, {terms: [arms deal]}]}",
        "sentence",
    );
    let text = "Ruritania hosted a summit.\n\nLater, an arms deal was signed in all areas.";
    let f = r.scan_text(text);
    assert_eq!(f.len(), 1);
    assert_eq!(&text[f[0].start..f[0].end], "arms deal");
    assert_eq!(f[0].proximity, "document");
    assert!(f[0].confidence < 1.0);
    assert_eq!(f[0].evidence.len(), 2);
    assert_eq!(r.scan_text("An arms deal was signed.").len(), 0);
}

#[test]
fn a_condition_can_narrow_its_own_scope() {
    let r = rule(
        "{all: [{terms: [alpha]}, {all: [{terms: [bravo]}, {terms: [charlie]}], scope: sentence}]}",
        "paragraph",
    );
    assert_eq!(r.scan_text("Alpha. Bravo and charlie.").len(), 1);
    assert_eq!(r.scan_text("Alpha. Bravo. Charlie.").len(), 0);
}

#[test]
fn sentences_survive_abbreviations() {
    let r = rule("{all: [{terms: [u.n.]}, {terms: [diesel]}]}", "sentence");
    assert_eq!(
        r.scan_text("The U.N. Panel said Mr. Ri sold No. 5 diesel.")
            .len(),
        1
    );
    let r = rule("{all: [{terms: [ri]}, {terms: [diesel]}]}", "sentence");
    assert_eq!(
        r.scan_text("Mr. Ri spoke. Dr. Kim sold 3.5 tonnes of diesel.")
            .len(),
        0
    );
}

const EXCEPTIONS: &str = r#"
rules:
  - id: t.fuel
    title: Fuel
    category: petroleum
    severity: high
    citations: [{instrument: X}]
    match: {all: [{terms: [Ruritania]}, {terms: [diesel]}]}
    unless: {terms: [exercise]}
    downgrade:
      - when: {terms: [banned]}
        note: describes the ban
        factor: 0.4
"#;

#[test]
fn unless_cancels_and_downgrade_weakens_with_a_note() {
    let r = RuleSet::from_yaml("x.yaml", EXCEPTIONS).unwrap();
    assert_eq!(r.scan_text("Diesel sold to Ruritania.").len(), 1);
    assert_eq!(r.scan_text("A diesel exercise in Ruritania.").len(), 0);
    let f = r.scan_text("Diesel to Ruritania is banned.");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].confidence, 0.4);
    assert_eq!(f[0].notes, vec!["describes the ban".to_owned()]);
}

#[test]
fn findings_point_into_the_original_text() {
    let r = rule(
        "{all: [{terms: [Ruritania*]}, {terms: [diesel]}]}",
        "sentence",
    );
    let text = "Title\r\n\r\nÉté: the RURITANIAN\r\nbuyers took dié-\nsel? No: diesel.";
    let f = r.scan_text(text);
    assert_eq!(f.len(), 1);
    let f = &f[0];
    // The second "diesel" is in the next sentence, so it is not part of it.
    assert_eq!(&text[f.start..f.end], "RURITANIAN\r\nbuyers took dié-\nsel");
    assert_eq!((f.line, f.column), (3, 10)); // columns count characters: "Été" is 3
    let ex = &text[f.excerpt_start..f.excerpt_start + f.excerpt.len()];
    assert_eq!(ex, f.excerpt);
    assert!(f.excerpt_start <= f.start && f.end <= f.excerpt_start + f.excerpt.len());
    for e in &f.evidence {
        assert_eq!(&text[e.start..e.end], e.text);
    }
}

#[test]
fn overlapping_matches_in_one_unit_give_one_finding() {
    let r = rule(
        "{any: [{terms: [diesel]}, {terms: [diesel fuel]}, {terms: [fuel]}]}",
        "sentence",
    );
    let f = r.scan_text("Diesel fuel, more diesel fuel. Other fuel.");
    assert_eq!(f.len(), 2);
    assert_eq!(f[0].evidence.len(), 6);
}

#[test]
fn fingerprints_survive_unrelated_edits() {
    let r = rule(
        "{all: [{terms: [Ruritania]}, {terms: [diesel]}]}",
        "sentence",
    );
    let a = r.scan_text("Intro.\n\nDiesel went to Ruritania.");
    let b = r.scan_text("A much longer introduction.\n\nMore text.\n\nDiesel went to Ruritania.");
    assert_eq!(a[0].fingerprint, b[0].fingerprint);
    assert_ne!(a[0].line, b[0].line);
    let c = r.scan_text("Diesel went to Ruritania. Also diesel for Ruritania.");
    assert_ne!(c[0].fingerprint, c[1].fingerprint);
}

#[test]
fn regexes_match_the_original_text_case_insensitively() {
    let r = rule(
        r#"{all: [{regex: 'IMO\s*(No\.?\s*)?\d{7}'}, {terms: [tanker]}]}"#,
        "sentence",
    );
    assert_eq!(r.scan_text("The tanker (imo no. 9074729) sailed.").len(), 1);
    assert_eq!(r.scan_text("The tanker sailed.").len(), 0);
}

#[test]
fn lists_are_shared_between_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("lists.yaml"),
        "lists:\n  fuel:\n    terms: [diesel]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rules.yaml"),
        "rules:\n  - id: t.r\n    title: T\n    category: c\n    severity: low\n    citations: [{instrument: X}]\n    match: {list: fuel}\n",
    )
    .unwrap();
    let r = RuleSet::from_paths(&[dir.path()]).unwrap();
    assert_eq!(r.scan_text("diesel").len(), 1);
    assert_eq!(r.scan_text("diesel")[0].evidence[0].list, "fuel");
}

#[test]
fn one_compiled_set_serves_many_threads() {
    let r = std::sync::Arc::new(rule("{terms: [diesel]}", "sentence"));
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let r = r.clone();
            std::thread::spawn(move || r.scan_text(&"Diesel. ".repeat(i + 1)).len())
        })
        .collect();
    let counts: Vec<usize> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(counts, vec![1, 2, 3, 4]);
}

#[test]
fn inline_examples_are_checked() {
    let r = RuleSet::from_paths(&["tests/fixtures/rules/basic.yaml"]).unwrap();
    assert!(r.check_examples().is_empty());
    assert_eq!(r.example_count(), 4);
    let bad = RuleSet::from_paths(&["tests/fixtures/rules/bad/failing_example.yaml"]).unwrap();
    let failures = bad.check_examples();
    assert_eq!(failures.len(), 2);
    assert!(
        failures[0].explanation.contains("no match for"),
        "{}",
        failures[0].explanation
    );
}

#[test]
fn builder_combines_sources() {
    let extra = "rules:\n  - id: t.extra\n    title: T\n    category: c\n    severity: low\n    citations: [{instrument: X}]\n    match: {terms: [zebra]}\n";
    let r = RuleSetBuilder::new()
        .add_path("tests/fixtures/rules/basic.yaml")
        .add_source("extra.yaml", extra)
        .build()
        .unwrap();
    assert_eq!(r.rules().len(), 3);
    assert_eq!(r.scan_text("A zebra.")[0].rule, "t.extra");
}

#[test]
fn a_widened_any_brings_only_its_nearest_evidence() {
    let r = rule(
        "{all: [{any: [{terms: [Ruritania]}, {terms: [Strelsau]}], scope: document}, {terms: [arms deal]}]}",
        "sentence",
    );
    let text = "Strelsau is far away.\n\nRuritania signed an arms deal.";
    let f = r.scan_text(text);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].proximity, "sentence");
    assert_eq!(f[0].confidence, 1.0);
    assert_eq!(f[0].evidence.len(), 2);
}

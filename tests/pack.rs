//! The bundled UN DPRK pack: it compiles cleanly, every rule is cited, dated and
//! tested, and every inline example gives the result it claims.

use sanctions_check::RuleSet;

const CATEGORIES: &[&str] = &[
    "military",
    "wmd",
    "petroleum",
    "seafood",
    "minerals",
    "textiles",
    "trade_goods",
    "luxury_goods",
    "workers",
    "joint_ventures",
    "science_technology",
    "maritime",
    "finance",
    "designated_parties",
];

fn pack() -> RuleSet {
    RuleSet::builtin().unwrap_or_else(|e| panic!("{}", e.render(false)))
}

#[test]
fn bundled_pack_compiles_without_warnings() {
    let rules = pack();
    let warnings: Vec<String> = rules.warnings().iter().map(ToString::to_string).collect();
    assert!(warnings.is_empty(), "warnings:\n{}", warnings.join("\n"));
}

#[test]
fn every_inline_example_passes() {
    let rules = pack();
    let failures = rules.check_examples();
    let report: Vec<String> = failures
        .iter()
        .map(|f| {
            format!(
                "{}: {} expected {}: {:?}\n    why: {}",
                f.position,
                f.rule,
                if f.expected_match {
                    "a finding"
                } else {
                    "no finding"
                },
                f.text,
                f.explanation
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} examples fail:\n{}",
        failures.len(),
        rules.example_count(),
        report.join("\n")
    );
}

#[test]
fn every_rule_is_cited_dated_tested_and_categorised() {
    let rules = pack();
    assert!(rules.rules().len() >= 13, "the pack has too few rules");
    let mut problems = Vec::new();
    for r in rules.rules() {
        if !CATEGORIES.contains(&r.category.as_str()) {
            problems.push(format!("{}: unknown category {}", r.id, r.category));
        }
        if !r.id.starts_with(&format!("un-dprk.{}.", r.category)) {
            problems.push(format!(
                "{}: id should start with un-dprk.{}.",
                r.id, r.category
            ));
        }
        if r.citations.is_empty() {
            problems.push(format!("{}: no citation", r.id));
        }
        if r.effective.is_none() {
            problems.push(format!("{}: no effective date", r.id));
        }
        let generated = r.tags.iter().any(|t| t == "watchlist");
        if !generated && (r.match_examples == 0 || r.no_match_examples == 0) {
            problems.push(format!(
                "{}: needs examples under both match and no_match",
                r.id
            ));
        }
        if r.description.len() < 40 {
            problems.push(format!("{}: description too short", r.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_core_category_has_rules_with_examples_both_ways() {
    let rules = pack();
    for cat in &CATEGORIES[..13] {
        assert!(
            rules.rules().any(|r| r.category == *cat),
            "no rule for category {cat}"
        );
    }
}

#[test]
fn the_bundled_pack_has_a_first_stage_gate() {
    // Every rule requires a DPRK link (or another literal term), so documents
    // without one are dismissed by a small automaton.
    let words = pack().gate_word_count().expect("every text rule is gated");
    assert!((10..2000).contains(&words), "{words} gate words");
}

#[path = "../benches/corpus/mod.rs"]
mod corpus;

#[test]
fn the_gate_lets_through_about_the_news_that_names_the_dprk() {
    // Generated news articles (the benchmark corpus): most mention South
    // Korea, oil, ships, banks or missiles; some name the DPRK. The gate
    // must pass every article that names it and dismiss nearly all others.
    let pack = pack();
    let names = [
        "north korea",
        "pyongyang",
        "dprk",
        "nampo",
        "rajin",
        "sinuiju",
    ];
    let (mut passed, mut naming, mut passed_not_naming) = (0, 0, 0);
    let n = 600;
    for seed in 0..n {
        let text = corpus::article(seed, 8_000);
        let lower = text.to_lowercase();
        let names_dprk = names.iter().any(|w| lower.contains(w));
        let passes = pack.passes_first_stage(&text);
        assert!(
            passes || !names_dprk,
            "article {seed} names the DPRK but is dismissed"
        );
        passed += usize::from(passes);
        naming += usize::from(names_dprk);
        passed_not_naming += usize::from(passes && !names_dprk);
    }
    assert!(
        naming > n as usize / 10,
        "the corpus has too few DPRK articles: {naming}"
    );
    assert!(
        passed_not_naming * 20 <= n as usize,
        "{passed_not_naming} articles that do not name the DPRK pass the gate ({passed} of {n} pass)"
    );
}

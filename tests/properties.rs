//! Properties that hold for every input: normalization is idempotent, offsets
//! map back to the original text, variants of a term never lose a match,
//! both tiers of the term automaton find the same, and no input panics.

use proptest::prelude::*;
use sanctions_check::normalize::NormalizedText;
use sanctions_check::segment::{self, Scope, Segments};
use sanctions_check::{RuleSet, RuleSetBuilder};

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        RuleSet::from_paths(&["tests/fixtures/rules/basic.yaml"]).expect("fixture rules load")
    })
}

fn builtin() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("bundled pack loads"))
}

/// The bundled pack with each tier of the term automaton: the DFA it runs
/// at full speed with, and the NFA it starts with.
fn builtin_tiers() -> &'static (RuleSet, RuleSet) {
    static RULES: std::sync::OnceLock<(RuleSet, RuleSet)> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let fast = RuleSetBuilder::new()
            .add_builtin()
            .full_speed_at_once()
            .build();
        let quick = RuleSetBuilder::new().add_builtin().nfa_only().build();
        let (fast, quick) = (
            fast.expect("bundled pack loads"),
            quick.expect("bundled pack loads"),
        );
        assert!(fast.is_full_speed() && !quick.is_full_speed());
        (fast, quick)
    })
}

/// Text made of pieces that exercise the normalizer and the segmenter.
fn messy_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("North Korea".to_owned()),
        Just("Democratic People’s Republic of Korea".to_owned()),
        Just("diesel".to_owned()),
        Just("fuel oil".to_owned()),
        Just(" delivered ".to_owned()),
        Just("Pyong-\nyang".to_owned()),
        Just("\u{00AD}".to_owned()),
        Just("\u{200B}".to_owned()),
        Just("\u{00A0}".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("\n\n".to_owned()),
        Just(". ".to_owned()),
        Just("U.N. ".to_owned()),
        Just("Mr. ".to_owned()),
        Just("ß".to_owned()),
        Just("é".to_owned()),
        Just("北朝鮮".to_owned()),
        Just("military cooperation".to_owned()),
        Just("South Korea".to_owned()),
        Just("Korea".to_owned()),
        Just("Korea, North".to_owned()),
        Just("N. Korean".to_owned()),
        Just("Nampo".to_owned()),
        Just("KCNA".to_owned()),
        Just(" - ".to_owned()),
        Just("-\n".to_owned()),
        Just("’".to_owned()),
        Just("€".to_owned()),
        Just("Pyŏngyang".to_owned()),
        Just("Corée du Nord".to_owned()),
        Just("North\u{00A0}Korea".to_owned()),
        Just("KOREA, NORTH".to_owned()),
        Just("Korea, Northbridge".to_owned()),
        Just("north korean".to_owned()),
        Just(" \u{2014} ".to_owned()),
        Just("D.P.R.K.".to_owned()),
        Just("_".to_owned()),
        Just("Workers’ Party of Korea".to_owned()),
        "[a-zA-Z ]{0,8}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// Text full of sentence ends, abbreviations, closing quotes and paragraph
/// breaks: the places where sentence segmentation decides.
fn sentence_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(". ".to_owned()),
        Just(".".to_owned()),
        Just("! ".to_owned()),
        Just("? ".to_owned()),
        Just("...".to_owned()),
        Just(".\" ".to_owned()),
        Just(".) ".to_owned()),
        Just("\"".to_owned()),
        Just(" ".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("Mr. ".to_owned()),
        Just("U.N. ".to_owned()),
        Just("etc. ".to_owned()),
        Just("J. ".to_owned()),
        Just("3.5".to_owned()),
        Just("No. 7".to_owned()),
        Just("。".to_owned()),
        Just("¿".to_owned()),
        Just("Seoul".to_owned()),
        Just("the".to_owned()),
        "[a-zA-Z]{1,6}",
        any::<char>().prop_map(String::from),
    ];
    // Long enough that some lookups land hundreds of bytes past the last
    // one, where a paragraph is segmented from a nearby sentence start.
    prop::collection::vec(piece, 0..300).prop_map(|v| v.concat())
}

/// The sentence around `pos` from a segmentation of its whole paragraph.
fn whole_paragraph_sentence(text: &str, pos: usize) -> std::ops::Range<usize> {
    let paragraphs = segment::paragraphs(text);
    let p = paragraphs
        .partition_point(|p| p.end <= pos)
        .min(paragraphs.len().saturating_sub(1));
    let para = paragraphs.get(p).cloned().unwrap_or(0..text.len());
    let sentences = segment::sentences(text, para.clone());
    let i = sentences.partition_point(|s| s.end <= pos);
    sentences
        .get(i)
        .or(sentences.last())
        .cloned()
        .unwrap_or(para)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn normalization_is_idempotent(s in "\\PC*") {
        let once = NormalizedText::new(&s);
        let twice = NormalizedText::new(once.as_str());
        prop_assert_eq!(once.as_str(), twice.as_str());
    }

    #[test]
    fn normalization_of_messy_text_is_idempotent(s in messy_text()) {
        let once = NormalizedText::new(&s);
        let twice = NormalizedText::new(once.as_str());
        prop_assert_eq!(twice.as_str(), once.as_str());
        prop_assert!(once.as_str().is_ascii());
    }

    #[test]
    fn folded_ranges_map_to_char_boundaries(s in messy_text(), a in 0usize..200, b in 0usize..200) {
        let n = NormalizedText::new(&s);
        let len = n.as_str().len();
        let (lo, hi) = (a.min(b).min(len), a.max(b).min(len));
        let r = n.original_range(lo..hi);
        prop_assert!(r.start <= r.end && r.end <= s.len());
        prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
    }

    #[test]
    fn findings_lie_in_the_original_text(s in messy_text()) {
        let mut all = rules().scan_text(&s);
        all.extend(builtin().scan_text(&s));
        for f in &all {
            prop_assert!(f.start <= f.end && f.end <= s.len());
            prop_assert!(s.is_char_boundary(f.start) && s.is_char_boundary(f.end));
            let ex_end = f.excerpt_start + f.excerpt.len();
            prop_assert!(s.is_char_boundary(f.excerpt_start) && ex_end <= s.len());
            prop_assert_eq!(&s[f.excerpt_start..ex_end], f.excerpt.as_str());
            for e in &f.evidence {
                prop_assert_eq!(&s[e.start..e.end], e.text.as_str());
            }
            prop_assert!(f.line >= 1 && f.column >= 1);
            prop_assert!((0.0..=1.0).contains(&f.confidence));
        }
    }

    #[test]
    fn the_first_stage_gate_never_loses_a_finding(s in messy_text()) {
        let ascii: String = s.chars().filter(char::is_ascii).collect();
        for t in [&s, &ascii] {
            prop_assert_eq!(builtin().scan_text(t), builtin().scan_text_ungated(t));
        }
    }

    #[test]
    fn sentences_found_piecemeal_are_those_of_the_whole_paragraph(
        s in sentence_text(),
        picks in prop::collection::vec((0usize..1000, 0usize..1000), 1..12),
    ) {
        // Positions in any order: each lookup segments a paragraph only as
        // far as needed, resuming where an earlier one stopped.
        let segs = Segments::new(&s);
        for (a, b) in picks {
            let pos = a * s.len() / 1000;
            prop_assert_eq!(segs.unit_at(Scope::Sentence, pos), whole_paragraph_sentence(&s, pos));
            let (lo, hi) = (pos.min(b * s.len() / 1000), pos.max(b * s.len() / 1000));
            let expected: Vec<_> = segment::paragraphs(&s)
                .into_iter()
                .filter(|p| p.start < hi && lo < p.end)
                .flat_map(|p| segment::sentences(&s, p))
                .filter(|x| x.start < hi && lo < x.end)
                .collect();
            prop_assert_eq!(segs.units_within(Scope::Sentence, lo..hi), expected);
        }
    }

    #[test]
    fn both_tiers_of_the_term_automaton_find_the_same(s in messy_text()) {
        let (fast, quick) = builtin_tiers();
        prop_assert_eq!(fast.scan_text(&s), quick.scan_text(&s));
    }

    #[test]
    fn scanning_arbitrary_strings_never_panics(s in "\\PC*|(.|\\n|\\r)*") {
        let _ = rules().scan_text(&s);
        let _ = builtin().scan_text(&s);
    }

    #[test]
    fn variants_of_a_term_never_lose_a_match(
        upper in prop::collection::vec(any::<bool>(), 4),
        sep1 in prop_oneof![Just(" "), Just("  "), Just("-"), Just("\n"), Just("\u{00A0}"), Just(" \r\n ")],
        sep2 in prop_oneof![Just(" "), Just("-"), Just("\n"), Just("\u{2009}")],
        quote in prop_oneof![Just("'"), Just("’"), Just("‘")],
        accent in any::<bool>(),
    ) {
        // "Kim Yong Nam of the People's Army, Nicolás" in many spellings.
        let case = |w: &str, up: bool| if up { w.to_uppercase() } else { w.to_owned() };
        let name = if accent { "Nicolás" } else { "Nicolas" };
        let text = format!(
            "{}{sep1}{}{sep2}{} of the People{quote}s Army met {}.",
            case("Kim", upper[0]), case("Yong", upper[1]), case("Nam", upper[2]), case(name, upper[3])
        );
        let yaml = "rules:\n  - id: t.v\n    title: T\n    category: c\n    severity: low\n    citations: [{instrument: X}]\n    match: {all: [{terms: [Kim Yong-nam]}, {terms: [\"People's Army\"]}, {terms: [Nicolás]}]}\n";
        let r = RuleSet::from_yaml("v.yaml", yaml).unwrap();
        prop_assert_eq!(r.scan_text(&text).len(), 1, "{:?}", text);
    }
}

//! Screening names against lists of designated parties: the bundled UN 1718
//! list, `--list` with a UN XML file or a simple list, `lists import`.

#![allow(clippy::print_stderr)] // tests say when they skip

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use proptest::prelude::*;
use sanctions_check::RuleSet;
use sanctions_check::watchlist::WatchlistDef;

const UN_XML: &str = "../shared/data/un-consolidated-dprk.xml";

fn pack() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("bundled pack"))
}

/// References of the listed parties a text names.
fn refs(text: &str) -> BTreeSet<String> {
    pack()
        .scan_text(text)
        .into_iter()
        .filter_map(|f| f.party.map(|p| p.reference))
        .collect()
}

fn one(r: &str) -> BTreeSet<String> {
    [r.to_owned()].into()
}

#[test]
fn listed_names_are_found_in_their_variants() {
    let cases = [
        ("Yun Ho-jin met buyers in Dandong.", "KPi.001"),
        ("YUN HO JIN met buyers in Dandong.", "KPi.001"),
        ("Yun Hojin met buyers in Dandong.", "KPi.001"),
        ("Ho-jin Yun met buyers in Dandong.", "KPi.001"),
        ("The alias Yun Ho-chin appears on invoices.", "KPi.001"),
        ("Paek Ch’ang-ho oversaw the launch.", "KPi.006"),
        ("Paek Chang Ho oversaw the launch.", "KPi.006"),
        (
            "Korea Mining Development Trading Corp. arranged the sale.",
            "KPe.001",
        ),
        (
            "Korea Mining Development Trading Corporation arranged the sale.",
            "KPe.001",
        ),
        ("KOMID agents in Pyongyang met the buyers.", "KPe.001"),
        (
            "Korea Ryonbong General Corporation bought parts.",
            "KPe.002",
        ),
        ("Tanchon Commercial Bank moved the funds.", "KPe.003"),
    ];
    for (text, reference) in cases {
        assert_eq!(refs(text), one(reference), "{text}");
    }
}

#[test]
fn similar_but_unlisted_names_are_not_found() {
    for text in [
        "Kim Jong-hyun of Samsung spoke in Seoul.",
        "Ho-jin said the market was calm.",
        "Yun met buyers in Busan.",
        "KOMID is an acronym nobody in Oslo uses.",
        "The Korea Mining Association of Seoul met on Tuesday.",
    ] {
        assert_eq!(refs(text), BTreeSet::new(), "{text}");
    }
}

#[test]
fn findings_name_the_party_alias_and_dates() {
    let f = pack()
        .scan_text("A shipment was arranged by KOMID agents in Pyongyang.")
        .into_iter()
        .find(|f| f.category == "designated_parties")
        .expect("a designated-party finding");
    let p = f.party.clone().expect("party");
    assert_eq!(p.reference, "KPe.001");
    assert_eq!(p.name, "KOREA MINING DEVELOPMENT TRADING CORPORATION");
    assert_eq!(p.alias, "KOMID");
    assert_eq!(p.quality, "good");
    assert_eq!(p.listed_on.as_deref(), Some("2009-04-24"));
    assert!(
        p.generated
            .as_deref()
            .is_some_and(|g| g.starts_with("2024-09-26"))
    );
    assert!(
        f.citation_text()
            .contains("UNSCR 1718 (2006), paragraph 8(d)")
    );
}

fn bundled_list() -> WatchlistDef {
    #[derive(serde::Deserialize)]
    struct File {
        watchlist: WatchlistDef,
    }
    let text = std::fs::read_to_string("rules/un-dprk/designated.yaml").unwrap();
    serde_saphyr::from_str::<File>(&text).unwrap().watchlist
}

#[test]
fn the_bundled_list_has_every_dprk_entry() {
    let list = bundled_list();
    assert_eq!(list.parties.len(), 155);
    assert_eq!(pack().watchlists()[0].2, 155);
}

fn render(name: &str, cases: &[bool], joins: &[&str]) -> String {
    let words: Vec<&str> = name.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push_str(joins[i % joins.len()]);
        }
        if cases[i % cases.len()] {
            out.push_str(&w.to_uppercase());
        } else {
            out.push_str(&w.to_lowercase());
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_primary_name_is_found_whatever_its_case_hyphens_and_spaces(
        index in 0usize..155,
        cases in prop::collection::vec(any::<bool>(), 1..6),
        joins in prop::collection::vec(prop_oneof![Just(" "), Just("-"), Just("  "), Just("\n")], 1..6),
    ) {
        let list = bundled_list();
        let party = &list.parties[index];
        let text = format!("Reports say {} was active in Pyongyang last year.", render(&party.name, &cases, &joins));
        prop_assert!(refs(&text).contains(&party.reference), "{} not found in {:?}", party.reference, text);
    }
}

#[test]
fn importing_the_un_extract_reproduces_the_bundled_file() {
    if !Path::new(UN_XML).exists() {
        eprintln!("skipped: {UN_XML} is not present");
        return;
    }
    let out = Command::cargo_bin("sanctions-check")
        .unwrap()
        .args(["lists", "import", UN_XML, "--regime", "DPRK", "--un-dprk"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = std::fs::read_to_string("rules/un-dprk/designated.yaml").unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout) == committed,
        "rules/un-dprk/designated.yaml differs from a fresh import"
    );
}

fn scan_json(args: &[&str], text: &str) -> serde_json::Value {
    let out = Command::cargo_bin("sanctions-check")
        .unwrap()
        .args(["scan", "--format", "json", "-q"])
        .args(args)
        .arg("-")
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn party_refs(json: &serde_json::Value) -> BTreeSet<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["party"]["reference"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn a_full_un_file_replaces_the_bundled_list() {
    if !Path::new(UN_XML).exists() {
        eprintln!("skipped: {UN_XML} is not present");
        return;
    }
    let text = "KOMID agents in Pyongyang met the buyers of Tanchon Commercial Bank.";
    let json = scan_json(&["--list", UN_XML, "--list-regime", "DPRK"], text);
    assert_eq!(
        party_refs(&json),
        ["KPe.001".to_owned(), "KPe.003".to_owned()].into()
    );
    let none = scan_json(&["--list", UN_XML, "--list-regime", "ISIL"], text);
    assert!(party_refs(&none).is_empty());
}

#[test]
fn a_simple_list_screens_names_and_imo_numbers() {
    let list = "tests/fixtures/lists/simple-list.yaml";
    let json = scan_json(
        &["--list", list],
        "Example Shipping Co Ltd chartered the EXAMPLE STAR 3 (IMO No. 9074729) in May.",
    );
    assert_eq!(party_refs(&json).len(), 2, "{json}");
    let imo = scan_json(&["--list", list], "The tanker with IMO 9074729 left port.");
    assert_eq!(party_refs(&imo).len(), 1, "{imo}");
    let other = scan_json(&["--list", list], "The tanker with IMO 9074728 left port.");
    assert!(party_refs(&other).is_empty(), "{other}");
    let bare = scan_json(&["--list", list], "Invoice 9074729 was paid.");
    assert!(party_refs(&bare).is_empty(), "{bare}");
}

#[test]
fn a_news_paragraph_naming_an_entity_by_its_alias_is_flagged() {
    let text = "Investigators say the shipment of rocket parts was brokered by \
                Changgwang Sinyong Corporation, a front that the United Nations \
                has long tied to the North's missile programme.";
    let json = scan_json(&[], text);
    assert!(party_refs(&json).contains("KPe.001"), "{json}");
}

#[test]
fn every_primary_name_as_written_is_found() {
    let missing: Vec<String> = bundled_list()
        .parties
        .iter()
        .filter(|p| {
            let text = format!("Reports say {} was active in Pyongyang last year.", p.name);
            !refs(&text).contains(&p.reference)
        })
        .map(|p| format!("{} {}", p.reference, p.name))
        .collect();
    assert!(missing.is_empty(), "not found: {missing:?}");
}

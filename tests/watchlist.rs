//! Watchlists: the UN Consolidated List reader, simple YAML/CSV lists, the
//! generated rule file, and the name variants each listed party is matched in.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use sanctions_check::RuleSet;
use sanctions_check::normalize::fold_term;
use sanctions_check::watchlist::simple::{parse_simple_csv, parse_simple_yaml, to_rule_yaml};
use sanctions_check::watchlist::un_xml::{ListError, parse_un_xml};
use sanctions_check::watchlist::variants::{NameVariant, imo_check_digit_ok, name_variants};
use sanctions_check::watchlist::{Alias, Party, PartyKind, Quality, WatchlistDef};
use serde::Deserialize;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lists")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn real_list_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/un-consolidated-dprk.xml")
}

/// The DPRK extract of the real UN list, when it is present.
#[allow(clippy::print_stdout)]
fn real_list() -> Option<WatchlistDef> {
    let path = real_list_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipped: {} not present", path.display());
        return None;
    };
    Some(parse_un_xml(&text, Some("DPRK")).unwrap_or_else(|e| panic!("{e}")))
}

fn party<'a>(list: &'a WatchlistDef, reference: &str) -> &'a Party {
    list.parties
        .iter()
        .find(|p| p.reference == reference)
        .unwrap_or_else(|| panic!("no party {reference}"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wrapper {
    watchlist: WatchlistDef,
}

fn round_trip(list: &WatchlistDef) -> WatchlistDef {
    let yaml = to_rule_yaml(list);
    serde_saphyr::from_str::<Wrapper>(&yaml)
        .unwrap_or_else(|e| panic!("{e}\n{yaml}"))
        .watchlist
}

// ---------------------------------------------------------------------------
// UN XML

#[test]
fn small_list_keeps_dprk_facts_only() {
    let list = parse_un_xml(&fixture("consolidated-small.xml"), Some("DPRK")).unwrap();
    assert_eq!(list.name, "UN Security Council Consolidated List (DPRK)");
    assert_eq!(
        list.source.as_deref(),
        Some("UN Security Council Consolidated List")
    );
    assert_eq!(list.generated.as_deref(), Some("2030-01-15T00:00:05.000Z"));
    let refs: Vec<&str> = list.parties.iter().map(|p| p.reference.as_str()).collect();
    // Sorted by reference; the Iraq entries and the nameless record are gone;
    // the lower-case `dprk` regime matches.
    assert_eq!(
        refs,
        ["KPe.900", "KPe.901", "KPi.901", "KPi.902", "KPi.903"]
    );
    assert!(list.parties.iter().all(|p| p.imo.is_none()));

    let choe = party(&list, "KPi.903");
    assert_eq!(choe.kind, PartyKind::Individual);
    assert_eq!(choe.name, "CH'OE SO’N-HUI");
    assert_eq!(choe.name_parts, ["CH'OE", "SO’N-HUI"]);
    assert_eq!(choe.listed_on.as_deref(), Some("2030-01-12"));
    assert_eq!(
        choe.nationality.as_deref(),
        Some("Democratic People's Republic of Korea")
    );
    assert_eq!(
        choe.aliases,
        [
            Alias {
                name: "Choe Son Hui".into(),
                quality: Quality::Good
            },
            Alias {
                name: "Madam Choe".into(),
                quality: Quality::Low
            },
        ]
    );

    let ri = party(&list, "KPi.902");
    assert_eq!(ri.name, "RI KYU");
    assert!(ri.aliases.is_empty() && ri.listed_on.is_none() && ri.nationality.is_none());

    let example = party(&list, "KPe.901");
    assert_eq!(example.kind, PartyKind::Entity);
    assert_eq!(example.name, "EXAMPLE TRADING CORPORATION");
    assert!(example.name_parts.is_empty());
    let aliases: Vec<(&str, Quality)> = example
        .aliases
        .iter()
        .map(|a| (a.name.as_str(), a.quality))
        .collect();
    assert_eq!(
        aliases,
        [
            ("Choson Example Muyok Hoesa", Quality::Good),
            ("Korea Old Example General Corp", Quality::Good),
            ("\"EXTC\"", Quality::Good),
        ]
    );

    let bank = party(&list, "KPe.900");
    assert_eq!(bank.name, "INVENTED CREDIT BANK (ICB)");
    assert_eq!(bank.aliases[0].name, "Invented & Credit Bank");
    assert_eq!(bank.aliases[2].name, "發明信用銀行");

    // Narrative never reaches the rule file.
    let yaml = to_rule_yaml(&list);
    for narrative in [
        "narrative",
        "designation",
        "Pyongyang",
        "5000000",
        "NOT A NAME",
    ] {
        assert!(!yaml.contains(narrative), "{narrative} copied:\n{yaml}");
    }
}

#[test]
fn small_list_without_regime_keeps_every_regime() {
    let list = parse_un_xml(&fixture("consolidated-small.xml"), None).unwrap();
    assert_eq!(list.name, "UN Security Council Consolidated List");
    assert_eq!(list.parties.len(), 7);
    let iraq = party(&list, "IQi.901");
    assert_eq!(iraq.name, "EXAMPLE ABD AL-INVENTED");
    assert_eq!(iraq.name_parts.len(), 3);
    let none = parse_un_xml(&fixture("consolidated-small.xml"), Some("Somalia")).unwrap();
    assert!(none.parties.is_empty());
    assert_eq!(none.name, "UN Security Council Consolidated List (Somalia)");
}

#[test]
fn malformed_xml_reports_line_and_column() {
    let err = parse_un_xml(&fixture("malformed.xml"), Some("DPRK")).unwrap_err();
    match &err {
        ListError::Xml { line, column, .. } => assert_eq!((*line, *column), (6, 28), "{err}"),
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.starts_with("malformed XML at line 6, column 28:"),
        "{text}"
    );
    assert!(text.contains("SECOND_NAM"), "{text}");
}

#[test]
fn other_documents_are_not_lists() {
    let err = parse_un_xml(&fixture("not-a-list.xml"), None).unwrap_err();
    assert!(matches!(err, ListError::NotConsolidatedList { .. }));
    assert!(err.to_string().contains("<sdnList>"), "{err}");
    let err = parse_un_xml("just some text", None).unwrap_err();
    assert!(
        matches!(err, ListError::NotConsolidatedList { .. }),
        "{err}"
    );
}

#[test]
fn truncated_list_is_malformed() {
    let text = fixture("consolidated-small.xml");
    let cut = &text[..text.find("<ENTITIES>").unwrap()];
    let err = parse_un_xml(cut, None).unwrap_err();
    assert!(matches!(err, ListError::Xml { .. }), "{err}");
    assert!(err.to_string().contains("not closed"), "{err}");
}

#[test]
fn real_dprk_list_has_80_individuals_and_75_entities() {
    let Some(list) = real_list() else { return };
    let count = |k: PartyKind| list.parties.iter().filter(|p| p.kind == k).count();
    assert_eq!(count(PartyKind::Individual), 80);
    assert_eq!(count(PartyKind::Entity), 75);
    assert_eq!(list.generated.as_deref(), Some("2024-09-26T00:00:07.514Z"));
    let refs: HashSet<&str> = list.parties.iter().map(|p| p.reference.as_str()).collect();
    assert_eq!(refs.len(), 155, "references are unique and trimmed");
    assert!(refs.contains("KPi.034") && refs.contains("KPe.053"));
    assert!(list.parties.iter().all(|p| p.imo.is_none()));
    assert!(
        list.parties
            .windows(2)
            .all(|w| w[0].reference <= w[1].reference)
    );
    let kim = party(&list, "KPi.024");
    assert_eq!(kim.aliases[0].name, "Kim Yong-Chol", "whitespace collapsed");
    assert_eq!(party(&list, "KPi.064").aliases[0].quality, Quality::Low);
    assert_eq!(party(&list, "KPe.002").aliases[1].quality, Quality::Good); // f.k.a.
    assert_eq!(
        party(&list, "KPi.001").listed_on.as_deref(),
        Some("2009-07-16")
    );
}

#[test]
fn real_dprk_list_round_trips_through_a_rule_file() {
    let Some(list) = real_list() else { return };
    let yaml = to_rule_yaml(&list);
    assert_eq!(round_trip(&list), list);
    assert_eq!(yaml, to_rule_yaml(&list), "deterministic");
    // The rule loader itself accepts the file.
    if let Err(e) = RuleSet::from_yaml("un-dprk-list.yaml", &yaml) {
        panic!("{}", e.render(false));
    }
}

#[test]
fn real_dprk_list_variants_hold_the_policy() {
    let Some(list) = real_list() else { return };
    let mut total = 0;
    for p in &list.parties {
        let variants = name_variants(p);
        assert!(!variants.is_empty(), "{}", p.reference);
        assert!(variants[0].primary);
        let mut seen = HashSet::new();
        for v in &variants {
            let folded = fold_term(&v.term);
            assert!(folded.bytes().any(|b| b.is_ascii_alphanumeric()), "{v:?}");
            assert!(seen.insert(folded.clone()), "duplicate {v:?}");
            assert!(!v.term.contains('*'), "{v:?}");
            if !folded.contains(' ') && folded.len() < 6 {
                assert!(v.needs_context, "{v:?}");
            }
        }
        if p.kind == PartyKind::Individual && p.name_parts.len() == 2 {
            // Never the given name alone, spaced or joined.
            let given = fold_term(&p.name_parts[1]);
            for v in &variants {
                let folded = fold_term(&v.term).replace('\'', "");
                assert_ne!(folded, given.replace('\'', ""), "{v:?}");
                assert_ne!(folded, given.replace(['\'', ' '], ""), "{v:?}");
            }
        }
        total += variants.len();
    }
    assert!(total > 600, "{total} variants");
}

// ---------------------------------------------------------------------------
// Simple lists and the rule file

#[test]
fn simple_yaml_fixture() {
    let list = parse_simple_yaml(&fixture("simple-list.yaml")).unwrap();
    assert_eq!(list.name, "Counterparties of concern");
    assert_eq!(list.severity, Some(sanctions_check::Severity::Medium));
    assert_eq!(list.parties.len(), 3);
    let c1 = &list.parties[0];
    assert_eq!(c1.kind, PartyKind::Entity);
    assert_eq!(
        c1.aliases,
        [
            Alias {
                name: "Example Shpg".into(),
                quality: Quality::Good
            },
            Alias {
                name: "Old Example Shipping Company".into(),
                quality: Quality::Low
            },
        ]
    );
    assert_eq!(list.parties[1].name_parts, ["Kim", "Example-nam"]);
    assert_eq!(list.parties[2].reference, "P003");
    assert_eq!(list.parties[2].kind, PartyKind::Vessel);
    assert_eq!(list.parties[2].imo.as_deref(), Some("9074729"));
    assert_eq!(round_trip(&list), list);
}

#[test]
fn simple_csv_fixture() {
    let list = parse_simple_csv(&fixture("simple-list.csv")).unwrap();
    assert_eq!(list.parties.len(), 4);
    assert_eq!(list.parties[0].aliases.len(), 2);
    assert_eq!(list.parties[1].kind, PartyKind::Individual);
    assert_eq!(list.parties[2].kind, PartyKind::Vessel);
    assert_eq!(list.parties[2].imo.as_deref(), Some("8914934"));
    assert_eq!(list.parties[3].reference, "P004");
    assert_eq!(list.parties[3].kind, PartyKind::Entity);
    assert_eq!(round_trip(&list), list);
}

#[test]
fn bad_csv_row_reports_its_line() {
    let err = parse_simple_csv(&fixture("bad-row.csv")).unwrap_err();
    match &err {
        ListError::Csv { line, message } => {
            assert_eq!(*line, 4, "{err}");
            assert!(message.contains("check digit"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().starts_with("CSV error at line 4:"), "{err}");
}

#[test]
fn rule_yaml_is_a_loadable_rule_file() {
    let list = parse_un_xml(&fixture("consolidated-small.xml"), Some("DPRK")).unwrap();
    let yaml = to_rule_yaml(&list);
    assert!(yaml.starts_with("# Generated by `sanctions-check lists import`"));
    assert!(yaml.contains("do not edit by hand"));
    assert!(
        yaml.contains("\nwatchlist:\n  name: \"UN Security Council Consolidated List (DPRK)\"\n")
    );
    assert!(yaml.contains("      name_parts: [\"CH'OE\", \"SO’N-HUI\"]\n"));
    assert!(yaml.contains("        - {name: \"Madam Choe\", quality: \"low\"}\n"));
    assert_eq!(round_trip(&list), list);
    if let Err(e) = RuleSet::from_yaml("list.yaml", &yaml) {
        panic!("{}", e.render(false));
    }
}

// ---------------------------------------------------------------------------
// Name variants

fn ind(reference: &str, parts: &[&str], aliases: &[(&str, Quality)]) -> Party {
    Party {
        reference: reference.into(),
        kind: PartyKind::Individual,
        name: parts.join(" "),
        name_parts: parts.iter().map(|s| (*s).to_owned()).collect(),
        aliases: aliases
            .iter()
            .map(|(n, q)| Alias {
                name: (*n).into(),
                quality: *q,
            })
            .collect(),
        listed_on: None,
        nationality: None,
        imo: None,
    }
}

fn ent(reference: &str, name: &str, aliases: &[(&str, Quality)]) -> Party {
    Party {
        kind: PartyKind::Entity,
        name: name.into(),
        name_parts: Vec::new(),
        ..ind(reference, &[], aliases)
    }
}

const G: Quality = Quality::Good;
const L: Quality = Quality::Low;

/// A listed party, spellings that must be variants (with whether they need
/// context) and spellings that must not be.
struct Case {
    party: Party,
    yes: &'static [(&'static str, bool)],
    no: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            party: ind("KPi.001", &["YUN", "HO-JIN"], &[("Yun Ho-chin", G)]),
            yes: &[
                ("Yun Ho Jin", false),
                ("Yun Hojin", false),
                ("Ho-jin Yun", false),
                ("Hojin Yun", false),
                ("YUN HO-CHIN", false),
                ("Hochin Yun", false),
            ],
            no: &["Ho Jin", "Hojin", "Yun", "Ho-chin"],
        },
        Case {
            party: ind(
                "KPi.024",
                &["KIM", "YONG CHOL"],
                &[
                    ("Kim Yong-Chol", G),
                    ("Kim Young-Chol", G),
                    ("Kim Young-Cheol", G),
                    ("Young-Chul", G),
                ],
            ),
            yes: &[
                ("Kim Yong Chol", false),
                ("Kim Yongchol", false),
                ("Yong Chol Kim", false),
                ("Yongchol Kim", false),
                ("Kim Young Cheol", false),
                ("Youngcheol Kim", false),
            ],
            no: &["Young-Chul", "Yong Chol", "Yongchol", "Kim"],
        },
        Case {
            party: ind("KPi.064", &["CH'OE", "SO’K MIN"], &[("Choe\n Sok Min", L)]),
            yes: &[
                ("Ch’oe So’k Min", false),
                ("Ch'oe So'kmin", false),
                ("Choe Sok Min", false),
                ("Choe Sokmin", false),
                ("Sok Min Choe", false),
                ("So'kmin Ch'oe", false),
            ],
            no: &["Sok Min", "Choe", "Min"],
        },
        Case {
            party: ind("KPi.055", &["HAN", "JANG SU"], &[("Chang-Su Han", G)]),
            yes: &[
                ("Han Jang Su", false),
                ("Jangsu Han", false),
                ("Chang-Su Han", false),
                ("Han Chang-su", false),
                ("Han Changsu", false),
            ],
            no: &["Jang Su", "Chang-Su", "Changsu"],
        },
        Case {
            party: ind("KPi.022", &["KIM", "KYU"], &[]),
            yes: &[("Kim Kyu", true), ("Kyu Kim", true)],
            no: &["Kyu", "Kim"],
        },
        Case {
            party: ind("KPi.002", &["RI", "JE-SON"], &[("Ri Che-son", G)]),
            yes: &[
                ("Ri Je-son", true),
                ("Jeson Ri", true),
                ("Ri Cheson", false),
            ],
            no: &["Je-son", "Jeson"],
        },
        Case {
            party: ind(
                "KPi.047",
                &["MIN", "BYONG CHOL"],
                &[("Min Pyo’ng-ch’o’l", G)],
            ),
            yes: &[
                ("Min Byongchol", false),
                ("Min Pyo'ng-ch'o'l", false),
                ("Min Pyongchol", false),
                ("Pyong-chol Min", false),
            ],
            no: &["Pyong-chol", "Byong Chol"],
        },
        Case {
            party: ind(
                "KPi.035",
                &["KIM", "CHOL SAM"],
                &[("Jin Tiesan (金铁三)", G)],
            ),
            yes: &[
                ("Kim Cholsam", false),
                ("Jin Tiesan", false),
                ("金铁三", true),
            ],
            no: &["Tiesan", "Chol Sam"],
        },
        Case {
            party: ind(
                "KPi.080",
                &["TSANG", "YUNG YUAN"],
                &[("Neil Tsang", G), ("Yun Yuan Tsang", G)],
            ),
            yes: &[
                ("Tsang Yung Yuan", false),
                ("Yung Yuan Tsang", false),
                ("Neil Tsang", false),
                ("Yun Yuan Tsang", false),
            ],
            no: &["Neil", "Yung Yuan", "Yun Yuantsang"],
        },
        Case {
            party: ent(
                "KPe.001",
                "KOREA MINING DEVELOPMENT TRADING CORPORATION",
                &[("CHANGGWANG SINYONG CORPORATION", G), ("\"KOMID\"", G)],
            ),
            yes: &[
                ("Korea Mining Development Trading Corporation", false),
                ("Korea Mining Development Trading", false),
                ("Korea Mining Development", true),
                ("Changgwang Sinyong", false),
                ("KOMID", true),
            ],
            no: &["\"KOMID\"", "Korea", "Korea Mining", "Changgwang"],
        },
        Case {
            party: ent(
                "KPe.031",
                "RECONNAISSANCE GENERAL BUREAU",
                &[("Chongch’al Ch’ongguk", G), ("KPA Unit 586", G), ("RGB", G)],
            ),
            yes: &[
                ("Reconnaissance General Bureau", true),
                ("Chongchal Chongguk", false),
                ("RGB", true),
            ],
            no: &["Reconnaissance", "General Bureau"],
        },
        Case {
            party: ent(
                "KPe.023",
                "DAEDONG CREDIT BANK (DCB)",
                &[
                    ("DCB", G),
                    ("Taedong Credit Bank", G),
                    ("Dae-Dong Credit Bank", G),
                ],
            ),
            yes: &[
                ("Daedong Credit Bank", false),
                ("DCB", true),
                ("Taedong Credit Bank", false),
                ("Dae Dong Credit Bank", false),
            ],
            no: &["Daedong", "Credit Bank", "Daedong Credit Bank (DCB)"],
        },
        Case {
            party: ent(
                "KPe.020",
                "OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)",
                &[("Korea Mirae Shipping Co. Ltd", G)],
            ),
            yes: &[
                ("Ocean Maritime Management Company, Limited", true),
                ("Ocean Maritime Management", true),
                ("OMM", true),
                ("Korea Mirae Shipping", false),
            ],
            no: &["Ocean Maritime", "Korea Mirae"],
        },
        Case {
            party: ent(
                "KPe.051",
                "CENTRAL MILITARY COMMISSION OF THE WORKERS’ PARTY OF KOREA\n(CMC)",
                &[],
            ),
            yes: &[
                (
                    "Central Military Commission of the Workers' Party of Korea",
                    false,
                ),
                ("Central Military Commission of the Workers Party", false),
                ("CMC", true),
            ],
            no: &["Central Military Commission", "Workers' Party of Korea"],
        },
        Case {
            party: ent(
                "KPe.030",
                "OFFICE 39",
                &[("Office #39", G), ("Office No. 39", G), ("Third Floor", G)],
            ),
            yes: &[
                ("Office 39", true),
                ("Office #39", true),
                ("Office No. 39", true),
                ("Third Floor", true),
            ],
            no: &["Office", "39"],
        },
        Case {
            party: ent("KPe.067", "KOTI CORP", &[]),
            yes: &[("Koti Corp", false)],
            no: &["Koti"],
        },
        Case {
            party: ent(
                "KPe.004",
                "NAMCHONGANG TRADING CORPORATION",
                &[("NCG", G), ("NAM CHON GANG CORPORATION", G)],
            ),
            yes: &[
                ("Namchongang Trading", false),
                ("Namchongang", true),
                ("NCG", true),
                ("Nam Chon Gang", false),
            ],
            no: &["Trading Corporation", "Nam"],
        },
        Case {
            party: ent(
                "KPe.021",
                "ACADEMY OF NATIONAL DEFENSE SCIENCE",
                &[("SECOND ACADEMY OF NATURAL SCIENCES (KPE.018)", G)],
            ),
            yes: &[
                ("Academy of National Defense Science", false),
                ("Second Academy of Natural Sciences", false),
            ],
            no: &["KPE.018", "Second Academy of Natural Sciences (KPE.018)"],
        },
        Case {
            party: ent(
                "KPe.054",
                "MINISTRY OF NATIONAL DEFENCE",
                &[
                    ("MINISTRY OF DEFENCE", G),
                    ("MINISTRY OF THE PEOPLE’S ARMED FORCES (MPAF)", G),
                ],
            ),
            yes: &[
                ("Ministry of National Defence", true),
                ("Ministry of Defence", true),
                ("Ministry of the People's Armed Forces", false),
                ("Ministry of the Peoples Armed Forces", false),
                ("MPAF", true),
            ],
            no: &["Ministry", "Defence"],
        },
        Case {
            party: ent(
                "KPe.012",
                "KOREAN COMMITTEE FOR SPACE TECHNOLOGY",
                &[
                    ("Department of Space Technology of the DPRK", G),
                    ("KCST", G),
                ],
            ),
            yes: &[
                ("Korean Committee for Space Technology", false),
                ("Department of Space Technology of the DPRK", false),
                ("Department of Space Technology", true),
                ("KCST", true),
            ],
            no: &["Space Technology", "Korean Committee for Space"],
        },
        Case {
            party: ent(
                "KPe.010",
                "GREEN PINE ASSOCIATED CORPORATION",
                &[("CH'O'NGSONG YO'NHAP", G), ("JINDALLAE", G)],
            ),
            yes: &[
                ("Green Pine Associated Corporation", true),
                ("Green Pine Associated", true),
                ("Ch'o'ngsong Yo'nhap", false),
                ("Chongsong Yonhap", false),
                ("Jindallae", true),
            ],
            no: &["Green Pine", "Green"],
        },
    ]
}

fn find<'a>(variants: &'a [NameVariant], term: &str) -> Option<&'a NameVariant> {
    let folded = fold_term(term);
    variants.iter().find(|v| fold_term(&v.term) == folded)
}

#[test]
fn name_variant_table() {
    let real = real_list();
    let mut failures = Vec::new();
    for case in cases() {
        let p = &case.party;
        // The table is written from the list's own entries.
        if let Some(list) = &real {
            let listed = party(list, &p.reference);
            assert_eq!(p.kind, listed.kind, "{}", p.reference);
            assert_eq!(
                fold_term(&p.name),
                fold_term(&listed.name),
                "{}",
                p.reference
            );
            for a in &p.aliases {
                assert!(
                    listed
                        .aliases
                        .iter()
                        .any(|l| fold_term(&l.name) == fold_term(&a.name) && l.quality == a.quality),
                    "{}: alias {:?} not in the list",
                    p.reference,
                    a.name
                );
            }
        }
        let variants = name_variants(p);
        for (term, context) in case.yes {
            match find(&variants, term) {
                None => failures.push(format!("{}: missing {term:?}", p.reference)),
                Some(v) if v.needs_context != *context => failures.push(format!(
                    "{}: {term:?} needs_context is {}, expected {context}",
                    p.reference, v.needs_context
                )),
                Some(_) => {}
            }
        }
        for term in case.no {
            if let Some(v) = find(&variants, term) {
                failures.push(format!("{}: unexpected {term:?} ({v:?})", p.reference));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn variants_record_their_source() {
    let p = ind(
        "KPi.064",
        &["CH'OE", "SO’K MIN"],
        &[("Choe Sok Min", L), ("Choe Sok-min", G)],
    );
    let v = name_variants(&p);
    // The apostrophe-free primary name comes first, so it is primary and good
    // although a low alias spells it too.
    let choe = find(&v, "Choe Sok Min").unwrap();
    assert!(choe.primary);
    assert_eq!(
        (choe.alias.as_str(), choe.quality),
        ("CH'OE SO’K MIN", Quality::Good)
    );
    // Good aliases come before low ones.
    let good = find(&v, "Choe Sok-min").unwrap();
    assert_eq!(good.quality, Quality::Good);

    let p = ind("KPi.901", &["PAEK", "SONG-HUI"], &[("Mr. Bai", L)]);
    let v = name_variants(&p);
    let bai = find(&v, "Mr. Bai").unwrap();
    assert!(!bai.primary && bai.needs_context);
    assert_eq!((bai.alias.as_str(), bai.quality), ("Mr. Bai", Quality::Low));
}

#[test]
fn vessel_variants_need_context() {
    let p = Party {
        kind: PartyKind::Vessel,
        imo: Some("9562233".into()),
        ..ent("V1", "PETREL 8", &[("YU JONG 2", L)])
    };
    let v = name_variants(&p);
    let terms: Vec<&str> = v.iter().map(|v| v.term.as_str()).collect();
    assert_eq!(terms, ["PETREL 8", "YU JONG 2", "Yujong 2"]);
    assert!(v.iter().all(|v| v.needs_context));
    assert!(
        !terms.contains(&"9562233"),
        "IMO numbers are matched separately"
    );
}

#[test]
fn imo_check_digit() {
    // 9·7+0·6+7·5+4·4+7·3+2·2 = 139 → 9; 8·7+9·6+1·5+4·4+9·3+3·2 = 164 → 4.
    for ok in [
        "9074729", "8914934", "9562233", "8628597", "1234567", "0000000",
    ] {
        assert!(imo_check_digit_ok(ok), "{ok}");
    }
    // 5434358 is an IMO company number from the list's comments, not a ship.
    for bad in [
        "9074720",
        "8914935",
        "5434358",
        "907472",
        "90747290",
        "IMO9074729",
        " 9074729",
        "907472a",
        "",
        "９０７４７２９",
    ] {
        assert!(!imo_check_digit_ok(bad), "{bad}");
    }
}

// ---------------------------------------------------------------------------
// Properties

fn xmlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<CONSOLIDATED_LIST dateGenerated=\"x\">".to_owned()),
        Just("</CONSOLIDATED_LIST>".to_owned()),
        Just("<INDIVIDUAL>".to_owned()),
        Just("</INDIVIDUAL>".to_owned()),
        Just("<ENTITY>".to_owned()),
        Just("</ENTITY>".to_owned()),
        Just("<FIRST_NAME>".to_owned()),
        Just("</FIRST_NAME>".to_owned()),
        Just("<ENTITY_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>".to_owned()),
        Just("</ALIAS_NAME></ENTITY_ALIAS>".to_owned()),
        Just("<UN_LIST_TYPE>DPRK</UN_LIST_TYPE>".to_owned()),
        Just("<REFERENCE_NUMBER>KPi.1</REFERENCE_NUMBER>".to_owned()),
        Just("<NATIONALITY><VALUE>".to_owned()),
        Just("<![CDATA[".to_owned()),
        Just("]]>".to_owned()),
        Just("<!--".to_owned()),
        "&[a-z#x0-9]{0,6};?",
        "[<>/=\"' a-zA-Z_\u{2019}é金-]{0,12}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

fn arb_party() -> impl Strategy<Value = Party> {
    let text = "[ -~\u{2019}\u{2018}ŏŭé金铁三()*\"'\n-]{0,24}";
    let kind = prop_oneof![
        Just(PartyKind::Individual),
        Just(PartyKind::Entity),
        Just(PartyKind::Vessel),
    ];
    let quality = prop_oneof![Just(Quality::Good), Just(Quality::Low)];
    (
        text,
        kind,
        prop::collection::vec(text, 0..4),
        prop::collection::vec((text, quality), 0..4),
        "[A-Za-z]{0,3}\\.?[0-9]{0,3}",
    )
        .prop_map(|(name, kind, parts, aliases, reference)| Party {
            reference,
            kind,
            name,
            name_parts: parts,
            aliases: aliases
                .into_iter()
                .map(|(name, quality)| Alias { name, quality })
                .collect(),
            listed_on: None,
            nationality: None,
            imo: None,
        })
}

proptest! {
    #[test]
    fn parsers_never_panic(text in any::<String>(), regime in proptest::option::of("[a-zA-Z ]{0,6}")) {
        let _ = parse_un_xml(&text, regime.as_deref());
        let _ = parse_simple_csv(&text);
        let _ = parse_simple_yaml(&text);
    }

    #[test]
    fn xml_reader_never_panics(text in xmlish()) {
        if let Err(ListError::Xml { line, column, .. }) = parse_un_xml(&text, Some("DPRK")) {
            prop_assert!(line >= 1 && column >= 1);
            prop_assert!(line <= text.lines().count().max(1) + 1);
        }
    }

    #[test]
    fn simple_parsers_never_panic_on_near_valid_input(
        rows in prop::collection::vec("[-a-zA-Z0-9 ;,\"#\u{2019}:{}\\[\\]]{0,20}", 0..6)
    ) {
        let csv = format!("name,aliases,reference,type,imo\n{}", rows.join("\n"));
        let _ = parse_simple_csv(&csv);
        let yaml = format!("parties:\n{}", rows.iter().map(|r| format!("  - {r}\n")).collect::<String>());
        let _ = parse_simple_yaml(&yaml);
    }

    #[test]
    fn name_variants_are_never_empty(p in arb_party()) {
        let variants = name_variants(&p);
        let mut seen = HashSet::new();
        for v in &variants {
            let folded = fold_term(&v.term);
            prop_assert!(!v.term.trim().is_empty());
            prop_assert!(folded.bytes().any(|b| b.is_ascii_alphanumeric()), "{:?}", v);
            prop_assert!(!v.term.contains('*'));
            prop_assert!(seen.insert(folded));
        }
    }

    #[test]
    fn rule_yaml_round_trips(parties in prop::collection::vec(arb_party(), 0..4), name in any::<String>()) {
        let mut list = WatchlistDef { name, ..WatchlistDef::default() };
        for (i, mut p) in parties.into_iter().enumerate() {
            p.reference = format!("{}{i}", p.reference);
            list.parties.push(p);
        }
        list.generated = Some("2030\u{2028}\u{85}\u{7f}\u{feff}x".into());
        prop_assert_eq!(round_trip(&list), list);
    }
}

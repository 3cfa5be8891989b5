#[test]
fn dump() {
    let text = std::fs::read_to_string("../shared/data/un-consolidated-dprk.xml").unwrap();
    let l = sanctions_check::watchlist::un_xml::parse_un_xml(&text, Some("DPRK")).unwrap();
    println!("{} {:?} {}", l.name, l.generated, l.parties.len());
    for p in &l.parties {
        println!(
            "== {} {:?} {:?} {:?} {:?}",
            p.reference,
            p.name,
            p.nationality,
            p.listed_on,
            p.aliases
                .iter()
                .map(|a| (&a.name, a.quality))
                .collect::<Vec<_>>()
        );
        for v in sanctions_check::watchlist::variants::name_variants(p) {
            println!(
                "   {}{} {:?} {}",
                if v.needs_context { "C" } else { " " },
                if v.quality == sanctions_check::watchlist::Quality::Low {
                    "L"
                } else {
                    " "
                },
                v.term,
                if v.primary { "" } else { "(alias)" }
            );
        }
    }
}

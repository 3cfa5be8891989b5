//! The bundled pack on the project's own fixture documents: every expected
//! category is flagged (at confidence 0.5 or more) and none of the forbidden
//! ones, per `tests/fixtures/articles/expectations.yaml`. Prints per-category
//! recall and false alarms.

use std::collections::{BTreeMap, BTreeSet};

use assert_cmd::Command;
use serde::Deserialize;

/// A finding counts as a flag when its confidence is at least this.
const STRONG: f64 = 0.5;

#[derive(Deserialize)]
struct Expectations {
    documents: BTreeMap<String, Expected>,
}

#[derive(Deserialize)]
struct Expected {
    #[serde(default)]
    must: Vec<String>,
    #[serde(default)]
    must_not: Vec<String>,
}

#[test]
#[allow(clippy::print_stdout)] // the per-category figures are the point of this test
fn bundled_pack_flags_expected_categories_and_no_forbidden_ones() {
    let dir = "tests/fixtures/articles";
    let text = std::fs::read_to_string(format!("{dir}/expectations.yaml")).unwrap();
    let exp: Expectations = serde_saphyr::from_str(&text).unwrap();
    let out = Command::cargo_bin("sanctions-check")
        .unwrap()
        .args(["scan", "--format", "json", "--quiet", dir])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["errors"].as_array().unwrap().is_empty());
    let mut flagged: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in json["findings"].as_array().unwrap() {
        if f["confidence"].as_f64().unwrap() >= STRONG {
            let path = f["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap().to_owned();
            flagged
                .entry(name)
                .or_default()
                .insert(f["category"].as_str().unwrap().to_owned());
        }
    }
    let mut problems = Vec::new();
    let mut stats: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new(); // expected, found, false alarms
    for (doc, e) in &exp.documents {
        assert!(
            std::path::Path::new(&format!("{dir}/{doc}")).exists(),
            "{doc} listed but missing"
        );
        let got = flagged.get(doc).cloned().unwrap_or_default();
        for c in &e.must {
            let s = stats.entry(c.clone()).or_default();
            s.0 += 1;
            if got.contains(c) {
                s.1 += 1;
            } else {
                problems.push(format!("{doc}: expected {c}, flagged {got:?}"));
            }
        }
        for c in &e.must_not {
            if got.contains(c) {
                stats.entry(c.clone()).or_default().2 += 1;
                problems.push(format!("{doc}: must not flag {c}"));
            }
        }
    }
    for (cat, (expected, found, false_alarms)) in &stats {
        println!("{cat:20} recall {found}/{expected}  false alarms {false_alarms}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

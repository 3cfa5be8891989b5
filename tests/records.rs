//! Trade records with the bundled UN DPRK pack: customs lines (CSV), payment
//! messages (JSON Lines), bills of lading (JSON array and object), shipment
//! lists (YAML) and a field-mapping file, all in `tests/fixtures/records/`
//! (its README says which line must be flagged with which category).
//!
//! The binary is driven with the bundled pack (no `--rules`), so these tests
//! check `rules/un-dprk/records.yaml` as users get it. Library-level tests
//! read the same files through `sanctions_check::records`, and property
//! tests cover HS code spellings, unit conversions and malformed input.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;
use proptest::prelude::*;
use serde_json::Value;

use sanctions_check::records::hs::HsRange;
use sanctions_check::records::quantity::{Unit, convert};
use sanctions_check::records::{RecordFormat, Records, read_records};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const DIR: &str = "tests/fixtures/records";

/// Confidence under which the project treats a finding as weak.
const STRONG: f64 = 0.5;

/// Barrels per tonne the pack uses for refined products (HS 2710).
const REFINED_BBL_PER_T: f64 = 7.33;
/// Barrels per tonne the pack uses for crude (HS 2709), from 2397 OP4.
const CRUDE_BBL_PER_T: f64 = 7.62;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture's path relative to the crate root (the binary's working folder).
fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

fn read_fixture(name: &str) -> String {
    std::fs::read_to_string(root().join(DIR).join(name))
        .unwrap_or_else(|e| panic!("cannot read fixture {name}: {e}"))
}

/// The binary, run from the crate root with the bundled pack.
fn bin() -> Command {
    let mut c = Command::cargo_bin("sanctions-check").expect("binary built");
    c.current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .timeout(Duration::from_secs(120));
    c
}

/// What `scan --format json` gave.
struct Scan {
    code: Option<i32>,
    doc: Value,
    stderr: String,
}

impl Scan {
    fn findings(&self) -> &[Value] {
        self.doc["findings"]
            .as_array()
            .map(Vec::as_slice)
            .expect("findings array")
    }

    /// Findings of one record.
    fn of_record(&self, record: u64) -> Vec<&Value> {
        self.findings()
            .iter()
            .filter(|f| f["record"].as_u64() == Some(record))
            .collect()
    }

    /// (record, category) of every finding with at least `min` confidence.
    fn pairs(&self, min: f64) -> BTreeSet<(u64, String)> {
        self.findings()
            .iter()
            .filter(|f| f["confidence"].as_f64().expect("confidence") >= min)
            .map(|f| {
                (
                    f["record"].as_u64().expect("record number"),
                    f["category"].as_str().expect("category").to_owned(),
                )
            })
            .collect()
    }

    /// The first finding of `record` in `category`.
    fn finding(&self, record: u64, category: &str) -> &Value {
        self.findings()
            .iter()
            .find(|f| f["record"].as_u64() == Some(record) && f["category"] == category)
            .unwrap_or_else(|| {
                panic!(
                    "no {category} finding for record {record}; findings: {:?}",
                    self.pairs(0.0)
                )
            })
    }

    fn error_messages(&self) -> Vec<String> {
        self.doc["errors"]
            .as_array()
            .expect("errors array")
            .iter()
            .map(|e| e["message"].as_str().expect("message").to_owned())
            .collect()
    }
}

/// `sanctions-check scan -q --format json ARGS...` with the bundled pack.
fn scan(args: &[&str]) -> Scan {
    let out = bin()
        .args(["scan", "-q", "--format", "json"])
        .args(args)
        .output()
        .expect("binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let doc: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}"));
    Scan {
        code: out.status.code(),
        doc,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn pair(record: u64, category: &str) -> (u64, String) {
    (record, category.to_owned())
}

/// Checks that each (record, line, category, field) is flagged at full strength.
fn assert_flagged(s: &Scan, expected: &[(u64, u64, &str, &str)]) {
    for &(record, line, category, field) in expected {
        let f = s.finding(record, category);
        assert_eq!(f["line"].as_u64(), Some(line), "line of record {record}");
        assert_eq!(f["field"], field, "field of record {record} ({category})");
        assert!(
            f["confidence"].as_f64().unwrap() >= STRONG,
            "record {record} ({category}) is weak: {f}"
        );
        assert!(
            f["rule"]
                .as_str()
                .unwrap()
                .starts_with(&format!("un-dprk.{category}.")),
            "rule id of record {record}: {}",
            f["rule"]
        );
    }
}

/// Checks that these records have no finding at all.
fn assert_silent(s: &Scan, records: &[u64]) {
    for &r in records {
        let found = s.of_record(r);
        assert!(
            found.is_empty(),
            "record {r} must not be flagged: {found:?}"
        );
    }
}

/// Checks that these records have no finding at `STRONG` confidence or above.
fn assert_not_strong(s: &Scan, records: &[u64]) {
    for &r in records {
        for f in s.of_record(r) {
            assert!(
                f["confidence"].as_f64().unwrap() < STRONG,
                "record {r} must be weak at most: {f}"
            );
        }
    }
}

fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.01
}

/// Checks a finding's quantity: in barrels, `tonnes` converted at `per_tonne`.
fn assert_barrels(f: &Value, tonnes: f64, per_tonne: f64) {
    let q = &f["quantity"];
    assert_eq!(q["unit"], "barrels", "quantity of {f}");
    let v = q["value"].as_f64().expect("quantity value");
    assert!(
        approx(v, tonnes * per_tonne),
        "{v} barrels, expected {tonnes} t x {per_tonne} = {}",
        tonnes * per_tonne
    );
}

// ---------------------------------------------------------------------------
// customs-lines.csv
// ---------------------------------------------------------------------------

/// (record, line, category) of every prohibited line of customs-lines.csv.
const CUSTOMS_PROHIBITED: &[(u64, u64, &str)] = &[
    (1, 2, "minerals"),
    (2, 3, "seafood"),
    (3, 4, "petroleum"),
    (4, 5, "petroleum"),
    (5, 6, "textiles"),
    (6, 7, "luxury_goods"),
    // record 6 spans two lines (a quoted line break), so lines shift by one
    (7, 9, "trade_goods"),
    (8, 10, "military"),
    (9, 11, "petroleum"),
    (10, 12, "minerals"),
    (11, 13, "trade_goods"),
];

#[test]
fn customs_lines_flag_every_prohibited_line_and_nothing_else() {
    let s = scan(&[&fixture("customs-lines.csv")]);
    let expected: Vec<_> = CUSTOMS_PROHIBITED
        .iter()
        .map(|&(r, l, c)| (r, l, c, "HS Code"))
        .collect();
    assert_flagged(&s, &expected);
    let want: BTreeSet<_> = CUSTOMS_PROHIBITED
        .iter()
        .map(|&(r, _, c)| pair(r, c))
        .collect();
    assert_eq!(s.pairs(STRONG), want, "strong findings");
    for f in s.findings() {
        assert_eq!(
            f["path"],
            fixture("customs-lines.csv"),
            "path of every finding"
        );
    }
}

#[test]
fn customs_lines_south_korean_and_third_country_lines_are_not_flagged() {
    let s = scan(&[&fixture("customs-lines.csv")]);
    // 12-15, 21: South Korea as origin or destination ("KR", "Korea, Republic of");
    // 16, 17, 22: the same goods between other countries.
    assert_silent(&s, &[12, 13, 14, 15, 16, 17, 21, 22]);
}

#[test]
fn customs_lines_exempt_lines_are_weak_with_a_note() {
    let s = scan(&[&fixture("customs-lines.csv")]);
    assert_not_strong(&s, &[18, 20]);
    // record 18: vaccine refrigerators under a 1718 Committee exemption
    let f = s.finding(18, "trade_goods");
    assert!(approx(f["confidence"].as_f64().unwrap(), 0.3), "{f}");
    let notes = f["notes"].to_string();
    assert!(notes.contains("1718 Committee"), "{notes}");
    // record 20: Russian coal through Rajin (2371 OP8 exemption)
    let f = s.finding(20, "minerals");
    assert!(approx(f["confidence"].as_f64().unwrap(), 0.3), "{f}");
    assert!(f["notes"].to_string().contains("Rajin"), "{f}");
}

#[test]
fn customs_lines_broken_row_is_an_error_and_the_rest_is_scanned() {
    let s = scan(&[&fixture("customs-lines.csv")]);
    assert_eq!(s.code, Some(2), "a record error exits with 2");
    let errors = s.error_messages();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("record 19 (line 21)"),
        "error names the record and line: {}",
        errors[0]
    );
    assert!(s.stderr.contains("record 19 (line 21)"), "{}", s.stderr);
    assert_eq!(s.doc["summary"]["errors"], 1);
    // rows after the broken one are still read
    assert!(!s.of_record(20).is_empty(), "record 20 was scanned");
    assert_eq!(
        s.doc["summary"]["findings"].as_u64(),
        Some(s.findings().len() as u64)
    );
}

#[test]
fn customs_lines_petroleum_quantities_are_in_barrels() {
    let s = scan(&[&fixture("customs-lines.csv")]);
    let refined = s.finding(3, "petroleum");
    assert_eq!(refined["rule"], "un-dprk.petroleum.records-refined-to-dprk");
    assert_barrels(refined, 1200.0, REFINED_BBL_PER_T);
    let crude = s.finding(4, "petroleum");
    assert_eq!(crude["rule"], "un-dprk.petroleum.records-crude-to-dprk");
    assert_barrels(crude, 525.0, CRUDE_BBL_PER_T);
    // 525,000 t is 4 million barrels at the 2397 OP4 ratio
    assert!((525_000.0 * CRUDE_BBL_PER_T - 4_000_000.0).abs() < 4_000_000.0 * 0.001);
}

#[test]
fn customs_lines_findings_cite_and_date_their_rule() {
    let s = scan(&[&fixture("customs-lines.csv")]);
    for f in s.findings() {
        assert_eq!(f["proximity"], "record", "{f}");
        assert!(
            f["effective"].as_str().is_some_and(|d| d.len() == 10),
            "{f}"
        );
        let citations = f["citations"].as_array().expect("citations");
        assert!(!citations.is_empty(), "{f}");
        for c in citations {
            let text = c["text"].as_str().unwrap();
            if c["verified"] == false {
                assert!(text.contains("unverified"), "{text}");
            }
        }
    }
    let seafood = s.finding(2, "seafood");
    assert_eq!(seafood["effective"], "2017-08-05");
    assert_eq!(
        seafood["citations"][0]["text"],
        "UNSCR 2371 (2017), paragraph 9"
    );
}

#[test]
fn customs_lines_csv_output_has_record_and_field_columns() {
    let out = bin()
        .args([
            "scan",
            "-q",
            "--format",
            "csv",
            &fixture("customs-lines.csv"),
        ])
        .output()
        .expect("binary runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header row")
        .iter()
        .map(str::to_owned)
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no `{name}` column in {header:?}"))
    };
    let (record, field, category, line, quantity) = (
        col("record"),
        col("field"),
        col("category"),
        col("line"),
        col("quantity"),
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("CSV row")).collect();
    assert_eq!(rows.len(), 13, "one row per finding");
    let petroleum = rows
        .iter()
        .find(|r| &r[record] == "3")
        .expect("a row for record 3");
    assert_eq!(&petroleum[field], "HS Code");
    assert_eq!(&petroleum[category], "petroleum");
    assert_eq!(&petroleum[line], "4");
    assert!(petroleum[quantity].contains("barrels"), "{petroleum:?}");
    assert!(
        rows.iter()
            .all(|r| !r[record].is_empty() && !r[field].is_empty())
    );
}

// ---------------------------------------------------------------------------
// payments.jsonl (text rules on the remittance field)
// ---------------------------------------------------------------------------

#[test]
fn payments_for_dprk_goods_are_flagged_in_their_remittance_field() {
    let s = scan(&[&fixture("payments.jsonl")]);
    let required = [
        (1, "minerals"),
        (3, "seafood"),
        (4, "petroleum"),
        (8, "seafood"),
        (12, "petroleum"),
    ];
    let strong = s.pairs(STRONG);
    for (r, c) in required {
        assert!(strong.contains(&pair(r, c)), "({r}, {c}) in {strong:?}");
        let f = s.finding(r, c);
        // one record per line: the record number is its line
        assert_eq!(f["line"].as_u64(), Some(r));
        assert_eq!(f["field"], "remittance_information");
        for e in f["evidence"].as_array().unwrap() {
            assert_eq!(e["field"], "remittance_information");
        }
    }
    // only the prohibited payments are flagged
    let flagged: BTreeSet<u64> = strong.iter().map(|(r, _)| *r).collect();
    assert_eq!(flagged, BTreeSet::from([1, 3, 4, 8, 12]));
}

#[test]
fn payments_ordinary_south_korean_and_humanitarian_are_not_strong() {
    let s = scan(&[&fixture("payments.jsonl")]);
    assert_silent(&s, &[2, 5, 7, 10, 11]);
    assert_not_strong(&s, &[9]);
}

#[test]
fn payments_broken_line_is_an_error_and_the_rest_is_scanned() {
    let s = scan(&[&fixture("payments.jsonl")]);
    assert_eq!(s.code, Some(2));
    let errors = s.error_messages();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("record 6 (line 6)"), "{}", errors[0]);
    assert!(!s.of_record(8).is_empty() && !s.of_record(12).is_empty());
}

// ---------------------------------------------------------------------------
// manifest.json, manifest-object.json, shipments.yaml
// ---------------------------------------------------------------------------

#[test]
fn manifest_array_flags_the_dprk_bills_of_lading() {
    let s = scan(&[&fixture("manifest.json")]);
    assert_eq!(s.code, Some(1), "findings and no error");
    assert!(s.error_messages().is_empty());
    assert_flagged(
        &s,
        &[
            (1, 2, "petroleum", "items.0.hs_code"),
            (2, 14, "minerals", "items.0.hs_code"),
            (4, 39, "trade_goods", "items.0.hs_code"),
            (6, 64, "seafood", "items.0.hs_code"),
        ],
    );
    assert_eq!(
        s.pairs(STRONG),
        BTreeSet::from([
            pair(1, "petroleum"),
            pair(2, "minerals"),
            pair(4, "trade_goods"),
            pair(6, "seafood"),
        ])
    );
    // 3: South Korean shipper to the US; 5: diesel Singapore to Indonesia
    assert_silent(&s, &[3, 5]);
    assert_barrels(s.finding(1, "petroleum"), 950.0, REFINED_BBL_PER_T);
}

#[test]
fn manifest_evidence_names_nested_fields_by_dotted_path() {
    let s = scan(&[&fixture("manifest.json")]);
    let fields = |r: u64, c: &str| -> BTreeSet<String> {
        s.finding(r, c)["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect()
    };
    // consignee in Pyongyang, notify party, DPRK-flagged tanker, port Nampo
    let petroleum = fields(1, "petroleum");
    for p in [
        "items.0.hs_code",
        "consignee.country",
        "port_of_discharge",
        "vessel.flag",
    ] {
        assert!(petroleum.contains(p), "{p} in {petroleum:?}");
    }
    // shipper from Nampo
    let coal = fields(2, "minerals");
    assert!(coal.contains("shipper.country"), "{coal:?}");
    assert!(coal.contains("port_of_loading"), "{coal:?}");
    // consignee address in Sinuiju, declared country CN
    assert!(fields(4, "trade_goods").contains("consignee.address"));
    // squid declared Chinese on a DPRK-flagged vessel
    assert!(fields(6, "seafood").contains("vessel.flag"));
}

#[test]
fn manifest_object_is_one_record() {
    let s = scan(&[&fixture("manifest-object.json")]);
    assert_flagged(&s, &[(1, 1, "textiles", "items.0.hs_code")]);
    assert_eq!(s.pairs(0.0), BTreeSet::from([pair(1, "textiles")]));
}

#[test]
fn shipments_yaml_flags_the_dprk_shipments() {
    let s = scan(&[&fixture("shipments.yaml")]);
    assert!(s.error_messages().is_empty());
    assert_flagged(
        &s,
        &[
            (1, 2, "petroleum", "hs_code"),
            (2, 9, "luxury_goods", "hs_code"),
            (2, 9, "trade_goods", "hs_code"),
            (4, 23, "textiles", "hs_code"),
            (6, 40, "military", "hs_code"),
            (6, 40, "trade_goods", "hs_code"),
        ],
    );
    assert_eq!(
        s.pairs(STRONG),
        BTreeSet::from([
            pair(1, "petroleum"),
            pair(2, "luxury_goods"),
            pair(2, "trade_goods"),
            pair(4, "textiles"),
            pair(6, "military"),
            pair(6, "trade_goods"),
        ])
    );
    // 3: yacht to South Korea; 5: coal Australia to Japan; 7: South Korean tanks to Poland
    assert_silent(&s, &[3, 5, 7]);
    let crude = s.finding(1, "petroleum");
    assert_eq!(crude["rule"], "un-dprk.petroleum.records-crude-to-dprk");
    assert_barrels(crude, 10_000.0, CRUDE_BBL_PER_T);
}

// ---------------------------------------------------------------------------
// --fields, empty files
// ---------------------------------------------------------------------------

#[test]
fn renamed_columns_need_the_field_map() {
    let without = scan(&[&fixture("renamed-columns.csv")]);
    assert_eq!(without.code, Some(0), "no finding without the map");
    assert!(without.findings().is_empty());

    let with = scan(&[
        "--fields",
        &fixture("field-map.yaml"),
        &fixture("renamed-columns.csv"),
    ]);
    assert_eq!(with.code, Some(1));
    assert_flagged(
        &with,
        &[
            (1, 2, "petroleum", "tariff_no"),
            (3, 4, "trade_goods", "tariff_no"),
        ],
    );
    assert_eq!(
        with.pairs(0.0),
        BTreeSet::from([pair(1, "petroleum"), pair(3, "trade_goods")])
    );
    assert_barrels(with.finding(1, "petroleum"), 500.0, REFINED_BBL_PER_T);
    let evidence = with.finding(1, "petroleum")["evidence"].to_string();
    assert!(evidence.contains("buyer_ctry"), "{evidence}");
}

#[test]
fn a_csv_with_only_a_header_gives_nothing() {
    let s = scan(&[&fixture("empty.csv")]);
    assert_eq!(s.code, Some(0));
    assert!(s.findings().is_empty());
    assert!(s.error_messages().is_empty());
    assert_eq!(s.doc["summary"]["files"], 1);
}

#[test]
fn the_fixture_readme_lists_every_fixture() {
    let readme = read_fixture("README.md");
    for entry in std::fs::read_dir(root().join(DIR)).expect("fixture folder") {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name != "README.md" {
            assert!(readme.contains(&name), "README.md does not describe {name}");
        }
    }
}

// ---------------------------------------------------------------------------
// Library: read_records on every format
// ---------------------------------------------------------------------------

fn value<'a>(r: &'a Records, record: usize, path: &str) -> Option<&'a str> {
    r.records
        .iter()
        .find(|x| x.number == record)?
        .fields
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.value.as_str())
}

#[test]
fn read_records_csv_numbers_rows_and_lines() {
    let r = read_records(RecordFormat::Csv, &read_fixture("customs-lines.csv"));
    assert_eq!(r.records.len(), 21);
    assert_eq!(r.errors.len(), 1);
    assert_eq!((r.errors[0].number, r.errors[0].line), (19, 21));
    let lines: Vec<(usize, usize)> = r.records.iter().map(|x| (x.number, x.line)).collect();
    assert_eq!(lines[0], (1, 2));
    assert_eq!(lines[5], (6, 7));
    assert_eq!(lines[6], (7, 9), "the row after a quoted line break");
    assert_eq!(lines.last(), Some(&(22, 24)));
    assert_eq!(value(&r, 3, "HS Code"), Some("2710.19.43"));
    assert_eq!(
        value(&r, 2, "Country of Origin"),
        Some("Korea, Democratic People's Republic of")
    );
    assert_eq!(
        value(&r, 6, "Description of Goods"),
        Some("Wrist-watches, automatic,\nstainless steel case")
    );
    // empty cells are left out
    assert_eq!(value(&r, 1, "Remarks"), None);

    let empty = read_records(RecordFormat::Csv, &read_fixture("empty.csv"));
    assert!(empty.records.is_empty() && empty.errors.is_empty());
}

#[test]
fn read_records_json_lines_flattens_nested_objects() {
    let r = read_records(RecordFormat::JsonLines, &read_fixture("payments.jsonl"));
    assert_eq!(r.records.len(), 11);
    assert_eq!(r.errors.len(), 1);
    assert_eq!((r.errors[0].number, r.errors[0].line), (6, 6));
    assert!(r.records.iter().all(|x| x.number == x.line));
    assert_eq!(value(&r, 1, "ordering_customer.country"), Some("VN"));
    assert_eq!(value(&r, 5, "beneficiary.country"), Some("KR"));
    assert_eq!(
        value(&r, 3, "beneficiary.name"),
        Some("Golden Tide Trading Ltd")
    );
    assert!(value(&r, 4, "remittance_information").is_some_and(|v| v.contains("CFR NAMPO")));
}

#[test]
fn read_records_json_array_gives_dotted_paths_and_start_lines() {
    let r = read_records(RecordFormat::Json, &read_fixture("manifest.json"));
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let lines: Vec<usize> = r.records.iter().map(|x| x.line).collect();
    assert_eq!(lines, [2, 14, 26, 39, 52, 64]);
    assert_eq!(value(&r, 1, "consignee.country"), Some("KP"));
    assert_eq!(value(&r, 1, "vessel.flag"), Some("KP"));
    assert_eq!(value(&r, 1, "items.0.hs_code"), Some("2710.19.43"));
    assert_eq!(value(&r, 3, "items.1.hs_code"), Some("8528.72"));
    assert_eq!(value(&r, 4, "consignee.address"), Some("Sinuiju"));

    let one = read_records(RecordFormat::Json, &read_fixture("manifest-object.json"));
    assert_eq!(one.records.len(), 1);
    assert_eq!((one.records[0].number, one.records[0].line), (1, 1));
    assert_eq!(value(&one, 1, "items.1.hs_code"), Some("6110.20"));
    assert_eq!(value(&one, 1, "shipper.address"), Some("Pyongyang"));
}

#[test]
fn read_records_yaml_sequence_of_mappings() {
    let r = read_records(RecordFormat::Yaml, &read_fixture("shipments.yaml"));
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let lines: Vec<usize> = r.records.iter().map(|x| x.line).collect();
    assert_eq!(lines, [2, 9, 16, 23, 33, 40, 47]);
    assert_eq!(value(&r, 1, "hs_code"), Some("2709.00"));
    assert_eq!(value(&r, 1, "quantity"), Some("10000"));
    assert_eq!(value(&r, 4, "consignee.country"), Some("CN"));
    assert_eq!(
        value(&r, 4, "origin"),
        Some("Korea, Democratic People's Republic of")
    );
}

#[test]
fn record_format_follows_the_extension() {
    use std::path::Path;
    let of = |p: &str| RecordFormat::of_path(Path::new(p));
    assert_eq!(of("a/customs-lines.csv"), Some(RecordFormat::Csv));
    assert_eq!(of("payments.JSONL"), Some(RecordFormat::JsonLines));
    assert_eq!(of("x.ndjson"), Some(RecordFormat::JsonLines));
    assert_eq!(of("manifest.json"), Some(RecordFormat::Json));
    assert_eq!(of("shipments.yml"), Some(RecordFormat::Yaml));
    assert_eq!(of("README.md"), None);
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

/// A code written as digit groups with random separators (dots, spaces,
/// dashes) between them and random spaces around it.
fn spelled(digits: String) -> impl Strategy<Value = String> {
    let n = digits.len();
    (
        proptest::collection::vec(any::<bool>(), n.saturating_sub(1)),
        proptest::collection::vec(
            prop::sample::select(vec![".", " ", "-", ". ", " .", "  ", ".."]),
            n,
        ),
        prop::sample::select(vec!["", " ", "  "]),
        prop::sample::select(vec!["", " ", "\t"]),
    )
        .prop_map(move |(cuts, seps, lead, trail)| {
            let mut s = String::from(lead);
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && cuts[i - 1] {
                    s.push_str(seps[i]);
                }
                s.push(c);
            }
            s.push_str(trail);
            s
        })
}

/// Digits of a code under heading `heading`: a subheading and optional
/// national digits.
fn code_under(heading: &'static str) -> impl Strategy<Value = String> {
    ("[0-9]{2}", prop::option::of("[0-9]{2,4}"))
        .prop_map(move |(sub, national)| format!("{heading}{sub}{}", national.unwrap_or_default()))
}

const UNITS: [Unit; 6] = [
    Unit::Barrels,
    Unit::CubicMetres,
    Unit::Litres,
    Unit::Tonnes,
    Unit::Kilograms,
    Unit::Pounds,
];

fn is_mass(u: Unit) -> bool {
    matches!(u, Unit::Tonnes | Unit::Kilograms | Unit::Pounds)
}

const FORMATS: [RecordFormat; 4] = [
    RecordFormat::Json,
    RecordFormat::JsonLines,
    RecordFormat::Csv,
    RecordFormat::Yaml,
];

proptest! {
    #[test]
    fn every_spelling_of_a_2710_code_is_in_2710(
        s in code_under("2710").prop_flat_map(spelled)
    ) {
        let refined = HsRange::parse("2710").unwrap();
        prop_assert!(refined.contains(&s), "{s:?} not in 2710");
        prop_assert!(HsRange::parse("27").unwrap().contains(&s), "{s:?} not in 27");
        prop_assert!(!HsRange::parse("2709").unwrap().contains(&s), "{s:?} in 2709");
    }

    #[test]
    fn fixed_spellings_of_2710_19_agree(
        s in prop::sample::select(vec!["271019", "27101900", "2710194300"]).prop_flat_map(|d| spelled(d.to_owned()))
    ) {
        prop_assert!(HsRange::parse("2710").unwrap().contains(&s), "{s:?}");
        prop_assert!(HsRange::parse("2710.19").unwrap().contains(&s), "{s:?}");
        prop_assert!(HsRange::parse("2701-2711").unwrap().contains(&s), "{s:?}");
        prop_assert!(!HsRange::parse("2710.12").unwrap().contains(&s), "{s:?}");
    }

    #[test]
    fn unit_conversions_round_trip(
        x in 1e-6f64..1e12,
        a in prop::sample::select(UNITS.to_vec()),
        b in prop::sample::select(UNITS.to_vec()),
        k in prop::option::of(0.5f64..20.0),
    ) {
        let there = convert(x, a, b, k);
        let across = is_mass(a) != is_mass(b);
        // mass and volume convert only with a factor; the rest always
        prop_assert_eq!(there.is_some(), !across || k.is_some(), "{:?} -> {:?} with {:?}", a, b, k);
        if let Some(y) = there {
            prop_assert!(y.is_finite() && y > 0.0);
            let back = convert(y, b, a, k).expect("the way back is defined too");
            prop_assert!((back - x).abs() <= 1e-9 * x.abs().max(1.0), "{x} {a:?} -> {y} {b:?} -> {back}");
        }
    }

    #[test]
    fn read_records_never_panics_on_any_text(
        text in ".{0,300}",
        format in prop::sample::select(FORMATS.to_vec()),
    ) {
        let r = read_records(format, &text);
        for rec in &r.records {
            prop_assert!(rec.number >= 1 && rec.line >= 1);
        }
    }

    #[test]
    fn read_records_never_panics_on_structured_debris(
        text in r#"[\[\]{}":,\n\r \t\-a-z0-9'#&*|>!%@.\\]{0,300}"#,
        format in prop::sample::select(FORMATS.to_vec()),
    ) {
        let r = read_records(format, &text);
        let lines = text.split('\n').count().max(1);
        for rec in &r.records {
            prop_assert!(rec.number >= 1 && rec.line >= 1 && rec.line <= lines, "{rec:?}");
        }
    }
}

#[test]
fn read_records_survives_deep_nesting() {
    let deep = "[".repeat(100_000);
    let deep_object = format!("{{\"a\": {}}}", "[".repeat(100_000));
    let deep_yaml: String = (0..2_000)
        .map(|i| format!("{}- \n", "  ".repeat(i)))
        .collect();
    for format in FORMATS {
        for text in [&deep, &deep_object, &deep_yaml] {
            let r = read_records(format, text);
            assert!(
                r.records.len() + r.errors.len() <= 1 + text.lines().count(),
                "{format:?}"
            );
        }
    }
}

//! Reliability: hostile rule files, hostile documents and hostile folders.
//!
//! Every case must end quickly with a result or a located error: no panic,
//! no hang, no unbounded memory. The cases are:
//!
//! * the inputs that fuzzing found bugs with, replayed from
//!   `tests/fixtures/fuzz-regressions/<target>/` through the entry point of
//!   the fuzz target of the same name (`rules`, `scan`, `records`,
//!   `stream`; see `fuzz/`);
//! * rule files past every limit (aliases, nesting, size, regex size, term
//!   count, condition depth), each refused with its diagnostic code;
//! * documents with invalid UTF-8, NUL bytes, CR and CRLF line ends, nothing
//!   at all, megabytes on one line, or a million separators;
//! * streamed scans (large files, standard input) against whole scans;
//! * the binary on folders with a symbolic-link loop, a FIFO, an unreadable
//!   subfolder, and on many files with several worker threads;
//! * (ignored, run by hand) a 300 MB file with the release binary.
//!
//! The document cases use their own small rule file ([`RULES`]), so they do
//! not move when the bundled pack changes; the fuzz replays use the bundled
//! pack, as the fuzz targets do.
//!
//! Tests marked `#[ignore = "BUG: ..."]` pin bugs found while writing this
//! file and not fixed yet: run them with `-- --ignored`, and remove the
//! `ignore` once the bug is fixed. Set `RELIABILITY_TIMES=1` (with
//! `--nocapture`) to print how long each timed step took.

use std::fs;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use sanctions_check::document::{decode, looks_binary};
use sanctions_check::records::roles::FieldMap;
use sanctions_check::records::{RecordFormat, read_records};
use sanctions_check::stream;
use sanctions_check::{Code, Finding, LoadError, RuleSet};
use serde_json::Value;
use tempfile::TempDir;

// ---------------------------------------------------------------------------
// Fixtures and helpers
// ---------------------------------------------------------------------------

/// A small rule file: one rule that needs a DPRK name, a fuel and a verb in
/// one sentence.
const RULES: &str = r#"
lists:
  dprk:
    terms: [DPRK, North Korea*, Pyongyang, Nampo]
  fuel:
    terms: [diesel, gasoil, fuel oil]
rules:
  - id: rel.fuel
    title: Fuel delivered to the DPRK
    category: petroleum
    severity: high
    citations:
      - instrument: UNSCR 2397 (2017)
        paragraph: "5"
        verified: true
    match:
      all:
        - list: dprk
        - list: fuel
        - terms: [delivered, shipped, sold]
"#;

/// One sentence that `rel.fuel` flags; its evidence is `delivered`, `diesel`
/// and `Nampo`.
const HIT: &str = "The tanker delivered diesel to Nampo.";

/// A sentence no rule flags (of the test rules or of the bundled pack).
const FILLER: &str = "Light rain is expected on Tuesday, clearing from the north by noon. ";

/// Prints a note for the person running the tests (skips, timings,
/// measurements): the one place this file writes to stderr.
macro_rules! note {
    ($($arg:tt)*) => {{
        #[allow(clippy::print_stderr)]
        {
            eprintln!($($arg)*);
        }
    }};
}

/// The test rule set, compiled once.
fn rules() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(|| RuleSet::from_yaml("reliability.yaml", RULES).expect("test rules compile"))
}

/// The bundled pack, compiled once (the fuzz targets use it).
fn builtin() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(|| RuleSet::builtin().expect("the bundled pack compiles"))
}

/// The crate root.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `f`, failing if it takes longer than `limit` (debug builds included).
fn timed<T>(what: &str, limit: Duration, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    let took = t.elapsed();
    if std::env::var_os("RELIABILITY_TIMES").is_some() {
        note!("{what}: {took:?}");
    }
    assert!(took <= limit, "{what} took {took:?}, more than {limit:?}");
    out
}

/// Time allowed for scanning a document of a few megabytes: generous, as
/// the tests run side by side and unoptimized (the point is to catch
/// super-linear behaviour, which takes minutes, not to benchmark).
const SCAN_TIME: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(20)
} else {
    Duration::from_secs(5)
};

/// Checks what every text finding promises: offsets inside the text, on
/// character boundaries, evidence and excerpt verbatim.
fn check_text_findings(text: &str, findings: &[Finding]) {
    for f in findings {
        assert!(f.start <= f.end && f.end <= text.len(), "{f:?}");
        assert!(
            text.is_char_boundary(f.start),
            "start off a char boundary: {f:?}"
        );
        assert!(
            text.is_char_boundary(f.end),
            "end off a char boundary: {f:?}"
        );
        assert!(f.line >= 1 && f.column >= 1, "{f:?}");
        for e in &f.evidence {
            assert!(e.start <= e.end && e.end <= text.len(), "{e:?}");
            assert!(
                text.is_char_boundary(e.start) && text.is_char_boundary(e.end),
                "{e:?}"
            );
            assert_eq!(text[e.start..e.end], e.text, "evidence is not its slice");
        }
        let ex_end = f.excerpt_start + f.excerpt.len();
        assert!(ex_end <= text.len(), "{f:?}");
        assert_eq!(
            text[f.excerpt_start..ex_end],
            f.excerpt,
            "excerpt not verbatim"
        );
    }
}

/// Evidence texts of the findings, in order.
fn evidence(findings: &[Finding]) -> Vec<&str> {
    findings
        .iter()
        .flat_map(|f| f.evidence.iter().map(|e| e.text.as_str()))
        .collect()
}

/// The load error of `text`, checked to come within `limit` and to carry
/// an error with `code`.
fn refused(what: &str, text: &str, code: Code, limit: Duration) -> LoadError {
    let r = timed(what, limit, || RuleSet::from_yaml("limit.yaml", text));
    let e = match r {
        Ok(_) => panic!("{what}: the rule file was accepted"),
        Err(e) => e,
    };
    assert!(
        e.diagnostics.iter().any(|d| d.code == code && d.is_error()),
        "{what}: expected {code}, got:\n{e}"
    );
    e
}

// ---------------------------------------------------------------------------
// Fuzz regressions
// ---------------------------------------------------------------------------

/// The `rules` fuzz target: bytes -> rule file.
fn fuzz_rules(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match RuleSet::from_yaml("fuzz.yaml", text) {
        Ok(rules) => {
            let _ = rules.scan_text(text);
            let _ = rules.check_examples();
        }
        Err(e) => {
            assert!(e.diagnostics.iter().any(|d| d.is_error()));
            let _ = e.render(false);
        }
    }
}

/// The `scan` fuzz target: bytes -> decoded document -> bundled pack.
fn fuzz_scan(data: &[u8]) {
    let _ = looks_binary(data);
    let decoded = decode(data);
    assert_eq!(decoded.text.len(), data.len());
    let findings = builtin().scan_text(&decoded.text);
    check_text_findings(&decoded.text, &findings);
}

/// The `records` fuzz target: first byte picks the format, the rest is the
/// record file.
fn fuzz_records(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let format = match selector % 4 {
        0 => RecordFormat::Json,
        1 => RecordFormat::JsonLines,
        2 => RecordFormat::Csv,
        _ => RecordFormat::Yaml,
    };
    let decoded = decode(rest);
    let records = read_records(format, &decoded.text);
    for f in builtin().scan_records(&records, &FieldMap::default()) {
        let record = f
            .record
            .and_then(|n| records.records.iter().find(|r| r.number == n))
            .expect("a record finding names a record that was read");
        for e in &f.evidence {
            let path = e.field.as_deref().expect("record evidence names its field");
            assert!(
                record
                    .fields
                    .iter()
                    .any(|fl| fl.path == path
                        && fl.value.get(e.start..e.end) == Some(e.text.as_str())),
                "evidence is not a slice of its field: {e:?}"
            );
        }
    }
}

/// The `stream` fuzz target: first byte picks a chunk size, the rest is a
/// document scanned in chunks.
fn fuzz_stream(data: &[u8]) {
    let Some((&selector, doc)) = data.split_first() else {
        return;
    };
    let text = decode(doc).text;
    let out = stream::scan_reader(builtin(), doc, 16 + 2 * selector as usize).unwrap();
    assert_eq!(out.bytes as usize, doc.len());
    for f in &out.findings {
        for e in &f.evidence {
            assert_eq!(text.get(e.start..e.end), Some(e.text.as_str()), "{e:?}");
        }
    }
}

#[test]
fn fuzz_regressions_replay_without_panic() {
    let dir = root().join("tests/fixtures/fuzz-regressions");
    let mut failures = Vec::new();
    let mut replayed = 0;
    let Ok(targets) = fs::read_dir(&dir) else {
        return; // nothing committed yet
    };
    for target in targets {
        let target = target.expect("readable folder").path();
        if !target.is_dir() {
            continue; // README and the like
        }
        let name = target.file_name().unwrap().to_string_lossy().into_owned();
        let entry: fn(&[u8]) = match name.as_str() {
            "rules" => fuzz_rules,
            "scan" => fuzz_scan,
            "records" => fuzz_records,
            "stream" => fuzz_stream,
            other => panic!("{}: no fuzz target is named `{other}`", target.display()),
        };
        let mut files: Vec<PathBuf> = fs::read_dir(&target)
            .expect("readable folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for file in files {
            let data = fs::read(&file).expect("readable input");
            let t = Instant::now();
            let r = catch_unwind(AssertUnwindSafe(|| entry(&data)));
            let took = t.elapsed();
            if r.is_err() {
                failures.push(format!("{}: panicked", file.display()));
            } else if took > SCAN_TIME {
                failures.push(format!("{}: took {took:?}", file.display()));
            }
            replayed += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {replayed} fuzz regressions fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------
// Rule files past the limits
// ---------------------------------------------------------------------------

/// A rule whose `match` is `condition` (a YAML flow mapping).
fn rule_with(condition: &str) -> String {
    format!(
        "rules:\n  - id: rel.limit\n    title: limit\n    category: test\n    severity: low\n    \
         citations: [{{ instrument: \"Test Act\" }}]\n    match: {condition}\n"
    )
}

/// A billion-laughs bomb where the format accepts it: conditions that
/// nest `any` of ten aliases of the level below, eight levels deep
/// (10^8 conditions once expanded, 80 aliases written).
fn condition_alias_bomb() -> String {
    let mut s = String::from(
        "rules:\n  - id: rel.bomb\n    title: bomb\n    category: test\n    severity: low\n    \
         match:\n      all:\n        - &c0 {terms: [lol]}\n",
    );
    for level in 1..=8 {
        let refs = vec![format!("*c{}", level - 1); 10].join(", ");
        s.push_str(&format!("        - &c{level} {{any: [{refs}]}}\n"));
    }
    s
}

/// Time allowed for refusing a rule file that makes the YAML reader build
/// its full node budget (500,000 nodes): about 1 s optimized, but several
/// seconds unoptimized.
const BUDGET_TIME: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(30)
} else {
    Duration::from_secs(5)
};

#[test]
fn alias_bomb_in_conditions_is_refused_as_a_limit() {
    // Refused once the YAML reader has built its node budget (500,000
    // nodes), not after 10^8; the reason is a safety limit, so E013 like
    // every other budget breach.
    refused(
        "alias bomb",
        &condition_alias_bomb(),
        Code::LimitExceeded,
        BUDGET_TIME,
    );
}

#[test]
fn too_many_aliases_are_a_limit() {
    let refs = vec!["*a"; 1_500].join(", ");
    let text = format!("lists:\n  a:\n    terms: &a [lol]\n  b:\n    terms: [{refs}]\n");
    refused(
        "1,500 aliases",
        &text,
        Code::LimitExceeded,
        Duration::from_secs(5),
    );
}

/// Deep nesting of several shapes, `n` levels.
fn deep_yaml(n: usize) -> [(&'static str, String); 5] {
    [
        ("`[` unclosed", "[".repeat(n)),
        ("`[` closed", format!("{}{}", "[".repeat(n), "]".repeat(n))),
        (
            "rules: `[` closed",
            format!("rules: {}{}", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "`{a: ` closed",
            format!("{}1{}", "{a: ".repeat(n), "}".repeat(n)),
        ),
        ("block `- `", "- ".repeat(n)),
    ]
}

#[test]
fn hundred_thousand_open_brackets_are_a_limit() {
    // No stack overflow, no slow path: E013 at once, whether the nesting
    // goes past MAX_YAML_DEPTH only (60 levels) or past the YAML parser's
    // own recursion limit too (100,000 levels).
    for n in [60, 100_000] {
        for (what, text) in deep_yaml(n) {
            if n == 60 && what == "`[` unclosed" {
                // Also a syntax error (unclosed), and the reader's pre-pass
                // stops at it before reporting the depth: E001 is fair.
                let r = RuleSet::from_yaml("deep.yaml", &text);
                assert!(r.is_err(), "{what}");
                continue;
            }
            refused(
                &format!("{n} levels of {what}"),
                &text,
                Code::LimitExceeded,
                Duration::from_secs(5),
            );
        }
    }
}

#[test]
fn rule_file_over_four_mib_is_a_limit() {
    // A valid file (a comment padded past the limit), so only the size is wrong.
    let mut text = rule_with("{terms: [diesel]}");
    text.push('#');
    text.push_str(&"x".repeat(5 * 1024 * 1024));
    text.push('\n');
    let e = refused(
        "5 MB rule file",
        &text,
        Code::LimitExceeded,
        Duration::from_secs(5),
    );
    assert_eq!(e.diagnostics.len(), 1, "{e}");
}

#[test]
fn regex_with_a_huge_automaton_is_a_limit() {
    refused(
        "(a{1000}){1000}",
        &rule_with("{regex: '(a{1000}){1000}'}"),
        Code::LimitExceeded,
        Duration::from_secs(5),
    );
}

/// A rule file with `n` terms in one list, `distinct` of them different.
fn many_terms(n: usize, distinct: usize) -> String {
    let mut text = String::with_capacity(n * 8 + 200);
    text.push_str("lists:\n  many:\n    terms: [");
    for i in 0..n {
        if i > 0 {
            text.push(',');
        }
        text.push('t');
        text.push_str(&(i % distinct).to_string());
    }
    text.push_str("]\n");
    text.push_str(&rule_with("{list: many}"));
    assert!(text.len() < sanctions_check::MAX_RULE_FILE_BYTES);
    text
}

/// The term limit is reported, and only once.
fn check_term_limit(e: &LoadError) {
    let limits = e
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::LimitExceeded)
        .count();
    assert_eq!(limits, 1, "the term limit is reported once:\n{e}");
    assert!(
        e.diagnostics
            .iter()
            .any(|d| d.message.contains(&sanctions_check::MAX_TERMS.to_string())),
        "{e}"
    );
}

#[test]
fn three_hundred_thousand_terms_are_a_limit() {
    // Every written term counts, repeated or not; with 1,000 distinct terms
    // the automaton stays small, so this checks the count and its report.
    let e = refused(
        "300,000 terms (1,000 distinct)",
        &many_terms(300_000, 1_000),
        Code::LimitExceeded,
        BUDGET_TIME,
    );
    check_term_limit(&e);
}

#[test]
fn three_hundred_thousand_distinct_terms_are_refused_quickly() {
    let e = refused(
        "300,000 distinct terms",
        &many_terms(300_000, 300_000),
        Code::LimitExceeded,
        BUDGET_TIME,
    );
    check_term_limit(&e);
}

#[test]
fn thirty_thousand_terms_compile_quickly() {
    // Well within MAX_TERMS: a large list must stay usable, even when many
    // terms are prefixes of others (numbered references, codes).
    let text = many_terms(30_000, 30_000);
    let rules = timed("30,000 terms", BUDGET_TIME, || {
        RuleSet::from_yaml("terms.yaml", &text)
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rules.scan_text("It was t29999.").len(), 1);
}

/// `depth` levels of `kind: [ ... ]` around a terms condition.
fn nested(kind: &str, depth: usize) -> String {
    let mut s = "{terms: [diesel]}".to_owned();
    for _ in 0..depth {
        s = if kind == "not" {
            format!("{{not: {s}}}")
        } else {
            format!("{{{kind}: [{s}]}}")
        };
    }
    s
}

#[test]
fn conditions_nested_twenty_levels_are_a_limit() {
    for kind in ["all", "any", "not"] {
        let e = refused(
            &format!("20 levels of {kind}"),
            &rule_with(&nested(kind, 20)),
            Code::LimitExceeded,
            Duration::from_secs(5),
        );
        assert!(
            e.diagnostics.iter().any(|d| d.message.contains("nest")),
            "{e}"
        );
    }
    // Within the limit, the same shape loads and works.
    let ok = RuleSet::from_yaml("ok.yaml", &rule_with(&nested("all", 10)))
        .unwrap_or_else(|e| panic!("10 levels load: {e}"));
    assert_eq!(ok.scan_text("Diesel.").len(), 1);
}

// ---------------------------------------------------------------------------
// Hostile documents
// ---------------------------------------------------------------------------

#[test]
fn invalid_utf8_keeps_offsets_of_the_original_bytes() {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"Caf\xe9 au lait, Cor\xc3\xa9e \xff\xfe\xfd. ");
    bytes.extend_from_slice(b"The tanker \xc3 delivered \xf0\x9f\x9a diesel to Nampo \xe2\x82.\n");
    bytes.extend_from_slice("Le pétrolier a livré. ".as_bytes());
    bytes.extend_from_slice(b"\x80\x80 ");
    bytes.extend_from_slice(HIT.as_bytes());
    let d = decode(&bytes);
    assert_eq!(d.text.len(), bytes.len());
    assert!(d.invalid_bytes >= 8, "{}", d.invalid_bytes);
    let findings = rules().scan_text(&d.text);
    check_text_findings(&d.text, &findings);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    for f in &findings {
        for e in &f.evidence {
            assert_eq!(
                &bytes[e.start..e.end],
                e.text.as_bytes(),
                "evidence offsets point at the original bytes"
            );
        }
        assert!(f.start >= 30, "both hits come after invalid bytes: {f:?}");
    }
    assert_eq!(
        evidence(&findings),
        [
            "delivered",
            "diesel",
            "Nampo",
            "delivered",
            "diesel",
            "Nampo"
        ]
    );
    // The bundled pack, too.
    check_text_findings(&d.text, &builtin().scan_text(&d.text));
}

#[test]
fn nul_bytes_do_not_break_scanning() {
    let bytes = format!("\0\0\0{HIT}\0\0 die\0sel \0Nampo\0").into_bytes();
    assert!(looks_binary(&bytes));
    let d = decode(&bytes);
    assert_eq!(d.invalid_bytes, 0);
    let findings = rules().scan_text(&d.text);
    check_text_findings(&d.text, &findings);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].start, 3 + HIT.find("delivered").unwrap());
    // Only NULs.
    let zeros = vec![0u8; 1 << 20];
    assert!(rules().scan_text(&decode(&zeros).text).is_empty());
    check_text_findings(
        &decode(&zeros).text,
        &builtin().scan_text(&decode(&zeros).text),
    );
}

#[test]
fn cr_and_crlf_line_ends_give_the_lines_and_columns_of_lf() {
    let lf = format!(
        "Title\n\n{FILLER}\nSecond paragraph: {HIT}\nTail line.\n  Indented: {HIT} \n\nEnd\n"
    );
    let want = rules().scan_text(&lf);
    assert_eq!(want.len(), 2, "{want:#?}");
    let at = |fs: &[Finding]| fs.iter().map(|f| (f.line, f.column)).collect::<Vec<_>>();
    assert_eq!(at(&want), [(4, 30), (6, 24)]);
    for (name, eol) in [("CR", "\r"), ("CRLF", "\r\n")] {
        let text = lf.replace('\n', eol);
        let got = rules().scan_text(&text);
        check_text_findings(&text, &got);
        assert_eq!(at(&got), at(&want), "{name}");
        assert_eq!(evidence(&got), evidence(&want), "{name}");
    }
}

#[test]
fn empty_and_blank_documents_have_no_findings() {
    for text in ["", " ", "\n", "\r\n\r\n", "\u{feff}", "\t \u{a0}\u{200b}"] {
        assert!(rules().scan_text(text).is_empty(), "{text:?}");
        assert!(builtin().scan_text(text).is_empty(), "{text:?}");
    }
    let d = decode(b"");
    assert_eq!((d.text.as_ref(), d.invalid_bytes), ("", 0));
    assert!(!looks_binary(b""));
    for format in [
        RecordFormat::Json,
        RecordFormat::JsonLines,
        RecordFormat::Csv,
        RecordFormat::Yaml,
    ] {
        let records = read_records(format, "");
        assert!(records.records.is_empty(), "{format:?}");
        assert!(
            builtin()
                .scan_records(&records, &FieldMap::default())
                .is_empty()
        );
    }
}

/// Size of the one-line document: 20 MB when optimized; 5 MB in debug
/// builds, where the scan is several times slower.
const LONG_LINE_BYTES: usize = if cfg!(debug_assertions) {
    5_000_000
} else {
    20_000_000
};

#[test]
fn one_long_line_with_a_hit_near_the_end() {
    let mut text = String::with_capacity(LONG_LINE_BYTES + 200);
    while text.len() < LONG_LINE_BYTES {
        text.push_str(FILLER);
    }
    let at = text.len();
    text.push_str(HIT);
    text.push(' ');
    text.push_str(FILLER);
    let findings = timed("long line", SCAN_TIME, || rules().scan_text(&text));
    check_text_findings(&text, &findings);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f.line, 1);
    assert_eq!(f.start, at + HIT.find("delivered").unwrap());
    assert_eq!(f.column, f.start + 1, "ASCII: columns are bytes");
    assert!(
        f.excerpt.len() < 1000,
        "excerpt is bounded: {}",
        f.excerpt.len()
    );
}

/// A million copies of `unit` before the hit: the hit is found, in time;
/// then ten thousand copies between the words of the hit: no panic.
fn a_million(name: &str, unit: &str) {
    let mut text = unit.repeat(1_000_000);
    text.push_str(HIT);
    text.push_str(&unit.repeat(1_000));
    let findings = timed(name, SCAN_TIME, || rules().scan_text(&text));
    check_text_findings(&text, &findings);
    assert_eq!(
        evidence(&findings),
        ["delivered", "diesel", "Nampo"],
        "{name}"
    );
    let spread = HIT.replace(' ', &format!(" {} ", unit.repeat(10_000)));
    let findings = timed(name, SCAN_TIME, || rules().scan_text(&spread));
    check_text_findings(&spread, &findings);
}

#[test]
fn a_million_spaces_and_invisible_characters() {
    a_million("spaces", " ");
    a_million("soft hyphens", "\u{ad}");
    a_million("zero-width spaces", "\u{200b}");
    a_million("no-break spaces", "\u{a0}");
}

#[test]
fn a_million_hyphens() {
    a_million("hyphens", "-");
    a_million("hyphen line breaks", "-\n");
    // Hyphens glued to letters: "a-a-a-...".
    let text = "a-".repeat(500_000);
    let findings = timed("a-a-a", SCAN_TIME, || rules().scan_text(&text));
    assert!(findings.is_empty());
}

#[test]
fn a_million_dashes_dots_and_line_breaks() {
    a_million("spaced dashes", " – ");
    a_million("dots", ".");
    a_million("newlines", "\n");
    a_million("CRLFs", "\r\n");
}

// ---------------------------------------------------------------------------
// Streamed scans (large files and standard input are scanned in chunks)
// ---------------------------------------------------------------------------

/// A text of many short paragraphs with hits here and there, CRLF and LF.
fn paragraphs() -> String {
    let mut text = String::new();
    for i in 0..400 {
        text.push_str(&format!("Paragraph {i}: {FILLER}"));
        if i % 37 == 5 {
            text.push_str(HIT);
        }
        text.push_str(if i % 2 == 0 { "\r\n" } else { "\n" });
        if i % 3 == 0 {
            text.push('\n');
        }
    }
    text
}

/// What a finding says, without its fingerprint.
fn key(f: &Finding) -> (String, usize, usize, usize, usize, Vec<String>) {
    (
        f.rule.clone(),
        f.start,
        f.end,
        f.line,
        f.column,
        f.evidence.iter().map(|e| e.text.clone()).collect(),
    )
}

#[test]
fn streamed_scan_agrees_with_whole_scan() {
    let text = paragraphs();
    let whole = rules().scan_text(&text);
    assert_eq!(whole.len(), 11);
    // Chunks hold a few lines at least (a sentence cut by a forced split
    // is documented to be seen as two).
    for chunk in [257, 300, 1000, 4096, 1 << 20] {
        let part = stream::scan_reader(rules(), text.as_bytes(), chunk).unwrap();
        assert_eq!(part.bytes as usize, text.len(), "chunk {chunk}");
        check_text_findings(&text, &part.findings);
        let a: Vec<_> = whole.iter().map(key).collect();
        let b: Vec<_> = part.findings.iter().map(key).collect();
        assert_eq!(a, b, "chunk {chunk}");
    }
}

#[test]
fn streamed_scan_keeps_lines_when_a_cut_falls_inside_crlf() {
    // The first 64 bytes end with CR and have no space, tab or LF in their
    // second half: the first chunk is cut between CR and LF.
    let text = format!("{}\r\n{HIT}\n", "a".repeat(63));
    let whole = rules().scan_text(&text);
    assert_eq!((whole[0].line, whole[0].column), (2, 12));
    let part = stream::scan_reader(rules(), text.as_bytes(), 64).unwrap();
    let a: Vec<_> = whole.iter().map(key).collect();
    let b: Vec<_> = part.findings.iter().map(key).collect();
    assert_eq!(a, b);
}

#[test]
fn streamed_scan_keeps_offsets_of_invalid_utf8() {
    let mut bytes = Vec::new();
    for i in 0..200 {
        bytes.extend_from_slice(b"Caf\xe9 \xff\xfe ");
        bytes.extend_from_slice("à Corée. ".as_bytes());
        if i % 50 == 49 {
            bytes.extend_from_slice(HIT.as_bytes());
        }
        bytes.extend_from_slice(b"\n");
    }
    let d = decode(&bytes);
    let whole = rules().scan_text(&d.text);
    assert_eq!(whole.len(), 4);
    for chunk in [100, 133, 1000] {
        let part = stream::scan_reader(rules(), &bytes[..], chunk).unwrap();
        assert_eq!(part.invalid_bytes, d.invalid_bytes, "chunk {chunk}");
        for f in &part.findings {
            for e in &f.evidence {
                assert_eq!(&bytes[e.start..e.end], e.text.as_bytes(), "chunk {chunk}");
            }
        }
        let a: Vec<_> = whole.iter().map(key).collect();
        let b: Vec<_> = part.findings.iter().map(key).collect();
        assert_eq!(a, b, "chunk {chunk}");
    }
}

#[test]
fn streamed_fingerprints_are_those_of_the_whole_scan() {
    let text = paragraphs();
    let whole = rules().scan_text(&text);
    let part = stream::scan_reader(rules(), text.as_bytes(), 1000).unwrap();
    let a: Vec<&str> = whole.iter().map(|f| f.fingerprint.as_str()).collect();
    let b: Vec<&str> = part
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    let mut unique = b.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), b.len(), "fingerprints repeat: {b:?}");
    assert_eq!(a, b);
}

// ---------------------------------------------------------------------------
// The binary on hostile folders
// ---------------------------------------------------------------------------

/// Writes the test rules next to (not inside) the scanned folder.
fn rules_file(tmp: &TempDir) -> String {
    let p = tmp.path().join("rules.yaml");
    fs::write(&p, RULES).unwrap();
    p.display().to_string()
}

/// `sanctions-check scan --rules RULES --format json ARGS...`.
fn scan_cmd(rules: &str, args: &[&str]) -> Command {
    let mut c = Command::cargo_bin("sanctions-check").expect("binary built");
    c.args(["scan", "--rules", rules])
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .timeout(Duration::from_secs(60));
    c
}

/// Exit code, stdout parsed as JSON, stderr.
fn run_json(mut c: Command) -> (Option<i32>, Value, String) {
    let out = c.output().expect("binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let doc = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("json output ({e}):\n{stdout}\n--- stderr\n{stderr}"));
    (out.status.code(), doc, stderr)
}

/// The paths of the findings (file names only).
fn finding_files(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            Path::new(f["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

fn errors(doc: &Value) -> Vec<(String, String)> {
    doc["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn symlink_loop_is_reported_once_and_the_rest_is_scanned() {
    let tmp = TempDir::new().unwrap();
    let rules = rules_file(&tmp);
    let dir = tmp.path().join("docs");
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(dir.join("a-hit.txt"), format!("{HIT}\n")).unwrap();
    fs::write(dir.join("sub/b-hit.txt"), format!("{FILLER}\n{HIT}\n")).unwrap();
    fs::write(dir.join("clean.txt"), FILLER).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("sub/loop")).unwrap();
    let d = dir.display().to_string();
    let (code, doc, stderr) = run_json(scan_cmd(&rules, &["--format", "json", "--follow", &d]));
    assert_eq!(code, Some(2), "{doc:#}\n{stderr}");
    let errs = errors(&doc);
    assert_eq!(errs.len(), 1, "the loop is reported once: {errs:?}");
    assert!(errs[0].0.ends_with("loop"), "{errs:?}");
    assert!(errs[0].1.contains("loop"), "{errs:?}");
    assert_eq!(finding_files(&doc), ["a-hit.txt", "b-hit.txt"], "{doc:#}");
    // Without --follow the link is not followed, and nothing is wrong.
    let (code, doc, _) = run_json(scan_cmd(&rules, &["--format", "json", &d]));
    assert_eq!(code, Some(1), "{doc:#}");
    assert!(errors(&doc).is_empty(), "{doc:#}");
    assert_eq!(finding_files(&doc), ["a-hit.txt", "b-hit.txt"]);
}

/// Runs the binary with `args`, killing it after `limit`; returns exit code,
/// stdout and stderr. Fails if it had to be killed.
fn run_with_deadline(
    args: &[&str],
    limit: Duration,
    out_dir: &Path,
) -> (Option<i32>, String, String) {
    let out_path = out_dir.join("stdout.txt");
    let err_path = out_dir.join("stderr.txt");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sanctions-check"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("binary runs");
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break Some(s);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = fs::read_to_string(&err_path).unwrap_or_default();
    let Some(status) = status else {
        panic!(
            "`sanctions-check {}` still running after {limit:?}: killed\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
            args.join(" ")
        );
    };
    (status.code(), stdout, stderr)
}

/// Makes a FIFO at `path`; false when `mkfifo` is not available.
fn mkfifo(path: &Path) -> bool {
    match std::process::Command::new("mkfifo").arg(path).status() {
        Ok(s) if s.success() => true,
        Ok(s) => panic!("mkfifo {}: {s}", path.display()),
        Err(_) => false,
    }
}

#[test]
fn fifo_in_a_folder_is_reported_not_read() {
    let tmp = TempDir::new().unwrap();
    let rules = rules_file(&tmp);
    let dir = tmp.path().join("docs");
    fs::create_dir(&dir).unwrap();
    if !mkfifo(&dir.join("pipe")) {
        note!("skipped: mkfifo is not available");
        return;
    }
    fs::write(dir.join("hit.txt"), format!("{HIT}\n")).unwrap();
    fs::write(dir.join("zz-hit.txt"), format!("{HIT}\n")).unwrap();
    let d = dir.display().to_string();
    for follow in [false, true] {
        let mut args = vec!["scan", "--rules", &rules, "--format", "json", &d];
        if follow {
            args.push("--follow");
        }
        let (code, stdout, stderr) = run_with_deadline(&args, Duration::from_secs(20), tmp.path());
        let doc: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
        assert_eq!(code, Some(2), "{doc:#}\n{stderr}");
        let errs = errors(&doc);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].0.ends_with("pipe"), "{errs:?}");
        assert_eq!(finding_files(&doc), ["hit.txt", "zz-hit.txt"]);
    }
}

#[test]
fn fifo_named_on_the_command_line_is_read() {
    // A named FIFO is read like `<(command)` (ripgrep does the same): the
    // scan waits for its writer, reads to the end, and scans the rest.
    let tmp = TempDir::new().unwrap();
    let rules = rules_file(&tmp);
    let fifo = tmp.path().join("pipe");
    if !mkfifo(&fifo) {
        note!("skipped: mkfifo is not available");
        return;
    }
    let hit = tmp.path().join("hit.txt");
    fs::write(&hit, format!("{HIT}\n")).unwrap();
    // The writer blocks until the scan opens the FIFO for reading.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::write(&fifo, format!("{FILLER}\n{HIT}\n")))
    };
    let (code, stdout, stderr) = run_with_deadline(
        &[
            "scan",
            "--rules",
            &rules,
            "--format",
            "json",
            &fifo.display().to_string(),
            &hit.display().to_string(),
        ],
        Duration::from_secs(20),
        tmp.path(),
    );
    if !writer.is_finished() {
        // The scan never opened the FIFO: release the writer, then fail.
        let _ = fs::read(&fifo);
    }
    writer.join().unwrap().expect("the FIFO was written");
    let doc: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(code, Some(1), "{doc:#}\n{stderr}");
    assert_eq!(finding_files(&doc), ["pipe", "hit.txt"]);
}

/// Gives a folder its permissions back when dropped (so that the temporary
/// folder can be removed even when the test fails).
struct Restore(PathBuf);

impl Drop for Restore {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(&self.0, fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn unreadable_subfolder_is_reported_and_the_rest_is_scanned() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = TempDir::new().unwrap();
    let rules = rules_file(&tmp);
    let dir = tmp.path().join("docs");
    let locked = dir.join("locked");
    fs::create_dir_all(&locked).unwrap();
    fs::write(locked.join("secret.txt"), format!("{HIT}\n")).unwrap();
    fs::write(dir.join("hit.txt"), format!("{HIT}\n")).unwrap();
    fs::write(dir.join("zz-hit.txt"), format!("{HIT}\n")).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let _restore = Restore(locked.clone());
    let as_root = fs::read_dir(&locked).is_ok();
    let d = dir.display().to_string();
    let (code, doc, stderr) = run_json(scan_cmd(&rules, &["--format", "json", &d]));
    if as_root {
        note!("running as root: the folder stays readable, only checking the scan ends");
        assert_eq!(code, Some(1), "{doc:#}\n{stderr}");
        return;
    }
    assert_eq!(code, Some(2), "{doc:#}\n{stderr}");
    let errs = errors(&doc);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].0.contains("locked"), "{errs:?}");
    assert_eq!(finding_files(&doc), ["hit.txt", "zz-hit.txt"]);
}

/// A folder of 50 files, most with hits at various places, some clean,
/// some with invalid UTF-8; returns the number of hits written.
fn fifty_files(dir: &Path) -> usize {
    let mut hits = 0;
    fs::create_dir_all(dir.join("nested/deeper")).unwrap();
    for i in 0..50 {
        let mut body = Vec::new();
        for j in 0..(i % 7) {
            body.extend_from_slice(FILLER.as_bytes());
            if j % 3 == 2 {
                body.push(b'\n');
            }
        }
        if i % 5 != 4 {
            for _ in 0..=(i % 3) {
                hits += 1;
                body.extend_from_slice(HIT.as_bytes());
                body.extend_from_slice(b"\n\n");
                body.extend_from_slice(FILLER.as_bytes());
            }
        }
        if i % 11 == 3 {
            hits += 1;
            body.extend_from_slice(b"caf\xe9 ");
            body.extend_from_slice(HIT.as_bytes());
        }
        let sub = match i % 3 {
            0 => "",
            1 => "nested/",
            _ => "nested/deeper/",
        };
        fs::write(dir.join(format!("{sub}doc-{i:02}.txt")), body).unwrap();
    }
    hits
}

/// `"elapsed_ms": N` with N replaced by 0.
fn redact_elapsed(s: &str) -> String {
    let key = "\"elapsed_ms\":";
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(key) {
        out.push_str(&rest[..i + key.len()]);
        rest = rest[i + key.len()..].trim_start_matches(|c: char| c == ' ' || c.is_ascii_digit());
        out.push_str(" 0");
    }
    out.push_str(rest);
    out
}

/// The first line where `a` and `b` differ, for a readable failure.
fn first_difference(a: &str, b: &str) -> Option<(usize, String, String)> {
    let (mut la, mut lb) = (a.lines(), b.lines());
    for n in 1.. {
        match (la.next(), lb.next()) {
            (None, None) => return None,
            (x, y) if x == y => {}
            (x, y) => {
                return Some((
                    n,
                    x.unwrap_or("<end>").to_owned(),
                    y.unwrap_or("<end>").to_owned(),
                ));
            }
        }
    }
    None
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let tmp = TempDir::new().unwrap();
    let rules = rules_file(&tmp);
    let dir = tmp.path().join("docs");
    let hits = fifty_files(&dir);
    let d = dir.display().to_string();
    for format in ["json", "jsonl"] {
        let mut outs = Vec::new();
        for threads in ["1", "3"] {
            let out = scan_cmd(&rules, &["--format", format, "--threads", threads, &d])
                .output()
                .expect("binary runs");
            assert_eq!(out.status.code(), Some(1), "{format} -j{threads}");
            outs.push(redact_elapsed(&String::from_utf8(out.stdout).unwrap()));
        }
        assert!(outs[0].contains("rel.fuel"), "{}", outs[0]);
        assert_eq!(
            first_difference(&outs[0], &outs[1]),
            None,
            "{format}: -j1 and -j3 differ (line, -j1, -j3)"
        );
        assert_eq!(outs[0], outs[1], "{format}: -j1 and -j3 differ");
        if format == "jsonl" {
            assert_eq!(outs[0].lines().count(), hits, "one finding per hit");
        }
    }
}

// ---------------------------------------------------------------------------
// Large file (run by hand)
// ---------------------------------------------------------------------------

/// The release binary, if built.
fn release_binary() -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if !cfg!(debug_assertions) {
        candidates.push(PathBuf::from(env!("CARGO_BIN_EXE_sanctions-check")));
    }
    if let Some(t) = std::env::var_os("CARGO_TARGET_DIR") {
        candidates.push(PathBuf::from(t).join("release/sanctions-check"));
    }
    candidates.push(root().join("target/release/sanctions-check"));
    candidates.into_iter().find(|p| p.is_file())
}

/// Peak resident memory of a running process, in KiB (Linux only).
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// A 300 MB file of prose with three hits, scanned by the release binary:
/// every hit is found, peak memory stays below a few chunks
/// ([`stream::CHUNK_BYTES`]) and below the file size, and the wall time and
/// peak memory are printed.
///
/// Run it with:
///
/// ```sh
/// cargo build --release && cargo test --release --test reliability -- --ignored large_file --nocapture
/// ```
///
/// (it is skipped when `target/release/sanctions-check` does not exist).
#[test]
#[ignore = "writes a 300 MB file; run by hand with the release binary"]
fn large_file_memory_bound() {
    use std::io::Write;
    let Some(bin) = release_binary() else {
        note!("skipped: build the release binary first (cargo build --release)");
        return;
    };
    const SIZE: usize = 300_000_000;
    const CHUNK: usize = 1_000_000;
    let tmp = TempDir::new().unwrap();
    let rules = rules_file(&tmp);
    let path = tmp.path().join("big.txt");
    let mut chunk = String::with_capacity(CHUNK + 200);
    let mut sentences = 0;
    while chunk.len() < CHUNK {
        chunk.push_str(FILLER);
        sentences += 1;
        if sentences % 6 == 0 {
            chunk.push_str("\n\n");
        }
    }
    let chunks = SIZE / chunk.len();
    let hit_chunks = [0, chunks / 2, chunks - 1];
    {
        let mut w = std::io::BufWriter::new(fs::File::create(&path).unwrap());
        for i in 0..chunks {
            if hit_chunks.contains(&i) {
                w.write_all(HIT.as_bytes()).unwrap();
                w.write_all(b"\n\n").unwrap();
            }
            w.write_all(chunk.as_bytes()).unwrap();
        }
        w.flush().unwrap();
    }
    let size = fs::metadata(&path).unwrap().len();
    let started = Instant::now();
    let mut child = std::process::Command::new(&bin)
        .args(["scan", "--rules", &rules, "--format", "jsonl", "--quiet"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("release binary runs");
    let pid = child.id();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).unwrap();
        s
    });
    let mut peak = 0;
    let status = loop {
        if let Some(kib) = peak_rss_kib(pid) {
            peak = peak.max(kib);
        }
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = started.elapsed();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let out = reader.join().unwrap();
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    note!(
        "large_file_memory_bound: {:.0} MiB scanned in {took:.2?} ({:.0} MiB/s), peak RSS {:.0} MiB ({:.1}x the file)",
        mib(size),
        mib(size) / took.as_secs_f64(),
        peak as f64 / 1024.0,
        (peak * 1024) as f64 / size as f64,
    );
    assert_eq!(status.code(), Some(1), "{stderr}");
    let findings: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(findings.len(), 3, "{out}");
    for f in &findings {
        assert_eq!(f["rule"], "rel.fuel");
    }
    // Large files are scanned in chunks: memory is bounded by a few chunks,
    // not by the file.
    if peak > 0 {
        let bound = 6 * stream::CHUNK_BYTES as u64;
        assert!(
            peak * 1024 < bound.min(size),
            "peak RSS {peak} KiB for a {size}-byte file (bound {bound} bytes)"
        );
    }
}

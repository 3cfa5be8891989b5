//! Command-line integration tests: every command, output format and error
//! path of the `sanctions-check` binary.
//!
//! Most cases scan the small documents in `tests/fixtures/docs/` with the
//! custom rules in `tests/fixtures/rules/basic.yaml`, so that their output
//! does not move while the bundled pack is being written. Cases that need a
//! folder layout (hidden files, `.gitignore`, binary files, baselines) build
//! it in a temporary folder.
//!
//! Tests named `bug_*` pin bugs that were found and fixed.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

// ---------------------------------------------------------------------------
// Fixtures and helpers
// ---------------------------------------------------------------------------

const BASIC: &str = "tests/fixtures/rules/basic.yaml";
const BAD: &str = "tests/fixtures/rules/bad";
const NOTICE: &str = "tests/fixtures/docs/shipping-notice.txt";
const WEATHER: &str = "tests/fixtures/docs/weather-report.txt";
const SARIF_VALID: &str = "tests/fixtures/sarif/minimal-valid.sarif.json";

/// One sentence that `test.petroleum.supply` (high) flags.
const HIT: &str = "The tanker Sea Lark delivered 2,400 tonnes of diesel to Nampo, North Korea.\n";
/// One sentence that `test.military.cooperation` (critical) flags.
const HIT_MILITARY: &str = "Officials in Pyongyang confirmed the arms deal on Monday.\n";
/// Text no rule flags.
const CLEAN: &str = "Light rain is expected on Tuesday, clearing from the north by noon.\n";

/// Keys every finding has in json and jsonl output.
const FINDING_KEYS: [&str; 15] = [
    "path",
    "rule",
    "title",
    "category",
    "severity",
    "citations",
    "start",
    "end",
    "line",
    "column",
    "excerpt",
    "evidence",
    "fingerprint",
    "proximity",
    "confidence",
];

const SEVERITIES: [&str; 5] = ["info", "low", "medium", "high", "critical"];

/// The crate root: the working folder of commands that use fixture paths.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// An absolute path under the crate root, for commands run elsewhere.
fn abs(rel: &str) -> String {
    root().join(rel).display().to_string()
}

/// The binary, run from the crate root, with no color forced by the caller's
/// environment.
fn bin() -> Command {
    let mut c = Command::cargo_bin("sanctions-check").expect("binary built");
    c.current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .timeout(Duration::from_secs(120));
    c
}

/// `sanctions-check scan --rules basic.yaml ARGS...`.
fn scan(args: &[&str]) -> Command {
    let mut c = bin();
    c.args(["scan", "--rules", &abs(BASIC)]).args(args);
    c
}

/// `scan` run in `dir` (paths in the output are then relative to it).
fn scan_in(dir: &Path, args: &[&str]) -> Command {
    let mut c = scan(args);
    c.current_dir(dir);
    c
}

/// What a run gave.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(c: &mut Command) -> Run {
    let out = c.output().expect("binary runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs and checks the exit code, showing both streams when it is wrong.
fn run_code(c: &mut Command, code: i32) -> Run {
    let r = run(c);
    assert_eq!(
        r.code,
        Some(code),
        "exit code\n--- stdout\n{}\n--- stderr\n{}",
        r.stdout,
        r.stderr
    );
    r
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}):\n{s}"))
}

fn jsonl(s: &str) -> Vec<Value> {
    s.lines().map(json).collect()
}

/// The `path` of each finding of a jsonl output, in order.
fn paths_of(jsonl_out: &str) -> Vec<String> {
    jsonl(jsonl_out)
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_owned())
        .collect()
}

/// The `rule` of each finding of a jsonl output, in order.
fn rules_of(jsonl_out: &str) -> Vec<String> {
    jsonl(jsonl_out)
        .iter()
        .map(|f| f["rule"].as_str().expect("rule").to_owned())
        .collect()
}

/// Writes `content` to `dir/rel`, creating folders.
fn put(dir: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(&p, content).expect("write");
    p
}

fn tempdir() -> TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// Hides the elapsed time of the summary line.
fn summary_filters() -> Vec<(&'static str, &'static str)> {
    vec![(r" in \d+\.\d+s", " in [TIME]")]
}

/// Whether a JSON value is a non-empty string.
fn is_text(v: &Value) -> bool {
    v.as_str().is_some_and(|s| !s.is_empty())
}

/// Says on stderr why a test did not run.
fn skip(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipped: {why}");
}

fn has_ansi(s: &str) -> bool {
    s.contains('\u{1b}')
}

/// Checks that a json or jsonl finding has every documented key, with the
/// documented types.
fn assert_finding_shape(f: &Value) {
    let obj = f
        .as_object()
        .unwrap_or_else(|| panic!("finding is an object: {f}"));
    for k in FINDING_KEYS {
        assert!(obj.contains_key(k), "finding lacks `{k}`: {f}");
    }
    for k in ["path", "rule", "title", "category", "excerpt", "proximity"] {
        assert!(f[k].is_string(), "`{k}` is a string: {f}");
    }
    assert!(f["fingerprint"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(SEVERITIES.contains(&f["severity"].as_str().expect("severity")));
    assert!(f["citations"].is_array(), "citations is an array: {f}");
    let evidence = f["evidence"].as_array().expect("evidence is an array");
    assert!(!evidence.is_empty(), "evidence is not empty: {f}");
    for e in evidence {
        assert!(e["text"].is_string() && e["start"].is_u64() && e["end"].is_u64());
    }
    let n = |k: &str| {
        f[k].as_u64()
            .unwrap_or_else(|| panic!("`{k}` is a number: {f}"))
    };
    assert!(n("start") < n("end"), "start < end: {f}");
    assert!(n("line") >= 1 && n("column") >= 1, "1-based: {f}");
    let c = f["confidence"].as_f64().expect("confidence is a number");
    assert!((0.0..=1.0).contains(&c), "confidence in 0..=1: {f}");
    assert!(["sentence", "paragraph", "document"].contains(&f["proximity"].as_str().unwrap()));
}

/// A minimal RFC 4180 reader: quoted fields, doubled quotes, commas and line
/// breaks inside quotes.
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quoted CSV field");
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Characters allowed in a URI reference (RFC 3986), besides `%XX`.
fn is_uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=".contains(c)
}

/// Checks the SARIF 2.1.0 rules that code-scanning tools depend on.
///
/// Not the whole schema (there is no network to fetch it): the version and
/// schema, the tool and its rules, and in every result the rule reference,
/// level, message, location and fingerprints.
fn validate_sarif(log: &Value) -> Result<(), String> {
    if log["version"] != "2.1.0" {
        return Err(format!("version is {}, not \"2.1.0\"", log["version"]));
    }
    if !is_text(&log["$schema"]) {
        return Err("`$schema` is missing".into());
    }
    let runs = log["runs"]
        .as_array()
        .filter(|r| !r.is_empty())
        .ok_or("`runs` is not a non-empty array")?;
    for (ri, run) in runs.iter().enumerate() {
        let driver = &run["tool"]["driver"];
        if !is_text(&driver["name"]) {
            return Err(format!("runs[{ri}].tool.driver.name is missing"));
        }
        let rules = driver["rules"]
            .as_array()
            .ok_or(format!("runs[{ri}].tool.driver.rules is not an array"))?;
        let mut ids: Vec<&str> = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            let id = r["id"]
                .as_str()
                .filter(|s| !s.is_empty())
                .ok_or(format!("driver.rules[{i}].id is missing"))?;
            if !r["shortDescription"]["text"].is_string() {
                return Err(format!(
                    "driver.rules[{i}].shortDescription.text is missing"
                ));
            }
            if ids.contains(&id) {
                return Err(format!("driver.rules: duplicate id {id}"));
            }
            ids.push(id);
        }
        let results = run["results"]
            .as_array()
            .ok_or(format!("runs[{ri}].results is not an array"))?;
        for (k, res) in results.iter().enumerate() {
            let at = format!("runs[{ri}].results[{k}]");
            let rule_id = res["ruleId"]
                .as_str()
                .ok_or(format!("{at}.ruleId is missing"))?;
            let pos = ids
                .iter()
                .position(|id| *id == rule_id)
                .ok_or(format!("{at}.ruleId {rule_id} is not in driver.rules"))?;
            let index = res["ruleIndex"]
                .as_u64()
                .ok_or(format!("{at}.ruleIndex is missing"))?;
            if index as usize != pos {
                return Err(format!(
                    "{at}.ruleIndex {index} points at {:?}, not {rule_id}",
                    ids.get(index as usize)
                ));
            }
            let level = res["level"].as_str().unwrap_or("");
            if !["none", "note", "warning", "error"].contains(&level) {
                return Err(format!("{at}.level {} is not a SARIF level", res["level"]));
            }
            if !is_text(&res["message"]["text"]) {
                return Err(format!("{at}.message.text is missing"));
            }
            let phys = &res["locations"][0]["physicalLocation"];
            let uri = phys["artifactLocation"]["uri"]
                .as_str()
                .filter(|s| !s.is_empty())
                .ok_or(format!("{at}: locations[0] has no artifactLocation.uri"))?;
            let bytes = uri.as_bytes();
            for (i, c) in uri.char_indices() {
                let escape_ok = c == '%'
                    && bytes.len() > i + 2
                    && bytes[i + 1].is_ascii_hexdigit()
                    && bytes[i + 2].is_ascii_hexdigit();
                if !(is_uri_char(c) || escape_ok) {
                    return Err(format!("{at}: uri {uri:?} is not a URI reference"));
                }
            }
            if phys["region"]["startLine"].as_u64().unwrap_or(0) < 1 {
                return Err(format!("{at}: region.startLine is missing or < 1"));
            }
            if let Some(c) = phys["region"].get("startColumn")
                && c.as_u64().unwrap_or(0) < 1
            {
                return Err(format!("{at}: region.startColumn < 1"));
            }
            let fps = res["partialFingerprints"]
                .as_object()
                .ok_or(format!("{at}.partialFingerprints is not an object"))?;
            if fps.values().any(|v| !v.is_string()) {
                return Err(format!("{at}.partialFingerprints has a non-string value"));
            }
        }
    }
    Ok(())
}

/// A folder `docs/` in a new tempdir with `n` generated documents, about
/// half of them with findings, of varied lengths.
fn generated_docs(n: usize) -> TempDir {
    let dir = tempdir();
    for i in 0..n {
        let mut text = format!("Report {i}\n\n");
        for j in 0..(i % 5 + 1) {
            text.push_str(&format!("Paragraph {j} of report {i}. {CLEAN}\n"));
        }
        if i % 2 == 0 {
            text.push_str(HIT);
        }
        if i % 3 == 0 {
            text.push_str(&format!("\nLater, {HIT_MILITARY}"));
        }
        put(
            dir.path(),
            &format!("docs/sub{}/doc-{i:02}.txt", i % 4),
            text,
        );
    }
    dir
}

// ---------------------------------------------------------------------------
// scan: files, exit codes, text output
// ---------------------------------------------------------------------------

#[test]
fn scan_file_with_findings_exits_1_text_output() {
    let r = run_code(&mut scan(&["--color", "never", NOTICE]), 1);
    insta::assert_snapshot!("scan_text", r.stdout);
    assert!(!has_ansi(&r.stdout));
}

#[test]
fn scan_clean_file_exits_0_and_prints_nothing() {
    let r = run_code(&mut scan(&[WEATHER]), 0);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("1 file ("), "{}", r.stderr);
    assert!(r.stderr.contains("no findings"), "{}", r.stderr);
}

#[test]
fn summary_line_counts_files_bytes_and_findings_by_severity() {
    let r = run_code(&mut scan(&[NOTICE, WEATHER]), 1);
    insta::with_settings!({ filters => summary_filters() }, {
        insta::assert_snapshot!("summary_line", r.stderr);
    });
    let bytes = std::fs::metadata(root().join(NOTICE)).unwrap().len()
        + std::fs::metadata(root().join(WEATHER)).unwrap().len();
    assert!(
        r.stderr.contains(&format!("2 files ({bytes} B)")),
        "{}",
        r.stderr
    );
}

#[test]
fn summary_line_counts_binary_files_and_errors() {
    let dir = tempdir();
    put(dir.path(), "docs/a.txt", HIT);
    put(dir.path(), "docs/b.bin", b"PK\x03\x04\x00\x00binary\x00");
    let r = run_code(&mut scan_in(dir.path(), &["docs", "missing.txt"]), 2);
    insta::with_settings!({ filters => summary_filters() }, {
        insta::assert_snapshot!("summary_line_binary_and_error", r.stderr);
    });
}

#[test]
fn quiet_drops_the_summary_line_but_keeps_errors() {
    let r = run_code(&mut scan(&["-q", NOTICE]), 1);
    assert_eq!(r.stderr, "");
    let r = run_code(&mut scan(&["--quiet", "no/such/file.txt"]), 2);
    assert!(
        r.stderr
            .contains("no/such/file.txt: no such file or folder")
    );
    assert!(!r.stderr.contains(" in "), "no summary: {}", r.stderr);
}

// ---------------------------------------------------------------------------
// scan: folders, hidden files, .gitignore, binary files
// ---------------------------------------------------------------------------

/// A folder with visible, hidden, nested, clean and binary files.
fn mixed_folder() -> TempDir {
    let dir = tempdir();
    let d = dir.path();
    put(d, "docs/a-clean.txt", CLEAN);
    put(d, "docs/b-notice.txt", HIT);
    put(d, "docs/sub/c-notice.txt", HIT);
    put(d, "docs/sub/deeper/d-notice.txt", HIT);
    put(d, "docs/z-notice.txt", HIT);
    put(d, "docs/.hidden-notice.txt", HIT);
    put(d, "docs/.hid/h-notice.txt", HIT);
    dir
}

#[test]
fn scan_folder_is_recursive_sorted_and_skips_hidden_files() {
    let dir = mixed_folder();
    let r = run_code(&mut scan_in(dir.path(), &["--format", "jsonl", "docs"]), 1);
    assert_eq!(
        paths_of(&r.stdout),
        [
            "docs/b-notice.txt",
            "docs/sub/c-notice.txt",
            "docs/sub/deeper/d-notice.txt",
            "docs/z-notice.txt"
        ]
    );
    assert!(r.stderr.contains("5 files"), "{}", r.stderr);
}

#[test]
fn scan_folder_with_hidden_flag_includes_hidden_files() {
    let dir = mixed_folder();
    let r = run_code(
        &mut scan_in(dir.path(), &["--hidden", "--format", "jsonl", "docs"]),
        1,
    );
    assert_eq!(
        paths_of(&r.stdout),
        [
            "docs/.hid/h-notice.txt",
            "docs/.hidden-notice.txt",
            "docs/b-notice.txt",
            "docs/sub/c-notice.txt",
            "docs/sub/deeper/d-notice.txt",
            "docs/z-notice.txt"
        ]
    );
}

#[test]
fn scan_hidden_file_named_on_the_command_line_is_scanned() {
    let dir = mixed_folder();
    let r = run_code(
        &mut scan_in(
            dir.path(),
            &["--format", "jsonl", "docs/.hidden-notice.txt"],
        ),
        1,
    );
    assert_eq!(paths_of(&r.stdout), ["docs/.hidden-notice.txt"]);
}

#[test]
fn scan_honours_gitignore_in_a_git_repository_unless_no_ignore() {
    let dir = tempdir();
    let d = dir.path();
    let git = std::process::Command::new("git")
        .args(["init", "-q", "."])
        .current_dir(d)
        .output();
    match git {
        Ok(o) if o.status.success() => {}
        other => {
            skip(&format!("`git init` is not available ({other:?})"));
            return;
        }
    }
    put(d, ".gitignore", "ignored.txt\nlogs/\n");
    put(d, "ignored.txt", HIT);
    put(d, "logs/run.txt", HIT);
    put(d, "kept.txt", HIT);

    let r = run_code(&mut scan_in(d, &["--format", "jsonl", "."]), 1);
    assert_eq!(paths_of(&r.stdout), ["./kept.txt"]);

    let r = run_code(
        &mut scan_in(d, &["--no-ignore", "--format", "jsonl", "."]),
        1,
    );
    assert_eq!(
        paths_of(&r.stdout),
        ["./ignored.txt", "./kept.txt", "./logs/run.txt"]
    );
}

#[test]
fn scan_binary_file_in_folder_is_skipped_and_counted() {
    let dir = tempdir();
    put(dir.path(), "docs/a.txt", CLEAN);
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR ".to_vec();
    bytes.extend_from_slice(HIT.as_bytes());
    put(dir.path(), "docs/image.png", &bytes);
    let r = run_code(&mut scan_in(dir.path(), &["--format", "json", "docs"]), 0);
    let doc = json(&r.stdout);
    assert_eq!(doc["findings"], Value::Array(vec![]));
    assert_eq!(doc["summary"]["skipped_binary"], 1);
    assert_eq!(doc["summary"]["files"], 1);
    assert!(r.stderr.contains("1 skipped as binary"), "{}", r.stderr);
}

#[test]
fn scan_binary_file_named_on_the_command_line_is_scanned() {
    let dir = tempdir();
    let mut bytes = b"\x00\x01\x02 header\n".to_vec();
    bytes.extend_from_slice(HIT.as_bytes());
    put(dir.path(), "docs/image.png", &bytes);
    let r = run_code(
        &mut scan_in(dir.path(), &["--format", "jsonl", "docs/image.png"]),
        1,
    );
    assert_eq!(rules_of(&r.stdout), ["test.petroleum.supply"]);
    assert_eq!(jsonl(&r.stdout)[0]["line"], 2);
    assert!(!r.stderr.contains("skipped as binary"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------
// scan: standard input
// ---------------------------------------------------------------------------

#[test]
fn scan_stdin_with_dash() {
    let r = run_code(
        scan(&["--format", "jsonl", "-"]).write_stdin(format!("{CLEAN}{HIT}")),
        1,
    );
    let f = &jsonl(&r.stdout)[0];
    assert_eq!(f["path"], "-");
    assert_eq!(f["line"], 2);
    assert!(r.stderr.contains("1 file ("), "{}", r.stderr);
}

#[test]
fn scan_stdin_without_path_reads_piped_input() {
    let r = run_code(scan(&["--color", "never"]).write_stdin(HIT), 1);
    assert!(
        r.stdout.starts_with("-:1:21: high test.petroleum.supply: "),
        "{}",
        r.stdout
    );
    let r = run_code(scan(&[]).write_stdin(CLEAN), 0);
    assert_eq!(r.stdout, "");
}

#[test]
fn scan_empty_stdin_is_clean() {
    let r = run_code(scan(&["-"]).write_stdin(""), 0);
    assert!(
        r.stderr.contains("1 file (0 B), no findings"),
        "{}",
        r.stderr
    );
}

// ---------------------------------------------------------------------------
// scan: errors and odd inputs
// ---------------------------------------------------------------------------

#[test]
fn scan_missing_path_exits_2_and_still_reports_other_files() {
    let r = run_code(
        &mut scan(&["--format", "jsonl", "no/such/file.txt", NOTICE]),
        2,
    );
    assert!(
        r.stderr
            .contains("sanctions-check: no/such/file.txt: no such file or folder"),
        "{}",
        r.stderr
    );
    assert_eq!(jsonl(&r.stdout).len(), 3, "findings of the other file");
    assert!(r.stderr.contains("1 error"), "{}", r.stderr);

    // The json document carries the error too.
    let r = run_code(
        &mut scan(&["--format", "json", NOTICE, "no/such/file.txt"]),
        2,
    );
    let doc = json(&r.stdout);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 3);
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["errors"][0]["path"], "no/such/file.txt");
    assert_eq!(doc["errors"][0]["message"], "no such file or folder");
}

#[test]
fn scan_unreadable_file_exits_2_with_the_os_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let p = put(dir.path(), "secret.txt", HIT);
    put(dir.path(), "open.txt", HIT);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&p).is_ok() {
        skip("running with privileges that read a chmod 000 file");
        return;
    }
    let r = run_code(
        &mut scan_in(dir.path(), &["--format", "jsonl", "secret.txt", "open.txt"]),
        2,
    );
    assert!(
        r.stderr
            .contains("sanctions-check: secret.txt: Permission denied"),
        "{}",
        r.stderr
    );
    assert_eq!(paths_of(&r.stdout), ["open.txt"]);
}

#[test]
fn scan_invalid_utf8_warns_and_still_scans() {
    let dir = tempdir();
    let mut bytes = b"Caf\xe9 cr\xe8me \xff\xfe\n\n".to_vec();
    bytes.extend_from_slice(HIT.as_bytes());
    put(dir.path(), "latin1.txt", &bytes);
    let r = run_code(
        &mut scan_in(dir.path(), &["--format", "jsonl", "latin1.txt"]),
        1,
    );
    assert!(
        r.stderr.contains(
            "sanctions-check: warning: latin1.txt: 4 byte(s) of invalid UTF-8 read as U+001A"
        ),
        "{}",
        r.stderr
    );
    let f = &jsonl(&r.stdout)[0];
    assert_eq!(f["line"], 3);
    assert_eq!(f["column"], 21);
    // Offsets are byte offsets into the original file.
    let start = f["evidence"][0]["start"].as_u64().unwrap() as usize;
    assert_eq!(&bytes[start..start + 9], b"delivered");
}

#[test]
fn scan_crlf_and_cr_files_give_the_right_line_numbers() {
    let dir = tempdir();
    let lines = [
        "NOTICE",
        "",
        "Weather was calm.",
        "The tanker Sea Lark delivered diesel",
        "to Nampo, North Korea. Officials in Pyongyang confirmed the arms deal.",
    ];
    put(dir.path(), "crlf.txt", lines.join("\r\n") + "\r\n");
    put(dir.path(), "cr.txt", lines.join("\r") + "\r");
    put(dir.path(), "lf.txt", lines.join("\n") + "\n");
    for name in ["crlf.txt", "cr.txt", "lf.txt"] {
        let r = run_code(&mut scan_in(dir.path(), &["--format", "jsonl", name]), 1);
        let got: Vec<(u64, u64)> = jsonl(&r.stdout)
            .iter()
            .map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
            .collect();
        assert_eq!(got, [(4, 21), (5, 37)], "{name}");
    }
    let r = run_code(
        &mut scan_in(dir.path(), &["--color", "never", "crlf.txt"]),
        1,
    );
    assert!(r.stdout.starts_with("crlf.txt:4:21: high "), "{}", r.stdout);
    assert!(
        !r.stdout.contains('\r'),
        "text output has no CR: {:?}",
        r.stdout
    );
}

// ---------------------------------------------------------------------------
// scan: filters
// ---------------------------------------------------------------------------

#[test]
fn filter_by_category() {
    let r = run_code(
        &mut scan(&["--format", "jsonl", "--category", "military", NOTICE]),
        1,
    );
    assert_eq!(rules_of(&r.stdout), ["test.military.cooperation"]);
    let r = run_code(
        &mut scan(&[
            "--format",
            "jsonl",
            "--category",
            "petroleum,military",
            NOTICE,
        ]),
        1,
    );
    assert_eq!(rules_of(&r.stdout).len(), 3);
    let r = run_code(
        &mut scan(&[
            "--format",
            "jsonl",
            "--category",
            "seafood",
            "--category",
            "petroleum",
            NOTICE,
        ]),
        1,
    );
    assert_eq!(
        rules_of(&r.stdout),
        ["test.petroleum.supply", "test.petroleum.supply"]
    );
    assert!(
        r.stderr.contains("no loaded rule has category `seafood`"),
        "{}",
        r.stderr
    );
    // A filter no loaded rule can pass is a usage error, not a clean scan.
    let r = run_code(&mut scan(&["--category", "seafood", NOTICE]), 2);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains("categories: military, petroleum"),
        "{}",
        r.stderr
    );
}

#[test]
fn filter_by_min_severity() {
    let r = run_code(
        &mut scan(&["--format", "jsonl", "--min-severity", "critical", NOTICE]),
        1,
    );
    assert_eq!(rules_of(&r.stdout), ["test.military.cooperation"]);
    let r = run_code(
        &mut scan(&["--format", "jsonl", "--min-severity", "high", NOTICE]),
        1,
    );
    assert_eq!(rules_of(&r.stdout).len(), 3);
    let r = run_code(&mut scan(&["--min-severity", "severe", NOTICE]), 2);
    assert!(r.stderr.contains("--min-severity"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
}

#[test]
fn filter_by_min_confidence() {
    // The third finding of the notice is downgraded to 0.5 (it mentions the
    // sanctions themselves).
    let r = run_code(&mut scan(&["--format", "jsonl", NOTICE]), 1);
    let conf: Vec<f64> = jsonl(&r.stdout)
        .iter()
        .map(|f| f["confidence"].as_f64().unwrap())
        .collect();
    assert_eq!(conf, [1.0, 1.0, 0.5]);
    let r = run_code(
        &mut scan(&["--format", "jsonl", "--min-confidence", "0.9", NOTICE]),
        1,
    );
    assert_eq!(
        rules_of(&r.stdout),
        ["test.petroleum.supply", "test.military.cooperation"]
    );
    let r = run_code(
        &mut scan(&["--format", "jsonl", "--min-confidence", "0.5", NOTICE]),
        1,
    );
    assert_eq!(rules_of(&r.stdout).len(), 3, "the bound is inclusive");
}

#[test]
fn filter_by_rule_glob() {
    let r = run_code(
        &mut scan(&["--format", "jsonl", "--rule", "test.petroleum.*", NOTICE]),
        1,
    );
    assert_eq!(
        rules_of(&r.stdout),
        ["test.petroleum.supply", "test.petroleum.supply"]
    );
    let r = run_code(
        &mut scan(&[
            "--format",
            "jsonl",
            "--rule",
            "*.military.*",
            "--rule",
            "nothing.*",
            NOTICE,
        ]),
        1,
    );
    assert_eq!(rules_of(&r.stdout), ["test.military.cooperation"]);
    let r = run_code(&mut scan(&["--rule", "other.*", NOTICE]), 2);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains("no loaded rule id matches"),
        "{}",
        r.stderr
    );
    let r = run_code(&mut scan(&["--rule", "test.[", NOTICE]), 2);
    assert!(r.stderr.contains("--rule test.["), "{}", r.stderr);
    assert_eq!(r.stdout, "");
}

// ---------------------------------------------------------------------------
// scan: threads, baselines, rule sources, color
// ---------------------------------------------------------------------------

#[test]
fn threads_do_not_change_the_output() {
    let dir = generated_docs(30);
    for format in ["text", "jsonl", "csv", "sarif"] {
        let one = run_code(
            &mut scan_in(dir.path(), &["--threads", "1", "--format", format, "docs"]),
            1,
        );
        let four = run_code(
            &mut scan_in(dir.path(), &["-j", "4", "--format", format, "docs"]),
            1,
        );
        assert!(one.stdout.len() > 1000, "{format}: output is substantial");
        assert!(
            one.stdout == four.stdout,
            "{format}: --threads 1 and 4 differ"
        );
    }
    // And the order is the sorted path order.
    let r = run_code(&mut scan_in(dir.path(), &["--format", "jsonl", "docs"]), 1);
    let paths = paths_of(&r.stdout);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

#[test]
fn a_folder_of_many_files_is_reported_in_order_whatever_the_threads() {
    // Enough files that workers send the outcomes of several files at once.
    let n = 700;
    let dir = generated_docs(n);
    let outputs: Vec<Run> = ["1", "2", "3"]
        .iter()
        .map(|t| {
            run_code(
                &mut scan_in(dir.path(), &["-j", t, "--format", "jsonl", "docs"]),
                1,
            )
        })
        .collect();
    let paths = paths_of(&outputs[0].stdout);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "findings follow the sorted path order");
    let mut files = paths.clone();
    files.dedup();
    // Every even-numbered report has a hit, and every third one another.
    assert_eq!(
        files.len(),
        (0..n).filter(|i| i % 2 == 0 || i % 3 == 0).count()
    );
    for r in &outputs[1..] {
        assert!(r.stdout == outputs[0].stdout, "thread counts differ");
    }
    assert!(
        outputs[0].stderr.contains(&format!("{n} files")),
        "{}",
        outputs[0].stderr
    );
}

#[test]
fn baseline_suppresses_reviewed_findings_and_reports_new_ones() {
    let dir = tempdir();
    let d = dir.path();
    let notice = std::fs::read_to_string(root().join(NOTICE)).unwrap();
    put(d, "notice.txt", &notice);

    let r = run_code(
        &mut scan_in(d, &["-q", "--write-baseline", "base.json", "notice.txt"]),
        1,
    );
    assert_eq!(r.stdout.matches("notice.txt:").count(), 3, "still reported");
    let base = json(&std::fs::read_to_string(d.join("base.json")).unwrap());
    assert_eq!(base["version"], 1);
    let entries = base["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    for e in entries {
        assert_eq!(e["path"], "notice.txt");
        assert!(e["rule"].is_string() && e["fingerprint"].is_string());
    }

    // Same document: everything is in the baseline.
    let r = run_code(
        &mut scan_in(d, &["--baseline", "base.json", "notice.txt"]),
        0,
    );
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains("no findings, 3 in baseline"),
        "{}",
        r.stderr
    );

    // An unrelated line changes: still suppressed.
    let edited = notice.replace(
        "SHIPPING NOTICE 2019/114 (for internal review)",
        "SHIPPING NOTICE 2019/114-B, amended after the call of 2 May",
    );
    assert_ne!(edited, notice);
    put(d, "notice.txt", &edited);
    let r = run_code(
        &mut scan_in(d, &["--baseline", "base.json", "notice.txt"]),
        0,
    );
    assert_eq!(r.stdout, "");

    // A new hit: reported, the old ones still suppressed.
    put(d, "notice.txt", format!("{edited}\nIn May, {HIT_MILITARY}"));
    let r = run_code(
        &mut scan_in(
            d,
            &["--baseline", "base.json", "--format", "jsonl", "notice.txt"],
        ),
        1,
    );
    let found = jsonl(&r.stdout);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["rule"], "test.military.cooperation");
    assert!(
        found[0]["excerpt"].as_str().unwrap().contains("In May"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("3 in baseline"), "{}", r.stderr);
}

#[test]
fn baseline_that_is_missing_or_not_a_baseline_exits_2() {
    let dir = tempdir();
    let r = run_code(
        &mut scan_in(dir.path(), &["--baseline", "none.json", &abs(NOTICE)]),
        2,
    );
    assert!(r.stderr.contains("baseline none.json"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    put(dir.path(), "junk.json", "{\"findings\": 3}");
    let r = run_code(
        &mut scan_in(dir.path(), &["--baseline", "junk.json", &abs(NOTICE)]),
        2,
    );
    assert!(r.stderr.contains("not a baseline file"), "{}", r.stderr);
}

/// A custom rule file whose list names do not clash with the bundled pack.
const RURITANIA_RULES: &str = r#"
lists:
  acme_ruritania:
    terms: [Ruritania*, Strelsau]
  acme_fuel:
    terms: [diesel, petrol]
rules:
  - id: acme.ruritania.fuel-supply
    title: Fuel supplied to Ruritania
    category: petroleum
    severity: medium
    citations: [{ instrument: "Ruritania Sanctions Regulation 2024", paragraph: "7", verified: true }]
    match:
      all:
        - list: acme_ruritania
        - list: acme_fuel
        - terms: [delivered, shipped]
    examples:
      match: ["Diesel was shipped to Strelsau."]
      no_match: ["Diesel prices rose."]
"#;

#[test]
fn builtin_rules_combined_with_a_custom_file() {
    let dir = tempdir();
    let custom = put(dir.path(), "ruritania.yaml", RURITANIA_RULES);
    let custom = custom.to_str().unwrap();

    let r = run_code(
        bin().args([
            "rules", "list", "--rules", "builtin", "--rules", custom, "--format", "json",
        ]),
        0,
    );
    let ids: Vec<String> = json(&r.stdout)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.iter().any(|i| i.starts_with("un-dprk.")), "{ids:?}");
    assert!(
        ids.contains(&"acme.ruritania.fuel-supply".to_owned()),
        "{ids:?}"
    );

    let mut c = bin();
    c.args([
        "scan", "--rules", "builtin", "--rules", custom, "--format", "jsonl", "-",
    ])
    .write_stdin("In June, 300 tonnes of diesel were shipped to Strelsau.\n");
    let r = run_code(&mut c, 1);
    assert!(
        rules_of(&r.stdout).contains(&"acme.ruritania.fuel-supply".to_owned()),
        "{}",
        r.stdout
    );

    // The custom file alone does not load the bundled pack.
    let r = run_code(
        bin().args(["rules", "list", "--rules", custom, "--format", "json"]),
        0,
    );
    assert_eq!(json(&r.stdout).as_array().unwrap().len(), 1);
}

#[test]
fn bad_rule_file_exits_2_with_file_line_col() {
    let bad = format!("{BAD}/unknown_list.yaml");
    let r = run_code(
        bin().args(["scan", "--color", "never", "--rules", &bad, NOTICE]),
        2,
    );
    assert_eq!(r.stdout, "", "nothing is scanned");
    assert!(r.stderr.contains("error[E003]"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{bad}:12:17")), "{}", r.stderr);
    assert!(
        r.stderr.contains("did you mean `dprk_aliases`?"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("1 error(s) in rule files"),
        "{}",
        r.stderr
    );
    assert!(!has_ansi(&r.stderr));

    let bad = format!("{BAD}/syntax_error.yaml");
    let r = run_code(bin().args(["scan", "--rules", &bad, NOTICE]), 2);
    assert!(r.stderr.contains("error[E001]"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{bad}:3:12")), "{}", r.stderr);
}

#[test]
fn color_always_never_and_no_color() {
    let r = run_code(&mut scan(&["--color", "always", NOTICE]), 1);
    assert!(r.stdout.contains("\u{1b}["), "ANSI escapes: {:?}", r.stdout);
    assert!(r.stderr.contains("\u{1b}["), "summary is colored too");

    let r = run_code(&mut scan(&["--color", "never", NOTICE]), 1);
    assert!(!has_ansi(&r.stdout) && !has_ansi(&r.stderr));

    let r = run_code(scan(&[NOTICE]).env("NO_COLOR", "1"), 1);
    assert!(!has_ansi(&r.stdout) && !has_ansi(&r.stderr));

    // An explicit flag wins over NO_COLOR.
    let r = run_code(scan(&["--color", "always", NOTICE]).env("NO_COLOR", "1"), 1);
    assert!(has_ansi(&r.stdout));

    // Without a terminal, `auto` means no color.
    let r = run_code(&mut scan(&[NOTICE]), 1);
    assert!(!has_ansi(&r.stdout));
}

// ---------------------------------------------------------------------------
// scan: record files (.csv, .json, .jsonl, .yaml)
// ---------------------------------------------------------------------------

/// A customs export: record 2 describes a delivery to the DPRK.
const MANIFEST_CSV: &str = "id,description,destination\n\
    1,Weekly fuel price report,China\n\
    2,\"The tanker delivered diesel to Nampo, North Korea.\",China\n";

#[test]
fn scan_record_file_reports_the_record_and_field() {
    let dir = tempdir();
    put(dir.path(), "manifest.csv", MANIFEST_CSV);
    let r = run_code(
        &mut scan_in(dir.path(), &["--format", "jsonl", "manifest.csv"]),
        1,
    );
    let found = jsonl(&r.stdout);
    assert_eq!(found.len(), 1, "{}", r.stdout);
    assert_finding_shape(&found[0]);
    assert_eq!(found[0]["record"], 2);
    assert_eq!(found[0]["field"], "description");
    assert_eq!(found[0]["line"], 3);

    let r = run_code(
        &mut scan_in(dir.path(), &["--color", "never", "manifest.csv"]),
        1,
    );
    assert!(
        r.stdout.starts_with(
            "manifest.csv:3: record 2, field description: high test.petroleum.supply: "
        ),
        "{}",
        r.stdout
    );

    let r = run_code(
        &mut scan_in(dir.path(), &["--format", "sarif", "manifest.csv"]),
        1,
    );
    validate_sarif(&json(&r.stdout)).unwrap();
}

#[test]
fn scan_record_file_as_text_with_no_records() {
    let dir = tempdir();
    put(dir.path(), "manifest.csv", MANIFEST_CSV);
    let r = run_code(
        &mut scan_in(
            dir.path(),
            &["--no-records", "--format", "jsonl", "manifest.csv"],
        ),
        1,
    );
    let found = jsonl(&r.stdout);
    assert_eq!(found.len(), 1, "{}", r.stdout);
    assert_eq!(found[0]["line"], 3);
    assert!(found[0].get("record").is_none(), "{}", r.stdout);
    assert!(found[0].get("field").is_none(), "{}", r.stdout);
}

#[test]
fn scan_malformed_record_is_an_error_and_the_others_are_scanned() {
    let dir = tempdir();
    put(
        dir.path(),
        "manifest.csv",
        format!("{MANIFEST_CSV}3,too,many,fields\n"),
    );
    let r = run_code(
        &mut scan_in(dir.path(), &["--format", "jsonl", "manifest.csv"]),
        2,
    );
    assert!(
        r.stderr
            .contains("sanctions-check: manifest.csv: record 3 (line 4): "),
        "{}",
        r.stderr
    );
    assert_eq!(jsonl(&r.stdout).len(), 1, "record 2 is still reported");
}

#[test]
fn fields_file_problems_exit_2() {
    let dir = tempdir();
    put(dir.path(), "manifest.csv", MANIFEST_CSV);
    put(dir.path(), "good.yaml", "roles:\n  hs_code: [tariff_no]\n");
    put(dir.path(), "bad.yaml", "rolez:\n  hs_code: [tariff_no]\n");
    run_code(
        &mut scan_in(dir.path(), &["--fields", "good.yaml", "manifest.csv"]),
        1,
    );
    let r = run_code(
        &mut scan_in(dir.path(), &["--fields", "none.yaml", "manifest.csv"]),
        2,
    );
    assert!(r.stderr.contains("--fields none.yaml"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let r = run_code(
        &mut scan_in(dir.path(), &["--fields", "bad.yaml", "manifest.csv"]),
        2,
    );
    assert!(r.stderr.contains("bad.yaml:1:1"), "{}", r.stderr);
    assert!(r.stderr.contains("E001"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
}

// ---------------------------------------------------------------------------
// Output formats
// ---------------------------------------------------------------------------

#[test]
fn format_json_document() {
    let r = run_code(&mut scan(&["--format", "json", NOTICE, WEATHER]), 1);
    let doc = json(&r.stdout);
    assert_eq!(doc["version"], 1);
    assert!(doc["errors"].as_array().unwrap().is_empty());
    let summary = &doc["summary"];
    assert_eq!(summary["files"], 2);
    assert_eq!(summary["findings"], 3);
    assert_eq!(summary["by_severity"]["critical"], 1);
    assert_eq!(summary["by_severity"]["high"], 2);
    assert!(summary["elapsed_ms"].is_u64());
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3);

    // Offsets point into the original document.
    let text = std::fs::read_to_string(root().join(NOTICE)).unwrap();
    for f in findings {
        assert_finding_shape(f);
        assert_eq!(f["path"], NOTICE);
        for e in f["evidence"].as_array().unwrap() {
            let (s, t) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[s..t], e["text"].as_str().unwrap());
        }
        let (s, t) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert!(f["excerpt"].as_str().unwrap().contains(&text[s..t]));
    }
    insta::assert_json_snapshot!("scan_json", doc, { ".summary.elapsed_ms" => "[elapsed_ms]" });
}

#[test]
fn format_jsonl_one_finding_per_line() {
    let r = run_code(&mut scan(&["--format", "jsonl", NOTICE, WEATHER]), 1);
    assert!(r.stdout.ends_with('\n'));
    let lines = jsonl(&r.stdout);
    assert_eq!(lines.len(), 3);
    for f in &lines {
        assert_finding_shape(f);
    }
    // The same findings as the json document, in the same order.
    let doc = json(&run_code(&mut scan(&["--format", "json", NOTICE, WEATHER]), 1).stdout);
    assert_eq!(&Value::Array(lines), &doc["findings"]);

    let r = run_code(&mut scan(&["--format", "jsonl", WEATHER]), 0);
    assert_eq!(r.stdout, "");
}

#[test]
fn format_csv_header_and_one_row_per_finding() {
    let r = run_code(&mut scan(&["--format", "csv", NOTICE, WEATHER]), 1);
    let rows = parse_csv(&r.stdout);
    let header = &rows[0];
    for k in [
        "path",
        "line",
        "column",
        "start",
        "end",
        "rule",
        "title",
        "category",
        "severity",
        "confidence",
        "proximity",
        "citations",
        "excerpt",
        "evidence",
        "fingerprint",
    ] {
        assert!(
            header.iter().any(|h| h == k),
            "CSV header lacks {k}: {header:?}"
        );
    }
    assert_eq!(rows.len(), 4, "header + 3 findings:\n{}", r.stdout);
    for row in &rows[1..] {
        assert_eq!(row.len(), header.len(), "{row:?}");
    }
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let doc = json(&run_code(&mut scan(&["--format", "json", NOTICE, WEATHER]), 1).stdout);
    for (row, f) in rows[1..].iter().zip(doc["findings"].as_array().unwrap()) {
        assert_eq!(row[col("path")], f["path"].as_str().unwrap());
        assert_eq!(row[col("rule")], f["rule"].as_str().unwrap());
        assert_eq!(row[col("line")], f["line"].to_string());
        assert_eq!(row[col("column")], f["column"].to_string());
        assert_eq!(row[col("fingerprint")], f["fingerprint"].as_str().unwrap());
        assert!(!row[col("excerpt")].contains('\n'), "excerpt on one line");
    }
    insta::assert_snapshot!("scan_csv", r.stdout);

    // No findings: the header alone.
    let r = run_code(&mut scan(&["--format", "csv", WEATHER]), 0);
    assert_eq!(parse_csv(&r.stdout).len(), 1);
}

#[test]
fn format_sarif_is_valid_sarif_2_1_0() {
    let r = run_code(&mut scan(&["--format", "sarif", NOTICE, WEATHER]), 1);
    let log = json(&r.stdout);
    validate_sarif(&log).unwrap_or_else(|e| panic!("invalid SARIF: {e}\n{}", r.stdout));
    let run0 = &log["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "sanctions-check");
    assert_eq!(run0["tool"]["driver"]["rules"].as_array().unwrap().len(), 2);
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(
        levels,
        ["error", "error", "error"],
        "high and critical are errors"
    );
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        NOTICE
    );
    insta::assert_json_snapshot!(
        "scan_sarif",
        log,
        { ".runs[0].tool.driver.version" => "[version]" }
    );
}

#[test]
fn format_sarif_with_no_findings_and_from_stdin() {
    let r = run_code(&mut scan(&["--format", "sarif", WEATHER]), 0);
    let log = json(&r.stdout);
    validate_sarif(&log).unwrap();
    assert_eq!(log["runs"][0]["results"], Value::Array(vec![]));

    let r = run_code(scan(&["--format", "sarif"]).write_stdin(HIT), 1);
    let log = json(&r.stdout);
    validate_sarif(&log).unwrap();
    let loc = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["region"]["startLine"], 1);
}

/// Sets (or, with `None`, removes) the value at a JSON pointer.
fn mutated(base: &Value, pointer: &str, value: Option<Value>) -> Value {
    let mut v = base.clone();
    let (parent, key) = pointer.rsplit_once('/').expect("pointer");
    let parent = v.pointer_mut(parent).unwrap_or_else(|| panic!("{pointer}"));
    match value {
        Some(x) => *parent.pointer_mut(&format!("/{key}")).expect(pointer) = x,
        None => {
            parent
                .as_object_mut()
                .expect("object")
                .remove(key)
                .expect(pointer);
        }
    }
    v
}

#[test]
fn sarif_validator_accepts_valid_logs_and_rejects_each_broken_rule() {
    let text = std::fs::read_to_string(root().join(SARIF_VALID)).unwrap();
    let valid = json(&text);
    validate_sarif(&valid).unwrap();
    let r = "/runs/0/results/0";
    let cases: Vec<(&str, String, Option<Value>)> = vec![
        ("wrong version", "/version".into(), Some("2.0.0".into())),
        ("no $schema", "/$schema".into(), None),
        ("empty runs", "/runs".into(), Some(Value::Array(vec![]))),
        ("no driver name", "/runs/0/tool/driver/name".into(), None),
        ("no rules", "/runs/0/tool/driver/rules".into(), None),
        (
            "rule without shortDescription",
            "/runs/0/tool/driver/rules/0/shortDescription".into(),
            None,
        ),
        (
            "unknown ruleId",
            format!("{r}/ruleId"),
            Some("demo.nope".into()),
        ),
        (
            "ruleIndex of another rule",
            format!("{r}/ruleIndex"),
            Some(0.into()),
        ),
        (
            "ruleIndex out of range",
            format!("{r}/ruleIndex"),
            Some(7.into()),
        ),
        ("bad level", format!("{r}/level"), Some("fatal".into())),
        ("no message", format!("{r}/message/text"), None),
        (
            "no uri",
            format!("{r}/locations/0/physicalLocation/artifactLocation/uri"),
            None,
        ),
        (
            "uri with a space",
            format!("{r}/locations/0/physicalLocation/artifactLocation/uri"),
            Some("docs/a b.txt".into()),
        ),
        (
            "startLine 0",
            format!("{r}/locations/0/physicalLocation/region/startLine"),
            Some(0.into()),
        ),
        (
            "startColumn 0",
            format!("{r}/locations/0/physicalLocation/region/startColumn"),
            Some(0.into()),
        ),
        (
            "numeric fingerprint",
            format!("{r}/partialFingerprints/example~1v1"),
            Some(12.into()),
        ),
        ("no fingerprints", format!("{r}/partialFingerprints"), None),
    ];
    for (what, pointer, value) in cases {
        let broken = mutated(&valid, &pointer, value);
        assert!(
            validate_sarif(&broken).is_err(),
            "the validator accepts a log with {what}"
        );
    }
}

// ---------------------------------------------------------------------------
// rules list | validate | test | schema
// ---------------------------------------------------------------------------

#[test]
fn rules_list_text() {
    let r = run_code(bin().args(["rules", "list", "--rules", BASIC]), 0);
    insta::assert_snapshot!("rules_list_text", r.stdout);
}

#[test]
fn rules_list_json() {
    let r = run_code(
        bin().args(["rules", "list", "--rules", BASIC, "--format", "json"]),
        0,
    );
    let rules = json(&r.stdout);
    for rule in rules.as_array().unwrap() {
        for k in [
            "id",
            "title",
            "category",
            "severity",
            "citations",
            "file",
            "line",
        ] {
            assert!(rule.get(k).is_some(), "rule lacks {k}: {rule}");
        }
    }
    insta::assert_json_snapshot!("rules_list_json", rules);
}

#[test]
fn rules_list_unverified() {
    let r = run_code(
        bin().args([
            "rules",
            "list",
            "--rules",
            BASIC,
            "--unverified",
            "--format",
            "json",
        ]),
        0,
    );
    assert_eq!(
        json(&r.stdout),
        Value::Array(vec![]),
        "basic.yaml is all verified"
    );

    let failing = format!("{BAD}/failing_example.yaml");
    let r = run_code(
        bin().args(["rules", "list", "--rules", &failing, "--unverified"]),
        0,
    );
    assert!(r.stdout.contains("demo.example"), "{}", r.stdout);
    assert!(r.stdout.contains("[citation unverified]"), "{}", r.stdout);
    let r = run_code(
        bin().args([
            "rules",
            "list",
            "--rules",
            &failing,
            "--unverified",
            "--format",
            "json",
        ]),
        0,
    );
    let rules = json(&r.stdout);
    assert_eq!(rules[0]["id"], "demo.example");
    assert_eq!(rules[0]["unverified_citation"], true);
}

#[test]
fn rules_list_defaults_to_the_bundled_pack() {
    let r = run_code(bin().args(["rules", "list", "--format", "json"]), 0);
    let rules = json(&r.stdout);
    let rules = rules.as_array().unwrap();
    assert!(!rules.is_empty());
    for rule in rules {
        assert!(
            rule["id"].as_str().unwrap().starts_with("un-dprk."),
            "{rule}"
        );
    }
}

#[test]
fn rules_list_with_a_bad_file_exits_2() {
    let bad = format!("{BAD}/bad_severity.yaml");
    let r = run_code(bin().args(["rules", "list", "--rules", &bad]), 2);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("error[E001]"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{bad}:")), "{}", r.stderr);
}

#[test]
fn rules_validate_good_file_exits_0() {
    let r = run_code(bin().args(["rules", "validate", BASIC]), 0);
    assert!(
        r.stderr
            .contains("2 rules, 4 examples: 0 error(s), 0 warning(s)"),
        "{}",
        r.stderr
    );
}

#[test]
fn rules_validate_bad_file_exits_2_with_location_and_code() {
    let bad = format!("{BAD}/unknown_list.yaml");
    let r = run_code(
        bin().args(["rules", "validate", "--color", "never", &bad]),
        2,
    );
    assert!(r.stderr.contains("error[E003]"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{bad}:12:17")), "{}", r.stderr);
    assert!(!has_ansi(&r.stderr));

    let r = run_code(
        bin().args([
            "rules",
            "validate",
            "--color",
            "never",
            &format!("{BAD}/many_problems.yaml"),
        ]),
        2,
    );
    for code in [
        "E002", "E004", "E006", "E007", "E008", "E009", "E014", "E015", "E016",
    ] {
        assert!(
            r.stderr.contains(&format!("[{code}]")),
            "{code}:\n{}",
            r.stderr
        );
    }

    let r = run_code(
        bin().args(["rules", "validate", "--color", "always", &bad]),
        2,
    );
    assert!(has_ansi(&r.stderr));
}

#[test]
fn rules_validate_warnings_exit_0() {
    let r = run_code(
        bin().args([
            "rules",
            "validate",
            "--color",
            "never",
            &format!("{BAD}/warnings.yaml"),
        ]),
        0,
    );
    for code in ["W001", "W002", "W003"] {
        assert!(
            r.stderr.contains(&format!("warning[{code}]")),
            "{code}:\n{}",
            r.stderr
        );
    }
    assert!(
        r.stderr.contains("0 error(s), 3 warning(s)"),
        "{}",
        r.stderr
    );
}

#[test]
fn rules_validate_failing_examples_exit_2() {
    let r = run_code(
        bin().args([
            "rules",
            "validate",
            "--color",
            "never",
            &format!("{BAD}/failing_example.yaml"),
        ]),
        2,
    );
    assert_eq!(r.stderr.matches("error[E010]").count(), 2, "{}", r.stderr);
}

#[test]
fn rules_validate_missing_path_and_split_folder() {
    let r = run_code(bin().args(["rules", "validate", "no/such/rules.yaml"]), 2);
    assert!(r.stderr.contains("E012"), "{}", r.stderr);
    let r = run_code(
        bin().args([
            "rules",
            "validate",
            "--color",
            "never",
            &format!("{BAD}/split"),
        ]),
        2,
    );
    assert!(r.stderr.contains("error[E011]"), "{}", r.stderr);
    assert!(r.stderr.contains("error[E002]"), "{}", r.stderr);
    let r = run_code(bin().args(["rules", "validate"]), 2);
    assert!(r.stderr.contains("required"), "{}", r.stderr);
}

#[test]
fn rules_test_passing_file() {
    let r = run_code(bin().args(["rules", "test", BASIC]), 0);
    assert!(r.stdout.contains("4 passed, 0 failed"), "{}", r.stdout);
    assert!(!r.stdout.contains("FAIL"), "{}", r.stdout);
}

#[test]
fn rules_test_failing_file_exits_1_and_explains() {
    let failing = format!("{BAD}/failing_example.yaml");
    let r = run_code(bin().args(["rules", "test", &failing]), 1);
    assert_eq!(
        r.stdout.matches("FAIL demo.example").count(),
        2,
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!(
            "FAIL demo.example ({failing}:13:11): expected a finding"
        )),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!(
            "FAIL demo.example ({failing}:15:11): expected no finding"
        )),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("  text: Diesel was shipped to Strelsau."));
    assert!(
        r.stdout
            .contains("  text: Ruritanian buyers bought diesel.")
    );
    assert!(r.stdout.contains("  why:  "), "{}", r.stdout);
    assert!(
        r.stdout.contains("the conditions never held together"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("0 passed, 2 failed"), "{}", r.stdout);
}

#[test]
fn rules_test_json() {
    let failing = format!("{BAD}/failing_example.yaml");
    let r = run_code(
        bin().args(["rules", "test", "--format", "json", &failing]),
        1,
    );
    let report = json(&r.stdout);
    assert_eq!(report["rules"], 1);
    assert_eq!(report["examples"], 2);
    assert_eq!(report["failed"], 2);
    let failures = report["failures"].as_array().unwrap();
    let expected = [
        ("match", 13, "Diesel was shipped to Strelsau."),
        ("no_match", 15, "Ruritanian buyers bought diesel."),
    ];
    for (f, (kind, line, text)) in failures.iter().zip(expected) {
        assert_eq!(f["rule"], "demo.example");
        assert_eq!(f["file"], failing.as_str());
        assert_eq!(f["expected"], kind);
        assert_eq!(f["line"], line);
        assert_eq!(f["column"], 11);
        assert_eq!(f["text"], text);
        assert!(f["why"].as_str().is_some_and(|w| !w.is_empty()), "{f}");
    }
    assert!(
        failures[0]["why"]
            .as_str()
            .unwrap()
            .contains("the conditions never held together"),
        "{}",
        r.stdout
    );

    let r = run_code(bin().args(["rules", "test", "--format", "json", BASIC]), 0);
    let report = json(&r.stdout);
    assert_eq!(report["rules"], 2);
    assert_eq!(report["examples"], 4);
    assert_eq!(report["failed"], 0);
    assert_eq!(report["failures"], Value::Array(vec![]));
}

#[test]
fn rules_test_bad_file_exits_2() {
    let r = run_code(
        bin().args(["rules", "test", &format!("{BAD}/unknown_list.yaml")]),
        2,
    );
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("E003"), "{}", r.stderr);
}

#[test]
fn rules_schema_is_json_schema() {
    let r = run_code(bin().args(["rules", "schema"]), 0);
    let schema = json(&r.stdout);
    assert!(schema.get("$schema").is_some() || schema.get("title").is_some());
    assert_eq!(schema["type"], "object");
    assert!(schema["properties"].get("rules").is_some(), "{schema}");
    assert!(schema["properties"].get("lists").is_some(), "{schema}");
}

// ---------------------------------------------------------------------------
// explain
// ---------------------------------------------------------------------------

#[test]
fn explain_rule_info() {
    let r = run_code(
        bin().args(["explain", "test.petroleum.supply", "--rules", BASIC]),
        0,
    );
    insta::assert_snapshot!("explain_rule_info", r.stdout);
}

#[test]
fn explain_with_text_that_matches() {
    let r = run_code(
        bin().args([
            "explain",
            "test.petroleum.supply",
            "--rules",
            BASIC,
            "--text",
            "The tanker delivered diesel to Nampo, North Korea. Diesel prices rose in Seoul.",
        ]),
        1,
    );
    assert!(r.stdout.contains("Terms in the text:"), "{}", r.stdout);
    assert!(r.stdout.contains("Result: 1 finding(s)."), "{}", r.stdout);
    insta::assert_snapshot!("explain_text_match", r.stdout);
}

#[test]
fn explain_with_text_that_does_not_match() {
    let r = run_code(
        bin().args([
            "explain",
            "test.petroleum.supply",
            "--rules",
            BASIC,
            "--text",
            "Diesel prices rose in Seoul.",
        ]),
        0,
    );
    assert!(r.stdout.contains("no match"), "{}", r.stdout);
    assert!(r.stdout.contains("Result: 0 finding(s)."), "{}", r.stdout);

    let r = run_code(
        bin().args([
            "explain",
            "test.military.cooperation",
            "--rules",
            BASIC,
            "--text",
            "South Korea and Pyongyang discussed military cooperation.",
        ]),
        0,
    );
    assert!(r.stdout.contains("cancelled by `unless`"), "{}", r.stdout);
    assert!(r.stdout.contains("Result: 0 finding(s)."), "{}", r.stdout);
}

#[test]
fn explain_unknown_rule_exits_2_with_a_hint() {
    let r = run_code(
        bin().args(["explain", "test.petroleum", "--rules", BASIC]),
        2,
    );
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.contains("no rule with id `test.petroleum`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `test.petroleum.supply`?"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("sanctions-check rules list"),
        "{}",
        r.stderr
    );

    let r = run_code(
        bin().args(["explain", "nothing.like.it", "--rules", BASIC]),
        2,
    );
    assert!(
        r.stderr.contains("sanctions-check rules list"),
        "{}",
        r.stderr
    );
}

#[test]
fn explain_with_a_file() {
    let r = run_code(
        bin().args(["explain", "test.petroleum.supply", "--rules", BASIC, NOTICE]),
        1,
    );
    assert!(r.stdout.contains("Result: 2 finding(s)."), "{}", r.stdout);
    assert!(
        r.stdout.contains("  3:33 confidence 1.00 (sentence)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("  9:10 confidence 0.50 (sentence); "),
        "{}",
        r.stdout
    );

    let r = run_code(
        bin().args([
            "explain",
            "test.petroleum.supply",
            "--rules",
            BASIC,
            "no/such.txt",
        ]),
        2,
    );
    assert!(r.stderr.contains("no/such.txt"), "{}", r.stderr);

    // A file and --text together are a usage error.
    let r = run_code(
        bin().args([
            "explain",
            "test.petroleum.supply",
            "--rules",
            BASIC,
            "--text",
            "x",
            NOTICE,
        ]),
        2,
    );
    assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
}

#[test]
fn explain_json() {
    let r = run_code(
        bin().args([
            "explain",
            "test.petroleum.supply",
            "--rules",
            BASIC,
            "--format",
            "json",
            "--text",
            "The tanker delivered diesel to North Korea.",
        ]),
        1,
    );
    let doc = json(&r.stdout);
    assert_eq!(doc["rule"], "test.petroleum.supply");
    assert_eq!(doc["explanation"]["findings"].as_array().unwrap().len(), 1);
    insta::assert_json_snapshot!("explain_json", doc);

    let r = run_code(
        bin().args([
            "explain",
            "test.military.cooperation",
            "--rules",
            BASIC,
            "--format",
            "json",
        ]),
        0,
    );
    let doc = json(&r.stdout);
    assert_eq!(doc["severity"], "critical");
    assert_eq!(doc["explanation"], Value::Null);
    assert!(doc["unless"].is_string(), "{doc}");
}

// ---------------------------------------------------------------------------
// A closed standard output, help, usage
// ---------------------------------------------------------------------------

/// Runs a scan whose standard output is closed after a few bytes; returns
/// the exit code and standard error.
fn scan_into_closed_pipe(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sanctions-check"))
        .args(["scan", "--rules", &abs(BASIC)])
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let status = child.wait().expect("wait");
    (status.code(), stderr)
}

/// A folder `docs/` with 300 documents of 3 findings each (far more output
/// than a pipe buffer holds).
fn many_findings() -> TempDir {
    let dir = tempdir();
    let notice = std::fs::read(root().join(NOTICE)).unwrap();
    for i in 0..300 {
        put(dir.path(), &format!("docs/n{i:03}.txt"), &notice);
    }
    dir
}

/// A document with 400 findings (more output than the writer's buffers).
fn one_big_document() -> TempDir {
    let dir = tempdir();
    let text: String = (0..400)
        .map(|i| format!("Tanker number {i} delivered diesel to Nampo, North Korea.\n\n"))
        .collect();
    put(dir.path(), "docs/big.txt", text);
    dir
}

fn assert_quiet_end(format: &str, code: Option<i32>, stderr: &str) {
    assert!(!stderr.contains("panicked"), "{format}: {stderr}");
    assert_ne!(code, Some(101), "{format}: {stderr}");
    assert!(
        !stderr.contains("Broken pipe"),
        "{format}: a closed stdout ends quietly: {stderr}"
    );
    assert_ne!(code, Some(2), "{format}: {stderr}");
}

#[test]
fn closed_stdout_ends_quietly() {
    let dir = many_findings();
    for format in ["text", "jsonl", "csv"] {
        for threads in ["1", "4"] {
            let (code, stderr) =
                scan_into_closed_pipe(dir.path(), &["--format", format, "-j", threads, "docs"]);
            assert_quiet_end(format, code, &stderr);
        }
    }
    let dir = one_big_document();
    let (code, stderr) = scan_into_closed_pipe(dir.path(), &["--format", "text", "docs"]);
    assert_quiet_end("text", code, &stderr);
}

#[test]
fn closed_stdout_never_panics_in_any_format() {
    for dir in [many_findings(), one_big_document()] {
        for format in ["text", "json", "jsonl", "csv", "sarif"] {
            let (code, stderr) = scan_into_closed_pipe(dir.path(), &["--format", format, "docs"]);
            assert!(!stderr.contains("panicked"), "{format}: {stderr}");
            assert_ne!(code, Some(101), "{format}: {stderr}");
        }
    }
}

#[test]
fn bug_closed_stdout_ends_quietly_in_every_format() {
    let dir = many_findings();
    for format in ["json", "sarif"] {
        let (code, stderr) = scan_into_closed_pipe(dir.path(), &["--format", format, "docs"]);
        assert_quiet_end(format, code, &stderr);
    }
    let dir = one_big_document();
    for format in ["jsonl", "csv"] {
        let (code, stderr) = scan_into_closed_pipe(dir.path(), &["--format", format, "docs"]);
        assert_quiet_end(format, code, &stderr);
    }
}

#[test]
fn help_of_every_command() {
    let commands: [&[&str]; 8] = [
        &[],
        &["scan"],
        &["rules"],
        &["rules", "list"],
        &["rules", "validate"],
        &["rules", "test"],
        &["rules", "schema"],
        &["explain"],
    ];
    for args in commands {
        let r = run_code(bin().args(args).arg("--help"), 0);
        assert!(
            r.stdout.contains("Usage: sanctions-check"),
            "{args:?}: {}",
            r.stdout
        );
        if matches!(args, ["scan"] | ["explain"]) {
            assert!(r.stdout.contains("Examples:"), "{args:?}: {}", r.stdout);
            assert!(
                r.stdout.contains(&format!("sanctions-check {}", args[0])),
                "{args:?}: the examples show the command: {}",
                r.stdout
            );
        }
    }
    let r = run_code(bin().args(["help", "scan"]), 0);
    assert!(r.stdout.contains("Examples"));
    let r = run_code(bin().arg("--version"), 0);
    assert!(r.stdout.starts_with("sanctions-check "), "{}", r.stdout);
}

#[test]
fn usage_errors_exit_2() {
    let r = run_code(&mut bin(), 2);
    assert!(r.stderr.contains("Usage:"), "{}", r.stderr);
    let r = run_code(bin().arg("frobnicate"), 2);
    assert!(r.stderr.contains("unrecognized subcommand"), "{}", r.stderr);
    let r = run_code(&mut scan(&["--format", "xml", NOTICE]), 2);
    assert!(r.stderr.contains("--format"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let r = run_code(&mut scan(&["--color", "sometimes", NOTICE]), 2);
    assert!(r.stderr.contains("--color"), "{}", r.stderr);
    let r = run_code(bin().args(["explain"]), 2);
    assert!(r.stderr.contains("<RULE>"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------
// Known bugs: the behaviour the binary should have (run with --ignored)
// ---------------------------------------------------------------------------

#[test]
fn bug_text_output_does_not_pass_terminal_escapes_through() {
    let doc = "The tanker delivered diesel \u{1b}[2J\u{1b}]0;owned\u{7} to North Korea.\n";
    let r = run_code(scan(&["--color", "never", "-"]).write_stdin(doc), 1);
    assert!(
        !r.stdout.chars().any(|c| c.is_control() && c != '\n'),
        "control characters in the text output: {:?}",
        r.stdout
    );
}

#[test]
fn bug_invalid_utf8_byte_does_not_split_the_sentence() {
    let latin1 = b"The tanker delivered diesel to the caf\xe9 in North Korea.\n".to_vec();
    let utf8 = "The tanker delivered diesel to the caf\u{e9} in North Korea.\n";
    let a = run_code(scan(&["--format", "jsonl", "-"]).write_stdin(utf8), 1);
    let b = run(scan(&["--format", "jsonl", "-"]).write_stdin(latin1));
    assert_eq!(rules_of(&a.stdout), rules_of(&b.stdout), "{}", b.stderr);
}

#[test]
fn bug_sarif_uri_is_percent_encoded() {
    let dir = tempdir();
    let name = "report #3 100%.txt";
    put(dir.path(), name, HIT);
    let r = run_code(&mut scan_in(dir.path(), &["--format", "sarif", name]), 1);
    let log = json(&r.stdout);
    validate_sarif(&log).unwrap();
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(uri, "report%20%233%20100%25.txt");
}

#[test]
fn bug_sarif_declares_its_column_kind() {
    let r = run_code(
        scan(&["--format", "sarif"])
            .write_stdin("\u{1f6a2} The tanker delivered diesel to North Korea.\n"),
        1,
    );
    let log = json(&r.stdout);
    let col =
        &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"];
    // "delivered" is character 14, UTF-16 code unit 15.
    let ok = match log["runs"][0]["columnKind"].as_str() {
        Some("unicodeCodePoints") => col == 14,
        Some("utf16CodeUnits") | None => col == 15,
        Some(_) => false,
    };
    assert!(
        ok,
        "startColumn {col} with columnKind {}",
        log["runs"][0]["columnKind"]
    );
}

#[test]
fn bug_baseline_matches_the_same_file_spelled_differently() {
    let dir = tempdir();
    let d = dir.path();
    put(d, "doc.txt", HIT);
    run_code(
        &mut scan_in(d, &["-q", "--write-baseline", "b.json", "doc.txt"]),
        1,
    );
    let r = run(&mut scan_in(d, &["--baseline", "b.json", "./doc.txt"]));
    assert_eq!(r.code, Some(0), "{}", r.stdout);
}

#[test]
fn sarif_region_of_a_record_finding_gives_the_record_line_only() {
    // Offsets of record findings are within a field's value, so SARIF gets
    // the line where the record starts and no byte offset or column that
    // would point at the wrong bytes of the file.
    let dir = tempdir();
    put(dir.path(), "manifest.csv", MANIFEST_CSV);
    let r = run_code(
        &mut scan_in(dir.path(), &["--format", "sarif", "manifest.csv"]),
        1,
    );
    let log = json(&r.stdout);
    let region = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 3);
    assert!(region.get("byteOffset").is_none(), "{region}");
    assert!(region.get("startColumn").is_none(), "{region}");
}

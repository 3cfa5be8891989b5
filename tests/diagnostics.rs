//! Every problem a rule file can have is reported with its file, line,
//! column, rule, code and hint; each rendered message is pinned by a snapshot.

use std::path::Path;

use sanctions_check::{Code, RuleSet};

/// The rendered problems of loading `path` (and, when it loads, its warnings
/// and failing examples, as `rules validate` shows them).
fn render(path: &str) -> String {
    match RuleSet::from_paths(&[path]) {
        Err(e) => e.render(false),
        Ok(rules) => {
            let mut problems = rules.warnings().to_vec();
            problems.extend(rules.check_examples().iter().map(|f| f.to_diagnostic()));
            rules.render_diagnostics(&problems, false)
        }
    }
}

fn codes(path: &str) -> Vec<Code> {
    match RuleSet::from_paths(&[path]) {
        Err(e) => e.diagnostics.iter().map(|d| d.code).collect(),
        Ok(rules) => rules.warnings().iter().map(|d| d.code).collect(),
    }
}

macro_rules! snapshot {
    ($name:ident) => {
        #[test]
        fn $name() {
            let path = format!("tests/fixtures/rules/bad/{}.yaml", stringify!($name));
            assert!(Path::new(&path).exists(), "{path}");
            insta::assert_snapshot!(stringify!($name), render(&path));
        }
    };
}

snapshot!(unknown_list);
snapshot!(unknown_key);
snapshot!(bad_severity);
snapshot!(many_problems);
snapshot!(warnings);
snapshot!(failing_example);
snapshot!(deep_nesting);
snapshot!(syntax_error);
snapshot!(huge_regex);
snapshot!(many_aliases);
snapshot!(alias_bomb);

#[test]
fn split_pack_reports_duplicates_across_files() {
    insta::assert_snapshot!("split", render("tests/fixtures/rules/bad/split"));
    let c = codes("tests/fixtures/rules/bad/split");
    assert!(c.contains(&Code::DuplicateList), "{c:?}");
    assert!(c.contains(&Code::DuplicateRuleId), "{c:?}");
}

#[test]
fn all_problems_of_a_load_are_collected() {
    let c = codes("tests/fixtures/rules/bad/many_problems.yaml");
    for expected in [
        Code::InvalidTerm,
        Code::EmptyList,
        Code::InvalidDate,
        Code::InvalidScope,
        Code::InvalidRegex,
        Code::DuplicateRuleId,
        Code::AmbiguousCondition,
        Code::InvalidId,
        Code::EmptyCondition,
        Code::InvalidCount,
        Code::UnusedList,
        Code::NoCitation,
    ] {
        assert!(c.contains(&expected), "{expected:?} missing from {c:?}");
    }
}

#[test]
fn errors_point_at_the_offending_value() {
    let e = RuleSet::from_paths(&["tests/fixtures/rules/bad/unknown_list.yaml"]).unwrap_err();
    let d = e
        .diagnostics
        .iter()
        .find(|d| d.code == Code::UnknownList)
        .expect("E003");
    assert_eq!((d.position.line, d.position.column), (12, 17));
    assert_eq!(d.rule.as_deref(), Some("demo.unknown-list"));
    assert_eq!(d.hint.as_deref(), Some("did you mean `dprk_aliases`?"));
}

#[test]
fn alias_bombs_are_refused_quickly() {
    for f in ["alias_bomb", "many_aliases"] {
        let r = RuleSet::from_paths(&[format!("tests/fixtures/rules/bad/{f}.yaml")]);
        assert!(r.is_err(), "{f} should be refused");
    }
}

#[test]
fn missing_files_and_non_utf8_files_are_reported() {
    let e = RuleSet::from_paths(&["tests/fixtures/rules/no-such-file.yaml"]).unwrap_err();
    assert_eq!(e.diagnostics[0].code, Code::Io);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("latin1.yaml");
    std::fs::write(&p, b"rules: []\n# caf\xe9\n").unwrap();
    let e = RuleSet::from_paths(&[&p]).unwrap_err();
    assert_eq!(e.diagnostics[0].code, Code::Syntax);
    assert!(e.diagnostics[0].message.contains("UTF-8"));
}

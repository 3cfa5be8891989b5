//! Writes the benchmark corpus and the term lists used by `benches/e2e.sh`.
//!
//! ```text
//! cargo run --release --example make_corpus -- DIR SIZE_MB [SEED] [options]
//!
//!   DIR            where the articles go (DIR/NNN/article-NNNNN.txt)
//!   SIZE_MB        corpus size in MB (10^6 bytes); 0 writes only the term files
//!   SEED           generator seed (default 42)
//!
//!   --terms PATH          the pack's literal terms, one a line: every string under a
//!                         `terms` key (trailing `*` removed) and the name variants of the
//!                         parties of `watchlist:` files, deduplicated case-insensitively
//!                         (default DIR/../terms.txt)
//!   --extra-terms N       also write N generated name-like terms: the pack terms plus the
//!                         N names (see --big-terms), and a rule file (see --names-yaml)
//!   --total-terms T       same as --extra-terms (T - number of pack terms)
//!   --big-terms PATH      pack terms + N names, one a line, for `rg -F -f`
//!                         (default: the --terms path with `-plus-N` before `.txt`)
//!   --names-yaml PATH     rule file of the N names (default DIR/../names-N.yaml):
//!                         list `extra_names`, rule `bench.names`; load it with the pack
//!   --rules DIR           the pack's YAML files (default rules/un-dprk)
//!   --check               scan every hit template and the clean/dense samples with the
//!                         bundled pack and report (exit 1 if a template does not fire
//!                         or clean text has findings)
//! ```
//!
//! Prints `files=... bytes=...` and `terms=...` lines (parsed by e2e.sh).

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sanctions_check::watchlist::WatchlistDef;
use sanctions_check::watchlist::variants::name_variants;

struct Args {
    dir: PathBuf,
    size_mb: f64,
    seed: u64,
    terms: Option<PathBuf>,
    extra: Option<usize>,
    total: Option<usize>,
    names_yaml: Option<PathBuf>,
    big_terms: Option<PathBuf>,
    rules: PathBuf,
    check: bool,
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: make_corpus DIR SIZE_MB [SEED] [--terms PATH] [--extra-terms N | --total-terms T] \
         [--names-yaml PATH] [--big-terms PATH] [--rules DIR] [--check]"
    );
    ExitCode::from(2)
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut a = Args {
        dir: PathBuf::new(),
        size_mb: 0.0,
        seed: 42,
        terms: None,
        extra: None,
        total: None,
        names_yaml: None,
        big_terms: None,
        rules: PathBuf::from("rules/un-dprk"),
        check: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--terms" => a.terms = Some(value("--terms")?.into()),
            "--extra-terms" => {
                a.extra = Some(
                    value("--extra-terms")?
                        .parse()
                        .map_err(|e| format!("{e}"))?,
                )
            }
            "--total-terms" => {
                a.total = Some(
                    value("--total-terms")?
                        .parse()
                        .map_err(|e| format!("{e}"))?,
                )
            }
            "--names-yaml" => a.names_yaml = Some(value("--names-yaml")?.into()),
            "--big-terms" => a.big_terms = Some(value("--big-terms")?.into()),
            "--rules" => a.rules = value("--rules")?.into(),
            "--check" => a.check = true,
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => positional.push(arg),
        }
    }
    if positional.len() < 2 || positional.len() > 3 {
        return Err("expected DIR SIZE_MB [SEED]".into());
    }
    a.dir = positional[0].clone().into();
    a.size_mb = positional[1].parse().map_err(|e| format!("SIZE_MB: {e}"))?;
    if let Some(s) = positional.get(2) {
        a.seed = s.parse().map_err(|e| format!("SEED: {e}"))?;
    }
    Ok(a)
}

/// Every string under a `terms` key, at any depth.
fn collect_terms(v: &serde_json::Value, under_terms: bool, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) if under_terms => out.push(s.clone()),
        serde_json::Value::Array(items) => {
            for i in items {
                collect_terms(i, under_terms, out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                collect_terms(v, k == "terms", out);
            }
        }
        _ => {}
    }
}

/// The pack's literal terms: every string under a `terms` key (trailing `*`
/// removed) and the name variants of every watchlist party, deduplicated
/// case-insensitively, in file order.
fn pack_terms(rules: &Path) -> Result<Vec<String>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(rules)
        .map_err(|e| format!("{}: {e}", rules.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    let mut raw = Vec::new();
    let mut variants = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let v: serde_json::Value =
            serde_saphyr::from_str(&text).map_err(|e| format!("{}: {e}", f.display()))?;
        collect_terms(&v, false, &mut raw);
        // A watchlist's parties are matched by their name variants: the
        // same spellings the engine puts in its automaton.
        if let Some(w) = v.get("watchlist") {
            let list: WatchlistDef = serde_json::from_value(w.clone())
                .map_err(|e| format!("{}: watchlist: {e}", f.display()))?;
            for party in &list.parties {
                for nv in name_variants(party) {
                    raw.push(nv.term);
                    variants += 1;
                }
            }
        }
    }
    eprintln!(
        "pack: {} strings under `terms`, {variants} watchlist name variants",
        raw.len() - variants
    );
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for t in raw {
        let t = t.trim().trim_end_matches('*').trim().to_string();
        if !t.is_empty() && seen.insert(t.to_lowercase()) {
            out.push(t);
        }
    }
    Ok(out)
}

fn write_lines(path: &Path, lines: &[String]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn sibling(dir: &Path, name: &str) -> PathBuf {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(name)
}

/// Scans the hit templates and text samples with the bundled pack.
fn check() -> bool {
    let rules = sanctions_check::RuleSet::builtin().expect("bundled pack compiles");
    let mut ok = true;
    let mut w = corpus::Writer::new(7, 0.0);
    for (i, t) in corpus::HIT_TEMPLATES.iter().enumerate() {
        let mut s = String::new();
        w.fill(t, &mut s);
        let f = rules.scan_text(&s);
        let ids: Vec<&str> = f.iter().map(|f| f.rule.as_str()).collect();
        println!("template {i:2}: {:2} finding(s) {ids:?}\n    {s}", f.len());
        ok &= !f.is_empty();
    }
    for (name, text, expect_none) in [
        ("clean_text(1 MB)", corpus::clean_text(1 << 20), true),
        ("news_text(1 MB)", corpus::news_text(1 << 20), false),
        ("dense_text(1 MB)", corpus::dense_text(1 << 20), false),
    ] {
        let f = rules.scan_text(&text);
        let sentences = text.matches(". ").count() + text.matches(".\n").count();
        println!(
            "{name}: {} bytes, ~{sentences} sentences, {} findings",
            text.len(),
            f.len()
        );
        if expect_none && !f.is_empty() {
            ok = false;
            for x in f.iter().take(10) {
                println!("  unexpected: {} {:?}", x.rule, x.excerpt);
            }
        }
    }
    ok
}

fn main() -> ExitCode {
    let a = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("make_corpus: {e}");
            }
            return usage();
        }
    };
    if a.check && !check() {
        eprintln!("make_corpus: check failed");
        return ExitCode::from(1);
    }
    let run = || -> Result<(), String> {
        if a.size_mb > 0.0 {
            let bytes = (a.size_mb * 1e6) as u64;
            let t = std::time::Instant::now();
            let (files, written) = corpus::write_corpus(&a.dir, bytes, a.seed)
                .map_err(|e| format!("{}: {e}", a.dir.display()))?;
            println!(
                "files={files} bytes={written} dir={} seed={} secs={:.1}",
                a.dir.display(),
                a.seed,
                t.elapsed().as_secs_f64()
            );
        }
        let terms = pack_terms(&a.rules)?;
        let terms_path = a
            .terms
            .clone()
            .unwrap_or_else(|| sibling(&a.dir, "terms.txt"));
        write_lines(&terms_path, &terms)?;
        println!("terms={} path={}", terms.len(), terms_path.display());
        let extra = match (a.extra, a.total) {
            (Some(n), _) => n,
            (None, Some(t)) => t.saturating_sub(terms.len()),
            (None, None) => 0,
        };
        if a.extra.is_some() || a.total.is_some() {
            let taken: HashSet<String> = terms
                .iter()
                .map(|t| t.to_lowercase().replace('-', " "))
                .collect();
            // Over-generate, drop any name that is a pack term, keep `extra`.
            let names: Vec<String> = corpus::extra_names(extra + 64, a.seed ^ 0x4E41_4D45)
                .into_iter()
                .filter(|n| !taken.contains(&n.to_lowercase().replace('-', " ")))
                .take(extra)
                .collect();
            let big_path = a.big_terms.clone().unwrap_or_else(|| {
                let stem = terms_path.with_extension("");
                PathBuf::from(format!("{}-plus-{extra}.txt", stem.display()))
            });
            let mut all = terms.clone();
            all.extend(names.iter().cloned());
            write_lines(&big_path, &all)?;
            println!(
                "terms={} path={} extra={extra}",
                all.len(),
                big_path.display()
            );
            let yaml_path = a
                .names_yaml
                .clone()
                .unwrap_or_else(|| sibling(&a.dir, &format!("names-{extra}.yaml")));
            std::fs::write(&yaml_path, corpus::names_rule_yaml(&names))
                .map_err(|e| format!("{}: {e}", yaml_path.display()))?;
            println!("names={} path={}", names.len(), yaml_path.display());
        }
        Ok(())
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("make_corpus: {e}");
            ExitCode::from(2)
        }
    }
}

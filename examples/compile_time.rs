//! Times rule-set compilation: the bundled pack, and optionally the bundled
//! pack plus extra rule files (e.g. the generated names file of
//! `make_corpus --extra-terms N`).
//!
//! ```text
//! cargo run --release --example compile_time -- [--runs 20] [EXTRA.yaml]...
//! ```
//!
//! Prints one line per rule set (parsed by `benches/e2e.sh`):
//! `compile set=builtin runs=20 median_ms=41.2 min_ms=39.8 full_speed_ms=88.0 rules=63 patterns=3104`
//!
//! `median_ms` is the time until the rule set is returned, ready to scan;
//! `full_speed_ms` the time until its term DFA, built in the background, is
//! ready too.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::time::Instant;

use sanctions_check::{RuleSet, RuleSetBuilder};

fn median(ms: &mut [f64]) -> f64 {
    ms.sort_by(|a, b| a.total_cmp(b));
    let n = ms.len();
    if n % 2 == 1 {
        ms[n / 2]
    } else {
        (ms[n / 2 - 1] + ms[n / 2]) / 2.0
    }
}

/// Times `build` (until it returns a usable rule set) and, apart, until the
/// rule set's term automaton runs at full speed (its DFA is built in the
/// background), waiting for it before the next run.
fn time<F: Fn() -> RuleSet>(name: &str, runs: usize, build: F) {
    let mut ms = Vec::with_capacity(runs);
    let mut full = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = std::hint::black_box(build());
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        r.wait_for_full_speed();
        full.push(t.elapsed().as_secs_f64() * 1e3);
        last = Some(r);
    }
    let min = ms.iter().copied().fold(f64::INFINITY, f64::min);
    let median_ms = median(&mut ms);
    let full_ms = median(&mut full);
    let r = last.expect("runs > 0");
    println!(
        "compile set={name} runs={runs} median_ms={median_ms:.1} min_ms={min:.1} full_speed_ms={full_ms:.1} rules={} patterns={}",
        r.rules().len(),
        r.pattern_count()
    );
}

fn main() -> ExitCode {
    let mut runs = 20usize;
    let mut extra = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--runs" {
            match args.next().and_then(|v| v.parse().ok()) {
                Some(n) if n > 0 => runs = n,
                _ => {
                    eprintln!("compile_time: --runs needs a positive number");
                    return ExitCode::from(2);
                }
            }
        } else {
            extra.push(a);
        }
    }
    if let Err(e) = RuleSet::builtin() {
        eprintln!("compile_time: the bundled pack does not compile:\n{e}");
        return ExitCode::from(2);
    }
    time("builtin", runs, || RuleSet::builtin().expect("compiles"));
    if !extra.is_empty() {
        let texts: Vec<(String, String)> = match extra
            .iter()
            .map(|p| std::fs::read_to_string(p).map(|t| (p.clone(), t)))
            .collect()
        {
            Ok(t) => t,
            Err(e) => {
                eprintln!("compile_time: {e}");
                return ExitCode::from(2);
            }
        };
        let build = || {
            texts
                .iter()
                .fold(RuleSetBuilder::new().add_builtin(), |b, (p, t)| {
                    b.add_source(p.as_str(), t.as_str())
                })
                .build()
        };
        if let Err(e) = build() {
            eprintln!("compile_time: {e}");
            return ExitCode::from(2);
        }
        time("builtin+extra", runs, || build().expect("compiles"));
    }
    ExitCode::SUCCESS
}

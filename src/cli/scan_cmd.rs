//! `sanctions-check scan`: walk, read, scan in parallel, report in a
//! deterministic order.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, IsTerminal};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use sanctions_check::document::{decode, looks_binary};
use sanctions_check::records::roles::FieldMap;
use sanctions_check::records::{RecordFormat, read_records};
use sanctions_check::{Finding, RuleSet, Severity};

use super::args::ScanArgs;
use super::baseline::{Baseline, Entry};
use super::inputs::{Input, WalkOptions, gather};
use super::report::{Reporter, Summary};
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, report_load_error, use_color};

/// What scanning one input gave.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub path: String,
    pub findings: Vec<Finding>,
    pub bytes: u64,
    pub skipped_binary: bool,
    pub error: Option<String>,
    pub warning: Option<String>,
    /// Records that could not be read (the others were scanned).
    pub record_errors: Vec<String>,
}

/// How inputs are read.
pub struct ReadOptions {
    pub fields: FieldMap,
    pub records: bool,
}

/// Which findings to report.
struct Filter {
    categories: Vec<String>,
    min_severity: Option<Severity>,
    min_confidence: f64,
    rules: Option<GlobSet>,
}

impl Filter {
    fn new(a: &ScanArgs) -> Result<Filter, String> {
        let rules = if a.rule.is_empty() {
            None
        } else {
            let mut b = GlobSetBuilder::new();
            for g in &a.rule {
                b.add(Glob::new(g).map_err(|e| format!("--rule {g}: {e}"))?);
            }
            Some(b.build().map_err(|e| e.to_string())?)
        };
        Ok(Filter {
            categories: a.category.iter().map(|c| c.trim().to_owned()).collect(),
            min_severity: a.min_severity,
            min_confidence: a.min_confidence,
            rules,
        })
    }

    /// A filter that no loaded rule can pass is a mistake, not a clean scan;
    /// a category that no rule has is worth a warning.
    fn check_against(&self, rules: &RuleSet) -> Result<(), String> {
        let mut cats: Vec<&str> = rules.rules().map(|r| r.category.as_str()).collect();
        cats.sort_unstable();
        cats.dedup();
        let unknown: Vec<&String> = self
            .categories
            .iter()
            .filter(|c| !cats.contains(&c.as_str()))
            .collect();
        if !self.categories.is_empty() && unknown.len() == self.categories.len() {
            return Err(format!(
                "--category: no loaded rule has category {} (categories: {})",
                unknown
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                cats.join(", ")
            ));
        }
        for c in unknown {
            eprintln_quiet(&format!(
                "sanctions-check: warning: no loaded rule has category `{c}`"
            ));
        }
        if let Some(g) = &self.rules
            && !rules.rules().any(|r| g.is_match(&r.id))
        {
            return Err(
                "--rule: no loaded rule id matches (see `sanctions-check rules list`)".into(),
            );
        }
        Ok(())
    }

    fn keeps(&self, f: &Finding) -> bool {
        (self.categories.is_empty() || self.categories.contains(&f.category))
            && self.min_severity.is_none_or(|m| f.severity >= m)
            && f.confidence + 1e-9 >= self.min_confidence
            && self.rules.as_ref().is_none_or(|g| g.is_match(&f.rule))
    }
}

/// Most inputs whose outcomes a worker sends in one message.
const MAX_INPUTS_PER_MESSAGE: usize = 32;

pub fn run(a: ScanArgs) -> io::Result<u8> {
    let started = Instant::now();
    let err_color = use_color(a.color, super::stderr_is_terminal());
    let mut lists = Vec::new();
    for p in &a.lists {
        match super::lists_cmd::read_list(p, a.list_regime.as_deref()) {
            Ok(mut l) => {
                let with_builtin =
                    a.source.rules.is_empty() || a.source.rules.iter().any(|r| r == "builtin");
                if with_builtin {
                    super::lists_cmd::un_dprk_settings(&mut l);
                    l.id_prefix = Some(format!("list.{}", lists.len() + 1));
                }
                lists.push((
                    format!("{}", p.display()),
                    sanctions_check::watchlist::simple::to_rule_yaml(&l),
                ));
            }
            Err(msg) => {
                eprintln_quiet(&format!("sanctions-check: --list {msg}"));
                return Ok(EXIT_ERROR);
            }
        }
    }
    let rules = match super::load_rules_with(&a.source, &lists) {
        Ok(r) => r,
        Err(e) => return report_load_error(&e, err_color),
    };
    let filter = match Filter::new(&a) {
        Ok(f) => f,
        Err(msg) => {
            eprintln_quiet(&format!("sanctions-check: {msg}"));
            return Ok(EXIT_ERROR);
        }
    };
    if let Err(msg) = filter.check_against(&rules) {
        eprintln_quiet(&format!("sanctions-check: {msg}"));
        return Ok(EXIT_ERROR);
    }
    let baseline: Option<HashSet<Entry>> = match &a.baseline {
        Some(p) => match Baseline::read(p) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln_quiet(&format!("sanctions-check: baseline {}: {e}", p.display()));
                return Ok(EXIT_ERROR);
            }
        },
        None => None,
    };
    let fields = match &a.fields {
        None => FieldMap::default(),
        Some(p) => match std::fs::read_to_string(p)
            .map_err(|e| format!("{}: {e}", p.display()))
            .and_then(|t| FieldMap::default().with_overrides(p, &t))
        {
            Ok(m) => m,
            Err(msg) => {
                eprintln_quiet(&format!("sanctions-check: --fields {msg}"));
                return Ok(EXIT_ERROR);
            }
        },
    };
    let read = ReadOptions {
        fields,
        records: !a.no_records,
    };
    let paths = if a.paths.is_empty() {
        if io::stdin().is_terminal() {
            vec![".".into()]
        } else {
            vec!["-".into()]
        }
    } else {
        a.paths.clone()
    };
    let gathered = gather(
        &paths,
        WalkOptions {
            hidden: a.hidden,
            no_ignore: a.no_ignore,
            follow: a.follow,
        },
    );
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(io::Error::other)?;

    let color = use_color(a.color, io::stdout().is_terminal());
    let mut reporter = Reporter::new(a.format, color, &rules);
    let mut summary = Summary::default();
    for (path, msg) in &gathered.errors {
        reporter.error(path, msg)?;
        summary.errors += 1;
    }
    let mut progress = Progress::new(gathered.inputs.len() as u64, a.quiet);
    let mut recorded: Vec<Entry> = Vec::new();

    // Workers scan runs of consecutive inputs and send each run's outcomes
    // at once: one message per file would wake this thread thousands of
    // times in a folder of small files. Outcomes are reported in input order.
    let (tx, rx) = mpsc::channel::<(usize, Vec<FileOutcome>)>();
    let inputs = &gathered.inputs;
    let run = (inputs.len() / (threads * 64)).clamp(1, MAX_INPUTS_PER_MESSAGE);
    let rules_ref = &rules;
    let read_ref = &read;
    let outcome: io::Result<()> = std::thread::scope(|s| {
        s.spawn(move || {
            pool.install(|| {
                inputs
                    .par_chunks(run)
                    .enumerate()
                    .for_each_with(tx, |tx, (i, chunk)| {
                        let outs = chunk
                            .iter()
                            .map(|input| scan_input(rules_ref, read_ref, input))
                            .collect();
                        let _ = tx.send((i * run, outs));
                    });
            });
        });
        let mut pending = BTreeMap::new();
        let mut next = 0;
        for (i, outs) in rx {
            pending.insert(i, outs);
            while let Some(outs) = pending.remove(&next) {
                next += outs.len().max(1);
                for mut out in outs {
                    progress.tick(out.bytes);
                    out.findings.retain(|f| filter.keeps(f));
                    if a.write_baseline.is_some() {
                        recorded.extend(out.findings.iter().map(|f| entry(&out.path, f)));
                    }
                    if let Some(b) = &baseline {
                        let before = out.findings.len();
                        out.findings.retain(|f| !b.contains(&entry(&out.path, f)));
                        summary.baselined += before - out.findings.len();
                    }
                    summary.add(&out);
                    if let Some(w) = &out.warning {
                        reporter.warning(&out.path, w)?;
                    }
                    if let Some(e) = &out.error {
                        reporter.error(&out.path, e)?;
                    }
                    for e in &out.record_errors {
                        reporter.error(&out.path, e)?;
                    }
                    reporter.file(&out)?;
                }
            }
        }
        Ok(())
    });
    progress.finish();
    outcome?;
    if let Some(p) = &a.write_baseline {
        Baseline::write(p, recorded)?;
    }
    summary.elapsed = started.elapsed();
    reporter.finish(&summary)?;
    if !a.quiet {
        eprintln_quiet(&summary.line(err_color));
    }
    Ok(if summary.errors > 0 {
        EXIT_ERROR
    } else if summary.findings > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// A baseline entry; the path is taken without a leading `./`, so that
/// `doc.txt` and `./doc.txt` are the same document.
fn entry(path: &str, f: &Finding) -> Entry {
    let mut p = path;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    Entry {
        path: p.to_owned(),
        rule: f.rule.clone(),
        fingerprint: f.fingerprint.clone(),
    }
}

/// Reads and scans one input; never panics, never aborts the scan.
pub fn scan_input(rules: &RuleSet, read: &ReadOptions, input: &Input) -> FileOutcome {
    let mut out = FileOutcome {
        path: input.display(),
        ..FileOutcome::default()
    };
    let format = match input {
        Input::File { path, .. } if read.records => RecordFormat::of_path(path),
        _ => None,
    };
    // Standard input and large text files are scanned in chunks, in bounded
    // memory; everything else is read whole.
    let large = match input {
        Input::Stdin => true,
        Input::File { path, .. } => std::fs::metadata(path)
            .is_ok_and(|m| m.len() > sanctions_check::stream::CHUNK_BYTES as u64),
    };
    if large && format.is_none() {
        return scan_streamed(rules, input, out);
    }
    let bytes = match input.read() {
        Ok(b) => b,
        Err(e) => {
            out.error = Some(e.to_string());
            return out;
        }
    };
    out.bytes = bytes.len() as u64;
    let named = !matches!(input, Input::File { named: false, .. });
    if !named && looks_binary(&bytes) {
        out.skipped_binary = true;
        return out;
    }
    let decoded = decode(&bytes);
    if decoded.invalid_bytes > 0 {
        out.warning = Some(format!(
            "{} byte(s) of invalid UTF-8 read as U+001A (offsets unchanged)",
            decoded.invalid_bytes
        ));
    }
    match format {
        Some(format) => {
            let records = read_records(format, &decoded.text);
            out.record_errors = records
                .errors
                .iter()
                .map(|e| format!("record {} (line {}): {}", e.number, e.line, e.message))
                .collect();
            out.findings = rules.scan_records(&records, &read.fields);
        }
        None => out.findings = rules.scan_text(&decoded.text),
    }
    out
}

/// Scans a large file or standard input in chunks.
fn scan_streamed(rules: &RuleSet, input: &Input, mut out: FileOutcome) -> FileOutcome {
    let reader: Box<dyn std::io::Read> = match input {
        Input::Stdin => Box::new(io::stdin().lock()),
        Input::File { path, named } => match std::fs::File::open(path) {
            Ok(mut f) => {
                if !named {
                    let mut head = vec![0; sanctions_check::document::BINARY_SNIFF_BYTES];
                    let n = std::io::Read::read(&mut f, &mut head).unwrap_or(0);
                    if looks_binary(&head[..n]) {
                        out.skipped_binary = true;
                        return out;
                    }
                    if let Err(e) = std::io::Seek::rewind(&mut f) {
                        out.error = Some(e.to_string());
                        return out;
                    }
                }
                Box::new(std::io::BufReader::new(f))
            }
            Err(e) => {
                out.error = Some(e.to_string());
                return out;
            }
        },
    };
    match sanctions_check::stream::scan_reader(rules, reader, sanctions_check::stream::CHUNK_BYTES)
    {
        Ok(s) => {
            out.bytes = s.bytes;
            out.findings = s.findings;
            if s.invalid_bytes > 0 {
                out.warning = Some(format!(
                    "{} byte(s) of invalid UTF-8 read as U+001A (offsets unchanged)",
                    s.invalid_bytes
                ));
            }
        }
        Err(e) => out.error = Some(e.to_string()),
    }
    out
}

fn eprintln_quiet(s: &str) {
    use std::io::Write;
    let _ = writeln!(io::stderr(), "{s}");
}

/// A progress bar on stderr, only on a terminal, only after a second.
struct Progress {
    #[cfg(feature = "progress")]
    bar: Option<indicatif::ProgressBar>,
    #[cfg(feature = "progress")]
    shown: bool,
    started: Instant,
}

impl Progress {
    fn new(total: u64, quiet: bool) -> Progress {
        let _ = total;
        Progress {
            #[cfg(feature = "progress")]
            bar: (!quiet && super::stderr_is_terminal()).then(|| {
                let bar = indicatif::ProgressBar::with_draw_target(
                    Some(total),
                    indicatif::ProgressDrawTarget::hidden(),
                );
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{spinner} {pos}/{len} files {bytes} {elapsed}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar
            }),
            #[cfg(feature = "progress")]
            shown: false,
            started: Instant::now(),
        }
    }

    fn tick(&mut self, _bytes: u64) {
        #[cfg(feature = "progress")]
        if let Some(bar) = &self.bar {
            if !self.shown && self.started.elapsed() > Duration::from_secs(1) {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                self.shown = true;
            }
            bar.inc(1);
        }
        let _ = self.started;
    }

    fn finish(&mut self) {
        #[cfg(feature = "progress")]
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

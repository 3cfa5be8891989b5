//! Output formats: text, json, jsonl, sarif, csv.
//!
//! The JSON finding object (shared by json and jsonl) is the stable schema
//! documented in README: `path`, `rule`, `title`, `category`, `severity`,
//! `citations`, `effective`, `start`, `end`, `line`, `column`, `excerpt`,
//! `evidence`, `proximity`, `confidence`, `notes`, `fingerprint`, and for
//! records `record` and `field`.

use std::io::{self, Write};
use std::time::Duration;

use anstyle::{AnsiColor, Style};
use sanctions_check::{Finding, RuleSet, Severity};
use serde::Serialize;

use super::args::Format;
use super::sarif;
use super::scan_cmd::FileOutcome;

/// Counts for the summary line and the `summary` object.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub bytes: u64,
    pub skipped_binary: usize,
    pub findings: usize,
    pub by_severity: BySeverity,
    pub errors: usize,
    pub baselined: usize,
    #[serde(rename = "elapsed_ms", serialize_with = "millis")]
    pub elapsed: Duration,
}

#[derive(Debug, Default, Serialize)]
pub struct BySeverity {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

impl Summary {
    pub fn add(&mut self, out: &FileOutcome) {
        if out.skipped_binary {
            self.skipped_binary += 1;
        } else if out.error.is_none() {
            self.files += 1;
            self.bytes += out.bytes;
        } else {
            self.errors += 1;
        }
        self.errors += out.record_errors.len();
        for f in &out.findings {
            self.findings += 1;
            let slot = match f.severity {
                Severity::Critical => &mut self.by_severity.critical,
                Severity::High => &mut self.by_severity.high,
                Severity::Medium => &mut self.by_severity.medium,
                Severity::Low => &mut self.by_severity.low,
                Severity::Info => &mut self.by_severity.info,
            };
            *slot += 1;
        }
    }

    /// The summary line printed on stderr.
    pub fn line(&self, color: bool) -> String {
        let mut parts = vec![format!(
            "{} file{} ({})",
            self.files,
            plural(self.files),
            human_bytes(self.bytes)
        )];
        if self.skipped_binary > 0 {
            parts.push(format!("{} skipped as binary", self.skipped_binary));
        }
        let sev = &self.by_severity;
        let by: Vec<String> = [
            ("critical", sev.critical),
            ("high", sev.high),
            ("medium", sev.medium),
            ("low", sev.low),
            ("info", sev.info),
        ]
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
        let findings = if by.is_empty() {
            "no findings".to_owned()
        } else {
            format!(
                "{} finding{} ({})",
                self.findings,
                plural(self.findings),
                by.join(", ")
            )
        };
        parts.push(paint(&findings, style_bold(), color));
        if self.baselined > 0 {
            parts.push(format!("{} in baseline", self.baselined));
        }
        if self.errors > 0 {
            parts.push(paint(
                &format!("{} error{}", self.errors, plural(self.errors)),
                Style::new().fg_color(Some(AnsiColor::Red.into())),
                color,
            ));
        }
        format!(
            "sanctions-check: {} in {:.2}s",
            parts.join(", "),
            self.elapsed.as_secs_f64()
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// A citation as printed in JSON: its fields and its reading.
#[derive(Serialize)]
struct CitationOut<'a> {
    instrument: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraph: Option<&'a str>,
    verified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    text: String,
}

/// One finding in json and jsonl output.
#[derive(Serialize)]
pub struct FindingOut<'a> {
    path: &'a str,
    rule: &'a str,
    title: &'a str,
    category: &'a str,
    severity: Severity,
    citations: Vec<CitationOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    effective: Option<&'a str>,
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    excerpt: &'a str,
    evidence: &'a [sanctions_check::Evidence],
    proximity: &'a str,
    confidence: f64,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quantity: Option<&'a sanctions_check::FoundQuantity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    party: Option<&'a sanctions_check::PartyMatch>,
    fingerprint: &'a str,
}

impl<'a> FindingOut<'a> {
    pub fn new(path: &'a str, f: &'a Finding) -> Self {
        FindingOut {
            path,
            rule: &f.rule,
            title: &f.title,
            category: &f.category,
            severity: f.severity,
            citations: f
                .citations
                .iter()
                .map(|c| CitationOut {
                    instrument: &c.instrument,
                    paragraph: c.paragraph.as_deref(),
                    verified: c.verified,
                    url: c.url.as_deref(),
                    text: c.to_string(),
                })
                .collect(),
            effective: f.effective.as_deref(),
            start: f.start,
            end: f.end,
            line: f.line,
            column: f.column,
            excerpt: &f.excerpt,
            evidence: &f.evidence,
            proximity: &f.proximity,
            confidence: f.confidence,
            notes: &f.notes,
            record: f.record,
            field: f.field.as_deref(),
            quantity: f.quantity.as_ref(),
            party: f.party.as_ref(),
            fingerprint: &f.fingerprint,
        }
    }
}

#[derive(Serialize)]
struct ErrorOut {
    path: String,
    message: String,
}

/// Writes findings as they come, in the chosen format.
pub struct Reporter<'r> {
    format: Format,
    color: bool,
    rules: &'r RuleSet,
    out: io::BufWriter<io::Stdout>,
    /// json and sarif collect everything and write at the end.
    collected: Vec<(String, Finding)>,
    errors: Vec<ErrorOut>,
    csv: Option<csv::Writer<io::Stdout>>,
}

impl<'r> Reporter<'r> {
    pub fn new(format: Format, color: bool, rules: &'r RuleSet) -> Self {
        Reporter {
            format,
            color,
            rules,
            out: io::BufWriter::new(io::stdout()),
            collected: Vec::new(),
            errors: Vec::new(),
            csv: None,
        }
    }

    /// A problem with one input (also on stderr, so it is never lost).
    pub fn error(&mut self, path: &str, message: &str) -> io::Result<()> {
        self.out.flush()?;
        let mut err = io::stderr().lock();
        writeln!(err, "sanctions-check: {}: {message}", printable_path(path))?;
        self.errors.push(ErrorOut {
            path: path.to_owned(),
            message: message.to_owned(),
        });
        Ok(())
    }

    /// A warning about one input (stderr only).
    pub fn warning(&mut self, path: &str, message: &str) -> io::Result<()> {
        self.out.flush()?;
        writeln!(
            io::stderr().lock(),
            "sanctions-check: warning: {}: {message}",
            printable_path(path)
        )
    }

    /// The findings of one input.
    pub fn file(&mut self, out: &FileOutcome) -> io::Result<()> {
        match self.format {
            Format::Text => {
                for f in &out.findings {
                    let block = text_block(&out.path, f, self.color);
                    self.out.write_all(block.as_bytes())?;
                }
                self.out.flush()
            }
            Format::Jsonl => {
                for f in &out.findings {
                    serde_json::to_writer(&mut self.out, &FindingOut::new(&out.path, f))
                        .map_err(io::Error::from)?;
                    self.out.write_all(b"\n")?;
                }
                self.out.flush()
            }
            Format::Csv => {
                let w = self.csv_writer()?;
                for f in &out.findings {
                    w.write_record(csv_row(&out.path, f)).map_err(csv_io)?;
                }
                w.flush()
            }
            Format::Json | Format::Sarif => {
                self.collected
                    .extend(out.findings.iter().map(|f| (out.path.clone(), f.clone())));
                Ok(())
            }
        }
    }

    /// The CSV writer, created with its header on first use.
    fn csv_writer(&mut self) -> io::Result<&mut csv::Writer<io::Stdout>> {
        if self.csv.is_none() {
            let mut w = csv::Writer::from_writer(io::stdout());
            w.write_record(CSV_HEADER).map_err(csv_io)?;
            self.csv = Some(w);
        }
        Ok(self.csv.as_mut().expect("just created"))
    }

    /// Ends the output (json and sarif are written here).
    pub fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        match self.format {
            Format::Json => {
                #[derive(Serialize)]
                struct Doc<'a> {
                    version: u32,
                    findings: Vec<FindingOut<'a>>,
                    summary: &'a Summary,
                    errors: &'a [ErrorOut],
                }
                let doc = Doc {
                    version: 1,
                    findings: self
                        .collected
                        .iter()
                        .map(|(p, f)| FindingOut::new(p, f))
                        .collect(),
                    summary,
                    errors: &self.errors,
                };
                serde_json::to_writer_pretty(&mut self.out, &doc).map_err(io::Error::from)?;
                self.out.write_all(b"\n")?;
            }
            Format::Sarif => {
                let log = sarif::log(self.rules, &self.collected);
                serde_json::to_writer_pretty(&mut self.out, &log).map_err(io::Error::from)?;
                self.out.write_all(b"\n")?;
            }
            Format::Csv => self.csv_writer()?.flush()?,
            _ => {}
        }
        self.out.flush()
    }
}

/// A CSV error as an I/O error, keeping the kind of an underlying I/O error
/// (a closed pipe must stay a closed pipe).
fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

const CSV_HEADER: [&str; 19] = [
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
    "effective",
    "excerpt",
    "evidence",
    "fingerprint",
    "record",
    "field",
    "quantity",
];

fn csv_row(path: &str, f: &Finding) -> [String; 19] {
    [
        path.to_owned(),
        f.line.to_string(),
        f.column.to_string(),
        f.start.to_string(),
        f.end.to_string(),
        f.rule.clone(),
        f.title.clone(),
        f.category.clone(),
        f.severity.to_string(),
        format!("{:.2}", f.confidence),
        f.proximity.clone(),
        f.citation_text(),
        f.effective.clone().unwrap_or_default(),
        one_line(&f.excerpt),
        f.evidence
            .iter()
            .map(|e| one_line(&e.text))
            .collect::<Vec<_>>()
            .join("; "),
        f.fingerprint.clone(),
        f.record.map(|r| r.to_string()).unwrap_or_default(),
        f.field.clone().unwrap_or_default(),
        f.quantity
            .as_ref()
            .map(|q| format!("{} {}", q.value, q.unit))
            .unwrap_or_default(),
    ]
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn style_bold() -> Style {
    Style::new().bold()
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Critical => Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
        Severity::High => Style::new().fg_color(Some(AnsiColor::Red.into())),
        Severity::Medium => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
        Severity::Low => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
        Severity::Info => Style::new().dimmed(),
    }
}

fn paint(s: &str, style: Style, color: bool) -> String {
    if color {
        format!("{style}{s}{style:#}")
    } else {
        s.to_owned()
    }
}

/// A character safe to print on a terminal: control characters from the
/// document (escape sequences, bells, NULs) are shown as U+FFFD.
fn printable(c: char) -> char {
    if c.is_control() { '\u{FFFD}' } else { c }
}

/// A path safe to print on a terminal.
pub fn printable_path(path: &str) -> String {
    path.chars().map(printable).collect()
}

/// One finding as a text block:
///
/// ```text
/// notice.txt:3:13: high un-dprk.petroleum.refined-supply: Refined petroleum supplied to the DPRK
///   | The tanker delivered fuel oil to North Korea's port.
///   = UNSCR 2397 (2017), paragraph 5 · in force since 2017-12-22 · confidence 1.00 (sentence)
/// ```
pub fn text_block(path: &str, f: &Finding, color: bool) -> String {
    let loc = match (&f.record, &f.field) {
        (Some(r), Some(field)) => format!(
            "{}:{}: record {r}, field {}",
            printable_path(path),
            f.line,
            printable_path(field)
        ),
        _ => format!("{}:{}:{}", printable_path(path), f.line, f.column),
    };
    let head = format!(
        "{}: {} {}: {}\n",
        paint(
            &loc,
            Style::new().fg_color(Some(AnsiColor::Magenta.into())),
            color
        ),
        paint(f.severity.as_str(), severity_style(f.severity), color),
        paint(&f.rule, style_bold(), color),
        f.title
    );
    let excerpt = highlight(f, color);
    let mut tail = vec![f.citation_text()];
    if let Some(e) = &f.effective {
        tail.push(format!("in force since {e}"));
    }
    if let Some(q) = &f.quantity {
        tail.push(format!("quantity {} {} (\"{}\")", q.value, q.unit, q.text));
    }
    tail.push(format!("confidence {:.2} ({})", f.confidence, f.proximity));
    let mut s = format!("{head}  | {excerpt}\n  = {}\n", tail.join(" · "));
    if let Some(p) = &f.party {
        s.push_str(&format!(
            "  = listed: {} {} ({}), matched \"{}\" ({} alias){}; {}{}\n",
            p.reference,
            p.name,
            p.kind,
            p.alias,
            p.quality,
            p.listed_on
                .as_ref()
                .map(|d| format!(", listed on {d}"))
                .unwrap_or_default(),
            p.list,
            p.generated
                .as_ref()
                .map(|g| format!(" generated {g}"))
                .unwrap_or_default()
        ));
    }
    for n in &f.notes {
        s.push_str(&format!("  = note: {n}\n"));
    }
    s.push('\n');
    s
}

/// The excerpt on one line, with the evidence highlighted (or, without
/// color, as it is).
fn highlight(f: &Finding, color: bool) -> String {
    let base = f.excerpt_start;
    let end = base + f.excerpt.len();
    let mut marks: Vec<(usize, usize)> = f
        .evidence
        .iter()
        .filter(|e| e.start >= base && e.end <= end)
        .map(|e| (e.start - base, e.end - base))
        .collect();
    marks.sort_unstable();
    let style = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
    let mut out = String::with_capacity(f.excerpt.len() + 32);
    let mut in_space = false;
    let mut open = false;
    for (i, c) in f.excerpt.char_indices() {
        if color {
            let inside = marks.iter().any(|(s, e)| i >= *s && i < *e);
            if inside && !open {
                out.push_str(&style.render().to_string());
                open = true;
            } else if !inside && open {
                out.push_str(&style.render_reset().to_string());
                open = false;
            }
        }
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(printable(c));
            in_space = false;
        }
    }
    if open {
        out.push_str(&style.render_reset().to_string());
    }
    out
}

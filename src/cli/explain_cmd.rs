//! `sanctions-check explain RULE [--text T | FILE]`: the rule author's debugger.

use std::io::{self, Write};

use sanctions_check::document::decode;
use sanctions_check::explain::{conditions_of, explain, rule_info};

use super::args::{ExplainArgs, ReportFormat};
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, load_rules, report_load_error, use_color};

pub fn run(a: ExplainArgs) -> io::Result<u8> {
    let rules = match load_rules(&a.source) {
        Ok(r) => r,
        Err(e) => {
            let color = use_color(super::args::ColorChoice::Auto, super::stderr_is_terminal());
            return report_load_error(&e, color);
        }
    };
    let Some(info) = rule_info(&rules, &a.rule) else {
        let mut err = io::stderr().lock();
        writeln!(err, "sanctions-check: no rule with id `{}`", a.rule)?;
        if let Some(near) = sanctions_check::explain::closest_rule_id(&rules, &a.rule) {
            writeln!(err, "  did you mean `{near}`?")?;
        }
        writeln!(err, "  (`sanctions-check rules list` shows every id)")?;
        return Ok(EXIT_ERROR);
    };
    let text = match (&a.text, &a.file) {
        (Some(t), _) => Some(t.clone()),
        (None, Some(p)) => match std::fs::read(p) {
            Ok(b) => Some(decode(&b).text.into_owned()),
            Err(e) => {
                writeln!(io::stderr(), "sanctions-check: {}: {e}", p.display())?;
                return Ok(EXIT_ERROR);
            }
        },
        (None, None) => None,
    };
    let mut out = io::stdout().lock();
    let explanation = text.as_deref().and_then(|t| explain(&rules, &a.rule, t));
    if a.format == ReportFormat::Json {
        #[derive(serde::Serialize)]
        struct Doc<'a> {
            rule: &'a str,
            title: &'a str,
            category: &'a str,
            severity: sanctions_check::Severity,
            citations: Vec<String>,
            effective: Option<&'a str>,
            conditions: String,
            unless: Option<String>,
            explanation: Option<&'a sanctions_check::explain::Explanation>,
        }
        let (conditions, unless) = conditions_of(&rules, &a.rule).unwrap_or_default();
        let doc = Doc {
            rule: &info.id,
            title: &info.title,
            category: &info.category,
            severity: info.severity,
            citations: info.citations.iter().map(ToString::to_string).collect(),
            effective: info.effective.as_deref(),
            conditions,
            unless,
            explanation: explanation.as_ref(),
        };
        serde_json::to_writer_pretty(&mut out, &doc).map_err(io::Error::from)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}: {}", info.id, info.title)?;
        writeln!(out, "  category:  {}", info.category)?;
        writeln!(out, "  severity:  {}", info.severity)?;
        if let Some(e) = &info.effective {
            writeln!(out, "  effective: {e}")?;
        }
        for c in &info.citations {
            writeln!(out, "  cites:     {c}")?;
        }
        writeln!(out, "  defined:   {}:{}", info.file.display(), info.line)?;
        if !info.description.is_empty() {
            writeln!(out, "\n  {}", info.description.replace('\n', "\n  "))?;
        }
        if let Some((cond, unless)) = conditions_of(&rules, &a.rule) {
            writeln!(out, "\n  match:  {cond}")?;
            if let Some(u) = unless {
                writeln!(out, "  unless: {u}")?;
            }
            for (note, factor, when) in sanctions_check::explain::downgrades_of(&rules, &a.rule) {
                writeln!(out, "  downgrade x{factor}: {when}\n      note: {note}")?;
            }
        }
        if let Some(x) = &explanation {
            writeln!(out, "\nTerms in the text:")?;
            for t in &x.terms {
                if t.matches.is_empty() {
                    writeln!(out, "  {:32} no match", t.list)?;
                } else {
                    let m: Vec<String> = t
                        .matches
                        .iter()
                        .map(|(s, l, c)| {
                            format!(
                                "\"{}\" at {l}:{c}",
                                s.split_whitespace().collect::<Vec<_>>().join(" ")
                            )
                        })
                        .collect();
                    writeln!(out, "  {:32} {}", t.list, m.join(", "))?;
                }
            }
            if x.units.is_empty() {
                writeln!(
                    out,
                    "\nNo {} holds a term that can make the rule fire.",
                    info.scope.name()
                )?;
            } else {
                writeln!(
                    out,
                    "\nEvaluated in each {} holding a term of the rule:",
                    info.scope.name()
                )?;
                for u in &x.units {
                    let verdict = match (u.matched, u.cancelled) {
                        (true, true) => "match, cancelled by `unless`",
                        (true, false) => "MATCH",
                        _ => "no match",
                    };
                    writeln!(out, "  line {:<5} {verdict:30} {}", u.line, u.text)?;
                }
            }
            writeln!(out, "\nResult: {} finding(s).", x.findings.len())?;
            for f in &x.findings {
                writeln!(
                    out,
                    "  {}:{} confidence {:.2} ({}){}",
                    f.line,
                    f.column,
                    f.confidence,
                    f.proximity,
                    if f.notes.is_empty() {
                        String::new()
                    } else {
                        format!("; {}", f.notes.join("; "))
                    }
                )?;
            }
        }
    }
    Ok(match &explanation {
        Some(x) if !x.findings.is_empty() => EXIT_FINDINGS,
        _ => EXIT_CLEAN,
    })
}

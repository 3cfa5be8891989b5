//! Every call into the YAML library lives here, so the back end stays
//! swappable.
//!
//! Rule files are read with `serde-saphyr`: it keeps the serde-derive model,
//! reports the position of every value ([`Spanned`](crate::model::Spanned)),
//! rejects duplicate keys, and enforces budgets against alias bombs and deep
//! nesting. The limits are explicit constants below.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{Budget, Location, Options};

use crate::diagnostic::{Code, Diagnostic, Position};

/// Largest rule file accepted, in bytes (4 MiB): the bundled pack is about
/// 100 KiB, so this leaves room for big name lists without letting a stray
/// multi-gigabyte file be parsed as YAML.
pub const MAX_RULE_FILE_BYTES: usize = 4 * 1024 * 1024;
/// Deepest nesting of YAML collections. Conditions nest about three levels per
/// logical level, so this allows roughly 15 logical levels.
pub const MAX_YAML_DEPTH: usize = 48;
/// Most YAML nodes in one file (a node per term, condition, key...).
pub const MAX_YAML_NODES: usize = 500_000;
/// Most alias uses in one file: aliases are legitimate for sharing but are
/// how "billion laughs" bombs expand.
pub const MAX_YAML_ALIASES: usize = 1_000;

fn budget() -> Budget {
    let mut budget = Budget::default();
    budget.max_depth = MAX_YAML_DEPTH;
    budget.max_nodes = MAX_YAML_NODES;
    budget.max_aliases = MAX_YAML_ALIASES;
    budget.max_total_scalar_bytes = MAX_RULE_FILE_BYTES * 2;
    budget
}

fn options() -> Options {
    let mut options = Options::default();
    options.budget = Some(budget());
    options
}

/// Parses a YAML document of type `T`, or returns the problem located in
/// `file`.
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, Box<Diagnostic>> {
    if text.len() > MAX_RULE_FILE_BYTES {
        return Err(Box::new(
            Diagnostic::new(
                Code::LimitExceeded,
                Position::file_start(file),
                format!(
                    "file is {} bytes, more than the limit of {MAX_RULE_FILE_BYTES} bytes for a rule file",
                    text.len()
                ),
            )
            .with_hint("split large term lists over several files"),
        ));
    }
    // A breached limit is reported as such whatever the shape of the file:
    // a streaming pass counts aliases before any value is built (only
    // needed when the file has an anchor, else there is no alias), and
    // re-checks a file the parse refused, in case a limit came first.
    if may_have_anchors(text)
        && let Some(d) = budget_breach(file, text)
    {
        return Err(d);
    }
    serde_saphyr::from_str_with_options::<T>(text, options()).map_err(|e| {
        if let Some(d) = budget_breach(file, text) {
            return d;
        }
        let position = e
            .location()
            .map(|l| position(file, text, &l))
            .unwrap_or_else(|| Position::file_start(file));
        let message = first_line(&e.without_snippet().to_string());
        let message = match message.strip_prefix("budget breached: ") {
            Some(breach) => format!("{LIMIT_MESSAGE}: {breach}"),
            None => message,
        };
        let hint = hint_for(&message);
        let code = if is_limit(&message) {
            Code::LimitExceeded
        } else {
            Code::Syntax
        };
        let mut d = Diagnostic::new(code, position, message);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        Box::new(d)
    })
}

/// Converts a YAML location into our position (1-based line and column, and
/// the byte range when the parser knows it).
pub fn position(file: &Path, text: &str, loc: &Location) -> Position {
    let line = usize::try_from(loc.line()).unwrap_or(1).max(1);
    let column = usize::try_from(loc.column()).unwrap_or(1).max(1);
    let span = loc.span();
    let bytes = match (span.byte_offset(), span.byte_len()) {
        (Some(o), Some(l)) => usize::try_from(o)
            .ok()
            .zip(usize::try_from(l).ok())
            .map(|(o, l)| o..o + l),
        _ => crate::diagnostic::offset_of(text, line, column).map(|o| o..o),
    };
    Position {
        file: file.to_owned(),
        line,
        column,
        bytes,
    }
}

/// The first safety limit `text` breaches, found by a streaming pass.
fn budget_breach(file: &Path, text: &str) -> Option<Box<Diagnostic>> {
    let report = serde_saphyr::budget::check_yaml_budget(
        text,
        budget(),
        serde_saphyr::budget::EnforcingPolicy::AllContent,
    )
    .ok()?;
    let breach = report.breached?;
    Some(Box::new(
        Diagnostic::new(
            Code::LimitExceeded,
            Position::file_start(file),
            format!("{LIMIT_MESSAGE}: {breach:?}"),
        )
        .with_hint(limits_hint()),
    ))
}

/// How a breached safety limit is reported.
const LIMIT_MESSAGE: &str = "the YAML exceeds a safety limit";

fn limits_hint() -> String {
    format!(
        "rule files may nest at most {MAX_YAML_DEPTH} levels, hold {MAX_YAML_NODES} nodes and use {MAX_YAML_ALIASES} aliases"
    )
}

/// Whether `text` may define a YAML anchor (`&name` where a node may start).
/// Errs on the side of yes: `R &D` in a quoted string also answers yes.
fn may_have_anchors(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'&', b).any(|i| {
        let before = i.checked_sub(1).map(|j| b[j]);
        let after = b.get(i + 1).copied();
        matches!(
            before,
            None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b',')
        ) && after.is_some_and(|c| !c.is_ascii_whitespace() && !b",[]{}".contains(&c))
    })
}

fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    // "line 7 column 5: unknown field" -> "unknown field"
    let line = match line.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest,
        _ => line,
    };
    // "... at line 7, column 5" -> "..." (the position is shown apart)
    match line.rfind(" at line ") {
        Some(i) if line[i..].contains("column") => line[..i].to_owned(),
        _ => line.to_owned(),
    }
}

/// Whether a parser message is about a safety limit (budget, recursion).
fn is_limit(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("budget") || m.contains("recursion") || m.contains("too deep") || m.contains("limit")
}

fn hint_for(message: &str) -> Option<String> {
    if message.contains("unknown field") {
        Some("check the spelling; rules/README.md lists every key".into())
    } else if message.contains("unknown variant") {
        Some("severity is one of info, low, medium, high, critical".into())
    } else if message.starts_with(LIMIT_MESSAGE) {
        Some(limits_hint())
    } else if is_limit(message) {
        Some(
            "the file nests too deeply or expands too many aliases; see the limits in README"
                .into(),
        )
    } else if message.contains("duplicate") {
        Some("each key may appear once in a mapping".into())
    } else {
        None
    }
}

/// Reads records from YAML: a sequence of mappings, or one mapping. Returns
/// each value with the line where it starts, or the line and message of the
/// problem.
pub fn parse_records(text: &str) -> Result<Vec<(usize, serde_json::Value)>, (usize, String)> {
    type Item = serde_saphyr::Spanned<serde_json::Value>;
    let line_of = |l: &Location| usize::try_from(l.line()).unwrap_or(1).max(1);
    match serde_saphyr::from_str_with_options::<Vec<Item>>(text, options()) {
        Ok(items) => Ok(items
            .into_iter()
            .map(|i| (line_of(&i.referenced), i.value))
            .collect()),
        Err(first) => match serde_saphyr::from_str_with_options::<Item>(text, options()) {
            Ok(one) if one.value.is_object() => Ok(vec![(line_of(&one.referenced), one.value)]),
            _ => Err((
                first.location().map_or(1, |l| line_of(&l)),
                first_line(&first.without_snippet().to_string()),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::may_have_anchors;

    #[test]
    fn anchors_are_found_where_a_node_may_start() {
        for yes in [
            "a: &x 1",
            "&top\na: 1",
            "- &item x",
            "[&a x, *a]",
            "{k: v,&a x: 1}",
            "a:\n\t&x 1",
        ] {
            assert!(may_have_anchors(yes), "{yes:?}");
        }
        for no in [
            "name: P&I club",
            "name: \"SHIPPING & MARINE\"",
            "a: b &",
            "a: R&D",
            "plain text",
        ] {
            assert!(!may_have_anchors(no), "{no:?}");
        }
    }
}

//! Problems found while loading rule files: coded, located, and fixable.
//!
//! Every problem names the file, line and column of the offending value, the
//! rule it belongs to (when there is one), a stable code, what is wrong and,
//! where it helps, a hint. [`render`] prints them as annotated source
//! snippets.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet};
use serde::Serialize;

/// Stable codes of rule-file problems. The code of a problem never changes
/// meaning; new problems get new codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Code {
    /// E001: the file is not valid YAML or does not fit the rule format.
    Syntax,
    /// E002: two rules share an id.
    DuplicateRuleId,
    /// E003: a condition names a term list that no loaded file defines.
    UnknownList,
    /// E004: a regular expression does not compile.
    InvalidRegex,
    /// E005: a term list or `terms` condition holds no term.
    EmptyList,
    /// E006: a condition says nothing (no kind, or an empty `all`/`any`).
    EmptyCondition,
    /// E007: a condition gives more than one kind (`terms` and `all`, say).
    AmbiguousCondition,
    /// E008: a scope is not `sentence`, `paragraph`, `document` or `N words`.
    InvalidScope,
    /// E009: a date is not `YYYY-MM-DD`.
    InvalidDate,
    /// E010: an inline example does not give the result it claims.
    ExampleFailed,
    /// E011: two files define the same term list.
    DuplicateList,
    /// E012: a rule file or folder could not be read.
    Io,
    /// E013: a size limit was exceeded (file size, terms, nesting, regex size).
    LimitExceeded,
    /// E014: a rule id is not a dotted identifier.
    InvalidId,
    /// E015: `at_least` is zero or larger than its list.
    InvalidCount,
    /// E016: a term is empty after normalization, or is only punctuation.
    InvalidTerm,
    /// E017: a watchlist could not be loaded.
    Watchlist,
    /// W001: a term list is defined but no rule uses it.
    UnusedList,
    /// W002: a regular expression has no literal the prefilter can use, so it
    /// runs over every byte of every document.
    SlowPattern,
    /// W003: a rule cites no legal basis.
    NoCitation,
}

impl Code {
    /// The short code, e.g. `E003`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "E001",
            Code::DuplicateRuleId => "E002",
            Code::UnknownList => "E003",
            Code::InvalidRegex => "E004",
            Code::EmptyList => "E005",
            Code::EmptyCondition => "E006",
            Code::AmbiguousCondition => "E007",
            Code::InvalidScope => "E008",
            Code::InvalidDate => "E009",
            Code::ExampleFailed => "E010",
            Code::DuplicateList => "E011",
            Code::Io => "E012",
            Code::LimitExceeded => "E013",
            Code::InvalidId => "E014",
            Code::InvalidCount => "E015",
            Code::InvalidTerm => "E016",
            Code::Watchlist => "E017",
            Code::UnusedList => "W001",
            Code::SlowPattern => "W002",
            Code::NoCitation => "W003",
        }
    }

    /// Whether problems with this code stop the load (errors) or not (warnings).
    pub fn level(self) -> Level {
        if self.as_str().starts_with('W') {
            Level::Warning
        } else {
            Level::Error
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a problem stops the load.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The rule set cannot be built.
    Error,
    /// The rule set works, but something deserves attention.
    Warning,
}

/// Where a problem is: file, 1-based line and column, byte range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    /// The rule file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte range of the offending value in the file, when known.
    #[serde(skip)]
    pub bytes: Option<Range<usize>>,
}

impl Position {
    /// A position at the start of a file.
    pub fn file_start(file: &Path) -> Self {
        Position {
            file: file.to_owned(),
            line: 1,
            column: 1,
            bytes: None,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One problem in a rule file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub level: Level,
    /// What is wrong.
    pub message: String,
    /// Where.
    pub position: Position,
    /// The rule the problem belongs to.
    pub rule: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A new problem with the level its code implies.
    pub fn new(code: Code, position: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            level: code.level(),
            message: message.into(),
            position,
            rule: None,
            hint: None,
        }
    }

    /// Attaches the rule id.
    pub fn with_rule(mut self, rule: Option<&str>) -> Self {
        self.rule = rule.map(str::to_owned);
        self
    }

    /// Attaches a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this problem stops the load.
    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:col: error[E003] rule `x`: message (hint: ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, "{}: {level}[{}]", self.position, self.code)?;
        if let Some(rule) = &self.rule {
            write!(f, " rule `{rule}`")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// Renders problems as annotated snippets of their rule files.
///
/// `source` gives the text of a rule file (None when it cannot be read, in
/// which case the plain one-line form is used).
pub fn render<'a>(
    diagnostics: &[Diagnostic],
    source: impl Fn(&Path) -> Option<&'a str>,
    color: bool,
) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        let title = match &d.rule {
            Some(rule) => format!("{} (rule `{rule}`)", d.message),
            None => d.message.clone(),
        };
        let level = match d.level {
            Level::Error => SnippetLevel::ERROR,
            Level::Warning => SnippetLevel::WARNING,
        };
        let path = d.position.file.display().to_string();
        let text = source(&d.position.file);
        let span = text.and_then(|t| span_of(t, &d.position));
        let mut groups = Vec::new();
        match (text, span) {
            (Some(text), Some(span)) => groups.push(
                level.primary_title(&title).id(d.code.as_str()).element(
                    Snippet::source(text)
                        .path(&path)
                        .annotation(AnnotationKind::Primary.span(span)),
                ),
            ),
            _ => {
                out.push_str(&d.to_string());
                out.push('\n');
                continue;
            }
        }
        if let Some(hint) = &d.hint {
            groups.push(Group::with_title(SnippetLevel::HELP.secondary_title(hint)));
        }
        out.push_str(&renderer.render(&groups));
        out.push_str("\n\n");
    }
    out
}

/// The byte span to underline: the recorded one, or the rest of the token at
/// the line and column.
fn span_of(text: &str, pos: &Position) -> Option<Range<usize>> {
    if let Some(r) = &pos.bytes
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
    {
        return Some(if r.is_empty() {
            r.start..r.start
        } else {
            r.clone()
        });
    }
    let line_start = text
        .split_inclusive('\n')
        .take(pos.line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let line = text.get(line_start..)?.lines().next().unwrap_or("");
    let col_byte = line
        .char_indices()
        .nth(pos.column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[col_byte..];
    let len = rest
        .find(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}')
        .unwrap_or(rest.len());
    Some(line_start + col_byte..line_start + col_byte + len)
}

/// Byte offset of a 1-based line and column (in characters) in `text`.
pub fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let rest = text.get(line_start..)?;
    Some(
        line_start
            + rest
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(rest.len(), |(i, _)| i),
    )
}

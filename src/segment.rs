//! Scope units: paragraphs, sentences and word windows, found lazily around
//! hits.
//!
//! Paragraphs are separated by blank lines. Sentences follow Unicode UAX #29
//! (unicode-segmentation) with two corrections that news text needs: line
//! breaks inside a paragraph do not end a sentence (hard-wrapped and
//! PDF-extracted text), and a break after a known abbreviation ("Mr.",
//! "No."), a single initial ("J.") or a dotted acronym ("U.N.") is not a
//! sentence end. The cost of the second correction is that a real sentence
//! ending in an acronym is merged with the next one, which only widens a
//! sentence scope: the safe direction for a checker whose findings a person
//! reviews.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// Where conditions must co-occur.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Within `n` words of each other.
    Words(u32),
    /// In one sentence.
    Sentence,
    /// In one paragraph.
    Paragraph,
    /// Anywhere in the document.
    Document,
}

impl Scope {
    /// Parses `sentence`, `paragraph`, `document` or `N words`.
    pub fn parse(s: &str) -> Option<Scope> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "sentence" => Some(Scope::Sentence),
            "paragraph" => Some(Scope::Paragraph),
            "document" => Some(Scope::Document),
            _ => {
                let n = s.strip_suffix("words").or_else(|| s.strip_suffix("word"))?;
                let n: u32 = n.trim().parse().ok()?;
                (1..=1000).contains(&n).then_some(Scope::Words(n))
            }
        }
    }

    /// The name used in rule files and output.
    pub fn name(self) -> String {
        match self {
            Scope::Words(n) => format!("{n} words"),
            Scope::Sentence => "sentence".into(),
            Scope::Paragraph => "paragraph".into(),
            Scope::Document => "document".into(),
        }
    }
}

/// Abbreviations after which a full stop does not end a sentence (compared
/// case-insensitively, without the final dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "capt", "cmdr", "adm",
    "maj", "sgt", "gov", "sen", "rep", "amb", "no", "nos", "art", "para", "paras", "sec", "vol",
    "fig", "co", "corp", "inc", "ltd", "llc", "plc", "bros", "dept", "univ", "approx", "est",
    "e.g", "i.e", "vs", "etc", "cf", "al", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "sr", "sra", "srta", "ud", "mme", "mlle", "m",
];

/// The scope units of one document, computed on demand and cached.
pub struct Segments<'a> {
    text: &'a str,
    paragraphs: Vec<Range<usize>>,
    sentences: RefCell<HashMap<usize, ParagraphSentences>>,
}

/// The sentences of one paragraph found so far. Sentence segmentation is the
/// costly part of finding units, so a paragraph is segmented from its start
/// only as far as positions are asked for, and resumed from the end of the
/// last sentence found. Segmenting from a sentence boundary gives the same
/// boundaries as segmenting the whole paragraph: UAX #29 decides a break from
/// the characters since the last terminator (`.`, `?`, ...) and after it, and
/// the text just after a boundary starts a new run (tested against
/// [`sentences`]).
#[derive(Default)]
struct ParagraphSentences {
    /// Complete sentences (abbreviation merges included), in order.
    done: Vec<Range<usize>>,
    /// Where segmentation resumes: the end of the last complete sentence.
    resume: usize,
    /// Whether the whole paragraph is segmented.
    finished: bool,
    /// Sentences further on, segmented from a sure sentence start (see
    /// [`Segments::sentence_from_nearby_start`]), in order.
    further: Vec<Range<usize>>,
}

impl ParagraphSentences {
    /// Nothing found yet; segmentation starts at `start`, a sentence
    /// boundary.
    fn starting_at(start: usize) -> Self {
        ParagraphSentences {
            resume: start,
            ..ParagraphSentences::default()
        }
    }

    /// Segments `para` of `text` until a sentence ends after `upto`, or to
    /// the paragraph's end.
    fn extend(&mut self, text: &str, para: &Range<usize>, upto: usize) {
        let Some(slice) = text.get(self.resume..para.end) else {
            self.finish(para);
            return;
        };
        // Line breaks inside a paragraph do not end sentences: segment a
        // copy with them turned into spaces (same byte length).
        let flat = slice.replace(['\n', '\r'], " ");
        let base = self.resume;
        let mut current: Option<Range<usize>> = None;
        for (off, s) in flat.split_sentence_bound_indices() {
            let r = base + off..base + off + s.len();
            let sentence = match current.take() {
                Some(c) => c.start..r.end,
                None => r,
            };
            if ends_with_abbreviation(s) {
                current = Some(sentence);
                continue;
            }
            self.resume = sentence.end;
            let past = sentence.end > upto;
            self.done.push(sentence);
            if past {
                return;
            }
        }
        self.done.extend(current);
        self.finish(para);
    }

    fn finish(&mut self, para: &Range<usize>) {
        self.resume = para.end;
        self.finished = true;
        if self.done.is_empty() {
            self.done.push(para.clone());
        }
    }
}

impl<'a> Segments<'a> {
    /// Prepares the units of `text` (paragraphs are found at once: one pass
    /// over the line breaks; sentences only when asked for).
    pub fn new(text: &'a str) -> Self {
        Segments {
            text,
            paragraphs: paragraphs(text),
            sentences: RefCell::new(HashMap::new()),
        }
    }

    /// The document's text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The unit of `scope` that contains byte `pos` (for `Words`, the window
    /// of `n` words on each side of `pos`).
    pub fn unit_at(&self, scope: Scope, pos: usize) -> Range<usize> {
        match scope {
            Scope::Document => 0..self.text.len(),
            Scope::Paragraph => self.paragraph_at(pos),
            Scope::Sentence => {
                let p = self.paragraph_index(pos);
                if let Some(s) = self.sentence_from_nearby_start(p, pos) {
                    return s;
                }
                self.with_sentences(p, pos, |sentences| sentence_at(sentences, pos))
                    .unwrap_or_else(|| self.paragraph_at(pos))
            }
            Scope::Words(n) => self.word_window(pos..pos, n),
        }
    }

    /// The window reaching `n` words before and after `range`.
    pub fn word_window(&self, range: Range<usize>, n: u32) -> Range<usize> {
        word_window(self.text, range, n)
    }

    /// Units of `scope` inside `range` (for `Words`, none: windows are made
    /// around hits by the caller).
    pub fn units_within(&self, scope: Scope, range: Range<usize>) -> Vec<Range<usize>> {
        match scope {
            Scope::Document => std::iter::once(0..self.text.len()).collect(),
            Scope::Paragraph => self
                .paragraphs
                .iter()
                .filter(|p| p.start < range.end && range.start < p.end)
                .cloned()
                .collect(),
            Scope::Sentence => {
                let mut out = Vec::new();
                let first = self.paragraph_index(range.start);
                for p in first..self.paragraphs.len() {
                    if self.paragraphs[p].start >= range.end {
                        break;
                    }
                    self.with_sentences(p, range.end, |sentences| {
                        out.extend(
                            sentences
                                .iter()
                                .filter(|s| s.start < range.end && range.start < s.end)
                                .cloned(),
                        );
                    });
                }
                out
            }
            Scope::Words(_) => Vec::new(),
        }
    }

    /// The narrowest of sentence, paragraph and document that holds all of
    /// `ranges`.
    pub fn proximity(&self, ranges: &[Range<usize>]) -> Scope {
        let Some(first) = ranges.first() else {
            return Scope::Document;
        };
        for scope in [Scope::Sentence, Scope::Paragraph] {
            let unit = self.unit_at(scope, first.start);
            if ranges
                .iter()
                .all(|r| r.start >= unit.start && r.end <= unit.end)
            {
                return scope;
            }
        }
        Scope::Document
    }

    fn paragraph_index(&self, pos: usize) -> usize {
        self.paragraphs
            .partition_point(|p| p.end <= pos)
            .min(self.paragraphs.len().saturating_sub(1))
    }

    fn paragraph_at(&self, pos: usize) -> Range<usize> {
        self.paragraphs
            .get(self.paragraph_index(pos))
            .cloned()
            .unwrap_or(0..self.text.len())
    }

    /// The sentence around `pos` in paragraph `p`, segmented from a sure
    /// sentence start shortly before it, when the paragraph is not yet
    /// segmented that far and such a start lies far enough past where its
    /// segmentation stopped (`None` otherwise: the caller segments from
    /// there).
    fn sentence_from_nearby_start(&self, p: usize, pos: usize) -> Option<Range<usize>> {
        let para = self.paragraphs.get(p)?.clone();
        if pos >= para.end {
            return None;
        }
        let mut map = self.sentences.borrow_mut();
        let found = map
            .entry(p)
            .or_insert_with(|| ParagraphSentences::starting_at(para.start));
        if found.finished || found.done.last().is_some_and(|s| s.end > pos) {
            return None;
        }
        let i = found.further.partition_point(|s| s.end <= pos);
        if let Some(s) = found.further.get(i).filter(|s| s.start <= pos) {
            return Some(s.clone());
        }
        let start = sure_sentence_start(self.text, found.resume, pos)?;
        if start - found.resume < NEARBY_START_MIN_GAIN {
            return None;
        }
        let mut local = ParagraphSentences::starting_at(start);
        local.extend(self.text, &para, pos);
        let sentence = sentence_at(&local.done, pos);
        found.further.extend(local.done);
        found.further.sort_unstable_by_key(|s| (s.start, s.end));
        found.further.dedup();
        sentence
    }

    /// Calls `f` with the sentences of paragraph `p` found so far, after
    /// segmenting it until a sentence ends after `upto` (or to its end).
    fn with_sentences<R>(&self, p: usize, upto: usize, f: impl FnOnce(&[Range<usize>]) -> R) -> R {
        let para = self.paragraphs.get(p).cloned().unwrap_or(0..0);
        let mut map = self.sentences.borrow_mut();
        let found = map
            .entry(p)
            .or_insert_with(|| ParagraphSentences::starting_at(para.start));
        if !found.finished && found.done.last().is_none_or(|s| s.end <= upto) {
            found.extend(self.text, &para, upto);
        }
        f(&found.done)
    }
}

/// Paragraph ranges: stretches of text between blank lines. Line breaks are
/// `\n`, `\r\n` or a lone `\r`. The ranges cover the whole text, so every
/// position lies in one paragraph.
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut seen_text = false;
    let mut line_start = 0;
    loop {
        let eol = memchr::memchr2(b'\n', b'\r', &bytes[line_start..]).map(|o| line_start + o);
        let line_end = eol.unwrap_or(bytes.len());
        let blank = bytes[line_start..line_end]
            .iter()
            .all(u8::is_ascii_whitespace);
        if blank && seen_text && line_start > start && (eol.is_some() || line_start < text.len()) {
            out.push(start..line_start);
            start = line_start;
            seen_text = false;
        }
        seen_text |= !blank;
        let Some(e) = eol else { break };
        line_start = if bytes[e] == b'\r' && bytes.get(e + 1) == Some(&b'\n') {
            e + 2
        } else {
            e + 1
        };
        if line_start >= bytes.len() {
            break;
        }
    }
    if start < text.len() || out.is_empty() {
        out.push(start..text.len());
    }
    out
}

/// Sentence ranges within `para` (covering it entirely).
pub fn sentences(text: &str, para: Range<usize>) -> Vec<Range<usize>> {
    let mut all = ParagraphSentences::starting_at(para.start);
    all.extend(text, &para, usize::MAX);
    all.done
}

/// The sentence of `sentences` (in order, covering their paragraph) that
/// holds `pos`: the last one when `pos` lies past them all.
fn sentence_at(sentences: &[Range<usize>], pos: usize) -> Option<Range<usize>> {
    let i = sentences.partition_point(|s| s.end <= pos);
    sentences.get(i).or(sentences.last()).cloned()
}

/// Segmenting from a sure sentence start is worth it when it skips at least
/// this many bytes.
const NEARBY_START_MIN_GAIN: usize = 128;

/// The last position in `lo..=pos` of `text` where a sentence surely starts,
/// whatever comes before: an ASCII capital after a run of spaces or line
/// breaks after `.`, `!` or `?`, itself after a word of two or more ASCII
/// lower-case letters that is not an abbreviation. UAX #29 breaks there (no
/// rule joins a terminator, spaces and a capital), and the break is not
/// undone for an abbreviation; `lo` must itself be a sentence boundary (the
/// text between is searched, not what precedes it).
fn sure_sentence_start(text: &str, lo: usize, pos: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut end = pos.min(b.len());
    while let Some(t) = memchr::memrchr3(b'.', b'!', b'?', &b[lo..end]).map(|t| lo + t) {
        end = t;
        let spaces = b[t + 1..]
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\n' | b'\r'))
            .count();
        let start = t + 1 + spaces;
        let word = b[lo..t]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        let sure = spaces > 0
            && start <= pos
            && b.get(start).is_some_and(u8::is_ascii_uppercase)
            && word >= 2
            && (t - word == lo || matches!(b[t - word - 1], b' ' | b'\n' | b'\r'))
            && !ends_with_abbreviation(&text[t - word..start]);
        if sure {
            return Some(start);
        }
    }
    None
}

fn ends_with_abbreviation(sentence: &str) -> bool {
    let t = sentence.trim_end();
    let Some(body) = t.strip_suffix('.') else {
        return false;
    };
    let word = body
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '\'')
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    // A single initial ("J.") or a dotted acronym ("U.N", "U.S").
    if letters == 1 && word.chars().count() == 1 {
        return true;
    }
    if word.contains('.') && word.split('.').all(|p| p.chars().count() == 1) {
        return true;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// The window reaching `n` words before `range.start` and `n` words after
/// `range.end`. Words are runs of letters and digits.
pub fn word_window(text: &str, range: Range<usize>, n: u32) -> Range<usize> {
    let start = range.start.min(text.len());
    let end = range.end.clamp(start, text.len());
    let mut words = 0;
    let mut in_word = false;
    let mut lo = start;
    for (i, c) in text[..start].char_indices().rev() {
        let w = c.is_alphanumeric();
        if w && !in_word {
            if words == n {
                break;
            }
            words += 1;
        }
        in_word = w;
        if w {
            lo = i;
        }
    }
    let mut words = 0;
    let mut in_word = false;
    let mut hi = end;
    for (i, c) in text[end..].char_indices() {
        let w = c.is_alphanumeric();
        if w && !in_word {
            if words == n {
                break;
            }
            words += 1;
        }
        in_word = w;
        if w {
            hi = end + i + c.len_utf8();
        }
    }
    lo..hi
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text, 0..text.len())
            .into_iter()
            .map(|r| text[r].trim())
            .collect()
    }

    #[test]
    fn sentences_survive_abbreviations_and_numbers() {
        let t = "The U.N. Security Council met. Mr. Kim arrived at No. 5 pier at 3.5 knots. \
                 \"Fine,\" he said. Dr. Ri left.";
        assert_eq!(
            split(t),
            vec![
                "The U.N. Security Council met.",
                "Mr. Kim arrived at No. 5 pier at 3.5 knots.",
                "\"Fine,\" he said.",
                "Dr. Ri left."
            ]
        );
    }

    #[test]
    fn line_breaks_do_not_end_sentences() {
        assert_eq!(
            split("A ship sailed\nto Nampo. It came back."),
            vec!["A ship sailed\nto Nampo.", "It came back."]
        );
    }

    #[test]
    fn paragraphs_split_on_blank_lines_with_any_line_ending() {
        let t = "one\ntwo\n\nthree\r\n\r\nfour\r\rfive";
        let p: Vec<&str> = paragraphs(t).into_iter().map(|r| t[r].trim()).collect();
        assert_eq!(p, vec!["one\ntwo", "three", "four", "five"]);
    }

    #[test]
    fn paragraphs_cover_every_position() {
        for t in ["", "\n\n", "a", "a\n\n\nb\n", "  \n x"] {
            let p = paragraphs(t);
            assert_eq!(p.first().map(|r| r.start), Some(0));
            assert_eq!(p.last().map(|r| r.end), Some(t.len()));
            assert!(p.windows(2).all(|w| w[0].end == w[1].start));
        }
    }

    #[test]
    fn word_windows_count_words() {
        let t = "one two three four five six";
        let at = t.find("four").unwrap();
        assert_eq!(&t[word_window(t, at..at + 4, 1)], "three four five");
        assert_eq!(&t[word_window(t, at..at + 4, 10)], t);
    }

    #[test]
    fn scopes_parse() {
        assert_eq!(Scope::parse("Sentence"), Some(Scope::Sentence));
        assert_eq!(Scope::parse("12 words"), Some(Scope::Words(12)));
        assert_eq!(Scope::parse("page"), None);
        assert_eq!(Scope::parse("0 words"), None);
    }
}

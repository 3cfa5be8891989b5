//! Text normalization with a map back to the original bytes.
//!
//! Terms and documents are folded the same way before matching, so that
//! "Kim Yong-nam", "KIM Yong\nNam" and "Kim Yong Nam" all read `kim yong nam`,
//! "Nicolás" reads `nicolas`, and "People’s" reads `people's`. The folded text
//! is pure ASCII, which keeps word-boundary checks to one byte test and lets the
//! automaton run without any case handling.
//!
//! Per character:
//! 1. ASCII letters are lower-cased; other ASCII bytes are kept, except that
//!    whitespace and hyphens become separators.
//! 2. A run of separators (spaces, tabs, line breaks, hyphens and dashes,
//!    non-breaking and other Unicode spaces) becomes one space.
//! 3. Soft hyphens, zero-width spaces and joiners, and byte-order marks vanish.
//! 4. A hyphen at the end of a line between two letters, with a lower-case
//!    letter after the break ("Pyong-\nyang"), is a word broken by layout and
//!    vanishes with the break.
//! 5. Curly quotes and primes become `'` or `"`.
//! 6. Every other character is transliterated to ASCII ([`any_ascii`]) and
//!    lower-cased: "é" → `e`, "ß" → `ss`, "Дмитрий" → `dmitriy`.
//!
//! [`NormalizedText::original_range`] maps any span of the folded text back to
//! the original bytes; spans always land on character boundaries.

use std::ops::Range;

/// What one original character or run becomes in the folded text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Kept, lower-cased (ASCII).
    Byte(u8),
    /// A separator: collapses with its neighbours into one space.
    Separator,
    /// Removed.
    Invisible,
}

const fn classify_ascii(b: u8) -> Class {
    match b {
        b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | b'-' => Class::Separator,
        b'A'..=b'Z' => Class::Byte(b + 32),
        _ => Class::Byte(b),
    }
}

fn classify_char(c: char) -> Option<Class> {
    Some(match c {
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {
            Class::Invisible
        }
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' => Class::Separator,
        c if c.is_whitespace() => Class::Separator,
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{02BB}' | '\u{00B4}' => Class::Byte(b'\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => Class::Byte(b'"'),
        _ => return None,
    })
}

/// Whether folding removes `c` (a soft hyphen, a zero-width character): the
/// words on each side of it join.
pub(crate) fn is_invisible(c: char) -> bool {
    classify_char(c) == Some(Class::Invisible)
}

/// Whether an ASCII byte is a separator: a run of them folds into one space.
pub(crate) fn is_ascii_separator(b: u8) -> bool {
    b.is_ascii() && classify_ascii(b) == Class::Separator
}

/// One stretch of the folded text and where it came from.
///
/// Within a *linear* segment, folded byte `norm + k` came from original byte
/// `orig + k`. A non-linear segment is a single original character or
/// separator run of `orig_len` bytes that became the folded bytes of the
/// segment (any number, one or more).
#[derive(Clone, Copy, Debug)]
struct Segment {
    norm: usize,
    orig: usize,
    /// 0 for linear segments; otherwise the original length in bytes.
    orig_len: usize,
}

/// A document folded for matching, with the map back to the original.
#[derive(Clone, Debug, Default)]
pub struct NormalizedText {
    text: String,
    segments: Vec<Segment>,
    orig_len: usize,
}

impl NormalizedText {
    /// Folds `original` (see the module documentation).
    ///
    /// ```
    /// use sanctions_check::normalize::NormalizedText;
    /// let n = NormalizedText::new("Kim Yong-\u{00AD}nam of the DPRK’s");
    /// assert_eq!(n.as_str(), "kim yong nam of the dprk's");
    /// let span = n.original_range(0..12);
    /// assert_eq!(&"Kim Yong-\u{00AD}nam of the DPRK’s"[span], "Kim Yong-\u{00AD}nam");
    /// ```
    pub fn new(original: &str) -> Self {
        let mut out = Folder {
            text: Vec::with_capacity(original.len()),
            segments: Vec::new(),
            linear_open: false,
        };
        let bytes = original.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let run = ascii_run(bytes, i);
            if run > i {
                out.push_linear_run(i, &bytes[i..run]);
                i = run;
                continue;
            }
            let b = bytes[i];
            if b < 0x80 {
                match classify_ascii(b) {
                    Class::Byte(x) => out.push_linear(i, x),
                    Class::Separator => {
                        i = fold_separator_run(original, i, &mut out);
                        continue;
                    }
                    Class::Invisible => out.linear_open = false,
                }
                i += 1;
                continue;
            }
            let c = original[i..].chars().next().unwrap_or('\u{FFFD}');
            let len = c.len_utf8();
            match classify_char(c) {
                Some(Class::Separator) => {
                    i = fold_separator_run(original, i, &mut out);
                    continue;
                }
                Some(Class::Invisible) => out.linear_open = false,
                Some(Class::Byte(x)) => out.push_char(i, len, &[x]),
                None => {
                    let folded = fold_transliteration(
                        any_ascii::any_ascii_char(c),
                        out.text.last().is_none_or(|b| *b == b' '),
                    );
                    if folded.is_empty() {
                        out.linear_open = false;
                    } else {
                        out.push_char(i, len, &folded);
                    }
                }
            }
            i += len;
        }
        let text = String::from_utf8(out.text).unwrap_or_default();
        NormalizedText {
            text,
            segments: out.segments,
            orig_len: original.len(),
        }
    }

    /// The folded text (ASCII only).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Maps a byte range of the folded text back to the original text.
    ///
    /// The result starts at the original character that produced the first
    /// folded byte and ends after the one that produced the last. An empty or
    /// out-of-range input yields an empty range at the nearest position.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        if self.segments.is_empty() || range.start >= self.text.len() {
            return self.orig_len..self.orig_len;
        }
        let start = self.original_start(range.start);
        if range.end <= range.start {
            return start..start;
        }
        let end = self.original_end(range.end.min(self.text.len()) - 1);
        start..end.max(start)
    }

    fn segment_of(&self, pos: usize) -> &Segment {
        let idx = self.segments.partition_point(|s| s.norm <= pos);
        &self.segments[idx.saturating_sub(1)]
    }

    fn original_start(&self, pos: usize) -> usize {
        let s = self.segment_of(pos);
        if s.orig_len == 0 {
            s.orig + (pos - s.norm)
        } else {
            s.orig
        }
    }

    fn original_end(&self, last: usize) -> usize {
        let s = self.segment_of(last);
        if s.orig_len == 0 {
            s.orig + (last - s.norm) + 1
        } else {
            s.orig + s.orig_len
        }
    }
}

/// Folds a transliteration as ASCII text is folded: lower case, and runs of
/// separators as one space (none at the start of the text or after a space),
/// so that folding the folded text changes nothing.
fn fold_transliteration(ascii: &str, after_space: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(ascii.len());
    let mut space = after_space;
    for b in ascii.bytes() {
        match classify_ascii(b) {
            Class::Byte(x) => {
                out.push(x);
                space = false;
            }
            _ if !space => {
                out.push(b' ');
                space = true;
            }
            _ => {}
        }
    }
    out
}

/// How each ASCII byte folds when it maps one to one: letters lower-cased,
/// separators to a space, the rest unchanged (non-ASCII bytes never use it).
const FOLD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match classify_ascii(b as u8) {
            Class::Byte(x) => x,
            _ => b' ',
        };
        b += 1;
    }
    t
};

const fn is_separator(b: u8) -> bool {
    matches!(classify_ascii(b), Class::Separator)
}

/// What each byte is to [`ascii_run`]: 0 an ASCII byte that folds one to
/// one, 1 a separator, 2 a byte of a non-ASCII character.
const KIND: [u8; 256] = {
    let mut t = [2u8; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = if is_separator(b as u8) { 1 } else { 0 };
        b += 1;
    }
    t
};

/// End of the run of ASCII bytes from `i` that fold one to one: bytes that
/// are not separators, and single separators between two of them. Runs of
/// separators, a separator at the start, and non-ASCII bytes end it.
fn ascii_run(bytes: &[u8], i: usize) -> usize {
    let mut j = i;
    while let Some(b) = bytes.get(j) {
        match KIND[usize::from(*b)] {
            0 => j += 1,
            1 if j > i && bytes.get(j + 1).is_some_and(|n| KIND[usize::from(*n)] == 0) => {
                j += 2;
            }
            _ => break,
        }
    }
    j
}

struct Folder {
    text: Vec<u8>,
    segments: Vec<Segment>,
    /// Whether the last segment is linear and ends exactly where the next
    /// original byte would continue it.
    linear_open: bool,
}

impl Folder {
    /// Continues the current linear segment at original byte `orig`, or
    /// starts a new one.
    fn open_linear(&mut self, orig: usize) {
        let continues = self.linear_open
            && self
                .segments
                .last()
                .is_some_and(|s| s.orig_len == 0 && s.orig + (self.text.len() - s.norm) == orig);
        if !continues {
            self.segments.push(Segment {
                norm: self.text.len(),
                orig,
                orig_len: 0,
            });
        }
        self.linear_open = true;
    }

    fn push_linear(&mut self, orig: usize, b: u8) {
        self.open_linear(orig);
        self.text.push(b);
    }

    /// Appends a run of ASCII bytes that fold one to one (see [`ascii_run`]).
    fn push_linear_run(&mut self, orig: usize, run: &[u8]) {
        self.open_linear(orig);
        self.text.extend(run.iter().map(|b| FOLD[usize::from(*b)]));
    }

    fn push_char(&mut self, orig: usize, orig_len: usize, folded: &[u8]) {
        self.segments.push(Segment {
            norm: self.text.len(),
            orig,
            orig_len,
        });
        self.text.extend_from_slice(folded);
        self.linear_open = false;
    }
}

/// Folds the separator run starting at `start`; returns where it ends.
///
/// A run is one space in the folded text, except a hyphen-and-line-break
/// between a letter and a lower-case letter, which joins the two words.
fn fold_separator_run(original: &str, start: usize, out: &mut Folder) -> usize {
    let mut end = start;
    let mut has_hyphen = false;
    let mut has_break = false;
    for (off, c) in original[start..].char_indices() {
        let is_sep = if c.is_ascii() {
            classify_ascii(c as u8) == Class::Separator
        } else {
            matches!(classify_char(c), Some(Class::Separator | Class::Invisible))
        };
        if !is_sep {
            break;
        }
        match c {
            '-' | '\u{2010}' | '\u{2011}' => has_hyphen = true,
            '\n' | '\r' => has_break = has_hyphen || has_break,
            _ => {}
        }
        end = start + off + c.len_utf8();
    }
    let before_is_letter = out.text.last().is_some_and(|b| b.is_ascii_alphabetic());
    let after_is_lower = original[end..]
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase());
    let joins = has_hyphen && has_break && before_is_letter && after_is_lower;
    if joins {
        out.linear_open = false;
    } else if !out.text.is_empty() && out.text.last() != Some(&b' ') {
        out.push_char(start, end - start, b" ");
    } else {
        out.linear_open = false;
    }
    end
}

/// Folds a term written in a rule the same way documents are folded, and
/// trims separators at both ends.
///
/// ```
/// use sanctions_check::normalize::fold_term;
/// assert_eq!(fold_term("  Corée du Nord "), "coree du nord");
/// ```
pub fn fold_term(term: &str) -> String {
    NormalizedText::new(term).as_str().trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(s: &str) -> String {
        NormalizedText::new(s).as_str().to_owned()
    }

    #[test]
    fn folds_case_spaces_and_hyphens() {
        assert_eq!(fold("Kim  Yong-nam"), "kim yong nam");
        assert_eq!(fold("KIM\r\nYong\tNam"), "kim yong nam");
        assert_eq!(fold("North\u{00A0}Korea"), "north korea");
        assert_eq!(fold("a \u{2014} b"), "a b");
    }

    #[test]
    fn folds_quotes_and_diacritics() {
        assert_eq!(fold("People’s"), "people's");
        assert_eq!(fold("Nicolás Maduro"), "nicolas maduro");
        assert_eq!(fold("Corée du Nord"), "coree du nord");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Ch’oe Chŏng"), "ch'oe chong");
    }

    #[test]
    fn removes_layout_debris() {
        assert_eq!(fold("Pyong-\nyang"), "pyongyang");
        assert_eq!(fold("Pyong-\r\n  yang"), "pyongyang");
        assert_eq!(fold("North-\nKorea"), "north korea");
        assert_eq!(fold("sanc\u{00AD}tions"), "sanctions");
        assert_eq!(fold("zero\u{200B}width"), "zerowidth");
    }

    #[test]
    fn maps_spans_back_to_original() {
        let src = "The  Nicolás\u{00AD} case in Pyong-\nyang";
        let n = NormalizedText::new(src);
        let at = n.as_str().find("nicolas").unwrap();
        assert_eq!(&src[n.original_range(at..at + 7)], "Nicolás");
        let at = n.as_str().find("pyongyang").unwrap();
        assert_eq!(&src[n.original_range(at..at + 9)], "Pyong-\nyang");
    }

    #[test]
    fn expanding_characters_map_to_whole_character() {
        let src = "Großhandel";
        let n = NormalizedText::new(src);
        assert_eq!(n.as_str(), "grosshandel");
        assert_eq!(&src[n.original_range(3..4)], "ß");
        assert_eq!(&src[n.original_range(0..5)], "Groß");
        assert_eq!(&src[n.original_range(0..6)], "Großh");
    }

    #[test]
    fn empty_and_separator_only_inputs() {
        assert_eq!(fold(""), "");
        assert_eq!(fold("  \n "), "");
        assert_eq!(NormalizedText::new("").original_range(0..3), 0..0);
    }
}

//! Scanning large inputs in bounded memory.
//!
//! A text larger than [`CHUNK_BYTES`] is read and scanned in chunks cut at a
//! paragraph break (a blank line) in the second half of the chunk, else at a
//! line break, else at a space, else anywhere on a character boundary.
//! Offsets, lines and columns of findings are those of the whole input.
//! Memory stays bounded by a few times the chunk size, whatever the input
//! size. The price: for inputs this large, the `document` scope is a chunk
//! (tens of megabytes of text), and a sentence cut by a forced split (a
//! chunk with no break at all) is seen as two.

use std::io::{self, Read};

use crate::document::decode;
use crate::finding::Finding;
use crate::ruleset::RuleSet;

/// Size of one chunk (32 MiB).
pub const CHUNK_BYTES: usize = 32 * 1024 * 1024;

/// What scanning a stream gave.
#[derive(Debug, Default)]
pub struct StreamOutcome {
    /// The findings, with offsets, lines and columns in the whole input.
    pub findings: Vec<Finding>,
    /// Bytes read.
    pub bytes: u64,
    /// Bytes of invalid UTF-8 (read as U+001A).
    pub invalid_bytes: usize,
}

/// Scans everything `reader` yields, in chunks of about `chunk` bytes
/// (use [`CHUNK_BYTES`]).
///
/// ```
/// use sanctions_check::RuleSet;
/// use sanctions_check::stream::scan_reader;
/// let rules = RuleSet::builtin().unwrap();
/// let text = "Filler line.\n\n".repeat(1000)
///     + "The tanker delivered 900 tonnes of diesel to Nampo, North Korea.\n";
/// let out = scan_reader(&rules, text.as_bytes(), 4096).unwrap();
/// let f = out.findings.iter().find(|f| f.category == "petroleum").unwrap();
/// assert_eq!(f.line, 2001);
/// assert!(text[f.start..f.end].contains("diesel"));
/// ```
pub fn scan_reader(
    rules: &RuleSet,
    mut reader: impl Read,
    chunk: usize,
) -> io::Result<StreamOutcome> {
    let chunk = chunk.max(16);
    let mut out = StreamOutcome::default();
    let mut buf: Vec<u8> = Vec::with_capacity(chunk + 4);
    let mut offset = 0usize;
    let mut lines_before = 0usize;
    let mut col_carry = 0usize;
    let mut eof = false;
    loop {
        while !eof && buf.len() < chunk {
            let start = buf.len();
            buf.resize(chunk, 0);
            let n = loop {
                match reader.read(&mut buf[start..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            buf.truncate(start + n);
            eof = n == 0;
        }
        if buf.is_empty() {
            break;
        }
        let mut cut = if eof { buf.len() } else { cut_point(&buf) };
        // Never split a CRLF pair (it would count as two line breaks): a CR
        // at the cut waits for the next chunk, or takes its LF along.
        if !eof && cut > 1 && buf[cut - 1] == b'\r' {
            if cut < buf.len() && buf[cut] == b'\n' {
                cut += 1;
            } else if cut == buf.len() {
                cut -= 1;
            }
        }
        let decoded = decode(&buf[..cut]);
        out.invalid_bytes += decoded.invalid_bytes;
        let text = decoded.text;
        for mut f in rules.scan_text(&text) {
            if f.line == 1 {
                f.column += col_carry;
            }
            f.line += lines_before;
            f.start += offset;
            f.end += offset;
            f.excerpt_start += offset;
            for e in &mut f.evidence {
                e.start += offset;
                e.end += offset;
            }
            out.findings.push(f);
        }
        let (breaks, tail_chars) = line_breaks(&text);
        lines_before += breaks;
        col_carry = if breaks == 0 {
            col_carry + tail_chars
        } else {
            tail_chars
        };
        offset += cut;
        out.bytes += cut as u64;
        buf.drain(..cut);
    }
    // Occurrence numbers (and so fingerprints) are those of the whole input.
    crate::scan::assign_fingerprints(&mut out.findings);
    Ok(out)
}

/// Where to cut a full buffer: after a blank line, a line break or a space
/// in its second half, else at the last character boundary.
fn cut_point(buf: &[u8]) -> usize {
    let half = buf.len() / 2;
    let tail = &buf[half..];
    let after = |i: usize| half + i + 1;
    if let Some(i) = memchr::memmem::rfind(tail, b"\n\n") {
        return after(i + 1);
    }
    if let Some(i) = memchr::memrchr(b'\n', tail) {
        return after(i);
    }
    if let Some(i) = memchr::memrchr2(b' ', b'\t', tail) {
        return after(i);
    }
    let mut cut = buf.len();
    while cut > 0 && (buf[cut - 1] & 0xC0) == 0x80 {
        cut -= 1;
    }
    // `cut - 1` is now a lead byte (or ASCII): cut before an incomplete
    // sequence, after a complete one.
    if cut > 0 && buf[cut - 1] >= 0xC0 {
        cut -= 1;
    }
    if cut == 0 { buf.len() } else { cut }
}

/// Line breaks in `text` (`\n`, `\r\n`, lone `\r`) and the characters after
/// the last one.
fn line_breaks(text: &str) -> (usize, usize) {
    let lines = crate::finding::LineIndex::new(text);
    let last = lines.last_start();
    (lines.count() - 1, text[last..].chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_scans_agree_with_whole_scans() {
        let rules = RuleSet::builtin().unwrap();
        let mut text = String::new();
        for i in 0..300 {
            text.push_str(&format!("Paragraph {i} about the weather in Oslo.\r\n"));
            if i % 50 == 7 {
                text.push_str("The tanker delivered 900 tonnes of diesel to Nampo, North Korea. ");
            }
            if i % 3 == 0 {
                text.push('\n');
            }
        }
        let whole = rules.scan_text(&text);
        assert!(!whole.is_empty());
        for chunk in [512, 1000, 4096] {
            let part = scan_reader(&rules, text.as_bytes(), chunk).unwrap();
            let key = |f: &Finding| (f.rule.clone(), f.start, f.end, f.line, f.column);
            let a: Vec<_> = whole.iter().map(key).collect();
            let b: Vec<_> = part.findings.iter().map(key).collect();
            assert_eq!(a, b, "chunk {chunk}");
            assert_eq!(part.bytes as usize, text.len());
        }
    }

    #[test]
    fn one_long_line_is_cut_at_spaces_with_right_columns() {
        let rules = RuleSet::builtin().unwrap();
        let text = "word ".repeat(3000) + "The tanker delivered diesel to Nampo, North Korea.";
        let whole = rules.scan_text(&text);
        let part = scan_reader(&rules, text.as_bytes(), 1024).unwrap();
        assert_eq!(whole[0].column, part.findings[0].column);
        assert_eq!(part.findings[0].line, 1);
    }

    #[test]
    fn cuts_land_on_character_boundaries() {
        let s = "é".repeat(100);
        let c = cut_point(s.as_bytes());
        assert!(s.is_char_boundary(c));
    }
}

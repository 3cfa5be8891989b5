//! Chunked scanning (large files, standard input): the first byte picks a
//! small chunk size, the rest is the document. Every finding of the chunked
//! scan must point into the whole document: evidence equal to the bytes at
//! its offsets, line and column those of the whole text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sanctions_check::RuleSet;
use sanctions_check::document::decode;
use sanctions_check::stream::scan_reader;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("the bundled pack compiles"))
}

/// 1-based line and column (in characters) of byte `at`; line breaks are
/// `\n`, `\r\n` and a lone `\r`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let (mut line, mut line_start, mut i) = (1, 0, 0);
    while i < at {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') && i + 1 < at => {
                i += 2;
                line += 1;
                line_start = i;
            }
            b'\n' | b'\r' => {
                i += 1;
                line += 1;
                line_start = i;
            }
            _ => i += 1,
        }
    }
    (line, text[line_start..at].chars().count() + 1)
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, doc)) = data.split_first() else {
        return;
    };
    let chunk = 16 + 2 * selector as usize;
    let whole = decode(doc);
    let text: &str = &whole.text;
    let out = scan_reader(rules(), doc, chunk).expect("reading a slice never fails");
    assert_eq!(out.bytes as usize, doc.len());
    assert_eq!(out.invalid_bytes, whole.invalid_bytes);
    for f in &out.findings {
        assert!(f.start <= f.end && f.end <= text.len(), "{f:?}");
        assert!(text.is_char_boundary(f.start), "{f:?}");
        assert_eq!(
            (f.line, f.column),
            line_col(text, f.start),
            "line and column of the whole text: {f:?}"
        );
        for e in &f.evidence {
            assert_eq!(text.get(e.start..e.end), Some(e.text.as_str()), "{e:?}");
        }
    }
    // The same input read whole gives findings with the same checks (this
    // also checks `line_col` against the scanner's own line index).
    for f in rules().scan_text(text) {
        assert_eq!((f.line, f.column), line_col(text, f.start), "{f:?}");
    }
});

//! Arbitrary bytes as a document: decode, scan with the bundled pack, and
//! check that every offset reported is a valid position in the text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sanctions_check::RuleSet;
use sanctions_check::document::{decode, looks_binary};

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("the bundled pack compiles"))
}

fuzz_target!(|data: &[u8]| {
    let _ = looks_binary(data);
    let decoded = decode(data);
    let text: &str = &decoded.text;
    // Decoding never moves an offset.
    assert_eq!(text.len(), data.len());
    for f in rules().scan_text(text) {
        assert!(f.start <= f.end && f.end <= text.len(), "{f:?}");
        assert!(
            text.is_char_boundary(f.start),
            "start off a char boundary: {f:?}"
        );
        assert!(
            text.is_char_boundary(f.end),
            "end off a char boundary: {f:?}"
        );
        assert!(f.line >= 1 && f.column >= 1, "{f:?}");
        for e in &f.evidence {
            assert!(e.start <= e.end && e.end <= text.len(), "{e:?}");
            assert!(
                text.is_char_boundary(e.start) && text.is_char_boundary(e.end),
                "{e:?}"
            );
            assert_eq!(
                &text[e.start..e.end],
                e.text,
                "evidence is not the slice it names"
            );
            // The original bytes at those offsets are the evidence too.
            assert_eq!(&data[e.start..e.end], &text.as_bytes()[e.start..e.end]);
        }
        let ex_end = f.excerpt_start + f.excerpt.len();
        assert!(ex_end <= text.len(), "{f:?}");
        assert_eq!(
            &text[f.excerpt_start..ex_end],
            f.excerpt,
            "excerpt is not verbatim"
        );
    }
});

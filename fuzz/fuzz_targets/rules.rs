//! Arbitrary bytes as a rule file: loading must return `Ok` or `Err` with
//! diagnostics, never panic, hang or exhaust memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sanctions_check::RuleSet;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match RuleSet::from_yaml("fuzz.yaml", text) {
        Ok(rules) => {
            // A rule set that loads must also scan its own source and run its
            // inline examples without panicking.
            let _ = rules.scan_text(text);
            let _ = rules.check_examples();
        }
        Err(e) => {
            assert!(
                e.diagnostics.iter().any(|d| d.is_error()),
                "a failed load must carry at least one error"
            );
            // Rendering must cope with whatever positions were recorded.
            let _ = e.render(false);
        }
    }
});

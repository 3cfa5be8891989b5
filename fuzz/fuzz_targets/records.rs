//! Arbitrary bytes as a record file: the first byte picks the format, the
//! rest is the text. Reading and scanning must never panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sanctions_check::RuleSet;
use sanctions_check::document::decode;
use sanctions_check::records::roles::FieldMap;
use sanctions_check::records::{RecordFormat, read_records};

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("the bundled pack compiles"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let format = match selector % 4 {
        0 => RecordFormat::Json,
        1 => RecordFormat::JsonLines,
        2 => RecordFormat::Csv,
        _ => RecordFormat::Yaml,
    };
    let decoded = decode(rest);
    let records = read_records(format, &decoded.text);
    for r in &records.records {
        assert!(r.number >= 1, "{r:?}");
    }
    for f in rules().scan_records(&records, &FieldMap::default()) {
        assert!(f.start <= f.end, "{f:?}");
        let Some(record) = f
            .record
            .and_then(|n| records.records.iter().find(|r| r.number == n))
        else {
            panic!("finding names no record that was read: {f:?}");
        };
        for e in &f.evidence {
            let path = e.field.as_deref().expect("record evidence names its field");
            assert!(
                record
                    .fields
                    .iter()
                    .any(|fl| fl.path == path
                        && fl.value.get(e.start..e.end) == Some(e.text.as_str())),
                "evidence is not a slice of its field: {e:?} in {record:?}"
            );
        }
    }
});

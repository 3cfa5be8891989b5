//! Baselines: fingerprints of reviewed findings, so that re-runs report only
//! new ones.

use std::collections::HashSet;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// A baseline file: `{"version": 1, "findings": [{path, rule, fingerprint}]}`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub fingerprint: String,
}

impl Baseline {
    pub fn read(path: &Path) -> io::Result<HashSet<Entry>> {
        let text = std::fs::read_to_string(path)?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("not a baseline file: {e}"),
            )
        })?;
        Ok(b.findings.into_iter().collect())
    }

    pub fn write(path: &Path, mut entries: Vec<Entry>) -> io::Result<()> {
        entries.sort_by(|a, b| {
            (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint))
        });
        entries.dedup();
        let b = Baseline {
            version: 1,
            findings: entries,
        };
        let text = serde_json::to_string_pretty(&b).map_err(io::Error::from)?;
        std::fs::write(path, text + "\n")
    }
}

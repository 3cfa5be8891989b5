//! Harmonized System codes: spellings and prefix ranges.
//!
//! A code is compared by its digits only, so `2710.19`, `271019` and
//! `2710 19 81` are the same code. A rule lists chapters, headings or
//! subheadings (`03`, `2710`, `8802.11`) or ranges of them (`50-63`,
//! `7201-7206`); a code matches when its first digits fall in one of them.

use std::fmt;

/// A chapter, heading or subheading, or a range of them, written with the
/// same number of digits at both ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HsRange {
    digits: usize,
    low: u64,
    high: u64,
}

impl HsRange {
    /// Parses `2710`, `27.10`, `50-63` or `7201–7206`.
    ///
    /// ```
    /// use sanctions_check::records::hs::HsRange;
    /// let textiles = HsRange::parse("50-63").unwrap();
    /// assert!(textiles.contains("6109.10"));
    /// assert!(!textiles.contains("6401"));
    /// assert!(HsRange::parse("2710").unwrap().contains("2710 19 81"));
    /// ```
    pub fn parse(s: &str) -> Option<HsRange> {
        let mut ends = s.split(['-', '–', '—']);
        let lo = digits_of(ends.next()?);
        let hi = match ends.next() {
            Some(h) => digits_of(h),
            None => lo.clone(),
        };
        if ends.next().is_some() || lo.is_empty() || lo.len() != hi.len() || lo.len() > 12 {
            return None;
        }
        let (low, high) = (lo.parse().ok()?, hi.parse().ok()?);
        (low <= high).then_some(HsRange {
            digits: lo.len(),
            low,
            high,
        })
    }

    /// Whether the code written in `value` starts with a code of the range.
    pub fn contains(&self, value: &str) -> bool {
        let d = digits_of(value);
        if d.len() < self.digits {
            return false;
        }
        d[..self.digits]
            .parse::<u64>()
            .is_ok_and(|n| (self.low..=self.high).contains(&n))
    }
}

impl fmt::Display for HsRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self.digits;
        if self.low == self.high {
            write!(f, "{:0w$}", self.low)
        } else {
            write!(f, "{:0w$}-{:0w$}", self.low, self.high)
        }
    }
}

/// The digits of the code a value starts with, as written (`2710.19` ->
/// `271019`; `HS 2710 19 81` -> `27101981`; `2710.19 - gas oil` ->
/// `271019`): an optional `HS`/`HTS` label, then digits in groups separated
/// by dots, spaces or dashes. Empty when the value holds no such code.
pub fn digits_of(value: &str) -> String {
    let v = value.trim();
    let upper = v.to_ascii_uppercase();
    let v = ["HTS", "HS"]
        .iter()
        .find_map(|l| upper.starts_with(l).then(|| &v[l.len()..]))
        .unwrap_or(v)
        .trim_start_matches([' ', ':', '.']);
    let mut out = String::new();
    let mut end = 0;
    for (i, c) in v.char_indices() {
        if c.is_ascii_digit() {
            out.push(c);
            end = i + 1;
        } else if matches!(c, '.' | ' ' | '-')
            && !out.is_empty()
            && v[i..]
                .chars()
                .find(|n| !matches!(n, '.' | ' ' | '-'))
                .is_some_and(|n| n.is_ascii_digit())
        {
            continue;
        } else {
            break;
        }
    }
    // A code is followed by nothing, or by a separator and a description.
    if v[end..].starts_with(|c: char| c.is_alphanumeric()) {
        return String::new();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_code_agree() {
        let refined = HsRange::parse("2710").unwrap();
        for v in ["2710.19", "271019", "2710 19 81", " 2710.19.81 ", "2710"] {
            assert!(refined.contains(v), "{v}");
        }
        for v in [
            "HS 2710.19",
            "hs: 2710 19",
            "2710.19 - gas oil",
            "2710.19 (diesel)",
        ] {
            assert!(refined.contains(v), "{v}");
        }
        for v in ["2709.00", "27", "", "2710abc", "abc 2710"] {
            assert!(!refined.contains(v), "{v}");
        }
    }

    #[test]
    fn ranges() {
        let metals = HsRange::parse("72-83").unwrap();
        assert!(metals.contains("7308.90"));
        assert!(metals.contains("8301"));
        assert!(!metals.contains("8401"));
        assert!(HsRange::parse("0301-0308").unwrap().contains("030614"));
        assert_eq!(HsRange::parse("50 - 63").unwrap().to_string(), "50-63");
        assert!(HsRange::parse("63-50").is_none());
        assert!(HsRange::parse("5-63").is_none());
        assert!(HsRange::parse("abc").is_none());
    }
}

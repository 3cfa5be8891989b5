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

/// The digits of a code as written (`2710.19` -> `271019`), or an empty
/// string when the value holds anything but digits, spaces, dots and dashes.
pub fn digits_of(value: &str) -> String {
    let v = value.trim();
    if v.chars()
        .any(|c| !(c.is_ascii_digit() || c == '.' || c == ' ' || c == '-'))
    {
        return String::new();
    }
    v.chars().filter(char::is_ascii_digit).collect()
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
        for v in ["2709.00", "27", "", "HS2710", "27-10-ab"] {
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

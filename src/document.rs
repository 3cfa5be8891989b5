//! Turning file bytes into text to scan, without ever losing an offset.
//!
//! * A file with a NUL byte in its first 8 KiB is *binary* (the convention of
//!   ripgrep and git): folder scans skip it and count it.
//! * Invalid UTF-8 is decoded *byte for byte*: each byte of an invalid
//!   sequence becomes U+001A SUBSTITUTE (one byte, neither a letter, a space
//!   nor a sentence end, so "caf\xe9" still reads as one word in one
//!   sentence), so every byte offset in the text is the same offset in the
//!   file. The number of replaced bytes is reported, so the caller can warn.
//! * A UTF-8 byte-order mark is kept as is (it is a zero-width character that
//!   normalization ignores), so offsets stay those of the file.

use std::borrow::Cow;

/// How many leading bytes are checked for NUL.
pub const BINARY_SNIFF_BYTES: usize = 8 * 1024;

/// A file's bytes, read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text: the file's bytes, with each byte of an invalid UTF-8
    /// sequence replaced by U+001A.
    pub text: Cow<'a, str>,
    /// How many bytes were replaced.
    pub invalid_bytes: usize,
}

/// Whether `bytes` look binary (a NUL byte in the first 8 KiB).
pub fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)]).is_some()
}

/// The character that stands for each invalid byte.
pub const SUBSTITUTE: char = '\u{1A}';

/// Decodes `bytes` as UTF-8, replacing each invalid byte with
/// [`SUBSTITUTE`] so that offsets are preserved.
///
/// ```
/// use sanctions_check::document::decode;
/// let d = decode(b"caf\xe9 in Pyongyang");
/// assert_eq!(d.text, "caf\u{1A} in Pyongyang");
/// assert_eq!(d.invalid_bytes, 1);
/// ```
pub fn decode(bytes: &[u8]) -> Decoded<'_> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Decoded {
            text: Cow::Borrowed(s),
            invalid_bytes: 0,
        },
        Err(_) => {
            let mut out = String::with_capacity(bytes.len());
            let mut invalid = 0;
            for chunk in bytes.utf8_chunks() {
                out.push_str(chunk.valid());
                let bad = chunk.invalid().len();
                invalid += bad;
                out.extend(std::iter::repeat_n(SUBSTITUTE, bad));
            }
            Decoded {
                text: Cow::Owned(out),
                invalid_bytes: invalid,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_survive_invalid_bytes() {
        let bytes = b"a\xff\xfeb North Korea";
        let d = decode(bytes);
        assert_eq!(d.text.len(), bytes.len());
        assert_eq!(d.invalid_bytes, 2);
        assert_eq!(d.text.find("North"), Some(5));
    }

    #[test]
    fn binary_sniffing() {
        assert!(looks_binary(b"PK\x03\x04\x00\x00"));
        assert!(!looks_binary("texte accentué".as_bytes()));
        assert!(!looks_binary(b""));
    }
}

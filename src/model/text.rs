//! Writing text without `core::fmt`: a sink that both a `String` (host, UI
//! module) and the core module's fixed buffer implement, so the record's JSON
//! and its dates are produced by one piece of code everywhere.

#[allow(unused_imports)]
use super::prelude::*;

/// Somewhere text can be appended.
pub trait Sink {
    /// Appends `s`.
    fn put(&mut self, s: &str);

    /// Appends the decimal digits of `n`.
    fn decimal(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            if let Some(d) = digits.get_mut(i) {
                *d = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 || i == 0 {
                break;
            }
        }
        if let Some(d) = digits.get(i..) {
            // SAFETY: only ASCII digits were written.
            self.put(unsafe { core::str::from_utf8_unchecked(d) });
        }
    }
}

impl Sink for String {
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
}

/// `bytes` as a `String` when they are well-formed UTF-8 (what
/// `String::from_utf8` accepts), else `None`. A plain loop: core's checker
/// reads a word at a time and is ~600 B of code in the banner module.
pub fn utf8(bytes: Vec<u8>) -> Option<String> {
    let b = bytes.as_slice();
    let mut i = 0;
    while let Some(&lead) = b.get(i) {
        // How many continuation bytes follow, and the smallest code point
        // that needs them (anything smaller is an overlong form).
        let (n, min) = match lead {
            0x00..=0x7F => {
                i += 1;
                continue;
            }
            0xC2..=0xDF => (1, 0x80),
            0xE0..=0xEF => (2, 0x800),
            0xF0..=0xF4 => (3, 0x1_0000),
            _ => return None,
        };
        let mut c = u32::from(lead) & (0x3F >> n);
        for k in 1..=n {
            match b.get(i + k) {
                Some(&x) if x & 0xC0 == 0x80 => c = (c << 6) | u32::from(x & 0x3F),
                _ => return None,
            }
        }
        if c < min || c > 0x10_FFFF || (0xD800..=0xDFFF).contains(&c) {
            return None;
        }
        i += n + 1;
    }
    // SAFETY: checked just above, byte by byte, by UTF-8's rules.
    Some(unsafe { String::from_utf8_unchecked(bytes) })
}

/// `s` split at every `sep` (an ASCII byte), as `str::split` with that char
/// does, over bytes: the char searcher and its `memchr` stay out of the module.
pub fn split(s: &str, sep: u8) -> Split<'_> {
    Split { rest: Some(s), sep }
}

/// The pieces of [`split`].
pub struct Split<'a> {
    rest: Option<&'a str>,
    sep: u8,
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let s = self.rest?;
        match find(s, self.sep) {
            Some(i) => {
                // (`get`: an ASCII byte is always a char boundary, on both sides.)
                self.rest = s.get(i + 1..);
                s.get(..i)
            }
            None => {
                self.rest = None;
                Some(s)
            }
        }
    }
}

/// `s` around its first `sep` (an ASCII byte), as `str::split_once` with that char.
pub fn split_once(s: &str, sep: u8) -> Option<(&str, &str)> {
    let i = find(s, sep)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// Whether `s` holds the ASCII byte `b`, as `str::contains` with that char.
pub fn has(s: &str, b: u8) -> bool {
    find(s, b).is_some()
}

/// Where the byte `b` first is in `s` (one plain loop that the three above share).
fn find(s: &str, b: u8) -> Option<usize> {
    for (i, &x) in s.as_bytes().iter().enumerate() {
        if x == b {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{has, split, split_once, utf8, Sink};
    use alloc::vec::Vec;

    #[test]
    fn utf8_agrees_with_core() {
        let mut cases: Vec<Vec<u8>> = Vec::new();
        for s in [
            "",
            "a",
            "é",
            "€",
            "😀",
            "a\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}",
        ] {
            cases.push(s.as_bytes().to_vec());
        }
        // Every one- and two-byte sequence (under Miri, which checks the
        // unchecked conversion and runs ~1000× slower, every lead byte once),
        // and three- and four-byte sequences around the edges (overlongs,
        // surrogates, beyond U+10FFFF, truncations).
        for a in 0..=255u8 {
            cases.push(alloc::vec![a]);
            if cfg!(miri) {
                cases.push(alloc::vec![a, 0x80]);
                continue;
            }
            for b in 0..=255u8 {
                cases.push(alloc::vec![a, b]);
            }
        }
        for a in [
            0xE0, 0xE1, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xC0, 0xC1, 0xC2, 0x80,
        ] {
            for b in [0x80u8, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0x41] {
                for c in [0x80u8, 0xBF, 0xC0, 0x41] {
                    cases.push(alloc::vec![a, b, c]);
                    cases.push(alloc::vec![a, b, c, 0x80]);
                    cases.push(alloc::vec![a, b, c, 0xBF, 0x41]);
                    cases.push(alloc::vec![0x41, a, b, c]);
                }
            }
        }
        for bytes in cases {
            let want = alloc::string::String::from_utf8(bytes.clone()).ok();
            assert_eq!(utf8(bytes.clone()), want, "{bytes:?}");
        }
    }

    #[test]
    fn byte_splits_agree_with_str_splits() {
        for s in ["", "-", "a", "a-b", "-a-", "zh-hant-tw", "é-ü", "--"] {
            assert_eq!(
                split(s, b'-').collect::<Vec<_>>(),
                s.split('-').collect::<Vec<_>>(),
                "{s:?}"
            );
            assert_eq!(split_once(s, b'-'), s.split_once('-'), "{s:?}");
            assert_eq!(has(s, b'-'), s.contains('-'), "{s:?}");
        }
    }
    use alloc::string::{String, ToString};

    #[test]
    fn decimal_digits() {
        for n in [0u64, 7, 10, 1_000_000_000, u64::MAX] {
            let mut s = String::new();
            s.decimal(n);
            assert_eq!(s, n.to_string());
        }
    }
}

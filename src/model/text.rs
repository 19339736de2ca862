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
    use super::{has, split, split_once, Sink};
    use alloc::vec::Vec;

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

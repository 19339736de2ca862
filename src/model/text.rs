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

#[cfg(test)]
mod tests {
    use super::Sink;
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

//! The pure core: every rule of Consent Gate as plain Rust (`std` + `serde`).
//!
//! Nothing here touches the browser. Time (`now`, Unix seconds) and randomness
//! (the consent id) come in as arguments, so every function is deterministic
//! and tested on the host with `cargo test`.
//!
//! * [`category`]: the four categories and their aliases.
//! * [`value`], [`json`]: a JSON-like tree the config is read from, and its reader.
//! * [`config`]: the validated config; every bad key is reported with its path.
//! * [`record`], [`decision`]: the consent record and how a decision changes it.
//! * [`codec`]: the cookie grammar a server can parse.
//! * [`gate`]: whether a gated element may run.
//! * [`i18n`], [`view`]: texts, language choice and what the dialog shows.
//! * [`time`]: ISO-8601 dates without a date library.
//! * [`withdraw`]: which cookies and storage keys a withdrawal deletes.

pub mod category;
pub mod codec;
pub mod config;
pub mod decision;
pub mod gate;
pub mod i18n;
pub mod json;
pub mod record;
pub mod time;
pub mod value;
pub mod view;
pub mod withdraw;

/// Appends the decimal digits of `n` to `s` without the formatting machinery.
pub fn push_decimal(s: &mut String, mut n: u64) {
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
    for &d in digits.get(i..).unwrap_or(&[]) {
        s.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::push_decimal;

    #[test]
    fn decimal_digits() {
        for n in [0u64, 7, 10, 1_000_000_000, u64::MAX] {
            let mut s = String::new();
            push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}

//! The consent cookie's value: one line of ASCII a server can parse.
//!
//! ```text
//! value     = "1" "." id "." revision "." decided "." updated "." expires "." cats "." gpc "." services "." check
//! id        = 32 lowercase hex digits
//! revision  = decimal u32, no leading zeros, 1..=1000000000
//! decided, updated, expires = decimal Unix seconds, no leading zeros, at most 11 digits
//! cats      = 4 chars "0"/"1" in order essential performance functional marketing; the first must be "1"
//! gpc       = "0" / "1"
//! services  = "" / service *( "~" service ) ; service = svc-id ":" ("0"/"1"); svc-id = [a-z0-9][a-z0-9_-]{0,63}; sorted, unique, at most 64
//! check     = 8 lowercase hex digits: FNV-1a 32-bit of every byte before the final "."
//! ```
//!
//! Also: `decided <= updated < expires`, `expires - updated <= 395 * 86400`, and
//! the whole value is at most 3072 bytes. Example (no services):
//! `1.0123456789abcdef0123456789abcdef.1.1767225600.1767225600.1782950400.1100.0..<check>`.
//!
//! Anything else (malformed, truncated, oversized, out of range, extra fields,
//! uppercase hex, whitespace, a wrong check) decodes to `None`, which means
//! "no decision". The check catches accidental damage and hand edits; it is
//! not a signature and does not stop anyone who recomputes it.

use super::config::{is_service_id, MAX_SERVICES};
use super::record::Record;

/// The longest value accepted.
pub const MAX_LEN: usize = 3072;
/// The longest lifetime accepted: 395 days, in seconds.
pub const MAX_LIFETIME_SECS: u64 = 395 * 86_400;
/// The highest revision accepted.
pub const MAX_REVISION: u32 = 1_000_000_000;
const MAX_TIME_DIGITS: usize = 11;

/// FNV-1a, 32 bits.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// The cookie value for `r`. A record that breaks the grammar's constraints
/// (e.g. essential refused) encodes to a value [`decode`] rejects.
pub fn encode(r: &Record) -> String {
    let mut s = String::with_capacity(96 + r.services.len() * 24);
    s.push_str("1.");
    s.push_str(&r.id);
    for n in [
        u64::from(r.revision),
        r.decided_at,
        r.updated_at,
        r.expires_at,
    ] {
        s.push('.');
        super::push_decimal(&mut s, n);
    }
    s.push('.');
    for on in r.categories {
        s.push(bit(on));
    }
    s.push('.');
    s.push(bit(r.gpc));
    s.push('.');
    for (i, (id, on)) in r.services.iter().enumerate() {
        if i > 0 {
            s.push('~');
        }
        s.push_str(id);
        s.push(':');
        s.push(bit(*on));
    }
    let check = fnv1a32(s.as_bytes());
    s.push('.');
    push_hex(&mut s, u64::from(check), 8);
    s
}

/// The record in `s`, or `None` unless `s` is exactly a valid encoding.
/// Never panics.
pub fn decode(s: &str) -> Option<Record> {
    if s.len() > MAX_LEN {
        return None;
    }
    let (body, check) = s.rsplit_once('.')?;
    if check.len() != 8 || parse_hex(check)? != u64::from(fnv1a32(body.as_bytes())) {
        return None;
    }
    let mut f = body.split('.');
    let mut next = || f.next();
    if next()? != "1" {
        return None;
    }
    let id = next()?;
    if id.len() != 32 || parse_hex_digits(id).is_none() {
        return None;
    }
    let revision = u32::try_from(decimal(next()?, 10)?)
        .ok()
        .filter(|r| (1..=MAX_REVISION).contains(r))?;
    let decided_at = decimal(next()?, MAX_TIME_DIGITS)?;
    let updated_at = decimal(next()?, MAX_TIME_DIGITS)?;
    let expires_at = decimal(next()?, MAX_TIME_DIGITS)?;
    if decided_at > updated_at
        || updated_at >= expires_at
        || expires_at - updated_at > MAX_LIFETIME_SECS
    {
        return None;
    }
    let mut categories = [false; 4];
    let cats = next()?.as_bytes();
    if cats.len() != 4 || cats.first() != Some(&b'1') {
        return None;
    }
    for (slot, &b) in categories.iter_mut().zip(cats) {
        *slot = flag(b)?;
    }
    let gpc = match next()?.as_bytes() {
        [b] => flag(*b)?,
        _ => return None,
    };
    let services = services(next()?)?;
    if next().is_some() {
        return None;
    }
    Some(Record {
        id: id.into(),
        revision,
        decided_at,
        updated_at,
        expires_at,
        categories,
        services,
        gpc,
    })
}

fn services(field: &str) -> Option<Vec<(String, bool)>> {
    let mut out: Vec<(String, bool)> = Vec::new();
    if field.is_empty() {
        return Some(out);
    }
    for item in field.split('~') {
        let (id, on) = item.split_once(':')?;
        let on = match on.as_bytes() {
            [b] => flag(*b)?,
            _ => return None,
        };
        let sorted = out.last().is_none_or(|(prev, _)| prev.as_str() < id);
        if !is_service_id(id) || !sorted || out.len() >= MAX_SERVICES {
            return None;
        }
        out.push((id.into(), on));
    }
    Some(out)
}

fn bit(on: bool) -> char {
    if on {
        '1'
    } else {
        '0'
    }
}

fn flag(b: u8) -> Option<bool> {
    match b {
        b'0' => Some(false),
        b'1' => Some(true),
        _ => None,
    }
}

/// A decimal of 1 to `max_digits` ASCII digits without leading zeros.
fn decimal(s: &str, max_digits: usize) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > max_digits || (b.len() > 1 && b.first() == Some(&b'0')) {
        return None;
    }
    b.iter().try_fold(0u64, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + u64::from(d - b'0'))
    })
}

/// Lowercase hex digits only (at most 16 for a value; longer strings are only checked).
fn parse_hex_digits(s: &str) -> Option<()> {
    s.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        .then_some(())
}

/// The value of up to 16 lowercase hex digits.
fn parse_hex(s: &str) -> Option<u64> {
    parse_hex_digits(s)?;
    if s.is_empty() || s.len() > 16 {
        return None;
    }
    s.bytes().try_fold(0u64, |n, b| {
        let d = if b.is_ascii_digit() {
            b - b'0'
        } else {
            b - b'a' + 10
        };
        Some(n << 4 | u64::from(d))
    })
}

/// Appends `n` as exactly `width` lowercase hex digits.
pub fn push_hex(s: &mut String, n: u64, width: u32) {
    for i in (0..width).rev() {
        let d = (n.checked_shr(i * 4).unwrap_or(0) & 0xf) as u8;
        s.push(char::from(if d < 10 { b'0' + d } else { b'a' + d - 10 }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_reference_values() {
        assert_eq!(fnv1a32(b""), 0x811c9dc5);
        assert_eq!(fnv1a32(b"a"), 0xe40c292c);
        assert_eq!(fnv1a32(b"foobar"), 0xbf9cf968);
    }

    #[test]
    fn hex_and_decimal() {
        let mut s = String::new();
        push_hex(&mut s, 0xdead_beef, 8);
        assert_eq!(s, "deadbeef");
        assert_eq!(parse_hex("deadbeef"), Some(0xdead_beef));
        assert_eq!(parse_hex("DEADBEEF"), None);
        assert_eq!(decimal("0", 11), Some(0));
        assert_eq!(decimal("01", 11), None);
        assert_eq!(decimal("", 11), None);
        assert_eq!(decimal("+1", 11), None);
        assert_eq!(decimal("99999999999", 11), Some(99_999_999_999));
        assert_eq!(decimal("100000000000", 11), None);
    }
}

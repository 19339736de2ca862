//! The consent cookie's value: one line of ASCII a server can parse.
//!
//! ```text
//! value     = "1" "." id "." revision "." decided "." updated "." expires "." cats "." flags "." services "." check
//! id        = 32 lowercase hex digits
//! revision  = decimal u32, no leading zeros, 1..=1000000000
//! decided, updated, expires = decimal Unix seconds, no leading zeros, at most 11 digits
//! cats      = 4 chars "0"/"1" in order essential performance functional marketing; the first must be "1"
//! flags     = "0" / "1" / "2" / "3" ; bit 0: Global Privacy Control honoured; bit 1: decided in an opt-out region
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

#[allow(unused_imports)]
use super::prelude::*;

use super::category::Category;
use super::names::{is_service_id, MAX_SERVICES};
use super::record::{Grants, Record};
use super::text::Sink;

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
        s.decimal(n);
    }
    s.push('.');
    for on in r.categories {
        s.push(bit(on));
    }
    s.push('.');
    // Values written before the mode existed ("0"/"1") read the same.
    s.push(char::from(b'0' + u8::from(r.gpc) + 2 * u8::from(r.opt_out)));
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

/// A valid cookie value, read in place: what a returning visitor's module
/// needs (grants, validity, the record's JSON) without allocating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cookie<'a> {
    /// 32 lowercase hex digits.
    pub id: &'a str,
    /// The config revision the decision was taken under.
    pub revision: u32,
    /// Unix seconds of the first decision.
    pub decided_at: u64,
    /// Unix seconds of the latest decision.
    pub updated_at: u64,
    /// Unix seconds after which the decision is void.
    pub expires_at: u64,
    /// Grants indexed by [`Category::index`]; essential is always `true`.
    pub categories: [bool; 4],
    /// Whether Global Privacy Control was honoured.
    pub gpc: bool,
    /// Whether the decision was taken in an opt-out region (the record then
    /// says `"mode": "opt-out"`).
    pub opt_out: bool,
    /// The services field, already checked: `id:0~id:1`, sorted, unique.
    services: &'a str,
}

impl<'a> Cookie<'a> {
    /// Per-service grants in id order.
    pub fn services(&self) -> impl Iterator<Item = (&'a str, bool)> {
        let mut rest = self.services.as_bytes();
        core::iter::from_fn(move || {
            // Checked by `parse`: `id:d` items joined by `~`, ASCII only.
            let (item, tail) = cut(rest, b'~').unwrap_or((rest, &[]));
            rest = tail;
            let (id, on) = cut(item, b':')?;
            Some((ascii(id), on == b"1"))
        })
    }

    /// Whether the decision still holds: not expired, not older than the config's revision.
    pub fn is_valid(&self, config_revision: u32, now: u64) -> bool {
        now < self.expires_at && self.revision >= config_revision
    }

    /// The owned record.
    pub fn to_record(&self) -> Record {
        // A loop rather than map().collect(): the collection code is then
        // Vec::push's, shared, not its own for this iterator.
        let mut services = Vec::new();
        for (id, on) in self.services() {
            services.push((String::from(id), on));
        }
        Record {
            id: self.id.into(),
            revision: self.revision,
            decided_at: self.decided_at,
            updated_at: self.updated_at,
            expires_at: self.expires_at,
            categories: self.categories,
            services,
            gpc: self.gpc,
            opt_out: self.opt_out,
        }
    }

    /// The record as `ConsentGate.get()` returns it, as JSON text, except
    /// that the three dates are Unix seconds: the loader turns them into
    /// ISO-8601 strings with the browser's own `Date` (no date code here).
    pub fn write_json(&self, out: &mut impl Sink) {
        out.put("{\"id\":\"");
        out.put(self.id);
        out.put("\",\"revision\":");
        out.decimal(u64::from(self.revision));
        out.put(",\"decidedAt\":");
        out.decimal(self.decided_at);
        out.put(",\"updatedAt\":");
        out.decimal(self.updated_at);
        out.put(",\"expiresAt\":");
        out.decimal(self.expires_at);
        out.put(",\"categories\":{");
        let mut sep = "";
        for &c in &Category::ALL {
            out.put(sep);
            sep = ",";
            member(out, c.as_str(), self.granted(c));
        }
        out.put("},\"services\":{");
        sep = "";
        for (id, on) in self.services() {
            out.put(sep);
            sep = ",";
            member(out, id, on);
        }
        out.put("}");
        out.put(",");
        member(out, "gpc", self.gpc);
        if self.opt_out {
            out.put(",\"mode\":\"opt-out\"");
        }
        out.put("}");
    }
}

impl Grants for Cookie<'_> {
    fn granted(&self, c: Category) -> bool {
        !c.is_optional() || self.categories.get(c.index()).copied().unwrap_or(false)
    }

    fn service_bytes(&self, id: &[u8]) -> Option<bool> {
        self.services()
            .find(|(s, _)| s.as_bytes() == id)
            .map(|(_, on)| on)
    }
}

/// What `ConsentGate.accepted()` reads, as JSON text: every category id and
/// alias, then every service id, mapped to whether it is granted. Without a
/// record only `essential` (and its alias) is true. (A service named like a
/// category comes later, so the browser's `JSON.parse` lets it win, as the
/// record's own services list says.)
pub fn write_grants_json(out: &mut impl Sink, cookie: Option<&Cookie<'_>>) {
    out.put("{");
    let mut sep = "";
    for &c in &Category::ALL {
        let on = cookie.map_or(!c.is_optional(), |r| r.granted(c));
        out.put(sep);
        sep = ",";
        member(out, c.as_str(), on);
        for alias in c.aliases() {
            out.put(",");
            member(out, alias, on);
        }
    }
    if let Some(cookie) = cookie {
        for (id, on) in cookie.services() {
            out.put(",");
            member(out, id, on);
        }
    }
    out.put("}");
}

/// `"name":true` — `name` is a category, alias or checked service id, so it
/// needs no escaping.
fn member(out: &mut impl Sink, name: &str, on: bool) {
    out.put("\"");
    out.put(name);
    out.put(if on { "\":true" } else { "\":false" });
}

/// The record in `s`, or `None` unless `s` is exactly a valid encoding.
/// Never panics.
pub fn decode(s: &str) -> Option<Record> {
    parse(s.as_bytes()).map(|c| c.to_record())
}

/// The cookie in `s`, read in place, or `None` unless `s` is exactly a valid
/// encoding. Never panics, never allocates.
pub fn parse(s: &[u8]) -> Option<Cookie<'_>> {
    // Every byte of the grammar is printable ASCII.
    if s.len() > MAX_LEN || !s.iter().all(|b| (b'!'..=b'~').contains(b)) {
        return None;
    }
    let at = s.iter().rposition(|&b| b == b'.')?;
    let (body, check) = (s.get(..at)?, s.get(at + 1..)?);
    if check.len() != 8 || hex(check)? != u64::from(fnv1a32(body)) {
        return None;
    }
    // Exactly nine fields: a tenth slot catches one too many.
    let mut fields: [&[u8]; 10] = [&[]; 10];
    let mut count = 0;
    let mut rest = body;
    loop {
        let (field, tail) = cut(rest, b'.').unwrap_or((rest, &[]));
        *fields.get_mut(count)? = field;
        count += 1;
        if field.len() == rest.len() {
            break;
        }
        rest = tail;
    }
    let [version, id, revision, decided, updated, expires, cats, flags, services, _] = fields;
    if count != 9 || version != b"1" || id.len() != 32 || !id.iter().all(|&b| is_hex_digit(b)) {
        return None;
    }
    let revision = u32::try_from(decimal(revision, 10)?)
        .ok()
        .filter(|r| (1..=MAX_REVISION).contains(r))?;
    let decided_at = decimal(decided, MAX_TIME_DIGITS)?;
    let updated_at = decimal(updated, MAX_TIME_DIGITS)?;
    let expires_at = decimal(expires, MAX_TIME_DIGITS)?;
    if decided_at > updated_at
        || updated_at >= expires_at
        || expires_at - updated_at > MAX_LIFETIME_SECS
    {
        return None;
    }
    // Essential is always 1. (A slice pattern, not a zip over the slots.)
    let &[b'1', performance, functional, marketing] = cats else {
        return None;
    };
    let categories = [
        true,
        flag(performance)?,
        flag(functional)?,
        flag(marketing)?,
    ];
    // Bit 0: GPC honoured; bit 1: taken in an opt-out region.
    let flags = match flags {
        [b @ b'0'..=b'3'] => b - b'0',
        _ => return None,
    };
    check_services(services)?;
    Some(Cookie {
        id: ascii(id),
        revision,
        decided_at,
        updated_at,
        expires_at,
        categories,
        gpc: flags & 1 != 0,
        opt_out: flags > 1,
        services: ascii(services),
    })
}

/// Bytes `parse` has checked to be ASCII, as text.
fn ascii(b: &[u8]) -> &str {
    debug_assert!(b.is_ascii());
    // SAFETY: only called on slices of a value checked to be ASCII only.
    unsafe { core::str::from_utf8_unchecked(b) }
}

/// `s` split at the first `sep`, like `split_once`.
fn cut(s: &[u8], sep: u8) -> Option<(&[u8], &[u8])> {
    let at = s.iter().position(|&b| b == sep)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// The services field: empty, or `id:0|1` items joined by `~`, ids valid,
/// strictly increasing, at most [`MAX_SERVICES`].
fn check_services(field: &[u8]) -> Option<()> {
    if field.is_empty() {
        return Some(());
    }
    let mut previous: &[u8] = &[];
    let mut rest = field;
    for _ in 0..MAX_SERVICES {
        let (item, tail) = cut(rest, b'~').unwrap_or((rest, &[]));
        let (id, on) = cut(item, b':')?;
        match on {
            [b] => flag(*b)?,
            _ => return None,
        };
        // Valid ids are never empty, so the first one is always above `previous`.
        if !is_service_id(ascii(id)) || previous >= id {
            return None;
        }
        if item.len() == rest.len() {
            return Some(());
        }
        previous = id;
        rest = tail;
    }
    None
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
fn decimal(b: &[u8], max_digits: usize) -> Option<u64> {
    if b.is_empty() || b.len() > max_digits || (b.len() > 1 && b.first() == Some(&b'0')) {
        return None;
    }
    b.iter().try_fold(0u64, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + u64::from(d - b'0'))
    })
}

/// A lowercase hex digit.
fn is_hex_digit(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

/// The value of 1 to 16 lowercase hex digits.
fn hex(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 16 {
        return None;
    }
    s.iter().try_fold(0u64, |n, &b| {
        let d = if b.is_ascii_digit() {
            b - b'0'
        } else if is_hex_digit(b) {
            b - b'a' + 10
        } else {
            return None;
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

    /// The one `unsafe` here (the value as `str` once it is known to be
    /// printable ASCII) runs under Miri too: scripts/miri.sh runs these tests.
    #[test]
    fn parse_reads_in_place_and_refuses_other_bytes() {
        let r = Record {
            id: "0123456789abcdef0123456789abcdef".into(),
            revision: 7,
            decided_at: 10,
            updated_at: 20,
            expires_at: 30,
            categories: [true, false, true, false],
            services: vec![("a".into(), true), ("b-c".into(), false)],
            gpc: true,
            opt_out: true,
        };
        let s = encode(&r);
        assert!(s.contains(".1010.3.a:1~b-c:0."), "{s}");
        let mut json = String::new();
        parse(s.as_bytes()).unwrap().write_json(&mut json);
        assert!(
            json.ends_with(",\"gpc\":true,\"mode\":\"opt-out\"}"),
            "{json}"
        );
        let c = parse(s.as_bytes()).unwrap();
        assert_eq!(c.id, r.id);
        assert_eq!(
            (c.revision, c.decided_at, c.updated_at, c.expires_at),
            (7, 10, 20, 30)
        );
        assert_eq!(
            c.services().collect::<Vec<_>>(),
            vec![("a", true), ("b-c", false)]
        );
        assert_eq!(c.to_record(), r);
        for bad in [0x00u8, b' ', 0x7f, 0x80, 0xc3, 0xff] {
            let mut b = s.clone().into_bytes();
            b.insert(40, bad);
            assert_eq!(parse(&b), None, "{bad:#x}");
        }
    }

    #[test]
    fn hex_and_decimal() {
        let mut s = String::new();
        push_hex(&mut s, 0xdead_beef, 8);
        assert_eq!(s, "deadbeef");
        assert_eq!(hex(b"deadbeef"), Some(0xdead_beef));
        assert_eq!(hex(b"DEADBEEF"), None);
        assert_eq!(hex(b""), None);
        assert_eq!(hex(b"0123456789abcdef0"), None);
        assert_eq!(decimal(b"0", 11), Some(0));
        assert_eq!(decimal(b"01", 11), None);
        assert_eq!(decimal(b"", 11), None);
        assert_eq!(decimal(b"+1", 11), None);
        assert_eq!(decimal(b"99999999999", 11), Some(99_999_999_999));
        assert_eq!(decimal(b"100000000000", 11), None);
    }
}

//! Name rules shared by the config, the cookie grammar, the texts and the API:
//! what a service id, a cookie or storage name (or pattern), a cookie domain,
//! a link and a language tag may look like, and how many services a record
//! may carry.

#[allow(unused_imports)]
use super::prelude::*;
use super::text::split;

/// The most services one config (and so one record) may declare.
pub const MAX_SERVICES: usize = 64;

/// A service id: `[a-z0-9][a-z0-9_-]{0,63}`.
pub fn is_service_id(s: &str) -> bool {
    let b = s.as_bytes();
    (1..=64).contains(&b.len())
        && b.first()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'-')
}

/// A set of ASCII bytes, one bit per code, for [`all_in`]. Callers combine
/// sets inside `const { }`: a `const fn` in a plain expression may run at run
/// time (and bring 128-bit shifts into the .wasm).
pub(crate) const fn ascii_set(members: &[u8]) -> u128 {
    let mut set = 0u128;
    let mut i = 0;
    while i < members.len() {
        set |= 1 << members[i];
        i += 1;
    }
    set
}

/// ASCII digits, as an [`ascii_set`].
pub(crate) const DIGIT: u128 = ascii_set(b"0123456789");
/// ASCII capitals, as an [`ascii_set`].
pub(crate) const UPPER: u128 = ascii_set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ");
/// ASCII letters, as an [`ascii_set`].
pub(crate) const ALPHA: u128 = UPPER | ascii_set(b"abcdefghijklmnopqrstuvwxyz");
/// ASCII letters and digits, as an [`ascii_set`].
pub(crate) const ALNUM: u128 = ALPHA | DIGIT;

/// Whether every byte of `s` is in `set` (an [`ascii_set`]): one loop for
/// every "only these characters" rule, where `bytes().all(closure)` would
/// generate a loop per closure.
pub(crate) fn all_in(s: &[u8], set: u128) -> bool {
    for &b in s {
        if !in_set(b, set) {
            return false;
        }
    }
    true
}

/// Whether `s` holds a control character (U+0000 to U+001F, U+007F to
/// U+009F) or the ASCII byte `also`. Over bytes, where `chars().any()`
/// decodes UTF-8 in each caller: the C1 controls are the two bytes `C2 80`
/// to `C2 9F`, and `C2` is never a continuation byte.
pub(crate) fn has_control_or(s: &str, also: u8) -> bool {
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c < 0x20
            || c == 0x7f
            || c == also
            || (c == 0xc2 && b.get(i + 1).is_some_and(|n| (0x80..0xa0).contains(n)))
        {
            return true;
        }
    }
    false
}

/// The default consent cookie name.
pub const DEFAULT_COOKIE: &str = "consent_gate";

/// RFC 6265 token characters, the ones a cookie name may use: letters,
/// digits and ``!#$%&'*+-.^_`|~``, as a bit per ASCII code.
const TOKEN: u128 = {
    let mut set = 0u128;
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            )
        {
            set |= 1 << b;
        }
        b += 1;
    }
    set
};

/// Whether `b` is an RFC 6265 token character, the ones a cookie name may use.
pub fn is_token_char(b: u8) -> bool {
    in_set(b, TOKEN)
}

/// Whether byte `b` is in `set` (an [`ascii_set`]). Two 64-bit halves: a
/// 128-bit shift by a variable amount is a compiler_builtins call in wasm32.
fn in_set(b: u8, set: u128) -> bool {
    let half = if b < 64 {
        set as u64
    } else {
        (set >> 64) as u64
    };
    b < 128 && half >> (b & 63) & 1 == 1
}

/// A name for the consent cookie (`cookie.name`): 1 to 64 token characters, no `*`.
pub fn is_cookie_name(s: &[u8]) -> bool {
    (1..=64).contains(&s.len()) && s.iter().all(|&b| b != b'*' && is_token_char(b))
}

/// Whether a link may be used: `http:`, `https:`, protocol-relative (`//host`)
/// or relative; no control characters (browsers drop tabs and newlines, which
/// would let `java\tscript:` through).
pub fn is_safe_url(s: &str) -> bool {
    let s = trim_url(s);
    if s.is_empty() || has_control_or(s, 0) {
        return false;
    }
    // Over bytes (every delimiter here is ASCII): `find`, `split_once` and
    // `starts_with` with char patterns each bring code of their own.
    let b = s.as_bytes();
    let end = b
        .iter()
        .position(|c| matches!(c, b'/' | b'?' | b'#'))
        .unwrap_or(b.len());
    let head = b.get(..end).unwrap_or(&[]);
    match head.iter().position(|&c| c == b':') {
        None => true,
        Some(colon) => {
            let scheme = head.get(..colon).unwrap_or(&[]);
            let is_scheme = scheme.first().is_some_and(u8::is_ascii_alphabetic)
                && all_in(scheme, const { ALNUM | ascii_set(b"+-.") });
            !is_scheme
                || scheme.eq_ignore_ascii_case(b"http")
                || scheme.eq_ignore_ascii_case(b"https")
        }
    }
}

/// `s` without the spaces and ASCII control characters around it. They are
/// single bytes, so this trims bytes rather than decoding chars (what
/// `trim_matches` with a char closure does).
pub(crate) fn trim_url(s: &str) -> &str {
    let pad = |b: u8| b == b' ' || b.is_ascii_control();
    let mut b = s.as_bytes();
    while let [first, rest @ ..] = b {
        if !pad(*first) {
            break;
        }
        b = rest;
    }
    let start = s.len() - b.len();
    while let [rest @ .., last] = b {
        if !pad(*last) {
            break;
        }
        b = rest;
    }
    s.get(start..start + b.len()).unwrap_or("")
}

/// A cookie name or `prefix*` pattern: token characters, `*` only at the end
/// and never alone, at most 256 bytes.
pub fn is_cookie_pattern(s: &str) -> bool {
    let name = s.strip_suffix('*').unwrap_or(s);
    !name.is_empty()
        && name.len() < 256
        && all_in(name.as_bytes(), const { TOKEN & !ascii_set(b"*") })
}

/// A `localStorage` key or `prefix*` pattern: no control characters, `*` only
/// at the end and never alone, at most 256 bytes.
pub fn is_storage_pattern(s: &str) -> bool {
    let name = s.strip_suffix('*').unwrap_or(s);
    !name.is_empty() && name.len() < 256 && !has_control_or(name, b'*')
}

/// A cookie domain: host-name labels of letters, digits and `-`, an optional leading dot.
pub fn is_domain(s: &str) -> bool {
    let host = s.strip_prefix('.').unwrap_or(s);
    (1..=253).contains(&host.len())
        && split(host, b'.').all(|l| {
            (1..=63).contains(&l.len()) && all_in(l.as_bytes(), const { ALNUM | ascii_set(b"-") })
        })
}

/// Whether `name` is matched by cookie or storage `pattern`.
pub fn pattern_matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => pattern == name,
    }
}

/// Normalises a language tag: ASCII whitespace trimmed (a tag is ASCII: any
/// other space leaves it invalid), ASCII lowercase, `_` becomes `-`.
pub fn normalise_tag(tag: &str) -> String {
    // Over bytes: only ASCII bytes change, so the text stays UTF-8.
    let mut bytes = tag.trim_ascii().as_bytes().to_ascii_lowercase();
    for b in &mut bytes {
        if *b == b'_' {
            *b = b'-';
        }
    }
    super::text::utf8(bytes).unwrap_or_default()
}

/// Whether `tag` (normalised or not) looks like `ll(-xxxxxxxx)*`: a primary
/// subtag of 2 or 3 letters, then subtags of 1 to 8 letters or digits.
pub fn is_language_tag(tag: &str) -> bool {
    let tag = normalise_tag(tag);
    let mut parts = split(&tag, b'-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && all_in(primary.as_bytes(), ALPHA)
        && parts.all(|p| (1..=8).contains(&p.len()) && all_in(p.as_bytes(), ALNUM))
}

#[cfg(test)]
mod tests {
    use super::is_service_id;

    #[test]
    fn service_ids() {
        assert!(is_service_id("google-analytics"));
        assert!(is_service_id("a"));
        assert!(is_service_id("0_x-y"));
        assert!(!is_service_id(""));
        assert!(!is_service_id("-a"));
        assert!(!is_service_id("A"));
        assert!(!is_service_id(&"a".repeat(65)));
        assert!(is_service_id(&"a".repeat(64)));
    }

    #[test]
    fn ascii_sets_match_the_byte_classes() {
        use super::{all_in, ascii_set, ALNUM, ALPHA, DIGIT, UPPER};
        for b in 0..=255u8 {
            assert_eq!(all_in(&[b], ALPHA), b.is_ascii_alphabetic(), "byte {b}");
            assert_eq!(all_in(&[b], ALNUM), b.is_ascii_alphanumeric(), "byte {b}");
            let up = b.is_ascii_uppercase() || b.is_ascii_digit();
            assert_eq!(all_in(&[b], UPPER | DIGIT), up, "byte {b}");
            let url = b.is_ascii_alphanumeric() || b"+-.".contains(&b);
            assert_eq!(all_in(&[b], ALNUM | ascii_set(b"+-.")), url, "byte {b}");
        }
        assert!(all_in(b"", 0));
        assert!(!all_in(b"ab1-", ALNUM));
    }

    #[test]
    fn control_characters_over_bytes() {
        use super::has_control_or;
        for c in (0..=0x2ffu32).filter_map(char::from_u32) {
            let s = alloc::format!("a{c}b");
            assert_eq!(
                has_control_or(&s, b';'),
                c.is_control() || c == ';',
                "{c:?}"
            );
        }
        assert!(!has_control_or("\u{100}\u{c0}\u{2080}", 0));
    }

    #[test]
    fn url_trim_over_bytes() {
        use super::trim_url;
        for s in [
            "",
            " ",
            "\t\n a b \x7f",
            "\u{a0}x\u{a0}",
            " \u{e9} ",
            "\x01/x?\x1f",
            "ab",
        ] {
            let want = s.trim_matches(|c: char| c == ' ' || c.is_ascii_control());
            assert_eq!(trim_url(s), want, "{s:?}");
        }
    }

    #[test]
    fn token_chars() {
        use super::is_token_char;
        for b in 0..=255u8 {
            let expected = b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
            assert_eq!(is_token_char(b), expected, "byte {b}");
        }
    }

    #[test]
    fn cookie_names() {
        use super::is_cookie_name;
        assert!(is_cookie_name(b"consent_gate"));
        assert!(is_cookie_name(b"a!#$%&'+-.^_`|~9"));
        assert!(!is_cookie_name(b""));
        assert!(!is_cookie_name(b"a*"));
        assert!(!is_cookie_name(b"a b"));
        assert!(!is_cookie_name(b"a=b"));
        assert!(!is_cookie_name("\u{e9}".as_bytes()));
        assert!(!is_cookie_name("a".repeat(65).as_bytes()));
    }
}

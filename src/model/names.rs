//! Name rules shared by the config, the cookie grammar and the API: what a
//! service id may look like, and how many a record may carry.

#[allow(unused_imports)]
use super::prelude::*;

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
    b < 128 && TOKEN >> b & 1 == 1
}

/// A name for the consent cookie (`cookie.name`): 1 to 64 token characters, no `*`.
pub fn is_cookie_name(s: &[u8]) -> bool {
    (1..=64).contains(&s.len()) && s.iter().all(|&b| b != b'*' && is_token_char(b))
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

//! The body the banner posts (README, "Proof of consent"), read and validated
//! with the shared core's rules.
//!
//! ```json
//! { "record": { "id": "…32 hex…", "revision": 2, "decidedAt": "…", "updatedAt": "…",
//!               "expiresAt": "…", "categories": { … }, "services": { … }, "gpc": false,
//!               "mode": "opt-out" },
//!   "configRevision": 2, "url": "https://www.example.com/path", "userAgent": "…" }
//! ```
//!
//! The record is valid exactly when it is a record the consent cookie can
//! carry: it is turned into a [`Record`] and must survive
//! [`codec::encode`] → [`codec::decode`] unchanged. That one check applies every
//! rule of the core (id shape, revision range, `decided ≤ updated < expires`,
//! lifetime at most [`codec::MAX_LIFETIME_SECS`], essential granted, service ids,
//! order and count) without a second copy of any of them. Dates must be
//! exactly what [`time::iso8601`] writes for some second; category keys are
//! read with [`Category::parse`] (ids and aliases).
//!
//! Anything else — an unknown key, a missing one, a wrong type, a duplicate,
//! a URL with a query string, a control character — is refused.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::model::category::Category;
use crate::model::codec;
use crate::model::record::Record;
use crate::model::time;

/// The longest page URL accepted, in bytes.
pub const MAX_URL: usize = 2048;
/// The longest user agent accepted, in bytes.
pub const MAX_USER_AGENT: usize = 1024;

/// The banner mode a decision was taken in (contract section 1, regions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Nothing optional before the visitor's action (the default).
    OptIn,
    /// Optional categories granted until the visitor refuses them.
    OptOut,
}

impl Mode {
    /// The id the record carries, e.g. `"opt-out"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::OptIn => "opt-in",
            Mode::OptOut => "opt-out",
        }
    }

    /// Reads a mode id exactly as the banner writes it.
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "opt-in" => Some(Mode::OptIn),
            "opt-out" => Some(Mode::OptOut),
            _ => None,
        }
    }
}

/// One validated decision as the banner sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The consent record (what `ConsentGate.get()` showed after the decision).
    pub record: Record,
    /// `record.mode` when the banner sent one (it does in opt-out regions).
    pub mode: Option<Mode>,
    /// The config's revision on the page.
    pub config_revision: u32,
    /// The page's origin and path.
    pub url: String,
    /// The browser's user agent.
    pub user_agent: String,
}

/// Why a body was refused; the text is what the `400` response says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyError(pub String);

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BodyError {}

/// The `400` text for a record the core refuses. It lists the rules rather
/// than re-checking which one broke: the core's codec is the only check.
pub const NOT_A_RECORD: &str = "record: not a record the consent cookie can carry \
(id: 32 lowercase hex digits; revision 1 to 1000000000; decidedAt <= updatedAt < expiresAt \
<= updatedAt + 395 days; categories.essential true; service ids [a-z0-9][a-z0-9_-]{0,63}, \
unique, at most 64)";

fn err(msg: impl Into<String>) -> BodyError {
    BodyError(msg.into())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBody {
    record: RawRecord,
    #[serde(rename = "configRevision")]
    config_revision: u32,
    url: String,
    #[serde(rename = "userAgent")]
    user_agent: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecord {
    id: String,
    revision: u32,
    #[serde(rename = "decidedAt")]
    decided_at: String,
    #[serde(rename = "updatedAt")]
    updated_at: String,
    #[serde(rename = "expiresAt")]
    expires_at: String,
    categories: Pairs,
    services: Pairs,
    gpc: bool,
    #[serde(default)]
    mode: Option<String>,
}

/// A JSON object of booleans, in document order, duplicates kept (so they can be refused).
struct Pairs(Vec<(String, bool)>);

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Pairs, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Pairs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of booleans")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, bool>()? {
                    if out.len() >= 256 {
                        return Err(de::Error::custom("too many entries"));
                    }
                    out.push((k, v));
                }
                Ok(Pairs(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Reads and validates a posted body. Never panics, whatever the bytes.
pub fn parse(bytes: &[u8]) -> Result<Entry, BodyError> {
    let raw: RawBody =
        serde_json::from_slice(bytes).map_err(|e| err(format!("not the consent-log body: {e}")))?;
    let r = raw.record;

    let mut categories = [false; 4];
    let mut seen = [false; 4];
    for (key, on) in &r.categories.0 {
        let c = Category::parse(key)
            .filter(|_| key.trim() == key)
            .ok_or_else(|| err(format!("record.categories: unknown category {key:?}")))?;
        if std::mem::replace(&mut seen[c.index()], true) {
            return Err(err(format!(
                "record.categories: {} given twice",
                c.as_str()
            )));
        }
        categories[c.index()] = *on;
    }
    if let Some(c) = Category::ALL.into_iter().find(|c| !seen[c.index()]) {
        return Err(err(format!("record.categories: {} missing", c.as_str())));
    }

    let mut services = r.services.0;
    services.sort_by(|a, b| a.0.cmp(&b.0));

    let mode = match r.mode.as_deref() {
        None => None,
        Some(m) => {
            Some(Mode::parse(m).ok_or_else(|| err("record.mode: not \"opt-in\" or \"opt-out\""))?)
        }
    };
    let record = Record {
        decided_at: date(&r.decided_at, "record.decidedAt")?,
        updated_at: date(&r.updated_at, "record.updatedAt")?,
        expires_at: date(&r.expires_at, "record.expiresAt")?,
        id: r.id,
        revision: r.revision,
        categories,
        services,
        gpc: r.gpc,
        opt_out: mode == Some(Mode::OptOut),
    };
    // The core's cookie grammar is the definition of a valid record.
    if codec::decode(&codec::encode(&record)).as_ref() != Some(&record) {
        return Err(err(NOT_A_RECORD));
    }

    if !(1..=codec::MAX_REVISION).contains(&raw.config_revision) {
        return Err(err("configRevision: out of range"));
    }
    if !is_page_url(&raw.url) {
        return Err(err(
            "url: not an http(s) origin and path without query or fragment",
        ));
    }
    if raw.user_agent.len() > MAX_USER_AGENT || raw.user_agent.chars().any(char::is_control) {
        return Err(err("userAgent: too long or has control characters"));
    }
    Ok(Entry {
        record,
        mode,
        config_revision: raw.config_revision,
        url: raw.url,
        user_agent: raw.user_agent,
    })
}

fn date(s: &str, path: &str) -> Result<u64, BodyError> {
    parse_record_date(s).ok_or_else(|| {
        err(format!(
            "{path}: not an ISO-8601 date as the banner writes it"
        ))
    })
}

/// Unix seconds of `s` when `s` is exactly what [`time::iso8601`] writes for
/// them (`"2026-11-22T18:20:02.000Z"`), else `None`.
pub fn parse_record_date(s: &str) -> Option<u64> {
    let ms = parse_iso_millis(s)?;
    let secs = u64::try_from(ms).ok().filter(|ms| ms % 1000 == 0)? / 1000;
    (time::iso8601(secs) == s).then_some(secs)
}

/// Unix milliseconds of `YYYY-MM-DDTHH:MM:SS.mmmZ` (years 1970..=9999) or of
/// a plain `YYYY-MM-DD` (midnight UTC). Strict: no other shape, no offsets.
pub fn parse_iso_millis(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let d = b.get(from..from + len)?;
        d.iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let sep = |at: usize, c: u8| b.get(at) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-')) {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if year < 1970 || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if b.len() == 10 {
        return Some(days * 86_400_000);
    }
    if b.len() != 24
        || !(sep(10, b'T') && sep(13, b':') && sep(16, b':') && sep(19, b'.') && sep(23, b'Z'))
    {
        return None;
    }
    let (h, m, sec, ms) = (num(11, 2)?, num(14, 2)?, num(17, 2)?, num(20, 3)?);
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    Some(((days * 24 + h) * 60 + m) * 60_000 + sec * 1000 + ms)
}

/// Formats Unix milliseconds like JavaScript's `toISOString` (`….123Z`).
pub fn iso_millis(ms: i64) -> String {
    let ms = ms.max(0) as u64;
    let mut s = time::iso8601(ms / 1000);
    s.truncate(s.len().saturating_sub(4));
    let frac = ms % 1000;
    for d in [frac / 100, frac / 10 % 10, frac % 10] {
        s.push(char::from(b'0' + d as u8));
    }
    s.push('Z');
    s
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's `days_from_civil`: (year, month, day) to days since 1970-01-01.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An absolute http(s) URL with a host, no query string, fragment, credentials,
/// whitespace or control characters, at most [`MAX_URL`] bytes.
fn is_page_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split('/').next().unwrap_or("");
    s.len() <= MAX_URL
        && !host.is_empty()
        && !host.contains('@')
        && !s
            .bytes()
            .any(|b| b == b'?' || b == b'#' || b <= b' ' || b == 0x7f)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body the README documents ("Proof of consent"), read from the README
    /// itself so the two cannot drift.
    fn documented_body() -> &'static str {
        let readme = include_str!("../../../README.md");
        readme
            .split("```json\n")
            .filter_map(|block| block.split("\n```").next())
            .find(|block| block.contains("\"configRevision\""))
            .expect("the README shows the consent-log body")
    }

    #[test]
    fn readme_body() {
        let e = parse(documented_body().as_bytes()).expect("the README's body is valid");
        assert_eq!(e.record.id, "9f86d081884c7d659a2feaa0c55ad015");
        assert_eq!(e.record.revision, 2);
        assert_eq!(
            time::iso8601(e.record.decided_at),
            "2026-11-22T18:20:02.000Z"
        );
        assert_eq!(e.record.categories, [true, true, false, false]);
        assert_eq!(
            e.record.services,
            vec![("google-analytics".to_string(), true)]
        );
        assert_eq!(e.mode, None);
        assert_eq!(e.config_revision, 2);
        assert_eq!(e.url, "https://www.example.com/courses/intro");
    }

    fn with(from: &str, to: &str) -> Result<Entry, BodyError> {
        assert!(documented_body().contains(from), "{from}");
        parse(documented_body().replacen(from, to, 1).as_bytes())
    }

    #[test]
    fn mode_and_aliases() {
        let e = with(r#""gpc": false }"#, r#""gpc": false, "mode": "opt-out" }"#).unwrap();
        assert_eq!(e.mode, Some(Mode::OptOut));
        assert!(with(r#""gpc": false }"#, r#""gpc": false, "mode": "off" }"#).is_err());
        let e = with(r#""performance": true"#, r#""analytics": true"#).unwrap();
        assert_eq!(e.record.categories, [true, true, false, false]);
        assert!(
            with(r#""functional": false"#, r#""performance": false"#).is_err(),
            "duplicate"
        );
        assert!(with(r#""marketing": false"#, r#""nope": false"#).is_err());
    }

    #[test]
    fn refusals() {
        for (from, to) in [
            (
                "9f86d081884c7d659a2feaa0c55ad015",
                "9F86D081884C7D659A2FEAA0C55AD015",
            ),
            ("9f86d081884c7d659a2feaa0c55ad015", "9f86d08"),
            (r#""revision": 2"#, r#""revision": 0"#),
            (r#""revision": 2"#, r#""revision": "2""#),
            (r#""revision": 2"#, r#""revision": 2.5"#),
            ("2026-11-22T18:20:02.000Z", "2026-11-22T18:20:02Z"),
            ("2026-11-22T18:20:02.000Z", "2026-11-22T18:20:02.123Z"),
            ("2026-11-22T18:20:02.000Z", "2026-11-31T18:20:02.000Z"),
            ("2026-11-22T18:20:02.000Z", "2026-11-22T18:30:02.000Z"),
            ("2027-05-24T18:25:40.000Z", "2028-05-24T18:25:40.000Z"),
            (r#""essential": true"#, r#""essential": false"#),
            ("google-analytics", "Google Analytics"),
            (r#""gpc": false"#, r#""gpc": 0"#),
            (r#""configRevision": 2"#, r#""configRevision": 0"#),
            (
                "https://www.example.com/courses/intro",
                "https://www.example.com/?email=a@b",
            ),
            (
                "https://www.example.com/courses/intro",
                "javascript:alert(1)",
            ),
            ("\"Mozilla/5.0 …\"", "\"a\\u0000b\""),
            (r#""userAgent""#, r#""extra": 1, "userAgent""#),
        ] {
            assert!(with(from, to).is_err(), "{from} -> {to}");
        }
        assert!(parse(b"").is_err());
        assert!(parse(&documented_body().as_bytes()[..documented_body().len() / 2]).is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(parse_record_date("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(
            parse_record_date("2024-02-29T00:00:00.000Z"),
            Some(1_709_164_800)
        );
        assert_eq!(parse_record_date("2023-02-29T00:00:00.000Z"), None);
        assert_eq!(parse_iso_millis("2026-11-22"), Some(1_795_305_600_000));
        assert_eq!(
            parse_iso_millis("2026-11-22T18:20:02.123Z"),
            Some(1_795_371_602_123)
        );
        assert_eq!(iso_millis(1_795_371_602_123), "2026-11-22T18:20:02.123Z");
        for bad in [
            "",
            "2026-1-22",
            "2026-11-22T",
            "1969-12-31",
            "2026-11-22T24:00:00.000Z",
            "2026-11-22 18:20:02.000Z",
        ] {
            assert_eq!(parse_iso_millis(bad), None, "{bad}");
        }
        for secs in [0u64, 951_782_400, 1_795_371_602, 253_402_300_799] {
            assert_eq!(parse_record_date(&time::iso8601(secs)), Some(secs));
        }
    }
}

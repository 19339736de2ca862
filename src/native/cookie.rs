//! Reading the consent cookie on a server: the crate's host API.
//!
//! ```
//! use consent_gate::native::cookie::read_consent;
//!
//! let value = "1.9f86d081884c7d659a2feaa0c55ad015.2.1763830800.1763830800.1779555600.1100.0.ads-pixel:0~google-analytics:1.b915e737";
//! let now = 1_767_225_600; // 2026-01-01T00:00:00Z, Unix seconds
//! let consent = read_consent(value, now).expect("a valid, unexpired decision");
//! assert!(consent.categories.performance);
//! assert!(!consent.categories.marketing);
//! assert_eq!(consent.services.get("google-analytics"), Some(&true));
//! assert_eq!(consent.expires_at, "2026-05-23T17:00:00.000Z");
//! // Expired, tampered or malformed: no decision.
//! assert!(read_consent(value, 1_779_555_600).is_none());
//! assert!(read_consent(&value.replace(".1100.", ".1111."), now).is_none());
//! ```
//!
//! The grammar is [`crate::model::codec`]'s (this module only wraps
//! [`codec::decode`]); `README.md, "The consent cookie"` documents it with readers in
//! JavaScript, Python and PHP that pass the same golden vectors
//! (`tests/vectors/cookies.json`).

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::model::category::Category;
use crate::model::codec;
use crate::model::record::Record;
use crate::model::time::iso8601;

/// The four category grants of a decision (`essential` is always `true`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Categories {
    /// Always `true`: a decision that refuses essential does not decode.
    pub essential: bool,
    /// Measuring site use (analytics).
    pub performance: bool,
    /// Remembering preferences and display settings.
    pub functional: bool,
    /// Advertising and cross-site personalisation.
    pub marketing: bool,
}

/// A visitor's decision as the cookie carries it, in the shape of the
/// browser's `ConsentGate.get()`: dates as ISO-8601 UTC strings with
/// milliseconds (`"2026-11-22T18:20:02.000Z"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consent {
    /// The record id: 32 lowercase hex digits.
    pub id: String,
    /// The config revision the decision was taken under. A decision older
    /// than the site's current `revision` is void: compare it yourself.
    pub revision: u32,
    /// When the visitor first decided.
    pub decided_at: String,
    /// When the visitor last decided.
    pub updated_at: String,
    /// When the decision lapses.
    pub expires_at: String,
    /// The category grants.
    pub categories: Categories,
    /// Per-service grants, by service id.
    pub services: BTreeMap<String, bool>,
    /// Whether Global Privacy Control was honoured for this decision.
    pub gpc: bool,
    /// Whether the decision was taken in an opt-out region (the record then
    /// says `"mode": "opt-out"`).
    pub opt_out: bool,
}

impl Consent {
    /// The decision in `r`, dates formatted as the browser formats them.
    pub fn from_record(r: &Record) -> Consent {
        Consent {
            id: r.id.clone(),
            revision: r.revision,
            decided_at: iso8601(r.decided_at),
            updated_at: iso8601(r.updated_at),
            expires_at: iso8601(r.expires_at),
            categories: Categories {
                essential: r.granted(Category::Essential),
                performance: r.granted(Category::Performance),
                functional: r.granted(Category::Functional),
                marketing: r.granted(Category::Marketing),
            },
            services: r.services.iter().cloned().collect(),
            gpc: r.gpc,
            opt_out: r.opt_out,
        }
    }

    /// Whether a category (id or alias, e.g. `"analytics"`) or a service id
    /// is granted; `false` for a name the decision does not know.
    pub fn accepted(&self, name: &str) -> bool {
        match Category::parse(name) {
            Some(Category::Essential) => self.categories.essential,
            Some(Category::Performance) => self.categories.performance,
            Some(Category::Functional) => self.categories.functional,
            Some(Category::Marketing) => self.categories.marketing,
            None => self.services.get(name).copied().unwrap_or(false),
        }
    }

    /// The decision as JSON text in the shape of `ConsentGate.get()`, keys in
    /// the browser's order.
    pub fn to_json(&self) -> String {
        // Every string here is hex, digits, ISO dates or a service id
        // ([a-z0-9_-]): nothing needs escaping.
        let mut s = String::with_capacity(256 + self.services.len() * 72);
        s.push_str("{\"id\":\"");
        s.push_str(&self.id);
        s.push_str("\",\"revision\":");
        crate::model::push_decimal(&mut s, u64::from(self.revision));
        for (key, date) in [
            ("decidedAt", &self.decided_at),
            ("updatedAt", &self.updated_at),
            ("expiresAt", &self.expires_at),
        ] {
            s.push_str(",\"");
            s.push_str(key);
            s.push_str("\":\"");
            s.push_str(date);
            s.push('"');
        }
        s.push_str(",\"categories\":{");
        let c = &self.categories;
        for (i, (name, on)) in [
            ("essential", c.essential),
            ("performance", c.performance),
            ("functional", c.functional),
            ("marketing", c.marketing),
        ]
        .into_iter()
        .enumerate()
        {
            push_member(&mut s, i, name, on);
        }
        s.push_str("},\"services\":{");
        for (i, (id, on)) in self.services.iter().enumerate() {
            push_member(&mut s, i, id, *on);
        }
        s.push_str("},\"gpc\":");
        s.push_str(if self.gpc { "true" } else { "false" });
        if self.opt_out {
            s.push_str(",\"mode\":\"opt-out\"");
        }
        s.push('}');
        s
    }
}

fn push_member(s: &mut String, i: usize, name: &str, on: bool) {
    if i > 0 {
        s.push(',');
    }
    s.push('"');
    s.push_str(name);
    s.push_str("\":");
    s.push_str(if on { "true" } else { "false" });
}

/// The decision in a consent cookie's value, or `None` when the value does
/// not match the grammar exactly (truncated, tampered, out of range, extra
/// fields, surrounding whitespace…) or the decision has expired at `now`
/// (Unix seconds): `None` means "no decision", so grant nothing optional.
///
/// Pass the raw cookie value: the banner writes it without percent-encoding.
pub fn read_consent(value: &str, now: u64) -> Option<Consent> {
    codec::decode(value)
        .filter(|r| now < r.expires_at)
        .map(|r| Consent::from_record(&r))
}

/// [`read_consent`] at the system clock's current time.
pub fn read_consent_now(value: &str) -> Option<Consent> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    read_consent(value, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            id: "0123456789abcdef0123456789abcdef".into(),
            revision: 3,
            decided_at: 1_767_225_600,
            updated_at: 1_767_312_000,
            expires_at: 1_767_312_000 + 182 * 86_400,
            categories: [true, false, true, false],
            services: vec![("ga".into(), false), ("maps".into(), true)],
            gpc: true,
            opt_out: false,
        }
    }

    #[test]
    fn reads_what_the_encoder_writes() {
        let r = record();
        let c = read_consent(&codec::encode(&r), r.updated_at).expect("valid");
        assert_eq!(c.id, r.id);
        assert_eq!(c.revision, 3);
        assert_eq!(c.decided_at, "2026-01-01T00:00:00.000Z");
        assert_eq!(c.updated_at, "2026-01-02T00:00:00.000Z");
        assert_eq!(c.expires_at, "2026-07-03T00:00:00.000Z");
        assert_eq!(
            c.categories,
            Categories {
                essential: true,
                performance: false,
                functional: true,
                marketing: false
            }
        );
        assert!(c.accepted("preferences") && !c.accepted("ads") && c.accepted("necessary"));
        assert!(c.accepted("maps") && !c.accepted("ga") && !c.accepted("unknown"));
        assert!(c.gpc);
    }

    #[test]
    fn expiry_is_exclusive() {
        let r = record();
        let v = codec::encode(&r);
        assert!(read_consent(&v, r.expires_at - 1).is_some());
        assert!(read_consent(&v, r.expires_at).is_none());
        assert!(read_consent(&v, u64::MAX).is_none());
    }

    #[test]
    fn json_has_the_browser_shape() {
        let r = record();
        let c = read_consent(&codec::encode(&r), 0).expect("valid");
        assert_eq!(
            c.to_json(),
            "{\"id\":\"0123456789abcdef0123456789abcdef\",\"revision\":3,\
             \"decidedAt\":\"2026-01-01T00:00:00.000Z\",\"updatedAt\":\"2026-01-02T00:00:00.000Z\",\
             \"expiresAt\":\"2026-07-03T00:00:00.000Z\",\
             \"categories\":{\"essential\":true,\"performance\":false,\"functional\":true,\"marketing\":false},\
             \"services\":{\"ga\":false,\"maps\":true},\"gpc\":true}"
        );
    }

    #[test]
    fn an_opt_out_decision_says_its_mode() {
        let mut r = record();
        r.opt_out = true;
        let c = read_consent(&codec::encode(&r), 0).expect("valid");
        assert!(c.opt_out);
        assert!(c.to_json().ends_with(",\"gpc\":true,\"mode\":\"opt-out\"}"));
    }

    #[test]
    fn tampering_is_no_decision() {
        let v = codec::encode(&record());
        assert!(read_consent(&format!(" {v}"), 0).is_none());
        assert!(read_consent(&v.replace(".1010.", ".1110."), 0).is_none());
        assert!(read_consent("", 0).is_none());
    }
}

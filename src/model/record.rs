//! The consent record: what the visitor decided, when, and for which config revision.

#[allow(unused_imports)]
use super::prelude::*;

use super::category::Category;

/// Anything that says what is granted: the owned [`Record`] and the cookie
/// read in place ([`super::codec::Cookie`]).
pub trait Grants {
    /// Whether category `c` is granted (essential always is).
    fn granted(&self, c: Category) -> bool;
    /// The grant of service `id` (bytes, as an attribute gave it), or `None` if not listed.
    fn service_bytes(&self, id: &[u8]) -> Option<bool>;
}

impl Grants for Record {
    fn granted(&self, c: Category) -> bool {
        Record::granted(self, c)
    }

    fn service_bytes(&self, id: &[u8]) -> Option<bool> {
        self.services
            .iter()
            .find(|(s, _)| s.as_bytes() == id)
            .map(|(_, on)| *on)
    }
}

/// One visitor's decision, as stored in the consent cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// A random 128-bit id as 32 lowercase hex digits.
    pub id: String,
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
    /// Per-service grants, sorted by id, ids unique.
    pub services: Vec<(String, bool)>,
    /// Whether Global Privacy Control was honoured for this decision.
    pub gpc: bool,
    /// Whether the decision was taken in an `"opt-out"` region (the record
    /// then says `"mode": "opt-out"`; see [`super::region`]).
    pub opt_out: bool,
}

impl Record {
    /// Whether category `c` is granted (essential always is).
    pub fn granted(&self, c: Category) -> bool {
        !c.is_optional() || self.categories.get(c.index()).copied().unwrap_or(false)
    }

    /// The grant of service `id`, or `None` if the record does not list it.
    pub fn service(&self, id: &str) -> Option<bool> {
        self.services
            .iter()
            .find(|(s, _)| s == id)
            .map(|(_, on)| *on)
    }

    /// Whether the decision still holds: not expired, not older than the
    /// config's revision, and essential granted.
    pub fn is_valid(&self, config_revision: u32, now: u64) -> bool {
        now < self.expires_at && self.revision >= config_revision && self.categories[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            id: "0".repeat(32),
            revision: 2,
            decided_at: 100,
            updated_at: 100,
            expires_at: 200,
            categories: [true, true, false, false],
            services: vec![("a".into(), true), ("b".into(), false)],
            gpc: false,
            opt_out: false,
        }
    }

    #[test]
    fn grants() {
        let mut r = record();
        assert!(r.granted(Category::Performance));
        assert!(!r.granted(Category::Marketing));
        r.categories[0] = false;
        assert!(
            r.granted(Category::Essential),
            "essential is always granted"
        );
        assert_eq!(r.service("a"), Some(true));
        assert_eq!(r.service("b"), Some(false));
        assert_eq!(r.service("c"), None);
    }

    #[test]
    fn validity() {
        let r = record();
        assert!(r.is_valid(2, 199));
        assert!(r.is_valid(1, 100), "a newer revision is fine");
        assert!(!r.is_valid(3, 100), "older than the config");
        assert!(!r.is_valid(2, 200), "expired");
        let mut bad = r.clone();
        bad.categories[0] = false;
        assert!(!bad.is_valid(2, 100));
    }
}

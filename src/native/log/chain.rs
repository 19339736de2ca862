//! The hash chain over stored rows: each row's `hash` is SHA-256 of the
//! previous row's hash and the row's own fields, so changing, inserting or
//! removing a row anywhere before the last one breaks every hash after it.
//!
//! ```text
//! hash(row) = hex(SHA-256( prev_hash "\n" field₁ … field₁₅ ))   each field as  <byte length> ":" <bytes> "\n"
//! ```
//!
//! The fields, in order: seq, received_at, consent_id, revision, decided_at,
//! updated_at, expires_at, categories, services, gpc, mode, config_revision,
//! url, user_agent, ip (integers in decimal). The first row ever stored has
//! [`GENESIS`] as its previous hash.

use sha2::{Digest, Sha256};

use super::body::Entry;
use crate::model::codec;

/// The previous hash of the first row ever stored: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One stored row, exactly as in the `consent_log` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Position in the chain: 1, 2, 3, … with no gaps.
    pub seq: i64,
    /// When the receiver took it, Unix milliseconds.
    pub received_at: i64,
    /// The record's id.
    pub consent_id: String,
    /// The record's revision.
    pub revision: i64,
    /// The record's `decidedAt`, Unix seconds.
    pub decided_at: i64,
    /// The record's `updatedAt`, Unix seconds.
    pub updated_at: i64,
    /// The record's `expiresAt`, Unix seconds.
    pub expires_at: i64,
    /// Four `0`/`1`: essential, performance, functional, marketing (the cookie's order).
    pub categories: String,
    /// Per-service grants in the cookie's grammar: `id:1~other:0`, sorted by id.
    pub services: String,
    /// Whether Global Privacy Control was honoured (0 or 1).
    pub gpc: i64,
    /// `"opt-in"`, `"opt-out"`, or `""` when the banner sent no mode (opt-in).
    pub mode: String,
    /// The page's config revision.
    pub config_revision: i64,
    /// The page's origin and path.
    pub url: String,
    /// The browser's user agent.
    pub user_agent: String,
    /// The visitor's address as kept (truncated, hashed or empty; see `--ip`).
    pub ip: String,
    /// The previous row's hash ([`GENESIS`] for the first row).
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

impl Row {
    /// The row for `entry` before it has a place in the chain (`seq`, hashes empty).
    pub fn new(entry: &Entry, received_at: i64, ip: String) -> Row {
        let r = &entry.record;
        let cookie = codec::encode(r);
        // The cookie's services field, already in its canonical sorted form.
        let services = cookie.split('.').nth(8).unwrap_or("").to_string();
        Row {
            seq: 0,
            received_at,
            consent_id: r.id.clone(),
            revision: i64::from(r.revision),
            decided_at: r.decided_at as i64,
            updated_at: r.updated_at as i64,
            expires_at: r.expires_at as i64,
            categories: r
                .categories
                .iter()
                .map(|&on| if on { '1' } else { '0' })
                .collect(),
            services,
            gpc: i64::from(r.gpc),
            mode: entry
                .mode
                .map(|m| m.as_str().to_string())
                .unwrap_or_default(),
            config_revision: i64::from(entry.config_revision),
            url: entry.url.clone(),
            user_agent: entry.user_agent.clone(),
            ip,
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    /// Places the row after `(prev_seq, prev_hash)`: sets `seq`, `prev_hash` and `hash`.
    pub fn link(&mut self, prev_seq: i64, prev_hash: &str) {
        self.seq = prev_seq + 1;
        self.prev_hash = prev_hash.to_string();
        self.hash = self.compute_hash();
    }

    /// The hash this row should have, from its fields and `prev_hash`.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.prev_hash.as_bytes());
        h.update(b"\n");
        let ints = |n: i64| n.to_string();
        for field in [
            &ints(self.seq),
            &ints(self.received_at),
            &self.consent_id,
            &ints(self.revision),
            &ints(self.decided_at),
            &ints(self.updated_at),
            &ints(self.expires_at),
            &self.categories,
            &self.services,
            &ints(self.gpc),
            &self.mode,
            &ints(self.config_revision),
            &self.url,
            &self.user_agent,
            &self.ip,
        ] {
            h.update(field.len().to_string().as_bytes());
            h.update(b":");
            h.update(field.as_bytes());
            h.update(b"\n");
        }
        hex(&h.finalize())
    }
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        codec::push_hex(&mut s, u64::from(*b), 2);
    }
    s
}

/// Where a chain breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    /// The `seq` of the first row that does not fit.
    pub seq: i64,
    /// What is wrong with it.
    pub reason: String,
}

/// Checks rows in `seq` order, one at a time, from a known anchor.
#[derive(Clone, Debug)]
pub struct Verifier {
    prev_seq: i64,
    prev_hash: String,
    /// How many rows have been checked.
    pub rows: u64,
}

impl Verifier {
    /// Starts after the row `(seq, hash)`: `(0, GENESIS)` for a log never purged,
    /// else the last purged row.
    pub fn new(seq: i64, hash: &str) -> Verifier {
        Verifier {
            prev_seq: seq,
            prev_hash: hash.to_string(),
            rows: 0,
        }
    }

    /// The last row checked (or the anchor): `(seq, hash)`.
    pub fn head(&self) -> (i64, &str) {
        (self.prev_seq, &self.prev_hash)
    }

    /// Checks the next row.
    pub fn check(&mut self, row: &Row) -> Result<(), Break> {
        let fail = |reason: String| {
            Err(Break {
                seq: row.seq,
                reason,
            })
        };
        if row.seq != self.prev_seq + 1 {
            return fail(format!(
                "expected seq {} (a row is missing or inserted)",
                self.prev_seq + 1
            ));
        }
        if row.prev_hash != self.prev_hash {
            return fail(format!(
                "prev_hash {} does not match the previous row's hash {}",
                row.prev_hash, self.prev_hash
            ));
        }
        let want = row.compute_hash();
        if row.hash != want {
            return fail(format!(
                "hash {} does not match its content (expected {want}): the row was changed",
                row.hash
            ));
        }
        self.prev_seq = row.seq;
        self.prev_hash = row.hash.clone();
        self.rows += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: i64) -> Row {
        Row {
            seq: 0,
            received_at: 1_795_371_602_000 + n,
            consent_id: "9f86d081884c7d659a2feaa0c55ad015".into(),
            revision: 2,
            decided_at: 1_795_371_602,
            updated_at: 1_795_371_940,
            expires_at: 1_811_097_940,
            categories: "1100".into(),
            services: "google-analytics:1".into(),
            gpc: 0,
            mode: String::new(),
            config_revision: 2,
            url: "https://www.example.com/".into(),
            user_agent: "UA".into(),
            ip: "203.0.113.0/24".into(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    fn chain(n: i64) -> Vec<Row> {
        let mut out: Vec<Row> = Vec::new();
        for i in 0..n {
            let mut r = row(i);
            let (s, h) = out
                .last()
                .map_or((0, GENESIS.to_string()), |p| (p.seq, p.hash.clone()));
            r.link(s, &h);
            out.push(r);
        }
        out
    }

    fn verify(rows: &[Row]) -> Result<u64, Break> {
        let mut v = Verifier::new(0, GENESIS);
        rows.iter().try_for_each(|r| v.check(r))?;
        Ok(v.rows)
    }

    #[test]
    fn intact_and_broken() {
        let rows = chain(5);
        assert_eq!(verify(&rows), Ok(5));
        assert_eq!(rows[0].hash.len(), 64);

        let mut changed = rows.clone();
        changed[2].user_agent.push('x');
        assert_eq!(verify(&changed).unwrap_err().seq, 3);

        let mut removed = rows.clone();
        removed.remove(1);
        assert_eq!(verify(&removed).unwrap_err().seq, 3);

        let mut relinked = rows.clone();
        relinked[3].categories = "1111".into();
        relinked[3].hash = relinked[3].compute_hash();
        assert_eq!(
            verify(&relinked).unwrap_err().seq,
            5,
            "rewriting one hash breaks the next row"
        );
    }

    #[test]
    fn field_boundaries_matter() {
        let mut a = row(0);
        let mut b = row(0);
        a.url = "https://a/".into();
        a.user_agent = "bc".into();
        b.url = "https://a/b".into();
        b.user_agent = "c".into();
        a.link(0, GENESIS);
        b.link(0, GENESIS);
        assert_ne!(a.hash, b.hash);
    }
}

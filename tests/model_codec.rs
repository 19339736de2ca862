#![cfg(not(target_arch = "wasm32"))]
//! The cookie grammar: round trips, rejects, and property tests.

use consent_gate::model::codec::{decode, encode, fnv1a32};
use consent_gate::model::record::Record;
use proptest::prelude::*;

fn record() -> Record {
    Record {
        id: "0123456789abcdef0123456789abcdef".into(),
        revision: 3,
        decided_at: 1_767_225_600,
        updated_at: 1_767_312_000,
        expires_at: 1_767_312_000 + 182 * 86_400,
        categories: [true, true, false, true],
        services: vec![("ga".into(), true), ("pixel".into(), false)],
        gpc: true,
    }
}

/// Rebuilds the value from its fields with a correct check.
fn sign(body: &str) -> String {
    format!("{body}.{:08x}", fnv1a32(body.as_bytes()))
}

fn body(s: &str) -> &str {
    s.rsplit_once('.').unwrap().0
}

#[test]
fn exact_encoding() {
    let s = encode(&record());
    assert_eq!(
        body(&s),
        "1.0123456789abcdef0123456789abcdef.3.1767225600.1767312000.1783036800.1101.1.ga:1~pixel:0"
    );
    assert_eq!(s, sign(body(&s)));
    assert_eq!(decode(&s), Some(record()));
    let mut bare = record();
    bare.services.clear();
    let s = encode(&bare);
    assert!(s.contains(".1.."), "an empty services field: {s}");
    assert_eq!(decode(&s), Some(bare));
}

#[test]
fn tampering_is_detected() {
    let s = encode(&record());
    // Flip functional on without fixing the check.
    let flipped = s.replacen(".1101.", ".1111.", 1);
    assert_ne!(flipped, s);
    assert_eq!(decode(&flipped), None);
    // A wrong check.
    let mut bad = body(&s).to_string() + ".00000000";
    if bad == s {
        bad = body(&s).to_string() + ".00000001";
    }
    assert_eq!(decode(&bad), None);
    // The same check in uppercase.
    let check = &s[s.len() - 8..];
    let upper = body(&s).to_string() + "." + &check.to_uppercase();
    assert_eq!(
        decode(&upper).is_none(),
        check.bytes().any(|b| b.is_ascii_alphabetic())
    );
}

#[test]
fn rejects_with_a_valid_check() {
    let good = body(&encode(&record())).to_string();
    let cases = [
        ("essential refused", good.replacen(".1101.", ".0101.", 1)),
        ("cats too short", good.replacen(".1101.", ".110.", 1)),
        ("cats not binary", good.replacen(".1101.", ".1201.", 1)),
        ("gpc not binary", good.replacen(".1101.1.", ".1101.2.", 1)),
        ("gpc empty", good.replacen(".1101.1.", ".1101..", 1)),
        ("version", good.replacen("1.", "2.", 1)),
        (
            "uppercase id",
            good.replacen("0123456789abcdef0123", "0123456789ABCDEF0123", 1),
        ),
        (
            "short id",
            good.replacen(
                "0123456789abcdef0123456789abcdef",
                "0123456789abcdef0123456789abcde",
                1,
            ),
        ),
        ("revision 0", good.replacen(".3.", ".0.", 1)),
        ("revision leading zero", good.replacen(".3.", ".03.", 1)),
        ("revision too high", good.replacen(".3.", ".1000000001.", 1)),
        (
            "decided leading zero",
            good.replacen(".1767225600.", ".01767225600.", 1),
        ),
        (
            "decided after updated",
            good.replacen(".1767225600.", ".1767312001.", 1),
        ),
        (
            "expires not after updated",
            good.replacen(".1783036800.", ".1767312000.", 1),
        ),
        (
            "lifetime over 395 days",
            good.replacen(
                ".1783036800.",
                &format!(".{}.", 1_767_312_000 + 395 * 86_400 + 1),
                1,
            ),
        ),
        (
            "12-digit time",
            good.replacen(".1783036800.", ".100000000000.", 1),
        ),
        ("plus sign", good.replacen(".3.", ".+3.", 1)),
        (
            "services unsorted",
            good.replacen("ga:1~pixel:0", "pixel:0~ga:1", 1),
        ),
        (
            "services duplicate",
            good.replacen("ga:1~pixel:0", "ga:1~ga:1", 1),
        ),
        ("service bad flag", good.replacen("ga:1", "ga:true", 1)),
        ("service uppercase", good.replacen("ga:1", "GA:1", 1)),
        ("service no flag", good.replacen("ga:1", "ga", 1)),
        ("service empty item", good.replacen("ga:1~", "ga:1~~", 1)),
        ("extra field", good.clone() + ".x"),
        (
            "missing field",
            good.replacen(".1.ga:1~pixel:0", ".ga:1~pixel:0", 1),
        ),
        ("leading space", " ".to_string() + &good),
        ("trailing space", good.clone() + " "),
        ("space in field", good.replacen(".3.", ". 3.", 1)),
    ];
    for (what, body) in cases {
        assert_ne!(body, good, "{what}: the case must change something");
        assert_eq!(decode(&sign(&body)), None, "{what}: {body}");
    }
    // The longest lifetime is accepted.
    let max = good.replacen(
        ".1783036800.",
        &format!(".{}.", 1_767_312_000 + 395 * 86_400),
        1,
    );
    assert!(decode(&sign(&max)).is_some());
}

#[test]
fn truncated_and_oversized() {
    let s = encode(&record());
    for n in 0..s.len() {
        assert_eq!(decode(&s[..n]), None, "prefix of {n} bytes");
    }
    assert_eq!(decode(""), None);
    assert_eq!(decode("."), None);
    assert_eq!(decode(&(s.clone() + "0")), None);
    let mut big = record();
    big.services = (0..64)
        .map(|i| (format!("{i:02}-{}", "x".repeat(40)), true))
        .collect();
    let long = encode(&big);
    assert!(long.len() <= 3072);
    assert_eq!(decode(&long), Some(big.clone()));
    big.services.push(("zz".into(), true));
    assert_eq!(decode(&encode(&big)), None, "65 services");
    let huge = sign(&format!("{}.{}", body(&s), "a".repeat(3100)));
    assert_eq!(decode(&huge), None);
}

fn arb_record() -> impl Strategy<Value = Record> {
    let id = "[0-9a-f]{32}";
    let services =
        proptest::collection::btree_map("[a-z0-9][a-z0-9_-]{0,63}", any::<bool>(), 0..=64);
    (
        id,
        1u32..=1_000_000_000,
        0u64..=90_000_000_000,
        0u64..=9_000_000_000,
        1u64..=395 * 86_400,
        any::<[bool; 3]>(),
        any::<bool>(),
        services,
    )
        .prop_map(
            |(id, revision, decided_at, since, lifetime, cats, gpc, services)| Record {
                id,
                revision,
                decided_at,
                updated_at: decided_at + since,
                expires_at: decided_at + since + lifetime,
                categories: [true, cats[0], cats[1], cats[2]],
                services: services.into_iter().collect(),
                gpc,
            },
        )
        .prop_filter("fits the grammar", |r| {
            r.expires_at <= 99_999_999_999 && encode(r).len() <= 3072
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn valid_records_round_trip(r in arb_record()) {
        let s = encode(&r);
        prop_assert_eq!(decode(&s), Some(r));
    }

    #[test]
    fn random_strings_never_decode(s in "\\PC{0,200}") {
        // Garbage never yields a record, so it never grants anything.
        prop_assert_eq!(decode(&s), None);
    }

    #[test]
    fn random_grammar_like_strings_never_decode(s in "1\\.[0-9a-f]{32}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,4}\\.[01]{4}\\.[01]\\.([a-z]{1,3}:[01])?\\.[0-9a-f]{8}") {
        // Well-formed but with a random check: only the one right check passes.
        if let Some(r) = decode(&s) {
            prop_assert_eq!(encode(&r), s);
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        prop_assert_eq!(decode(&String::from_utf8_lossy(&bytes)), None);
    }

    #[test]
    fn mutations_of_a_valid_value_are_caught(r in arb_record(), edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..4)) {
        let original = encode(&r);
        let mut bytes = original.clone().into_bytes();
        for (at, b, kind) in edits {
            let i = at.index(bytes.len() + 1);
            match kind {
                0 if i < bytes.len() => bytes[i] = b,
                1 => bytes.insert(i, b),
                _ if i < bytes.len() => { bytes.remove(i); }
                _ => bytes.push(b),
            }
        }
        let Ok(s) = String::from_utf8(bytes) else { return Ok(()) };
        if let Some(d) = decode(&s) {
            prop_assert_eq!(encode(&d), s.clone(), "decode must be canonical");
            // Only an edit that changes nothing (or undoes itself) still decodes.
            prop_assert_eq!(s, original);
        }
    }
}

#![cfg(not(target_arch = "wasm32"))]
//! The cookie grammar: exact encodings, rejects, and property tests against
//! `spec_accepts`, an independent reading of the grammar in src/model/codec.rs.
//!
//! The central property: for any input, `decode` accepts it exactly when the
//! grammar does, and what it accepts is the one canonical spelling of the
//! record (`encode(decode(s)) == s`).

use consent_gate::model::codec::{decode, encode, parse, MAX_LEN, MAX_LIFETIME_SECS};
use consent_gate::model::record::Record;
use proptest::prelude::*;

const DAY: u64 = 86_400;

fn record() -> Record {
    Record {
        id: "0123456789abcdef0123456789abcdef".into(),
        revision: 3,
        decided_at: 1_767_225_600,
        updated_at: 1_767_312_000,
        expires_at: 1_767_312_000 + 182 * DAY,
        categories: [true, true, false, true],
        services: vec![("ga".into(), true), ("pixel".into(), false)],
        gpc: true,
        opt_out: false,
    }
}

/// FNV-1a 32, written again here so the tests do not trust the codec's own.
fn fnv(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// `body` with its correct check appended.
fn sign(body: &str) -> String {
    format!("{body}.{:08x}", fnv(body.as_bytes()))
}

fn body(s: &str) -> &str {
    s.rsplit_once('.').unwrap().0
}

/// The grammar of src/model/codec.rs, read independently of its parser.
fn spec_accepts(s: &[u8]) -> bool {
    if s.len() > MAX_LEN || !s.iter().all(|b| (0x21..=0x7e).contains(b)) {
        return false;
    }
    let s = std::str::from_utf8(s).unwrap();
    let parts: Vec<&str> = s.split('.').collect();
    let [version, id, revision, decided, updated, expires, cats, gpc, services, check] = parts[..]
    else {
        return false;
    };
    let lower_hex = |t: &str| t.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let decimal = |t: &str, max: usize| -> Option<u64> {
        let ok = !t.is_empty()
            && t.len() <= max
            && t.bytes().all(|b| b.is_ascii_digit())
            && (t == "0" || !t.starts_with('0'));
        ok.then(|| t.parse().unwrap())
    };
    let service_id = |t: &str| {
        let b = t.as_bytes();
        (1..=64).contains(&b.len())
            && matches!(b[0], b'a'..=b'z' | b'0'..=b'9')
            && b.iter()
                .all(|c| matches!(c, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
    };
    let (Some(rev), Some(d), Some(u), Some(e)) = (
        decimal(revision, 10),
        decimal(decided, 11),
        decimal(updated, 11),
        decimal(expires, 11),
    ) else {
        return false;
    };
    let mut ids: Vec<&str> = Vec::new();
    if !services.is_empty() {
        for item in services.split('~') {
            match item.split_once(':') {
                Some((id, "0" | "1")) if service_id(id) => ids.push(id),
                _ => return false,
            }
        }
    }
    version == "1"
        && id.len() == 32
        && lower_hex(id)
        && (1..=1_000_000_000).contains(&rev)
        && d <= u
        && u < e
        && e - u <= 395 * DAY
        && cats.len() == 4
        && cats.starts_with('1')
        && cats.bytes().all(|b| b == b'0' || b == b'1')
        && matches!(gpc, "0" | "1" | "2" | "3")
        && ids.len() <= 64
        && ids.windows(2).all(|w| w[0] < w[1])
        && check.len() == 8
        && lower_hex(check)
        && check == format!("{:08x}", fnv(body(s).as_bytes()))
}

/// `decode` (and `parse`, in place) accept `bytes` exactly when the grammar
/// does, and an accepted value is the canonical spelling of its record.
fn agrees_with_the_grammar(bytes: &[u8]) -> Result<(), TestCaseError> {
    let expected = spec_accepts(bytes);
    let cookie = parse(bytes);
    prop_assert_eq!(
        cookie.is_some(),
        expected,
        "parse: {:?}",
        String::from_utf8_lossy(bytes)
    );
    if let Ok(s) = std::str::from_utf8(bytes) {
        let record = decode(s);
        prop_assert_eq!(record.clone(), cookie.map(|c| c.to_record()));
        if let Some(r) = record {
            prop_assert_eq!(encode(&r), s, "an accepted value must be canonical");
        }
    }
    Ok(())
}

#[test]
fn exact_encoding() {
    let s = encode(&record());
    assert_eq!(
        s,
        sign("1.0123456789abcdef0123456789abcdef.3.1767225600.1767312000.1783036800.1101.1.ga:1~pixel:0")
    );
    assert_eq!(decode(&s), Some(record()));
    let mut bare = record();
    bare.services.clear();
    let s = encode(&bare);
    assert_eq!(
        s,
        sign("1.0123456789abcdef0123456789abcdef.3.1767225600.1767312000.1783036800.1101.1.")
    );
    assert_eq!(decode(&s), Some(bare));
}

#[test]
fn every_other_check_is_rejected() {
    let s = encode(&record());
    let (body, check) = s.rsplit_once('.').unwrap();
    let mut tried = 0;
    for i in 0..8 {
        for d in "0123456789abcdef".chars() {
            let mut other: Vec<char> = check.chars().collect();
            if other[i] == d {
                continue;
            }
            other[i] = d;
            let value = format!("{body}.{}", other.iter().collect::<String>());
            assert_eq!(decode(&value), None, "{value}");
            tried += 1;
        }
    }
    assert_eq!(tried, 8 * 15);
}

#[test]
fn an_uppercase_check_is_rejected() {
    // A record whose check has a letter in it, so uppercasing changes it.
    let r = (1..100)
        .map(|revision| Record {
            revision,
            ..record()
        })
        .find(|r| {
            encode(r)
                .rsplit_once('.')
                .unwrap()
                .1
                .bytes()
                .any(|b| b.is_ascii_alphabetic())
        })
        .expect("some check among 99 has a letter");
    let s = encode(&r);
    assert!(decode(&s).is_some());
    let (body, check) = s.rsplit_once('.').unwrap();
    let upper = format!("{body}.{}", check.to_uppercase());
    assert_ne!(upper, s);
    assert_eq!(decode(&upper), None);
}

#[test]
fn an_edited_grant_without_a_new_check_is_rejected() {
    let s = encode(&record());
    for (from, to) in [
        (".1101.", ".1111."),
        ("ga:1", "ga:0"),
        ("pixel:0", "pixel:1"),
        (".1.ga", ".0.ga"),
    ] {
        let edited = s.replacen(from, to, 1);
        assert_ne!(edited, s);
        assert_eq!(decode(&edited), None, "{edited}");
        assert!(
            decode(&sign(body(&edited))).is_some(),
            "re-signed, {edited} is a valid value"
        );
    }
}

#[test]
fn rejects_with_a_valid_check() {
    let good = body(&encode(&record())).to_string();
    let cases = [
        ("essential refused", good.replacen(".1101.", ".0101.", 1)),
        ("cats too short", good.replacen(".1101.", ".110.", 1)),
        ("cats not binary", good.replacen(".1101.", ".1201.", 1)),
        ("flags above 3", good.replacen(".1101.1.", ".1101.4.", 1)),
        (
            "flags two digits",
            good.replacen(".1101.1.", ".1101.13.", 1),
        ),
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
            "revision beyond u32",
            good.replacen(".3.", ".4294967299.", 1),
        ),
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
                &format!(".{}.", 1_767_312_000 + 395 * DAY + 1),
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
        ("service two flags", good.replacen("ga:1", "ga:1:1", 1)),
        ("service empty item", good.replacen("ga:1~", "ga:1~~", 1)),
        ("service trailing separator", good.clone() + "~"),
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
        let value = sign(&body);
        assert!(
            !spec_accepts(value.as_bytes()),
            "{what}: the case must break the grammar"
        );
        assert_eq!(decode(&value), None, "{what}: {body}");
    }
    // The edges that are still valid.
    for (what, body) in [
        (
            "the longest lifetime",
            good.replacen(
                ".1783036800.",
                &format!(".{}.", 1_767_312_000 + 395 * DAY),
                1,
            ),
        ),
        (
            "the highest revision",
            good.replacen(".3.", ".1000000000.", 1),
        ),
        (
            "decided = updated",
            good.replacen(".1767225600.", ".1767312000.", 1),
        ),
        (
            "time zero",
            good.replacen(".1767225600.1767312000.1783036800.", ".0.0.1.", 1),
        ),
        (
            "11-digit times",
            good.replacen(
                ".1767225600.1767312000.1783036800.",
                ".99999999998.99999999998.99999999999.",
                1,
            ),
        ),
    ] {
        let value = sign(&body);
        let r = decode(&value).unwrap_or_else(|| panic!("{what}: {body}"));
        assert_eq!(encode(&r), value, "{what}");
    }
}

/// Services whose ids make the value exactly `len` bytes long.
fn record_of_length(len: usize) -> Record {
    let mut r = record();
    // 63 services `NN-xxxx` of 44 bytes, then one to fill up.
    r.services = (0..63)
        .map(|i| (format!("{i:02}-{}", "x".repeat(41)), true))
        .collect();
    let last = len - encode(&r).len() - 3; // "~", ":" and the flag
    assert!((2..=64).contains(&last), "a last id of {last} bytes");
    r.services
        .push((format!("99{}", "z".repeat(last - 2)), false));
    assert_eq!(encode(&r).len(), len);
    r
}

#[test]
fn the_length_limit_is_exact() {
    let longest = record_of_length(MAX_LEN);
    assert_eq!(decode(&encode(&longest)), Some(longest));
    let over = record_of_length(MAX_LEN + 1);
    assert_eq!(decode(&encode(&over)), None, "one byte over");
    let mut many = record();
    many.services = (0..65).map(|i| (format!("s{i:02}"), true)).collect();
    assert!(encode(&many).len() < MAX_LEN);
    assert_eq!(decode(&encode(&many)), None, "65 services");
    many.services.pop();
    assert_eq!(decode(&encode(&many)), Some(many), "64 services");
}

#[test]
fn no_prefix_of_a_value_is_valid() {
    let s = encode(&record());
    for n in 0..s.len() {
        assert_eq!(decode(&s[..n]), None, "prefix of {n} bytes");
    }
    assert_eq!(decode(&(s.clone() + "0")), None);
}

#[test]
fn the_cookie_read_in_place_says_what_the_record_says() {
    let r = record();
    let s = encode(&r);
    let c = parse(s.as_bytes()).unwrap();
    assert_eq!(c.to_record(), r);
    assert_eq!(
        c.services().collect::<Vec<_>>(),
        vec![("ga", true), ("pixel", false)]
    );
    let mut json = String::new();
    c.write_json(&mut json);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "id": r.id, "revision": 3, "decidedAt": 1_767_225_600u64, "updatedAt": 1_767_312_000u64,
            "expiresAt": 1_767_312_000u64 + 182 * DAY,
            "categories": {"essential": true, "performance": true, "functional": false, "marketing": true},
            "services": {"ga": true, "pixel": false}, "gpc": true
        })
    );
    assert!(c.is_valid(3, r.expires_at - 1));
    assert!(!c.is_valid(3, r.expires_at));
    assert!(!c.is_valid(4, r.updated_at));
}

// ---- generators -------------------------------------------------------------

/// Decided, updated and expires: valid ones, often on the edges.
fn times() -> impl Strategy<Value = (u64, u64, u64)> {
    let max = 99_999_999_999u64;
    (
        prop_oneof![Just(0u64), 0u64..=max, Just(max - MAX_LIFETIME_SECS - 1)],
        prop_oneof![Just(0u64), 0u64..=10 * 365 * DAY],
        prop_oneof![
            Just(1u64),
            Just(MAX_LIFETIME_SECS),
            1u64..=MAX_LIFETIME_SECS
        ],
    )
        .prop_map(move |(decided, since, lifetime)| {
            let decided = decided.min(max - since - lifetime);
            (decided, decided + since, decided + since + lifetime)
        })
}

fn arb_record() -> impl Strategy<Value = Record> {
    let services = prop_oneof![
        proptest::collection::btree_map("[a-z0-9][a-z0-9_-]{0,10}", any::<bool>(), 0..=64),
        proptest::collection::btree_map("[a-z0-9][a-z0-9_-]{0,63}", any::<bool>(), 0..=20),
    ];
    (
        "[0-9a-f]{32}",
        prop_oneof![Just(1u32), Just(1_000_000_000), 1u32..=1_000_000_000],
        times(),
        any::<[bool; 3]>(),
        any::<(bool, bool)>(),
        services,
    )
        .prop_map(
            |(
                id,
                revision,
                (decided_at, updated_at, expires_at),
                cats,
                (gpc, opt_out),
                services,
            )| Record {
                id,
                revision,
                decided_at,
                updated_at,
                expires_at,
                categories: [true, cats[0], cats[1], cats[2]],
                services: services.into_iter().collect(),
                gpc,
                opt_out,
            },
        )
        .prop_filter("fits in 3072 bytes", |r| encode(r).len() <= MAX_LEN)
}

/// Field texts close to the grammar: mostly valid, often just off.
fn near_field(
    valid: BoxedStrategy<String>,
    invalid: BoxedStrategy<String>,
) -> BoxedStrategy<String> {
    prop_oneof![3 => valid, 1 => invalid].boxed()
}

fn decimal_text() -> BoxedStrategy<String> {
    prop_oneof![
        any::<u64>().prop_map(|n| (n % 100_000_000_000).to_string()),
        "0[0-9]{1,3}",
        "[0-9]{12}",
        Just(String::new()),
        "[+-][0-9]{1,3}",
    ]
    .boxed()
}

fn service_items() -> BoxedStrategy<String> {
    let id = prop_oneof![
        4 => "[a-z0-9][a-z0-9_-]{0,6}",
        1 => "[A-Z_-][a-z]{0,3}|[a-z]{65}|",
    ];
    let flag = prop_oneof![4 => "[01]", 1 => "|2|11|true"];
    (proptest::collection::vec((id, flag), 0..8), any::<bool>())
        .prop_map(|(mut items, sort)| {
            if sort {
                items.sort();
                items.dedup_by(|a, b| a.0 == b.0);
            }
            items
                .iter()
                .map(|(id, f)| format!("{id}:{f}"))
                .collect::<Vec<_>>()
                .join("~")
        })
        .boxed()
}

/// A value with every field near the grammar and a correct check.
fn near_value() -> impl Strategy<Value = String> {
    let fields = (
        near_field(Just("1".into()).boxed(), "0|2|01|".boxed()),
        near_field(
            "[0-9a-f]{32}".boxed(),
            "[0-9a-f]{31}|[0-9a-f]{33}|[0-9a-fA-F]{32}|[0-9a-g]{32}".boxed(),
        ),
        near_field(
            (1u32..=1_000_000_000).prop_map(|n| n.to_string()).boxed(),
            decimal_text(),
        ),
        times(),
        prop_oneof![
            3 => Just((0u64, 0u64, 0u64, 0u8)),
            1 => (0u64..3, 0u64..3, prop_oneof![Just(MAX_LIFETIME_SECS), Just(MAX_LIFETIME_SECS + 1), Just(0u64)], 0u8..4),
        ],
        near_field("1[01]{3}".boxed(), "[01]{3,5}|1[0-2]{3}".boxed()),
        near_field("[0-3]".boxed(), "|4|9|00|13".boxed()),
        service_items(),
        prop_oneof![3 => Just(None), 1 => decimal_text().prop_map(Some)],
    );
    fields.prop_map(
        |(
            version,
            id,
            revision,
            (d, u, e),
            (dd, du, de, which),
            cats,
            gpc,
            services,
            broken_time,
        )| {
            // Nudge the times onto (or just over) their relations' edges.
            let (d, u, e) = match which {
                1 => (u + dd, u, e),               // decided after updated when dd > 0
                2 => (d, u, u + de),               // lifetime exactly, just over, or zero
                3 => (d, u.saturating_sub(du), e), // updated before decided when du > d - u
                _ => (d, u, e),
            };
            let mut times = [d.to_string(), u.to_string(), e.to_string()];
            if let Some(t) = broken_time {
                times[(d % 3) as usize] = t;
            }
            let [d, u, e] = times;
            sign(&[version, id, revision, d, u, e, cats, gpc, services].join("."))
        },
    )
}

/// One edit of a text: flip a bit, replace, insert or delete a byte, or truncate it.
#[derive(Clone, Debug)]
enum Edit {
    Flip(prop::sample::Index, u8),
    Replace(prop::sample::Index, u8),
    Insert(prop::sample::Index, u8),
    Delete(prop::sample::Index),
    Truncate(prop::sample::Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let byte = prop_oneof![
        3 => prop::sample::select(b"0123456789abcdefgAF.~:-_ ".to_vec()),
        1 => any::<u8>(),
    ];
    prop_oneof![
        (any::<prop::sample::Index>(), 0u8..8).prop_map(|(i, bit)| Edit::Flip(i, bit)),
        (any::<prop::sample::Index>(), byte.clone()).prop_map(|(i, b)| Edit::Replace(i, b)),
        (any::<prop::sample::Index>(), byte).prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<prop::sample::Index>().prop_map(Edit::Delete),
        any::<prop::sample::Index>().prop_map(Edit::Truncate),
    ]
}

fn apply(s: &[u8], e: &Edit) -> Vec<u8> {
    let mut b = s.to_vec();
    match e {
        Edit::Flip(i, bit) => {
            let i = i.index(b.len());
            b[i] ^= 1 << bit;
        }
        Edit::Replace(i, byte) => {
            let i = i.index(b.len());
            b[i] = *byte;
        }
        Edit::Insert(i, byte) => b.insert(i.index(b.len() + 1), *byte),
        Edit::Delete(i) => {
            b.remove(i.index(b.len()));
        }
        Edit::Truncate(i) => b.truncate(i.index(b.len())),
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn valid_records_round_trip(r in arb_record()) {
        let s = encode(&r);
        prop_assert!(spec_accepts(s.as_bytes()), "the generator makes valid records: {}", s);
        prop_assert_eq!(decode(&s), Some(r.clone()));
        let c = parse(s.as_bytes()).unwrap();
        prop_assert_eq!(c.to_record(), r.clone());
        // The in-place cookie's JSON says the same as the record.
        let mut json = String::new();
        c.write_json(&mut json);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&v["id"], &serde_json::json!(r.id));
        prop_assert_eq!(&v["expiresAt"], &serde_json::json!(r.expires_at));
        prop_assert_eq!(&v["categories"]["marketing"], &serde_json::json!(r.categories[3]));
        let services = v["services"].as_object().unwrap();
        prop_assert_eq!(services.len(), r.services.len());
        for (id, on) in &r.services {
            prop_assert_eq!(&services[id.as_str()], &serde_json::json!(on));
        }
    }

    /// Arbitrary bytes: the codec agrees with the grammar (and so, in
    /// practice, refuses them) and never panics.
    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        agrees_with_the_grammar(&bytes)?;
    }

    #[test]
    fn arbitrary_strings(s in "\\PC{0,200}|[0-9a-f.~:]{0,120}") {
        agrees_with_the_grammar(s.as_bytes())?;
    }

    /// Values near the grammar with a correct check: here the grammar's
    /// rules, not the check, decide, and many of them are valid.
    #[test]
    fn near_values_agree_with_the_grammar(s in near_value()) {
        agrees_with_the_grammar(s.as_bytes())?;
    }

    /// One edit of a valid value: rejected, or a value that validly spells
    /// its own record. A replaced byte (or flipped bit) always changes
    /// FNV-1a's result (each step is a bijection), so it is always rejected.
    #[test]
    fn one_edit_of_a_valid_value(r in arb_record(), e in edit()) {
        let original = encode(&r);
        let edited = apply(original.as_bytes(), &e);
        agrees_with_the_grammar(&edited)?;
        if matches!(e, Edit::Replace(..) | Edit::Flip(..)) && edited != original.as_bytes() {
            prop_assert_eq!(parse(&edited), None);
        }
    }

    /// One edit of a valid value's body, then a correct check: the grammar
    /// alone decides, and whatever passes spells its record canonically.
    #[test]
    fn one_edit_of_a_body_then_signed(r in arb_record(), e in edit()) {
        let original = encode(&r);
        let edited = apply(body(&original).as_bytes(), &e);
        let Ok(edited) = String::from_utf8(edited) else { return Ok(()) };
        agrees_with_the_grammar(sign(&edited).as_bytes())?;
    }
}

#[test]
fn the_grammar_reading_is_itself_checked() {
    // spec_accepts must not be trivially false (or true): valid values pass it.
    assert!(spec_accepts(encode(&record()).as_bytes()));
    assert!(spec_accepts(encode(&record_of_length(MAX_LEN)).as_bytes()));
    assert!(!spec_accepts(
        encode(&record_of_length(MAX_LEN + 1)).as_bytes()
    ));
    assert!(!spec_accepts(b""));
}

#[test]
fn near_values_are_often_valid() {
    // The generator must exercise both sides of the grammar, or the property above proves little.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut valid, total) = (0, 400);
    for _ in 0..total {
        let s = near_value().new_tree(&mut runner).unwrap().current();
        valid += usize::from(spec_accepts(s.as_bytes()));
    }
    assert!(
        (total / 20..total * 19 / 20).contains(&valid),
        "{valid} of {total} valid"
    );
}

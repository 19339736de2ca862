//! The golden vectors of the consent cookie, `tests/vectors/cookies.json`:
//! written from the Rust encoder ([`codec::encode`]) and checked here, so
//! `cargo test` fails when the file is stale. Regenerate it with
//! `UPDATE_VECTORS=1 cargo test --test vectors`.
//!
//! Every reader (Rust here; JavaScript, Python and PHP in tests/readers.rs)
//! must return each valid vector's record at `now` and nothing for every
//! invalid one.
#![cfg(not(target_arch = "wasm32"))]

use consent_gate::model::codec::{self, fnv1a32, push_hex, MAX_LEN};
use consent_gate::model::record::Record;
use consent_gate::model::time::iso8601;
use consent_gate::native::cookie::read_consent;
use serde_json::{json, Value};

const PATH: &str = "tests/vectors/cookies.json";
/// The fixed "now" of the vectors: 2026-01-01T00:00:00Z.
const NOW: u64 = 1_767_225_600;
const DAY: u64 = 86_400;

fn record() -> Record {
    Record {
        id: "9f86d081884c7d659a2feaa0c55ad015".into(),
        revision: 2,
        decided_at: 1_763_830_800,
        updated_at: 1_763_830_800,
        expires_at: 1_779_555_600,
        categories: [true, true, false, false],
        services: vec![
            ("ads-pixel".into(), false),
            ("google-analytics".into(), true),
        ],
        gpc: false,
        opt_out: false,
    }
}

/// `body` with its check appended.
fn seal(body: &str) -> String {
    let mut s = format!("{body}.");
    push_hex(&mut s, u64::from(fnv1a32(body.as_bytes())), 8);
    s
}

/// The fields of `r`'s value before the check.
fn fields(r: &Record) -> Vec<String> {
    let v = codec::encode(r);
    let body = v.rsplit_once('.').unwrap().0;
    body.split('.').map(String::from).collect()
}

/// The base value with field `i` replaced, check recomputed.
fn with(i: usize, field: &str) -> String {
    let mut f = fields(&record());
    f[i] = field.into();
    seal(&f.join("."))
}

/// The record as `ConsentGate.get()` shows it, built from the encoder's input.
fn expected(r: &Record) -> Value {
    let names = ["essential", "performance", "functional", "marketing"];
    let categories: serde_json::Map<String, Value> = names
        .iter()
        .zip(r.categories)
        .map(|(n, on)| (n.to_string(), Value::Bool(on)))
        .collect();
    let services: serde_json::Map<String, Value> = r
        .services
        .iter()
        .map(|(id, on)| (id.clone(), Value::Bool(*on)))
        .collect();
    let mut record = json!({
        "id": r.id,
        "revision": r.revision,
        "decidedAt": iso8601(r.decided_at),
        "updatedAt": iso8601(r.updated_at),
        "expiresAt": iso8601(r.expires_at),
        "categories": categories,
        "services": services,
        "gpc": r.gpc,
    });
    // Only a decision taken in an opt-out region carries its mode.
    if r.opt_out {
        record["mode"] = json!("opt-out");
    }
    record
}

fn services(ids: impl IntoIterator<Item = String>) -> Vec<(String, bool)> {
    ids.into_iter()
        .enumerate()
        .map(|(i, id)| (id, i % 3 != 0))
        .collect()
}

/// 64 services whose ids are padded so the whole value is `len` bytes.
fn value_of_length(len: usize) -> Record {
    let mut r = record();
    r.services = services((0..64).map(|i| format!("s{i:02}-")));
    let mut total = codec::encode(&r).len();
    for (id, _) in &mut r.services {
        while total < len && id.len() < 64 {
            id.push('x');
            total += 1;
        }
    }
    assert_eq!(codec::encode(&r).len(), len);
    r
}

fn valid() -> Vec<(&'static str, Record)> {
    let base = record();
    let mut out = vec![("readme-example", base.clone())];
    let mut add = |name, f: &dyn Fn(&mut Record)| {
        let mut r = record();
        f(&mut r);
        out.push((name, r));
    };
    add("no-services-all-granted-gpc", &|r| {
        r.services.clear();
        r.categories = [true; 4];
        r.gpc = true;
    });
    add("reject-all", &|r| {
        r.categories = [true, false, false, false];
        r.services = vec![
            ("ads-pixel".into(), false),
            ("google-analytics".into(), false),
        ];
    });
    add("functional-and-marketing-only", &|r| {
        r.categories = [true, false, true, true];
        r.services.clear();
    });
    add("updated-after-decided", &|r| {
        r.decided_at = 1_700_000_000;
        r.updated_at = 1_766_000_000;
        r.expires_at = 1_766_000_000 + 182 * DAY;
        r.id = "0123456789abcdef0123456789abcdef".into();
    });
    add("lifetime-exactly-395-days", &|r| {
        r.updated_at = NOW - DAY;
        r.decided_at = NOW - 2 * DAY;
        r.expires_at = r.updated_at + 395 * DAY;
    });
    add("expires-one-second-after-now", &|r| {
        r.updated_at = NOW - 10 * DAY;
        r.decided_at = r.updated_at;
        r.expires_at = NOW + 1;
    });
    add("decided-at-zero", &|r| {
        r.decided_at = 0;
        r.updated_at = NOW;
        r.expires_at = NOW + DAY;
    });
    add("decided-in-the-future", &|r| {
        r.decided_at = NOW + DAY;
        r.updated_at = NOW + DAY;
        r.expires_at = NOW + 2 * DAY;
    });
    add("eleven-digit-times", &|r| {
        r.decided_at = 99_998_000_000;
        r.updated_at = 99_999_000_000;
        r.expires_at = 99_999_999_999;
    });
    add("revision-1", &|r| r.revision = 1);
    add("revision-max", &|r| r.revision = 1_000_000_000);
    add("one-service", &|r| r.services = vec![("x".into(), true)]);
    add("service-byte-order", &|r| {
        r.services = services(["0", "9", "a-b", "a0", "a_b", "ab", "z"].map(String::from));
    });
    add("service-id-64-chars", &|r| {
        r.services = vec![("a".repeat(63) + "z", true), ("b".into(), false)];
    });
    add("64-services", &|r| {
        r.services = services((0..64).map(|i| format!("svc-{i:02}")));
    });
    add("opt-out-mode", &|r| {
        r.categories = [true, true, true, false];
        r.opt_out = true;
    });
    add("opt-out-mode-gpc-no-services", &|r| {
        r.services.clear();
        r.categories = [true, true, true, false];
        r.gpc = true;
        r.opt_out = true;
    });
    out.push(("exactly-3072-bytes", value_of_length(MAX_LEN)));
    out
}

fn invalid() -> Vec<(String, String)> {
    let v = codec::encode(&record());
    let body = v.rsplit_once('.').unwrap().0.to_string();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |name: &str, value: String| out.push((name.to_string(), value));

    // Truncations.
    for n in [
        0, 1, 2, 3, 10, 34, 35, 36, 37, 48, 59, 70, 75, 76, 77, 78, 79, 95, 100,
    ] {
        add(&format!("truncated-to-{n}"), v[..n].to_string());
    }
    for n in 1..=7 {
        add(&format!("last-{n}-chars-cut"), v[..v.len() - n].to_string());
    }
    add("check-missing", body.clone());
    add("check-missing-dot-kept", format!("{body}."));

    // Checks.
    let check = &v[v.len() - 8..];
    for i in 0..8 {
        let mut c: Vec<u8> = check.bytes().collect();
        c[i] = if c[i] == b'0' { b'1' } else { b'0' };
        add(
            &format!("check-digit-{i}-wrong"),
            format!("{body}.{}", String::from_utf8(c).unwrap()),
        );
    }
    add(
        "check-uppercase",
        format!("{body}.{}", check.to_uppercase()),
    );
    add("check-7-digits", format!("{body}.{}", &check[1..]));
    add("check-9-digits", format!("{body}.0{check}"));
    add("check-zero", format!("{body}.00000000"));
    add("check-with-0x", format!("{body}.0x{check}"));
    let fnv1 = body.bytes().fold(0x811c_9dc5u32, |h, b| {
        h.wrapping_mul(0x0100_0193) ^ u32::from(b)
    });
    add("check-fnv1-not-fnv1a", format!("{body}.{fnv1:08x}"));
    add("check-over-body-and-dot", {
        let mut s = format!("{body}.");
        let check = fnv1a32(s.as_bytes());
        push_hex(&mut s, u64::from(check), 8);
        s
    });
    add(
        "check-of-another-value",
        format!("{}.{check}", body.replace(".1100.", ".1111.")),
    );
    add(
        "readme-example-as-printed-before",
        "1.9f86d081884c7d659a2feaa0c55ad015.2.1763830800.1763830800.1779555600.1100.0.google-analytics:1~ads-pixel:0.5e1b0c2a".into(),
    );

    // Version.
    for (name, f) in [
        ("2", "2"),
        ("0", "0"),
        ("01", "01"),
        ("empty", ""),
        ("v1", "v1"),
        ("1a", "1a"),
    ] {
        add(&format!("version-{name}"), with(0, f));
    }
    // Id.
    let id = record().id;
    add("id-uppercase-hex", with(1, &id.to_uppercase()));
    add(
        "id-one-uppercase-digit",
        with(1, &format!("9F{}", &id[2..])),
    );
    add("id-31-digits", with(1, &id[1..]));
    add("id-33-digits", with(1, &format!("{id}0")));
    add("id-non-hex", with(1, &format!("g{}", &id[1..])));
    add("id-empty", with(1, ""));
    add(
        "id-uuid-dashes",
        with(1, "9f86d081-884c-7d65-9a2f-eaa0c55ad015"),
    );
    // Revision.
    for (name, f) in [
        ("0", "0"),
        ("leading-zero", "02"),
        ("above-max", "1000000001"),
        ("10-digits-u32-overflow", "4294967297"),
        ("11-digits", "10000000000"),
        ("empty", ""),
        ("negative", "-1"),
        ("plus", "+2"),
        ("exponent", "2e0"),
        ("decimal", "2.0"),
        ("space", " 2"),
        ("fullwidth-digit", "\u{ff12}"),
        ("arabic-indic-digit", "\u{0662}"),
    ] {
        add(&format!("revision-{name}"), with(2, f));
    }
    // Times.
    for (i, field) in [(3, "decided"), (4, "updated"), (5, "expires")] {
        let good = fields(&record())[i].clone();
        for (name, f) in [
            ("leading-zero", format!("0{good}")),
            ("empty", String::new()),
            ("negative", format!("-{good}")),
            ("12-digits", "100000000000".into()),
            ("fraction", format!("{good}.5")),
            ("hex", format!("0x{good}")),
            ("arabic-indic-digit", format!("{}\u{0663}", &good[1..])),
        ] {
            add(&format!("{field}-{name}"), with(i, &f));
        }
    }
    let times = |d: u64, u: u64, e: u64| {
        let mut r = record();
        (r.decided_at, r.updated_at, r.expires_at) = (d, u, e);
        codec::encode(&r)
    };
    add("decided-after-updated", times(NOW, NOW - 1, NOW + DAY));
    add("updated-equals-expires", times(NOW, NOW + DAY, NOW + DAY));
    add(
        "updated-after-expires",
        times(NOW, NOW + 2 * DAY, NOW + DAY),
    );
    add(
        "lifetime-395-days-plus-1-second",
        times(NOW - DAY, NOW - DAY, NOW - DAY + 395 * DAY + 1),
    );
    add("lifetime-396-days", times(NOW, NOW, NOW + 396 * DAY));
    add("expired-exactly-at-now", times(NOW - DAY, NOW - DAY, NOW));
    add(
        "expired-one-second-before-now",
        times(NOW - DAY, NOW - DAY, NOW - 1),
    );
    add("expired-long-ago", times(0, 0, 1));
    add("times-all-zero", times(0, 0, 0));
    // Categories.
    for (name, f) in [
        ("essential-refused", "0100"),
        ("essential-refused-rest-granted", "0111"),
        ("3-flags", "110"),
        ("5-flags", "11000"),
        ("letter", "11a0"),
        ("digit-2", "2100"),
        ("empty", ""),
        ("space", "1 00"),
        ("words", "true"),
    ] {
        add(&format!("categories-{name}"), with(6, f));
    }
    // Flags (GPC, opt-out mode).
    for (name, f) in [
        ("4", "4"),
        ("9", "9"),
        ("empty", ""),
        ("two-flags", "00"),
        ("two-digits", "12"),
        ("letter", "t"),
        ("o", "o"),
        ("minus-1", "-1"),
    ] {
        add(&format!("gpc-{name}"), with(7, f));
    }
    // Services.
    let long = "a".repeat(65);
    let too_many: Vec<String> = (0..65).map(|i| format!("s{i:02}:1")).collect();
    for (name, f) in [
        ("unsorted", "google-analytics:1~ads-pixel:0".to_string()),
        ("duplicate", "ads-pixel:0~ads-pixel:0".into()),
        (
            "duplicate-different-grant",
            "ads-pixel:0~ads-pixel:1".into(),
        ),
        ("uppercase-id", "Ads-pixel:0".into()),
        ("id-starts-with-dash", "-ads:1".into()),
        ("id-starts-with-underscore", "_ads:1".into()),
        ("id-65-chars", format!("{long}:1")),
        ("65-services", too_many.join("~")),
        ("missing-colon", "ads1".into()),
        ("grant-2", "ads:2".into()),
        ("grant-empty", "ads:".into()),
        ("grant-true", "ads:true".into()),
        ("id-empty", ":1".into()),
        ("trailing-tilde", "ads:1~".into()),
        ("leading-tilde", "~ads:1".into()),
        ("double-tilde", "ads:1~~b:1".into()),
        ("comma-separated", "ads:1,b:1".into()),
        ("two-colons", "ads:1:1".into()),
        ("space-in-id", "a ds:1".into()),
        ("non-ascii-id", "\u{e4}ds:1".into()),
        ("category-style-id-with-dot", "ads.pixel:1".into()),
        (
            "percent-encoded-tilde",
            "ads-pixel:0%7Egoogle-analytics:1".into(),
        ),
    ] {
        add(&format!("services-{name}"), with(8, &f));
    }
    // The mode is a flag, never a field of its own.
    add("mode-as-extra-field", seal(&format!("{body}.opt-out")));
    // Structure and framing.
    add("extra-field-before-check", seal(&format!("{body}.1")));
    add("extra-empty-field-before-check", seal(&format!("{body}.")));
    add("extra-field-in-front", seal(&format!("1.{body}")));
    add(
        "missing-services-field",
        seal(&fields(&record())[..8].join(".")),
    );
    add("two-checks", format!("{v}.{check}"));
    add("leading-space", format!(" {v}"));
    add("trailing-space", format!("{v} "));
    add("trailing-newline", format!("{v}\n"));
    add("trailing-crlf", format!("{v}\r\n"));
    add("tab-inside", v.replacen('.', ".\t", 1));
    add("nul-at-end", format!("{v}\0"));
    add("double-quoted", format!("\"{v}\""));
    add("cookie-pair-not-value", format!("consent_gate={v}"));
    add("percent-encoded-dots", v.replace('.', "%2E"));
    add(
        "base64-of-value",
        "MS45Zjg2ZDA4MTg4NGM3ZDY1OWEyZmVhYTBjNTVhZDAxNQ==".into(),
    );
    add(
        "json-record",
        r#"{"id":"9f86d081884c7d659a2feaa0c55ad015","revision":2}"#.into(),
    );
    add("only-dots", ".".repeat(9));
    add("single-dot", ".".into());
    add(
        "oversized-3073-bytes",
        codec::encode(&value_of_length(MAX_LEN + 1)),
    );
    add(
        "oversized-10000-bytes",
        format!("{v}{}", "0".repeat(10_000)),
    );
    out
}

fn document() -> Value {
    let valid: Vec<Value> = valid()
        .iter()
        .map(|(name, r)| json!({ "name": name, "value": codec::encode(r), "record": expected(r) }))
        .collect();
    let invalid: Vec<Value> = invalid()
        .iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect();
    json!({
        "about": "Golden vectors of the consent cookie (README.md, section The consent cookie). Each reader must return `record` for every valid `value` at `now` (Unix seconds) and null/None for every invalid one. Written by tests/vectors.rs from the Rust encoder: UPDATE_VECTORS=1 cargo test --test vectors",
        "now": NOW,
        "nowIso": iso8601(NOW),
        "valid": valid,
        "invalid": invalid,
    })
}

#[test]
fn the_file_is_up_to_date() {
    let text = serde_json::to_string_pretty(&document()).unwrap() + "\n";
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        std::fs::create_dir_all("tests/vectors").unwrap();
        std::fs::write(PATH, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(PATH).unwrap_or_default();
    assert!(
        on_disk == text,
        "{PATH} is stale: regenerate it with UPDATE_VECTORS=1 cargo test --test vectors"
    );
}

#[test]
fn enough_distinct_vectors() {
    let (valid, invalid) = (valid(), invalid());
    assert!(
        valid.len() >= 15 && invalid.len() >= 100,
        "{} / {}",
        valid.len(),
        invalid.len()
    );
    let mut names: Vec<String> = valid.iter().map(|(n, _)| n.to_string()).collect();
    names.extend(invalid.iter().map(|(n, _)| n.clone()));
    let mut values: Vec<String> = valid.iter().map(|(_, r)| codec::encode(r)).collect();
    values.extend(invalid.iter().map(|(_, v)| v.clone()));
    for list in [&mut names, &mut values] {
        let n = list.len();
        list.sort();
        list.dedup();
        assert_eq!(list.len(), n, "names and values are unique");
    }
}

#[test]
fn the_rust_reader_passes_every_vector() {
    for (name, r) in valid() {
        let value = codec::encode(&r);
        let consent = read_consent(&value, NOW).unwrap_or_else(|| panic!("{name}: refused"));
        let got: Value = serde_json::from_str(&consent.to_json()).unwrap();
        assert_eq!(got, expected(&r), "{name}");
        assert_eq!(
            codec::decode(&value).as_ref(),
            Some(&r),
            "{name}: round trip"
        );
    }
    for (name, value) in invalid() {
        assert!(
            read_consent(&value, NOW).is_none(),
            "{name}: accepted {value:?}"
        );
        // Everything but the expired ones is off-grammar at any time.
        if !name.starts_with("expired") {
            assert!(codec::decode(&value).is_none(), "{name}: decodes");
        }
    }
}

#[test]
fn the_file_holds_what_the_readers_are_tested_on() {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(PATH).unwrap()).unwrap();
    assert_eq!(doc["now"], NOW);
    for v in doc["valid"].as_array().unwrap() {
        let c = read_consent(v["value"].as_str().unwrap(), NOW).expect("valid");
        assert_eq!(
            serde_json::from_str::<Value>(&c.to_json()).unwrap(),
            v["record"]
        );
    }
    for v in doc["invalid"].as_array().unwrap() {
        assert!(
            read_consent(v["value"].as_str().unwrap(), NOW).is_none(),
            "{}",
            v["name"]
        );
    }
}

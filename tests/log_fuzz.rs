//! Fuzzing the posting endpoint: well over 1,000 malformed bodies (every
//! truncation, wrong types at every field, missing and extra keys, bad ids,
//! wrong dates, bad URLs, huge fields, broken encodings). Each must get 400
//! (or 413 when over the size limit) and the database must stay empty.

mod log_support;

use log_support::*;
use serde_json::{json, Value};

/// The README's body as a JSON value, with `f` applied.
fn edited(f: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut v: Value = serde_json::from_str(README_BODY).unwrap();
    f(&mut v);
    serde_json::to_vec(&v).unwrap()
}

/// Every leaf of `v` as a JSON pointer, with its value.
fn leaves(v: &Value, at: String, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                leaves(x, format!("{at}/{k}"), out);
            }
        }
        _ => out.push((at, v.clone())),
    }
}

fn same_kind(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b) || (a.is_u64() && b.is_u64())
}

fn bodies() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |what: String, b: Vec<u8>| out.push((what, b));

    // 1. Every truncation of the README body and of a compact body.
    for base in [README_BODY.to_string(), Decision::nth(1).body()] {
        for n in 0..base.len() {
            if base.is_char_boundary(n) {
                add(format!("truncated at {n}"), base.as_bytes()[..n].to_vec());
            }
        }
    }

    // 2. A wrong type at every field, and every field missing.
    let readme: Value = serde_json::from_str(README_BODY).unwrap();
    let mut all = Vec::new();
    leaves(&readme, String::new(), &mut all);
    let wrong = [
        json!(null),
        json!(0),
        json!(-1),
        json!(1.5),
        json!("1"),
        json!(true),
        json!([]),
        json!({}),
        json!(1e300),
    ];
    for (path, orig) in &all {
        for w in &wrong {
            if same_kind(orig, w) {
                continue;
            }
            add(
                format!("{path} = {w}"),
                edited(|v| *v.pointer_mut(path).unwrap() = w.clone()),
            );
        }
        let (parent, key) = path.rsplit_once('/').unwrap();
        // Without its one service the record is still valid: every other leaf is required.
        if parent != "/record/services" {
            let key = key.to_string();
            add(
                format!("{path} missing"),
                edited(|v| {
                    v.pointer_mut(parent)
                        .unwrap()
                        .as_object_mut()
                        .unwrap()
                        .remove(&key);
                }),
            );
        }
    }
    for key in ["record", "configRevision", "url", "userAgent"] {
        add(
            format!("no {key}"),
            edited(|v| {
                v.as_object_mut().unwrap().remove(key);
            }),
        );
    }
    for key in [
        "id",
        "revision",
        "decidedAt",
        "updatedAt",
        "expiresAt",
        "categories",
        "services",
        "gpc",
    ] {
        add(
            format!("no record.{key}"),
            edited(|v| {
                v["record"].as_object_mut().unwrap().remove(key);
            }),
        );
    }
    for (path, extra) in [
        ("", "ip"),
        ("", "Record"),
        ("/record", "extra"),
        ("/record", "Mode"),
    ] {
        add(
            format!("extra key {path}/{extra}"),
            edited(|v| {
                v.pointer_mut(path)
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .insert(extra.into(), json!(1));
            }),
        );
    }
    for top in [json!(null), json!([]), json!("record"), json!(1), json!({})] {
        add(
            format!("top-level {top}"),
            serde_json::to_vec(&top).unwrap(),
        );
    }

    // 3. Bad values of the right type.
    let s = |x: &str| json!(x);
    let bad_strings: Vec<(&str, Vec<Value>)> = vec![
        (
            "/record/id",
            vec![
                s(""),
                s("9F86D081884C7D659A2FEAA0C55AD015"),
                s("9f86d081884c7d659a2feaa0c55ad01"),
                s("9f86d081884c7d659a2feaa0c55ad0150"),
                s("9f86d081884c7d659a2feaa0c55ad01g"),
                s(" 9f86d081884c7d659a2feaa0c55ad015"),
                s("9f86d081-884c-7d65-9a2f-eaa0c55ad015"),
                s("../../../../etc/passwd0000000000"),
                s("9f86d081884c7d659a2feaa0c55ad01\u{e9}"),
            ],
        ),
        (
            "/record/decidedAt",
            vec![
                s(""),
                s("2026-11-22"),
                s("2026-11-22T18:20:02Z"),
                s("2026-11-22T18:20:02.001Z"),
                s("2026-11-22T18:20:02.000+00:00"),
                s("2026-11-22 18:20:02.000Z"),
                s("2026-02-30T18:20:02.000Z"),
                s("2026-13-22T18:20:02.000Z"),
                s("1969-12-31T23:59:59.000Z"),
                s("2026-11-22T25:20:02.000Z"),
                s("2026-11-22T18:20:02.000z"),
                s("+2026-11-22T18:20:02.000Z"),
                s("2026-11-23T18:20:02.000Z"),
                s("1763830800"),
                s("Sun, 22 Nov 2026 18:20:02 GMT"),
            ],
        ),
        (
            "/record/updatedAt",
            vec![
                s("2026-11-22T18:20:01.000Z"),
                s("2027-05-24T18:25:40.000Z"),
                s("2027-06-24T18:25:40.000Z"),
                s("2026-11-22T18:25:40.000"),
                s("2026-11-22T18:25:60.000Z"),
            ],
        ),
        (
            "/record/expiresAt",
            vec![
                s("2026-11-22T18:25:40.000Z"),
                s("2026-11-22T18:25:39.000Z"),
                s("2027-12-22T18:25:41.000Z"),
                s("9999-12-31T23:59:59.000Z"),
                s("2027-05-24T18:25:40.500Z"),
            ],
        ),
        (
            "/url",
            vec![
                s(""),
                s("/courses/intro"),
                s("www.example.com/courses"),
                s("ftp://www.example.com/"),
                s("javascript:alert(1)"),
                s("https://www.example.com/courses?email=a%40b.c"),
                s("https://www.example.com/courses#top"),
                s("https://user:pw@www.example.com/"),
                s("https:///path"),
                s("https://www.example.com/a b"),
                s("https://www.example.com/\t"),
                json!(format!("https://www.example.com/{}", "a".repeat(2100))),
            ],
        ),
        (
            "/userAgent",
            vec![
                s("Mozilla\n5.0"),
                s("a\u{0}b"),
                s("\u{7f}"),
                json!("U".repeat(1100)),
            ],
        ),
        (
            "/record/mode",
            vec![s(""), s("opt_out"), s("OPT-OUT"), s("off"), s("opt-in ")],
        ),
    ];
    for (path, values) in bad_strings {
        for x in values {
            let label = format!(
                "{path} = {}",
                x.to_string().chars().take(60).collect::<String>()
            );
            add(
                label,
                edited(|v| {
                    let (parent, key) = path.rsplit_once('/').unwrap();
                    v.pointer_mut(if parent.is_empty() { "" } else { parent })
                        .unwrap()[key] = x;
                }),
            );
        }
    }
    for n in [0u64, 1_000_000_001, 4_294_967_296, u64::MAX] {
        add(
            format!("revision {n}"),
            edited(|v| v["record"]["revision"] = json!(n)),
        );
        add(
            format!("configRevision {n}"),
            edited(|v| v["configRevision"] = json!(n)),
        );
    }
    for n in [-1i64, -2_147_483_648] {
        add(
            format!("revision {n}"),
            edited(|v| v["record"]["revision"] = json!(n)),
        );
    }
    add(
        "revision 2.0".into(),
        README_BODY
            .replacen("\"revision\": 2", "\"revision\": 2.0", 1)
            .into_bytes(),
    );
    add(
        "revision 2e0".into(),
        README_BODY
            .replacen("\"revision\": 2", "\"revision\": 2e0", 1)
            .into_bytes(),
    );

    // Categories: essential refused, unknown, duplicated through an alias, a non-boolean.
    for (from, to) in [
        ("\"essential\": true", "\"essential\": false"),
        ("\"marketing\": false", "\"tracking\": false"),
        ("\"functional\": false", "\"analytics\": false"),
        (
            "\"functional\": false",
            "\"functional\": false, \"preferences\": true",
        ),
        (
            "\"functional\": false",
            "\"functional\": false, \"functional\": true",
        ),
        ("\"marketing\": false", "\"marketing \": false"),
        ("\"marketing\": false", "\"\": false"),
        ("\"performance\": true", "\"performance\": \"true\""),
    ] {
        add(
            format!("categories {to}"),
            README_BODY.replacen(from, to, 1).into_bytes(),
        );
    }
    // Services: bad ids, duplicates, too many, wrong values.
    for bad in [
        "Google-Analytics",
        "google analytics",
        "-ga",
        "_ga",
        "",
        "ga.4",
        "ga/4",
        "gä",
        &"s".repeat(65),
    ] {
        add(
            format!("service {bad:?}"),
            edited(|v| v["record"]["services"][bad] = json!(true)),
        );
    }
    add(
        "duplicate service".into(),
        README_BODY
            .replacen(
                "{ \"google-analytics\": true }",
                "{ \"ga\": true, \"ga\": false }",
                1,
            )
            .into_bytes(),
    );
    add(
        "65 services".into(),
        edited(|v| {
            for i in 0..65 {
                v["record"]["services"][format!("svc-{i:02}")] = json!(i % 2 == 0);
            }
        }),
    );
    add(
        "service value 1".into(),
        edited(|v| v["record"]["services"]["google-analytics"] = json!(1)),
    );

    // 4. Not JSON text at all, or broken encodings.
    for raw in [
        &b"not json"[..],
        b"\xef\xbb\xbf{}",
        b"\xff\xfe{\x00}\x00",
        b"{\"record\": \"\xff\"}",
        b"\x00",
        b"{}{}",
        b"[",
        b"{\"record\":",
        b"nul",
        b"{\"record\": {}}",
        b"\"\\ud800\"",
    ] {
        add(
            format!("raw {:?}", String::from_utf8_lossy(raw)),
            raw.to_vec(),
        );
    }
    let mut trailing = README_BODY.as_bytes().to_vec();
    trailing.extend_from_slice(b" x");
    add("trailing garbage".into(), trailing);
    add(
        "two bodies".into(),
        format!("{README_BODY}{README_BODY}").into_bytes(),
    );
    add(
        "deep nesting".into(),
        format!("{}{}", "[".repeat(4000), "]".repeat(4000)).into_bytes(),
    );
    let bomb = format!(
        "{{\"record\": {}1{}}}",
        "{\"a\":".repeat(1000),
        "}".repeat(1000)
    );
    add("deep objects".into(), bomb.into_bytes());

    // 5. Huge fields and bodies: over the 8 KB limit (413).
    add(
        "huge user agent".into(),
        edited(|v| v["userAgent"] = json!("U".repeat(9000))),
    );
    add(
        "huge id".into(),
        edited(|v| v["record"]["id"] = json!("a".repeat(100_000))),
    );
    add(
        "huge padding".into(),
        format!("{README_BODY}{}", " ".repeat(10_000)).into_bytes(),
    );
    add("1 MB".into(), vec![b'{'; 1 << 20]);
    out
}

#[test]
fn malformed_bodies_store_nothing() {
    let dir = TempDir::new("fuzz");
    let db = dir.sqlite("log.db");
    let server = Server::start(&db, &["--rate-limit", "0"]);
    let cases = bodies();
    assert!(cases.len() >= 1000, "only {} cases", cases.len());
    // The control: the unmodified body is accepted by this very server.
    let addr = server.addr;
    let chunks: Vec<Vec<(String, Vec<u8>)>> = cases
        .chunks(cases.len().div_ceil(4))
        .map(|c| c.to_vec())
        .collect();
    let results: Vec<(String, u16, usize)> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(what, body)| {
                            let r = request(
                                addr,
                                "POST",
                                "/consent-log",
                                &[("Content-Type", "text/plain")],
                                body,
                            );
                            (what.clone(), r.status, body.len())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut too_large = 0;
    for (what, status, len) in &results {
        if *len > 8192 {
            assert_eq!(*status, 413, "{what} ({len} bytes)");
            too_large += 1;
        } else {
            assert_eq!(*status, 400, "{what} ({len} bytes)");
        }
    }
    assert!(too_large >= 4);
    assert_eq!(count_rows(&db), 0, "no malformed body stored anything");
    println!(
        "{} malformed bodies: {} got 400, {too_large} got 413",
        results.len(),
        results.len() - too_large
    );
    assert_eq!(
        server.post(README_BODY).status,
        204,
        "and the valid body is still taken"
    );
    assert_eq!(count_rows(&db), 1);
}

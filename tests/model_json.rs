#![cfg(not(target_arch = "wasm32"))]
//! The JSON reader against serde_json as the oracle.
//!
//! Documents are generated as text (floats with fractions and exponents,
//! every escape, surrogate pairs, raw non-ASCII, odd whitespace, duplicate
//! keys), then read by `json::parse` and by serde_json into the model's
//! [`Value`] (its own `Deserialize`, which keeps member order and duplicates
//! and has the same depth limit). serde_json is built with `float_roundtrip`,
//! so it reads every number as the nearest f64, as `JSON.parse` does.

use consent_gate::model::json;
use consent_gate::model::value::Value;
use proptest::prelude::*;

/// What serde_json reads from `text`, in the model's terms. serde_json refuses
/// a lone surrogate escape (`"\ud800"`), which `JSON.parse` keeps and our
/// reader turns into U+FFFD (a Rust string cannot hold it): the oracle reads
/// the text with each such escape written as `\ufffd`.
fn oracle(text: &str) -> Option<Value> {
    serde_json::from_str::<Value>(&without_lone_surrogates(text)).ok()
}

/// `text` with every `\uXXXX` escape of a surrogate that is not half of a
/// pair replaced by `\ufffd`; everything else, other escapes included, as is.
fn without_lone_surrogates(text: &str) -> String {
    fn unit(b: &[u8]) -> Option<u32> {
        let hex = std::str::from_utf8(b.get(..6)?).ok()?.strip_prefix("\\u")?;
        if !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(hex, 16).ok()
    }
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match unit(&b[i..]) {
            Some(0xD800..=0xDBFF) if matches!(unit(&b[i + 6..]), Some(0xDC00..=0xDFFF)) => {
                out.extend_from_slice(&b[i..i + 12]);
                i += 12;
            }
            Some(0xD800..=0xDFFF) => {
                out.extend_from_slice(b"\\ufffd");
                i += 6;
            }
            _ if b[i] == b'\\' => {
                out.extend_from_slice(&b[i..(i + 2).min(b.len())]);
                i += 2;
            }
            _ => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("only ASCII was replaced")
}

/// Whitespace JSON allows between tokens (mostly none).
fn ws() -> BoxedStrategy<String> {
    prop_oneof![
        6 => Just(String::new()),
        1 => "[ \t\n\r]{1,3}",
    ]
    .boxed()
}

/// Number text: integers, fractions and exponents of every size, some far
/// beyond the f64 range (both readers must refuse those) or below it (zero).
fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?(0|[1-9][0-9]{0,3})",
        "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,25})?",
        "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,20})?[eE][+-]?[0-9]{1,3}",
        "-?(0|[1-9][0-9]{0,3})(\\.[0-9]{1,3})?[eE][+-]?(30[0-9]|32[0-9]|0{0,3}[0-9]{1,2})",
        "-?0\\.0{0,30}[1-9][0-9]{0,17}([eE][+-]?[0-9]{1,3})?",
        "-?[1-9][0-9]{300,320}(\\.[0-9]{1,5})?",
        Just("0e400".to_string()),
        Just("-0".to_string()),
        Just("4.9406564584124654e-324".to_string()),
        Just("2.4703282292062327e-324".to_string()),
        Just("1.7976931348623158e308".to_string()),
        Just("1.7976931348623159e308".to_string()),
    ]
}

/// One piece of a JSON string's text.
fn string_piece() -> impl Strategy<Value = String> {
    let hex4 = |n: u32, upper: bool| {
        if upper {
            format!("{n:04X}")
        } else {
            format!("{n:04x}")
        }
    };
    prop_oneof![
        4 => "[^\"\\\\\\x00-\\x1f]{1,6}",
        2 => prop::sample::select(vec!["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"])
            .prop_map(str::to_string),
        2 => (prop_oneof![0u32..0xD800, 0xE000u32..=0xFFFF], any::<bool>())
            .prop_map(move |(n, upper)| format!("\\u{}", hex4(n, upper))),
        2 => (0xD800u32..0xDC00, 0xDC00u32..0xE000, any::<bool>())
            .prop_map(move |(hi, lo, upper)| format!("\\u{}\\u{}", hex4(hi, upper), hex4(lo, upper))),
        1 => any::<char>().prop_filter("a raw character JSON allows", |c| *c >= ' ' && *c != '"' && *c != '\\')
            .prop_map(String::from),
    ]
}

fn string_text() -> impl Strategy<Value = String> {
    prop::collection::vec(string_piece(), 0..6).prop_map(|p| format!("\"{}\"", p.concat()))
}

/// A whole document as text.
fn document() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        1 => Just("null".to_string()),
        1 => Just("true".to_string()),
        1 => Just("false".to_string()),
        3 => number_text(),
        3 => string_text(),
    ];
    let value = leaf.prop_recursive(5, 48, 6, |inner| {
        let item = (ws(), inner, ws())
            .prop_map(|(a, v, b)| format!("{a}{v}{b}"))
            .boxed();
        prop_oneof![
            prop::collection::vec(item.clone(), 0..6)
                .prop_map(|items| format!("[{}]", items.join(","))),
            (
                prop::collection::vec(
                    (
                        ws(),
                        prop_oneof![string_text(), Just("\"a\"".to_string())],
                        ws(),
                        item
                    ),
                    0..6
                ),
                ws()
            )
                .prop_map(|(members, w)| {
                    let body: Vec<String> = members
                        .into_iter()
                        .map(|(a, k, b, v)| format!("{a}{k}{b}:{v}"))
                        .collect();
                    if body.is_empty() {
                        format!("{{{w}}}")
                    } else {
                        format!("{{{}}}", body.join(","))
                    }
                }),
        ]
    });
    (ws(), value, ws()).prop_map(|(a, v, b)| format!("{a}{v}{b}"))
}

/// One edit of a text: replace, insert or delete a byte, or truncate.
fn mutate(text: &str, at: prop::sample::Index, byte: u8, kind: u8) -> Vec<u8> {
    let mut b = text.as_bytes().to_vec();
    let i = at.index(b.len() + 1);
    match kind {
        0 if i < b.len() => b[i] = byte,
        1 => b.insert(i, byte),
        2 if i < b.len() => {
            b.remove(i);
        }
        _ => b.truncate(i),
    }
    b
}

/// Bytes an edit is most likely to break JSON with.
fn interesting_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => prop::sample::select(b"{}[]:,\"\\/-+.eE0123456789utfnabrx \t\n\x01\x7f".to_vec()),
        1 => any::<u8>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Generated documents read the same with both readers: equal values, or
    /// both refuse (only numbers beyond f64 are refused here).
    #[test]
    fn agrees_with_serde_json(text in document()) {
        let expected = oracle(&text);
        prop_assert_eq!(json::parse(&text), expected.clone(), "{}", text);
    }

    /// Every generated number reads as serde_json's, which is the nearest f64.
    #[test]
    fn numbers_agree_with_serde_json_and_core(text in number_text()) {
        let ours = json::parse(&text).map(|v| v.as_f64().map(f64::to_bits));
        let theirs = oracle(&text).map(|v| v.as_f64().map(f64::to_bits));
        prop_assert_eq!(ours, theirs, "{}", text);
        // Also the plain nearest f64, where it is finite (-0 aside: serde_json reads it as an integer, 0).
        let nearest: f64 = text.parse().unwrap();
        if nearest.is_finite() && text != "-0" {
            prop_assert_eq!(ours, Some(Some(nearest.to_bits())), "{}", text);
        } else if !nearest.is_finite() {
            prop_assert_eq!(ours, None, "{}", text);
        }
    }

    /// One edit of a valid document: accepted by both readers with the same
    /// value, or refused by both (a lone surrogate escape reads as U+FFFD).
    #[test]
    fn agrees_on_mutated_documents(text in document(), at in any::<prop::sample::Index>(), byte in interesting_byte(), kind in 0u8..4) {
        let bytes = mutate(&text, at, byte, kind);
        let Ok(s) = String::from_utf8(bytes) else { return Ok(()) };
        prop_assert_eq!(json::parse(&s), oracle(&s), "{}", s);
    }

    /// Arbitrary text (mostly not JSON): the same answer as serde_json.
    #[test]
    fn agrees_on_arbitrary_text(s in "[\\[\\]{}\",:0-9.eE+\\-a-z\\\\ ]{0,40}|\\PC{0,60}") {
        prop_assert_eq!(json::parse(&s), oracle(&s), "{}", s);
    }
}

#[test]
fn the_oracle_rewrites_lone_surrogates_only() {
    assert_eq!(without_lone_surrogates(r#""\ud800x""#), r#""\ufffdx""#);
    assert_eq!(
        without_lone_surrogates(r#""\uDC00\ud83d\ude00""#),
        r#""\ufffd\ud83d\ude00""#
    );
    assert_eq!(
        without_lone_surrogates(r#""\\ud800""#),
        r#""\\ud800""#,
        "an escaped backslash"
    );
    assert_eq!(
        without_lone_surrogates(r#""\ud800\u0041""#),
        r#""\ufffd\u0041""#
    );
    assert_eq!(without_lone_surrogates(r#""\ud8""#), r#""\ud8""#);
}

#[test]
fn lone_surrogates_read_as_the_replacement_character() {
    for (text, expected) in [
        (r#""\ud800""#, "\u{fffd}"),
        (r#""\udc00x""#, "\u{fffd}x"),
        (r#""\ud800\u0041""#, "\u{fffd}A"),
        (r#""\ud83d\ude00""#, "\u{1f600}"),
    ] {
        assert_eq!(
            json::parse(text),
            Some(Value::String(expected.into())),
            "{text}"
        );
    }
}

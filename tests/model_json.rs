#![cfg(not(target_arch = "wasm32"))]
//! The JSON reader agrees with serde_json on valid input and never panics on any input.

use consent_gate::model::json;
use consent_gate::model::value::Value;
use proptest::prelude::*;

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        (-1_000_000_000i64..1_000_000_000).prop_map(|n| serde_json::json!(n)),
        ".*".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(("[a-zA-Z_\\-é\"\\\\]{0,8}", inner), 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn agrees_with_serde_json(v in json_value(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { serde_json::to_string(&v).unwrap() };
        let expected: Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(json::parse(&text), Some(expected));
    }

    #[test]
    fn never_panics(s in ".{0,200}") {
        let _ = json::parse(&s);
    }

    #[test]
    fn never_panics_on_mutated_json(v in json_value(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut text = serde_json::to_string(&v).unwrap().into_bytes();
        if !text.is_empty() {
            let i = at.index(text.len());
            text[i] = byte;
        }
        if let Ok(s) = String::from_utf8(text) {
            let parsed = json::parse(&s);
            // Whatever we accept, serde_json accepts too (we are never looser).
            if parsed.is_some() {
                prop_assert!(serde_json::from_str::<serde_json::Value>(&s).is_ok(), "{s}");
            }
        }
    }
}

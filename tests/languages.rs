#![cfg(not(target_arch = "wasm32"))]
//! Every shipped language file parses, has exactly every text key, and every
//! built-in language has its file.

use std::fs;
use std::path::Path;

use consent_gate::model::i18n::{TextKey, Texts, BUILT_IN};
use consent_gate::model::json;
use consent_gate::model::value::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/pkg-template/lang");

fn files() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(DIR).expect("pkg-template/lang exists") {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let tag = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let text = fs::read_to_string(&path).unwrap();
        let value = json::parse(&text).unwrap_or_else(|| panic!("{tag}.json is not valid JSON"));
        out.push((tag, value));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_built_in_language_but_english_has_a_file_and_nothing_else_does() {
    let tags: Vec<String> = files().into_iter().map(|(t, _)| t).collect();
    let mut expected: Vec<String> = BUILT_IN.iter().filter(|t| **t != "en").map(|t| t.to_string()).collect();
    expected.sort();
    assert_eq!(tags, expected);
    assert!(Path::new(DIR).join("de.json").exists());
}

#[test]
fn every_file_has_exactly_every_key_and_no_empty_text() {
    for (tag, value) in files() {
        let Value::Object(members) = &value else { panic!("{tag}: not an object") };
        for key in TextKey::ALL {
            let text = value.get(key.as_str()).and_then(Value::as_str);
            assert!(text.is_some_and(|t| !t.trim().is_empty()), "{tag}.json: missing or empty `{}`", key.as_str());
        }
        for (name, v) in members {
            assert!(
                TextKey::parse(name).is_some() || (name == "_note" && v.as_str().is_some()),
                "{tag}.json: unexpected key `{name}`"
            );
        }
        // Loading it through the product's own path reports nothing.
        let mut diagnostics = Vec::new();
        let texts = Texts::from_value(Texts::english(), &value, "lang", &mut diagnostics);
        assert!(diagnostics.is_empty(), "{tag}.json: {diagnostics:?}");
        assert_ne!(texts.get(TextKey::AcceptAll), "", "{tag}");
    }
}

#[test]
fn texts_differ_from_english() {
    // A file that is just English copied over would pass the key check.
    let english = Texts::english();
    for (tag, value) in files() {
        let same = TextKey::ALL
            .iter()
            .filter(|k| value.get(k.as_str()).and_then(Value::as_str) == Some(english.get(**k)))
            .count();
        assert!(same <= 6, "{tag}.json: {same} texts are identical to English");
    }
}

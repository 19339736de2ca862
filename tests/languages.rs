#![cfg(not(target_arch = "wasm32"))]
//! Every shipped language file parses, has exactly every text key (the
//! placeholder and opt-out ones included) with no markup, every built-in
//! language has its file and nothing else does, and there are at least 46.

use std::fs;
use std::path::Path;

use consent_gate::model::i18n::{choose_language, is_rtl, normalise_tag, TextKey, Texts, BUILT_IN};
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
    let mut expected: Vec<String> = BUILT_IN
        .iter()
        .filter(|t| **t != "en")
        .map(|t| t.to_string())
        .collect();
    expected.sort();
    assert_eq!(tags, expected);
    assert!(Path::new(DIR).join("de.json").exists());
}

#[test]
fn every_file_has_exactly_every_key_and_no_empty_text() {
    for (tag, value) in files() {
        let Value::Object(members) = &value else {
            panic!("{tag}: not an object")
        };
        for key in TextKey::ALL {
            let text = value.get(key.as_str()).and_then(Value::as_str);
            assert!(
                text.is_some_and(|t| !t.trim().is_empty()),
                "{tag}.json: missing or empty `{}`",
                key.as_str()
            );
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
        assert!(
            same <= 6,
            "{tag}.json: {same} texts are identical to English"
        );
    }
}

#[test]
fn at_least_46_languages_right_to_left_included() {
    // The contract (section 1): at least 46 built-in languages, RTL ones included.
    assert!(
        BUILT_IN.len() >= 46,
        "only {} built-in languages",
        BUILT_IN.len()
    );
    assert!(BUILT_IN.contains(&"en"));
    let rtl: Vec<&str> = BUILT_IN.iter().copied().filter(|t| is_rtl(t)).collect();
    assert_eq!(rtl, ["ar", "fa", "he", "ur"]);
}

#[test]
fn built_in_is_sorted_unique_and_normalised() {
    for pair in BUILT_IN.windows(2) {
        assert!(
            pair[0] < pair[1],
            "BUILT_IN out of order or repeated at {pair:?}"
        );
    }
    for tag in BUILT_IN {
        assert_eq!(
            normalise_tag(tag),
            tag,
            "BUILT_IN tags are lowercase with hyphens"
        );
        // Asking for a built-in language by its own tag gets exactly it.
        assert_eq!(choose_language(tag, None, &[], &BUILT_IN), tag);
    }
}

#[test]
fn the_new_feature_keys_exist() {
    // Blocked-embed placeholders (contract section 3) and opt-out regions
    // (section 1) read these; renaming one breaks every language file.
    for name in [
        "placeholderTitle",
        "placeholderText",
        "loadOnce",
        "alwaysAllow",
        "optOutTitle",
        "optOutDescription",
        "doNotSell",
    ] {
        assert!(TextKey::parse(name).is_some(), "no text key `{name}`");
    }
    assert_eq!(
        Texts::english().get(TextKey::DoNotSell),
        "Do not sell or share my personal information"
    );
}

#[test]
fn no_markup_and_no_stray_whitespace() {
    // Texts are set with textContent, so markup would show as-is; and none is wanted.
    for (tag, value) in files() {
        let Value::Object(members) = &value else {
            panic!("{tag}: not an object")
        };
        for (name, v) in members {
            let Some(text) = v.as_str() else { continue };
            assert!(
                !text.contains('<') && !text.contains('>'),
                "{tag}.json `{name}`: no markup (< or >) in texts"
            );
            assert_eq!(
                text,
                text.trim(),
                "{tag}.json `{name}`: leading or trailing whitespace"
            );
            assert!(!text.contains("  "), "{tag}.json `{name}`: double space");
            assert!(!text.contains('\n'), "{tag}.json `{name}`: line break");
        }
    }
}

#[test]
fn both_notices_name_the_settings_dialog_by_its_title() {
    // description and optOutDescription point to "Cookie settings": the words
    // must be the ones the dialog's title shows in that language.
    let english = Texts::english();
    let mut all = vec![("en".to_string(), english.clone())];
    for (tag, value) in files() {
        let mut diagnostics = Vec::new();
        all.push((
            tag,
            Texts::from_value(english.clone(), &value, "lang", &mut diagnostics),
        ));
    }
    for (tag, texts) in all {
        let title = texts.get(TextKey::PreferencesTitle);
        for key in [TextKey::Description, TextKey::OptOutDescription] {
            assert!(
                texts.get(key).contains(title),
                "{tag}: `{}` does not mention \"{title}\"",
                key.as_str()
            );
        }
    }
}

#[test]
fn right_to_left_files_are_in_a_right_to_left_script_and_others_are_not() {
    let strong_rtl = |c: char| matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}');
    for (tag, value) in files() {
        let title = value.get("title").and_then(Value::as_str).unwrap_or("");
        assert_eq!(
            title.chars().any(strong_rtl),
            is_rtl(&tag),
            "{tag}.json: the script of its title and is_rtl(\"{tag}\") disagree"
        );
    }
}

#[test]
fn docs_languages_md_lists_every_built_in_language() {
    let doc = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/languages.md"))
        .expect("docs/languages.md exists");
    for tag in BUILT_IN {
        assert!(
            doc.contains(&format!("| `{tag}` |")),
            "docs/languages.md has no row for `{tag}`"
        );
    }
    assert!(
        doc.contains(&format!("**{} languages**", BUILT_IN.len())),
        "docs/languages.md states the wrong count"
    );
}

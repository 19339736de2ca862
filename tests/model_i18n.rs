#![cfg(not(target_arch = "wasm32"))]
//! Language choice, texts and dates.

use consent_gate::model::i18n::{choose_language, normalise_tag, TextKey, Texts};
use consent_gate::model::time::iso8601;

fn pick(config: &str, html: Option<&str>, preferred: &[&str], available: &[&str]) -> String {
    let preferred: Vec<String> = preferred.iter().map(|s| s.to_string()).collect();
    choose_language(config, html, &preferred, available)
}

#[test]
fn order_of_candidates() {
    let av = ["en", "de", "fr"];
    assert_eq!(pick("auto", None, &[], &av), "en");
    assert_eq!(pick("auto", None, &["fr-CA", "de"], &av), "fr");
    assert_eq!(
        pick("auto", Some("de"), &["fr"], &av),
        "de",
        "the page's language beats the browser's"
    );
    assert_eq!(
        pick("fr", Some("de"), &["de"], &av),
        "fr",
        "a configured language beats both"
    );
    assert_eq!(
        pick("it", Some("de"), &["fr"], &av),
        "de",
        "a configured language that is not available falls through"
    );
    assert_eq!(
        pick("AUTO", Some(""), &["", "??", "es", "de_DE"], &av),
        "de",
        "empty and invalid candidates are skipped"
    );
    assert_eq!(pick("auto", Some("ja"), &["es"], &av), "en");
}

#[test]
fn matching() {
    assert_eq!(pick("auto", None, &["de-AT"], &["en", "de"]), "de");
    assert_eq!(
        pick("auto", None, &["de_at"], &["en", "de-at", "de"]),
        "de-at",
        "exact first"
    );
    assert_eq!(pick("auto", None, &["zh-CN"], &["en", "zh"]), "zh");
    assert_eq!(pick("auto", None, &["zh-Hans"], &["en", "zh"]), "zh");
    assert_eq!(pick("auto", None, &["zh-SG"], &["en", "zh"]), "zh");
    assert_eq!(
        pick("auto", None, &["zh-TW"], &["en", "zh", "zh-hant"]),
        "zh-hant"
    );
    assert_eq!(
        pick("auto", None, &["pt-BR"], &["en", "pt", "pt-br"]),
        "pt-br"
    );
    assert_eq!(pick("auto", None, &["pt-BR"], &["en", "pt"]), "pt");
    assert_eq!(pick("auto", None, &["pt-PT"], &["en", "pt", "pt-br"]), "pt");
    assert_eq!(
        pick("auto", None, &["pt"], &["en", "pt-br"]),
        "pt-br",
        "any tag with the same primary subtag"
    );
    assert_eq!(pick("auto", None, &["no"], &["en", "nb"]), "nb");
    assert_eq!(pick("auto", None, &["nn-NO"], &["en", "nb"]), "nb");
    assert_eq!(pick("auto", None, &["nn"], &["en", "nn", "nb"]), "nn");
    assert_eq!(pick("auto", None, &["nb"], &["en", "no"]), "no");
    assert_eq!(pick("auto", None, &["EN-gb"], &["en"]), "en");
}

#[test]
fn normalising() {
    assert_eq!(normalise_tag(" zh_Hant_TW "), "zh-hant-tw");
}

#[test]
fn texts_overlay() {
    let mut t = Texts::english();
    t.set(TextKey::Save, "Speichern".into());
    assert_eq!(t.get(TextKey::Save), "Speichern");
    assert_eq!(t.get(TextKey::Close), "Close");
    assert_eq!(Texts::default(), Texts::english());
    assert!(Texts::english()
        .get(TextKey::GpcNotice)
        .contains("Global Privacy Control"));
}

#[test]
fn dates() {
    assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso8601(68_169_600), "1972-02-29T00:00:00.000Z");
    assert_eq!(iso8601(946_684_799), "1999-12-31T23:59:59.000Z");
    assert_eq!(iso8601(1_795_371_602), "2026-11-22T18:20:02.000Z");
    assert_eq!(iso8601(4_102_444_800), "2100-01-01T00:00:00.000Z");
}

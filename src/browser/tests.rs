//! Browser-layer tests, run in headless Chromium by
//! `wasm-pack test --headless --chrome -- --lib`. Each test cleans up the
//! cookies, storage and DOM it touches.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlInputElement;

use super::{dom, storage, ui};
use crate::model::codec;
use crate::model::config::Config;
use crate::model::i18n::{TextKey, Texts};
use crate::model::record::Record;
use crate::model::view;

wasm_bindgen_test_configure!(run_in_browser);

fn record(categories: [bool; 4]) -> Record {
    let now = dom::now();
    Record {
        id: "0123456789abcdef0123456789abcdef".into(),
        revision: 1,
        decided_at: now,
        updated_at: now,
        expires_at: now + 86_400,
        categories,
        services: Vec::new(),
        gpc: false,
        opt_out: false,
    }
}

fn clean() {
    storage::delete_cookie("consent_gate", None, "/");
    if let Ok(Some(s)) = dom::window().local_storage() {
        let _ = s.clear();
    }
    if let Some(host) = dom::document().get_element_by_id("consent-gate") {
        host.remove();
    }
}

#[wasm_bindgen_test]
fn cookie_round_trip_and_mirror() {
    clean();
    let config = Config::default();
    assert_eq!(
        storage::load(&config, dom::now()),
        None,
        "nothing stored yet"
    );
    let r = record([true, true, false, false]);
    storage::save(&config, &r, &super::convert::record_to_js(&r));
    assert_eq!(
        storage::read_cookie("consent_gate"),
        Some(codec::encode(&r))
    );
    assert_eq!(storage::load(&config, dom::now()), Some(r.clone()));
    let mirror = dom::window()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("consent_gate")
        .unwrap()
        .unwrap();
    assert!(
        mirror.contains(&codec::encode(&r)),
        "mirror holds the cookie value: {mirror}"
    );
    clean();
}

#[wasm_bindgen_test]
fn tampered_cookie_is_no_decision_and_mirror_never_grants() {
    clean();
    let config = Config::default();
    let r = record([true, false, false, false]);
    storage::save(&config, &r, &super::convert::record_to_js(&r));
    // Flip marketing on without fixing the checksum.
    let value = codec::encode(&r).replacen(".1000.", ".1001.", 1);
    storage::write_cookie("consent_gate", &value, 3600, None);
    assert_eq!(storage::load(&config, dom::now()), None);
    // The mirror of a granting record without its cookie grants nothing and is removed.
    let granted = record([true, true, true, true]);
    storage::save(&config, &granted, &super::convert::record_to_js(&granted));
    storage::delete_cookie("consent_gate", None, "/");
    assert_eq!(storage::load(&config, dom::now()), None);
    assert_eq!(
        dom::window()
            .local_storage()
            .unwrap()
            .unwrap()
            .get_item("consent_gate")
            .unwrap(),
        None
    );
    clean();
}

#[wasm_bindgen_test]
fn expired_or_old_revision_is_no_decision() {
    clean();
    let mut config = Config::default();
    let r = record([true, true, true, true]);
    storage::save(&config, &r, &super::convert::record_to_js(&r));
    config.revision = 2;
    assert_eq!(
        storage::load(&Config::default(), dom::now()),
        Some(r.clone())
    );
    assert_eq!(
        storage::load(&config, dom::now()),
        None,
        "older revision asks again"
    );
    assert_eq!(
        storage::load(&Config::default(), r.expires_at),
        None,
        "expired asks again"
    );
    clean();
}

fn config_from(json: &str) -> Config {
    Config::from_value(&crate::model::json::parse(json).unwrap())
        .unwrap()
        .0
}

#[wasm_bindgen_test]
fn ui_renders_text_as_text_in_a_shadow_root() {
    clean();
    let config =
        config_from(r#"{"policyUrl":"/privacy","texts":{"en":{"title":"<b>Hi</b> & welcome"}}}"#);
    let mut texts = Texts::english();
    texts.set(TextKey::Title, "<b>Hi</b> & welcome".into());
    let ui = ui::Ui::mount(
        &config,
        &texts,
        "en",
        false,
        false,
        &js_sys::Function::new_no_args(""),
    )
    .expect("mounted");
    ui.show_banner(true);
    let host = dom::document().get_element_by_id("consent-gate").unwrap();
    let root = host.shadow_root().expect("open shadow root");
    let banner = root.query_selector("[data-cg=banner]").unwrap().unwrap();
    assert!(!banner.has_attribute("hidden"));
    let h2 = root.query_selector("h2").unwrap().unwrap();
    assert_eq!(h2.text_content().as_deref(), Some("<b>Hi</b> & welcome"));
    assert!(
        root.query_selector("b").unwrap().is_none(),
        "markup stays text"
    );
    for action in ["accept-all", "reject-all", "preferences"] {
        let mut sel = String::from("[data-cg=banner] button[data-action=");
        sel.push_str(action);
        sel.push(']');
        assert!(
            root.query_selector(&sel).unwrap().is_some(),
            "{action} button"
        );
    }
    let link = root.query_selector("a[data-cg=policy]").unwrap().unwrap();
    assert_eq!(link.get_attribute("href").as_deref(), Some("/privacy"));
    // No <style> element and no style attribute: the sheet is adopted.
    assert!(root.query_selector("style,[style]").unwrap().is_none());
    assert_eq!(
        js_sys::Reflect::get(&root, &"adoptedStyleSheets".into())
            .unwrap()
            .unchecked_into::<js_sys::Array>()
            .length(),
        1
    );

    ui.open_preferences(&view::dialog(&config, &texts, None), &texts);
    let essential: HtmlInputElement = root
        .query_selector("input[data-category=essential]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(
        essential.checked() && essential.disabled(),
        "essential shown on and locked"
    );
    for c in ["performance", "functional", "marketing"] {
        let mut sel = String::from("input[role=switch][data-category=");
        sel.push_str(c);
        sel.push(']');
        let i: HtmlInputElement = root.query_selector(&sel).unwrap().unwrap().unchecked_into();
        assert!(!i.checked() && !i.disabled(), "{c} is never pre-ticked");
    }
    ui.close_preferences();
    clean();
}

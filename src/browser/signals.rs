//! Signals the browser sends about the visitor's wishes.

use super::dom;

/// Whether the browser sends Global Privacy Control (`navigator.globalPrivacyControl === true`).
pub(crate) fn gpc() -> bool {
    dom::get(&dom::window().navigator(), "globalPrivacyControl").as_bool() == Some(true)
}

/// The page's `<html lang>`, if set.
pub(crate) fn page_language() -> Option<String> {
    let lang = dom::document().document_element()?.get_attribute("lang")?;
    (!lang.trim().is_empty()).then_some(lang)
}

/// The visitor's preferred languages (`navigator.languages`), best first.
pub(crate) fn preferred_languages() -> Vec<String> {
    dom::window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .collect()
}

/// Proof of consent: sends `payload` (JSON text) to `url` with
/// `navigator.sendBeacon`, falling back to `fetch(…, { keepalive: true })`.
pub(crate) fn send_log(url: &str, payload: &str) {
    let window = dom::window();
    if window
        .navigator()
        .send_beacon_with_opt_str(url, Some(payload))
        .unwrap_or(false)
    {
        return;
    }
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&wasm_bindgen::JsValue::from_str(payload));
    dom::put(&init, "keepalive", &wasm_bindgen::JsValue::TRUE);
    // Nothing to do with the answer: a lost log entry must not disturb the visitor.
    let _ = window.fetch_with_str_and_init(url, &init);
}

/// Whether this page is a frame of a same-origin page that runs Consent Gate
/// (a cross-origin parent cannot be read, so it does not count).
pub(crate) fn framed_by_gate() -> bool {
    let window = dom::window();
    let parent = dom::get(&window, "parent");
    !parent.loose_eq(&window) && dom::get(&parent, "ConsentGate").is_object()
}

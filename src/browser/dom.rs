//! Two-line helpers over web-sys, so the other browser modules read as intent.
//! Calls that cannot fail for our fixed inputs say why in `expect_throw`.

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Document, Element, Node, Window};

use crate::model::markup::Markup;

/// The page's window.
pub(crate) fn window() -> Window {
    web_sys::window().expect_throw("Consent Gate runs in a page with a window")
}

/// The page's document.
pub(crate) fn document() -> Document {
    window()
        .document()
        .expect_throw("a window always has a document")
}

#[wasm_bindgen(module = "/src/browser/build.mjs")]
extern "C" {
    #[wasm_bindgen(js_name = build)]
    fn run(parent: Option<&Node>, program: &[u8]) -> Array;
}

/// Builds `markup` under `parent` (`None`: detached) with `build.mjs`, one
/// call for the whole view; the elements it keeps, in program order.
pub(crate) fn build(parent: Option<&Node>, markup: &Markup) -> Array {
    run(parent, markup.bytes())
}

/// Appends `child` to `parent`; appending a fresh node to an element cannot fail.
pub(crate) fn append(parent: &Node, child: &Node) {
    let _ = parent.append_child(child);
}

/// `obj[key]`, or `undefined` when it cannot be read.
pub(crate) fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `obj[key] = value`, ignoring a frozen target.
pub(crate) fn put(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// Logs `Consent Gate: <message>` with `console.error`.
pub(crate) fn error(message: &str) {
    web_sys::console::error_1(&JsValue::from_str(&prefixed(message)));
}

fn prefixed(message: &str) -> String {
    let mut s = String::with_capacity(message.len() + 14);
    s.push_str("Consent Gate: ");
    s.push_str(message);
    s
}

/// Seconds since the Unix epoch, from the browser's clock.
pub(crate) fn now() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// A fresh 128-bit id as 32 lowercase hex digits, from `crypto.getRandomValues`.
pub(crate) fn random_id() -> String {
    let mut bytes = [0u8; 16];
    let crypto = window()
        .crypto()
        .expect_throw("crypto is available in every supported browser");
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .expect_throw("16 bytes is within getRandomValues' limit");
    let mut id = String::with_capacity(32);
    for b in bytes {
        id.push(hex_digit(b >> 4));
        id.push(hex_digit(b & 15));
    }
    id
}

fn hex_digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'a' + n - 10 })
}

/// `e.closest(selector)` for an event target that may not be an element.
pub(crate) fn closest(target: Option<web_sys::EventTarget>, selector: &str) -> Option<Element> {
    target?.dyn_into::<Element>().ok()?.closest(selector).ok()?
}

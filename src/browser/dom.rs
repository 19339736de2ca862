//! Two-line helpers over web-sys, so the other browser modules read as intent.
//! Calls that cannot fail for our fixed inputs say why in `expect_throw`.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Document, Element, HtmlDialogElement, Node, NodeList, Window};

use crate::model::markup::Markup;

#[wasm_bindgen]
extern "C" {
    // The global `window`, read once: one import in place of web-sys's four
    // probes of the global object and an instanceof check.
    #[wasm_bindgen(thread_local_v2, js_name = window)]
    static WINDOW: Window;
}

/// The page's window.
pub(crate) fn window() -> Window {
    WINDOW.with(Window::clone)
}

/// The page's document.
pub(crate) fn document() -> Document {
    window()
        .document()
        .expect_throw("a window always has a document")
}

// build.js: the DOM of each view from a markup program, and the banner UI's
// plumbing (mounting, listeners, focus return, the spacer's height).
#[wasm_bindgen(module = "/src/browser/build.js")]
extern "C" {
    #[wasm_bindgen(js_name = build)]
    fn run(parent: Option<&Node>, program: &[u8]) -> Array;
    /// Mounts the banner UI (see `build.js`): the elements `program` keeps
    /// (the host, built from `host`, is not among them), or `None` when the
    /// page has no body or refuses a shadow root.
    pub(crate) fn mount(
        host: &[u8],
        css: &str,
        program: &[u8],
        top: bool,
        padding: &str,
        on: &Function,
    ) -> Option<Array>;
    /// Shows or hides the banner and its spacer (and opens or closes the wall).
    pub(crate) fn show(
        banner: &Element,
        spacer: &Element,
        wall: Option<&HtmlDialogElement>,
        visible: bool,
    );
    // (Every function here takes a string, bytes or a bool, which the glue
    // converts: wasm-bindgen then calls it through the glue's import object,
    // which scripts/minify-imports.mjs renames. One of objects only would be
    // imported from this file directly, and the build fails.)
    /// `document.cookie`, or "" where reading it throws (a sandboxed document).
    pub(crate) fn cookies() -> String;
    /// `document.cookie = cookie`, ignored where the document refuses it.
    #[wasm_bindgen(js_name = setCookie)]
    pub(crate) fn set_cookie(cookie: &str);
    /// `localStorage.getItem(key)`, `None` where storage throws.
    #[wasm_bindgen(js_name = getItem)]
    pub(crate) fn get_item(key: &str) -> Option<String>;
    /// `localStorage.setItem(key, value)`, or `removeItem(key)` for `None`;
    /// ignored where storage throws.
    #[wasm_bindgen(js_name = setItem)]
    pub(crate) fn set_item(key: &str, value: Option<&str>);
    #[wasm_bindgen(js_name = open)]
    fn run_and_open(list: &Element, program: &[u8], dialog: &HtmlDialogElement);
}

/// Builds `markup` into `list` (its program empties it first), then opens
/// `dialog` as a modal dialog unless it is open, remembering where focus was
/// to give it back when it closes.
pub(crate) fn fill_and_open(list: &Element, markup: &Markup, dialog: &HtmlDialogElement) {
    run_and_open(list, markup.bytes(), dialog);
}

/// Builds `markup` under `parent` (`None`: detached) with `build.js`, one
/// call for the whole view; the elements it keeps, in program order.
pub(crate) fn build(parent: Option<&Node>, markup: &Markup) -> Array {
    run(parent, markup.bytes())
}

// The calls web-sys marks `catch` (a JS wrapper and a Result per call) that
// cannot throw as used here: fixed valid selectors, the page's own location,
// 16 random bytes. One untyped receiver, so a method used on several types
// is one import.
#[wasm_bindgen]
extern "C" {
    type Plain;
    #[wasm_bindgen(method)]
    fn closest(this: &Plain, selector: &str) -> Option<Element>;
    #[wasm_bindgen(method, js_name = querySelectorAll)]
    fn query_selector_all(this: &Plain, selector: &str) -> NodeList;
    #[wasm_bindgen(method, getter)]
    fn protocol(this: &Plain) -> String;
    #[wasm_bindgen(method, getter)]
    fn hostname(this: &Plain) -> String;
    #[wasm_bindgen(method, getter)]
    fn origin(this: &Plain) -> String;
    #[wasm_bindgen(method, getter)]
    fn pathname(this: &Plain) -> String;
    #[wasm_bindgen(method, getter, js_name = userAgent)]
    fn user_agent(this: &Plain) -> String;
    #[wasm_bindgen(method)]
    fn reload(this: &Plain);
    #[wasm_bindgen(method, getter)]
    fn crypto(this: &Plain) -> Plain;
    #[wasm_bindgen(method, js_name = getRandomValues)]
    fn get_random_values(this: &Plain, bytes: &mut [u8]);
}

fn plain(v: &JsValue) -> &Plain {
    v.unchecked_ref()
}

/// The elements under `scope` (a document or an element) that match `selector` (a valid one).
pub(crate) fn select(scope: &JsValue, selector: &str) -> NodeList {
    plain(scope).query_selector_all(selector)
}

fn location() -> JsValue {
    window().location().into()
}

/// Whether the page was loaded over HTTPS (`location.protocol`).
pub(crate) fn is_https() -> bool {
    plain(&location()).protocol() == "https:"
}

/// `location.hostname`.
pub(crate) fn hostname() -> String {
    plain(&location()).hostname()
}

/// The page's address without query or fragment (`location.origin + pathname`), for the consent log.
pub(crate) fn page_url() -> String {
    let l = location();
    let mut s = plain(&l).origin();
    s.push_str(&plain(&l).pathname());
    s
}

/// `navigator.userAgent` (the crawler check, the consent log).
pub(crate) fn user_agent() -> String {
    plain(&window().navigator()).user_agent()
}

/// `location.reload()`.
pub(crate) fn reload() {
    plain(&location()).reload();
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
    // 16 bytes is within getRandomValues' limit, so it does not throw.
    plain(&window()).crypto().get_random_values(&mut bytes);
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

/// `e.closest(selector)` (a valid selector).
pub(crate) fn element_closest(e: &Element, selector: &str) -> Option<Element> {
    plain(e).closest(selector)
}

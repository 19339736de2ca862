//! Activates gated elements once their category is granted.
//!
//! Gated markup: `<script type="text/plain" data-category>` (external or
//! inline) and `iframe`/`img` (any element) with `data-src` and no `src`.
//! Activation is a pump over the document in document order: an activated
//! script is no longer `text/plain`, so it never matches again (each runs
//! exactly once), and an external script without `async` holds the pump until
//! it has loaded or failed, so later gated scripts run after it, as they
//! would have without the gate.

use std::cell::{Cell, RefCell};

use js_sys::Reflect;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlScriptElement, MutationObserver, MutationObserverInit, MutationRecord};

use super::dom;
use crate::model::gate::should_activate;
use crate::model::record::Record;

const GATED: &str = "script[type=\"text/plain\" i][data-category],[data-category][data-src]:not([src])";

thread_local! {
    /// The grants the pump applies; updated on every decision.
    static RECORD: RefCell<Option<Record>> = const { RefCell::new(None) };
    /// An ordered external script is still loading.
    static BUSY: Cell<bool> = const { Cell::new(false) };
    /// The observer of later insertions, kept alive for the page's lifetime.
    static OBSERVER: RefCell<Option<MutationObserver>> = const { RefCell::new(None) };
}

/// Replaces the grants the gate applies and activates what they now allow.
pub(crate) fn update(record: Option<Record>) {
    RECORD.with(|r| *r.borrow_mut() = record);
    pump();
}

/// Starts watching the document for gated elements inserted later
/// (a tag manager, a framework); calling it again does nothing.
pub(crate) fn observe() {
    if OBSERVER.with(|o| o.borrow().is_some()) {
        return;
    }
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(|records: js_sys::Array| {
        if records.iter().any(|r| adds_gated(&r.unchecked_into::<MutationRecord>())) {
            pump();
        }
    });
    let Ok(observer) = MutationObserver::new(callback.as_ref().unchecked_ref()) else {
        dom::error("cannot observe the document; gated elements added later will not run");
        return;
    };
    // The observer lives as long as the page, so its callback does too.
    callback.forget();
    let init = MutationObserverInit::new();
    init.set_child_list(true);
    init.set_subtree(true);
    if let Some(root) = dom::document().document_element() {
        let _ = observer.observe_with_options(&root, &init);
    }
    OBSERVER.with(|o| *o.borrow_mut() = Some(observer));
}

fn adds_gated(record: &MutationRecord) -> bool {
    let nodes = record.added_nodes();
    (0..nodes.length()).any(|i| {
        nodes
            .item(i)
            .and_then(|n| n.dyn_into::<Element>().ok())
            .is_some_and(|e| {
                e.has_attribute("data-category") || e.query_selector("[data-category]").ok().flatten().is_some()
            })
    })
}

/// Activates, in document order, every gated element the grants allow.
fn pump() {
    if BUSY.with(Cell::get) {
        // The script being waited for re-runs the pump when it is done.
        return;
    }
    let Ok(list) = dom::document().query_selector_all(GATED) else { return };
    // A copy: an inline script run below may call the API, which updates RECORD.
    let record = RECORD.with(|r| r.borrow().clone());
    for i in 0..list.length() {
        // A script run during this pass may have re-entered the pump: what it
        // activated is detached now, and an ordered wait it started holds us too.
        if BUSY.with(Cell::get) {
            return;
        }
        let Some(e) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        let category = e.get_attribute("data-category").unwrap_or_default();
        let service = e.get_attribute("data-service");
        if !e.is_connected() || !should_activate(&category, service.as_deref(), record.as_ref()) {
            continue;
        }
        if e.tag_name() == "SCRIPT" {
            if run_script(&e) {
                BUSY.with(|b| b.set(true));
                return;
            }
        } else {
            load_source(&e);
        }
    }
}

/// Lets an iframe, img or other element load its `data-src` (and `data-srcset`).
fn load_source(e: &Element) {
    if let Some(srcset) = e.get_attribute("data-srcset") {
        dom::attr(e, "srcset", &srcset);
    }
    if let Some(src) = e.get_attribute("data-src") {
        dom::attr(e, "src", &src);
    }
}

/// Replaces a gated script with a live copy. Returns true when the pump must
/// wait for it (an external script without `async`).
fn run_script(old: &Element) -> bool {
    let script = dom::create("script");
    let attrs = old.attributes();
    for i in 0..attrs.length() {
        if let Some(a) = attrs.item(i) {
            let name = a.name();
            if name != "type" && name != "data-type" {
                dom::attr(&script, &name, &a.value());
            }
        }
    }
    if let Some(kind) = old.get_attribute("data-type") {
        dom::attr(&script, "type", &kind);
    }
    // Browsers hide the nonce attribute's value once parsed; the property keeps it.
    let _ = Reflect::set(&script, &JsValue::from_str("nonce"), &dom::get(old, "nonce"));
    let external = old.has_attribute("src");
    let wait = external && !old.has_attribute("async");
    if external {
        // Inserted scripts are async by default; keep the author's order.
        script.unchecked_ref::<HtmlScriptElement>().set_async(!wait);
    } else {
        script.set_text_content(old.text_content().as_deref());
    }
    if wait {
        let done = Closure::<dyn FnMut()>::new(|| {
            if BUSY.with(|b| b.replace(false)) {
                pump();
            }
        })
        .into_js_value();
        let target: &web_sys::EventTarget = script.as_ref();
        let _ = target.add_event_listener_with_callback("load", done.unchecked_ref());
        let _ = target.add_event_listener_with_callback("error", done.unchecked_ref());
    }
    if old.replace_with_with_node_1(&script).is_err() {
        return false;
    }
    wait
}

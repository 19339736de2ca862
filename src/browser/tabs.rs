//! Every tab agrees: a decision taken in one tab is announced on a
//! `BroadcastChannel`, and the other tabs re-read the cookie (the record of
//! truth) and apply it. The message carries no data, so a forged message can
//! at most make a tab re-read its own cookie.

use std::cell::RefCell;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::BroadcastChannel;

thread_local! {
    static CHANNEL: RefCell<Option<(BroadcastChannel, Closure<dyn FnMut()>)>> = const { RefCell::new(None) };
}

/// Listens for decisions taken in other tabs; `on_change` re-reads the cookie.
/// Without BroadcastChannel support the tab simply does not follow.
pub(crate) fn listen(name: &str, on_change: fn()) {
    let Ok(channel) = BroadcastChannel::new(name) else { return };
    let callback = Closure::<dyn FnMut()>::new(on_change);
    channel.set_onmessage(Some(callback.as_ref().unchecked_ref()));
    CHANNEL.with(|c| *c.borrow_mut() = Some((channel, callback)));
}

/// Tells the other tabs that the stored decision changed.
pub(crate) fn announce() {
    CHANNEL.with(|c| {
        if let Some((channel, _)) = c.borrow().as_ref() {
            let _ = channel.post_message(&wasm_bindgen::JsValue::from(1));
        }
    });
}

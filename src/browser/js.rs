//! The banner module's one import, and the inbox JavaScript answers through.
//!
//! The module has no wasm-bindgen: like the core it speaks in numbers. Every
//! browser effect is one call of the import `g.j(op, a, a_len, b, b_len, n)`:
//! `op` picks a function of the `OPS` table in `src/browser/boot.mjs`, `a` and
//! `b` are byte strings in this module's memory (UTF-8 text, or a markup
//! program) and `n` a number. An answer that is text comes back through the
//! inbox: JavaScript asks [`cg_in`] for room, writes the bytes there and
//! returns 1; [`answer`] then takes them. JavaScript writes inputs for the
//! exports (the config, a language file, `set()`'s choices) the same way.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::local::Local;

#[link(wasm_import_module = "g")]
extern "C" {
    #[link_name = "j"]
    fn import(op: u32, a: *const u8, a_len: usize, b: *const u8, b_len: usize, n: u32) -> u32;
}

/// What the import can do: the index of each function in `boot.mjs`'s `OPS`
/// followed by `late.mjs`'s (the lists are in the same order; every one is
/// used end to end).
#[derive(Clone, Copy)]
#[repr(u32)]
pub(crate) enum Op {
    /// `console.error("Consent Gate: " + a)` (`console.warn` when `n` is 1).
    Error,
    /// Hands a config or language-file problem (compact form, `a`) to the entry.
    Report,
    /// The current export's text result (`a`), which the entry returns or throws.
    Result,
    /// The loader's `publish(n, a)`: what changed (`n`) and the assumed grants (`a`).
    Publish,
    /// Seconds since the Unix epoch (`Date.now()`), as the return value.
    Now,
    /// The page's facts (see [`super::env`]) into the inbox, in the binary value form.
    Env,
    /// `document.cookie` into the inbox ("" where reading it throws).
    Cookies,
    /// Mounts the UI (host program `a`, skeleton program `b`; `n`: bit 0 on top,
    /// then 1 for `scroll-padding-bottom`, 2 for `scroll-padding-top`); 0: not mounted.
    Mount,
    /// Shows (`n` = 1) or hides the banner, its spacer and its wall.
    Show,
    /// Builds program `a` into the dialog's category list and opens the dialog.
    Open,
    /// Closes the preferences dialog if it is open.
    Close,
    // The late ops: `consent-gate-ui-late.js` (src/browser/late.mjs), which
    // arrives with the rest of the module; none is called before it.
    /// A fresh consent id (32 hex digits from `crypto.getRandomValues`) into the inbox.
    RandomId,
    /// `document.cookie = a`, ignored where the document refuses it.
    SetCookie,
    /// The mirror at key `a`: its `value` into the inbox (0: none, unreadable or not text).
    Mirror,
    /// `localStorage.setItem(a, b)` with the record's dates in `b` (Unix seconds)
    /// made ISO strings; ignored where storage throws.
    SetMirror,
    /// `localStorage.removeItem(a)`, ignored where storage throws.
    RemoveItem,
    /// Every `localStorage` key into the inbox, in the binary value form (0: no storage).
    StorageKeys,
    /// Every dialog switch into the inbox, in the binary value form: `[name,
    /// is a service, checked, disabled]` each, categories first.
    Switches,
    /// How many cookie declarations the page has (the return value).
    Declarations,
    /// Builds program `a` into every cookie declaration of the page.
    Declare,
    /// Sends the consent log entry to URL `a`: the record `b` (dates in
    /// seconds), config revision `n`, the page's address and user agent.
    Log,
    /// `location.reload()`.
    Reload,
}

/// Calls the import.
pub(crate) fn call(op: Op, a: &[u8], b: &[u8], n: u32) -> u32 {
    // SAFETY: the import reads `a_len` bytes at `a` and `b_len` at `b`, both
    // live slices, before it returns; it writes only through `cg_in`.
    unsafe { import(op as u32, a.as_ptr(), a.len(), b.as_ptr(), b.len(), n) }
}

/// Calls the import and takes the text it answered, if any.
pub(crate) fn text(op: Op, a: &[u8]) -> Option<String> {
    if call(op, a, &[], 0) == 0 {
        return None;
    }
    crate::model::text::utf8(answer())
}

/// Logs `Consent Gate: <message>` with `console.error`.
pub(crate) fn error(message: &str) {
    call(Op::Error, message.as_bytes(), &[], 0);
}

/// Seconds since the Unix epoch, from the browser's clock.
pub(crate) fn now() -> u64 {
    u64::from(call(Op::Now, &[], &[], 0))
}

/// What JavaScript wrote last (empty when it wrote nothing since).
pub(crate) fn answer() -> Vec<u8> {
    INBOX.with(core::mem::take)
}

static INBOX: Local<Vec<u8>> = Local::new(Vec::new());

/// Room for `len` bytes that JavaScript is about to write (an input for the
/// next export call, or an answer to the import call running now).
#[no_mangle]
pub extern "C" fn cg_in(len: usize) -> *mut u8 {
    INBOX.with(|inbox| {
        *inbox = vec![0; len];
        inbox.as_mut_ptr()
    })
}

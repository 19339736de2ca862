//! The returning visitor's module: `consent-gate.wasm`.
//!
//! Every visitor downloads this first. It reads the consent cookie, decides
//! whether it is still valid, tells the loader what is granted, and runs the
//! gated elements those grants allow. Everything else (the banner, the
//! dialog, decisions, the declaration) is the `ui` build, which the loader
//! fetches only when it must be shown or used.
//!
//! No wasm-bindgen and no standard library: a handful of numbers cross the
//! boundary, and text goes through one scratch buffer in linear memory
//! ([`cg_buf`]), UTF-8 both ways. The loader (`pkg-template/consent-gate.js`,
//! "the core's host") implements the three imports. Nothing here allocates or
//! can panic, so neither an allocator nor `core::fmt` ends up in the file.
//!
//! ```text
//! loader                                  module
//! buf ← cookie.name; cg_setup(len, revision) → the name to read
//! buf ← cookie value; cg_load(len, now)    → decode · validity
//!                                         ← JSON [record|null, grants]
//! cg_pump()                               → gated() · attrs(i) · run(i) per element
//! (a waited-for script loaded) cg_loaded() → pump again
//! ```

use core::cell::UnsafeCell;

use crate::model::codec;
use crate::model::gate::should_activate_bytes;
use crate::model::text::Sink;
use crate::model::names::{is_cookie_name, DEFAULT_COOKIE};

/// The scratch buffer's size: a cookie value (3,072 B at most) or a record's
/// JSON with 64 services fits with room to spare.
const BUF: usize = 8192;
/// Where [`attrs`] writes the second attribute.
const HALF: usize = BUF / 2;

/// Module state. WebAssembly without threads runs one call at a time and no
/// borrow below is held across an import, so plain cells are sound.
struct Local<T>(UnsafeCell<T>);

// SAFETY: the module has no threads (the `atomics` target feature is off).
#[cfg(not(target_feature = "atomics"))]
unsafe impl<T> Sync for Local<T> {}

impl<T> Local<T> {
    /// Runs `f` on the value. Callers never call an import inside `f`.
    fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // SAFETY: single-threaded, and `f` never re-enters the module.
        f(unsafe { &mut *self.0.get() })
    }
}

struct State {
    /// Text in and out (see the module docs).
    buf: [u8; BUF],
    /// The valid cookie value in force, `len` bytes of it (0: no decision).
    value: [u8; codec::MAX_LEN],
    len: usize,
    /// An ordered external script is loading: the pump waits for it.
    busy: bool,
    /// The config's `revision` (see [`cg_setup`]).
    revision: u32,
}

static STATE: Local<State> = Local(UnsafeCell::new(State {
    buf: [0; BUF],
    value: [0; codec::MAX_LEN],
    len: 0,
    busy: false,
    // All zero, so the state costs no bytes in the file (set by `cg_setup`).
    revision: 0,
}));

#[link(wasm_import_module = "cg")]
extern "C" {
    /// Finds the gated elements now in the document; returns how many.
    fn gated() -> u32;
    /// Writes element `i`'s `data-category` at the start of the buffer and
    /// its `data-service` at [`HALF`]; returns their byte lengths as
    /// `category | service << 16`, or -1 to skip the element (detached
    /// meanwhile, or an attribute longer than [`HALF`]: no valid name is).
    fn attrs(i: u32) -> i32;
    /// Runs (script) or loads (`data-src`) element `i`; returns 1 when the
    /// pump must wait for it (an external script without `async`).
    fn run(i: u32) -> u32;
}

/// The scratch buffer's address.
#[no_mangle]
pub extern "C" fn cg_buf() -> *mut u8 {
    STATE.with(|s| s.buf.as_mut_ptr())
}

/// Takes the two config keys this module uses, as the page gave them:
/// `cookie.name` (`len` bytes in the buffer; 0 when absent or not a string)
/// and `revision` (NaN when absent). Each is used only when the banner
/// module's config reader would accept it, else its default, which is what
/// that reader falls back to (and reports) too. Writes the cookie name to use
/// into the buffer and returns its length.
#[no_mangle]
pub extern "C" fn cg_setup(len: usize, revision: f64) -> usize {
    STATE.with(|s| {
        let whole = revision >= 1.0 && revision <= f64::from(codec::MAX_REVISION) && revision == (revision as u32) as f64;
        s.revision = if whole { revision as u32 } else { 1 };
        if s.buf.get(..len).is_some_and(is_cookie_name) {
            return len;
        }
        let name = DEFAULT_COOKIE.as_bytes();
        if let Some(slot) = s.buf.get_mut(..name.len()) {
            slot.copy_from_slice(name);
        }
        name.len()
    })
}

/// Reads the cookie value the loader wrote into the buffer (`len` bytes):
/// it grants only when it is exactly a valid encoding, not expired at `now`
/// (Unix seconds) and not older than the config's `revision`. Writes
/// `[record|null, grants]` as JSON into the buffer and returns its length
/// (0 when it did not fit: the loader fails closed).
#[no_mangle]
pub extern "C" fn cg_load(len: usize, now: f64) -> usize {
    STATE.with(|s| {
        let State { buf, value, len: held, revision, .. } = s;
        let next = buf.get(..len).and_then(codec::parse).filter(|c| c.is_valid(*revision, now as u64));
        // Keep the valid value (or none) for the pump.
        *held = 0;
        if let (Some(_), Some(slot), Some(input)) = (next, value.get_mut(..len), buf.get(..len)) {
            slot.copy_from_slice(input);
            *held = len;
        }
        let next = value.get(..*held).and_then(codec::parse);
        let mut out = Out { buf, at: 0 };
        out.put("[");
        match &next {
            Some(c) => c.write_json(&mut out),
            None => out.put("null"),
        }
        out.put(",");
        codec::write_grants_json(&mut out, next.as_ref());
        out.put("]");
        if out.at > BUF {
            0
        } else {
            out.at
        }
    })
}

/// Runs, in document order, every gated element the grants in force allow.
#[no_mangle]
pub extern "C" fn cg_pump() {
    if STATE.with(|s| s.busy) {
        // The script being waited for pumps again when it is done.
        return;
    }
    // SAFETY (all three imports): plain numbers in and out; the host writes
    // only inside the buffer it was given the address of.
    let count = unsafe { gated() };
    for i in 0..count {
        // A script run by this pass may have started a wait of its own.
        if STATE.with(|s| s.busy) {
            return;
        }
        let Ok(len) = usize::try_from(unsafe { attrs(i) }) else { continue };
        let allowed = STATE.with(|s| {
            // The category from the start of the buffer, the service from its middle.
            let category = s.buf.get(..len & 0xffff).unwrap_or(&[]);
            let service = s.buf.get(HALF..HALF + (len >> 16)).unwrap_or(&[]);
            let cookie = s.value.get(..s.len).and_then(codec::parse);
            should_activate_bytes(category, service, cookie.as_ref())
        });
        if allowed && unsafe { run(i) } == 1 {
            STATE.with(|s| s.busy = true);
            return;
        }
    }
}

/// The external script the pump waited for has loaded (or failed): go on.
#[no_mangle]
pub extern "C" fn cg_loaded() {
    STATE.with(|s| s.busy = false);
    cg_pump();
}

/// A [`Sink`] over the scratch buffer; text past its end is dropped (the
/// loader's `JSON.parse` then fails, which fails closed).
struct Out<'a> {
    buf: &'a mut [u8; BUF],
    at: usize,
}

impl Sink for Out<'_> {
    fn put(&mut self, s: &str) {
        let end = self.at + s.len();
        if let Some(slot) = self.buf.get_mut(self.at..end) {
            slot.copy_from_slice(s.as_bytes());
            self.at = end;
        } else {
            self.at = BUF + 1;
        }
    }
}

#[cfg(not(test))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    // Unreachable by construction; a trap is the smallest way to stop.
    core::arch::wasm32::unreachable()
}

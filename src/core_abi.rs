//! The returning visitor's module: `consent-gate.wasm`.
//!
//! Every visitor downloads this first. It reads the consent cookie, decides
//! whether it is still valid, tells the loader what is granted, and decides
//! which gated elements may run. Everything else (the banner, the dialog,
//! decisions, the declaration) is the `ui` build, which the loader fetches
//! only when it must be shown or used.
//!
//! No wasm-bindgen, no imports and no standard library: a handful of numbers
//! cross the boundary, and text goes through one scratch buffer in linear
//! memory ([`cg_buf`]), UTF-8 both ways. The loader (`pkg-template/consent-gate.js`)
//! is the browser edge: it reads the cookie, finds and runs gated elements.
//! Nothing here allocates or can panic, so neither an allocator nor
//! `core::fmt` ends up in the file.
//!
//! ```text
//! loader                                      module
//! buf ← cookie.name;  cg_setup(len, revision)  → the cookie name to read
//! buf ← cookie value; cg_load(len, now)        → decode · validity
//!                                              ← JSON [record|null, grants]
//! buf ← data-category, data-service; cg_gate   → may this element run?
//! ```

use crate::local::Local;
use crate::model::codec;
use crate::model::gate::should_activate_bytes;
use crate::model::names::{is_cookie_name, DEFAULT_COOKIE};
use crate::model::text::Sink;

/// The scratch buffer's size: a cookie value (3,072 B at most) or a record's
/// JSON with 64 services fits with room to spare.
const BUF: usize = 8192;
/// Where the loader writes the second attribute for [`cg_gate`].
const HALF: usize = BUF / 2;

struct State {
    /// Text in and out (see the module docs).
    buf: [u8; BUF],
    /// The valid cookie value in force, `len` bytes of it (0: no decision).
    value: [u8; codec::MAX_LEN],
    len: usize,
    /// The config's `revision` (see [`cg_setup`]).
    revision: u32,
}

static STATE: Local<State> = Local::new(State {
    buf: [0; BUF],
    value: [0; codec::MAX_LEN],
    len: 0,
    // All zero, so the state costs no bytes in the file (set by `cg_setup`).
    revision: 0,
});

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
        let whole = revision >= 1.0
            && revision <= f64::from(codec::MAX_REVISION)
            && revision == (revision as u32) as f64;
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
        let State {
            buf,
            value,
            len: held,
            revision,
            ..
        } = s;
        let next = buf
            .get(..len)
            .and_then(codec::parse)
            .filter(|c| c.is_valid(*revision, now as u64));
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

/// Whether the gated element whose `data-category` (`category` bytes at the
/// start of the buffer) and `data-service` (`service` bytes at [`HALF`]) the
/// loader wrote may run under the decision in force.
#[no_mangle]
pub extern "C" fn cg_gate(category: usize, service: usize) -> bool {
    STATE.with(|s| {
        let cookie = s.value.get(..s.len).and_then(codec::parse);
        let category = s.buf.get(..category).unwrap_or(&[]);
        let service = s.buf.get(HALF..HALF + service).unwrap_or(&[]);
        should_activate_bytes(category, service, cookie.as_ref())
    })
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

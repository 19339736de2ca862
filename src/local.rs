//! A cell for a module's state, for the two `.wasm` builds (no std, no threads).

use core::cell::UnsafeCell;

/// Module state. WebAssembly without threads runs one call at a time, so a
/// plain cell is sound as long as `with` is never entered twice for the same
/// value: its callers keep their closures free of calls that can come back
/// into the module.
pub(crate) struct Local<T>(pub(crate) UnsafeCell<T>);

// SAFETY: the module has no threads (the `atomics` target feature is off).
#[cfg(not(target_feature = "atomics"))]
unsafe impl<T> Sync for Local<T> {}

impl<T> Local<T> {
    /// A cell holding `value`.
    pub(crate) const fn new(value: T) -> Local<T> {
        Local(UnsafeCell::new(value))
    }

    /// Runs `f` on the value.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // SAFETY: single-threaded, and no caller's `f` re-enters the module.
        f(unsafe { &mut *self.0.get() })
    }
}

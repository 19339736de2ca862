//! One workload, one allocator per feature; see ../measure.sh.
//!
//! The workload is a consent banner's, scaled up: many small strings grown
//! byte by byte (so `realloc` runs), a third of them freed at once, and one
//! vector grown past 16 KiB, every round.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;

#[cfg(feature = "heap")]
#[allow(dead_code)]
#[path = "../../../src/heap.rs"]
mod heap;

#[cfg(any(feature = "talc", feature = "talc-small"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(feature = "lol")]
#[global_allocator]
static LOL: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

#[cfg(feature = "dlmalloc")]
#[global_allocator]
static DL: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

#[cfg(feature = "leak")]
mod leak {
    use core::alloc::{GlobalAlloc, Layout};

    /// Bumps a pointer through fresh pages; never frees.
    pub struct Leak(core::cell::UnsafeCell<(usize, usize)>);
    // SAFETY: wasm32 without atomics has one thread.
    unsafe impl Sync for Leak {}

    unsafe impl GlobalAlloc for Leak {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            let (next, end) = unsafe { &mut *self.0.get() };
            let start = (*next + l.align() - 1) & !(l.align() - 1);
            if start + l.size() > *end {
                let pages = l.size() / 65_536 + 2;
                let base = core::arch::wasm32::memory_grow(0, pages);
                if base == usize::MAX {
                    return core::ptr::null_mut();
                }
                *next = base * 65_536;
                *end = *next + pages * 65_536;
                return unsafe { self.alloc(l) };
            }
            *next = start + l.size();
            start as *mut u8
        }
        unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
    }

    #[global_allocator]
    static LEAK: Leak = Leak(core::cell::UnsafeCell::new((0, 0)));
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// Runs `rounds` rounds of the workload; the checksum keeps it from being optimised away.
#[no_mangle]
pub extern "C" fn run(rounds: u32) -> u32 {
    let mut checksum = 0u32;
    for r in 0..core::hint::black_box(rounds) {
        let mut kept: Vec<Vec<u8>> = Vec::new();
        for i in 0..200u32 {
            let n = ((i * 37 + r) % 300) as usize + 1;
            let mut s = Vec::new();
            for j in 0..n {
                s.push((j as u8) ^ (i as u8));
            }
            checksum = checksum.wrapping_add(u32::from(s[n / 2]));
            if i % 3 != 0 {
                kept.push(s);
            }
        }
        let mut big: Vec<u32> = Vec::new();
        for k in 0..5000 {
            big.push(k ^ r);
        }
        checksum = checksum.wrapping_add(big[4999]).wrapping_add(kept.len() as u32);
    }
    checksum
}

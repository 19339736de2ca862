//! The `.wasm`'s memory allocator: power-of-two size classes over `memory.grow`.
//!
//! std's default allocator on `wasm32-unknown-unknown` is dlmalloc, about 8 KB of
//! code (3.5 KB brotli) — sized for programs that churn through megabytes. A consent
//! banner allocates a few hundred small strings and vectors and keeps most of them,
//! so this allocator trades a little memory for almost no code:
//!
//! * every request is rounded up to a power of two (at least 8 bytes), its *class*;
//! * a freed block goes on its class's free list and is handed out again, first,
//!   to the next request of the same class (the list's link lives in the block);
//! * otherwise blocks are carved off the end of the heap, aligned to their own
//!   size (capped at a 64 KiB page), so a block suits every layout of its class;
//! * the heap starts in the space the module's first pages have after the stack
//!   and the data (`__heap_base` to the end of the initial memory), then grows by
//!   whole pages with `memory.grow`, one at a time for blocks up to a page; memory
//!   is never returned (WebAssembly cannot shrink a memory anyway).
//!
//! The module is single-threaded (no atomics), which is what makes the unsynchronised
//! state sound; with the atomics target feature the allocator refuses to compile. The logic is generic over where pages come from, so the host tests
//! drive it over an ordinary buffer.

use core::alloc::Layout;
use core::ptr::null_mut;

/// A WebAssembly page, the unit `memory.grow` works in.
pub const PAGE: usize = 65_536;

/// The number of size classes: one per bit of an address.
const CLASSES: usize = usize::BITS as usize;

/// Where fresh pages come from.
pub trait Pages {
    /// The free space the heap starts with, `(start, end)`: for the `.wasm`, what
    /// its first pages hold after the stack and the data. Asked until the heap
    /// has memory; an empty range makes it grow at once.
    fn initial(&mut self) -> (usize, usize);

    /// Adds `count` pages and returns the address of the first, or `None` when the
    /// memory cannot grow.
    fn grow(&mut self, count: usize) -> Option<usize>;
}

/// The allocator's state: a free list per class and the unused end of the heap.
pub struct Heap<P> {
    free: [usize; CLASSES],
    next: usize,
    end: usize,
    pages: P,
}

/// The class of a layout: `log2` of the block size that holds it, or `None` when it
/// is too large to exist (or asks for more than a page of alignment).
fn class(layout: Layout) -> Option<usize> {
    if layout.align() > PAGE {
        return None;
    }
    let size = layout.size().max(layout.align()).max(8);
    let block = size.checked_next_power_of_two()?;
    Some(block.trailing_zeros() as usize)
}

impl<P: Pages> Heap<P> {
    /// An empty heap that will take its pages from `pages`.
    pub const fn new(pages: P) -> Self {
        Heap {
            free: [0; CLASSES],
            next: 0,
            end: 0,
            pages,
        }
    }

    /// A block for `layout`, or null when memory is exhausted.
    ///
    /// # Safety
    /// The caller owns the block until it passes it back to [`Heap::dealloc`] or
    /// [`Heap::realloc`] with the same layout.
    pub unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        let Some(k) = class(layout) else {
            return null_mut();
        };
        let head = self.free[k];
        if head != 0 {
            // SAFETY: a block on a free list is at least 8 bytes, aligned, and ours.
            self.free[k] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        let size = 1usize << k;
        let align = size.min(PAGE);
        loop {
            let Some(start) = self.next.checked_add(align - 1).map(|n| n & !(align - 1)) else {
                return null_mut();
            };
            if let Some(stop) = start.checked_add(size) {
                if stop <= self.end {
                    self.next = stop;
                    return start as *mut u8;
                }
            }
            if self.end == 0 {
                // First use: the space after the stack and the data comes first.
                (self.next, self.end) = self.pages.initial();
                if self.next < self.end {
                    continue;
                }
            }
            // New pages start on a page boundary, which suits every block: a
            // block of up to a page needs one page, a larger one its own size.
            let count = (size / PAGE).max(1);
            let Some(base) = self.pages.grow(count) else {
                return null_mut();
            };
            if base != self.end {
                // Not contiguous with ours (somebody else grew the memory): the rest
                // of the old end is abandoned.
                self.next = base;
            }
            // Saturating: a 4 GiB memory ends one past the last 32-bit address.
            self.end = base.saturating_add(count.saturating_mul(PAGE));
        }
    }

    /// Gives a block back.
    ///
    /// # Safety
    /// `ptr` came from this heap with this `layout` and is not used afterwards.
    pub unsafe fn dealloc(&mut self, ptr: *mut u8, layout: Layout) {
        let Some(k) = class(layout) else { return };
        // SAFETY: the block is ours again, at least 8 bytes and aligned for a usize.
        unsafe { *(ptr as *mut usize) = self.free[k] };
        self.free[k] = ptr as usize;
    }

    /// Resizes a block: in place when the new size has the same class, else by
    /// moving the contents to a new block.
    ///
    /// # Safety
    /// As [`Heap::dealloc`] for `ptr` and `layout`; `new_size` is not zero.
    pub unsafe fn realloc(&mut self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return null_mut();
        };
        if class(new_layout) == class(layout) {
            return ptr;
        }
        // SAFETY: as documented on the three calls.
        unsafe {
            let moved = self.alloc(new_layout);
            if !moved.is_null() {
                core::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            moved
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use super::{Heap, Pages, PAGE};
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    /// Pages from the module's own memory (memory 0).
    pub struct Memory;

    extern "C" {
        /// Where the linker put the end of the stack and the data: the heap's start.
        static __heap_base: u8;
    }

    impl Pages for Memory {
        fn initial(&mut self) -> (usize, usize) {
            // (Only the symbol's address is taken, never its contents.)
            let start = core::ptr::addr_of!(__heap_base) as usize;
            (start, core::arch::wasm32::memory_size(0) * PAGE)
        }

        fn grow(&mut self, count: usize) -> Option<usize> {
            let previous = core::arch::wasm32::memory_grow(0, count);
            (previous != usize::MAX).then(|| previous * PAGE)
        }
    }

    /// The global allocator of the `.wasm`.
    pub struct Global(UnsafeCell<Heap<Memory>>);

    // SAFETY: wasm32 without the atomics target feature has one thread, so the
    // unsynchronised state is never shared. With atomics (threads over a shared
    // memory) this would be a data race: `Global` is then not `Sync` and the
    // `#[global_allocator]` below does not compile, which the error says.
    #[cfg(not(target_feature = "atomics"))]
    unsafe impl Sync for Global {}

    #[cfg(target_feature = "atomics")]
    compile_error!(
        "src/heap.rs is a single-threaded allocator: build the .wasm without the atomics target feature"
    );

    // SAFETY: delegates to `Heap`, whose blocks never overlap while owned.
    unsafe impl GlobalAlloc for Global {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            unsafe { (*self.0.get()).alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { (*self.0.get()).dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            unsafe { (*self.0.get()).realloc(ptr, layout, new_size) }
        }
    }

    #[global_allocator]
    static GLOBAL: Global = Global(UnsafeCell::new(Heap::new(Memory)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::{alloc, dealloc};

    /// Pages from an ordinary page-aligned host buffer; `gap` pages are skipped
    /// before every grow after the first, to exercise non-contiguous growth.
    struct Arena {
        base: *mut u8,
        used: usize,
        limit: usize,
        gap: usize,
        /// Whether the first page is given as initial space (as the .wasm's is).
        head: bool,
    }

    impl Arena {
        fn with_head(limit: usize, gap: usize) -> Arena {
            let mut arena = Arena::new(limit, gap);
            arena.head = true;
            arena
        }

        fn new(limit: usize, gap: usize) -> Arena {
            let base = unsafe { alloc(Layout::from_size_align(limit * PAGE, PAGE).unwrap()) };
            assert!(!base.is_null());
            Arena {
                base,
                used: 0,
                limit,
                gap,
                head: false,
            }
        }
    }

    impl Drop for Arena {
        fn drop(&mut self) {
            unsafe {
                dealloc(
                    self.base,
                    Layout::from_size_align(self.limit * PAGE, PAGE).unwrap(),
                )
            }
        }
    }

    impl Pages for Arena {
        fn initial(&mut self) -> (usize, usize) {
            // Like the .wasm's first pages: some space already there, unaligned.
            if !self.head || self.used > 0 {
                return (0, 0);
            }
            self.used = 1;
            (self.base as usize + 24, self.base as usize + PAGE)
        }

        fn grow(&mut self, count: usize) -> Option<usize> {
            let skip = if self.used == 0 { 0 } else { self.gap };
            if self.used + skip + count > self.limit {
                return None;
            }
            let at = self.base as usize + (self.used + skip) * PAGE;
            self.used += skip + count;
            Some(at)
        }
    }

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn classes_are_powers_of_two_of_at_least_eight_bytes() {
        assert_eq!(class(layout(0, 1)), Some(3));
        assert_eq!(class(layout(1, 1)), Some(3));
        assert_eq!(class(layout(8, 8)), Some(3));
        assert_eq!(class(layout(9, 1)), Some(4));
        assert_eq!(class(layout(4, 32)), Some(5), "alignment counts as size");
        assert_eq!(class(layout(100_000, 8)), Some(17));
        assert_eq!(
            class(layout(8, 2 * PAGE)),
            None,
            "more than a page of alignment is refused"
        );
        let largest = class(layout(isize::MAX as usize, 1));
        assert_eq!(
            largest,
            Some(usize::BITS as usize - 1),
            "the largest layout still has a class"
        );
    }

    #[test]
    fn a_freed_block_is_reused_by_its_class_only() {
        let mut heap = Heap::new(Arena::new(8, 0));
        unsafe {
            let a = heap.alloc(layout(24, 8));
            let b = heap.alloc(layout(100, 4));
            heap.dealloc(a, layout(24, 8));
            assert_ne!(
                heap.alloc(layout(100, 4)),
                a,
                "another class does not take it"
            );
            assert_eq!(heap.alloc(layout(30, 2)), a, "the same class does");
            assert_ne!(a, b);
        }
    }

    #[test]
    fn realloc_stays_in_place_within_a_class_and_moves_the_contents_otherwise() {
        let mut heap = Heap::new(Arena::new(8, 0));
        unsafe {
            let p = heap.alloc(layout(5, 1));
            p.copy_from_nonoverlapping(b"hello".as_ptr(), 5);
            assert_eq!(heap.realloc(p, layout(5, 1), 8), p);
            let q = heap.realloc(p, layout(8, 1), 300);
            assert_ne!(q, p);
            assert_eq!(std::slice::from_raw_parts(q, 5), b"hello");
            assert_eq!(
                heap.alloc(layout(7, 1)),
                p,
                "the old block went back on its list"
            );
        }
    }

    #[test]
    fn large_blocks_span_pages_and_growth_may_be_discontiguous() {
        let mut heap = Heap::new(Arena::new(64, 1));
        unsafe {
            let small = heap.alloc(layout(16, 8));
            small.write_bytes(0x11, 16);
            let big = heap.alloc(layout(3 * PAGE + 1, 8));
            assert!(!small.is_null() && !big.is_null());
            assert_eq!(
                big as usize % PAGE,
                0,
                "blocks over a page are page-aligned"
            );
            big.write_bytes(0xAB, 3 * PAGE + 1);
            assert!(std::slice::from_raw_parts(small, 16)
                .iter()
                .all(|&b| b == 0x11));
            let after = heap.alloc(layout(PAGE, 8));
            assert!(
                after as usize >= big as usize + 4 * PAGE || after as usize + PAGE <= big as usize
            );
        }
    }

    #[test]
    fn the_initial_space_is_used_first_then_pages_are_added() {
        let mut heap = Heap::new(Arena::with_head(8, 1));
        let first = heap.pages.base as usize;
        unsafe {
            let a = heap.alloc(layout(100, 8));
            assert!(
                a as usize >= first + 24 && (a as usize) < first + PAGE,
                "inside the initial space, after what it starts with"
            );
            assert_eq!(a as usize % 128, 0, "aligned to its class");
            let b = heap.alloc(layout(PAGE / 2, 8));
            assert_eq!(b as usize, first + PAGE / 2, "still fits in the first page");
            let c = heap.alloc(layout(PAGE / 2, 8));
            assert!(
                c as usize >= first + PAGE,
                "the first page is full: a new one"
            );
            assert_eq!(heap.pages.used, 3, "one page added (after the gap)");
            a.write_bytes(1, 100);
            b.write_bytes(2, PAGE / 2);
            c.write_bytes(3, PAGE / 2);
            assert_eq!(*a, 1);
            assert_eq!(*b, 2);
        }
    }

    #[test]
    fn exhaustion_is_a_null_pointer_not_a_crash() {
        let mut heap = Heap::new(Arena::new(4, 0));
        unsafe {
            assert!(heap.alloc(layout(10 * PAGE, 8)).is_null());
            assert!(
                !heap.alloc(layout(64, 8)).is_null(),
                "smaller requests still succeed"
            );
        }
    }

    /// Every size class a banner uses and then some: sizes up to 64 KiB with
    /// every alignment up to 4096 bytes, all live at once, then freed and
    /// taken again from the free lists.
    #[test]
    fn sizes_up_to_64_kib_and_alignments_up_to_4096() {
        let sizes = [
            1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 100, 255, 256, 257, 1000, 4095, 4096, 4097, 8191,
            8192, 20_000, 32_768, 65_535, 65_536,
        ];
        let aligns: Vec<usize> = (0..=12).map(|a| 1 << a).collect();
        let mut heap = Heap::new(Arena::with_head(192, 1));
        let (lo, hi) = {
            let a = &heap.pages;
            (a.base as usize, a.base as usize + a.limit * PAGE)
        };
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        unsafe {
            for &size in &sizes {
                for &align in &aligns {
                    let l = layout(size, align);
                    let p = heap.alloc(l);
                    assert!(!p.is_null(), "{size} bytes aligned to {align}");
                    assert_eq!(p as usize % align, 0, "{size} bytes aligned to {align}");
                    assert!(
                        p as usize >= lo && p as usize + size <= hi,
                        "inside the arena"
                    );
                    let fill = live.len() as u8;
                    p.write_bytes(fill, size);
                    live.push((p, l, fill));
                }
            }
            assert_disjoint(&live);
            for &(p, l, f) in &live {
                assert!(holds(p, l.size(), f), "a block was overwritten");
            }
            // Freed, then the same requests again: each class's blocks come back.
            let mut before: Vec<usize> = live.iter().map(|b| b.0 as usize).collect();
            for &(p, l, _) in &live {
                heap.dealloc(p, l);
            }
            let end = heap.end;
            let mut again: Vec<usize> = live
                .iter()
                .map(|&(_, l, _)| heap.alloc(l) as usize)
                .collect();
            assert_eq!(
                heap.end, end,
                "no new pages for requests the free lists hold"
            );
            before.sort_unstable();
            again.sort_unstable();
            assert_eq!(again, before);
        }
    }

    /// Whether `size` bytes at `p` all hold `fill` (Miri: the first, the last
    /// and every 61st, as reading every byte interpreted is slow; the writes,
    /// which Miri checks for bounds and overlap, are whole).
    unsafe fn holds(p: *mut u8, size: usize, fill: u8) -> bool {
        let bytes = unsafe { std::slice::from_raw_parts(p, size) };
        if cfg!(miri) {
            bytes
                .iter()
                .step_by(61)
                .chain(bytes.last())
                .all(|&b| b == fill)
        } else {
            bytes.iter().all(|&b| b == fill)
        }
    }

    /// Live blocks never overlap.
    fn assert_disjoint(live: &[(*mut u8, Layout, u8)]) {
        let mut spans: Vec<(usize, usize)> = live
            .iter()
            .map(|&(p, l, _)| (p as usize, p as usize + l.size()))
            .collect();
        spans.sort_unstable();
        for w in spans.windows(2) {
            assert!(
                w[0].1 <= w[1].0,
                "blocks {:x?} and {:x?} overlap",
                w[0],
                w[1]
            );
        }
    }

    /// Random allocate / free / resize sequences with sizes up to 64 KiB and
    /// alignments up to 4096: every live block is aligned, inside the arena,
    /// disjoint from the others, and keeps its contents.
    #[cfg(not(target_arch = "wasm32"))]
    mod random {
        use super::*;
        use proptest::prelude::*;
        use proptest::test_runner::Config;

        #[derive(Debug, Clone)]
        enum Op {
            Alloc(usize, u32),
            Free(usize),
            Resize(usize, usize),
        }

        fn size() -> impl Strategy<Value = usize> {
            prop_oneof![6 => 1usize..64, 3 => 1usize..4096, 1 => 1usize..=65_536]
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                4 => (size(), 0u32..=12).prop_map(|(s, a)| Op::Alloc(s, a)),
                2 => any::<usize>().prop_map(Op::Free),
                1 => (any::<usize>(), size()).prop_map(|(i, s)| Op::Resize(i, s)),
            ]
        }

        /// Fewer, shorter runs under Miri, which interprets every step; no
        /// failure files there (Miri isolates the file system).
        fn config() -> Config {
            if cfg!(miri) {
                Config {
                    cases: 6,
                    failure_persistence: None,
                    ..Config::default()
                }
            } else {
                Config::with_cases(96)
            }
        }

        fn ops() -> impl Strategy<Value = Vec<Op>> {
            prop::collection::vec(op(), 1..if cfg!(miri) { 40 } else { 160 })
        }

        proptest! {
            #![proptest_config(config())]

            #[test]
            fn live_blocks_never_overlap_and_keep_their_contents(ops in ops()) {
                let mut heap = Heap::new(Arena::with_head(1024, 1));
                let (lo, hi) = (heap.pages.base as usize, heap.pages.base as usize + heap.pages.limit * PAGE);
                // (pointer, layout, fill byte)
                let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
                let mut fill = 0u8;
                unsafe {
                    for op in ops {
                        let touched = match op {
                            Op::Alloc(size, a) => {
                                let l = layout(size, 1 << a);
                                let p = heap.alloc(l);
                                prop_assert!(!p.is_null());
                                prop_assert_eq!(p as usize % l.align(), 0);
                                fill = fill.wrapping_add(1);
                                p.write_bytes(fill, l.size());
                                live.push((p, l, fill));
                                live.len() - 1
                            }
                            Op::Free(i) if !live.is_empty() => {
                                let (p, l, f) = live.swap_remove(i % live.len());
                                prop_assert!(holds(p, l.size(), f), "a block was overwritten before it was freed");
                                heap.dealloc(p, l);
                                continue;
                            }
                            Op::Resize(i, size) if !live.is_empty() => {
                                let i = i % live.len();
                                let (p, l, f) = live[i];
                                let q = heap.realloc(p, l, size);
                                prop_assert!(!q.is_null());
                                prop_assert_eq!(q as usize % l.align(), 0);
                                prop_assert!(holds(q, l.size().min(size), f), "realloc lost the contents");
                                q.write_bytes(f, size);
                                live[i] = (q, layout(size, l.align()), f);
                                i
                            }
                            _ => continue,
                        };
                        let (p, l, _) = live[touched];
                        prop_assert!(p as usize >= lo && p as usize + l.size() <= hi, "outside the arena");
                        let (start, stop) = (p as usize, p as usize + l.size());
                        for (j, &(q, m, _)) in live.iter().enumerate() {
                            let (a, b) = (q as usize, q as usize + m.size());
                            prop_assert!(j == touched || stop <= a || b <= start, "overlaps a live block");
                        }
                    }
                    for &(p, l, f) in &live {
                        prop_assert!(holds(p, l.size(), f), "a live block was overwritten");
                    }
                }
            }
        }
    }
}

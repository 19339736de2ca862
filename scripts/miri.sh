#!/usr/bin/env bash
# The .wasm's allocator (src/heap.rs) under Miri, the Rust interpreter that
# catches undefined behaviour (out-of-bounds or misaligned access, use after
# free, overlapping copies) which the plain host tests cannot see:
#   bash scripts/miri.sh        run `cargo miri test --lib` on those tests with the pinned nightly
# Exits 0 with a printed reason ("miri: skipped: ...") when the pinned nightly
# or its miri component cannot be had, so scripts/test.sh can call it anywhere;
# a Miri finding or a failing test exits non-zero. Also runs the unit tests of
# the model's two other `unsafe` blocks (src/model/codec.rs, src/model/text.rs).
set -euo pipefail
cd "$(dirname "$0")/.."

skip() { echo "miri: skipped: $*"; exit 0; }

command -v rustup >/dev/null 2>&1 || skip "rustup is not installed"
TOOLCHAIN="$(bash scripts/nightly.sh 2>/dev/null)" ||
  skip "the pinned nightly is not installed (bash scripts/nightly.sh --install)"

if ! rustup component list --toolchain "$TOOLCHAIN" --installed 2>/dev/null | grep -q '^miri'; then
  echo "miri: installing the miri component for $TOOLCHAIN" >&2
  rustup component add miri --toolchain "$TOOLCHAIN" >&2 ||
    skip "rustup cannot install miri for $TOOLCHAIN (offline, or no miri in that nightly)"
fi

# Miri's own standard library, built once from rust-src (cached under ~/.cache/miri).
cargo +"$TOOLCHAIN" miri setup >&2 ||
  skip "cargo miri setup failed for $TOOLCHAIN (it needs rust-src, and crates.io once)"

# The allocator hands out addresses it computed as integers, as memory.grow
# gives them on wasm32: permissive provenance says so instead of warning.
export MIRIFLAGS="${MIRIFLAGS:--Zmiri-permissive-provenance}"
echo "miri: src/heap.rs, codec and text tests with $TOOLCHAIN (MIRIFLAGS=$MIRIFLAGS)"
exec cargo +"$TOOLCHAIN" miri test --lib -- heap:: model::codec:: model::text::

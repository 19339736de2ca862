#!/usr/bin/env bash
# Prints the name of the pinned nightly toolchain the visitor's modules are
# built with, installing it (with rust-src and the wasm32 target) when asked:
#   bash scripts/nightly.sh            the toolchain's name, or exit 1 if missing
#   bash scripts/nightly.sh --install  install what is missing first
# Why nightly: `-Z build-std` with `panic = immediate-abort` drops the panic and
# formatting machinery from the .wasm (see README, "Size and speed").
set -euo pipefail
DATE=2026-05-19
PINNED="nightly-$DATE"

ready() { # toolchain has rust-src and the wasm32 target
  rustup run "$1" rustc --print sysroot >/dev/null 2>&1 &&
    [ -d "$(rustup run "$1" rustc --print sysroot)/lib/rustlib/src/rust/library/core" ] &&
    [ -d "$(rustup run "$1" rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown" ]
}
dated() { rustup run "$1" rustc --version 2>/dev/null | grep -q " $DATE)"; }

# The image's plain `nightly` may already be the pinned one: use it rather than download again.
for name in "$PINNED" nightly; do
  if dated "$name"; then
    if ! ready "$name" && [ "${1:-}" = --install ]; then
      rustup component add rust-src --toolchain "$name" >&2
      rustup target add wasm32-unknown-unknown --toolchain "$name" >&2
    fi
    if ready "$name"; then echo "$name"; exit 0; fi
  fi
done
if [ "${1:-}" = --install ]; then
  rustup toolchain install "$PINNED" --profile minimal --component rust-src --target wasm32-unknown-unknown >&2
  echo "$PINNED"
  exit 0
fi
echo "the pinned toolchain $PINNED is not installed: run make setup" >&2
exit 1

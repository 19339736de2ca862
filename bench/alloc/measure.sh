#!/usr/bin/env bash
# Builds the allocator benchmark once per allocator and prints, for each, the
# .wasm's raw and brotli (-q 11) bytes, before and after wasm-opt -Oz, and the
# workload's time in Node. Figures go in docs/allocator.md.
#   bash bench/alloc/measure.sh                  (wasm-opt from WASM_OPT, else node_modules/.bin)
set -euo pipefail
cd "$(dirname "$0")"
VARIANTS=(leak heap lol talc-small talc dlmalloc)
WASM_OPT="${WASM_OPT:-../../node_modules/.bin/wasm-opt}"
mkdir -p out
for v in "${VARIANTS[@]}"; do
  cargo build --quiet --release --target wasm32-unknown-unknown --features "$v"
  cp target/wasm32-unknown-unknown/release/alloc_bench.wasm "out/$v.wasm"
  if [ -x "$WASM_OPT" ]; then
    "$WASM_OPT" -Oz --enable-bulk-memory --enable-multivalue "out/$v.wasm" -o "out/$v.opt.wasm"
  fi
done
node measure.mjs "${VARIANTS[@]}"

#!/usr/bin/env bash
# Builds www/devtool/: the configurator's config checker (www/configure.html).
# It is src/check.rs, the code behind `consent-gate check`, compiled to
# WebAssembly with the `devtool` feature (src/devtool.rs: serde +
# serde-wasm-bindgen at the JS boundary). A developer tool served by the demo
# and the tests; never copied into pkg/, so no visitor ever downloads it.
#   www/devtool/consent_gate_devtool.js       wasm-bindgen's glue (ES module)
#   www/devtool/consent_gate_devtool_bg.wasm  the checker
# Stable Rust is enough; `make demo` and `make test` run this script.
set -euo pipefail
cd "$(dirname "$0")/.."
printf '==> %s\n' "compiling the configurator's checker (www/devtool/, the devtool feature)"

# Its own target directory and no RUSTFLAGS from scripts/build.sh (those are
# nightly-only): the visitor's modules and this tool never share an artifact.
out=target/devtool/bindgen
env -u RUSTFLAGS CARGO_PROFILE_RELEASE_OPT_LEVEL=s CARGO_PROFILE_RELEASE_LTO=true \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_PANIC=abort \
  cargo build --quiet --lib --release --target wasm32-unknown-unknown \
  --no-default-features --features devtool --target-dir target/devtool
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name consent_gate_devtool \
  target/devtool/wasm32-unknown-unknown/release/consent_gate.wasm
# binaryen from npm (pinned in package-lock.json), as scripts/build.sh uses it.
node_modules/.bin/wasm-opt -Os --enable-multivalue --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-sign-ext --enable-mutable-globals \
  --strip-debug --strip-producers "$out/consent_gate_devtool_bg.wasm" -o "$out/consent_gate_devtool_bg.opt.wasm"

rm -rf www/devtool.tmp && mkdir -p www/devtool.tmp
cp "$out/consent_gate_devtool.js" www/devtool.tmp/
cp "$out/consent_gate_devtool_bg.opt.wasm" www/devtool.tmp/consent_gate_devtool_bg.wasm
rm -rf www/devtool && mv www/devtool.tmp www/devtool
printf '    %-42s %7d bytes, brotli %6d\n' www/devtool/consent_gate_devtool_bg.wasm \
  "$(wc -c <www/devtool/consent_gate_devtool_bg.wasm)" "$(brotli -q 11 -c www/devtool/consent_gate_devtool_bg.wasm | wc -c)"

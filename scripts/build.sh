#!/usr/bin/env bash
# Builds pkg/: the folder a site serves at /consent-gate/ (and the npm package).
#   pkg/consent-gate.js    the loader with wasm-bindgen's glue spliced in
#   pkg/consent-gate.wasm  the module, optimised with wasm-opt -Oz
#   + everything else in pkg-template/ (ES module entry, .d.ts, package.json)
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '==> %s\n' "$*"; }

out=target/wasm-pack
say "compiling the wasm module (cargo --profile wasm, then wasm-bindgen)"
cargo build --quiet --lib --target wasm32-unknown-unknown --profile wasm
wasm-bindgen --target no-modules --no-typescript --out-dir "$out" --out-name consent_gate \
  target/wasm32-unknown-unknown/wasm/consent_gate.wasm

rm -rf pkg.tmp && mkdir -p pkg.tmp
say "optimising with wasm-opt -Oz (binaryen from npm)"
# binaryen from npm (pinned in package-lock.json), not Debian's 108: that one
# rewrites wasm-bindgen's externref table as anyref and the module no longer loads.
# A second -Oz after --gufa (whole-program value flow), to a fixed point: -0.16 KB brotli.
node_modules/.bin/wasm-opt -Oz --gufa -Oz --converge --enable-multivalue --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
  --enable-sign-ext --enable-mutable-globals --strip-debug --strip-producers \
  "$out/consent_gate_bg.wasm" -o "$out/consent-gate.opt.wasm"
say "shortening import names in the .wasm and its glue"
node scripts/minify-imports.mjs "$out/consent-gate.opt.wasm" "$out/consent_gate.js" \
  pkg.tmp/consent-gate.wasm "$out/consent_gate.short.js"

say "assembling pkg/ from pkg-template/"
cp -R pkg-template/. pkg.tmp/
node scripts/pack-languages.mjs pkg-template/lang pkg.tmp/lang
node scripts/splice-glue.mjs pkg-template/consent-gate.js "$out/consent_gate.short.js" > "$out/consent-gate.full.js"
say "minifying the loader (esbuild)"
node_modules/.bin/esbuild "$out/consent-gate.full.js" --minify --target=es2020 --log-level=warning \
  --outfile=pkg.tmp/consent-gate.js
rm -rf pkg && mv pkg.tmp pkg
for f in pkg/consent-gate.js pkg/consent-gate.wasm pkg/lang/de.json; do
  printf '    %-24s %7d bytes, brotli %6d\n' "$f" "$(wc -c <"$f")" "$(brotli -q 11 -c "$f" | wc -c)"
done

#!/usr/bin/env bash
# Builds pkg/: the folder a site serves at /consent-gate/ (and the npm package).
#   pkg/consent-gate.js       the loader (every visitor)
#   pkg/consent-gate.wasm     the core module (every visitor): cookie, validity, gating
#   pkg/consent-gate-ui.js    the banner module's glue (only when the banner is needed)
#   pkg/consent-gate-ui-late.js  the glue's late part, imported beside the rest (below)
#   pkg/consent-gate-ui.wasm  the banner module, what runs before the banner is visible
#   pkg/consent-gate-ui-rest.wasm  the rest of it (decisions, dialog, declarations),
#                             fetched once the banner is drawn (scripts/split-ui.mjs)
#   pkg/consent-gate-placeholders.js  placeholders for blocked embeds (only on pages that have one)
#   pkg/consent-gate-block.js automatic blocking (only for configs with autoBlock/blockHosts)
#   + everything else in pkg-template/ (ES module entry, .d.ts, package.json, lang/)
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '==> %s\n' "$*"; }

nightly=$(bash scripts/nightly.sh)
# No panic or formatting machinery (immediate abort), no location strings.
export RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"
# binaryen from npm (pinned in package-lock.json), not Debian's 108: that one
# rewrites wasm-bindgen's externref table as anyref and the module no longer loads.
# -Oz to a fixed point. (--gufa, whole-program value flow, with a second -Oz
# once paid 160 B; on today's banner module it costs 40 B brotli, so it is gone.)
wasm_opt() {
  local passes=${3:--Oz --converge} strip=${4:---strip-debug}
  # shellcheck disable=SC2086
  node_modules/.bin/wasm-opt $passes $strip --enable-multivalue --enable-bulk-memory \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-sign-ext --enable-mutable-globals \
    --strip-producers --strip-target-features "$1" -o "$2"
}

rm -rf pkg.tmp && mkdir -p pkg.tmp

say "compiling the core module (no std, no wasm-bindgen; $nightly -Z build-std)"
# 16 KiB of stack is plenty for code that neither recurses nor allocates:
# the whole module then lives in one 64 KiB page of memory.
# opt-level "s" measures 110 B brotli smaller than "z" for this module.
RUSTFLAGS="$RUSTFLAGS -Clink-arg=-zstack-size=16384" CARGO_PROFILE_WASM_OPT_LEVEL=s \
  cargo "+$nightly" build --quiet --lib --target wasm32-unknown-unknown --profile wasm \
  --no-default-features -Z build-std=core,alloc --target-dir target/core
# -O3 leaves code that brotli packs 30 B smaller than -Oz's for this module;
# flattening and re-looping first packs another 43 B smaller (measured with the
# opt-out flag in the cookie: 2,927 B brotli with "-O3 --converge", 2,884 B so).
wasm_opt target/core/wasm32-unknown-unknown/wasm/consent_gate.wasm pkg.tmp/consent-gate.wasm \
  "--flatten --rereloop -O3 --converge"

say "compiling the banner module (no std, no wasm-bindgen; $nightly -Z build-std)"
# 16 KiB of stack instead of Rust's default 1 MiB: the deepest path (reading a
# config nested 32 deep, tests/e2e/edge.test.mjs) used 5.7 KiB of it, the demo
# 3.2 KiB. With the heap starting right after the stack and the data (src/heap.rs),
# the demo's banner module lives in one 64 KiB page (it took 4 before).
RUSTFLAGS="$RUSTFLAGS -Clink-arg=-zstack-size=16384" \
  cargo "+$nightly" build --quiet --lib --target wasm32-unknown-unknown --profile wasm \
  -Z build-std=core,alloc --target-dir target/ui
# Measured wins for brotli (not for raw bytes): inlining a function into its
# only caller only when it is small (binaryen's default inlines any size),
# which keeps repeated shapes that brotli packs (-1.0 KB with wasm-bindgen),
# then flattening and re-looping twice, each time followed by -Oz (-0.3 KB).
# On the import-free module (2026-12-02 evening) the limit 30 packs 71 B
# smaller than 20 (10: +85, 40: +48, 50: +89, 80: +166 B against 30); -O3
# first, --gufa, or one round of flattening fewer all measured worse.
# (Names kept for the split below.)
wasm_opt target/ui/wasm32-unknown-unknown/wasm/consent_gate.wasm target/ui/consent-gate-ui.named.wasm \
  "--one-caller-inline-max-function-size=30 -Oz --converge --flatten --rereloop -Oz --converge --flatten --rereloop -Oz --converge" \
  --debuginfo
# What runs before the banner is visible (what configure and start reach) and
# everything after it, in two files: a first visit fetches the second once the
# banner is drawn (2026-12-03, with the moves that made the start lean, README
# Size notes: -ui.wasm 22,713 -> 12,277 B brotli, the rest 13,756 B).
node scripts/split-ui.mjs target/ui/consent-gate-ui.named.wasm pkg.tmp/consent-gate-ui.wasm pkg.tmp/consent-gate-ui-rest.wasm \
  cg_in cg_configure cg_start

say "assembling pkg/ from pkg-template/"
cp -R pkg-template/. pkg.tmp/
# The version's one source is Cargo.toml: stamped into package.json here and
# into the loader's `version` (esbuild --define) below.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ -n "$version" ] || { echo "build.sh: no version = \"…\" line in Cargo.toml" >&2; exit 1; }
node -e '
  const fs = require("fs");
  const [version, file] = process.argv.slice(1);
  const { name, ...rest } = JSON.parse(fs.readFileSync(file, "utf8"));
  fs.writeFileSync(file, JSON.stringify({ name, version, ...rest }, null, 2) + "\n");
' "$version" pkg.tmp/package.json
node scripts/pack-languages.mjs pkg-template/lang pkg.tmp/lang
say "minifying the loader and the glue (esbuild)"
# `//# allFunctionsCalledOnLoad` (V8's explicit compile hint, Chrome 136+; other
# engines read a comment): the loader's and the entry's functions are nearly all
# called on the way to the banner, so V8 compiles them while the file streams in,
# off the main thread, instead of one by one on their first call. Interleaved
# A/B on the bench page at 4x CPU (2026-12-03, 11 visits a side, twice): banner
# 666 -> 580 and 648 -> 577 ms; +20 B brotli per file, JS heap +16 KiB (the
# bytecode of the few functions a first visit does not call).
hint="--banner:js=//# allFunctionsCalledOnLoad"
node_modules/.bin/esbuild pkg-template/consent-gate.js --minify --target=es2020 --log-level=warning \
  "$hint" --define:CONSENT_GATE_VERSION="\"$version\"" --outfile=pkg.tmp/consent-gate.js
# Placeholders for blocked embeds (the banner module imports it only when a page has one).
node_modules/.bin/esbuild src/browser/placeholders.mjs --minify --format=esm --target=es2020 --log-level=warning \
  --outfile=pkg.tmp/consent-gate-placeholders.js
# Automatic blocking, with the built-in host list of data/trackers.txt.
node_modules/.bin/esbuild pkg-template/consent-gate-block.js --minify --target=es2020 --log-level=warning \
  "--define:CONSENT_GATE_TRACKERS=$(node scripts/trackers.mjs --define)" --outfile=pkg.tmp/consent-gate-block.js
# The banner module's entry, its DOM builder and its stylesheet, bundled into one ES module.
node_modules/.bin/esbuild src/browser/boot.mjs --bundle --minify --format=esm --target=es2020 "$hint" \
  --external:./consent-gate-placeholders.js --loader:.css=text --log-level=warning \
  --outfile=pkg.tmp/consent-gate-ui.js
# Its late part (what runs only once the banner is drawn), imported beside the rest of the module.
# Without the compile hint: its functions are first called after the banner, a
# few at a time (V8 compiles each then, ~µs); with it the JS heap was +3.8 KiB.
node_modules/.bin/esbuild src/browser/late.mjs --bundle --minify --format=esm --target=es2020 \
  --loader:.css=text --log-level=warning \
  --outfile=pkg.tmp/consent-gate-ui-late.js
rm -rf pkg && mv pkg.tmp pkg
for f in pkg/consent-gate.js pkg/consent-gate-block.js pkg/consent-gate-placeholders.js pkg/consent-gate.wasm pkg/consent-gate-ui.js pkg/consent-gate-ui-late.js pkg/consent-gate-ui.wasm pkg/consent-gate-ui-rest.wasm pkg/lang/de.json; do
  printf '    %-26s %7d bytes, brotli %6d\n' "$f" "$(wc -c <"$f")" "$(brotli -q 11 -c "$f" | wc -c)"
done

#!/usr/bin/env bash
# Installs what building and testing need, only where it is missing.
# Safe to run again: every step checks first and says what it does.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages: the browser and its driver for tests, brotli for the size
# report, Node.js for the build (wasm-opt comes from npm) and the end-to-end tests,
# Python and PHP for the server-side cookie readers' tests (tests/readers.rs).
debs=()
have chromium || debs+=(chromium)
have chromedriver || debs+=(chromium-driver)
have brotli || debs+=(brotli)
have node || debs+=(nodejs)
have npm || debs+=(npm)
have python3 || debs+=(python3)
have php || debs+=(php-cli)
# PostgreSQL server binaries for the consent-log tests and bench (a throwaway cluster each run).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || debs+=(postgresql)
if [ ${#debs[@]} -gt 0 ]; then
  say "installing Debian packages: ${debs[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${debs[@]}" >/dev/null
else
  say "Debian packages present (chromium, chromium-driver, brotli, node, python3, php, postgresql)"
fi

# binaryen's wasm-split, which splits the banner module (scripts/split-ui.mjs):
# npm's binaryen does not ship it, Debian's package does (108 in bookworm).
# Unpacked under target/tools/ rather than installed, so that its older
# wasm-opt never shadows npm's (which the build uses).
split=target/tools/binaryen/usr/bin/wasm-split
if [ ! -x "$split" ]; then
  say "unpacking wasm-split from Debian's binaryen package into target/tools/binaryen"
  tmp=$(mktemp -d)
  if ! (cd "$tmp" && apt-get download -qq binaryen 2>/dev/null); then
    as_root apt-get update -qq
    (cd "$tmp" && apt-get download -qq binaryen)
  fi
  mkdir -p target/tools/binaryen
  dpkg -x "$tmp"/binaryen_*.deb target/tools/binaryen
  rm -rf "$tmp"
fi
say "wasm-split: $("$split" --version)"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The pinned nightly (scripts/nightly.sh) the visitor's modules are built with.
say "nightly toolchain: $(bash scripts/nightly.sh --install)"

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
got=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$got" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (found: ${got:-none})"
  # Not --locked: its lock file names a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$want" --force
fi


# npm packages for the tests, exactly as package-lock.json says.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
say "setup complete"

#!/usr/bin/env bash
# Every test suite, in the order a failure is cheapest to find: the code
# gates (rustfmt, clippy on the host and on the three wasm32 builds), host unit +
# scenario + property tests (and the tools' tests), the allocator under Miri,
# then the built package end to end with Playwright in headless Chromium (the
# modules' browser edge, src/browser/*.mjs|js and the loader, is JavaScript:
# tests/e2e/edge.test.mjs drives it directly).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\n==> %s\n' "$*"; }

say "code gates (cargo fmt --check; clippy -D warnings on the host and on wasm32: the banner module, the core, the devtool)"
cargo fmt --check
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown --no-default-features --features devtool -- -D warnings

say "host tests (cargo test)"
cargo test --quiet

say "the allocator under Miri (skips with a reason where Miri cannot be installed)"
bash scripts/miri.sh

say "building pkg/"
bash scripts/build.sh
bash scripts/build-devtool.sh

say "size budgets (bench/budget.json: brotli bytes a returning and a first-time visitor download)"
node bench/check-budget.mjs

say "end-to-end tests (Playwright + Chromium against www/ and tests/e2e/fixtures/)"
node --test --test-concurrency=1 tests/e2e/

say "all test suites passed"

#!/usr/bin/env bash
# Every test suite, in the order a failure is cheapest to find: the code
# gates (rustfmt, clippy on the host and on both wasm32 builds), host unit +
# scenario + property tests (and the tools' tests), the allocator under Miri,
# browser-layer tests in headless Chromium, then the built package end to end
# with Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\n==> %s\n' "$*"; }

say "code gates (cargo fmt --check; clippy -D warnings on the host and on wasm32, with and without ui, and its browser-layer tests)"
cargo fmt --check
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown -- -D warnings
# The lib as its browser-layer tests build it (cfg(test): src/browser/tests.rs, src/api.rs's tests).
cargo clippy --quiet --lib --target wasm32-unknown-unknown --profile test -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown --no-default-features --features devtool -- -D warnings

say "host tests (cargo test)"
cargo test --quiet

say "the allocator under Miri (skips with a reason where Miri cannot be installed)"
bash scripts/miri.sh

say "browser-layer tests (the banner module's lib tests in headless Chromium, wasm-bindgen-test-runner)"
# Only the lib's tests: `wasm-pack test` would also build the integration tests
# for wasm32, and the native tools' tests (sqlx, axum) do not build there.
# webdriver.json passes Chromium the flags it needs here (--no-sandbox as root, no background networking).
CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --lib --target wasm32-unknown-unknown

say "building pkg/"
bash scripts/build.sh
bash scripts/build-devtool.sh

say "size budgets (bench/budget.json: brotli bytes a returning and a first-time visitor download)"
node bench/check-budget.mjs

say "end-to-end tests (Playwright + Chromium against www/ and tests/e2e/fixtures/)"
node --test --test-concurrency=1 tests/e2e/

say "all test suites passed"

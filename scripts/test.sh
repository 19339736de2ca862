#!/usr/bin/env bash
# Every test suite, in the order a failure is cheapest to find:
# host unit + scenario + property tests, browser-layer tests in headless
# Chromium, then the built package end to end with Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\n==> %s\n' "$*"; }

say "host tests (cargo test)"
cargo test --quiet

say "browser-layer tests (wasm-pack test --headless --chrome)"
# webdriver.json passes Chromium the flags it needs here (--no-sandbox as root, no background networking).
CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}" wasm-pack test --headless --chrome -- --lib

say "building pkg/"
bash scripts/build.sh

say "size budget (bench/budget.json: brotli bytes an English visitor downloads)"
node bench/check-budget.mjs

say "end-to-end tests (Playwright + Chromium against www/ and tests/e2e/fixtures/)"
node --test --test-concurrency=1 tests/e2e/

say "all test suites passed"

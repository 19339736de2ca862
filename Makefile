# Consent Gate — the commands a newcomer needs. Each one sets up what it needs first.
.PHONY: setup build devtool demo test miri screenshots bench size cli bench-log dist clean

setup:            ## install the toolchain and test dependencies where missing
	@bash scripts/setup.sh

build: setup      ## build pkg/ (the folder a site serves)
	@bash scripts/build.sh

devtool: setup    ## the configurator's config checker (www/devtool/, a developer tool: never in pkg/)
	@bash scripts/build-devtool.sh

demo: build cli devtool ## build, then serve www/ with pkg/ at /consent-gate/ on http://127.0.0.1:8080, the consent-log receiver beside it
	@node scripts/demo.mjs --port 8080

test: setup       ## every test suite: host, browser layer, end to end
	@bash scripts/test.sh

miri:             ## the .wasm's allocator (src/heap.rs) under Miri with the pinned nightly; skips with a reason if Miri cannot be installed
	@bash scripts/miri.sh

screenshots: build ## render every layout, light and dark, and RTL into docs/screenshots/
	@node scripts/screenshots.mjs

bench: build      ## Consent Gate against five JavaScript peers in headless Chromium; prints a Markdown table
	@node bench/run.mjs

size: build       ## what the .wasm is made of, and the brotli bytes of each file a visitor downloads
	@node bench/size.mjs

cli:              ## the native tools (checker, consent-log receiver) at target/release/consent-gate
	cargo build --release --bin consent-gate

bench-log:        ## the consent-log receiver: decisions/s and p50/p99 at 64 clients, SQLite and PostgreSQL
	cargo bench --bench log

dist: build       ## dist/: the npm tarball and a zip of the served folder, with SHA256SUMS (what a release offers)
	@bash scripts/dist.sh

clean:
	rm -rf pkg pkg.tmp target/wasm-pack

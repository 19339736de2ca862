#!/usr/bin/env bash
# `make dist`: what a release offers, in dist/ (after `make build`):
#   consent-gate-<version>.tgz   the npm package (npm pack of pkg/)
#   consent-gate-<version>.zip   the folder a site serves, as a zip
#   SHA256SUMS                   checksums of both
# A site owner without Rust takes the zip (or `npm install` the tarball).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(node -p 'require("./pkg/package.json").version')
rm -rf dist && mkdir -p dist
npm pack ./pkg --pack-destination dist --silent >/dev/null
# python3's zipfile: no zip binary needed; the archive holds a consent-gate/ folder.
rm -rf dist/consent-gate && cp -R pkg dist/consent-gate
(cd dist && python3 -m zipfile -c "consent-gate-$version.zip" consent-gate && rm -rf consent-gate)
(cd dist && sha256sum "consent-gate-$version.tgz" "consent-gate-$version.zip" > SHA256SUMS)
ls -l dist

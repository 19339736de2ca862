#!/usr/bin/env node
// Fails (exit 1) when the brotli bytes an English visitor downloads (consent-gate.js +
// consent-gate.wasm) exceed the budget committed in bench/budget.json; otherwise
// prints the figure and the headroom. Lower the budget as bytes are won.
//
//   node bench/check-budget.mjs      (from the repository root, after `make build`)
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH, PKG } from "./server.mjs";
import { bytes, measureFiles, visitorFiles } from "./sizes.mjs";

const budget = JSON.parse(readFileSync(join(BENCH, "budget.json"), "utf8"));
const limit = budget.englishVisitorBrotliBytes;
if (!Number.isInteger(limit) || limit <= 0) {
  console.error("size budget: bench/budget.json has no positive integer englishVisitorBrotliBytes");
  process.exit(1);
}
const { en } = visitorFiles(PKG);
const missing = en.filter((f) => !existsSync(f.file));
if (missing.length) {
  console.error(`size budget: ${missing.map((f) => f.file).join(", ")} missing: run \`make build\` first`);
  process.exit(1);
}
const { files, total } = measureFiles(en);
const detail = files.map((f) => `${f.path} ${bytes(f.brotli)}`).join(" + ");
if (total.brotli > limit) {
  console.error(`size budget EXCEEDED: an English visitor downloads ${bytes(total.brotli)} bytes (brotli -q 11: ${detail}),`);
  console.error(`${bytes(total.brotli - limit)} bytes over the budget of ${bytes(limit)} in bench/budget.json.`);
  console.error("Win the bytes back (node bench/size.mjs shows where they go), or raise the budget in a reviewed commit that says why.");
  process.exit(1);
}
const headroom = limit - total.brotli;
console.log(`size budget ok: an English visitor downloads ${bytes(total.brotli)} bytes (brotli -q 11: ${detail});`);
console.log(`budget ${bytes(limit)}, headroom ${bytes(headroom)} bytes (${((100 * headroom) / limit).toFixed(1)}%).`);

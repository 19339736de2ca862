#!/usr/bin/env node
// Fails (exit 1) when the brotli bytes a visitor downloads exceed the budgets in
// bench/budget.json: a returning visitor (loader + core), an English and a German
// first-time visitor before the banner is visible (loader + banner module,
// + lang/de.json; the rest of the banner module and the core come after the banner); otherwise prints each
// figure and its headroom, and the whole first visit. Lower the budgets as bytes are won.
//
//   node bench/check-budget.mjs      (from the repository root, after `make build`)
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH, PKG } from "./server.mjs";
import { bytes, measureFiles, visitorFiles } from "./sizes.mjs";

const budget = JSON.parse(readFileSync(join(BENCH, "budget.json"), "utf8"));
const visits = visitorFiles(PKG);
// Each budget key and the visit it limits.
const checks = [
  ["returningVisitorBrotliBytes", "a returning visitor (valid decision stored)", visits.returning],
  ["firstVisitEnglishBrotliBytes", "an English first-time visitor, before the banner shows,", visits.en],
  ["firstVisitGermanBrotliBytes", "a German first-time visitor, before the banner shows,", visits.de],
];
let over = false;
for (const [key, who, files] of checks) {
  const limit = budget[key];
  if (!Number.isInteger(limit) || limit <= 0) {
    console.error(`size budget: bench/budget.json has no positive integer ${key}`);
    process.exit(1);
  }
  const missing = (files || []).filter((f) => !existsSync(f.file));
  if (!files || missing.length) {
    console.error(`size budget: ${missing.map((f) => f.file).join(", ") || "pkg/lang/de.json"} missing: run \`make build\` first`);
    process.exit(1);
  }
  const { files: rows, total } = measureFiles(files);
  const detail = rows.map((f) => `${f.path} ${bytes(f.brotli)}`).join(" + ");
  if (total.brotli > limit) {
    over = true;
    console.error(`size budget EXCEEDED: ${who} downloads ${bytes(total.brotli)} bytes (brotli -q 11: ${detail}),`);
    console.error(`${bytes(total.brotli - limit)} bytes over the budget of ${bytes(limit)} (${key} in bench/budget.json).`);
  } else {
    const headroom = limit - total.brotli;
    console.log(`size budget ok: ${who} downloads ${bytes(total.brotli)} bytes (${detail});`);
    console.log(`  budget ${bytes(limit)}, headroom ${bytes(headroom)} bytes (${((100 * headroom) / limit).toFixed(1)}%).`);
  }
}
// Not budgeted: the core a first visit fetches once the banner module has started.
if (!over) {
  const later = measureFiles(visits.afterBanner).total.brotli;
  const whole = (files) => bytes(measureFiles(files).total.brotli + later);
  console.log(`then, after the banner, the rest of the banner module, its entry's late part and the core: ${bytes(later)} bytes; whole first visit ${whole(visits.en)} (English), ${whole(visits.de)} (German).`);
}
if (over) {
  console.error("Win the bytes back (make size shows where they go), or raise the budget in a reviewed commit that says why.");
  process.exit(1);
}

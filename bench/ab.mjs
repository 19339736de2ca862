#!/usr/bin/env node
// Interleaved A/B of two builds of Consent Gate on the bench page: the way
// every speed figure in the README's size notes was taken.
//
//   node bench/ab.mjs <pkgA> <pkgB> [visits per side, default 15] [CPU rate, default 1]
//
// <pkgA> and <pkgB> are folders like pkg/ (copy pkg/ aside before a change,
// build again, compare). Each visit is a first visit in a fresh browser
// context, measured as `make bench` measures Consent Gate (bench/measure.mjs);
// the order alternates A, B / B, A so that drift on the machine spreads over
// both. Prints the medians of the banner, first paint, accept → stub, long
// tasks (and their p90) and JS heap. An A/A run (the same folder twice) shows this machine's
// noise: quote a difference only when it is well above that.
import { resolve } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, measureVisit } from "./measure.mjs";
import { PEERS, renderPage } from "./peers.mjs";
import { stats } from "./report.mjs";
import { startServer } from "./server.mjs";

const [a, b, visits = "15", rate = "1"] = process.argv.slice(2);
if (!a || !b) {
  console.error("usage: node bench/ab.mjs <pkgA> <pkgB> [visits per side] [CPU rate]");
  process.exit(2);
}
const N = Number(visits);
const cpu = Number(rate);
/** The bench's own server for one build (only Consent Gate's page and files). */
const serve = (dir) => startServer({ renderPage, peerPackages: [], pkg: resolve(dir) });

const peer = PEERS.find((p) => p.id === "consent-gate");
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const servers = { A: await serve(a), B: await serve(b) };
const results = { A: [], B: [] };
try {
  for (let i = 0; i < N; i++) {
    for (const side of i % 2 ? ["B", "A"] : ["A", "B"]) {
      const visit = await measureVisit(browser, servers[side], peer, { cpu });
      if (visit.error) throw new Error(`${side}: ${visit.error}`);
      results[side].push(visit);
    }
  }
} finally {
  await browser.close();
  await Promise.all([servers.A.close(), servers.B.close()]);
}
console.log(`${N} visits a side, CPU ×${cpu}, medians unless it says p90 (A = ${a}, B = ${b})`);
const rows = [
  ["banner visible (ms)", "bannerMs"],
  ["first paint (ms)", "fcpMs"],
  ["accept → stub (ms)", "acceptToStubMs"],
  ["long tasks (ms)", "longTaskMs"],
  ["long tasks, p90 (ms)", "longTaskMs", "p90"],
  ["JS heap (B)", "heapBytes"],
];
// (The bench report's own median and p90, so the two tools agree.)
for (const [label, key, which = "median"] of rows) {
  const [ma, mb] = [stats(results.A.map((v) => v[key]))?.[which], stats(results.B.map((v) => v[key]))?.[which]];
  console.log(`${label.padEnd(22)} A ${String(Math.round(ma * 10) / 10).padStart(9)}   B ${String(Math.round(mb * 10) / 10).padStart(9)}`);
}

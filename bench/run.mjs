#!/usr/bin/env node
// `make bench`: Consent Gate against five other consent banners, in headless Chromium,
// on pages served from 127.0.0.1. Prints a Markdown report and writes the raw
// figures to bench/results/latest.json. See bench/README.md.
//
//   node bench/run.mjs                 (from the repository root, after `make build`)
//   BENCH_RUNS=3 node bench/run.mjs    fewer runs, for a quick look (default and minimum for a real run: 15)
//   BENCH_CALLS=100000 ...             calls per query measurement (default 1,000,000)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { BENCH, PKG, startServer } from "./server.mjs";
import { CONTROL, PEERS, PEER_PACKAGES, renderPage } from "./peers.mjs";
import { CHROMIUM, CHROMIUM_ARGS, libraryFiles, measureVisit } from "./measure.mjs";
import { markdown, summarize } from "./report.mjs";
import { compressedSizes, measureFiles } from "./sizes.mjs";

const RUNS = Number(process.env.BENCH_RUNS || 15);
const QUERY_CALLS = Number(process.env.BENCH_CALLS || 1_000_000);
const RATES = [1, 4];
/** Hard stop for the whole run: it must end by itself whatever happens. */
const WATCHDOG_MS = Number(process.env.BENCH_WATCHDOG_MS || 45 * 60_000);
const SELF = "consent-gate";

const log = (msg) => process.stderr.write(msg + "\n");

/** `npm ci` for the bench's own pinned peers when node_modules is missing or older than the lock. */
function ensurePeers() {
  const lock = join(BENCH, "package-lock.json");
  const marker = join(BENCH, "node_modules", ".package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log("==> installing the benchmark's peers (npm ci --prefix bench)");
  // npm talks on stderr only: stdout is the report.
  const r = spawnSync("npm", ["ci", "--prefix", BENCH, "--ignore-scripts", "--no-audit", "--no-fund"], { stdio: ["ignore", 2, 2] });
  if (r.status !== 0) {
    log("bench: `npm ci --prefix bench` failed");
    process.exit(1);
  }
}

async function loadPlaywright() {
  try {
    return (await import("playwright-core")).chromium;
  } catch {
    log("bench: playwright-core is missing: run `make setup` (it installs the root devDependencies)");
    process.exit(1);
  }
}

async function main() {
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`BENCH_RUNS must be a positive integer, not ${process.env.BENCH_RUNS}`);
  if (!existsSync(join(PKG, "consent-gate.js")) || !existsSync(join(PKG, "consent-gate.wasm"))) {
    log(`bench: ${PKG} has no consent-gate.js/.wasm: run \`make build\` first`);
    process.exit(1);
  }
  ensurePeers();
  const chromium = await loadPlaywright();

  const server = await startServer({ renderPage, peerPackages: PEER_PACKAGES });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const watchdog = setTimeout(() => {
    log(`bench: still running after ${WATCHDOG_MS / 60000} min: giving up`);
    browser.close().finally(() => process.exit(2));
  }, WATCHDOG_MS);
  watchdog.unref();

  const started = Date.now();
  const meta = {
    date: new Date().toISOString(),
    browser: `Chromium ${browser.version()}`,
    executable: CHROMIUM,
    cores: cpus().length,
    cpuModel: cpus()[0]?.model?.trim() || "?",
    memoryGiB: (totalmem() / 2 ** 30).toFixed(0),
    freeMemoryGiB: (freemem() / 2 ** 30).toFixed(1),
    loadavg: loadavg().map((x) => x.toFixed(2)).join(" "),
    node: process.version,
    runs: RUNS,
    rates: RATES,
    queryCalls: QUERY_CALLS,
  };
  log(`==> ${meta.browser}, ${meta.cores} cores, ${RUNS} runs × ${PEERS.length + 1} pages × CPU ${RATES.join("/")}×`);

  const all = [...PEERS, CONTROL];
  const visits = [];
  const payload = {};
  try {
    // Warm-up and payload: one English and one German visit per library (not timed).
    for (const peer of all) {
      payload[peer.id] = {};
      for (const lang of ["en", "de"]) {
        const v = await measureVisit(browser, server, peer, { lang, accept: lang === "en" });
        if (v.error) log(`    ${peer.id} (${lang}): ${v.error}`);
        // Not counted in the payload, shown beside it: what the embed (tags, inline config,
        // texts) adds to the page's HTML, brotli bytes over the same page without a library.
        const inPage = compressedSizes(Buffer.from(renderPage(peer.id, lang))).brotli - compressedSizes(Buffer.from(renderPage(CONTROL.id, lang))).brotli;
        payload[peer.id][lang] = { ...measureFiles(libraryFiles(v, PEER_PACKAGES)), inPageBrotli: inPage, error: v.error ?? null };
      }
    }
    log(`==> payload measured; timing ${RUNS} runs`);

    for (let run = 0; run < RUNS; run++) {
      for (const cpu of RATES) {
        // Interleaved: every library once per run and rate, the order rotating each run.
        const order = all.map((_, i) => all[(i + run) % all.length]);
        for (const peer of order) {
          const v = await measureVisit(browser, server, peer, {
            cpu,
            queryCalls: cpu === 1 ? QUERY_CALLS : 0,
            timeoutMs: 15000 * cpu,
          });
          v.run = run;
          delete v.requests;
          visits.push(v);
          if (v.error) log(`    run ${run + 1}, ${peer.id} at ${cpu}×: ${v.error}`);
        }
      }
      log(`    run ${run + 1}/${RUNS} done (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    clearTimeout(watchdog);
    await browser.close().catch(() => {});
    await server.close();
  }

  const summary = summarize(visits, all.map((p) => p.id), RATES);
  const failures = [];
  for (const v of visits.filter((x) => x.error)) {
    const f = failures.find((x) => x.peer === v.peer && x.cpu === v.cpu && x.error === v.error);
    if (f) f.count++;
    else failures.push({ peer: v.peer, cpu: v.cpu, lang: v.lang, error: v.error, count: 1 });
  }
  const libs = PEERS.map((p) => ({ id: p.id, name: p.name, version: p.version, queryLabel: p.queryLabel, acceptHasOwnListener: !!p.acceptHasOwnListener, notes: p.notes }));
  const control = { id: CONTROL.id, name: CONTROL.name };
  meta.seconds = Math.round((Date.now() - started) / 1000);

  console.log(markdown({ meta, libs, control, payload, summary, failures, selfId: SELF }));

  const dir = join(BENCH, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "latest.json");
  writeFileSync(file, JSON.stringify({ meta, libraries: libs, payload, summary, failures, visits }, null, 1) + "\n");
  log(`==> raw results: ${file} (${meta.seconds} s)`);

  // The bench is about Consent Gate: if its own banner failed, say so with the exit code.
  if (visits.some((v) => v.peer === SELF && v.error) || payload[SELF].en.error) process.exit(1);
}

main().catch((err) => {
  log(`bench: ${err.stack || err}`);
  process.exit(1);
});

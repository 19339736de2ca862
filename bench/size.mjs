#!/usr/bin/env node
// `make size`: what the .wasm is made of, and the bytes a visitor downloads.
//
//   node bench/size.mjs              (from the repository root, after `make build`)
//   node bench/size.mjs --no-twiggy  use the built-in section reader even if twiggy is installed
//
// The .wasm: `twiggy top -n 25` when twiggy is installed (`cargo install twiggy`),
// else the largest function bodies read by bench/wasm-sections.mjs; then its sections.
// The shipped .wasm has no names (wasm-opt --strip-debug), so when the build left the
// module before wasm-opt (target/wasm-pack/consent_gate_bg.wasm) its largest named
// functions are listed too.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { PKG, REPO } from "./server.mjs";
import { bytes, measureFiles, visitorFiles } from "./sizes.mjs";
import { parseWasm } from "./wasm-sections.mjs";

// Each shipped module, and the same build before wasm-opt (which still has names).
const MODULES = [
  [join(PKG, "consent-gate.wasm"), join(REPO, "target", "core", "wasm32-unknown-unknown", "wasm", "consent_gate.wasm")],
  [join(PKG, "consent-gate-ui.wasm"), join(REPO, "target", "ui", "wasm32-unknown-unknown", "wasm", "consent_gate.wasm")],
  // The rest of the banner module (scripts/split-ui.mjs): its functions are
  // named in the banner module's named build, listed above.
  [join(PKG, "consent-gate-ui-rest.wasm"), null],
];
const TOP = 25;
const show = (p) => relative(process.cwd(), p) || p;

function table(header, rows, align) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (align[i] === "r" ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function functionTable(functions, total, n) {
  const top = [...functions].sort((a, b) => b.size - a.size).slice(0, n);
  const rest = functions.length - top.length;
  const restBytes = functions.reduce((s, f) => s + f.size, 0) - top.reduce((s, f) => s + f.size, 0);
  const pct = (x) => `${((100 * x) / total).toFixed(2)}%`;
  const rows = top.map((f) => [bytes(f.size), pct(f.size), f.name.length > 100 ? f.name.slice(0, 97) + "..." : f.name]);
  if (rest > 0) rows.push([bytes(restBytes), pct(restBytes), `... and ${rest} more functions`]);
  return table(["bytes", "%", "function"], rows, ["r", "r", "l"]);
}

function twiggyAvailable() {
  const r = spawnSync("twiggy", ["--version"], { encoding: "utf8" });
  return !r.error && r.status === 0;
}

function main() {
  for (const [wasm, preOpt] of MODULES) describe(wasm, preOpt);
  visits();
  features();
}

// The features of the banner module that live in modules of their own
// (src/model/<name>.rs): their functions' bytes in the named build before
// wasm-opt (raw; wasm-opt and brotli shrink them further, so these are upper
// bounds), and the language files a visitor may fetch, one at most.
const FEATURE_MODULES = [
  ["regions (src/model/region.rs)", "::model::region::"],
  ["crawlers (src/model/crawler.rs)", "::model::crawler::"],
  ["blockHosts checker (src/model/hosts.rs; the checker's only)", "::model::hosts::"],
];

function features() {
  console.log(`\n## What each feature costs\n`);
  const rows = [];
  const preOpt = MODULES[1][1];
  const sameBuild = existsSync(preOpt) && Math.abs(statSync(preOpt).mtimeMs - statSync(MODULES[1][0]).mtimeMs) < 10 * 60_000;
  const pre = sameBuild ? parseWasm(readFileSync(preOpt)) : null;
  for (const [label, needle] of FEATURE_MODULES) {
    if (!pre?.named) break;
    // Names are Rust's v0 mangling (`..12consent_gate5model6region..`), or demangled.
    const v0 = needle.split("::").filter(Boolean).map((s) => s.length + s).join("");
    const fns = pre.functions.filter((f) => f.name.includes(needle) || f.name.includes(v0));
    rows.push([`${label}: ${fns.length} function${fns.length === 1 ? "" : "s"} in the banner module`, bytes(fns.reduce((t, f) => t + f.size, 0)) + " raw", "pre wasm-opt"]);
  }
  if (!pre?.named) console.log("(the banner module's named build before wasm-opt is missing or older than pkg/: no per-module figures)");
  const { block, placeholders } = visitorFiles(PKG);
  for (const [label, files] of [["automatic blocking (consent-gate-block.js, only with autoBlock/blockHosts)", block], ["placeholders (consent-gate-placeholders.js, only with a blocked embed)", placeholders]])
    if (files.every((f) => existsSync(f.file))) rows.push([label, bytes(measureFiles(files).total.brotli), "brotli"]);
  const langDir = join(PKG, "lang");
  if (existsSync(langDir)) {
    const sizes = readdirSync(langDir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => measureFiles([{ path: `lang/${f}`, file: join(langDir, f) }]).total.brotli)
      .sort((a, b) => a - b);
    rows.push([`languages: ${sizes.length + 1} (English built in), one file per non-English visitor`, `${bytes(sizes[0])} to ${bytes(sizes[sizes.length - 1])}`, "brotli"]);
  }
  console.log(table(["feature", "bytes", "measure"], rows, ["l", "r", "l"]));
}

function describe(WASM, PRE_OPT) {
  if (!existsSync(WASM)) {
    console.error(`size: ${show(WASM)} is missing: run \`make build\` first`);
    process.exit(1);
  }
  const wasm = readFileSync(WASM);
  const parsed = parseWasm(wasm);

  console.log(`\n## What ${show(WASM)} is made of (${bytes(wasm.length)} bytes)\n`);
  const useTwiggy = !process.argv.includes("--no-twiggy") && twiggyAvailable();
  if (useTwiggy) {
    console.log(`twiggy top -n ${TOP} ${show(WASM)}`);
    const r = spawnSync("twiggy", ["top", "-n", String(TOP), WASM], { encoding: "utf8" });
    process.stdout.write(r.stdout || "");
    if (r.status !== 0) console.log(`(twiggy failed: ${(r.stderr || "").trim()})`);
  } else {
    if (!process.argv.includes("--no-twiggy")) console.log("(twiggy is not installed: `cargo install twiggy` for its views; using the built-in reader)");
    console.log(`\nLargest ${TOP} function bodies (code section; ${parsed.functions.length} functions, ${parsed.importedFunctions} imported):\n`);
    console.log(functionTable(parsed.functions, wasm.length, TOP));
  }

  console.log(`\nSections:\n`);
  const rows = parsed.sections.map((s) => [s.name, bytes(s.size), `${((100 * s.size) / wasm.length).toFixed(1)}%`]);
  rows.push(["(header)", "8", `${((100 * 8) / wasm.length).toFixed(1)}%`]);
  console.log(table(["section", "bytes", "%"], rows, ["l", "r", "r"]));

  // Only a pre-wasm-opt module from the same build (written minutes before pkg/) says anything.
  const sameBuild = existsSync(PRE_OPT) && Math.abs(statSync(PRE_OPT).mtimeMs - statSync(WASM).mtimeMs) < 10 * 60_000;
  if (!parsed.named && sameBuild) {
    const pre = parseWasm(readFileSync(PRE_OPT));
    if (pre.named) {
      console.log(`\nThe shipped module has no names. The same build before wasm-opt, with names`);
      console.log(`(${show(PRE_OPT)}, ${bytes(readFileSync(PRE_OPT).length)} bytes; sizes shrink under wasm-opt -Oz):\n`);
      console.log(functionTable(pre.functions, readFileSync(PRE_OPT).length, 15));
    }
  }

  console.log("");
}

function visits() {
  console.log(`\n## What a visitor downloads\n`);
  const { returning, en, de, afterBanner, block, placeholders } = visitorFiles(PKG);
  const enSizes = measureFiles(en);
  const deSizes = de ? measureFiles(de) : null;
  const fileRows = measureFiles([...(de ?? en), ...afterBanner]).files.map((f) => [`pkg/${f.path}`, bytes(f.raw), bytes(f.gzip), bytes(f.brotli)]);
  const total = (label, t) => [label, bytes(t.raw), bytes(t.gzip), bytes(t.brotli)];
  fileRows.push(total("returning visitor (loader + core)", measureFiles(returning).total));
  // A first visit: the banner module first; the core once it has started.
  fileRows.push(total("first visit, English, before the banner (loader + banner module)", enSizes.total));
  if (deSizes) fileRows.push(total("first visit, German, before the banner (+ lang/de.json)", deSizes.total));
  fileRows.push(total("+ after the banner: the rest of the banner module and of its entry, the core", measureFiles(afterBanner).total));
  fileRows.push(total("whole first visit, English", measureFiles([...en, ...afterBanner]).total));
  if (deSizes) fileRows.push(total("whole first visit, German", measureFiles([...de, ...afterBanner]).total));
  // The features a page turns on, each in its own file.
  const feature = (label, files) => {
    if (files.every((f) => existsSync(f.file))) fileRows.push(total(label, measureFiles(files).total));
  };
  feature("+ autoBlock / blockHosts (consent-gate-block.js)", block);
  feature("+ placeholders (consent-gate-placeholders.js)", placeholders);
  feature("returning visitor with autoBlock", [...returning, ...block]);
  feature("first visit, English, with autoBlock, before the banner", [...en, ...block]);
  console.log(table(["file", "raw", "gzip -9", "brotli -q 11"], fileRows, ["l", "r", "r", "r"]));
  if (!deSizes) console.log("\n(pkg/lang/de.json is not there: no German total)");
}

main();

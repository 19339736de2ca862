#!/usr/bin/env node
// Splits the banner module in two at function level, so that a first visit
// fetches only what runs before the banner is visible:
//
//   node scripts/split-ui.mjs <named.wasm> <first.wasm> <rest.wasm> <export>...
//
// <named.wasm> is the optimized banner module with its names section. Every
// function the listed exports can reach by direct calls (the module has no
// table, so direct calls are all there is; checked) stays in <first.wasm>;
// the rest (decisions, the dialog's categories, cookie declarations, clean-up
// after a withdrawal, ...) moves to <rest.wasm>, which shares the first's
// memory, stack pointer and table. binaryen's wasm-split does the moving:
// each moved function keeps a slot in a table of the first module, filled by
// a placeholder import (`p`) until the rest is instantiated with the first's
// exports as its imports (`m`), which fills the slots with the real code.
// src/browser/boot.mjs fetches the rest after the banner is drawn; until then
// only the listed exports may be called, and a check here proves the first
// module can reach no placeholder from them.
//
// wasm-split comes from Debian's binaryen package (scripts/setup.sh unpacks
// it under target/tools/; npm's binaryen does not ship it). It reads the
// module without names (functions are then known by index, and the exports
// it adds for the rest get one-letter names).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = "node_modules/.bin/";
const SPLIT = process.env.WASM_SPLIT || "target/tools/binaryen/usr/bin/wasm-split";
const FEATURES = [
  "--enable-multivalue",
  "--enable-bulk-memory",
  "--enable-nontrapping-float-to-int",
  "--enable-reference-types",
  "--enable-sign-ext",
  "--enable-mutable-globals",
];

const [named, firstOut, restOut, ...roots] = process.argv.slice(2);
if (!roots.length) {
  console.error("usage: node scripts/split-ui.mjs <named.wasm> <first.wasm> <rest.wasm> <export>...");
  process.exit(2);
}

const run = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28 });
const wat = (file) => run(BIN + "wasm-dis", [file]);

/** Each function's direct callees, in the module's order; its exports; whether it calls through a table. */
function graph(text) {
  const calls = new Map();
  const indirect = new Set();
  const exports = new Map();
  let current = null;
  for (const line of text.split("\n")) {
    const fn = /^ \(func \$(\S+)/.exec(line);
    if (fn) {
      current = fn[1];
      calls.set(current, new Set());
      continue;
    }
    const ex = /^ \(export "([^"]+)" \(func \$(\S+?)\)\)/.exec(line);
    if (ex) exports.set(ex[1], ex[2]);
    if (!current) continue;
    for (const c of line.matchAll(/\(call \$(\S+?)(?=[\s)]|$)/g)) calls.get(current).add(c[1]);
    if (/\((call_indirect|return_call_indirect|call_ref|ref\.func)\b/.test(line)) indirect.add(current);
  }
  return { calls, indirect, exports };
}

function reachable(g, from) {
  const seen = new Set();
  const stack = from.map((name) => {
    const f = g.exports.get(name);
    if (!f) throw new Error(`split-ui: no export ${name}`);
    return f;
  });
  while (stack.length) {
    const f = stack.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    for (const c of g.calls.get(f) || []) stack.push(c);
  }
  return seen;
}

const whole = graph(wat(named));
if (whole.indirect.size) throw new Error(`split-ui: calls through a table in ${[...whole.indirect].join(", ")}: direct calls no longer tell what runs`);
const keep = reachable(whole, roots);

const dir = mkdtempSync(join(tmpdir(), "split-ui-"));
try {
  // Without names binaryen calls the i-th defined function "i" (imports aside).
  const order = [...whole.calls.keys()];
  const keepFile = join(dir, "keep");
  writeFileSync(keepFile, order.flatMap((f, i) => (keep.has(f) ? [String(i)] : [])).join("\n") + "\n");
  const anon = join(dir, "anon.wasm");
  run(BIN + "wasm-opt", [...FEATURES, "--strip-debug", named, "-o", anon]);
  const first = join(dir, "first.wasm");
  const rest = join(dir, "rest.wasm");
  run(SPLIT, [...FEATURES, anon, "--keep-funcs=@" + keepFile, "--placeholder-namespace=p", "--import-namespace=m", "-o1", first, "-o2", rest]);
  for (const [from, to] of [[first, firstOut], [rest, restOut]]) {
    run(BIN + "wasm-opt", [...FEATURES, "-Oz", "--converge", "--strip-debug", "--strip-producers", "--strip-target-features", from, "-o", to]);
  }
  // The proof: from the exports that run before the rest arrives, the first
  // module makes no call through its table (where the placeholders sit).
  const out = graph(wat(firstOut));
  const early = reachable(out, roots);
  const bad = [...early].filter((f) => out.indirect.has(f));
  if (bad.length) throw new Error(`split-ui: ${roots.join(", ")} can reach the rest's placeholders (through ${bad.join(", ")})`);
  const moved = order.length - keep.size;
  console.log(`    split: ${keep.size} functions before the banner, ${moved} after (${roots.length} early exports)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

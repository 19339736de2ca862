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
// The rest then calls the first module's functions through that table too
// (callThroughTable): the first exports only its memory, table, stack pointer
// and the `cg_…` functions JavaScript calls.
// src/browser/boot.mjs fetches the rest after the banner is drawn; until then
// only the listed exports may be called, and a check here proves the first
// module can reach no placeholder from them. Text that only the rest's code
// names (its messages, the record's JSON keys, the full config's key names)
// then moves out of the first module's data into the rest's (moveRestText),
// and a second check runs the first module's early exports in 126 situations
// with and without that text to prove they never read it (checkEarly).
//
// wasm-split comes from Debian's binaryen package (scripts/setup.sh unpacks
// it under target/tools/; npm's binaryen does not ship it). It reads the
// module without names (functions are then known by index, and the exports
// it adds for the rest get one-letter names).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import binaryen from "binaryen";
import { Reader } from "../bench/wasm-sections.mjs";
import { encode, encoder } from "../src/browser/encode.mjs";

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

/** Unsigned and signed LEB128, as the wasm binary format writes numbers. */
function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
function sleb(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return out.concat(b);
    out.push(b | 0x80);
  }
}

/** The active segments of a binary's data section: `{ at, offset, size }` (address, where the bytes sit in the file, length). */
function dataSegments(bin) {
  const r = new Reader(bin, 8);
  while (r.pos < r.end) {
    const id = r.byte();
    const size = r.u32();
    if (id !== 11) {
      r.skip(size);
      continue;
    }
    const out = [];
    for (let n = r.u32(); n > 0; n--) {
      if (r.byte() !== 0 || r.byte() !== 0x41) throw new Error("split-ui: a data segment that is not `active, memory 0, i32.const`");
      const at = r.s32();
      if (r.byte() !== 0x0b) throw new Error("split-ui: a data segment's offset is not one constant");
      const size = r.u32();
      out.push({ at, offset: r.pos, size });
      r.skip(size);
    }
    return out;
  }
  return [];
}

/** The bytes of a data segment's string as wasm-dis prints it. */
function watBytes(s) {
  const out = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== "\\") {
      out.push(...Buffer.from(s[i]));
      continue;
    }
    const hex = s.slice(i + 1, i + 3);
    if (/^[0-9a-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      const c = s[++i];
      out.push({ n: 10, t: 9, r: 13 }[c] ?? c.charCodeAt(0));
    }
  }
  return out;
}

/**
 * Text that only the rest uses moves out of the first module's data into an
 * active segment of the rest at the same address (the two share one memory;
 * the rest writes it when it is instantiated, before any of its functions
 * runs). Static data is reached from code by its address, a constant
 * (`i32.const` or a load's `offset=`), or through a pointer stored in the data
 * itself. Every such address starts a piece, which ends where the next one
 * starts. A piece moves only when its start is named by the rest alone (not by
 * the first module, not by any pointer in the data) and every byte of it is
 * text (tables of numbers or pointers stay, whatever names them). In the first
 * module the piece becomes zeros, which cost next to nothing compressed.
 * Returns what moved: `{ bytes, pieces }`.
 */
function moveRestText(firstFile, restFile) {
  const firstWat = wat(firstFile);
  const restWat = wat(restFile);
  const DATA = /^ \(data \$\S+ \(i32\.const (\d+)\) "((?:[^"\\]|\\.)*)"\)$/;
  const segments = [];
  for (const line of firstWat.split("\n")) {
    const m = DATA.exec(line);
    if (m) segments.push({ at: +m[1], bytes: watBytes(m[2]) });
    else if (/^ \(data /.test(line)) throw new Error(`split-ui: a data segment not understood: ${line.slice(0, 80)}`);
  }
  if (/^ \(data /m.test(restWat)) throw new Error("split-ui: the rest has data of its own");
  const lo = Math.min(...segments.map((s) => s.at));
  const hi = Math.max(...segments.map((s) => s.at + s.bytes.length));
  // Every address into the data a module's code names (data lines aside).
  const named = (text) => {
    const set = new Set();
    for (const line of text.split("\n")) {
      if (DATA.test(line)) continue;
      for (const m of line.matchAll(/(?:i32\.const |offset=)(-?\d+)/g)) {
        const v = Number(m[1]) >>> 0;
        if (v >= lo && v < hi) set.add(v);
      }
    }
    return set;
  };
  const first = named(firstWat);
  const rest = named(restWat);
  const byte = new Map();
  for (const s of segments) s.bytes.forEach((b, i) => byte.set(s.at + i, b));
  // Pointers kept in the data (tables of strings and the like), aligned words.
  const pointed = new Set();
  for (let a = lo - (lo % 4); a + 4 <= hi; a += 4) {
    if (![0, 1, 2, 3].every((k) => byte.has(a + k))) continue;
    const v = (byte.get(a) | (byte.get(a + 1) << 8) | (byte.get(a + 2) << 16) | (byte.get(a + 3) << 24)) >>> 0;
    if (v >= lo && v < hi) pointed.add(v);
  }
  const isText = (b) => b === 10 || (b >= 0x20 && b < 0x7f) || b >= 0x80;
  const starts = [...new Set([...first, ...rest, ...pointed])].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i < starts.length; i++) {
    const a = starts[i];
    if (!rest.has(a) || first.has(a) || pointed.has(a)) continue;
    const segment = segments.find((s) => a >= s.at && a < s.at + s.bytes.length);
    if (!segment) continue;
    const b = Math.min(starts[i + 1] ?? hi, segment.at + segment.bytes.length);
    const bytes = segment.bytes.slice(a - segment.at, b - segment.at);
    if (bytes.every(isText)) pieces.push({ segment, a, bytes });
  }
  if (!pieces.length) return { bytes: 0, pieces: 0 };
  // Patched in the binaries (a round trip through text re-encodes the code a little larger).
  const firstBin = readFileSync(firstFile);
  const inFile = dataSegments(firstBin);
  if (inFile.length !== segments.length || inFile.some((d, i) => d.at !== segments[i].at || d.size !== segments[i].bytes.length || !firstBin.subarray(d.offset, d.offset + d.size).equals(Buffer.from(segments[i].bytes)))) {
    throw new Error("split-ui: the data segments read from the text and from the binary differ");
  }
  for (const { at, offset, size } of inFile) {
    for (const p of pieces) if (p.a >= at && p.a + p.bytes.length <= at + size) firstBin.fill(0, offset + p.a - at, offset + p.a - at + p.bytes.length);
  }
  writeFileSync(firstFile, firstBin);
  // The rest writes them in as few segments as it can (each costs a header):
  // pieces a little text apart share one, with the text between rewritten as
  // it already is (text is constant data: nothing has changed it meanwhile).
  const runs = [];
  for (const p of pieces) {
    const last = runs[runs.length - 1];
    const gap = last && p.a - (last.a + last.bytes.length);
    const between = last && Array.from({ length: gap }, (_, k) => byte.get(last.a + last.bytes.length + k));
    if (last && gap <= 24 && between.every((b) => b !== undefined && isText(b))) last.bytes = last.bytes.concat(between, p.bytes);
    else runs.push({ a: p.a, bytes: p.bytes });
  }
  // The rest has no data section (checked above): one goes at its end, where
  // the format wants it (after the code; no data count: nothing uses memory.init).
  const body = [...leb(runs.length)];
  for (const r of runs) body.push(0, 0x41, ...sleb(r.a), 0x0b, ...leb(r.bytes.length), ...r.bytes);
  writeFileSync(restFile, Buffer.concat([readFileSync(restFile), Buffer.from([11, ...leb(body.length), ...body])]));
  checkEarly(firstFile, pieces);
  return { bytes: pieces.reduce((n, p) => n + p.bytes.length, 0), pieces: pieces.length };
}

/**
 * The proof that no moved text is read before the rest arrives: the first
 * module runs what a first visit runs before the banner (the config, then the
 * start), driven as src/browser/boot.mjs drives it, in many situations (every
 * language file, regions, crawlers, layouts, themes, own texts, bad values),
 * twice each: as built (zeros where the text was) and with the text put back.
 * Every call it makes of its import, with all it passes, must be the same.
 */
function checkEarly(firstFile, pieces) {
  const module = new WebAssembly.Module(readFileSync(firstFile));
  const drive = (situation, restore) => {
    let x;
    const log = [];
    let result = "";
    const memory = () => new Uint8Array(x.memory.buffer);
    const give = (data) => {
      const b = typeof data == "string" ? encoder.encode(data) : data;
      memory().set(b, x.cg_in(b.length));
      return 1;
    };
    // The ops that answer (src/browser/js.rs, `Op`): Result 2, Now 4, Env 5,
    // Cookies 6, RandomId 11, StorageKeys 16; every other op is recorded only.
    const answer = {
      2: (text) => void (result = text),
      4: () => 1764720000,
      5: () => give(encode(situation.env)),
      6: () => give(""),
      11: () => give("00112233445566778899aabbccddeeff"),
      16: () => give(encode([])),
    };
    const j = (op, a, aLen, b, bLen, n) => {
      const text = Buffer.from(memory().subarray(a, a + aLen)).toString("latin1");
      log.push([op, text, Buffer.from(memory().subarray(b, b + bLen)).toString("latin1"), n].join("|"));
      return answer[op]?.(text) || 0;
    };
    const placeholder = () => () => {
      throw new Error("a function of the rest ran before it arrived");
    };
    x = new WebAssembly.Instance(module, { g: { j }, p: new Proxy({}, { get: placeholder }) }).exports;
    if (restore) for (const p of pieces) memory().set(p.bytes, p.a);
    give(encode(situation.config));
    const configured = x.cg_configure();
    const texts = configured > 1 && situation.texts?.[result];
    if (texts) give(encode(texts));
    log.push("configured " + configured, "started " + (configured && x.cg_start(texts ? 1 : 0, 0)));
    return log.join("\n");
  };
  const env = (over = {}) => {
    const e = { gpc: false, cookies: true, languages: ["en-US"], lang: null, ua: "Mozilla/5.0 Chrome/156", https: true, host: "www.example.com", framed: false, region: null, ...over };
    return [e.gpc, e.cookies, e.languages, e.lang, e.ua, e.https, e.host, e.framed, e.region];
  };
  const dir = new URL("../pkg-template/lang/", import.meta.url);
  const texts = Object.fromEntries(readdirSync(dir).map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(new URL(f, dir), "utf8"))]));
  const categories = { performance: { label: "Analytics", services: { matomo: { label: "Matomo", cookies: [{ name: "_pk_id" }] } } } };
  const situations = [
    { config: {}, env: env() },
    { config: { policyUrl: "/privacy", categories }, env: env({ gpc: true, https: false }) },
    { config: { regions: { EEA: "opt-in", US: "opt-out", JP: "off" } }, env: env({ region: "US-CA" }) },
    { config: { regions: { "*": "off", "US-CA": "opt-out" } }, env: env({ region: "JP" }) },
    { config: { hideFromBots: true }, env: env({ ua: "Mozilla/5.0 (compatible; Googlebot/2.1)" }) },
    { config: { blockPage: true, layout: "modal", theme: "dark" }, env: env({ framed: true }) },
    { config: { layout: "bar-top", texts: { en: { title: "Cookies here", acceptAll: "Fine" } } }, env: env({ lang: "en" }) },
    { config: { layout: 3, theme: "blue", policyUrl: "javascript:alert(1)", regions: { de: "x" }, texts: 1, language: "xx" }, env: env() },
    ...["bar", "box"].flatMap((layout) => ["light", "dark"].map((theme) => ({ config: { layout, theme, categories }, env: env() }))),
    ...Object.keys(texts).map((language) => ({ config: { categories }, env: env({ languages: [language, "en"] }), texts })),
    ...Object.keys(texts).map((language) => ({ config: { language }, env: env(), texts })),
  ];
  for (const situation of situations) {
    if (drive(situation, false) !== drive(situation, true)) {
      throw new Error(`split-ui: text moved to the rest is read before the rest arrives (config ${JSON.stringify(situation.config)})`);
    }
  }
}

/**
 * The rest calls the first module's functions through the table they share,
 * not through exports: wasm-split exports every function of the first module
 * the rest calls (94 of them) and the rest imports them, so the page held a
 * JavaScript wrapper for each (≈15 KiB of JS heap) and the first module
 * carried their export names. Here each of those functions gets a slot in
 * the first module's table (after the rest's own slots), its export goes,
 * and the rest's import becomes a function that calls that slot (wasm-opt
 * then inlines it at its call sites). Exports JavaScript calls (`cg_…`) stay.
 * Rewrites both files in place; returns how many calls moved.
 */
function callThroughTable(firstFile, restFile) {
  const F = binaryen.Features;
  const features = F.Multivalue | F.BulkMemory | F.BulkMemoryOpt | F.NontrappingFPToInt | F.ReferenceTypes | F.SignExt | F.MutableGlobals;
  const first = binaryen.readBinary(readFileSync(firstFile));
  const rest = binaryen.readBinary(readFileSync(restFile));
  try {
    first.setFeatures(features);
    rest.setFeatures(features);
    if (first.getNumTables() !== 1 || rest.getNumTables() !== 1) throw new Error("split-ui: one table each expected");
    const exported = new Map();
    for (let i = 0; i < first.getNumExports(); i++) {
      const e = binaryen.getExportInfo(first.getExportByIndex(i));
      if (e.kind === binaryen.ExternalFunction) exported.set(e.name, e.value);
    }
    const calls = [];
    for (let i = 0; i < rest.getNumFunctions(); i++) {
      const f = binaryen.getFunctionInfo(rest.getFunctionByIndex(i));
      if (f.module === "m" && !f.base.startsWith("cg_")) calls.push(f);
    }
    const tables = [first, rest].map((m) => m.getTableByIndex(0));
    const [table, restTable] = tables.map(binaryen.getTableInfo);
    const base = table.initial;
    if (restTable.initial !== base) throw new Error("split-ui: the rest imports a table of another size");
    first.addActiveElementSegment(
      table.name,
      "rest-calls",
      calls.map((f) => {
        const target = exported.get(f.base);
        if (!target) throw new Error(`split-ui: the rest imports ${f.base}, which the first module does not export`);
        first.removeExport(f.base);
        return target;
      }),
      first.i32.const(base)
    );
    for (const t of tables) {
      binaryen.Table.setInitial(t, base + calls.length);
      if (binaryen.Table.hasMax(t)) binaryen.Table.setMax(t, base + calls.length);
    }
    calls.forEach((f, i) => {
      rest.removeFunction(f.name);
      const args = binaryen.expandType(f.params).map((type, k) => rest.local.get(k, type));
      rest.addFunction(f.name, f.params, f.results, [], rest.call_indirect(restTable.name, rest.i32.const(base + i), args, f.params, f.results));
    });
    for (const [m, file] of [[first, firstFile], [rest, restFile]]) {
      if (!m.validate()) throw new Error(`split-ui: ${file} does not validate after moving the calls to the table`);
      writeFileSync(file, m.emitBinary());
    }
    return calls.length;
  } finally {
    first.dispose();
    rest.dispose();
  }
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
  const throughTable = callThroughTable(first, rest);
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
  const text = moveRestText(firstOut, restOut);
  console.log(`    split: ${keep.size} functions before the banner, ${moved} after (${roots.length} early exports), ${throughTable} called by the rest through the table; ${text.bytes} B of text in ${text.pieces} pieces move with the rest`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Prints the sizes and the workload time of each out/<variant>.wasm (see measure.sh).
import { existsSync, readFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";

const brotli = (buf) =>
  brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const ROUNDS = 50;

async function time(buf) {
  const { instance } = await WebAssembly.instantiate(buf);
  const { run, memory } = instance.exports;
  const before = memory.buffer.byteLength;
  const expected = run(2);
  const times = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    run(ROUNDS);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[3] / ROUNDS, check: expected, grown: memory.buffer.byteLength - before };
}

const rows = [["allocator", "raw", "brotli", "-Oz raw", "-Oz brotli", "ms/round", "memory grown"]];
let checks = new Set();
for (const v of process.argv.slice(2)) {
  const raw = readFileSync(`out/${v}.wasm`);
  const opt = existsSync(`out/${v}.opt.wasm`) ? readFileSync(`out/${v}.opt.wasm`) : null;
  // The leaking floor would need gigabytes for the timed rounds: sizes only.
  const t = v === "leak" ? null : await time(raw);
  if (t) checks.add(t.check);
  rows.push([v, raw.length, brotli(raw), opt ? opt.length : "-", opt ? brotli(opt) : "-", t ? t.ms.toFixed(3) : "-", t ? `${t.grown / 1024} KiB` : "-"]);
}
if (checks.size > 1) throw new Error(`the variants disagree on the workload's result: ${[...checks]}`);
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
for (const r of rows) console.log("| " + r.map((c, i) => (i ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join(" | ") + " |");

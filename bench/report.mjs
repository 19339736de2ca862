// Turns the raw visits into medians, p90s and ratios, and prints them as Markdown.
//
// Ratios compare each library with the BEST PEER: the best median among the other
// libraries (Consent Gate excluded), so Consent Gate's ratio below 1 means it beats
// every peer, and the best peer reads ×1.00. Lower is better for every figure.
import { bytes, kib } from "./sizes.mjs";

export const METRICS = [
  { key: "bannerMs", label: "banner visible", unit: "ms", digits: 0 },
  { key: "fcpMs", label: "first contentful paint", unit: "ms", digits: 0 },
  { key: "longTaskMs", label: "long tasks", unit: "ms", digits: 0 },
  { key: "cls", label: "CLS", unit: "", digits: 3 },
  { key: "heapBytes", label: "JS heap", unit: "KiB", digits: 0, scale: 1 / 1024 },
  { key: "wasmMemoryBytes", label: "wasm memory", unit: "KiB", digits: 0, scale: 1 / 1024, noRatio: true },
  { key: "acceptToStubMs", label: "accept → stub", unit: "ms", digits: 1 },
  { key: "nsPerCall", label: "query", unit: "ns/call", digits: 1, cpu1Only: true },
];

/** Median and p90 (nearest rank) of the finite numbers in `values`; null when none. */
export function stats(values) {
  const v = values.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const rank = (q) => v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)];
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { n: v.length, median, p90: rank(0.9), min: v[0], max: v[v.length - 1] };
}

/** Per library and CPU rate: `{ [metric]: stats }` over its successful visits. */
export function summarize(visits, ids, rates) {
  const out = {};
  for (const id of ids) {
    out[id] = {};
    for (const cpu of rates) {
      const mine = visits.filter((v) => v.peer === id && v.cpu === cpu && !v.error);
      const s = { visits: visits.filter((v) => v.peer === id && v.cpu === cpu).length, ok: mine.length };
      for (const m of [...METRICS, { key: "acceptReadyMs" }]) s[m.key] = stats(mine.map((v) => v[m.key]));
      out[id][cpu] = s;
    }
  }
  return out;
}

const fmt = (x, digits) => (x === null || x === undefined ? "—" : x.toFixed(digits));

function ratioText(value, best) {
  if (value === null || value === undefined || best === null || best === undefined) return "";
  if (best === 0) return value === 0 ? " (=best)" : " (best: 0)";
  return ` ×${(value / best).toFixed(2)}`;
}

function bestPeer(values, ids, selfId) {
  const peers = ids.filter((id) => id !== selfId).map((id) => values[id]).filter((x) => typeof x === "number");
  return peers.length ? Math.min(...peers) : null;
}

function table(header, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? "---" : "---:"))), ...rows.map(line)].join("\n");
}

/** The payload table: English and German visitor, raw / gzip / brotli, with ratios. */
export function payloadTable(libs, payload, selfId) {
  const peerIds = libs.map((l) => l.id);
  const best = {};
  for (const lang of ["en", "de"]) {
    for (const k of ["raw", "gzip", "brotli"]) {
      const values = Object.fromEntries(peerIds.map((id) => [id, payload[id]?.[lang]?.total[k]]));
      best[lang + k] = bestPeer(values, peerIds, selfId);
    }
  }
  const cell = (id, lang, k) => {
    const t = payload[id]?.[lang]?.total;
    return t ? `${kib(t[k])}${ratioText(t[k], best[lang + k])}` : "—";
  };
  const rows = libs.map((l) => [
    `${l.name} ${l.version}`,
    String(payload[l.id]?.en?.files.length ?? "—"),
    cell(l.id, "en", "raw"),
    cell(l.id, "en", "gzip"),
    cell(l.id, "en", "brotli"),
    String(payload[l.id]?.de?.files.length ?? "—"),
    cell(l.id, "de", "gzip"),
    cell(l.id, "de", "brotli"),
    payload[l.id]?.en ? `+${bytes(payload[l.id].en.inPageBrotli)} B` : "—",
  ]);
  return table(
    ["library", "files (en)", "raw (en)", "gzip -9 (en)", "brotli -q 11 (en)", "files (de)", "gzip -9 (de)", "brotli -q 11 (de)", "embed in the page (en, br)"],
    rows,
  );
}

/** One timing table (one CPU rate): `median / p90 ×ratio` for each metric. */
export function timingTable(libs, control, summary, cpu, selfId) {
  const metrics = METRICS.filter((m) => cpu === 1 || !m.cpu1Only);
  const peerIds = libs.map((l) => l.id);
  const header = ["library", ...metrics.map((m) => `${m.label}${m.unit ? ` (${m.unit})` : ""}`)];
  const rowFor = (lib, withRatio) => [
    `${lib.name}${summary[lib.id][cpu].ok < summary[lib.id][cpu].visits ? ` (${summary[lib.id][cpu].ok}/${summary[lib.id][cpu].visits} ok)` : ""}`,
    ...metrics.map((m) => {
      const s = summary[lib.id][cpu][m.key];
      if (!s) return "—";
      const scale = m.scale ?? 1;
      const values = Object.fromEntries(peerIds.map((id) => [id, summary[id][cpu][m.key]?.median]));
      const best = withRatio && !m.noRatio ? bestPeer(values, peerIds, selfId) : null;
      return `${fmt(s.median * scale, m.digits)} / ${fmt(s.p90 * scale, m.digits)}${withRatio && !m.noRatio ? ratioText(s.median, best) : ""}`;
    }),
  ];
  const rows = libs.map((l) => rowFor(l, true));
  if (control) rows.push(rowFor(control, false));
  return table(header, rows);
}

/** The whole Markdown report. */
export function markdown({ meta, libs, control, payload, summary, failures, selfId }) {
  const out = [];
  out.push(`## Consent Gate benchmark`);
  out.push("");
  out.push(`- date: ${meta.date}`);
  out.push(`- browser: ${meta.browser} (headless, ${meta.executable})`);
  out.push(`- machine: ${meta.cores} cores (${meta.cpuModel}), ${meta.memoryGiB} GiB, load average ${meta.loadavg} at start; Node.js ${meta.node}`);
  out.push(`- runs: ${meta.runs} per library and CPU rate, interleaved (the order rotates each run); every visit is a first visit in a fresh browser context`);
  out.push(`- cells: median / p90, then ×ratio of the median to the best peer's (Consent Gate excluded from "best"; lower is better; a best of 0 gives no ratio)`);
  out.push(`- absolute times depend on the machine and its load (a shared machine here); the ratios are what carries over`);
  out.push("");
  out.push(`### Payload: every file the page requested from the library`);
  out.push("");
  out.push(payloadTable(libs, payload, selfId));
  out.push("");
  out.push("The last column is not in the payload: what the embed (tags, inline config and texts) adds to the page's own HTML, brotli.");
  out.push("");
  for (const lib of libs) {
    const files = (lang) => (payload[lib.id]?.[lang]?.files || []).map((f) => `${f.path.replace(/^\/(peers|consent-gate)\//, "")} (${bytes(f.brotli)} B br)`).join(", ");
    out.push(`- ${lib.name}: ${files("en") || "—"}${files("de") !== files("en") ? `; German: ${files("de")}` : ""}`);
  }
  for (const cpu of meta.rates) {
    out.push("");
    out.push(`### ${cpu === 1 ? "Page load, accept and query: no CPU throttling" : `Page load and accept at ${cpu}× CPU slowdown (Emulation.setCPUThrottlingRate)`}`);
    out.push("");
    out.push(timingTable(libs, control, summary, cpu, selfId));
  }
  out.push("");
  out.push(`Query: the "is analytics granted?" call after "accept all", once optimized: the median of five rounds of ${meta.queryCalls.toLocaleString("en")} calls:`);
  for (const lib of libs) out.push(`- ${lib.name}: \`${lib.queryLabel}\``);
  const ready = libs.filter((l) => l.acceptHasOwnListener);
  for (const lib of ready) {
    for (const cpu of meta.rates) {
      const r = summary[lib.id][cpu].acceptReadyMs;
      const b = summary[lib.id][cpu].bannerMs;
      if (r && b) {
        out.push(`- ${lib.name} at ${cpu}×: banner visible at ${fmt(b.median, 0)} ms, its accept button clickable (listener attached) at ${fmt(r.median, 0)} ms (medians)`);
      }
    }
  }
  if (failures.length) {
    out.push("");
    out.push(`### Failed visits`);
    out.push("");
    for (const f of failures) out.push(`- ${f.peer} (${f.cpu}×, ${f.lang}): ${f.count} × ${f.error}`);
  }
  return out.join("\n");
}

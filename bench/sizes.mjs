// Byte counts of what a visitor downloads: raw, gzip -9 and brotli -q 11 (node's zlib).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** `{ raw, gzip, brotli }` byte counts of a buffer. */
export function compressedSizes(buf) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }).length,
  };
}

/** `{ path, raw, gzip, brotli }` for each file, plus their `total`. */
export function measureFiles(files) {
  const rows = files.map(({ path, file }) => ({ path, ...compressedSizes(readFileSync(file)) }));
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const r of rows) for (const k of Object.keys(total)) total[k] += r[k];
  return { files: rows, total };
}

/** "12,345": exact bytes with thousands separators. */
export const bytes = (n) => n.toLocaleString("en-US");

/** "44.8 KiB" */
export const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/**
 * Consent Gate's files each kind of visitor downloads:
 * - `returning`: a valid decision is stored: the loader and the core module;
 * - `en`: a first visit in English, what is fetched before the banner is
 *   visible: the loader and the banner module (its entry and its .wasm);
 * - `de`: a first visit in German: + lang/de.json (when built);
 * - `afterBanner`: what a first visit fetches once the banner is drawn: the
 *   rest of the banner module (decisions, dialog, declarations), its
 *   entry's late part and the core
 *   (`[...en, ...afterBanner]` is the whole first visit);
 * - `block`, `placeholders`: what a page using automatic blocking, or showing
 *   a placeholder for a blocked embed, adds (a separate file each).
 */
export function visitorFiles(pkg) {
  const files = (names) => names.map((f) => ({ path: f, file: join(pkg, f) }));
  const returning = files(["consent-gate.js", "consent-gate.wasm"]);
  const en = files(["consent-gate.js", "consent-gate-ui.js", "consent-gate-ui.wasm"]);
  const deJson = join(pkg, "lang", "de.json");
  const de = existsSync(deJson) ? [...en, { path: "lang/de.json", file: deJson }] : null;
  const afterBanner = files(["consent-gate-ui-rest.wasm", "consent-gate-ui-late.js", "consent-gate.wasm"]);
  // Only on pages that use them: automatic blocking (a config with autoBlock
  // or blockHosts) and placeholders (a gated embed not granted).
  const block = files(["consent-gate-block.js"]);
  const placeholders = files(["consent-gate-placeholders.js"]);
  return { returning, en, de, afterBanner, block, placeholders };
}

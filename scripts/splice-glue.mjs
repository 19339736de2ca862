// Splices wasm-bindgen's no-modules glue into the loader, replacing the GLUE
// marker, so the glue's `wasm_bindgen` stays local to the loader's closure.
// Usage: node scripts/splice-glue.mjs <loader.js> <glue.js>  (writes to stdout)
import { readFileSync } from "node:fs";

const [loaderPath, gluePath] = process.argv.slice(2);
const loader = readFileSync(loaderPath, "utf8");
const glue = readFileSync(gluePath, "utf8");
const marker = "/*@@GLUE@@*/";
if (loader.split(marker).length !== 2) throw new Error(`${loaderPath}: expected exactly one ${marker}`);
if (!/^let wasm_bindgen = \(function\(exports\) \{/m.test(glue)) {
  throw new Error(`${gluePath}: not wasm-bindgen's no-modules glue (did its output format change?)`);
}
// The glue guesses the .wasm path from document.currentScript; the loader passes it instead.
const trimmed = glue.replace(/^\s*let script_src;\s*\n\s*if \(typeof document[\s\S]*?\n\s*\}\n/m, "let script_src;\n");
process.stdout.write(loader.replace(marker, () => trimmed.trim()));

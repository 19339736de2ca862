// Renames the module's imports from the glue's long hashed names
// (`__wbg_addEventListener_847fd86b8c33ec43`) to short ones (`a`, `b`, …) in
// both the .wasm import section and the glue that provides them (the members
// `name: function…` of the import object in `__wbg_get_imports`). The hashes
// are incompressible, and each name is written twice (wasm + JS), so this saves
// bytes of what a first-time visitor downloads. Every import is a function of
// the glue's own module (`./<name>_bg.js`) named `__wb…`, and each is renamed;
// exports keep their names.
//
// It rewrites by pattern, so it fails the build (throws) whenever wasm-bindgen's
// output no longer looks like that: an import of another module or kind, a name
// not starting with `__wb`, a name the glue does not define exactly once, or
// nothing renamed at all.
//
// Usage: node scripts/minify-imports.mjs <in.wasm> <glue.js> <out.wasm> <out-glue.js>
import { readFileSync, writeFileSync } from "node:fs";

const [wasmIn, glueIn, wasmOut, glueOut] = process.argv.slice(2);
const bytes = readFileSync(wasmIn);
let glue = readFileSync(glueIn, "utf8");

let at = 8; // magic + version
const leb = () => {
  let result = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return result >>> 0;
};
const encodeLeb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return Buffer.from(out);
};
const name = () => {
  const len = leb();
  const s = bytes.subarray(at, at + len).toString("utf8");
  at += len;
  return s;
};
const encodeName = (s) => {
  const b = Buffer.from(s, "utf8");
  return Buffer.concat([encodeLeb(b.length), b]);
};
const skipLimits = () => {
  const flags = bytes[at++];
  leb();
  if (flags & 1) leb();
};

const shortName = (i) => {
  // Identifier-safe and distinct from every wasm-bindgen name (which start with "__wb").
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let s = "";
  do {
    s = alphabet[i % alphabet.length] + s;
    i = Math.floor(i / alphabet.length) - 1;
  } while (i >= 0);
  return s;
};

const out = [bytes.subarray(0, 8)];
let renamed = 0;
while (at < bytes.length) {
  const sectionStart = at;
  const id = bytes[at++];
  const size = leb();
  const payloadStart = at;
  const end = payloadStart + size;
  if (id !== 2) {
    out.push(bytes.subarray(sectionStart, end));
    at = end;
    continue;
  }
  const count = leb();
  const entries = [encodeLeb(count)];
  for (let i = 0; i < count; i++) {
    const module = name();
    const field = name();
    const descStart = at;
    const kind = bytes[at++];
    if (kind === 0) leb(); // function: type index
    else if (kind === 1) { at++; skipLimits(); } // table: reftype + limits
    else if (kind === 2) skipLimits(); // memory
    else if (kind === 3) at += 2; // global: valtype + mutability
    else if (kind === 4) { at++; leb(); } // tag
    else throw new Error(`import kind ${kind} not understood`);
    if (kind !== 0 || !module.endsWith("_bg.js") || !field.startsWith("__wb"))
      throw new Error(`import ${module}.${field} (kind ${kind}) is not a glue function: wasm-bindgen's output changed`);
    const newField = shortName(renamed++);
    const pattern = new RegExp(`\\b${field}:`, "g");
    const found = glue.match(pattern)?.length ?? 0;
    if (found !== 1) throw new Error(`${field}: defined ${found} times in the glue, expected once`);
    glue = glue.replace(pattern, `${newField}:`);
    entries.push(encodeName(module), encodeName(newField), bytes.subarray(descStart, at));
  }
  if (at !== end) throw new Error("import section length mismatch");
  const payload = Buffer.concat(entries);
  out.push(Buffer.from([2]), encodeLeb(payload.length), payload);
}
if (!renamed) throw new Error(`no imports renamed in ${wasmIn}: wasm-bindgen's output changed`);
writeFileSync(wasmOut, Buffer.concat(out));
writeFileSync(glueOut, glue);
console.log(`    renamed ${renamed} imports`);

// The binary value form the banner module reads (`Value::from_bytes` in
// src/model/value.rs): what the browser's JSON.parse read, so that the module
// needs no JSON reader. Its own file so that the build can drive the module
// the way the entry does (scripts/split-ui.mjs checks the split with it).

/** The one TextEncoder of the entry. */
export const encoder = new TextEncoder();

/** `value` (as JSON.parse reads it) in that binary form. */
export function encode(value) {
  const out = [];
  const f64 = new DataView(new ArrayBuffer(8));
  const u32 = (n) => out.push(n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24);
  const text = (s) => {
    const bytes = encoder.encode(s);
    u32(bytes.length);
    for (const b of bytes) out.push(b);
  };
  const walk = (v) => {
    if (v === null) out.push(0);
    else if (typeof v === "boolean") out.push(v ? 2 : 1);
    else if (typeof v === "number") {
      out.push(3);
      f64.setFloat64(0, v, true);
      out.push(...new Uint8Array(f64.buffer));
    } else if (typeof v === "string") {
      out.push(4);
      text(v);
    } else if (Array.isArray(v)) {
      out.push(5);
      u32(v.length);
      v.forEach(walk);
    } else {
      const keys = Object.keys(v);
      out.push(6);
      u32(keys.length);
      for (const k of keys) {
        text(k);
        walk(v[k]);
      }
    }
  };
  walk(value);
  return new Uint8Array(out);
}

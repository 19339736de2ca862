// A small reader of a .wasm binary's layout, for `make size` when twiggy is not
// installed: the size of each section, and of each function body in the code section,
// named from the `name` custom section if present (else from the exports).
// Reference: the WebAssembly binary format (core spec, chapter 5).

const SECTION_NAMES = [
  "custom", "type", "import", "function", "table", "memory", "global",
  "export", "start", "element", "code", "data", "datacount", "tag",
];

/** Reads a .wasm binary (or one section of it) from `pos` to `end`. */
export class Reader {
  constructor(bytes, pos = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }
  byte() {
    if (this.pos >= this.end) throw new Error("unexpected end of the wasm binary");
    return this.bytes[this.pos++];
  }
  u32() {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
      shift += 7;
      if (shift > 35) throw new Error("bad LEB128 in the wasm binary");
    }
  }
  /** A signed LEB128 number of up to 32 bits (an `i32.const`). */
  s32() {
    let result = 0;
    let shift = 0;
    let b;
    do {
      b = this.byte();
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return shift < 32 && b & 0x40 ? result | (-1 << shift) : result;
  }
  name() {
    const len = this.u32();
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }
  skip(n) {
    this.pos += n;
  }
}

/**
 * Parses `bytes` (a Uint8Array of a .wasm file). Returns
 * `{ sections: [{ id, name, size }], functions: [{ index, name, size }], importedFunctions }`,
 * where a section's `size` counts its id and size bytes too (so the sizes add up to the
 * file size minus the 8-byte header) and a function's `size` is its body with its length.
 */
export function parseWasm(bytes) {
  const r = new Reader(bytes);
  const magic = [0x00, 0x61, 0x73, 0x6d];
  if (!magic.every((b) => r.byte() === b)) throw new Error("not a WebAssembly binary");
  r.skip(4); // version

  const sections = [];
  const functionNames = new Map();
  const exportNames = new Map();
  let importedFunctions = 0;
  let bodies = [];

  while (r.pos < r.end) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    const body = r.pos;
    const end = body + size;
    const s = new Reader(bytes, body, end);
    let name = SECTION_NAMES[id] ?? `unknown(${id})`;
    if (id === 0) {
      const custom = s.name();
      name = `custom "${custom}"`;
      if (custom === "name") readNames(s, functionNames);
    } else if (id === 2) {
      for (let n = s.u32(); n > 0; n--) {
        s.name();
        s.name();
        const kind = s.byte();
        if (kind === 0) {
          importedFunctions++;
          s.u32();
        } else if (kind === 1) {
          s.byte();
          skipLimits(s);
        } else if (kind === 2) {
          skipLimits(s);
        } else if (kind === 3) {
          s.byte();
          s.byte();
        } else if (kind === 4) {
          s.byte();
          s.u32();
        } else {
          break; // an import kind this reader does not know: stop reading imports
        }
      }
    } else if (id === 7) {
      for (let n = s.u32(); n > 0; n--) {
        const exportName = s.name();
        const kind = s.byte();
        const index = s.u32();
        if (kind === 0 && !exportNames.has(index)) exportNames.set(index, exportName);
      }
    } else if (id === 10) {
      bodies = [];
      for (let n = s.u32(); n > 0; n--) {
        const at = s.pos;
        const len = s.u32();
        s.skip(len);
        bodies.push(s.pos - at);
      }
    }
    sections.push({ id, name, size: end - start });
    r.pos = end;
  }

  const functions = bodies.map((size, i) => {
    const index = importedFunctions + i;
    return { index, name: functionNames.get(index) ?? exportNames.get(index) ?? `code[${i}]`, size };
  });
  return { sections, functions, importedFunctions, named: functionNames.size > 0 };
}

function skipLimits(s) {
  const flags = s.byte();
  s.u32();
  if (flags & 1) s.u32();
}

/** The function-names subsection (id 1) of the `name` custom section. */
function readNames(s, out) {
  try {
    while (s.pos < s.end) {
      const sub = s.byte();
      const size = s.u32();
      const end = s.pos + size;
      if (sub === 1) {
        for (let n = s.u32(); n > 0; n--) {
          const index = s.u32();
          out.set(index, s.name());
        }
      }
      s.pos = end;
    }
  } catch {
    // a malformed name section only costs the names
  }
}

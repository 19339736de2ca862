// The banner module's entry: esbuild bundles it with wasm-bindgen's glue into
// pkg/consent-gate-ui.js. The loader imports that file only when the banner,
// the dialog or a decision is needed, so none of this reaches a returning
// visitor who just browses.
import init, * as ui from "consent-gate-ui-glue";

let compiling;

/** Fetches and compiles consent-gate-ui.wasm from `wasmUrl`, once. */
export function prepare(wasmUrl) {
  return compiling || (compiling = init({ module_or_path: wasmUrl }));
}

/**
 * A value the browser's JSON.parse read, in the module's binary form
 * (`Value::from_bytes` in src/model/value.rs): the module needs no JSON reader.
 */
function encode(value) {
  const out = [];
  const utf8 = new TextEncoder();
  const f64 = new DataView(new ArrayBuffer(8));
  const u32 = (n) => out.push(n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24);
  const text = (s) => {
    const bytes = utf8.encode(s);
    u32(bytes.length);
    for (const b of bytes) out.push(b);
  };
  const walk = (v) => {
    if (v === null) out.push(0);
    else if (typeof v === "boolean") out.push(v ? 2 : 1);
    else if (typeof v === "number") {
      out.push(3);
      f64.setFloat64(0, v, true);
      for (let i = 0; i < 8; i++) out.push(f64.getUint8(i));
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

/** What the loader calls once the module runs (JSON text in, binary form to the module). */
const api = {
  acceptAll: ui.acceptAll,
  rejectAll: ui.rejectAll,
  set: (choices) => ui.set(encode(JSON.parse(choices))),
  showBanner: ui.showBanner,
  showPreferences: ui.showPreferences,
  hide: ui.hide,
  reset: ui.reset,
  refresh: ui.refresh,
};

/**
 * Starts the banner module with the page's `config` (JSON text) and the
 * loader's `publish(kind)`, after fetching the visitor's language file (one
 * small file next to the module; English is built in). Resolves with the
 * calls the loader makes once the module runs.
 */
export function boot(wasmUrl, config, publish) {
  return prepare(wasmUrl)
    .then(() => {
      const language = ui.configure(encode(JSON.parse(config)));
      if (!language) return null;
      const file = "lang/" + language + ".json";
      return fetch(new URL(file, wasmUrl))
        .then((response) => {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.text();
        })
        .then((text) => encode(JSON.parse(text)))
        .catch((error) => {
          console.error("Consent Gate: " + file + " could not be loaded (" + error.message + "); showing English.");
          return null;
        });
    })
    // A task boundary before the start: two short tasks instead of one long one.
    .then((texts) => new Promise((go) => setTimeout(go, 0, texts)))
    .then((texts) => {
      ui.start(publish, texts);
      return api;
    });
}

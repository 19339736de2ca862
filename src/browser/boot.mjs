// The banner module's entry: esbuild bundles it with wasm-bindgen's glue into
// pkg/consent-gate-ui.js. The loader imports that file only when the banner,
// the dialog or a decision is needed, so none of this reaches a returning
// visitor who just browses.
// Named imports, not `* as`: a namespace object makes esbuild emit a
// `for (k in exports)` helper that a polluted Object.prototype breaks.
import init, {
  acceptAll,
  categoryNames,
  configure,
  hide,
  refresh,
  rejectAll,
  reset,
  set,
  showBanner,
  showPreferences,
  start,
  uiEvent,
} from "consent-gate-ui-glue";

let compiling;

/** Fetches and compiles consent-gate-ui.wasm from `wasm` (its URL), once. */
export function prepare(wasm) {
  return compiling || (compiling = init({ module_or_path: wasm }));
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

let embedding;
let config;
let publishToLoader;
let placeholderTexts;

/** What the loader calls once the module runs (JSON text in, binary form to the module). */
const api = {
  acceptAll,
  rejectAll,
  set: (choices) => set(encode(JSON.parse(choices))),
  showBanner,
  showPreferences,
  hide,
  reset,
  refresh,
  // Placeholders for blocked embeds: their own file next to this one, fetched
  // only for a page that has an embed to cover (the loader asks when it finds one).
  embeds: () =>
    (embedding ||= import("./consent-gate-placeholders.js").then((m) =>
      m.start(config, categoryNames(), placeholderTexts, api.set, publishToLoader)
    )),
};

/**
 * Starts the banner module with the page's config (`configText`, JSON) and the
 * loader's `publish(kind, assumed)`, after fetching the visitor's language
 * file (one small file next to the module; English is built in). `script` is
 * the loader's tag, if any: its `data-region` says where the visitor is.
 * Resolves with the calls the loader makes once the module runs.
 */
export function boot(wasmUrl, configText, publish, script) {
  const parsed = (config = JSON.parse(configText));
  // The module's config diagnostics, in its compact form (see `say`).
  const found = [];
  return prepare(wasmUrl)
    .then(() => {
      const language = configure(encode(parsed), (d) => found.push(d));
      const file = "lang/" + language + ".json";
      return Promise.all([
        say(found, wasmUrl),
        // Bundled: the URL the bundler gave the file (pkg-template/locate.mjs
        // names every language); else next to the module.
        language &&
          fetch(globalThis.__consentGateLang?.[language] || new URL(file, wasmUrl))
            .then((response) => {
              if (!response.ok) throw new Error("HTTP " + response.status);
              return response.text();
            })
            .then((text) => encode(JSON.parse(text)))
            .catch((error) => {
              console.error("Consent Gate: " + file + " could not be loaded (" + error.message + "); showing English.");
              return null;
            }),
      ]);
    })
    // A task boundary before the start: two short tasks instead of one long one.
    .then(([, texts]) => new Promise((go) => setTimeout(go, 0, texts)))
    .then((texts) => {
      publishToLoader = publish;
      placeholderTexts = start(publish, texts, script?.getAttribute("data-region"), uiEvent);
      try {
        lint(parsed);
      } catch {
        // a hint only: never in the way
      }
      // The language file's own problems, if any (a damaged copy).
      return say(found, wasmUrl);
    })
    .then(() => api);
}

let words;

/**
 * Prints the module's config diagnostics and empties `found`. The module
 * hands each as compact text: its code, arguments and path
 * ("E8 1 395\ncookie.lifetimeDays"). The words for each code are in
 * consent-gate-messages.json, the checker's own table (`consent-gate check`
 * prints the same words), fetched only when there is something to say:
 * "Consent Gate: config `cookie.lifetimeDays`: expected an integer from 1 to
 * 395". If it cannot be fetched, the code, its arguments and the path are
 * printed: "Consent Gate: config `cookie.lifetimeDays`: E8 1 395".
 */
function say(found, wasmUrl) {
  const list = found.splice(0);
  return (
    list.length &&
    (words ||= fetch(globalThis.__consentGateMessages || new URL("consent-gate-messages.json", wasmUrl))
      .then((response) => response.ok && response.text())
      .then(JSON.parse)
      .catch(() => 0)).then((table) => {
      for (const d of list) {
        const end = d.indexOf("\n");
        const head = d.slice(0, end);
        const [code, ...args] = head.split(" ");
        const path = d.slice(end + 1);
        const known = table && table[code];
        console[code[0] == "W" ? "warn" : "error"](
          "Consent Gate: " +
            (path ? "config `" + path + "`: " : "") +
            (typeof known == "string" ? known.replace(/\{(\d)\}/g, (_, i) => args[i]) : head)
        );
      }
    })
  );
}

// Site-owner hints (docs/hostile.md). A gated element whose data-category
// names no category, or whose data-service names a service the config does
// not declare, never runs (the core grants nothing unknown); say so once per
// element, when the banner module starts. Here rather than in the loader: a
// returning visitor pays nothing for it.

/** The loader's selector for gated elements (pkg-template/consent-gate.js, GATED). */
const GATED = 'script[type="text/plain" i][data-category],[data-category][data-src]:not([src])';

function lint(config) {
  // The names data-category accepts, ids and aliases, from the model itself.
  const CATEGORIES = categoryNames().split(/[ ,]/);
  const services = [];
  const categories = Object(config).categories;
  for (const c of Object.keys(Object(categories))) services.push(...Object.keys(Object(Object(categories[c]).services)));
  for (const e of document.querySelectorAll(GATED)) {
    const category = (e.getAttribute("data-category") || "").trim();
    const service = (e.getAttribute("data-service") || "").trim();
    const [what, name, known] = !CATEGORIES.includes(category.toLowerCase())
      ? ["category", category, CATEGORIES]
      : service && !services.includes(service)
        ? ["service", service, services]
        : [];
    if (!what) continue;
    // The closest known name within two edits: a likely typo.
    const near = known
      .map((k) => [distance(name.toLowerCase(), k), k])
      .filter(([d]) => d <= 2 && d < name.length)
      .sort((a, b) => a[0] - b[0])[0];
    const html = e.outerHTML;
    console.warn(
      `Consent Gate: ${html.slice(0, html.indexOf(">") + 1)} names the ${what} "${name}", which ` +
        (what == "category" ? "does not exist" : "the config does not declare") +
        (near ? ` (did you mean "${near[1]}"?)` : "") +
        ": it never runs."
    );
  }
}

/** Levenshtein distance. */
function distance(a, b) {
  const row = [...Array(b.length + 1).keys()];
  for (let i = 0; i < a.length; i++) {
    let diagonal = row[0];
    row[0] = i + 1;
    for (let j = 0; j < b.length; j++) {
      const next = Math.min(diagonal + (a[i] !== b[j]), row[j] + 1, row[j + 1] + 1);
      diagonal = row[j + 1];
      row[j + 1] = next;
    }
  }
  return row[b.length];
}

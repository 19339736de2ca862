// The banner module's entry: esbuild bundles it with build.js and the
// stylesheet into pkg/consent-gate-ui.js. The loader imports that file only
// when the banner, the dialog or a decision is needed, so none of this reaches
// a returning visitor who just browses.
//
// consent-gate-ui.wasm has no wasm-bindgen: its exports take and return
// numbers (src/api.rs), and it imports one function, `g.j(op, a, aLen, b,
// bLen, n)`, which runs OPS[op] below with the byte strings `a` and `b` of its
// memory and the number `n` (src/browser/js.rs names each op, in this order).
// Text goes to the module through its inbox: `give` asks `cg_in` for room and
// writes the bytes there.
// The stylesheets (ui.css, dialog.css, placeholders.mjs's) use two weights
// (400, 700) and two sizes (1em, .875em; only the dialog's close mark is
// larger): each further face is a font lookup and new shaping caches in the
// first layout that uses it (README, Size notes).
import CSS from "./ui.css";
import { build, close, dialogOf, mount, open, show, style, NAMES } from "./build.js";
import { encode, encoder } from "./encode.mjs";

const utf8 = new TextDecoder();
let x; // the module's exports
let compiling;

/** Fetches and compiles consent-gate-ui.wasm from `wasm` (its URL), once. */
export function prepare(wasm, compiled) {
  return (
    compiling ||
    (compiling = (
      compiled ||
      fetch(wasm)
        .then((response) => {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.arrayBuffer();
        })
        .then(WebAssembly.compile)
    )
      // `p`: the placeholders of the functions in consent-gate-ui-rest.wasm
      // (scripts/split-ui.mjs). Only the exports that run before it arrives are
      // called until then, so none of these runs; if one did, it throws and the
      // call fails closed (the state stays busy: nothing is stored or granted).
      .then((module) =>
        WebAssembly.instantiate(module, {
          g: { j },
          p: new Proxy({}, { get: () => () => { throw new Error("consent-gate-ui-rest.wasm is not loaded yet"); } }),
        })
      )
      .then((instance) => {
        x = instance.exports;
      }))
  );
}

/** `n` bytes of the module's memory at `p` (a fresh view: memory may have grown). */
const bytes = (p, n) => new Uint8Array(x.memory.buffer, p, n);
const text = (p, n) => utf8.decode(bytes(p, n));

/** Writes `data` (text or bytes) into the module's inbox; 1, which ops return for "answered". */
function give(data) {
  const b = typeof data == "string" ? encoder.encode(data) : data;
  bytes(x.cg_in(b.length), b.length).set(b);
  return 1;
}

/** `g.j`, the module's one import. */
function j(op, a, aLen, b, bLen, n) {
  return OPS[op](a, aLen, b, bLen, n) || 0;
}

/** Runs `f`, or nothing where the browser throws (storage disabled, a sandboxed document). */
function quiet(f) {
  try {
    return f();
  } catch {}
}

let out; // an export's text result (Op::Result)
let found; // the config's diagnostics, compact (see `say`)
let publishToLoader;
let script; // the loader's tag, if any

// In the order of `Op` in src/browser/js.rs; late.mjs adds the rest once it
// has arrived (`late`).
const OPS = [
  // Error (a warning when `warn`)
  (a, an, b, bn, warn) => console[warn ? "warn" : "error"]("Consent Gate: " + text(a, an)),
  // Report
  (a, n) => found.push(text(a, n)),
  // Result
  (a, n) => (out = text(a, n)),
  // Publish
  (a, an, b, bn, kind) => publishToLoader(kind, text(a, an)),
  // Now
  () => Date.now() / 1000,
  // Env: the page's facts, in the order of src/browser/env.rs
  () => {
    const nav = navigator;
    const parent = quiet(() => window.parent != window && window.parent.ConsentGate);
    return give(
      encode([
        nav.globalPrivacyControl === true,
        nav.cookieEnabled !== false,
        Array.from(nav.languages || []),
        document.documentElement?.getAttribute("lang"),
        nav.userAgent,
        location.protocol == "https:",
        location.hostname,
        Object(parent) === parent,
        script?.getAttribute("data-region") ?? null,
      ])
    );
  },
  // Cookies
  () => give(quiet(() => document.cookie) || ""),
  // Mount (a click runs once the rest of the module is there: at once, after
  // the first few milliseconds)
  (a, an, b, bn, how) =>
    mount(bytes(a, an), CSS, bytes(b, bn), how & 1, ["", "scroll-padding-bottom", "scroll-padding-top"][how >> 1], (action) =>
      rest.then(() => x.cg_event(NAMES.indexOf(action)), String)
    ),
  // Show
  (a, an, b, bn, visible) => show(visible),
  // Open
  (a, n) => open(bytes(a, n)),
  // Close
  () => close(),
];

/** Calls export `f` and returns its text result (Op::Result). */
function result(f, ...args) {
  out = "";
  f(...args);
  return out;
}

const categoryNames = () => result(x.cg_category_names);

let embedding;
let rest; // consent-gate-ui-rest.wasm, instantiated
let config;
let placeholderTexts;

/** What the loader calls once the module runs (JSON text in, binary form to the module). */
const api = {
  acceptAll: () => x.cg_accept_all(),
  rejectAll: () => x.cg_reject_all(),
  set: (choices) => {
    give(encode(JSON.parse(choices)));
    if (x.cg_set()) throw new TypeError(out);
  },
  showBanner: () => x.cg_show_banner(),
  showPreferences: () => x.cg_show_preferences(),
  hide: () => x.cg_hide(),
  reset: () => x.cg_reset(),
  refresh: () => x.cg_refresh(),
  // Placeholders for blocked embeds: their own file next to this one, fetched
  // only for a page that has an embed to cover (the loader asks when it finds one).
  embeds: () =>
    (embedding ||= import(globalThis.__consentGatePlaceholders || "./consent-gate-placeholders.js").then((m) =>
      m.start(config, categoryNames(), placeholderTexts, api.set, publishToLoader)
    )),
};

/**
 * Starts the banner module with the page's config (`configText`, JSON) and the
 * loader's `publish(kind, assumed)`, after fetching the visitor's language
 * file (one small file next to the module; English is built in). `tag` is
 * the loader's tag, if any: its `data-region` says where the visitor is.
 * `decided`: the loader's core has found a valid decision (the banner then
 * stays hidden; the module reads the stored decision itself a moment later).
 * Resolves with the calls the loader makes once the module runs.
 */
export function boot(wasmUrl, configText, publish, tag, decided) {
  const parsed = (config = JSON.parse(configText));
  script = tag;
  publishToLoader = publish;
  found = [];
  return prepare(wasmUrl)
    .then(() => {
      give(encode(parsed));
      const configured = x.cg_configure();
      if (!configured) throw new Error("the config cannot be read");
      const language = configured > 1 && out;
      const file = "lang/" + language + ".json";
      return Promise.all([
        say(wasmUrl),
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
    // The start follows at once, in the task that read the config. (It used
    // to get a task of its own, so that neither would be long at 4x CPU; at
    // 4x that timer often waited behind a frame. Without it, interleaved A/Bs
    // on the bench page, 41 visits a side: the banner 320 -> 297 and 315 ->
    // 298 ms at 4x, 100 -> 93 ms at normal speed; long tasks at 4x 0 / 59 ms
    // (median / p90) with or without it.)
    .then(([, texts]) => {
      if (texts) give(texts);
      out = "";
      // What the banner does not need waits until it is drawn: the frame after
      // this task (a task queued from its animation-frame callback runs after
      // that frame is painted), or 100 ms where no frame comes (a hidden tab).
      const drawn = new Promise((go) => {
        requestAnimationFrame(() => setTimeout(go));
        setTimeout(go, 100);
      });
      const started = x.cg_start(texts ? 1 : 0, decided ? 1 : 0);
      if (!started) throw new Error("no usable config");
      if (started == 1) placeholderTexts = out;
      // The rest of the module: what runs after the banner is visible
      // (decisions, the dialog's categories, cookie declarations), fetched
      // once the banner is drawn. It shares this module's memory, stack
      // and table; instantiating it fills the table's placeholders.
      rest = drawn
        .then(() => {
          // Tells the loader the module runs ("re-read"): it fetches the
          // core now, if it has not already.
          publishToLoader();
          return Promise.all([
            fetch(globalThis.__consentGateUiRestWasm || new URL("consent-gate-ui-rest.wasm", wasmUrl))
              .then((response) => {
                if (!response.ok) throw new Error("consent-gate-ui-rest.wasm: HTTP " + response.status);
                return response.arrayBuffer();
              })
              .then((buffer) => WebAssembly.instantiate(buffer, { m: x })),
            // The entry's own late part (src/browser/late.mjs): next to this
            // file, or where a bundler put it (pkg-template/locate.mjs).
            import(globalThis.__consentGateUiLate || "./consent-gate-ui-late.js"),
          ]);
        })
        .then(([, late]) => {
          const helpers = { text, bytes, give, encode, build, dialog: dialogOf };
          OPS.push(...late.ops(helpers));
          // The dialog's own styles, after the banner's (src/browser/dialog.css).
          style(late.CSS);
          x.cg_after_banner();
          // The decision path compiled in a task of its own now, not at the
          // visitor's first click (src/api.rs, cg_warm).
          setTimeout(quiet, 0, x.cg_warm);
          late.hints(helpers, x);
          // The config's problems (all of it was read just now) and the
          // language file's, if any (a damaged copy): the start reports none.
          return say(wasmUrl);
        });
      return rest;
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
function say(wasmUrl) {
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

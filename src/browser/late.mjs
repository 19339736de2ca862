// The banner module entry's late part, bundled into
// pkg/consent-gate-ui-late.js: the ops that run only once the banner is
// drawn (storing and withdrawing a decision, the consent log, the dialog's
// switches, cookie declarations) and the site-owner hints. The entry imports
// it beside consent-gate-ui-rest.wasm, the part of the module that calls
// them, so none of this is among the bytes before the banner; nothing calls
// these ops before both have arrived (the entry hands the page its API and
// the banner's buttons their clicks only then).
//
// It shares the entry's state through `e`, the entry's helpers: a second
// copy of build.js here would have a dialog of its own.
//
// `CSS`: the preferences dialog's own styles (its head, body, switches,
// tables), which the entry adds after the banner's once this has arrived;
// the dialog cannot open before. What the banner and the wall share with it
// (`dialog`, `dialog[open]`) stays in ui.css.
export { default as CSS } from "./dialog.css";

/**
 * Runs `f`, or nothing where the browser throws (storage disabled, a
 * sandboxed document). A copy of boot.mjs's: handing it over with the other
 * helpers measured +12 B brotli in the entry, before the banner.
 */
function quiet(f) {
  try {
    return f();
  } catch {}
}

/** The record's dates (the only keys ending in "At") come as Unix seconds: ISO strings, as the API shows them. */
const iso = (key, value) => (/At$/.test(key) ? new Date(value * 1000).toISOString() : value);

/** The page's cookie declarations. */
const declarations = () => document.querySelectorAll('[data-consent-gate="declaration"]');

/** The loader's selector for gated elements (pkg-template/consent-gate.js, GATED). */
const GATED = 'script[type="text/plain" i][data-category],[data-category][data-src]:not([src])';

/**
 * The late ops, in the order of `Op` in src/browser/js.rs after the entry's
 * own. `e`: the entry's `text(p, n)`, `bytes(p, n)`, `give(data)`,
 * `encode(value)`, `build(parent, program)` and `dialog()` (the mounted
 * preferences dialog).
 */
export const ops = (e) => [
  // RandomId
  () => e.give(Array.from(crypto.getRandomValues(new Uint8Array(16)), (v) => (v + 256).toString(16).slice(1)).join("")),
  // SetCookie
  (a, n) => quiet(() => (document.cookie = e.text(a, n))),
  // Mirror: the cookie value the mirror at key `a` keeps
  (a, n) => {
    const value = quiet(() => JSON.parse(localStorage.getItem(e.text(a, n))).value);
    return typeof value == "string" && e.give(value);
  },
  // SetMirror
  (a, an, b, bn) => quiet(() => localStorage.setItem(e.text(a, an), JSON.stringify(JSON.parse(e.text(b, bn), iso)))),
  // RemoveItem
  (a, n) => quiet(() => localStorage.removeItem(e.text(a, n))),
  // StorageKeys
  () => {
    const keys = quiet(() => Object.keys(localStorage));
    return keys && e.give(e.encode(keys));
  },
  // Switches: every switch of the dialog, `[name, is a service, checked,
  // disabled]`, categories first
  () => {
    const all = (kind) => [...e.dialog().querySelectorAll("input[data-" + kind + "]")];
    return e.give(
      e.encode([
        ...all("category").map((i) => [i.getAttribute("data-category"), false, i.checked, i.disabled]),
        ...all("service").map((i) => [i.getAttribute("data-service"), true, i.checked, i.disabled]),
      ])
    );
  },
  // Declarations
  () => declarations().length,
  // Declare: program `a` into every cookie declaration of the page
  (a, n) => {
    const program = e.bytes(a, n);
    for (const host of declarations()) e.build(host, program);
  },
  // Log: proof of consent (a lost entry must not disturb the visitor)
  (a, an, b, bn, revision) => {
    const url = e.text(a, an);
    const body = JSON.stringify({
      record: JSON.parse(e.text(b, bn), iso),
      configRevision: revision,
      url: location.origin + location.pathname,
      userAgent: navigator.userAgent,
    });
    quiet(() => navigator.sendBeacon(url, body)) || fetch(url, { method: "POST", body, keepalive: true }).catch(String);
  },
  // Reload
  () => location.reload(),
];

/**
 * Site-owner hints (docs/hostile.md; the rules: src/model/hints.rs): a gated
 * element naming a category that does not exist or a service the config does
 * not declare never runs; `x.cg_hints` says so once. Never in the way.
 */
export function hints(e, x) {
  quiet(() => {
    e.give(
      e.encode(
        Array.from(document.querySelectorAll(GATED), (g) => [
          g.getAttribute("data-category"),
          g.getAttribute("data-service"),
          g.outerHTML.replace(/>[^]*/, ">"),
        ])
      )
    );
    x.cg_hints();
  });
}

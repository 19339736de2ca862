// The banner module's entry: esbuild bundles it with wasm-bindgen's glue into
// pkg/consent-gate-ui.js. The loader imports that file only when the banner,
// the dialog or a decision is needed, so none of this reaches a returning
// visitor who just browses.
// Named imports, not `* as`: a namespace object makes esbuild emit a
// `for (k in exports)` helper that a polluted Object.prototype breaks.
import init, {
  acceptAll,
  hide,
  languageFile,
  refresh,
  rejectAll,
  reset,
  set,
  showBanner,
  showPreferences,
  start,
} from "consent-gate-ui-glue";

// What the loader calls.
const ui = { acceptAll, hide, refresh, rejectAll, reset, set, showBanner, showPreferences };

let compiling;

/** Fetches and compiles consent-gate-ui.wasm from `wasmUrl`, once. */
export function prepare(wasmUrl) {
  return compiling || (compiling = init({ module_or_path: wasmUrl }));
}

/**
 * Starts the banner module with the page's `config` (JSON text) and the
 * loader's `publish(kind)`, after fetching the visitor's language file (one
 * small file next to the module; English is built in). Resolves with the
 * module's exports once it runs.
 */
export function boot(wasmUrl, config, publish) {
  return prepare(wasmUrl)
    .then(() => {
      const language = languageFile(config);
      if (!language) return null;
      return fetch(new URL("lang/" + language + ".json", wasmUrl))
        .then((response) => {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.text();
        })
        .catch((error) => {
          console.error("Consent Gate: lang/" + language + ".json could not be loaded (" + error.message + "); showing English.");
          return null;
        });
    })
    // A task boundary before the start: two short tasks instead of one long one.
    .then((texts) => new Promise((go) => setTimeout(go, 0, texts)))
    .then((texts) => {
      start(config, publish, texts);
      try {
        lint(config);
      } catch {
        // a hint only: never in the way
      }
      return ui;
    });
}

// Site-owner hints (docs/hostile.md). A gated element whose data-category
// names no category, or whose data-service names a service the config does
// not declare, never runs (the core grants nothing unknown); say so once per
// element, when the banner module starts. Here rather than in the loader: a
// returning visitor pays nothing for it.

/** The names data-category accepts, ids and aliases (src/model/category.rs, NAMES). */
const CATEGORIES = "essential necessary performance analytics statistics functional preferences personalization marketing advertising ads".split(" ");
/** The loader's selector for gated elements (pkg-template/consent-gate.js, GATED). */
const GATED = 'script[type="text/plain" i][data-category],[data-category][data-src]:not([src])';

function lint(config) {
  const services = [];
  const categories = JSON.parse(config).categories;
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

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
 * Starts the banner module with the page's `config` (JSON text) and the
 * loader's `publish(kind)`, after fetching the visitor's language file (one
 * small file next to the module; English is built in). Resolves with the
 * module's exports once it runs.
 */
export function boot(wasmUrl, config, publish) {
  return prepare(wasmUrl)
    .then(() => {
      const language = ui.languageFile(config);
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
      ui.start(config, publish, texts);
      return ui;
    });
}

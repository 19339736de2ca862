// Tells the loader where its other files are when it is bundled (no document.currentScript).
// Bundlers (webpack 5, Vite, Rollup with the URL plugin) emit each file named in this pattern.
globalThis.__consentGateWasm = new URL("./consent-gate.wasm", import.meta.url).href;
globalThis.__consentGateUi = new URL("./consent-gate-ui.js", import.meta.url).href;
globalThis.__consentGateUiWasm = new URL("./consent-gate-ui.wasm", import.meta.url).href;

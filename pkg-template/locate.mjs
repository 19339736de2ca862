// Tells the loader where the .wasm is when it is bundled (no document.currentScript).
// Bundlers (webpack 5, Vite, Rollup with the URL plugin) emit the file for this pattern.
globalThis.__consentGateWasm = new URL("./consent-gate.wasm", import.meta.url).href;

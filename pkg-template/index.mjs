// ES module entry for bundlers: `import { ConsentGate } from "consent-gate"`.
// locate.mjs first (where the bundler emitted each file), then the classic
// loader, which defines window.ConsentGate (once, however often it is imported).
//
// The loader is imported by URL, as a file the bundler emits unchanged, not
// bundled: its own `import()` of the banner module takes a runtime URL, which
// webpack would otherwise replace with its module lookup (and fail).
//
// Safe to import during server-side rendering (Next, Nuxt, Astro, SvelteKit):
// without a document there is nothing to do, so the loader is not evaluated
// and `ConsentGate` is `undefined` there.
import "./locate.mjs";

if (typeof document === "object") {
  await import(/* webpackIgnore: true */ /* @vite-ignore */ new URL("./consent-gate.js?no-inline", import.meta.url).href);
}

/** The same object as `window.ConsentGate` (`undefined` on a server). */
export const ConsentGate = globalThis.ConsentGate;
export default ConsentGate;

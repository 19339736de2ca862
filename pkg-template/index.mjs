// ES module entry for bundlers: `import { ConsentGate } from "consent-gate"`.
// Import order is evaluation order: locate first, then the classic loader,
// which defines window.ConsentGate (once, however often it is imported).
//
// Safe to import during server-side rendering (Next, Nuxt, Astro, SvelteKit):
// without a document there is nothing to do, so the loader is not evaluated
// and `ConsentGate` is `undefined` there.
import "./locate.mjs";

if (typeof document === "object") await import("./consent-gate.js");

/** The same object as `window.ConsentGate` (`undefined` on a server). */
export const ConsentGate = globalThis.ConsentGate;
export default ConsentGate;

// ES module entry for bundlers: `import { ConsentGate } from "consent-gate"`.
// Import order is evaluation order: locate first, then the classic loader,
// which defines window.ConsentGate (once, however often it is imported).
import "./locate.mjs";
import "./consent-gate.js";

/** The same object as `window.ConsentGate`. */
export const ConsentGate = globalThis.ConsentGate;
export default ConsentGate;

// Consent Gate: reading the consent cookie on a server.
//
//   import { readConsent } from "consent-gate/server";
//   const consent = readConsent(cookies.consent_gate); // null: no valid decision
//   if (consent?.categories.performance) { … }
//
// Plain ECMAScript (no Node-only API), so it runs in Node, Deno, Bun and edge
// runtimes alike. The grammar is README.md, "The consent cookie"'s; this reader is tested
// against the same golden vectors as the module's Rust decoder.

const VALUE =
  /^1\.([0-9a-f]{32})\.([1-9][0-9]{0,9})\.(0|[1-9][0-9]{0,10})\.(0|[1-9][0-9]{0,10})\.(0|[1-9][0-9]{0,10})\.(1[01]{3})\.([0-3])\.((?:[a-z0-9][a-z0-9_-]{0,63}:[01])(?:~[a-z0-9][a-z0-9_-]{0,63}:[01]){0,63})?\.([0-9a-f]{8})$/;
const MAX_LEN = 3072;
const MAX_REVISION = 1000000000;
const MAX_LIFETIME = 395 * 86400;
const CATEGORIES = ["essential", "performance", "functional", "marketing"];

/** FNV-1a 32-bit over the characters of an ASCII string. */
function fnv1a32(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/** Unix seconds as `Date.prototype.toISOString` shows them. */
function iso(seconds) {
  return new Date(seconds * 1000).toISOString();
}

/**
 * The decision in a consent cookie's value, in the shape of the browser's
 * `ConsentGate.get()`, or `null` when the value does not match the grammar
 * exactly or the decision has expired.
 *
 * @param {string} value the cookie's raw value (the banner does not percent-encode it)
 * @param {number | Date} [now] Unix seconds or a Date; default: the current time
 * @returns {import("./index").ConsentRecord | null}
 */
export function readConsent(value, now) {
  if (typeof value !== "string" || value.length > MAX_LEN) return null;
  const m = VALUE.exec(value);
  if (!m) return null;
  const [, id, rev, dec, upd, exp, cats, flags, services = "", check] = m;
  const body = value.slice(0, value.length - 9);
  if (fnv1a32(body) !== parseInt(check, 16)) return null;
  const revision = Number(rev);
  const decided = Number(dec);
  const updated = Number(upd);
  const expires = Number(exp);
  if (revision > MAX_REVISION) return null;
  if (decided > updated || updated >= expires || expires - updated > MAX_LIFETIME) return null;
  const at =
    now === undefined ? Date.now() / 1000 : now instanceof Date ? now.getTime() / 1000 : Number(now);
  if (!(at < expires)) return null;
  const grants = {};
  let previous = null;
  for (const item of services ? services.split("~") : []) {
    const sid = item.slice(0, -2);
    // Sorted by id (ASCII order), each id once.
    if (previous !== null && !(previous < sid)) return null;
    previous = sid;
    grants[sid] = item.endsWith("1");
  }
  const categories = {};
  CATEGORIES.forEach((name, i) => (categories[name] = cats[i] === "1"));
  const record = {
    id,
    revision,
    decidedAt: iso(decided),
    updatedAt: iso(updated),
    expiresAt: iso(expires),
    categories,
    services: grants,
    // flags: 1 = GPC honoured, 2 = decided in an opt-out region, 3 = both.
    gpc: flags === "1" || flags === "3",
  };
  if (flags > "1") record.mode = "opt-out";
  return record;
}

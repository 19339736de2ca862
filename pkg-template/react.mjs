// `consent-gate/react`: React bindings over window.ConsentGate (no JSX, no build).
//
// It reads the API that the script tag or `import "consent-gate"` defined; it
// does not load Consent Gate itself, so it never adds a second copy to a page
// that uses the tag. Safe during server-side rendering: there, and while React
// hydrates, every answer is `false`.
import { useSyncExternalStore } from "react";

/** window.ConsentGate, or undefined (on a server, or not loaded). */
function gate() {
  return typeof window === "object" && window !== null ? window.ConsentGate : undefined;
}

let warned = false;

/**
 * Calls `notify` when an answer may have changed: once the module is ready
 * (a returning visitor's stored decision becomes known) and on every decision,
 * in this tab or another. Returns the unsubscribe function React expects.
 * A tag with `async` may define ConsentGate after the app's first render:
 * then it is looked for again once the page has loaded.
 */
function subscribe(notify) {
  let live = true;
  let off = () => {};
  const ping = () => live && notify();
  const attach = () => {
    const api = gate();
    if (!api) {
      if (!warned) {
        warned = true;
        console.warn(
          "Consent Gate: useConsent() found no window.ConsentGate. Load it before your app: the script tag " +
            'as the first script in <head>, or `import "consent-gate"` in your entry module.'
        );
      }
      return;
    }
    // A failed start is an answer too (everything false): no rejection escapes.
    api.ready.then(ping, ping);
    off = api.on("change", ping);
    ping();
  };
  if (gate() || document.readyState === "complete") attach();
  else window.addEventListener("load", attach, { once: true });
  return () => {
    live = false;
    window.removeEventListener("load", attach);
    off();
  };
}

const onServer = () => false;

/**
 * Whether `category` (an id such as "performance", an alias, or a service id)
 * is granted, as `ConsentGate.accepted()` answers (false before `ready`, except
 * "essential"); `false` on the server and while hydrating. Re-renders the
 * component on every decision and once the stored decision is known.
 *
 * @param {string} category
 * @returns {boolean}
 */
export function useConsent(category) {
  if (typeof category !== "string") {
    throw new TypeError('useConsent: `category` must be a string such as "performance"');
  }
  return useSyncExternalStore(
    subscribe,
    () => {
      const api = gate();
      return api ? api.accepted(category) : false;
    },
    onServer
  );
}

/**
 * Renders `children` only while `category` is granted, else `fallback`
 * (default: nothing). A component, not a hook: `<Gated category="marketing"
 * fallback={<p>Accept marketing cookies to see this video.</p>}>…</Gated>`.
 *
 * @param {{ category: string, children?: unknown, fallback?: unknown }} props
 */
export function Gated({ category, children = null, fallback = null }) {
  return useConsent(category) ? children : fallback;
}

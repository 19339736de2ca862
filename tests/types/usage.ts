// Type-checks the package's entries as an app would use them (tsc --noEmit --strict,
// run by tests/e2e/package.test.mjs against the packed tarball installed in a
// temporary node_modules). Every line must compile; the @ts-expect-error lines must not.
import ConsentGateDefault, { ConsentGate, type ConsentRecord, type CategoryName } from "consent-gate";
import { readConsent } from "consent-gate/server";
import { useConsent, Gated, type GatedProps } from "consent-gate/react";
import schema from "consent-gate/schema.json" with { type: "json" };
import { createElement, type ReactNode } from "react";

// The browser API: the named export, the default export and window.ConsentGate are one object.
const same: boolean = ConsentGate === ConsentGateDefault && ConsentGate === window.ConsentGate;
const version: string = ConsentGate.version;
const granted: boolean = ConsentGate.accepted("performance");
const byAlias: boolean = ConsentGate.accepted("analytics");
const record: ConsentRecord | null = ConsentGate.get();
const marketing: boolean | undefined = record?.categories.marketing;
const services: Record<string, boolean> | undefined = record?.services;
async function decide(): Promise<void> {
  const api = await ConsentGate.ready;
  await api.acceptAll();
  await api.set({ performance: true, "google-analytics": false });
  await api.rejectAll();
  await api.showPreferences();
  await api.reset();
}
const off: () => void = ConsentGate.on("change", (r: ConsentRecord) => console.log(r.updatedAt));
off();
window.addEventListener("consentgate:change", (event) => {
  const detail: ConsentRecord = event.detail;
  console.log(detail.id);
});
// @ts-expect-error: only "change" and "consent" are events
ConsentGate.on("decided", () => {});
// @ts-expect-error: set() takes booleans
void ConsentGate.set({ performance: "yes" });
// @ts-expect-error: accepted() takes a string
ConsentGate.accepted(1);
window.ConsentGateConfig = { revision: 2, categories: { performance: { services: {} } } };

// The server reader.
const fromCookie: ConsentRecord | null = readConsent("1.abc");
const atTime: ConsentRecord | null = readConsent("1.abc", new Date());
const atSeconds: ConsentRecord | null = readConsent("1.abc", 1_800_000_000);
// @ts-expect-error: the cookie's value is a string
readConsent(42);

// React.
function Analytics(): ReactNode {
  const ok: boolean = useConsent("performance");
  const service: boolean = useConsent("google-analytics");
  return ok && service ? "measuring" : null;
}
const props: GatedProps = { category: "marketing", fallback: "Accept marketing cookies to see this", children: "video" };
const gated = createElement(Gated, props);
const element = createElement(Analytics);
// @ts-expect-error: the category is a string
useConsent(true);
// @ts-expect-error: Gated needs a category
createElement(Gated, { children: "x" });

// The JSON Schema, for tools.
const dialect: unknown = schema.$schema;

export { same, version, granted, byAlias, marketing, services, decide, fromCookie, atTime, atSeconds, gated, element, dialect };

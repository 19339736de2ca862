// README "Every tab agrees": a decision in one tab applies at once to the site's
// other open tabs (BroadcastChannel "consent-gate"; they re-read the cookie):
// their banners and dialogs close, newly granted gated scripts run there, and
// `change` (plus `consent` for a first decision) fires there too.
// Two pages of the same browser context are two tabs of one browser.
import {
  assert,
  assertNoErrors,
  banner,
  bannerButton,
  bannerShown,
  call,
  dialog,
  getRecord,
  it,
  ran,
  sleep,
  useBrowser,
  waitRan,
  waitReady,
  QUIET_MS,
} from "./helpers.mjs";

const env = useBrowser();

const fixture = (config) =>
  "/fixtures/integrations.html" + (config ? "?config=" + encodeURIComponent(JSON.stringify(config)) : "");

/** Opens a tab, waits for `ready` and records its events in window.__events. */
async function openTab(path) {
  const page = await env.open(path);
  await waitReady(page);
  await page.evaluate(() => {
    window.__events = [];
    window.__sameDocument = true;
    const cats = (r) => r && Object.entries(r.categories).filter(([, on]) => on).map(([c]) => c).join(",");
    window.ConsentGate.on("consent", (r) => window.__events.push("consent:" + cats(r)));
    window.ConsentGate.on("change", (r) => window.__events.push("change:" + cats(r)));
    window.addEventListener("consentgate:change", (e) => window.__events.push("dom:" + cats(e.detail)));
  });
  return page;
}

const events = (page) => page.evaluate(() => window.__events.slice());
const waitEvents = (page, n) => page.waitForFunction((n) => window.__events.length >= n, n);

it("accepting in one tab closes the other tab's banner, runs its gated scripts and fires consent + change there", async () => {
  const a = await openTab(fixture());
  const b = await openTab(fixture());
  await bannerShown(a);
  await bannerShown(b);
  assert.deepEqual(await ran(b), ["essential"], "nothing optional ran in tab B before the decision");

  await bannerButton(a, "accept-all").click();
  await banner(b).waitFor({ state: "hidden" });
  assert.deepEqual((await waitRan(b, 5)).sort(), ["analytics", "essential", "functional", "ga-inline", "marketing"]);
  await waitEvents(b, 3);
  await sleep(QUIET_MS);
  const all = "essential,performance,functional,marketing";
  assert.deepEqual(await events(b), [`consent:${all}`, `change:${all}`, `dom:${all}`]);
  assert.deepEqual(await events(a), [`consent:${all}`, `change:${all}`, `dom:${all}`], "and exactly once in tab A");
  assert.deepEqual(await getRecord(b), await getRecord(a), "both tabs hold the same record");
  assert.equal(await call(b, "accepted", "marketing"), true);
  assertNoErrors(a, "tab A");
  assertNoErrors(b, "tab B");
});

it("a later change in one tab: the other tab fires change (not consent) and runs only the newly granted script", async () => {
  const a = await openTab(fixture());
  const b = await openTab(fixture());
  await call(a, "set", { performance: true });
  await waitEvents(b, 3);
  assert.deepEqual((await waitRan(b, 3)).sort(), ["analytics", "essential", "ga-inline"]);

  await call(a, "set", { marketing: true });
  await waitEvents(b, 5);
  await sleep(QUIET_MS);
  assert.deepEqual(
    (await events(b)).slice(3),
    ["change:essential,performance,marketing", "dom:essential,performance,marketing"],
    "tab B: change and the DOM event, no second consent"
  );
  assert.deepEqual((await ran(b)).sort(), ["analytics", "essential", "ga-inline", "marketing"], "each script ran once in tab B");
  assert.equal(await call(b, "accepted", "functional"), false);
});

it("the other tab's open preferences dialog closes and the banner stays closed", async () => {
  const a = await openTab(fixture());
  const b = await openTab(fixture());
  await call(b, "showPreferences");
  await dialog(b).waitFor();
  await call(a, "rejectAll");
  await dialog(b).waitFor({ state: "hidden" });
  await sleep(QUIET_MS);
  assert.equal(await banner(b).isVisible(), false);
  assert.deepEqual((await getRecord(b)).categories, { essential: true, performance: false, functional: false, marketing: false });
});

it("a withdrawal in one tab reloads the other tab too (reloadOnWithdraw), which then runs only what is still granted", async () => {
  const a = await openTab(fixture());
  const b = await openTab(fixture());
  await call(a, "acceptAll");
  await waitRan(b, 5, { settle: 0 });
  await a.evaluate(() => setTimeout(() => window.ConsentGate.set({ marketing: false })));
  await b.waitForFunction(() => !window.__sameDocument && document.readyState === "complete");
  await waitReady(b);
  assert.equal(await b.evaluate(() => performance.getEntriesByType("navigation")[0].type), "reload");
  assert.deepEqual((await waitRan(b, 4)).sort(), ["analytics", "essential", "functional", "ga-inline"]);
  assert.equal(await call(b, "accepted", "marketing"), false);
});

it("with reloadOnWithdraw false, a withdrawal in one tab updates the other without reloading it", async () => {
  const path = fixture({ reloadOnWithdraw: false });
  const a = await openTab(path);
  const b = await openTab(path);
  await call(a, "acceptAll");
  await waitEvents(b, 3);
  await call(a, "set", { performance: false });
  await waitEvents(b, 5);
  await sleep(QUIET_MS);
  assert.equal(await b.evaluate(() => window.__sameDocument), true, "tab B was not reloaded");
  assert.deepEqual((await events(b)).slice(3), [
    "change:essential,functional,marketing",
    "dom:essential,functional,marketing",
  ]);
  assert.equal(await call(b, "accepted", "performance"), false);
});

it("reset() in one tab shows the banner again in the other", async () => {
  const path = fixture({ reloadOnWithdraw: false });
  const a = await openTab(path);
  const b = await openTab(path);
  await call(a, "rejectAll");
  await banner(b).waitFor({ state: "hidden" });
  await call(a, "reset");
  await bannerShown(b);
  assert.equal(await getRecord(b), null);
});

it("another site's tab (a different origin) is not affected", async () => {
  const a = await openTab(fixture());
  const other = await env.context.newPage();
  await other.goto(env.url(fixture()).replace("127.0.0.1", "localhost"), { waitUntil: "load" });
  await waitReady(other);
  await call(a, "acceptAll");
  await sleep(QUIET_MS);
  assert.equal(await banner(other).isVisible(), true, "the other origin still asks");
  assert.equal(await getRecord(other), null);
});

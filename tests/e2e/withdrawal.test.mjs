// Contract section 6 (last point) and README "Withdrawal": refusing a category
// (or service) that was granted deletes the cookies the config lists for it
// (exact names and `prefix*` patterns, with their configured path) on the
// current host, its parent domains and the configured cookie.domain, and the
// listed localStorage keys; then the page reloads (reloadOnWithdraw, default true).
//
// Chromium cannot set a Domain cookie for 127.0.0.1, so this file's browser maps
// *.lumen.test to the test server (--host-resolver-rules): pages opened on
// http://www.lumen.test:PORT/ can hold cookies on www.lumen.test and lumen.test.
import {
  assert,
  assertNoErrors,
  call,
  getRecord,
  it,
  newPage,
  sleep,
  useBrowser,
  waitRan,
  waitReady,
  QUIET_MS,
} from "./helpers.mjs";

const env = useBrowser({ args: ["--host-resolver-rules=MAP *.lumen.test 127.0.0.1"] });

const fixture = (config) =>
  "/fixtures/integrations.html" + (config ? "?config=" + encodeURIComponent(JSON.stringify(config)) : "");

/** Opens `path` on `host` (default: the server's own 127.0.0.1) in this test's context. */
async function openOn(path, host) {
  const page = await newPage(env.context);
  const origin = host ? `http://${host}:${env.server.port}` : env.server.url;
  await page.goto(origin + path, { waitUntil: "load" });
  await waitReady(page);
  return page;
}

/** Writes cookies through document.cookie (e.g. "_ga=1; Path=/; Domain=lumen.test"). */
async function writeCookies(page, list) {
  await page.evaluate((list) => {
    for (const c of list) document.cookie = c + (/max-age/i.test(c) ? "" : "; Max-Age=3600");
  }, list);
}

async function writeStorage(page, keys) {
  await page.evaluate((keys) => keys.forEach((k) => localStorage.setItem(k, "x")), keys);
}

/** Every cookie of the context as "name@domain/path", sorted. */
async function jar() {
  return (await env.context.cookies()).map((c) => `${c.name}@${c.domain}${c.path}`).sort();
}

async function storageKeys(page) {
  return page.evaluate(() => Object.keys(localStorage).sort());
}

/** Marks the current document, so a reload can be told from staying on the page. */
async function mark(page) {
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
}

/**
 * Runs `ConsentGate.set(choices)` (or rejectAll when `choices` is null) from a
 * task of the page's own, so the evaluate call returns before any reload.
 */
async function decideLater(page, choices) {
  await page.evaluate((choices) => {
    setTimeout(() => (choices ? window.ConsentGate.set(choices) : window.ConsentGate.rejectAll()));
  }, choices);
}

/** Waits until the page reloaded (a fresh document whose navigation type is "reload"). */
async function waitReloaded(page) {
  await page.waitForFunction(() => !window.__sameDocument && document.readyState === "complete", null, { timeout: 8000 });
  assert.equal(
    await page.evaluate(() => performance.getEntriesByType("navigation")[0].type),
    "reload",
    "the page was reloaded"
  );
  await waitReady(page);
}

async function assertStayed(page) {
  await sleep(QUIET_MS);
  assert.equal(await page.evaluate(() => window.__sameDocument === true), true, "the page was not reloaded");
  assert.equal(await page.evaluate(() => performance.getEntriesByType("navigation")[0].type), "navigate");
}

const SEEDED_COOKIES = [
  "_ga=GA1.1.1; Path=/",
  "_ga_XYZ123=GS1.1; Path=/",
  "_ga_ABC=GS1.2; Path=/",
  "_gid=GA1.1.2; Path=/",
  "_gat=1; Path=/", // not listed: `_ga_*` does not cover it
  "_fbp=fb.1.2; Path=/",
  "fx_prefs=dark; Path=/fixtures/", // listed with "path": "/fixtures/"
  "keep_me=1; Path=/",
];
const SEEDED_KEYS = ["perf_seen", "ga:client", "ga:session", "ads_id", "fx_prefs", "keep_me"];

it("withdrawing performance deletes its cookies (exact names and `_ga_*`, category and service) and localStorage keys, keeps the rest, and reloads", async () => {
  const page = await openOn(fixture());
  await call(page, "acceptAll");
  await waitRan(page, 5, { settle: 0 });
  await writeCookies(page, SEEDED_COOKIES);
  await writeStorage(page, SEEDED_KEYS);
  await mark(page);

  await decideLater(page, { performance: false });
  await waitReloaded(page);

  assert.deepEqual(await jar(), [
    "_fbp@127.0.0.1/",
    "_gat@127.0.0.1/",
    "consent_gate@127.0.0.1/",
    "fx_prefs@127.0.0.1/fixtures/",
    "keep_me@127.0.0.1/",
  ]);
  assert.deepEqual(await storageKeys(page), ["ads_id", "consent_gate", "fx_prefs", "keep_me"]);
  const record = await getRecord(page);
  assert.deepEqual(record.categories, { essential: true, performance: false, functional: true, marketing: true });
  // After the reload, only what is still granted runs.
  assert.deepEqual((await waitRan(page, 3)).sort(), ["essential", "functional", "marketing"]);
  assertNoErrors(page);
});

it("withdrawing one service deletes only that service's cookies and keys; reject all then deletes the rest, with the configured path", async () => {
  const page = await openOn(fixture());
  await call(page, "acceptAll");
  await writeCookies(page, SEEDED_COOKIES);
  await writeStorage(page, SEEDED_KEYS);
  await mark(page);

  await decideLater(page, { "ads-pixel": false });
  await waitReloaded(page);
  let cookies = await jar();
  assert.ok(!cookies.includes("_fbp@127.0.0.1/"), `_fbp is deleted: ${cookies}`);
  for (const kept of ["_ga@127.0.0.1/", "_ga_XYZ123@127.0.0.1/", "_gid@127.0.0.1/", "fx_prefs@127.0.0.1/fixtures/"]) {
    assert.ok(cookies.includes(kept), `${kept} is kept while its category stays granted`);
  }
  assert.deepEqual(await storageKeys(page), ["consent_gate", "fx_prefs", "ga:client", "ga:session", "keep_me", "perf_seen"]);
  assert.equal((await getRecord(page)).categories.marketing, false, "marketing had one service: it is now refused");

  await mark(page);
  await decideLater(page, null); // rejectAll
  await waitReloaded(page);
  assert.deepEqual(await jar(), ["_gat@127.0.0.1/", "consent_gate@127.0.0.1/", "keep_me@127.0.0.1/"]);
  assert.deepEqual(await storageKeys(page), ["consent_gate", "keep_me"]);
  assert.deepEqual(await waitRan(page, 1), ["essential"]);
});

it("withdrawal through the preferences dialog (switch off + save) cleans up and reloads", async () => {
  const page = await openOn(fixture());
  await call(page, "acceptAll");
  await writeCookies(page, ["_ga=1; Path=/", "_ga_Q=1; Path=/"]);
  await mark(page);
  await call(page, "showPreferences");
  const dialog = page.locator('#consent-gate [data-cg="dialog"]');
  await dialog.waitFor();
  await dialog.locator('input[role="switch"][data-category="performance"]').uncheck();
  await dialog.locator('[data-action="save"]').click();
  await waitReloaded(page);
  assert.deepEqual(await jar(), ["consent_gate@127.0.0.1/"]);
  assert.equal(await call(page, "accepted", "performance"), false);
});

it('"reloadOnWithdraw": false deletes the same cookies and keys but stays on the page (change fires, nothing runs twice)', async () => {
  const page = await openOn(fixture({ reloadOnWithdraw: false }));
  await call(page, "acceptAll");
  await waitRan(page, 5, { settle: 0 });
  await writeCookies(page, SEEDED_COOKIES);
  await writeStorage(page, SEEDED_KEYS);
  await mark(page);
  await page.evaluate(() => {
    window.__changes = [];
    window.ConsentGate.on("change", (r) => window.__changes.push(r.categories));
  });

  await call(page, "set", { performance: false, functional: false });
  await assertStayed(page);
  assert.deepEqual(await jar(), ["_fbp@127.0.0.1/", "_gat@127.0.0.1/", "consent_gate@127.0.0.1/", "keep_me@127.0.0.1/"]);
  assert.deepEqual(await storageKeys(page), ["ads_id", "consent_gate", "keep_me"]);
  assert.deepEqual(await page.evaluate(() => window.__changes), [
    { essential: true, performance: false, functional: false, marketing: true },
  ]);
  assert.deepEqual((await page.evaluate(() => window.__consentGateDemoRan)).sort(), [
    "analytics",
    "essential",
    "functional",
    "ga-inline",
    "marketing",
  ]);
  assertNoErrors(page);
});

it("a decision that withdraws nothing neither reloads nor deletes (first reject all, then granting more)", async () => {
  const page = await openOn(fixture());
  await writeCookies(page, SEEDED_COOKIES);
  await mark(page);
  const before = await jar();
  await call(page, "rejectAll"); // a first decision: nothing was granted, nothing is withdrawn
  await assertStayed(page);
  await call(page, "set", { marketing: true });
  await assertStayed(page);
  await call(page, "acceptAll");
  await assertStayed(page);
  assert.deepEqual(
    (await jar()).filter((c) => !c.startsWith("consent_gate@")),
    before,
    "no cookie was deleted"
  );
  assert.deepEqual((await waitRan(page, 5)).sort(), ["analytics", "essential", "functional", "ga-inline", "marketing"]);
});

it("parent domains: on a.shop.lumen.test, withdrawal deletes the listed cookies on the host, shop.lumen.test and lumen.test", async () => {
  const host = "a.shop.lumen.test";
  const page = await openOn(fixture(), host);
  await call(page, "acceptAll");
  await writeCookies(page, [
    "_ga=host; Path=/",
    "_ga=parent; Path=/; Domain=shop.lumen.test",
    "_ga=top; Path=/; Domain=lumen.test",
    "_ga_XYZ=self; Path=/; Domain=a.shop.lumen.test",
    "_ga_LMN=top; Path=/; Domain=lumen.test",
    "_gid=parent; Path=/; Domain=shop.lumen.test",
    "_fbp=top; Path=/; Domain=lumen.test", // marketing stays granted: kept
    "other=top; Path=/; Domain=lumen.test",
  ]);
  assert.equal((await jar()).length, 9, "the browser accepted every seeded cookie (and the consent cookie)");
  await mark(page);
  await decideLater(page, { performance: false });
  await waitReloaded(page);
  assert.deepEqual(await jar(), ["_fbp@.lumen.test/", "consent_gate@a.shop.lumen.test/", "other@.lumen.test/"]);
});

it("configured cookie.domain: the consent cookie lives on .lumen.test and withdrawal deletes listed cookies there and on the host", async () => {
  const host = "www.lumen.test";
  const page = await openOn(fixture({ cookie: { domain: ".lumen.test" } }), host);
  await call(page, "acceptAll");
  assert.ok((await jar()).includes("consent_gate@.lumen.test/"), "the decision is stored on the configured domain");
  await writeCookies(page, [
    "_ga=host; Path=/",
    "_ga=shared; Path=/; Domain=lumen.test",
    "_ga_XYZ=shared; Path=/; Domain=.lumen.test",
    "_fbp=shared; Path=/; Domain=lumen.test",
    "_fbp=host; Path=/",
    "other=shared; Path=/; Domain=lumen.test",
  ]);
  await mark(page);
  await decideLater(page, null); // rejectAll: performance and marketing withdrawn
  await waitReloaded(page);
  assert.deepEqual(await jar(), ["consent_gate@.lumen.test/", "other@.lumen.test/"]);

  // The decision (and the clean-up) holds on a sibling subdomain sharing the cookie.
  const sibling = await openOn(fixture({ cookie: { domain: ".lumen.test" } }), "shop.lumen.test");
  assert.equal((await getRecord(sibling))?.categories.performance, false);
  assert.equal(await sibling.locator('#consent-gate [data-cg="banner"]').isVisible(), false);
});

// Contract section 6, Google Consent Mode v2 (config googleConsentMode): a
// `default` of denied for every storage type before any gated script runs,
// then an `update` on each decision and on page load when a decision is stored:
//   analytics_storage ← performance; ad_storage, ad_user_data, ad_personalization
//   ← marketing; functionality_storage, personalization_storage ← functional;
//   security_storage always granted.
// Pushed to window.dataLayer as `arguments` objects (as gtag() does), or
// through the site's own window.gtag when it defined one.
import {
  assert,
  assertNoErrors,
  bannerButton,
  bannerShown,
  call,
  errors,
  it,
  sleep,
  useBrowser,
  waitRan,
  waitReady,
  QUIET_MS,
} from "./helpers.mjs";

const env = useBrowser();

const fixture = (config, query = "") =>
  "/fixtures/integrations.html?config=" + encodeURIComponent(JSON.stringify(config)) + query;

const DENIED = {
  ad_storage: "denied",
  ad_user_data: "denied",
  ad_personalization: "denied",
  analytics_storage: "denied",
  functionality_storage: "denied",
  personalization_storage: "denied",
  security_storage: "denied",
};

/** The update expected for a choice of categories. */
function update({ performance = false, functional = false, marketing = false }) {
  const s = (on) => (on ? "granted" : "denied");
  return {
    ad_storage: s(marketing),
    ad_user_data: s(marketing),
    ad_personalization: s(marketing),
    analytics_storage: s(performance),
    functionality_storage: s(functional),
    personalization_storage: s(functional),
    security_storage: "granted",
  };
}

/** window.dataLayer as plain arrays, each entry checked to be an `arguments` object. */
async function dataLayer(page, name = "dataLayer") {
  const entries = await page.evaluate((name) => {
    const list = name === "dataLayer" ? window.dataLayer : window.__gtagCalls;
    if (list === undefined) return undefined;
    return list.map((e) => ({ kind: Object.prototype.toString.call(e), args: JSON.parse(JSON.stringify(Array.from(e))) }));
  }, name);
  if (entries === undefined) return undefined;
  for (const e of entries) assert.equal(e.kind, "[object Arguments]", `each ${name} entry is an arguments object, as gtag() pushes`);
  return entries.map((e) => e.args);
}

const probes = (page) => page.evaluate(() => (window.__probes || []).slice());

/** Every gated script saw at least `n` entries (`field`: dataLayer or gtag calls) when it ran. */
async function assertProbesSaw(page, n, field = "dataLayer") {
  const list = await probes(page);
  assert.ok(list.length > 0, "some gated script ran");
  for (const p of list) assert.ok(p[field] >= n, `${p.name} ran after ${n} Consent Mode command(s) (it saw ${p[field]})`);
}

it("global config (googleConsentMode: true): the default precedes every gated script; accept all pushes a full update", async () => {
  const page = await env.open(fixture({ googleConsentMode: true }));
  await waitReady(page);
  await waitRan(page, 1); // the essential probe runs at once
  assert.deepEqual(await dataLayer(page), [["consent", "default", DENIED]], "no wait_for_update without the option");
  await assertProbesSaw(page, 1);

  await call(page, "acceptAll");
  await waitRan(page, 5);
  assert.deepEqual(await dataLayer(page), [
    ["consent", "default", DENIED],
    ["consent", "update", update({ performance: true, functional: true, marketing: true })],
  ]);
  const late = (await probes(page)).filter((p) => p.name !== "essential");
  for (const p of late) assert.equal(p.dataLayer, 2, `${p.name} ran after the update (tags see the granted state)`);
  assertNoErrors(page);
});

it("each decision pushes an update that maps its categories", async () => {
  const page = await env.open(fixture({ googleConsentMode: true, reloadOnWithdraw: false }));
  await waitReady(page);
  const steps = [
    [["set", { performance: true }], { performance: true }],
    [["set", { functional: true }], { performance: true, functional: true }],
    [["set", { marketing: true, performance: false }], { functional: true, marketing: true }],
    [["rejectAll"], {}],
    [["set", { "ads-pixel": true }], { marketing: true }],
    [["acceptAll"], { performance: true, functional: true, marketing: true }],
  ];
  const expected = [["consent", "default", DENIED]];
  for (const [[name, ...args], choice] of steps) {
    await call(page, name, ...args);
    expected.push(["consent", "update", update(choice)]);
    assert.deepEqual(await dataLayer(page), expected, `after ${name}(${JSON.stringify(args[0] ?? "")})`);
  }
});

it("the banner buttons push the update too (reject all: everything denied but security)", async () => {
  const page = await env.open(fixture({ googleConsentMode: true }));
  await bannerShown(page);
  await bannerButton(page, "reject-all").click();
  await page.waitForFunction(() => window.dataLayer.length === 2);
  assert.deepEqual((await dataLayer(page))[1], ["consent", "update", update({})]);
});

it("page load with a stored decision: default, then an update from the record, both before any gated script", async () => {
  const page = await env.open(fixture({ googleConsentMode: true }));
  await waitReady(page);
  await call(page, "set", { performance: true, marketing: true });
  await page.reload();
  await waitReady(page);
  await waitRan(page, 4);
  assert.deepEqual(await dataLayer(page), [
    ["consent", "default", DENIED],
    ["consent", "update", update({ performance: true, marketing: true })],
  ]);
  await assertProbesSaw(page, 2);
});

it("inline config before the loader ({ waitForUpdate: 500 }): the default is there for the very next script", async () => {
  const page = await env.open("/fixtures/consent-mode-inline.html");
  assert.equal(await page.evaluate(() => window.__dataLayerAtFirstScript), 1, "pushed synchronously by the loader");
  await waitReady(page);
  await waitRan(page, 1);
  assert.deepEqual(await dataLayer(page), [["consent", "default", { ...DENIED, wait_for_update: 500 }]]);
  await call(page, "set", { marketing: true });
  await waitRan(page, 3);
  assert.deepEqual((await dataLayer(page))[1], ["consent", "update", update({ marketing: true })]);
  await assertProbesSaw(page, 1);
  for (const p of (await probes(page)).filter((p) => p.name !== "essential")) assert.equal(p.dataLayer, 2, p.name);
});

it("data-config: the default is pushed when the config arrives, still before any gated script", async () => {
  const page = await env.open("/fixtures/consent-mode-url.html");
  await waitReady(page);
  await waitRan(page, 1);
  assert.deepEqual(await dataLayer(page), [["consent", "default", DENIED]]);
  await call(page, "acceptAll");
  await waitRan(page, 3);
  await assertProbesSaw(page, 1);
  assert.deepEqual((await dataLayer(page))[1], ["consent", "update", update({ performance: true, functional: true, marketing: true })]);
});

it("a site-defined gtag() receives the default and the updates (nothing is pushed to dataLayer directly)", async () => {
  const page = await env.open(fixture({ googleConsentMode: true }, "&gtag=1"));
  await waitReady(page);
  await waitRan(page, 1);
  assert.deepEqual(await dataLayer(page, "gtag"), [["consent", "default", DENIED]]);
  await call(page, "set", { functional: true });
  await waitRan(page, 2);
  assert.deepEqual(await dataLayer(page, "gtag"), [
    ["consent", "default", DENIED],
    ["consent", "update", update({ functional: true })],
  ]);
  await assertProbesSaw(page, 1, "gtag");
  assert.equal(await page.evaluate(() => window.dataLayer), undefined, "the site's gtag was used instead");
});

it("the other open tab pushes the update as well", async () => {
  const path = fixture({ googleConsentMode: true });
  const a = await env.open(path);
  const b = await env.open(path);
  await waitReady(a);
  await waitReady(b);
  await call(a, "set", { performance: true });
  await b.waitForFunction(() => window.dataLayer.length === 2);
  assert.deepEqual((await dataLayer(b))[1], ["consent", "update", update({ performance: true })]);
});

it("without googleConsentMode nothing is pushed or called", async () => {
  const page = await env.open(fixture({}, "&gtag=1"));
  await waitReady(page);
  await call(page, "acceptAll");
  await waitRan(page, 5);
  await page.reload();
  await waitReady(page);
  await sleep(QUIET_MS);
  assert.equal(await page.evaluate(() => window.dataLayer), undefined);
  assert.deepEqual(await dataLayer(page, "gtag"), []);
});

it("demo page consent-mode.html: its gtag stub shows the default, then the visitor's choice", async () => {
  const page = await env.open("/consent-mode.html");
  await bannerShown(page);
  const state = (type) => page.locator(`[data-consent-mode] [data-consent-type="${type}"]`);
  for (const type of Object.keys(DENIED)) assert.equal(await state(type).getAttribute("data-state"), "denied", type);
  await call(page, "set", { performance: true });
  await page.locator('[data-consent-type="analytics_storage"][data-state="granted"]').waitFor();
  assert.equal(await state("analytics_storage").innerText(), "granted");
  assert.equal(await state("ad_storage").getAttribute("data-state"), "denied");
  assert.equal(await state("security_storage").getAttribute("data-state"), "granted");
  const log = await page.locator("[data-consent-mode-log] li").allInnerTexts();
  assert.match(log[0], /default/);
  assert.match(log.at(-1), /update/);
  // The footer of the demo links to it.
  const index = await env.open("/index.html");
  assert.equal(await index.locator('.site-footer a[href="/consent-mode.html"]').count(), 1);
  assertNoErrors(page);
});

// Section 8: a bad value is reported with console.error naming its path and replaced by its default.
it("a bad googleConsentMode value ([]) is reported and replaced by its default (off), in the loader too", async () => {
  const page = await env.open(fixture({ googleConsentMode: [] }));
  await waitReady(page);
  await call(page, "acceptAll");
  assert.ok(errors(page).some((m) => m.text.includes("`googleConsentMode`")), "the bad value is reported");
  assert.equal(await page.evaluate(() => window.dataLayer), undefined, "googleConsentMode: [] must not enable Consent Mode");
});

it("a bad googleConsentMode.waitForUpdate (outside 0–60000 ms) is reported and dropped, in the loader too", async () => {
  const page = await env.open(fixture({ googleConsentMode: { waitForUpdate: 100000 } }));
  await waitReady(page);
  assert.ok(errors(page).some((m) => m.text.includes("`googleConsentMode.waitForUpdate`")), "the bad value is reported");
  assert.deepEqual(await dataLayer(page), [["consent", "default", DENIED]], "wait_for_update: 100000 must not be pushed");
});

// The rule is written twice by necessity: the loader acts on it before any
// module loads, the config reader (src/model/config/read.rs) names a bad value.
// On every kind of value they must agree: what the reader reports as bad, the
// loader ignores (off, or no wait_for_update); what it accepts, the loader uses.
it("the loader and the config reader agree on every kind of googleConsentMode value", async () => {
  const WAITS = [0, 500, 60000, 60001, -1, 1.5, "500", true, null, [], {}, 2 ** 32 + 500, 1e21];
  const values = [true, false, null, {}, [], [1], "yes", "", 0, 1, { other: 1 }, ...WAITS.map((w) => ({ waitForUpdate: w }))];
  const disagreements = [];
  for (const value of values) {
    const page = await env.open(fixture({ googleConsentMode: value }));
    await waitReady(page);
    const named = (path) => errors(page).some((m) => m.text.includes("`" + path + "`"));
    const pushed = await dataLayer(page);
    const on = pushed !== undefined;
    const wait = on ? pushed[0][2].wait_for_update : undefined;
    const badValue = named("googleConsentMode");
    const badWait = named("googleConsentMode.waitForUpdate");
    const explicitOff = value === null || value === false;
    const expectOn = !badValue && !explicitOff;
    const hasWait = value !== null && typeof value === "object" && "waitForUpdate" in value;
    const expectWait = expectOn && hasWait && !badWait ? value.waitForUpdate : undefined;
    if (on !== expectOn || wait !== expectWait)
      disagreements.push(`${JSON.stringify(value)}: loader on=${on} wait=${wait}; reader bad value=${badValue} bad wait=${badWait}`);
    await page.close();
  }
  assert.deepEqual(disagreements, []);
});

// Contract section 1, Regions: `data-region` on the loader's tag and config
// `regions` choose the banner mode. "opt-out": optional categories count as
// granted until refused (nothing stored, get() null), the first layer is a
// notice whose main button ("Do not sell or share my personal information")
// refuses marketing only, GPC refuses marketing at once, a stored record says
// "mode": "opt-out". "off": no banner, nothing optional, ready resolves.
// "opt-in" (the default) always for a missing or malformed data-region.
// Every page here is served under a strict CSP (no inline script anywhere).
import {
  assert,
  assertNoErrors,
  accepted,
  banner,
  bannerButton,
  bannerShown,
  call,
  cookie,
  errors,
  forgeCookie,
  getMirror,
  nowSecs,
  setCookie,
  getRecord,
  it,
  parseCookie,
  ran,
  readyOutcome,
  sleep,
  useBrowser,
  waitRan,
  waitReady,
  QUIET_MS,
} from "./helpers.mjs";

const env = useBrowser();

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const OPTIONAL = ["performance", "functional", "marketing"];

/**
 * Opens a page whose loader tag carries `region` (undefined: no attribute)
 * under `config` (merged over the fixtures' base config, which has services
 * and cookies in every category; see fixtures/integrations-config.js).
 */
async function openRegion(region, config = {}, { lang = "en" } = {}) {
  env.onRequest = (req, res, url) => {
    if (url.pathname !== "/region-page") return;
    const attr = region === undefined ? "" : ` data-region="${region.replace(/[<>&"]/g, "")}"`;
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": CSP });
    res.end(`<!doctype html>
<html lang="${lang}">
<head>
  <script src="/fixtures/integrations-config.js"></script>
  <script src="/consent-gate/consent-gate.js"${attr}></script>
  <meta charset="utf-8">
  <title>Region fixture</title>
  <link rel="icon" href="/favicon.svg">
  <script type="text/plain" data-category="performance" src="/fixtures/probe.js?name=analytics"></script>
  <script type="text/plain" data-category="functional" src="/fixtures/probe.js?name=functional"></script>
  <script type="text/plain" data-category="marketing" src="/fixtures/probe.js?name=marketing"></script>
</head>
<body><h1>Region fixture</h1><p><a href="#" data-consent-gate="preferences">Cookie settings</a></p></body>
</html>`);
    return true;
  };
  return env.open("/region-page?config=" + encodeURIComponent(JSON.stringify(config)));
}

async function sendGpc() {
  await env.context.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { configurable: true, get: () => true })
  );
}

async function grants(page) {
  return page.evaluate((names) => Object.fromEntries(names.map((n) => [n, window.ConsentGate.accepted(n)])), [
    "essential",
    ...OPTIONAL,
    "google-analytics",
    "ads-pixel",
  ]);
}

async function assertCspHeld(page) {
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], "no CSP violation");
}

const title = (page) => banner(page).locator("h2");

it("opt-out: before any action every optional category is granted, get() is null, nothing is stored and gated scripts run", async () => {
  const page = await openRegion("US-CA", { regions: { "US-CA": "opt-out" } });
  await waitReady(page);
  assert.deepEqual(await grants(page), {
    essential: true,
    performance: true,
    functional: true,
    marketing: true,
    "google-analytics": true,
    "ads-pixel": true,
  });
  assert.equal(await getRecord(page), null, "get() is null until the visitor acts");
  assert.deepEqual((await waitRan(page, 3)).sort(), ["analytics", "functional", "marketing"]);
  assert.equal(await cookie(env.context), undefined, "no consent cookie");
  assert.equal(await getMirror(page), null, "no mirror");
  // The first layer is the opt-out notice.
  await bannerShown(page);
  assert.equal(await title(page).innerText(), "Your privacy choices");
  const buttons = await banner(page).locator("button[data-action]").evaluateAll((b) => b.map((e) => e.dataset.action));
  assert.equal(buttons[0], "do-not-sell", "the main button comes first");
  assert.equal(
    (await bannerButton(page, "do-not-sell").innerText()).trim(),
    "Do not sell or share my personal information"
  );
  assert.equal(await bannerButton(page, "reject-all").count(), 0);
  await assertCspHeld(page);
  assertNoErrors(page);
});

it('opt-out: "Do not sell or share" refuses marketing only and stores a record with mode opt-out', async () => {
  const page = await openRegion("US-CA", { regions: { "US-CA": "opt-out" }, reloadOnWithdraw: false });
  await bannerShown(page);
  const events = page.evaluate(
    () => new Promise((ok) => window.ConsentGate.on("consent", (record) => ok(record)))
  );
  await bannerButton(page, "do-not-sell").click();
  await banner(page).waitFor({ state: "hidden" });
  const record = await getRecord(page);
  assert.equal(record.mode, "opt-out");
  assert.deepEqual(record.categories, { essential: true, performance: true, functional: true, marketing: false });
  assert.deepEqual(record.services, { "ads-pixel": false, "google-analytics": true });
  assert.equal(record.gpc, false);
  assert.equal((await events).mode, "opt-out", "the first decision fires consent with the record");
  assert.equal(await accepted(page, "marketing"), false);
  assert.equal(await accepted(page, "performance"), true);
  const c = parseCookie((await cookie(env.context)).value);
  assert.equal(c.cats, "1110");
  assert.equal(c.gpc, "2", "flags 2: decided in an opt-out region");
  assert.ok(c.checkOk);
  assert.equal((await getMirror(page)).record.mode, "opt-out");

  // A returning visitor: the core reads the mode from the cookie; no banner module needed.
  const again = await openRegion("US-CA", { regions: { "US-CA": "opt-out" } });
  await waitReady(again);
  assert.equal(await banner(again).isVisible(), false);
  assert.equal((await getRecord(again)).mode, "opt-out");
  assert.deepEqual((await waitRan(again, 2)).sort(), ["analytics", "functional"], "marketing no longer runs");
  assertNoErrors(page);
  assertNoErrors(again);
});

it("opt-out: refusing what ran provisionally is a withdrawal (the page reloads by default)", async () => {
  const page = await openRegion("US-CA", { regions: { "US-CA": "opt-out" } });
  await bannerShown(page);
  await waitRan(page, 3);
  await Promise.all([page.waitForEvent("load"), bannerButton(page, "do-not-sell").click()]);
  await waitReady(page);
  assert.equal(await accepted(page, "marketing"), false);
  assert.deepEqual((await waitRan(page, 2)).sort(), ["analytics", "functional"]);
  assert.equal(await banner(page).isVisible(), false);
});

it("opt-out with GPC: marketing is refused at once, the rest granted; still nothing stored", async () => {
  await sendGpc();
  const page = await openRegion("US-CA", { regions: { US: "opt-out" } });
  await waitReady(page);
  const g = await grants(page);
  assert.equal(g.marketing, false);
  assert.equal(g["ads-pixel"], false);
  assert.equal(g.performance, true);
  assert.equal(g.functional, true);
  assert.equal(await getRecord(page), null);
  assert.equal(await cookie(env.context), undefined);
  assert.deepEqual((await waitRan(page, 2)).sort(), ["analytics", "functional"], "the marketing probe did not run");
  await bannerShown(page);
  await page.locator('#consent-gate [data-cg="gpc"]').waitFor({ state: "visible" });
  // Accepting all under GPC still leaves marketing refused; the record says both.
  await bannerButton(page, "accept-all").click();
  const record = await getRecord(page);
  assert.equal(record.gpc, true);
  assert.equal(record.mode, "opt-out");
  assert.equal(record.categories.marketing, false);
  assert.equal(parseCookie((await cookie(env.context)).value).gpc, "3");
  assertNoErrors(page);
});

it("opt-out: reset() forgets the decision and the provisional grants come back", async () => {
  const page = await openRegion("US-NY", { regions: { US: "opt-out" }, reloadOnWithdraw: false });
  await bannerShown(page);
  await call(page, "rejectAll");
  assert.equal(await accepted(page, "performance"), false);
  assert.equal((await getRecord(page)).mode, "opt-out");
  await call(page, "reset");
  assert.equal(await getRecord(page), null);
  assert.equal(await cookie(env.context), undefined);
  assert.equal(await accepted(page, "performance"), true);
  await bannerShown(page);
  assertNoErrors(page);
});

it("opt-out: the preferences dialog starts from the provisional grants", async () => {
  const page = await openRegion("US-CA", { regions: { "US-CA": "opt-out" }, reloadOnWithdraw: false });
  await bannerShown(page);
  await bannerButton(page, "preferences").click();
  const dialogSwitch = (c) => page.locator(`#consent-gate [data-cg="dialog"] input[data-category="${c}"]`);
  for (const c of OPTIONAL) assert.equal(await dialogSwitch(c).isChecked(), true, c);
  await dialogSwitch("performance").uncheck();
  await page.locator('#consent-gate [data-cg="dialog"] [data-action="save"]').click();
  const record = await getRecord(page);
  assert.deepEqual(record.categories, { essential: true, performance: false, functional: true, marketing: true });
  assert.equal(record.mode, "opt-out");
  assertNoErrors(page);
});

it("opt-out: the notice and its button come in the visitor's language", async () => {
  const page = await openRegion("US-CA", { regions: { "US-CA": "opt-out" } }, { lang: "de" });
  await bannerShown(page);
  assert.equal(await title(page).innerText(), "Ihre Datenschutzoptionen");
  assert.equal(
    (await bannerButton(page, "do-not-sell").innerText()).trim(),
    "Meine personenbezogenen Daten nicht verkaufen oder weitergeben"
  );
  assertNoErrors(page);
});

it('off: no banner, nothing optional granted, get() null, ready resolves', async () => {
  const page = await openRegion("JP", { regions: { JP: "off" } });
  assert.equal(await readyOutcome(page), "resolved");
  await sleep(QUIET_MS);
  assert.equal(await banner(page).isVisible(), false);
  assert.deepEqual(await grants(page), {
    essential: true,
    performance: false,
    functional: false,
    marketing: false,
    "google-analytics": false,
    "ads-pixel": false,
  });
  assert.equal(await getRecord(page), null);
  assert.deepEqual(await ran(page), []);
  assert.equal(await cookie(env.context), undefined);
  await assertCspHeld(page);
  assertNoErrors(page);
});

it('"*" matches any known region not named; named ones and groups win over it', async () => {
  const regions = { "*": "off", EU: "opt-out", EEA: "opt-in", DE: "opt-in", US: "opt-out", "US-CA": "opt-in" };
  const cases = [
    ["BR", "off"],
    ["FR", "opt-out"], // EU before EEA
    ["NO", "opt-in"], // EEA
    ["DE-BY", "opt-in"], // the country before its group
    ["US-TX", "opt-out"], // US = every US-xx
    ["US-CA", "opt-in"], // the subdivision first
  ];
  for (const [region, mode] of cases) {
    const page = await openRegion(region, { regions });
    await waitReady(page);
    await sleep(150);
    const shown = await banner(page).isVisible();
    const provisional = await accepted(page, "performance");
    const got = !shown ? "off" : provisional ? "opt-out" : "opt-in";
    assert.equal(got, mode, region);
    if (mode === "opt-in") assert.equal(await title(page).innerText(), "We use cookies", region);
    assertNoErrors(page, region);
    await page.close();
  }
});

it('a missing or malformed data-region is opt-in, whatever "*" says', async () => {
  const regions = { "*": "off", US: "opt-out", DE: "off" };
  for (const region of [undefined, "", "de", "D", "USA", "US-", "us-ca", " DE", "XX"]) {
    const page = await openRegion(region, { regions });
    await bannerShown(page);
    assert.equal(await title(page).innerText(), "We use cookies", String(region));
    assert.equal(await bannerButton(page, "reject-all").count(), 1);
    assert.equal(await accepted(page, "performance"), false, String(region));
    assert.equal(await getRecord(page), null);
    assert.deepEqual(await ran(page), []);
    await page.close();
  }
});

it("no regions config: every region is opt-in", async () => {
  const page = await openRegion("US-CA");
  await bannerShown(page);
  assert.equal(await accepted(page, "marketing"), false);
  assert.equal(await bannerButton(page, "do-not-sell").count(), 0);
  assertNoErrors(page);
});

it("a bad regions entry is reported with its path and falls back to opt-in", async () => {
  const page = await openRegion("US-CA", { regions: { "US-CA": "maybe", de: "off", "*": "opt-out" } });
  await bannerShown(page);
  assert.equal(await accepted(page, "performance"), false, "US-CA: a bad mode is opt-in, not *");
  // (Reported once the whole config is read, just after the banner, and worded.)
  const said = () => errors(page).map((m) => m.text).join("\n");
  for (let i = 0; i < 50 && !/regions\.de/.test(said()); i++) await sleep(100);
  const text = said();
  assert.match(text, /config `regions\.US-CA`: expected one of opt-in, opt-out, off/);
  assert.match(text, /config `regions\.de`: expected a region such as "DE"/);
});

it("the demo's region pages show each mode (www/regions.html links them)", async () => {
  const hub = await env.open("/regions.html");
  await bannerShown(hub);
  const links = await hub.locator('main a[href^="/regions/"]').evaluateAll((a) => a.map((e) => e.getAttribute("href")));
  assert.deepEqual(links.sort(), [
    "/regions/brazil.html",
    "/regions/california.html",
    "/regions/germany.html",
    "/regions/japan.html",
    "/regions/malformed.html",
  ]);
  const index = await env.open("/index.html");
  assert.equal(await index.locator('a[href="/regions.html"]').count(), 1, "linked from the demo's index");
  const expected = {
    "/regions/california.html": "opt-out",
    "/regions/germany.html": "opt-in",
    "/regions/japan.html": "off",
    "/regions/brazil.html": "opt-in",
    "/regions/malformed.html": "opt-in",
  };
  for (const [path, mode] of Object.entries(expected)) {
    const page = await env.open(path);
    await waitReady(page);
    await sleep(150);
    const shown = await banner(page).isVisible();
    const got = !shown ? "off" : (await accepted(page, "marketing")) ? "opt-out" : "opt-in";
    assert.equal(got, mode, path);
    assertNoErrors(page, path);
    await page.close();
  }
});

it("opt-out with Google Consent Mode: the provisional grants are pushed as an update", async () => {
  const page = await openRegion("US-CA", { regions: { "US-CA": "opt-out" }, googleConsentMode: true });
  await waitReady(page);
  const commands = await page.evaluate(() =>
    (window.dataLayer || []).filter((e) => e[0] === "consent").map((e) => [e[1], e[2].analytics_storage, e[2].ad_storage])
  );
  assert.deepEqual(commands[0], ["default", "denied", "denied"]);
  assert.deepEqual(commands.at(-1), ["update", "granted", "granted"]);
  assert.equal(await getRecord(page), null);
  assertNoErrors(page);
});

it("opt-out: a void cookie (an expired decision) is removed, so the provisional grants apply", async () => {
  const expired = forgeCookie({ decided: nowSecs() - 3 * 86400, updated: nowSecs() - 2 * 86400, expires: nowSecs() - 86400, cats: "1000" });
  await setCookie(env, expired);
  const page = await openRegion("US-CA", { regions: { "US-CA": "opt-out" } });
  await waitReady(page);
  assert.equal(await accepted(page, "performance"), true);
  assert.equal(await getRecord(page), null);
  assert.equal(await cookie(env.context), undefined, "the void cookie is gone");
  await bannerShown(page);
  assertNoErrors(page);
});

it("a stored decision wins over the mode: an off region still grants what the visitor chose", async () => {
  await setCookie(env, forgeCookie({ cats: "1110" }));
  const page = await openRegion("JP", { regions: { JP: "off" } });
  await waitReady(page);
  assert.equal(await accepted(page, "performance"), true);
  assert.equal(await accepted(page, "marketing"), false);
  assert.equal(await banner(page).isVisible(), false);
  assertNoErrors(page);
});

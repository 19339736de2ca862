// Contract section 1: embedding, zero configuration, the three config sources,
// files found next to the loader, defer, the bundler entry, a doubled tag.
import {
  assert,
  assertNoErrors,
  banner,
  bannerButton,
  bannerShown,
  call,
  categorySwitch,
  dialog,
  forgeCookie,
  getRecord,
  it,
  ran,
  setCookie,
  sleep,
  useBrowser,
  waitRan,
  waitReady,
  QUIET_MS,
} from "./helpers.mjs";

const env = useBrowser();

it("zero config: the banner shows with English texts, a reject-all button, four categories and no policy link", async () => {
  const page = await env.open("/index.html");
  await bannerShown(page);
  const region = banner(page);
  assert.equal(await region.getAttribute("role"), "region");
  assert.ok((await region.getAttribute("aria-label"))?.trim(), "the banner region has an aria-label");
  assert.match((await region.innerText()).trim(), /[A-Za-z]{3,}/, "the banner has English text");
  for (const action of ["accept-all", "reject-all", "preferences"]) {
    assert.equal(await bannerButton(page, action).isVisible(), true, `banner button ${action} is visible`);
    assert.ok((await bannerButton(page, action).innerText()).trim(), `banner button ${action} has a label`);
  }
  assert.equal(await region.locator('a[data-cg="policy"]').count(), 0, "no policy link without config");

  await bannerButton(page, "preferences").click();
  await dialog(page).waitFor();
  for (const c of ["essential", "performance", "functional", "marketing"]) {
    assert.equal(await categorySwitch(page, c).count(), 1, `one switch for ${c}`);
  }
  assert.equal(await dialog(page).locator('input[type="checkbox"][role="switch"][data-category]').count(), 4);
  assertNoErrors(page);
});

it("the loader defines the whole API synchronously; accepted() is false before ready, even with a stored grant", async () => {
  await setCookie(env, forgeCookie({ cats: "1111" }));
  // Hold the module back so "before ready" lasts long enough to look at.
  await env.context.route("**/consent-gate.wasm", async (route) => {
    await sleep(800);
    await route.continue();
  });
  const page = await env.open("/fixtures/sync.html", { waitUntil: "domcontentloaded" });
  const probe = await page.evaluate(() => window.__probe);
  assert.equal(probe.defined, true, "window.ConsentGate exists right after the loader tag");
  for (const [name, type] of Object.entries(probe.types)) assert.equal(type, "function", `ConsentGate.${name}`);
  assert.equal(probe.readyIsPromise, true, "ConsentGate.ready is a Promise");
  assert.equal(probe.essential, true, "essential is granted before ready");
  assert.equal(probe.performance, false, "performance is false before ready");
  assert.equal(probe.marketing, false, "marketing is false before ready");
  assert.equal(probe.record, null, "get() is null before ready");
  assert.equal(await page.evaluate(() => window.__probeSettled()), "pending", "the module is still loading");

  await waitReady(page);
  assert.equal(await call(page, "accepted", "performance"), true, "the stored grant applies once ready");
});

const sources = [
  ["window.ConsentGateConfig", "/fixtures/config-global.html", 3, "#from-global"],
  ['data-config="URL"', "/fixtures/config-url.html", 4, "#from-url"],
  ["data-config wins over the global object", "/fixtures/config-url-global.html", 4, "#from-url"],
  ["the inline block wins over data-config and the global object", "/fixtures/config-all.html", 5, "#from-inline"],
];
for (const [what, path, revision, hash] of sources) {
  it(`config source: ${what}`, async () => {
    const page = await env.open(path);
    await bannerShown(page);
    const link = banner(page).locator('a[data-cg="policy"]');
    await link.waitFor();
    assert.equal(await link.evaluate((a) => a.href), env.url(`/privacy.html${hash}`), "the policy link of that source");
    await call(page, "acceptAll");
    const record = await getRecord(page);
    assert.equal(record.revision, revision, "the decision carries that source's revision");
    assertNoErrors(page);
  });
}

it("the inline config block of the demo's custom page is used (texts, policy link, revision 2)", async () => {
  const page = await env.open("/custom.html");
  await bannerShown(page);
  assert.match(await banner(page).innerText(), /Cookies at Lumen Academy/);
  assert.equal(await bannerButton(page, "reject-all").innerText().then((t) => t.trim()), "Essential only");
  const link = banner(page).locator('a[data-cg="policy"]');
  assert.equal(await link.evaluate((a) => a.href), env.url("/privacy.html#cookies"));
  await bannerButton(page, "accept-all").click();
  await banner(page).waitFor({ state: "hidden" });
  assert.equal((await getRecord(page)).revision, 2);
});

it("the loader finds its .wasm next to its own URL (package copied to another path)", async () => {
  const page = await env.open("/fixtures/relocated.html");
  await bannerShown(page);
  await waitReady(page);
  assert.ok(env.requested("/vendor/consent-gate/consent-gate.wasm").length >= 1, "the .wasm came from the copy");
  assert.deepEqual(env.requested("/consent-gate/"), [], "nothing was loaded from the usual path");
  await bannerButton(page, "accept-all").click();
  assert.deepEqual(await waitRan(page, 1), ["p1"]);
});

it("defer on the loader tag still works", async () => {
  const page = await env.open("/fixtures/defer.html");
  await bannerShown(page);
  assert.deepEqual(await ran(page), []);
  await bannerButton(page, "accept-all").click();
  assert.deepEqual(await waitRan(page, 1), ["p1"]);
  assertNoErrors(page);
});

it('works from a bundler: import { ConsentGate } from "consent-gate"', async () => {
  const page = await env.open("/fixtures/bundler.html");
  await bannerShown(page);
  await page.waitForFunction(() => window.__bundled);
  assert.deepEqual(await page.evaluate(() => window.__bundled), { imported: true, sameAsGlobal: true });
  await waitReady(page);
  assert.ok(env.requested("/consent-gate/consent-gate.wasm").length >= 1, "the .wasm was found next to the module");
  await call(page, "set", { performance: true });
  assert.deepEqual(await waitRan(page, 1), ["p1"]);
});

it("the loader tag twice: one host, one banner, gated scripts run once", async () => {
  const page = await env.open("/fixtures/double.html");
  await bannerShown(page);
  await waitReady(page);
  await sleep(QUIET_MS);
  assert.equal(await page.evaluate(() => document.querySelectorAll("#consent-gate").length), 1, "one #consent-gate host");
  assert.equal(await banner(page).count(), 1, "one banner");
  await bannerButton(page, "accept-all").click();
  assert.deepEqual(await waitRan(page, 2), ["p1", "m-inline"]);
});

// Contract section 6, Global Privacy Control: with navigator.globalPrivacyControl
// === true the banner says so, "accept all" grants everything but marketing and
// the record says gpc: true; an explicit choice for marketing still grants it.
// Config "gpc": false turns the signal off.
import {
  assert,
  assertNoErrors,
  banner,
  bannerButton,
  bannerShown,
  call,
  categorySwitch,
  cookie,
  dialog,
  dialogButton,
  getRecord,
  it,
  parseCookie,
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

async function sendGpc() {
  await env.context.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { configurable: true, get: () => true })
  );
}

const gpcNote = (page) => page.locator('#consent-gate [data-cg="gpc"]');
const ALL_BUT_MARKETING = { essential: true, performance: true, functional: true, marketing: false };

it("with GPC, the banner shows the note and its accept-all button grants everything except marketing (gpc: true)", async () => {
  await sendGpc();
  const page = await env.open("/index.html");
  await bannerShown(page);
  assert.equal(await page.evaluate(() => navigator.globalPrivacyControl), true);
  await gpcNote(page).waitFor({ state: "visible" });
  assert.ok((await gpcNote(page).innerText()).trim().length > 0, "the note has text");
  assert.equal(await banner(page).locator('[data-cg="gpc"]').count(), 1, "the note is inside the banner");

  await bannerButton(page, "accept-all").click();
  await banner(page).waitFor({ state: "hidden" });
  assert.deepEqual(await waitRan(page, 1), ["analytics"], "the marketing stub did not run");
  const record = await getRecord(page);
  assert.deepEqual(record.categories, ALL_BUT_MARKETING);
  assert.equal(record.gpc, true);
  const c = parseCookie((await cookie(env.context)).value);
  assert.equal(c.cats, "1110");
  assert.equal(c.gpc, "1", "the cookie records that GPC was honoured");
  assert.equal(await call(page, "accepted", "marketing"), false);
  assertNoErrors(page);
});

it("with GPC, acceptAll() leaves marketing and its services off; set({ marketing: true }) grants it and is recorded", async () => {
  await sendGpc();
  const page = await env.open(fixture());
  await waitReady(page);
  await call(page, "acceptAll");
  await waitRan(page, 4);
  let record = await getRecord(page);
  assert.deepEqual(record.categories, ALL_BUT_MARKETING);
  assert.deepEqual(record.services, { "ads-pixel": false, "google-analytics": true });
  assert.equal(record.gpc, true);
  assert.ok(!(await ran(page)).includes("marketing"));

  await call(page, "set", { marketing: true });
  assert.ok((await waitRan(page, 5)).includes("marketing"), "an explicit opt-in runs the marketing tag");
  record = await getRecord(page);
  assert.equal(record.categories.marketing, true);
  assert.equal(record.services["ads-pixel"], true);
  assert.equal(parseCookie((await cookie(env.context)).value).cats, "1111");

  // A later accept-all keeps the explicit opt-in.
  await call(page, "acceptAll");
  assert.equal((await getRecord(page)).categories.marketing, true);
});

it("with GPC, the dialog's marketing switch + save grants marketing", async () => {
  await sendGpc();
  const page = await env.open(fixture());
  await bannerShown(page);
  await gpcNote(page).waitFor();
  await bannerButton(page, "preferences").click();
  await dialog(page).waitFor();
  assert.equal(await categorySwitch(page, "marketing").isChecked(), false, "marketing starts off");
  await categorySwitch(page, "marketing").check();
  await dialogButton(page, "save").click();
  await dialog(page).waitFor({ state: "hidden" });
  assert.deepEqual((await waitRan(page, 2)).sort(), ["essential", "marketing"]);
  const record = await getRecord(page);
  assert.deepEqual(record.categories, { essential: true, performance: false, functional: false, marketing: true });
  assert.equal(record.gpc, true);
});

it("with GPC, the dialog's own accept-all button also leaves marketing off", async () => {
  await sendGpc();
  const page = await env.open(fixture());
  await bannerShown(page);
  await call(page, "showPreferences");
  await dialog(page).waitFor();
  await dialogButton(page, "accept-all").click();
  await dialog(page).waitFor({ state: "hidden" });
  assert.deepEqual((await getRecord(page)).categories, ALL_BUT_MARKETING);
});

it('config "gpc": false ignores the signal: no note, acceptAll grants marketing, gpc: false', async () => {
  await sendGpc();
  const page = await env.open(fixture({ gpc: false }));
  await bannerShown(page);
  await sleep(QUIET_MS);
  assert.equal(await gpcNote(page).count(), 0, "no GPC note");
  await call(page, "acceptAll");
  assert.ok((await waitRan(page, 5)).includes("marketing"));
  const record = await getRecord(page);
  assert.equal(record.categories.marketing, true);
  assert.equal(record.gpc, false);
  assert.equal(parseCookie((await cookie(env.context)).value).gpc, "0");
});

it("without the signal: no note, acceptAll grants marketing, gpc: false", async () => {
  const page = await env.open(fixture());
  await bannerShown(page);
  await sleep(QUIET_MS);
  assert.equal(await gpcNote(page).count(), 0);
  await call(page, "acceptAll");
  const record = await getRecord(page);
  assert.equal(record.categories.marketing, true);
  assert.equal(record.gpc, false);
});

it("globalPrivacyControl false (sent but off) is not GPC", async () => {
  await env.context.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { configurable: true, get: () => false })
  );
  const page = await env.open(fixture());
  await bannerShown(page);
  await sleep(QUIET_MS);
  assert.equal(await gpcNote(page).count(), 0);
  await call(page, "acceptAll");
  assert.equal((await getRecord(page)).categories.marketing, true);
});

// Contract sections 2 and 4: the visitor's decisions through the banner, the
// dialog and the API; categories, aliases and services; reload keeps a decision.
import {
  assert,
  assertNoBanner,
  assertNoErrors,
  accepted,
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
  serviceSwitch,
  sleep,
  useBrowser,
  waitRan,
  waitReady,
  QUIET_MS,
} from "./helpers.mjs";

const env = useBrowser();
const OPTIONAL = ["performance", "functional", "marketing"];

async function grants(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      ["essential", "performance", "functional", "marketing"].map((c) => [c, window.ConsentGate.accepted(c)])
    )
  );
}

it("first visit: the banner shows and nothing optional is granted, stored, loaded or run", async () => {
  const page = await env.open("/index.html");
  await bannerShown(page);
  await waitReady(page);
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), [], "no gated script ran");
  assert.deepEqual(await grants(page), { essential: true, performance: false, functional: false, marketing: false });
  assert.equal(await getRecord(page), null, "get() is null while undecided");
  assert.equal(await cookie(env.context), undefined, "no consent cookie before a decision");
  assert.deepEqual(env.requested("/stubs/"), [], "no gated file was even fetched");
  assertNoErrors(page);
});

it("opening the dialog, flipping switches and closing it grants nothing", async () => {
  const page = await env.open("/index.html");
  await bannerShown(page);
  await bannerButton(page, "preferences").click();
  await dialog(page).waitFor();
  await categorySwitch(page, "performance").check();
  await categorySwitch(page, "marketing").check();
  await dialogButton(page, "close").click();
  await dialog(page).waitFor({ state: "hidden" });
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), []);
  assert.equal(await getRecord(page), null);
  assert.equal(await accepted(page, "performance"), false);
  assert.equal(await cookie(env.context), undefined);
});

it("accept all (banner button): every category granted, gated scripts run, banner gone", async () => {
  const page = await env.open("/index.html");
  await bannerShown(page);
  await bannerButton(page, "accept-all").click();
  await banner(page).waitFor({ state: "hidden" });
  assert.deepEqual(await waitRan(page, 2), ["analytics", "marketing"]);
  assert.deepEqual(await grants(page), { essential: true, performance: true, functional: true, marketing: true });
  const record = await getRecord(page);
  assert.deepEqual(record.categories, { essential: true, performance: true, functional: true, marketing: true });
  assert.equal(parseCookie((await cookie(env.context)).value).cats, "1111");
  // The demo's own script asked ConsentGate and redrew its status box.
  await page.locator('[data-category-state="marketing"][data-granted="true"]').waitFor();
  assert.equal(await page.locator('[data-badge="analytics"]').innerText(), "Analytics stub ran");
  assertNoErrors(page);
});

it("reject all (banner button): only essential, nothing runs, the decision is stored", async () => {
  const page = await env.open("/index.html");
  await bannerShown(page);
  await bannerButton(page, "reject-all").click();
  await banner(page).waitFor({ state: "hidden" });
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), []);
  assert.deepEqual(await grants(page), { essential: true, performance: false, functional: false, marketing: false });
  const record = await getRecord(page);
  assert.deepEqual(record.categories, { essential: true, performance: false, functional: false, marketing: false });
  assert.equal(parseCookie((await cookie(env.context)).value).cats, "1000");
  assert.deepEqual(env.requested("/stubs/"), []);
});

it("partial choice in the dialog: switches + save grant exactly what was switched on", async () => {
  const page = await env.open("/index.html");
  await bannerShown(page);
  await bannerButton(page, "preferences").click();
  const box = dialog(page);
  await box.waitFor();
  assert.equal(await box.getAttribute("role"), "dialog");
  assert.equal(await box.getAttribute("aria-modal"), "true");
  const essential = categorySwitch(page, "essential");
  assert.equal(await essential.isChecked(), true, "essential is shown on");
  assert.equal(await essential.isDisabled(), true, "essential is locked");
  for (const c of OPTIONAL) assert.equal(await categorySwitch(page, c).isChecked(), false, `${c} starts off`);

  await categorySwitch(page, "performance").check();
  await dialogButton(page, "save").click();
  await box.waitFor({ state: "hidden" });
  await banner(page).waitFor({ state: "hidden" });
  assert.deepEqual(await waitRan(page, 1), ["analytics"]);
  assert.deepEqual(await grants(page), { essential: true, performance: true, functional: false, marketing: false });
  assert.equal(parseCookie((await cookie(env.context)).value).cats, "1100");
});

it("the dialog's own accept-all and reject-all buttons decide", async () => {
  const page = await env.open("/index.html");
  await bannerShown(page);
  await call(page, "showPreferences");
  await dialog(page).waitFor();
  await dialogButton(page, "reject-all").click();
  await dialog(page).waitFor({ state: "hidden" });
  assert.equal(parseCookie((await cookie(env.context)).value).cats, "1000");

  await call(page, "showPreferences");
  await dialog(page).waitFor();
  await dialogButton(page, "accept-all").click();
  await dialog(page).waitFor({ state: "hidden" });
  assert.equal(parseCookie((await cookie(env.context)).value).cats, "1111");
  assert.deepEqual(await waitRan(page, 2), ["analytics", "marketing"]);
});

it("partial choice via set(): named categories change, the others keep their value", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await call(page, "set", { performance: true, marketing: false });
  assert.deepEqual(await waitRan(page, 1), ["analytics"]);
  assert.deepEqual((await getRecord(page)).categories, {
    essential: true,
    performance: true,
    functional: false,
    marketing: false,
  });
  await banner(page).waitFor({ state: "hidden" });

  await call(page, "set", { functional: true });
  assert.deepEqual((await getRecord(page)).categories, {
    essential: true,
    performance: true,
    functional: true,
    marketing: false,
  });
  assert.equal(parseCookie((await cookie(env.context)).value).cats, "1110");
  assert.deepEqual(await ran(page), ["analytics"], "nothing else ran");
});

it("the dialog shows the current decision", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await call(page, "set", { performance: true, functional: false, marketing: false });
  await call(page, "showPreferences");
  await dialog(page).waitFor();
  assert.equal(await categorySwitch(page, "performance").isChecked(), true);
  assert.equal(await categorySwitch(page, "functional").isChecked(), false);
  assert.equal(await categorySwitch(page, "marketing").isChecked(), false);
});

it("reload keeps the decision: no banner, granted scripts run again on the new page, same record", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await call(page, "set", { performance: true });
  await waitRan(page, 1, { settle: 0 });
  const before = await getRecord(page);

  await page.reload();
  await assertNoBanner(page);
  assert.deepEqual(await waitRan(page, 1), ["analytics"], "performance runs at once, marketing does not");
  assert.deepEqual(await getRecord(page), before, "the same record");

  // Another page of the site: the same decision, still no banner.
  await page.goto(env.url("/course.html"));
  await assertNoBanner(page);
  assert.equal(await accepted(page, "performance"), true);
  assert.equal(await accepted(page, "marketing"), false);
});

it('clicking a data-consent-gate="preferences" link opens the dialog (also for elements added later)', async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await page.locator('footer a[data-consent-gate="preferences"]').click();
  await dialog(page).waitFor();
  assert.equal(new URL(page.url()).hash, "", "the link's default action (#) was prevented");
  await dialogButton(page, "close").click();
  await dialog(page).waitFor({ state: "hidden" });

  await page.evaluate(() => {
    const button = document.createElement("button");
    button.id = "late";
    button.setAttribute("data-consent-gate", "preferences");
    button.textContent = "Privacy choices";
    document.body.prepend(button);
  });
  await page.locator("#late").click();
  await dialog(page).waitFor();
});

it("showBanner(), showPreferences() and hide() control the UI", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await call(page, "rejectAll");
  await banner(page).waitFor({ state: "hidden" });

  await call(page, "showBanner");
  await bannerShown(page);
  await call(page, "hide");
  await banner(page).waitFor({ state: "hidden" });

  await call(page, "showPreferences");
  await dialog(page).waitFor();
  await call(page, "hide");
  await dialog(page).waitFor({ state: "hidden" });
  assert.deepEqual((await getRecord(page)).categories.performance, false, "UI calls decide nothing");
});

it("reset() forgets the decision and shows the banner again", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  // (rejectAll, not a grant: withdrawing a grant may reload the page, see reloadOnWithdraw)
  await call(page, "rejectAll");
  await banner(page).waitFor({ state: "hidden" });
  assert.ok(await cookie(env.context));
  await call(page, "reset");
  await bannerShown(page);
  assert.equal(await getRecord(page), null);
  assert.equal(await accepted(page, "performance"), false);
  assert.equal(await cookie(env.context), undefined, "the cookie is gone");
  await page.reload();
  await bannerShown(page);
});

it("category aliases work in markup and in the API", async () => {
  const page = await env.open("/fixtures/aliases.html");
  await waitReady(page);
  assert.deepEqual(await waitRan(page, 1), ["necessary"], "necessary = essential runs at once");
  assert.equal(await accepted(page, "necessary"), true);

  await call(page, "set", { analytics: true });
  assert.deepEqual(await waitRan(page, 3), ["necessary", "statistics", "analytics"]);
  assert.equal((await getRecord(page)).categories.performance, true);
  for (const alias of ["analytics", "statistics", "performance"]) assert.equal(await accepted(page, alias), true, alias);
  assert.equal(await accepted(page, "ads"), false);

  await call(page, "set", { personalization: true, advertising: true });
  assert.deepEqual(await waitRan(page, 5), ["necessary", "statistics", "analytics", "preferences", "ads"]);
  const record = await getRecord(page);
  assert.equal(record.categories.functional, true);
  assert.equal(record.categories.marketing, true);
  for (const alias of ["preferences", "personalization", "advertising", "ads"]) {
    assert.equal(await accepted(page, alias), true, alias);
  }
});

it("services: per-service switches and cookie tables from the config; a service decision is recorded", async () => {
  const page = await env.open("/custom.html");
  await bannerShown(page);
  await bannerButton(page, "preferences").click();
  await dialog(page).waitFor();
  assert.equal(await serviceSwitch(page, "google-analytics").count(), 1, "a switch for google-analytics");
  assert.equal(await serviceSwitch(page, "ads-pixel").count(), 1, "a switch for ads-pixel");

  const rows = await page.evaluate(() =>
    [...document.querySelector("#consent-gate").shadowRoot.querySelectorAll('table[data-cg="cookies"] tr')]
      .map((tr) => [...tr.querySelectorAll("th, td")].map((cell) => cell.textContent.trim()))
      .filter((cells) => cells.length >= 4)
  );
  const row = (name) => rows.find((cells) => cells[0] === name);
  assert.deepEqual(row("_ga"), ["_ga", "Google", "Tells visitors apart", "2 years"]);
  assert.deepEqual(row("_ga_*"), ["_ga_*", "Google", "Keeps the state of a visit", "2 years"]);
  assert.deepEqual(row("_gid"), ["_gid", "Google", "Tells visitors apart for a day", "24 hours"]);
  assert.deepEqual(row("_fbp"), ["_fbp", "Meta", "Recognises your browser for advert measurement", "3 months"]);

  await serviceSwitch(page, "google-analytics").check();
  await dialogButton(page, "save").click();
  await dialog(page).waitFor({ state: "hidden" });
  assert.deepEqual(await waitRan(page, 1), ["analytics"], "the google-analytics tag ran, the ads pixel did not");
  const record = await getRecord(page);
  assert.deepEqual(record.services, { "ads-pixel": false, "google-analytics": true });
  assert.equal(record.categories.marketing, false);
  assert.match(parseCookie((await cookie(env.context)).value).services, /^ads-pixel:0~google-analytics:1$/);

  await call(page, "set", { marketing: true });
  assert.deepEqual(await waitRan(page, 2), ["analytics", "ads-pixel"], "the inline ads-pixel tag ran once marketing was granted");
  assert.equal((await getRecord(page)).services["ads-pixel"], true);
});

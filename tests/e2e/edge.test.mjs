// The banner module's browser edge: src/browser/boot.mjs runs the module's one
// import (src/browser/js.rs) and src/browser/build.js its DOM. What the
// module's own state discipline promises (src/api.rs `with_app`), and the
// shapes its ops write, checked in a real page.
import {
  assert,
  bannerButton,
  bannerShown,
  cookie,
  dialog,
  errors,
  getMirror,
  getRecord,
  it,
  ran,
  sleep,
  useBrowser,
  waitReady,
  QUIET_MS,
} from "./helpers.mjs";

const env = useBrowser();

/** The product's own console.error lines. */
const own = (page) => errors(page).filter((m) => m.type === "error" && /^Consent Gate: /.test(m.text)).map((m) => m.text);

it("the mirror holds the cookie's value and the record exactly as get() shows it (dates as ISO strings)", async () => {
  const page = await env.open("/fixtures/ui.html");
  await bannerShown(page);
  await bannerButton(page, "accept-all").click();
  await waitReady(page);
  const record = await getRecord(page);
  assert.ok(record, "a decision is stored");
  assert.match(record.decidedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  assert.deepEqual(await getMirror(page), { v: 1, value: (await cookie(env.context)).value, record });
  assert.deepEqual(own(page), []);
});

it("a page listener calling the API from inside a call is refused loudly; the outer call completes", async () => {
  const page = await env.open("/fixtures/ui.html");
  await bannerShown(page);
  await waitReady(page);
  // Opening the dialog moves focus into it, and focus events are synchronous:
  // this listener runs while showPreferences() is still inside the module.
  await page.evaluate(() => {
    document.addEventListener("focusin", function once() {
      document.removeEventListener("focusin", once);
      window.ConsentGate.hide();
    });
  });
  // (Called, not clicked: a click would focus the link first.)
  await page.evaluate(() => window.ConsentGate.showPreferences());
  await dialog(page).waitFor();
  assert.ok(
    own(page).some((line) => line.startsWith("Consent Gate: hide() ignored: inside another call")),
    `the inner call says it was ignored; got ${JSON.stringify(own(page))}`
  );
  // The outer call put the state back: the next call works.
  await page.evaluate(() => window.ConsentGate.hide());
  await dialog(page).waitFor({ state: "hidden" });
});

it("a JS exception thrown through a call leaves the module busy: every later call says so and nothing is granted", async () => {
  const page = await env.open("/fixtures/ui.html");
  await bannerShown(page);
  await waitReady(page);
  // A page script that breaks a DOM method the dialog is built with.
  await page.evaluate(() => {
    document.createTextNode = () => {
      throw new Error("the page broke createTextNode");
    };
  });
  await page.evaluate(() => window.ConsentGate.showPreferences()).catch(() => {});
  await page.evaluate(() => delete document.createTextNode);
  await page.evaluate(() => window.ConsentGate.acceptAll()).catch(() => {});
  await sleep(QUIET_MS);
  assert.ok(
    own(page).some((line) => line.startsWith("Consent Gate: acceptAll() ignored: inside another call, or an earlier one threw")),
    `acceptAll() says it was ignored; got ${JSON.stringify(own(page))}`
  );
  assert.equal(await page.evaluate(() => window.ConsentGate.accepted("performance")), false);
  assert.equal(await getRecord(page), null);
  assert.equal(await cookie(env.context), undefined, "nothing was stored");
  assert.deepEqual(await ran(page), []);
});

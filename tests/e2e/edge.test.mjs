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
  warnings,
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

it("a config nested as deep as the reader goes (32 levels) is read within the banner module's 16 KiB stack", async () => {
  // The deepest recursion the module has (reading and dropping the config's
  // values); a stack too small for it would trap, and the module would fail closed.
  let deep = 1;
  for (let i = 0; i < 31; i++) deep = [deep];
  let nested = "text";
  for (let i = 0; i < 29; i++) nested = { a: nested };
  const config = { deep, texts: { en: nested } };
  await env.context.addInitScript((c) => {
    // (global-config.js then cannot replace it.)
    Object.defineProperty(window, "ConsentGateConfig", { value: c, writable: false });
  }, config);
  const page = await env.open("/fixtures/config-global.html");
  await bannerShown(page);
  // (Worded once the messages file has come.)
  const told = () => warnings(page).map((m) => m.text);
  for (let i = 0; i < 50 && told().length < 2; i++) await sleep(100);
  assert.deepEqual(told(), [
    "Consent Gate: config `deep`: unknown key",
    "Consent Gate: config `texts.en.a`: unknown key",
  ]);
  await bannerButton(page, "accept-all").click();
  await waitReady(page);
  assert.equal((await getRecord(page)).categories.marketing, true);
  assert.deepEqual(own(page), [], "nothing went wrong");
});

it("the demo's banner module and the core each live in one 64 KiB page of wasm memory, through the dialog and a decision", async () => {
  // The heap starts after the stack and the data and grows a page at a time
  // (src/heap.rs); the banner module's stack is 16 KiB (scripts/build.sh).
  await env.context.addInitScript(() => {
    const memories = (window.__memories = []);
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = function (...args) {
      return instantiate.apply(this, args).then((result) => {
        // (The rest of the banner module has none of its own: it uses the banner module's.)
        const memory = (result.instance || result).exports.memory;
        if (memory) memories.push(memory);
        return result;
      });
    };
  });
  const page = await env.open("/index.html");
  await bannerShown(page);
  await page.evaluate(() => window.ConsentGate.showPreferences());
  await dialog(page).waitFor();
  await page.evaluate(() => window.ConsentGate.acceptAll());
  await waitReady(page);
  await sleep(QUIET_MS);
  const sizes = await page.evaluate(() => window.__memories.map((m) => m.buffer.byteLength));
  assert.deepEqual(sizes, [65536, 65536], "banner module, then the core");
});

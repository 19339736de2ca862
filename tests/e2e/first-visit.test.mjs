// The order the loader fetches the two modules in. A first visit (no consent
// cookie, cookies not refused) starts the banner module first and fetches the
// core (consent-gate.wasm) only once the banner module has started: the
// banner shows without waiting for the core. Until the core runs, nothing
// optional is granted and no gated element runs; what was decided meanwhile
// holds once it arrives. A returning visitor fetches the core and nothing else;
// where cookies are refused, the core still comes first.
import {
  accepted,
  assert,
  banner,
  bannerButton,
  bannerShown,
  errors,
  forgeCookie,
  getRecord,
  it,
  ran,
  readyOutcome,
  setCookie,
  sleep,
  useBrowser,
  waitRan,
  waitReady,
  QUIET_MS,
} from "./helpers.mjs";

const env = useBrowser();
// Polls `done()` every 20 ms for up to 2 s: for requests that go out in the
// task after the banner's frame, which may run after bannerShown() returns.
async function until(done) {
  for (let i = 0; i < 100 && !done(); i++) await sleep(20);
}
const ALL_IN_ORDER = ["e1", "p1", "m-inline", "p-inline", "f1", "p2", "m2", "p-inline-2"];

/**
 * Holds every response for the core until `release()` is called; `order`
 * lists the product's files (and the page's gated files) as the browser asks for them.
 */
async function holdCore() {
  const order = [];
  env.context.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (/\/consent-gate\/consent-gate(-ui)?\.(js|wasm)$/.test(path)) order.push(path.slice("/consent-gate/".length));
  });
  let release;
  const released = new Promise((ok) => (release = ok));
  await env.context.route("**/consent-gate.wasm", async (route) => {
    await released;
    await route.continue();
  });
  return { order, release };
}

/** accepted() for essential and two optional categories, and get(), in one look. */
function closedState(page) {
  return page.evaluate(() => ({
    essential: window.ConsentGate.accepted("essential"),
    performance: window.ConsentGate.accepted("performance"),
    marketing: window.ConsentGate.accepted("marketing"),
    record: window.ConsentGate.get(),
  }));
}
const CLOSED = { essential: true, performance: false, marketing: false, record: null };

it("first visit: the banner shows while the core is held; the core is fetched after the banner module", async () => {
  const { order, release } = await holdCore();
  const page = await env.open("/fixtures/order.html", { waitUntil: "domcontentloaded" });
  await bannerShown(page);
  // The loader, then the banner module's entry and .wasm side by side (the loader asks for both).
  assert.deepEqual([order[0], ...order.slice(1, 3).sort()], ["consent-gate.js", "consent-gate-ui.js", "consent-gate-ui.wasm"]);
  // The core is asked for once the banner is drawn: in the task after the
  // frame that showed it, which may run after bannerShown() has returned.
  await until(() => order.includes("consent-gate.wasm"));
  assert.ok(order.indexOf("consent-gate.wasm") > order.indexOf("consent-gate-ui.wasm"), `the core after the banner module: ${order}`);
  // Without the core, nothing optional: not even the essential script runs yet.
  assert.deepEqual(await closedState(page), CLOSED);
  assert.equal(await readyOutcome(page, 100), "pending", "ready waits for the core");
  assert.deepEqual(await ran(page), []);

  release();
  assert.equal(await readyOutcome(page), "resolved");
  assert.deepEqual(await waitRan(page, 1), ["e1"], "the core runs what is essential, nothing more");
  assert.deepEqual(await closedState(page), CLOSED);
  assert.equal(await banner(page).isVisible(), true);

  await bannerButton(page, "accept-all").click();
  assert.deepEqual(await waitRan(page, ALL_IN_ORDER.length), ALL_IN_ORDER);
  assert.equal(await accepted(page, "performance"), true);
  assert.deepEqual(order.filter((f) => f === "consent-gate.wasm"), ["consent-gate.wasm"], "the core is fetched once");
});

it("first visit: the banner shows before the rest of the banner module and its entry's late part are fetched; a click meanwhile waits for both", async () => {
  const order = [];
  env.context.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/consent-gate/consent-gate")) order.push(path.slice("/consent-gate/".length));
  });
  const LATE = ["consent-gate-ui-rest.wasm", "consent-gate-ui-late.js"];
  const releases = [];
  for (const file of LATE) {
    const released = new Promise((ok) => releases.push(ok));
    await env.context.route("**/" + file, async (route) => {
      await released;
      await route.continue();
    });
  }
  const page = await env.open("/fixtures/order.html", { waitUntil: "domcontentloaded" });
  await bannerShown(page);
  // Asked for once the banner is drawn (the frame after the start), never
  // before the banner module's own .wasm.
  await until(() => LATE.every((f) => order.includes(f)));
  for (const file of LATE) assert.ok(order.indexOf(file) > order.indexOf("consent-gate-ui.wasm"), `${file} after the banner module: ${order}`);
  await bannerButton(page, "accept-all").click();
  // Each of the two alone is not enough.
  for (const release of releases) {
    await sleep(QUIET_MS);
    assert.equal(await banner(page).isVisible(), true, "the click waits for the rest");
    assert.equal(await getRecord(page), null, "nothing is decided before the rest runs");
    assert.deepEqual(await ran(page), ["e1"], "only what is essential");
    release();
  }
  await banner(page).waitFor({ state: "hidden" });
  assert.deepEqual(await waitRan(page, ALL_IN_ORDER.length), ALL_IN_ORDER);
  assert.equal((await getRecord(page)).categories.performance, true);
  for (const file of LATE) assert.deepEqual(order.filter((f) => f === file), [file], "fetched once");
  assert.deepEqual(errors(page), []);
});

for (const [file, cause] of [
  ["consent-gate-ui-rest.wasm", /consent-gate-ui-rest\.wasm: HTTP 404/],
  ["consent-gate-ui-late.js", /consent-gate-ui-late\.js/],
]) {
  it(`first visit: when ${file} cannot be loaded, nothing optional is granted and the cause is reported`, async () => {
    await env.context.route("**/" + file, (route) => route.fulfill({ status: 404, body: "gone" }));
    const page = await env.open("/fixtures/order.html", { waitUntil: "domcontentloaded" });
    await bannerShown(page);
    await bannerButton(page, "accept-all").click();
    await sleep(QUIET_MS);
    const state = await closedState(page);
    assert.deepEqual([state.performance, state.marketing, state.record], [false, false, null]);
    assert.deepEqual(await ran(page), []);
    const said = errors(page).map((m) => m.text).join("\n");
    assert.match(said, cause);
  });
}

it("first visit: accepting before the core has arrived runs the gated scripts, and fires consent, once it has", async () => {
  const { release } = await holdCore();
  const page = await env.open("/fixtures/order.html", { waitUntil: "domcontentloaded" });
  await bannerShown(page);
  await page.evaluate(() => {
    window.__events = [];
    for (const name of ["consent", "change"]) window.ConsentGate.on(name, (record) => window.__events.push([name, record.categories.performance]));
  });
  await bannerButton(page, "accept-all").click();
  await banner(page).waitFor({ state: "hidden" });
  // Decided and stored, but the core has not read it: still closed.
  await sleep(QUIET_MS);
  assert.deepEqual(await closedState(page), CLOSED);
  assert.deepEqual(await ran(page), []);

  release();
  assert.deepEqual(await waitRan(page, ALL_IN_ORDER.length), ALL_IN_ORDER);
  assert.equal(await accepted(page, "performance"), true);
  assert.equal((await getRecord(page)).categories.marketing, true);
  assert.deepEqual(await page.evaluate(() => window.__events), [["consent", true], ["change", true]]);
  assert.equal(await readyOutcome(page), "resolved");
  assert.equal(await banner(page).isVisible(), false, "the banner stays hidden");
});

it("first visit: a decision taken before the core arrived reaches the other tabs once it has", async () => {
  const other = await env.open("/fixtures/order.html");
  await bannerShown(other);
  assert.deepEqual(await waitRan(other, 1), ["e1"]);
  // This tab's core alone is held.
  const page = await env.open(null);
  let release;
  const released = new Promise((ok) => (release = ok));
  await page.route("**/consent-gate.wasm", async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(env.url("/fixtures/order.html"), { waitUntil: "domcontentloaded" });
  await bannerShown(page);
  await bannerButton(page, "accept-all").click();
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(other), ["e1"], "no word to the other tab before the core runs");
  release();
  assert.deepEqual(await waitRan(page, ALL_IN_ORDER.length), ALL_IN_ORDER);
  assert.deepEqual(await waitRan(other, ALL_IN_ORDER.length), ALL_IN_ORDER);
  await banner(other).waitFor({ state: "hidden" });
  assert.equal(await accepted(other, "marketing"), true);
});

it("first visit: a core that cannot be loaded fails closed after the banner showed, with the same console.error", async () => {
  await env.context.route("**/consent-gate.wasm", (route) => route.fulfill({ status: 404, body: "" }));
  const page = await env.open("/fixtures/order.html", { waitUntil: "domcontentloaded" });
  await bannerShown(page);
  assert.match(await readyOutcome(page), /^rejected: consent-gate\.wasm could not be loaded/);
  await bannerButton(page, "accept-all").click();
  await sleep(QUIET_MS);
  assert.deepEqual(await closedState(page), CLOSED);
  assert.deepEqual(await ran(page), [], "nothing runs, not even what is essential");
  assert.ok(
    errors(page).some((m) => /^Consent Gate: consent-gate\.wasm could not be loaded from .*HTTP 404.*Failing closed/.test(m.text)),
    errors(page).map((m) => m.text).join("\n")
  );
});

it("first visit in an opt-out region: the provisional grants reach the core once it runs", async () => {
  const { order, release } = await holdCore();
  env.onRequest = (req, res, url) => {
    if (url.pathname !== "/opt-out-page") return;
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!doctype html>
<html lang="en">
<head>
  <script type="application/json" id="consent-gate-config">{ "regions": { "US-CA": "opt-out" } }</script>
  <script src="/consent-gate/consent-gate.js" data-region="US-CA"></script>
  <meta charset="utf-8">
  <title>Opt-out fixture</title>
  <script type="text/plain" data-category="performance">(window.__consentGateDemoRan = window.__consentGateDemoRan || []).push("p-inline");</script>
</head>
<body><h1>Opt-out fixture</h1></body>
</html>`);
    return true;
  };
  const page = await env.open("/opt-out-page", { waitUntil: "domcontentloaded" });
  await bannerShown(page);
  // (Here the core is asked for once the provisional grants are known: when
  // the rest of the banner module has arrived, just after the banner.)
  await until(() => order.includes("consent-gate.wasm"));
  assert.ok(order.indexOf("consent-gate.wasm") > order.indexOf("consent-gate-ui.wasm"), `the core after the banner module: ${order}`);
  assert.equal(await accepted(page, "performance"), false, "nothing granted before the core runs");
  assert.deepEqual(await ran(page), []);
  release();
  assert.deepEqual(await waitRan(page, 1), ["p-inline"]);
  assert.equal(await accepted(page, "performance"), true);
  assert.equal(await getRecord(page), null, "nothing decided");
});

/**
 * A returning visitor (a valid cookie): the core is asked for at once, the
 * banner module never. `init`, if any, runs in the page before the loader.
 */
async function returningVisitor(init) {
  if (init) await env.context.addInitScript(init);
  await setCookie(env, forgeCookie({ cats: "1100" }));
  const { order, release } = await holdCore();
  const page = await env.open("/fixtures/order.html", { waitUntil: "domcontentloaded" });
  await sleep(QUIET_MS);
  assert.deepEqual(order, ["consent-gate.js", "consent-gate.wasm"], "the core is asked for at once");
  release();
  await waitReady(page);
  assert.deepEqual(await waitRan(page, 5), ["e1", "p1", "p-inline", "p2", "p-inline-2"]);
  assert.deepEqual(order, ["consent-gate.js", "consent-gate.wasm"], "no banner module");
  assert.equal(await banner(page).count(), 0);
  assert.deepEqual(errors(page), []);
}

it("returning visitor: the core first, and never the banner module", () => returningVisitor());

it("cookies refused: the core still comes first (the mirror may hold a decision only it reads)", async () => {
  const { order, release } = await holdCore();
  const page = await env.open(null);
  const cdp = await env.context.newCDPSession(page);
  await cdp.send("Emulation.setDocumentCookieDisabled", { disabled: true });
  await page.goto(env.url("/fixtures/order.html"), { waitUntil: "domcontentloaded" });
  await sleep(QUIET_MS);
  assert.ok(order.includes("consent-gate.wasm"), `the core is asked for at once: ${order}`);
  assert.equal(await banner(page).count(), 0, "no banner before the core");
  release();
  await bannerShown(page);
  assert.equal(await readyOutcome(page), "resolved");
});

// Where the browser has cookieStore (https, localhost: every test here) the
// loader reads the cookie that chooses what to fetch through it, without
// blocking the main thread; without it, or where it fails, from document.cookie.
const STORES = [
  ["without cookieStore (http, older browsers)", () => Object.defineProperty(window, "cookieStore", { value: undefined })],
  [
    "with a cookieStore that throws",
    () =>
      Object.defineProperty(window, "cookieStore", {
        value: {
          get() {
            throw new Error("no cookieStore here");
          },
        },
      }),
  ],
  [
    "with a cookieStore that rejects",
    () => Object.defineProperty(window, "cookieStore", { value: { get: () => Promise.reject(new Error("refused")) } }),
  ],
];
for (const [what, init] of STORES) {
  it(`returning visitor ${what}: the core first, and never the banner module`, () => returningVisitor(init));

  it(`first visit ${what}: the banner module first, the core after it`, async () => {
    await env.context.addInitScript(init);
    const { order, release } = await holdCore();
    const page = await env.open("/fixtures/order.html", { waitUntil: "domcontentloaded" });
    await bannerShown(page);
    assert.deepEqual([order[0], ...order.slice(1, 3).sort()], ["consent-gate.js", "consent-gate-ui.js", "consent-gate-ui.wasm"]);
    release();
    assert.equal(await readyOutcome(page), "resolved");
    assert.deepEqual(await closedState(page), CLOSED);
    assert.deepEqual(errors(page), []);
  });
}

// Contract section 7: a component that cannot load fails closed and says why
// with console.error. Plus the strict-CSP page: the banner renders with no
// Content-Security-Policy violation.
import {
  assert,
  assertNoErrors,
  banner,
  bannerButton,
  bannerShown,
  dialog,
  errors,
  forgeCookie,
  it,
  messages,
  ran,
  readyOutcome,
  setCookie,
  sleep,
  useBrowser,
  waitRan,
  QUIET_MS,
} from "./helpers.mjs";

const env = useBrowser();

/** Nothing optional granted or run, even when the page (or a script) tries to accept. */
async function assertFailedClosed(page) {
  const outcome = await readyOutcome(page);
  assert.match(outcome, /^rejected/, "ConsentGate.ready rejects");
  const state = await page.evaluate(() => {
    const gate = window.ConsentGate;
    const before = {
      essential: gate.accepted("essential"),
      performance: gate.accepted("performance"),
      functional: gate.accepted("functional"),
      marketing: gate.accepted("marketing"),
      record: gate.get(),
    };
    try {
      gate.acceptAll();
      gate.set({ performance: true, marketing: true });
    } catch (error) {
      // throwing is acceptable; granting is not
    }
    return before;
  });
  assert.deepEqual(state, { essential: true, performance: false, functional: false, marketing: false, record: null });
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), [], "no gated script ran");
  assert.equal(await page.evaluate(() => window.ConsentGate.accepted("performance")), false, "still false after acceptAll()");
  assert.equal(await page.evaluate(() => window.ConsentGate.accepted("essential")), true);
  assert.deepEqual(env.requested("/fixtures/push.js"), [], "no gated file was fetched");
  assert.deepEqual(env.requested("/fixtures/pixel.svg"), [], "no gated image was fetched");
  assertReasonLogged(page);
}

/** A console.error from the product itself (not the browser's own "Failed to load resource"). */
function assertReasonLogged(page) {
  const all = errors(page).filter((m) => m.type === "error");
  const own = all.filter((m) => !/^Failed to load resource/.test(m.text));
  assert.ok(own.length >= 1, `the reason is logged with console.error; got:\n${all.map((m) => "  " + m.text).join("\n")}`);
}

it("the .wasm is missing: fails closed, ready rejects, console.error says why", async () => {
  // Even a stored grant must not be honoured when the module cannot run.
  await setCookie(env, forgeCookie({ cats: "1111" }));
  const page = await env.open("/fixtures/broken-wasm.html");
  await assertFailedClosed(page);
  assert.ok(env.requested("/broken-pkg/consent-gate.wasm").length >= 1, "the loader looked for the .wasm next to itself");
});

it("WebAssembly unavailable: fails closed, and no .wasm is requested", async () => {
  await env.context.addInitScript(() => {
    delete window.WebAssembly;
  });
  const { page, urls } = await openRecording("/fixtures/order.html");
  assert.deepEqual(wasm(urls), [], "no .wasm was requested");
  const outcome = await readyOutcome(page);
  assert.match(outcome, /^rejected/);
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), [], "nothing gated ever runs");
  assert.equal(await page.evaluate(() => window.ConsentGate.accepted("performance")), false);
  assert.equal(await page.evaluate(() => window.ConsentGate.accepted("essential")), true);
  assertReasonLogged(page);
});

it("a config that is not JSON: fails closed", async () => {
  const page = await env.open("/fixtures/config-broken.html");
  await assertFailedClosed(page);
});

/** Opens `path` with every request the page makes recorded (Playwright's request events). */
async function openRecording(path, setup = async () => {}) {
  const page = await env.open(null);
  const urls = [];
  page.on("request", (request) => urls.push(request.url()));
  await setup(page);
  await page.goto(env.url(path), { waitUntil: "load" });
  return { page, urls };
}

const wasm = (urls) => urls.filter((u) => /\.wasm(\?|$)/.test(new URL(u).pathname + new URL(u).search));

it("a config the loader already knows is fatal: no .wasm (core or banner module) is requested", async () => {
  // Not JSON; JSON that is not an object: both read synchronously from the inline block.
  const notObject = `<!doctype html><html lang="en"><head>
    <script type="application/json" id="consent-gate-config">[1, 2]</script>
    <script src="/consent-gate/consent-gate.js"></script></head><body><h1>Array config</h1></body></html>`;
  const cases = [
    ["/fixtures/config-broken.html", async () => {}],
    ["/fixtures/config-array.html", (page) => page.route("**/fixtures/config-array.html", (r) => r.fulfill({ contentType: "text/html", body: notObject }))],
  ];
  for (const [path, setup] of cases) {
    const { page, urls } = await openRecording(path, setup);
    await assertFailedClosed(page);
    assert.ok(urls.some((u) => u.endsWith("/consent-gate/consent-gate.js")), `${path}: the loader itself was requested`);
    assert.deepEqual(wasm(urls), [], `${path}: no .wasm was requested`);
    assert.deepEqual(urls.filter((u) => u.includes("consent-gate-ui")), [], `${path}: nor the banner module's glue`);
    await page.close();
  }
});

it("a data-config URL that cannot be loaded: fails closed", async () => {
  const page = await env.open("/fixtures/config-missing.html");
  await assertFailedClosed(page);
});

it("strict CSP with a nonce: the banner and dialog render and gated scripts run with zero violations", async () => {
  const page = await env.open("/fixtures/csp.html");
  const response = await page.request.get(env.url("/fixtures/csp.html"));
  const policy = response.headers()["content-security-policy"];
  assert.match(policy, /^default-src 'self'; script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'wasm-unsafe-eval'; style-src 'self'$/);

  await bannerShown(page);
  // The UI is styled (a constructable stylesheet, not a blocked <style>): the buttons are not bare.
  const box = await bannerButton(page, "accept-all").boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0);
  await page.locator('a[data-consent-gate="preferences"]').click();
  await dialog(page).waitFor();
  await page.keyboard.press("Escape").catch(() => {});
  await page.evaluate(() => window.ConsentGate.acceptAll());
  const names = await waitRan(page, 2);
  assert.deepEqual(names, ["csp-inline", "csp-external"], "the nonce-bearing inline script ran, then the external one");

  const violations = await page.evaluate(() => window.__cspViolations);
  const cspConsole = messages(page).filter((m) => /Content[ -]Security[ -]Policy|Refused to/i.test(m.text));
  assert.deepEqual(violations, [], "no securitypolicyviolation event");
  assert.deepEqual(cspConsole, [], "no CSP message in the console");
  assertNoErrors(page);
  assert.equal(await banner(page).isVisible(), false);
});

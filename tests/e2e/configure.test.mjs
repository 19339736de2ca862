// The configurator (www/configure.html): the form and the JSON editor stay in
// step, the preview runs the real loader with the edited config, the checker's
// messages (the developer-tool module in www/devtool/, built by
// scripts/build-devtool.sh) are the lines `consent-gate check` prints, and the
// copied snippet holds the config block and the loader tag.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COOKIE, PKG, REPO, WWW, assert, assertNoErrors, forgeCookie, it, newPage, setCookie, useBrowser } from "./helpers.mjs";
import { describeViolations, runAxe } from "./ui-helpers.mjs";

const env = useBrowser();
// The checker's command line (`make cli`; CONSENT_GATE_CLI: another build of it).
const CLI = process.env.CONSENT_GATE_CLI || join(REPO, "target", "release", "consent-gate");
const DEVTOOL = join(WWW, "devtool", "consent_gate_devtool.js");

const ownErrors = new WeakMap();
function assertNoOwnErrors(page) {
  assert.deepEqual(ownErrors.get(page), [], "the configurator logged errors");
}

/** Opens the configurator (with `config` as its JSON text, if given) once the checker is loaded. */
async function openConfigurator(config) {
  assert.ok(existsSync(DEVTOOL), "www/devtool/ is not built: run `bash scripts/build-devtool.sh`");
  const text = config === undefined ? null : typeof config === "string" ? config : JSON.stringify(config, null, 2);
  const page = await newPage(env.context);
  // The configurator's own errors; the product in the preview reports the
  // config's problems on the console by design (from /consent-gate/).
  const own = [];
  ownErrors.set(page, own);
  page.on("console", (msg) => {
    if (msg.type() === "error" && !msg.location().url.includes("/consent-gate/")) own.push(msg.text());
  });
  page.on("pageerror", (error) => own.push(String(error && error.message)));
  await page.goto(env.url("/configure.html" + (text === null ? "" : "#config=" + encodeURIComponent(text))));
  await page.waitForFunction(() => document.documentElement.dataset.checker);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.checker), "ready", "the checker module loaded");
  return page;
}

/** The preview's frame (Playwright's CSS locators pierce the banner's open shadow root). */
const preview = (page) => page.frameLocator("[data-preview]");
const host = (page, attributes = "") => preview(page).locator(`#consent-gate${attributes}`);
const previewBanner = (page) => preview(page).locator('#consent-gate [data-cg="banner"]');
const previewDialog = (page) => preview(page).locator('#consent-gate [data-cg="dialog"]');

const editorJson = (page) => page.evaluate(() => JSON.parse(document.querySelector("[data-config-json]").value));

/** Replaces the JSON editor's text as a person typing would (one input event). */
async function typeJson(page, text) {
  await page.locator("[data-config-json]").fill(text);
}

/** The checker's lines as the page shows them. */
const shownLines = (page) => page.locator("[data-problems] .line").allTextContents();

/** What `consent-gate check` prints for `text`, when the binary is built (`make cli`); else null. */
function cliLines(text) {
  if (!existsSync(CLI)) return null;
  const dir = mkdtempSync(join(tmpdir(), "configure-check-"));
  try {
    const file = join(dir, "consent.json");
    writeFileSync(file, text);
    const out = spawnSync(CLI, ["check", file], { encoding: "utf8" });
    return out.stdout.split("\n").filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function noCspViolations(page) {
  const frame = page.frame({ url: /configure-preview\.html/ });
  for (const [what, target] of [["the configurator", page], ["the preview", frame]]) {
    assert.deepEqual(await target.evaluate(() => window.__cspViolations), [], `${what} broke its CSP`);
  }
}

it("the preview runs the real loader and follows the form's layout, theme and language", async () => {
  const page = await openConfigurator();
  await previewBanner(page).waitFor({ state: "visible" });
  await host(page, '[data-layout="bar"]').waitFor({ state: "attached" });
  // The preview is the real loader under a strict CSP, fed by an inline config block.
  const frame = page.frame({ url: /configure-preview\.html/ });
  assert.equal(await frame.evaluate(() => document.getElementById("consent-gate-config").type), "application/json");
  assert.ok(await frame.evaluate(() => typeof window.ConsentGate.acceptAll === "function"));

  await page.selectOption("#f-layout", "box");
  assert.equal((await editorJson(page)).layout, "box", "the form wrote the key into the JSON");
  await host(page, '[data-layout="box"]').waitFor({ state: "attached" });
  await previewBanner(page).waitFor({ state: "visible" });

  await page.selectOption("#f-theme", "dark");
  await host(page, '[data-theme="dark"]').waitFor({ state: "attached" });

  await page.selectOption("#f-language", "de");
  await host(page, '[lang="de"]').waitFor({ state: "attached" });
  assert.deepEqual(
    { layout: "box", theme: "dark", language: "de" },
    (({ layout, theme, language }) => ({ layout, theme, language }))(await editorJson(page))
  );

  // And the other way: the JSON editor drives the form and the preview.
  const config = { ...(await editorJson(page)), layout: "modal", language: "ar" };
  await typeJson(page, JSON.stringify(config, null, 2));
  assert.equal(await page.inputValue("#f-layout"), "modal");
  assert.equal(await page.inputValue("#f-language"), "ar");
  await host(page, '[data-layout="modal"][lang="ar"][dir="rtl"]').waitFor({ state: "attached" });
  await previewBanner(page).waitFor({ state: "visible" });
  assert.equal(await page.locator("[data-checker-summary]").textContent(), "No problems: the module reads this config as written.");
  await noCspViolations(page);
  assertNoErrors(page, "the configurator and its preview (a valid config)");
});

it("a category label and description show in the preview's preferences dialog", async () => {
  const page = await openConfigurator({ revision: 3 });
  await previewBanner(page).waitFor({ state: "visible" });
  await page.fill("#f-categories-performance-label", "Visitor statistics");
  await page.fill("#f-categories-performance-description", "Counts which lessons are read.");
  assert.deepEqual((await editorJson(page)).categories, {
    performance: { label: "Visitor statistics", description: "Counts which lessons are read." },
  });
  await page.check("[data-show-preferences]");
  await previewDialog(page).waitFor({ state: "visible" });
  await page.waitForFunction(() => document.querySelector("[data-preview]").dataset.state === "preferences");
  const text = await previewDialog(page).textContent();
  assert.ok(text.includes("Visitor statistics"), `the dialog shows the label: ${text}`);
  assert.ok(text.includes("Counts which lessons are read."), "the dialog shows the description");

  // An alias in the JSON is the same category: the form edits it in place.
  await typeJson(page, JSON.stringify({ categories: { analytics: { label: "Stats" } } }));
  assert.equal(await page.inputValue("#f-categories-performance-label"), "Stats");
  await page.fill("#f-categories-performance-label", "Statistics");
  assert.deepEqual((await editorJson(page)).categories, { analytics: { label: "Statistics" } });
  await page.waitForFunction(() => document.querySelector("[data-preview]").dataset.state === "preferences");
  await preview(page).locator('#consent-gate [data-cg="dialog"]:has-text("Statistics")').waitFor({ state: "visible" });
  // The dialog opening in the preview leaves the focus where the site owner is typing.
  assert.equal(await page.evaluate(() => document.activeElement.id), "f-categories-performance-label");
  assertNoOwnErrors(page);
});

it("a bad value shows the checker's message with its path, as `consent-gate check` prints it", async () => {
  const page = await openConfigurator({ revision: 2, layout: "box" });
  await page.fill("#f-cookie-lifetimeDays", "400");
  const json = await editorJson(page);
  assert.equal(json.cookie.lifetimeDays, 400, "a number field writes a number");
  // An unknown key typed into the JSON.
  const text = JSON.stringify({ revison: 2, layout: "box", cookie: { lifetimeDays: 400 } }, null, 2);
  await typeJson(page, text);
  const expected = [
    "warning: config `revison`: unknown key; did you mean `revision`?",
    "error: config `cookie.lifetimeDays`: expected an integer from 1 to 395",
  ];
  assert.deepEqual(await shownLines(page), expected);
  const cli = cliLines(text);
  if (cli) assert.deepEqual(await shownLines(page), cli, "the same lines as target/release/consent-gate check");
  assert.deepEqual(
    await page.locator("[data-problems] li").evaluateAll((items) => items.map((li) => [li.dataset.severity, li.dataset.path])),
    [["warning", "revison"], ["error", "cookie.lifetimeDays"]]
  );
  assert.equal(await page.locator("[data-checker-summary]").textContent(), "1 error, 1 warning: each bad value is replaced by its default (never by a grant).");
  // A key the form has no field for: its message points into the JSON.
  await page.locator('[data-problems] li[data-path="revison"] button', { hasText: "Show in the JSON" }).click();
  assert.deepEqual(
    await page.evaluate(() => {
      const e = document.querySelector("[data-config-json]");
      return [document.activeElement === e, e.value.slice(e.selectionStart, e.selectionEnd)];
    }),
    [true, "revison"]
  );
  // Next to the field too, and the field is marked invalid.
  const field = page.locator("#f-cookie-lifetimeDays");
  assert.equal(await field.getAttribute("aria-invalid"), "true");
  assert.equal(await page.locator("#f-cookie-lifetimeDays-problem").textContent(), expected[1]);
  // The module replaces the bad value by its default: the preview still shows the banner.
  await host(page, '[data-layout="box"]').waitFor({ state: "attached" });
  await previewBanner(page).waitFor({ state: "visible" });

  // A fix clears it.
  await page.fill("#f-cookie-lifetimeDays", "30");
  assert.equal(await field.getAttribute("aria-invalid"), null);
  assert.deepEqual(await shownLines(page), [expected[0]]);

  // Values the form cannot hold are reported the same way, e.g. a layout the module does not know.
  const bad = JSON.stringify({ layout: "side", gpc: "yes", categories: { ads: { cookies: [{ nmae: "_x" }] } } });
  await typeJson(page, bad);
  const lines = await shownLines(page);
  assert.deepEqual(lines.slice(0, 2), ["error: config `layout`: expected one of bar, bar-top, box, modal", "error: config `gpc`: expected a boolean"]);
  assert.ok(lines.includes("warning: config `categories.ads.cookies[0].nmae`: unknown key; did you mean `name`?"), lines.join("\n"));
  const cliBad = cliLines(bad);
  if (cliBad) assert.deepEqual(lines, cliBad, "the same lines as target/release/consent-gate check");
  assert.equal(await page.inputValue("#f-layout"), "side", "the select shows the value as written");
  assert.equal(await page.locator("#f-layout").getAttribute("aria-invalid"), "true");
  assert.equal(await page.evaluate(() => document.getElementById("f-gpc").indeterminate), true);

  // The developer-tool module's API: a config object is read as the loader reads it.
  const api = await page.evaluate(async () => {
    const m = await import("/devtool/consent_gate_devtool.js");
    const object = m.check({ revison: 2, cookie: { lifetimeDays: 400 }, skipped: undefined });
    const text = m.checkText('{ "revison": 2, "cookie": { "lifetimeDays": 400 } }');
    let error = null;
    try {
      m.check({ big: 1n });
    } catch (e) {
      error = `${e.constructor.name}: ${e.message}`;
    }
    return { object, text, error };
  });
  assert.deepEqual(api.object, api.text);
  assert.deepEqual(api.text.problems[0], {
    severity: "warning",
    path: "revison",
    message: "unknown key",
    didYouMean: "revision",
    notYetSupported: false,
    line: expected[0],
  });
  assert.match(api.error, /^TypeError: check: `config` cannot be written as JSON/);
  assertNoOwnErrors(page);
});

it("text that is not JSON: the checker says so, the form waits, the preview fails closed", async () => {
  const page = await openConfigurator({ layout: "box" });
  await previewBanner(page).waitFor({ state: "visible" });
  await typeJson(page, '{ "layout": "box", ');
  assert.deepEqual(await shownLines(page), cliLines('{ "layout": "box", ') || ["error: the config is not valid JSON"]);
  assert.equal(await page.locator("[data-form-note]").isVisible(), true);
  assert.equal(await page.locator("#f-layout").isDisabled(), true);
  await page.waitForFunction(() => document.querySelector("[data-preview]").dataset.state === "failed");
  assert.equal(await host(page).count(), 0, "no banner in the preview");
  await typeJson(page, '{ "layout": "bar-top" }');
  assert.equal(await page.locator("#f-layout").isDisabled(), false);
  await host(page, '[data-layout="bar-top"]').waitFor({ state: "attached" });
  assertNoOwnErrors(page);
});

it("the preview keeps the site's own decision and shows the banner again after a decision", async () => {
  const ownDecision = forgeCookie();
  await setCookie(env, ownDecision);
  const page = await openConfigurator({ layout: "bar" });
  await previewBanner(page).waitFor({ state: "visible" });
  // The banner is fixed to the bottom of the frame: bring the whole frame into view first.
  await page.locator("[data-preview]").scrollIntoViewIfNeeded();
  await previewBanner(page).locator('button[data-action="accept-all"]').click();
  await previewBanner(page).waitFor({ state: "hidden" });
  await page.click("[data-reload-preview]");
  await page.waitForFunction(() => document.querySelector("[data-preview]").dataset.state === "banner");
  await previewBanner(page).waitFor({ state: "visible" });
  const cookies = await env.context.cookies();
  assert.equal(cookies.find((c) => c.name === COOKIE)?.value, ownDecision, "the site's consent cookie is untouched");
});

it("copies the snippet: the config block first, then the loader tag", async () => {
  await env.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.server.url });
  const page = await openConfigurator({ revision: 4, policyUrl: "/privacy.html" });
  await page.selectOption("#f-layout", "box");
  await page.fill("#f-categories-marketing-label", "Ads </script><b>");
  await page.click("[data-copy]");
  await page.locator("[data-copy-status]", { hasText: "Copied." }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.inputValue("[data-snippet]"));
  const block = /^<script type="application\/json" id="consent-gate-config">\n([\s\S]*)\n<\/script>\n<script src="\/consent-gate\/consent-gate\.js"><\/script>\n$/.exec(copied);
  assert.ok(block, `the snippet is the config block, then the loader tag:\n${copied}`);
  assert.ok(!block[1].includes("<"), "no `<` inside the block can end it early");
  assert.deepEqual(JSON.parse(block[1]), await editorJson(page));
  assert.deepEqual(JSON.parse(block[1]), {
    revision: 4,
    policyUrl: "/privacy.html",
    layout: "box",
    categories: { marketing: { label: "Ads </script><b>" } },
  });

  // The snippet works as written: a page made of it shows this banner.
  await page.fill("[data-loader-url]", "/vendor/consent-gate/consent-gate.js");
  const snippet = await page.inputValue("[data-snippet]");
  assert.ok(snippet.includes('<script src="/vendor/consent-gate/consent-gate.js"></script>'));
  const other = await env.open(null);
  await other.route("**/snippet-test.html", (route) =>
    route.fulfill({ contentType: "text/html", body: `<!doctype html><html lang="en"><head>${snippet}</head><body><p>Hi</p></body></html>` })
  );
  await other.goto(env.url("/snippet-test.html"));
  await other.locator('#consent-gate[data-layout="box"] [data-cg="banner"]').waitFor({ state: "visible" });
  await other.evaluate(() => window.ConsentGate.showPreferences());
  assert.ok((await other.locator('#consent-gate [data-cg="dialog"]').textContent()).includes("Ads </script><b>"));
  assertNoErrors(other, "a page made of the snippet");
});

it("the checker is a developer tool: nothing of it is in the package a visitor downloads", () => {
  const files = readdirSync(PKG, { recursive: true }).map(String);
  assert.ok(files.includes("consent-gate.wasm"), "pkg/ is built");
  assert.deepEqual(files.filter((f) => /devtool/i.test(f)), []);
  assert.ok(existsSync(join(WWW, "devtool", "consent_gate_devtool_bg.wasm")));
});

it("axe: the configurator has no WCAG 2.2 A/AA violation, problems shown", async () => {
  // axe is injected as an inline script, which the page's strict CSP refuses: a context of its own.
  const context = await env.browser.newContext({ baseURL: env.server.url, bypassCSP: true });
  try {
    const page = await newPage(context);
    const config = { revison: 2, layout: "side", cookie: { lifetimeDays: 400 } };
    await page.goto(env.url("/configure.html#config=" + encodeURIComponent(JSON.stringify(config))));
    await page.waitForFunction(() => document.documentElement.dataset.checker === "ready");
    await page.locator("[data-problems] li").nth(2).waitFor();
    const { violations } = await runAxe(page);
    assert.deepEqual(violations.map((v) => v.id), [], `axe violations:\n${describeViolations(violations)}`);
  } finally {
    await context.close();
  }
});

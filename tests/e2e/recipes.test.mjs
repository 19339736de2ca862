// The recipes in docs/recipes/, each proven in Chromium with local stand-ins
// for the third parties (there is no internet here, and a test must not depend on it).
//
// - Docs and tests cannot drift: every fixture page under fixtures/recipes/
//   marks the markup it took from a recipe (`<!-- recipe: FILE.md -->` …
//   `<!-- /recipe -->`), every site script under fixtures/recipes/js/ names its
//   recipe, and the first test checks each one is, verbatim, a code block of
//   that recipe. Snippets that are not pages (a GTM Custom HTML tag, the
//   WordPress PHP) are read from the recipe itself.
// - Third parties: every request to a host other than the test server is
//   routed (page.route) to a stand-in under fixtures/recipes/stubs/ (or a
//   small HTML page for embeds), and recorded (page.on("request")); anything
//   unexpected is aborted and fails the test. Stand-ins log what they are
//   asked to do to sessionStorage "__calls" (which survives the reload after
//   a withdrawal) and set the cookies the real library would.
// - Each recipe shows: nothing third-party before consent (or, for the
//   ungated modes, what loads and in which consent state), that it runs after
//   "accept", the Consent Mode calls where relevant, and what withdrawal
//   (a "reject" after an "accept") removes.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mimeType } from "../../scripts/serve.mjs";
import {
  assert,
  assertNoErrors,
  bannerButton,
  bannerShown,
  call,
  FIXTURES,
  it,
  newPage,
  PKG,
  QUIET_MS,
  REPO,
  sleep,
  useBrowser,
  waitReady,
  warnings,
} from "./helpers.mjs";

const env = useBrowser();

const DOCS = join(REPO, "docs", "recipes");
const HERE = join(FIXTURES, "recipes");
const STUBS = join(HERE, "stubs");

// --- the recipes' code blocks ---

/** Common leading whitespace removed from every line, and the text trimmed. */
function dedent(text) {
  const lines = text.replace(/\s+$/, "").split("\n");
  while (lines.length && !lines[0].trim()) lines.shift();
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)[0].length);
  const cut = Math.min(...indents);
  return lines.map((l) => l.slice(cut)).join("\n");
}

/** Every fenced code block of a recipe: `{ lang, text }` (text dedented). */
function blocks(doc) {
  const source = readFileSync(join(DOCS, doc), "utf8");
  return [...source.matchAll(/^([ \t]*)```([\w-]*)\n([\s\S]*?)^\1```[ \t]*$/gm)].map((m) => ({
    lang: m[2],
    text: dedent(m[3]),
  }));
}

/** The one code block of `doc` whose first line is `firstLine`. */
function block(doc, firstLine) {
  const found = blocks(doc).filter((b) => b.text.split("\n")[0].trim() === firstLine);
  assert.equal(found.length, 1, `${doc} has one code block starting with ${firstLine}`);
  return found[0].text;
}

/** The recipe regions of a fixture page: `[doc, text]`. */
function regions(html) {
  return [...html.matchAll(/<!-- recipe: ([\w.-]+\.md) -->\n([\s\S]*?)<!-- \/recipe -->/g)].map((m) => [m[1], dedent(m[2])]);
}

// --- third parties, routed to local stand-ins ---

const RECORD = readFileSync(join(STUBS, "record.js"), "utf8");
const stub = (file, prefix = "") => ({
  type: "text/javascript",
  body: () => RECORD + prefix + readFileSync(join(STUBS, file), "utf8"),
});
const frame = (name) => ({
  type: "text/html",
  body: () => `<!doctype html><html lang="en"><title>${name}</title><p>Stand-in for the ${name} embed.</p></html>`,
});

/** Which stand-in answers a third-party URL (null: none, the request is a failure). */
function thirdParty(url, gtmCustomHtml) {
  const u = new URL(url);
  const at = u.hostname + u.pathname;
  if (at === "www.googletagmanager.com/gtag/js") return stub("gtag.js");
  if (at === "www.googletagmanager.com/gtm.js")
    return stub("gtm.js", `var GTM_CUSTOM_HTML = ${JSON.stringify(gtmCustomHtml || "")};\n`);
  if (at === "connect.facebook.net/en_US/fbevents.js") return stub("fbevents.js");
  if (at === "bat.bing.com/bat.js") return stub("bat.js");
  if (/^static\.hotjar\.com\/c\/hotjar-\d+\.js$/.test(at)) return stub("hotjar.js");
  if (/^cdn\.matomo\.cloud\/[\w.-]+\/matomo\.js$/.test(at)) return stub("matomo.js");
  if (at === "plausible.io/js/script.js") return stub("plausible.js");
  if (at === "snap.licdn.com/li.lms-analytics/insight.min.js") return stub("insight.js");
  if (at.startsWith("www.youtube-nocookie.com/embed/")) return frame("YouTube");
  if (at.startsWith("player.vimeo.com/video/")) return frame("Vimeo");
  if (at.startsWith("www.google.com/maps/embed")) return frame("Google Maps");
  return null;
}

/** The test server (or not a network URL at all: data:, blob:). */
const isLocal = (url) => {
  const u = new URL(url);
  return u.hostname === "127.0.0.1" || !/^https?:$/.test(u.protocol);
};

/**
 * Opens a recipe page with every third party routed to its stand-in and every
 * third-party request recorded in `external` (URLs, in order; `hosts(n)`: the
 * hosts requested after the first `n`). Site scripts at /js/NAME.js are served from fixtures/recipes/js/.
 * `html`: serve this text as the page instead of the fixture file (a page printed by PHP),
 * with pkg/ also at the WordPress theme's /wp-content/themes/mytheme/consent-gate/.
 */
const THEME_PKG = "/wp-content/themes/mytheme/consent-gate/";
async function openRecipe(path, { gtmCustomHtml, html } = {}) {
  const page = await newPage(env.context);
  const external = [];
  const unexpected = [];
  page.on("request", (request) => {
    if (!isLocal(request.url())) external.push(request.url());
  });
  const pagePath = "/fixtures/recipes/" + path;
  await page.route(
    (url) =>
      url.hostname !== "127.0.0.1" ||
      url.pathname.startsWith("/js/") ||
      (html !== undefined && (url.pathname === pagePath || url.pathname.startsWith(THEME_PKG))),
    async (route) => {
      const url = route.request().url();
      const { pathname } = new URL(url);
      if (isLocal(url) && pathname === pagePath) return route.fulfill({ status: 200, contentType: "text/html", body: html });
      if (isLocal(url) && pathname.startsWith(THEME_PKG)) {
        const file = join(PKG, pathname.slice(THEME_PKG.length));
        if (!existsSync(file)) return route.fulfill({ status: 404, body: "not found" });
        return route.fulfill({ status: 200, contentType: mimeType(file), body: readFileSync(file) });
      }
      if (isLocal(url)) {
        const file = join(HERE, "js", new URL(url).pathname.slice("/js/".length));
        if (!existsSync(file)) return route.fulfill({ status: 404, body: "not found" });
        return route.fulfill({ status: 200, contentType: "text/javascript", body: readFileSync(file, "utf8") });
      }
      const answer = thirdParty(url, gtmCustomHtml);
      if (!answer) {
        unexpected.push(url);
        return route.abort();
      }
      return route.fulfill({ status: 200, contentType: answer.type, body: answer.body() });
    }
  );
  await page.goto(env.url(pagePath), { waitUntil: "load" });
  await waitReady(page);
  const handle = {
    page,
    external,
    hosts: (from = 0) => [...new Set(external.slice(from).map((u) => new URL(u).hostname))].sort(),
    assertNothingUnexpected() {
      assert.deepEqual(unexpected, [], "no request to a third party the recipe does not name");
    },
  };
  return handle;
}

/** What the stand-ins recorded, optionally only those of `lib`. */
async function calls(page, lib) {
  const all = await page.evaluate(() => JSON.parse(sessionStorage.getItem("__calls") || "[]"));
  return lib ? all.filter((c) => c.lib === lib) : all;
}

/** Waits until a stand-in recorded `n` entries for which `match` (an expression of `c`, run in the page) is true. */
async function waitCall(page, lib, match = "true", n = 1) {
  await page.waitForFunction(
    ([lib, match, n]) =>
      JSON.parse(sessionStorage.getItem("__calls") || "[]").filter((c) => c.lib === lib && new Function("c", "return " + match)(c))
        .length >= n,
    [lib, match, n]
  );
}

/** Names of the cookies the page can see, but the consent cookie. */
async function cookieNames(page) {
  const list = await page.context().cookies();
  return list.map((c) => c.name).filter((n) => n !== "consent_gate").sort();
}

/** window.dataLayer as plain arrays (Consent Mode commands are `arguments` objects). */
async function dataLayer(page) {
  return page.evaluate(() =>
    (window.dataLayer || []).map((e) =>
      Object.prototype.toString.call(e) === "[object Arguments]"
        ? JSON.parse(JSON.stringify(Array.from(e)))
        : { object: Object.keys(e) }
    )
  );
}
const consentCommands = async (page) => (await dataLayer(page)).filter((e) => Array.isArray(e) && e[0] === "consent");

const ALL_DENIED = {
  ad_storage: "denied",
  ad_user_data: "denied",
  ad_personalization: "denied",
  analytics_storage: "denied",
  functionality_storage: "denied",
  personalization_storage: "denied",
  security_storage: "denied",
};
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

/** No console error and no warning: the recipe's config has no bad or unknown key. */
function assertClean(page) {
  assertNoErrors(page);
  const list = warnings(page);
  assert.deepEqual(list, [], `the page logged warnings:\n${list.map((m) => "  " + m.text).join("\n")}`);
}

/** Waits (up to 10 s) until `host` has been requested. */
async function waitHost(recipe, host) {
  for (let i = 0; i < 200 && !recipe.hosts().includes(host); i++) await sleep(50);
  assert.ok(recipe.hosts().includes(host), `${host} was requested`);
}

/** Waits a moment, then asserts that nothing third-party was requested since `from`. */
async function assertNoThirdParty(recipe, from = 0, what = "before consent") {
  await sleep(QUIET_MS);
  assert.deepEqual(recipe.external.slice(from), [], `nothing third-party is requested ${what}`);
}

/**
 * A decision that withdraws something, taken from a task of the page's own so
 * that the call returns before the reload; then waits for the reloaded page.
 */
async function withdrawAndReload(page, choices = null) {
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
  await page.evaluate((choices) => {
    setTimeout(() => (choices ? window.ConsentGate.set(choices) : window.ConsentGate.rejectAll()));
  }, choices);
  await page.waitForFunction(() => !window.__sameDocument && document.readyState === "complete", null, { timeout: 8000 });
  assert.equal(await page.evaluate(() => performance.getEntriesByType("navigation")[0].type), "reload", "the page was reloaded");
  await waitReady(page);
}

// --- docs and fixtures agree ---

it("every fixture's recipe markup and site script is, verbatim, a code block of its recipe", () => {
  const recipes = readdirSync(DOCS).filter((f) => f.endsWith(".md") && f !== "README.md");
  const covered = new Set();
  let checked = 0;
  for (const file of readdirSync(HERE).filter((f) => f.endsWith(".html"))) {
    const html = readFileSync(join(HERE, file), "utf8");
    const found = regions(html);
    // A page holds recipe markup, or runs a recipe's site script (checked below).
    assert.ok(found.length > 0 || /(src=|from )"\/js\//.test(html), `${file} marks the recipe markup it holds`);
    for (const [doc, text] of found) {
      assert.ok(recipes.includes(doc), `${file} names an existing recipe (${doc})`);
      const texts = blocks(doc).map((b) => b.text);
      assert.ok(texts.includes(text), `${file}: this markup is not a code block of docs/recipes/${doc}:\n${text}`);
      covered.add(doc);
      checked++;
    }
  }
  for (const file of readdirSync(join(HERE, "js"))) {
    const text = readFileSync(join(HERE, "js", file), "utf8");
    const doc = /^\/\/ (?:Recipe|From): docs\/recipes\/([\w.-]+\.md)/m.exec(text)?.[1];
    assert.ok(doc, `js/${file} names its recipe in its first line`);
    assert.ok(
      blocks(doc).some((b) => b.text === dedent(text)),
      `js/${file} is not, verbatim, a code block of docs/recipes/${doc}`
    );
    covered.add(doc);
    checked++;
  }
  assert.ok(checked >= 10, `the fixtures hold recipe markup (${checked} blocks checked)`);
  // Every recipe is exercised through a fixture (WordPress: its PHP is read from the recipe itself).
  for (const doc of recipes) {
    if (doc === "wordpress.md") continue;
    assert.ok(covered.has(doc), `docs/recipes/${doc} has a fixture page`);
  }
});

it("the recipes index links every recipe, and the README links the index", () => {
  const index = readFileSync(join(DOCS, "README.md"), "utf8");
  for (const doc of readdirSync(DOCS).filter((f) => f.endsWith(".md") && f !== "README.md")) {
    assert.ok(index.includes(`](${doc})`), `docs/recipes/README.md links ${doc}`);
  }
  assert.ok(readFileSync(join(REPO, "README.md"), "utf8").includes("](docs/recipes/README.md)"), "README.md links the recipes");
});

// --- Google Analytics 4 ---

it("GA4 basic mode: nothing from Google before consent; accept loads gtag.js in the granted state and it sets _ga", async () => {
  const r = await openRecipe("ga4-basic.html");
  const { page } = r;
  await bannerShown(page);
  await assertNoThirdParty(r);
  assert.deepEqual(await consentCommands(page), [["consent", "default", ALL_DENIED]], "the default is pushed at once");

  await bannerButton(page, "accept-all").click();
  await waitCall(page, "gtag", "c.args && c.args[0] === 'config'");
  assert.deepEqual(r.hosts(), ["www.googletagmanager.com"]);
  assert.deepEqual(await consentCommands(page), [
    ["consent", "default", ALL_DENIED],
    ["consent", "update", update({ performance: true, functional: true, marketing: true })],
  ]);
  const config = (await calls(page, "gtag")).find((c) => c.args?.[0] === "config");
  assert.deepEqual(config.args, ["config", "G-XXXXXXXXXX"]);
  assert.equal(config.analytics_storage, "granted", "the tag starts after the update: it measures with cookies");
  assert.deepEqual(await cookieNames(page), ["_ga", "_ga_XXXXXXXXXX"]);
  r.assertNothingUnexpected();
  assertClean(page);
});

it("GA4 basic mode: a later reject deletes _ga and _ga_*, reloads, and Google is not contacted again", async () => {
  const r = await openRecipe("ga4-basic.html");
  const { page } = r;
  await call(page, "acceptAll");
  await waitCall(page, "gtag", "c.args && c.args[0] === 'config'");
  assert.deepEqual(await cookieNames(page), ["_ga", "_ga_XXXXXXXXXX"]);

  const from = r.external.length;
  await withdrawAndReload(page);
  assert.deepEqual(await cookieNames(page), [], "the cookies the config lists are deleted");
  assert.deepEqual(await consentCommands(page), [
    ["consent", "default", ALL_DENIED],
    ["consent", "update", update({})],
  ]);
  await assertNoThirdParty(r, from, "after withdrawal");
  r.assertNothingUnexpected();
  assertClean(page);
});

it("GA4 advanced mode: gtag.js runs before consent in the denied state (no cookie); accept grants it; reject deletes and reloads", async () => {
  const r = await openRecipe("ga4-advanced.html");
  const { page } = r;
  await waitCall(page, "gtag", "c.args && c.args[0] === 'config'");
  const before = await calls(page, "gtag");
  assert.deepEqual(
    before.filter((c) => c.args).map((c) => [c.args[0], c.args[1], c.analytics_storage]),
    [
      ["consent", "default", "denied"],
      ["js", "(date)", "denied"],
      ["config", "G-XXXXXXXXXX", "denied"],
    ],
    "the default reached the tag before its first command"
  );
  assert.deepEqual(await cookieNames(page), [], "no cookie while analytics_storage is denied");

  await call(page, "set", { performance: true });
  await waitCall(page, "gtag", "c.args && c.args[1] === 'update'");
  assert.deepEqual(await consentCommands(page), [
    ["consent", "default", ALL_DENIED],
    ["consent", "update", update({ performance: true })],
  ]);
  assert.deepEqual(await cookieNames(page), ["_ga", "_ga_XXXXXXXXXX"], "the running tag sets its cookies once granted");

  await withdrawAndReload(page);
  await waitCall(page, "gtag", "c.loaded", 2); // the reloaded page's tag
  await waitCall(page, "gtag", "c.args && c.args[0] === 'config'", 2);
  await sleep(QUIET_MS);
  assert.deepEqual(await cookieNames(page), [], "withdrawal deletes them; the reloaded tag sets none in the denied state");
  assert.deepEqual(await consentCommands(page), [
    ["consent", "default", ALL_DENIED],
    ["consent", "update", update({})],
  ]);
  r.assertNothingUnexpected();
  assertClean(page);
});

// --- Google Tag Manager ---

const gtmCustomHtml = () => block("google-tag-manager.md", "<!-- GTM Custom HTML tag: LinkedIn Insight, held until marketing is granted -->");

it("GTM gated container: nothing before consent; performance loads the container but its Custom HTML marketing tag stays held until marketing", async () => {
  const r = await openRecipe("gtm-gated.html", { gtmCustomHtml: gtmCustomHtml() });
  const { page } = r;
  await assertNoThirdParty(r);
  assert.deepEqual(await consentCommands(page), [["consent", "default", ALL_DENIED]]);

  await call(page, "set", { performance: true });
  await waitCall(page, "gtm", "c.loaded");
  await page.waitForFunction(() => document.querySelectorAll('body > script[type="text/plain"][data-category="marketing"]').length === 2);
  await sleep(QUIET_MS);
  assert.deepEqual(r.hosts(), ["www.googletagmanager.com"], "the Custom HTML tag's script is held: marketing is not granted");
  const seen = (await calls(page, "gtm")).filter((c) => c.args).map((c) => [c.args[1], c.analytics_storage]);
  assert.deepEqual(seen, [["default", "denied"], ["update", "granted"]], "the container starts after the update");
  assert.deepEqual(await cookieNames(page), ["_ga", "_ga_GTMTEST"]);

  await call(page, "set", { marketing: true });
  await waitCall(page, "insight", "c.loaded");
  assert.equal((await calls(page, "insight"))[0].partner, "1234567", "the Custom HTML's inline part ran first, in order");
  assert.deepEqual(await cookieNames(page), ["_ga", "_ga_GTMTEST", "li_fat_id"]);
  assert.deepEqual((await consentCommands(page)).at(-1), ["consent", "update", update({ performance: true, marketing: true })]);

  const from = r.external.length;
  await withdrawAndReload(page);
  assert.deepEqual(await cookieNames(page), [], "_ga, _ga_* and li_fat_id are deleted");
  await assertNoThirdParty(r, from, "after withdrawal");
  r.assertNothingUnexpected();
  assertClean(page);
});

it("GTM ungated container with Consent Mode: it loads denied before consent and its gated Custom HTML waits; accept grants both; reject deletes and reloads", async () => {
  const r = await openRecipe("gtm-ungated.html", { gtmCustomHtml: gtmCustomHtml() });
  const { page } = r;
  await waitCall(page, "gtm", "c.args && c.args[1] === 'default'");
  await page.waitForFunction(() => document.querySelectorAll('body > script[type="text/plain"][data-category="marketing"]').length === 2);
  await sleep(QUIET_MS);
  assert.deepEqual(r.hosts(), ["www.googletagmanager.com"], "the container loads for everyone; the marketing script is held");
  assert.deepEqual(await cookieNames(page), [], "Google's tag sets no cookie in the denied state");

  await bannerButton(page, "accept-all").click();
  await waitCall(page, "insight", "c.loaded");
  assert.deepEqual(await consentCommands(page), [
    ["consent", "default", ALL_DENIED],
    ["consent", "update", update({ performance: true, functional: true, marketing: true })],
  ]);
  assert.deepEqual(await cookieNames(page), ["_ga", "_ga_GTMTEST", "li_fat_id"]);

  const from = r.external.length;
  await withdrawAndReload(page);
  await waitCall(page, "gtm", "c.loaded", 2);
  await page.waitForFunction(() => document.querySelectorAll('body > script[type="text/plain"][data-category="marketing"]').length === 2);
  await sleep(QUIET_MS);
  assert.deepEqual(await cookieNames(page), [], "deleted, and not set again in the denied state");
  assert.deepEqual(r.hosts(from), ["www.googletagmanager.com"], "after withdrawal only the container loads; the marketing script stays held");
  r.assertNothingUnexpected();
  assertClean(page);
});

// --- Meta Pixel ---

const fbqCalls = async (page) => (await calls(page, "fbq")).filter((c) => c.args).map((c) => [...c.args, c.revoked ? "held" : "live"]);

it("Meta Pixel gated: nothing from Meta before consent; accept runs it; reject revokes through fbq('consent'), deletes _fbp and reloads", async () => {
  const r = await openRecipe("meta-pixel.html");
  const { page } = r;
  await bannerShown(page);
  await assertNoThirdParty(r);
  assert.equal(await page.evaluate(() => typeof window.fbq), "undefined", "meta-consent.js never defines fbq itself");

  await call(page, "acceptAll");
  await waitCall(page, "fbq", "c.args && c.args[0] === 'track'");
  assert.deepEqual(r.hosts(), ["connect.facebook.net"]);
  assert.deepEqual(await fbqCalls(page), [
    ["init", "YOUR_PIXEL_ID", "live"],
    ["track", "PageView", "live"],
  ]);
  assert.deepEqual(await cookieNames(page), ["_fbp"]);

  const from = r.external.length;
  await withdrawAndReload(page, { marketing: false });
  assert.deepEqual((await fbqCalls(page)).at(-1), ["consent", "revoke", "held"], "revoked before the reload");
  assert.deepEqual(await cookieNames(page), [], "_fbp is deleted");
  await assertNoThirdParty(r, from, "after withdrawal");
  r.assertNothingUnexpected();
  assertClean(page);
});

it("Meta Pixel ungated: it loads revoked (events held, no _fbp); accept grants; reject revokes, deletes _fbp and reloads revoked", async () => {
  const r = await openRecipe("meta-pixel-ungated.html");
  const { page } = r;
  await waitCall(page, "fbq", "c.args && c.args[0] === 'track'");
  await sleep(QUIET_MS);
  assert.deepEqual((await fbqCalls(page)).slice(0, 3), [
    ["consent", "revoke", "held"],
    ["init", "YOUR_PIXEL_ID", "held"],
    ["track", "PageView", "held"],
  ]);
  assert.deepEqual(await cookieNames(page), []);

  await call(page, "acceptAll");
  await waitCall(page, "fbq", "c.args && c.args[1] === 'grant'");
  assert.deepEqual((await fbqCalls(page)).at(-1), ["consent", "grant", "live"]);
  assert.deepEqual(await cookieNames(page), ["_fbp"]);

  await withdrawAndReload(page);
  await waitCall(page, "fbq", "c.loaded", 2);
  await waitCall(page, "fbq", "c.args && c.args[0] === 'track'", 2);
  await sleep(QUIET_MS);
  const all = await fbqCalls(page);
  const granted = all.findIndex((c) => c[1] === "grant");
  assert.deepEqual(all[granted + 1], ["consent", "revoke", "held"], `revoked on the withdrawal: ${JSON.stringify(all)}`);
  assert.deepEqual(
    all.slice(granted + 2, granted + 5),
    [["consent", "revoke", "held"], ["init", "YOUR_PIXEL_ID", "held"], ["track", "PageView", "held"]],
    "the reloaded page starts revoked"
  );
  assert.equal(all.filter((c) => c[1] === "grant").length, 1, "never granted again after the withdrawal");
  assert.deepEqual(await cookieNames(page), [], "_fbp deleted and not set again");
  r.assertNothingUnexpected();
  assertClean(page);
});

// --- Microsoft UET consent mode ---

/** UET's commands as "consent update → granted" (the ad_storage state each one left). */
const uetCalls = async (page) =>
  (await calls(page, "uet")).filter((c) => c.args).map((c) => `${c.args.slice(0, 2).join(" ")} → ${c.ad_storage}`);

it("Microsoft UET basic mode: nothing before consent; accept loads it after default and update; reject updates to denied, deletes _uet* and reloads", async () => {
  const r = await openRecipe("uet-basic.html");
  const { page } = r;
  await assertNoThirdParty(r);
  assert.deepEqual(await page.evaluate(() => window.uetq), ["consent", "default", { ad_storage: "denied" }], "the default is queued at once");

  await call(page, "acceptAll");
  await waitCall(page, "uet", "c.args && c.args[0] === 'pageLoad'");
  assert.deepEqual(r.hosts(), ["bat.bing.com"]);
  assert.deepEqual(await uetCalls(page), [
    "consent default → denied",
    "consent update → granted",
    "pageLoad → granted",
  ]);
  assert.deepEqual(await cookieNames(page), ["_uetsid", "_uetvid"]);

  const from = r.external.length;
  await withdrawAndReload(page);
  assert.deepEqual((await uetCalls(page)).at(-1), "consent update → denied", "UET was told before the reload");
  assert.deepEqual(await cookieNames(page), []);
  await assertNoThirdParty(r, from, "after withdrawal");
  r.assertNothingUnexpected();
  assertClean(page);
});

it("Microsoft UET advanced mode: it loads denied before consent (no cookies); accept updates to granted; reject updates to denied, deletes and reloads", async () => {
  const r = await openRecipe("uet-advanced.html");
  const { page } = r;
  await waitCall(page, "uet", "c.args && c.args[0] === 'pageLoad'");
  await sleep(QUIET_MS);
  assert.deepEqual(await uetCalls(page), [
    "consent default → denied",
    "pageLoad → denied",
  ]);
  assert.deepEqual(await cookieNames(page), []);

  await call(page, "set", { marketing: true });
  await waitCall(page, "uet", "c.args && c.args[1] === 'update'");
  assert.deepEqual((await uetCalls(page)).at(-1), "consent update → granted");
  assert.deepEqual(await cookieNames(page), ["_uetsid", "_uetvid"]);

  await withdrawAndReload(page);
  await waitCall(page, "uet", "c.args && c.args[0] === 'pageLoad'", 2);
  await waitCall(page, "uet", "c.args && c.args[1] === 'update'", 3); // granted, denied, then the reloaded page's stored decision
  await sleep(QUIET_MS);
  const all = await uetCalls(page);
  assert.deepEqual(all.slice(3), [
    "consent update → denied",
    ...(all[5].startsWith("consent")
      ? ["consent default → denied", "consent update → denied", "pageLoad → denied"]
      : ["consent default → denied", "pageLoad → denied", "consent update → denied"]),
  ]);
  assert.deepEqual(await cookieNames(page), [], "deleted, and not set again while denied");
  r.assertNothingUnexpected();
  assertClean(page);
});

// --- Embeds: YouTube, Vimeo, Google Maps ---
// (A placeholder may stand in for a gated iframe on screen; these assertions are
// about the iframe's src and the network, so they hold with or without one.)

/** The src and a few kept attributes of each iframe, by data-service. */
const frames = (page) =>
  page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll("iframe[data-service]")].map((f) => [
        f.dataset.service,
        { src: f.getAttribute("src"), title: f.getAttribute("title"), allow: f.getAttribute("allow") },
      ])
    )
  );

it("YouTube and Vimeo: neither player loads before consent; the youtube service loads YouTube alone; accept all loads Vimeo; reject reloads without them", async () => {
  const r = await openRecipe("video-embeds.html");
  const { page } = r;
  await assertNoThirdParty(r);
  assert.deepEqual(Object.values(await frames(page)).map((f) => f.src), [null, null], "no src before consent");
  // Each embed is covered by a click-to-load placeholder naming its service.
  await page.waitForFunction(() => document.querySelectorAll("consent-gate-placeholder").length === 2);
  const covers = await page.evaluate(() =>
    [...document.querySelectorAll("consent-gate-placeholder")].map((h) => [
      h.nextElementSibling.getAttribute("data-service"),
      h.shadowRoot.querySelector("[role=group]").getAttribute("aria-label"),
    ])
  );
  assert.deepEqual(covers.map(([service]) => service).sort(), ["vimeo", "youtube"]);
  for (const [, label] of covers) assert.ok(/YouTube|Vimeo/.test(label), `the placeholder names the service: ${label}`);

  await call(page, "set", { youtube: true });
  await page.waitForFunction(() => document.querySelector('iframe[data-service="youtube"]').getAttribute("src"));
  await waitHost(r, "www.youtube-nocookie.com");
  await sleep(QUIET_MS);
  const f = await frames(page);
  assert.equal(f.youtube.src, "https://www.youtube-nocookie.com/embed/VIDEO_ID");
  assert.equal(f.youtube.title, "Our course trailer (YouTube)", "attributes are kept");
  assert.equal(f.vimeo.src, null, "Vimeo is another service in another category");
  assert.deepEqual(r.hosts(), ["www.youtube-nocookie.com"]);

  await call(page, "acceptAll");
  await page.waitForFunction(() => document.querySelector('iframe[data-service="vimeo"]').getAttribute("src"));
  assert.equal((await frames(page)).vimeo.src, "https://player.vimeo.com/video/VIDEO_ID?dnt=1");
  await waitHost(r, "player.vimeo.com");
  assert.deepEqual(r.hosts(), ["player.vimeo.com", "www.youtube-nocookie.com"]);

  const from = r.external.length;
  await withdrawAndReload(page);
  assert.deepEqual(Object.values(await frames(page)).map((f) => f.src), [null, null]);
  await assertNoThirdParty(r, from, "after withdrawal");
  r.assertNothingUnexpected();
  assertClean(page);
});

it("Google Maps: nothing from Google before consent; the google-maps service loads the map; reject reloads without it", async () => {
  const r = await openRecipe("google-maps.html");
  const { page } = r;
  await assertNoThirdParty(r);
  assert.equal((await frames(page))["google-maps"].src, null);

  await call(page, "set", { "google-maps": true });
  await page.waitForFunction(() => document.querySelector("iframe[data-service]").getAttribute("src"));
  assert.equal((await frames(page))["google-maps"].src, "https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2624.99!2d2.2945!3d48.8584");
  await waitHost(r, "www.google.com");
  assert.deepEqual(r.hosts(), ["www.google.com"]);

  const from = r.external.length;
  await withdrawAndReload(page);
  assert.equal((await frames(page))["google-maps"].src, null);
  await assertNoThirdParty(r, from, "after withdrawal");
  r.assertNothingUnexpected();
  assertClean(page);
});

// --- Hotjar ---

const localKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k !== "consent_gate").sort());

it("Hotjar: nothing before consent; accept runs it with the site id; reject deletes its cookies and localStorage and reloads without it", async () => {
  const r = await openRecipe("hotjar.html");
  const { page } = r;
  await assertNoThirdParty(r);

  await call(page, "acceptAll");
  await waitCall(page, "hotjar", "c.loaded");
  assert.equal((await calls(page, "hotjar"))[0].hjid, 1234567);
  assert.deepEqual(r.hosts(), ["static.hotjar.com"]);
  assert.deepEqual(await cookieNames(page), ["_hjSessionUser_1234567", "_hjSession_1234567"]);
  assert.deepEqual(await localKeys(page), ["_hjSessionUser_1234567"]);

  const from = r.external.length;
  await withdrawAndReload(page, { hotjar: false });
  assert.deepEqual(await cookieNames(page), [], "every _hj cookie is deleted");
  assert.deepEqual(await localKeys(page), [], "and the _hj localStorage key");
  await assertNoThirdParty(r, from, "after withdrawal");
  r.assertNothingUnexpected();
  assertClean(page);
});

// --- Matomo ---

/** Matomo's commands as "name → cookies|no cookies". */
const matomoCalls = async (page) =>
  (await calls(page, "matomo")).filter((c) => c.args).map((c) => `${c.args[0]} → ${c.cookies ? "cookies" : "no cookies"}`);

it("Matomo cookie mode: nothing before consent; accept runs the tracker with cookies; reject deletes _pk_* and reloads without it", async () => {
  const r = await openRecipe("matomo-cookies.html");
  const { page } = r;
  await assertNoThirdParty(r);

  await call(page, "set", { performance: true });
  await waitCall(page, "matomo", "c.loaded");
  assert.deepEqual(r.hosts(), ["cdn.matomo.cloud"]);
  assert.ok((await matomoCalls(page)).includes("trackPageView → cookies"));
  assert.deepEqual(await cookieNames(page), ["_pk_id.1.1f2e", "_pk_ses.1.1f2e"]);

  const from = r.external.length;
  await withdrawAndReload(page);
  assert.deepEqual(await cookieNames(page), []);
  await assertNoThirdParty(r, from, "after withdrawal");
  r.assertNothingUnexpected();
  assertClean(page);
});

it("Matomo cookieless until consent: it tracks without cookies before a decision; accept gives cookie consent; a returning visitor is tracked with cookies from the first hit; reject forgets, deletes and reloads cookieless", async () => {
  const r = await openRecipe("matomo-cookieless.html");
  const { page } = r;
  await waitCall(page, "matomo", "c.args && c.args[0] === 'trackPageView'");
  await sleep(QUIET_MS);
  assert.deepEqual(r.hosts(), ["cdn.matomo.cloud"]);
  assert.ok((await matomoCalls(page)).includes("trackPageView → no cookies"));
  assert.deepEqual(await cookieNames(page), []);

  await bannerButton(page, "accept-all").click();
  await waitCall(page, "matomo", "c.args && c.args[0] === 'setCookieConsentGiven'");
  assert.deepEqual((await matomoCalls(page)).at(-1), "setCookieConsentGiven → cookies");
  assert.deepEqual(await cookieNames(page), ["_pk_id.1.1f2e", "_pk_ses.1.1f2e"]);

  // A returning visitor who accepted: the consent reaches Matomo before the page view.
  await page.evaluate(() => sessionStorage.removeItem("__calls"));
  await page.reload();
  await waitCall(page, "matomo", "c.args && c.args[0] === 'trackPageView'");
  const returning = await matomoCalls(page);
  assert.ok(
    returning.indexOf("setCookieConsentGiven → no cookies") < returning.indexOf("trackPageView → cookies") &&
      returning.indexOf("setCookieConsentGiven → no cookies") >= 0,
    `consent, then a page view with cookies: ${returning.join(", ")}`
  );

  await withdrawAndReload(page);
  await waitCall(page, "matomo", "c.args && c.args[0] === 'forgetCookieConsentGiven'");
  await waitCall(page, "matomo", "c.args && c.args[0] === 'trackPageView'", 2);
  await sleep(QUIET_MS);
  const after = await matomoCalls(page);
  assert.equal(after.filter((c) => c === "trackPageView → no cookies").length, 1, `the reloaded page tracks without cookies: ${after.join(", ")}`);
  assert.deepEqual(await cookieNames(page), [], "_pk_* deleted and not set again");
  r.assertNothingUnexpected();
  assertClean(page);
});

it("Matomo with disableCookies: it tracks before any decision and never sets a cookie, even after accept", async () => {
  const r = await openRecipe("matomo-no-cookies.html");
  const { page } = r;
  await bannerShown(page);
  await waitCall(page, "matomo", "c.args && c.args[0] === 'trackPageView'");
  assert.deepEqual(r.hosts(), ["cdn.matomo.cloud"]);
  await call(page, "acceptAll");
  await sleep(QUIET_MS);
  assert.deepEqual(await matomoCalls(page), [
    "disableCookies → no cookies",
    "setTrackerUrl → no cookies",
    "setSiteId → no cookies",
    "trackPageView → no cookies",
    "enableLinkTracking → no cookies",
  ]);
  assert.deepEqual(await cookieNames(page), []);
  r.assertNothingUnexpected();
  assertClean(page);
});

// --- Plausible ---

it("Plausible: runs before any decision, keeps running after reject all (no reload), and stores nothing but the consent cookie", async () => {
  const r = await openRecipe("plausible.html");
  const { page } = r;
  await bannerShown(page);
  await waitCall(page, "plausible", "c.event === 'pageview'");
  assert.equal((await calls(page, "plausible"))[0].domain, "example.com");
  assert.deepEqual(r.hosts(), ["plausible.io"]);

  await page.evaluate(() => {
    window.__sameDocument = true;
  });
  await bannerButton(page, "reject-all").click();
  await sleep(QUIET_MS);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, "nothing was withdrawn: no reload");
  await page.evaluate(() => window.plausible("Signup"));
  assert.deepEqual((await calls(page, "plausible")).map((c) => c.event), ["pageview", "Signup"]);
  assert.deepEqual(await cookieNames(page), []);
  assert.deepEqual(await localKeys(page), []);
  r.assertNothingUnexpected();
  assertClean(page);
});

// --- React / Next.js: the hook's framework-free equivalent, watchConsent ---

it("React/Next.js watchConsent: false before consent (no player, nothing requested); accept mounts the player; reject unmounts it without a reload", async () => {
  const r = await openRecipe("react-watch-consent.html");
  const { page } = r;
  await page.waitForFunction(() => window.__seen && window.__seen.length >= 2); // now, and once ready
  await assertNoThirdParty(r);
  assert.deepEqual(await page.evaluate(() => window.__seen), [false, false]);
  assert.equal(await page.locator("#trailer iframe").count(), 0);

  await page.evaluate(() => {
    window.__sameDocument = true;
  });
  await call(page, "acceptAll");
  await page.locator("#trailer iframe").waitFor();
  await waitHost(r, "www.youtube-nocookie.com");
  assert.deepEqual(await page.evaluate(() => window.__seen), [false, false, true]);

  await call(page, "set", { marketing: false });
  await page.locator("#trailer iframe").waitFor({ state: "detached" });
  await sleep(QUIET_MS);
  assert.equal(await page.evaluate(() => window.__sameDocument), true, "reloadOnWithdraw: false keeps the page");
  assert.deepEqual(await page.evaluate(() => window.__seen), [false, false, true, false]);

  await page.evaluate(() => window.__stop());
  await call(page, "acceptAll");
  await sleep(QUIET_MS);
  assert.deepEqual(await page.evaluate(() => window.__seen), [false, false, true, false], "the returned function stops watching");
  r.assertNothingUnexpected();
  assertClean(page);
});

// --- WordPress: the functions.php snippet, run with PHP's command line ---

/** Tags as WordPress 6.x prints them (HTML5 theme unless noted), by handle. */
const WP_TAGS = {
  google_gtagjs:
    '<script src="https://www.googletagmanager.com/gtag/js?id=G-XXXXXXXXXX" id="google_gtagjs-js" async></script>\n' +
    '<script id="google_gtagjs-js-after">\n' +
    'window.dataLayer = window.dataLayer || [];function gtag(){dataLayer.push(arguments);}\n' +
    'gtag("js", new Date());\n' +
    'gtag("config", "G-XXXXXXXXXX");\n' +
    "</script>\n",
  "theme-scripts": '<script src="/wp-content/themes/mytheme/js/menu.js" id="theme-scripts-js"></script>\n',
  // an older theme without HTML5 script support, a data block before it, a module after it
  "chat-widget":
    '<script type="application/json" id="chat-widget-js-translations">{"locale":"en"}</script>\n' +
    "<script type='text/javascript' id='chat-widget-js-extra'>\nvar chatWidget = {\"room\":\"support\"};\n</script>\n" +
    "<script type='text/javascript' src='/wp-content/plugins/chat/chat.js' id='chat-widget-js'></script>\n" +
    '<script type="module" src="/wp-content/plugins/chat/chat-ui.mjs" id="chat-widget-ui-js"></script>\n',
};

/** Runs the recipe's PHP on WP_TAGS: `{ head, tags }`. */
function runWordPressSnippet() {
  const php = blocks("wordpress.md").filter((b) => b.lang === "php");
  assert.equal(php.length, 1, "the WordPress recipe has one PHP block");
  const dir = mkdtempSync(join(tmpdir(), "consent-gate-wp-"));
  try {
    writeFileSync(join(dir, "functions.php"), php[0].text + "\n");
    let out;
    try {
      out = execFileSync("php", [join(HERE, "wordpress", "run.php"), join(dir, "functions.php")], {
        input: JSON.stringify(WP_TAGS),
        encoding: "utf8",
      });
    } catch (error) {
      if (error.code === "ENOENT") assert.fail("php (php-cli) is not installed: run `make setup`");
      throw error;
    }
    return JSON.parse(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it("WordPress snippet (PHP): config block and loader first in <head>; listed handles gated with their inline parts; modules keep their type; data blocks and other handles untouched", () => {
  const { head, tags } = runWordPressSnippet();
  const config = /^<script type="application\/json" id="consent-gate-config">\n(.*)\n<\/script>\n/.exec(head);
  assert.ok(config, `wp_head prints the config block first:\n${head}`);
  assert.deepEqual(JSON.parse(config[1]), {
    policyUrl: "/privacy-policy/#cookies",
    googleConsentMode: true,
    categories: { performance: { cookies: [{ name: "_ga" }, { name: "_ga_*" }] } },
  });
  assert.equal(head.slice(config[0].length), '<script src="/wp-content/themes/mytheme/consent-gate/consent-gate.js"></script>\n', "then the loader, and nothing else");

  assert.equal(
    tags.google_gtagjs,
    '<script type="text/plain" data-category="performance" src="https://www.googletagmanager.com/gtag/js?id=G-XXXXXXXXXX" id="google_gtagjs-js" async></script>\n' +
      '<script type="text/plain" data-category="performance" id="google_gtagjs-js-after">\n' +
      WP_TAGS.google_gtagjs.split('id="google_gtagjs-js-after">\n')[1]
  );
  assert.equal(tags["theme-scripts"], WP_TAGS["theme-scripts"], "a handle not listed is left as it is");
  assert.equal(
    tags["chat-widget"],
    '<script type="application/json" id="chat-widget-js-translations">{"locale":"en"}</script>\n' +
      "<script type=\"text/plain\" data-category=\"functional\" id='chat-widget-js-extra'>\nvar chatWidget = {\"room\":\"support\"};\n</script>\n" +
      "<script type=\"text/plain\" data-category=\"functional\" src='/wp-content/plugins/chat/chat.js' id='chat-widget-js'></script>\n" +
      '<script type="text/plain" data-category="functional" data-type="module" src="/wp-content/plugins/chat/chat-ui.mjs" id="chat-widget-ui-js"></script>\n'
  );
});

it("WordPress snippet in Chromium: the printed <head> gates the enqueued Google tag: nothing before consent, it runs after accept, reject deletes _ga and reloads", async () => {
  const { head, tags } = runWordPressSnippet();
  const html =
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>WordPress</title>\n' +
    head +
    tags.google_gtagjs +
    "</head>\n<body>\n<h1>A WordPress page</h1>\n</body>\n</html>\n";
  const r = await openRecipe("wordpress.html", { html });
  const { page } = r;
  await bannerShown(page);
  await assertNoThirdParty(r);
  assert.deepEqual(await consentCommands(page), [["consent", "default", ALL_DENIED]]);

  await call(page, "acceptAll");
  await waitCall(page, "gtag", "c.args && c.args[0] === 'config'");
  const config = (await calls(page, "gtag")).find((c) => c.args?.[0] === "config");
  assert.equal(config.analytics_storage, "granted");
  assert.deepEqual(await cookieNames(page), ["_ga", "_ga_XXXXXXXXXX"]);

  const from = r.external.length;
  await withdrawAndReload(page);
  assert.deepEqual(await cookieNames(page), []);
  await assertNoThirdParty(r, from, "after withdrawal");
  r.assertNothingUnexpected();
  assertClean(page);
});

// Shared harness for the end-to-end tests (node:test + playwright-core + Debian's Chromium).
//
// Each test file calls `useBrowser()` once at top level. That launches one
// Chromium and one static server for the file, and gives every test a fresh
// browser context (fresh cookies and storage):
//
//   const env = useBrowser();
//   it("does something", async () => {
//     const page = await env.open("/index.html");
//     await banner(page).waitFor();
//   });
//
// The server serves www/ at /, pkg/ at /consent-gate/ (and again at
// /vendor/consent-gate/, to prove the loader finds its files next to itself),
// tests/e2e/fixtures/ at /fixtures/, and /broken-pkg/: a copy of the loader
// WITHOUT its .wasm. Any request with `?delay=MS` is answered MS later.
import { after, afterEach, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../../scripts/chromium.mjs";
import { startServer } from "../../scripts/serve.mjs";

export { assert };

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, "../..");
export const WWW = join(REPO, "www");
// CONSENT_GATE_PKG: test a package built elsewhere (default: pkg/ of this repo).
export const PKG = process.env.CONSENT_GATE_PKG ? resolve(process.env.CONSENT_GATE_PKG) : join(REPO, "pkg");
export const FIXTURES = join(HERE, "fixtures");

export const COOKIE = "consent_gate";
export const DAY = 86400;
export const DEFAULT_LIFETIME_DAYS = 182;
/** How long to wait before concluding that something did NOT happen. */
export const QUIET_MS = 400;


/** `test()` with a per-test time limit, so a hung page fails instead of blocking the run. */
export function it(name, fn) {
  return test(name, { timeout: 45_000 }, fn);
}

export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

let warnedAboutPkg = false;

/**
 * Registers the per-file and per-test hooks (`args`: extra Chromium flags for
 * this file's browser, e.g. `--host-resolver-rules=…`). Returns an object whose fields are
 * filled in as the hooks run: `server`, `browser`, `context` (per test), plus
 * `open(path)` and `url(path)`. `env.onRequest` may be set by a test to answer
 * or delay requests itself (it is cleared after each test).
 */
export function useBrowser({ args = [], bfcache = false } = {}) {
  const env = {
    server: null,
    browser: null,
    context: null,
    brokenPkg: null,
    onRequest: null,
    url(path = "/") {
      return env.server.url + path;
    },
    /** Opens a new page in this test's context and navigates to `path`. */
    async open(path = "/index.html", options = {}) {
      const page = await newPage(env.context);
      if (path !== null) await page.goto(env.url(path), { waitUntil: "load", ...options });
      return page;
    },
    /** Requests the server received in this test, as paths (query included). */
    requested(prefix = "") {
      return env.server.requests.map((r) => r.url).filter((u) => u.startsWith(prefix));
    },
  };

  before(async () => {
    if (!existsSync(join(PKG, "consent-gate.js")) && !warnedAboutPkg) {
      warnedAboutPkg = true;
      console.warn(
        "\n  pkg/consent-gate.js is missing: the product is not built, so these tests will fail." +
          "\n  Run `make build` first (or `make test`, which builds).\n"
      );
    }
    env.brokenPkg = await mkdtemp(join(tmpdir(), "consent-gate-broken-"));
    if (existsSync(join(PKG, "consent-gate.js"))) {
      await copyFile(join(PKG, "consent-gate.js"), join(env.brokenPkg, "consent-gate.js"));
    }
    env.server = await startServer({
      port: 0,
      host: "127.0.0.1",
      root: WWW,
      pkgDir: PKG,
      extraRoots: {
        "/fixtures/": FIXTURES,
        "/vendor/consent-gate/": PKG,
        "/broken-pkg/": env.brokenPkg,
      },
      async onRequest(req, res, url) {
        const delay = Number(url.searchParams.get("delay"));
        if (delay > 0) await sleep(Math.min(delay, 5000));
        if (env.onRequest) return env.onRequest(req, res, url);
      },
    });
    env.browser = await launchChromium(args, { bfcache });
  });

  after(async () => {
    await env.browser?.close();
    await env.server?.close();
    if (env.brokenPkg) await rm(env.brokenPkg, { recursive: true, force: true });
  });

  beforeEach(async () => {
    env.server.requests.length = 0;
    env.server.logs.length = 0;
    env.onRequest = null;
    env.context = await env.browser.newContext({ baseURL: env.server.url });
    env.context.setDefaultTimeout(10_000);
    // Collect CSP violations from the very start of every document.
    await env.context.addInitScript(() => {
      window.__cspViolations = [];
      const record = (event) =>
        window.__cspViolations.push({
          directive: event.violatedDirective,
          blocked: event.blockedURI,
          sample: event.sample,
        });
      document.addEventListener("securitypolicyviolation", record, true);
    });
  });

  afterEach(async () => {
    await env.context?.close();
    env.context = null;
    env.onRequest = null;
  });

  return env;
}

/**
 * Launches Debian's headless Chromium with the suite's flags plus `args` (never downloads a browser).
 * `bfcache`: keep the back/forward cache on (Playwright turns it off by default); a history
 * navigation to a restored page then fires no `load`, so use `goBack({ waitUntil: "commit" })`.
 */
export function launchChromium(args = [], { bfcache = false } = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
    ignoreDefaultArgs: bfcache ? ["--disable-back-forward-cache"] : undefined,
  });
}

const pageMessages = new WeakMap();

/** A new page that records its console messages and uncaught errors. */
export async function newPage(context) {
  const page = await context.newPage();
  const messages = [];
  pageMessages.set(page, messages);
  page.on("console", (msg) => messages.push({ type: msg.type(), text: msg.text() }));
  page.on("pageerror", (error) => messages.push({ type: "pageerror", text: String(error && error.message) }));
  return page;
}

/** Every console message and uncaught error of the page so far: `{ type, text }`. */
export function messages(page) {
  return pageMessages.get(page) || [];
}
/** console.error messages and uncaught errors. */
export function errors(page) {
  return messages(page).filter((m) => m.type === "error" || m.type === "pageerror");
}
/** console.warn messages. */
export function warnings(page) {
  return messages(page).filter((m) => m.type === "warning");
}
export function assertNoErrors(page, what = "the page") {
  const list = errors(page);
  assert.deepEqual(list, [], `${what} logged errors:\n${list.map((m) => `  ${m.type}: ${m.text}`).join("\n")}`);
}

// --- the product's UI (DOM contract: an open shadow root on #consent-gate) ---

export const banner = (page) => page.locator('#consent-gate [data-cg="banner"]');
export const dialog = (page) => page.locator('#consent-gate [data-cg="dialog"]');
export const bannerButton = (page, action) => banner(page).locator(`button[data-action="${action}"]`);
export const dialogButton = (page, action) => dialog(page).locator(`[data-action="${action}"]`);
export const categorySwitch = (page, category) =>
  dialog(page).locator(`input[type="checkbox"][role="switch"][data-category="${category}"]`);
export const serviceSwitch = (page, service) => dialog(page).locator(`input[type="checkbox"][data-service="${service}"]`);

/** Resolves once `ConsentGate.ready` has resolved (throws if it rejects). */
export async function waitReady(page) {
  return page.evaluate(() => window.ConsentGate.ready.then(() => true));
}

/** "resolved", "rejected: <message>" or "pending" after `ms`: never throws on rejection. */
export async function readyOutcome(page, ms = 8000) {
  return page.evaluate(
    (ms) =>
      Promise.race([
        window.ConsentGate.ready.then(
          () => "resolved",
          (error) => "rejected: " + (error && error.message)
        ),
        new Promise((ok) => setTimeout(() => ok("pending"), ms)),
      ]),
    ms
  );
}

/** Waits for the banner to show. */
export async function bannerShown(page) {
  await banner(page).waitFor({ state: "visible" });
}

/** After `ready`, gives the UI a moment and asserts no banner is visible. */
export async function assertNoBanner(page) {
  await waitReady(page);
  await sleep(150);
  assert.equal(await banner(page).isVisible(), false, "the banner should not be shown");
}

/** What the demo stubs and fixture scripts recorded (`window.__consentGateDemoRan`). */
export async function ran(page) {
  return page.evaluate(() => (window.__consentGateDemoRan || []).slice());
}

/** Waits until at least `n` gated scripts have run, then a moment more to catch extras. */
export async function waitRan(page, n, { settle = QUIET_MS } = {}) {
  await page.waitForFunction((n) => (window.__consentGateDemoRan || []).length >= n, n);
  if (settle) await sleep(settle);
  return ran(page);
}

/** Calls `ConsentGate[name](...args)` in the page. */
export async function call(page, name, ...args) {
  return page.evaluate(([name, args]) => window.ConsentGate[name](...args), [name, args]);
}

export async function accepted(page, category) {
  return page.evaluate((c) => window.ConsentGate.accepted(c), category);
}

export async function getRecord(page) {
  return page.evaluate(() => window.ConsentGate.get());
}

// --- the consent cookie (grammar version 1) ---

/** The `consent_gate` cookie of the context, or undefined. */
export async function cookie(context, name = COOKIE) {
  return (await context.cookies()).find((c) => c.name === name);
}

/** FNV-1a 32-bit over the UTF-8 bytes of `text`, as 8 lowercase hex digits. */
export function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

export const COOKIE_GRAMMAR =
  /^1\.([0-9a-f]{32})\.([1-9][0-9]{0,9})\.([1-9][0-9]{0,10})\.([1-9][0-9]{0,10})\.([1-9][0-9]{0,10})\.(1[01]{3})\.([0-3])\.((?:[a-z0-9][a-z0-9_-]{0,63}:[01])(?:~[a-z0-9][a-z0-9_-]{0,63}:[01])*)?\.([0-9a-f]{8})$/;

/** Splits a cookie value into its fields; throws if it does not match the grammar. */
export function parseCookie(value) {
  const m = COOKIE_GRAMMAR.exec(value);
  assert.ok(m, `the cookie value does not match the grammar: ${value}`);
  const [, id, revision, decided, updated, expires, cats, gpc, services = "", check] = m;
  return {
    id,
    revision: Number(revision),
    decided: Number(decided),
    updated: Number(updated),
    expires: Number(expires),
    cats,
    gpc,
    services,
    check,
    checkOk: fnv1a(value.slice(0, value.lastIndexOf("."))) === check,
  };
}

export const randomId = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
export const nowSecs = () => Math.floor(Date.now() / 1000);

/**
 * A well-formed cookie value with a correct checksum.
 * cats: 4 chars (essential, performance, functional, marketing).
 * services: e.g. { "ads-pixel": true, "google-analytics": false } (sorted by id).
 */
export function forgeCookie({
  id = randomId(),
  revision = 1,
  decided = nowSecs() - 3600,
  updated = decided,
  expires = updated + DEFAULT_LIFETIME_DAYS * DAY,
  cats = "1111",
  gpc = 0,
  services = {},
} = {}) {
  const svc = Object.keys(services)
    .sort()
    .map((k) => `${k}:${services[k] ? 1 : 0}`)
    .join("~");
  const body = `1.${id}.${revision}.${decided}.${updated}.${expires}.${cats}.${gpc}.${svc}`;
  return `${body}.${fnv1a(body)}`;
}

/** Flips one category bit without fixing the checksum. */
export function tamper(value) {
  const parts = value.split(".");
  parts[6] = parts[6]
    .split("")
    .map((c, i) => (i === 0 ? c : c === "0" ? "1" : "0"))
    .join("");
  return parts.join(".");
}

/** Stores a consent cookie for the server's host, as the product would (Path=/, host only). */
export async function setCookie(env, value, name = COOKIE) {
  await env.context.addCookies([
    { name, value, domain: "127.0.0.1", path: "/", sameSite: "Lax", expires: nowSecs() + 30 * DAY },
  ]);
}

/** Writes the localStorage mirror on the server's origin, from a page without the product. */
export async function setMirror(env, value, record = recordFromCookie(value)) {
  const page = await env.open("/fixtures/blank.html");
  await page.evaluate(
    ([key, mirror]) => localStorage.setItem(key, JSON.stringify(mirror)),
    [COOKIE, { v: 1, value, record }]
  );
  await page.close();
}

export async function getMirror(page) {
  return page.evaluate((key) => {
    const raw = localStorage.getItem(key);
    return raw === null ? null : JSON.parse(raw);
  }, COOKIE);
}

/** The consent record a cookie value stands for (as `ConsentGate.get()` would show it). */
export function recordFromCookie(value) {
  const c = parseCookie(value);
  const iso = (s) => new Date(s * 1000).toISOString();
  const names = ["essential", "performance", "functional", "marketing"];
  const services = {};
  for (const s of c.services ? c.services.split("~") : []) {
    const [k, v] = s.split(":");
    services[k] = v === "1";
  }
  return {
    id: c.id,
    revision: c.revision,
    decidedAt: iso(c.decided),
    updatedAt: iso(c.updated),
    expiresAt: iso(c.expires),
    categories: Object.fromEntries(names.map((n, i) => [n, c.cats[i] === "1"])),
    services,
    // flags: 1 = GPC honoured, 2 = decided in an opt-out region, 3 = both.
    gpc: c.gpc === "1" || c.gpc === "3",
    ...(c.gpc > "1" ? { mode: "opt-out" } : {}),
  };
}

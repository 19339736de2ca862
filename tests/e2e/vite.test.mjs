// The npm package in a Vite app, as a front-end developer uses it: `npm pack`
// of pkg/, two apps (vanilla TypeScript, and React with `consent-gate/react`)
// built with `vite build`, the production dist/ served as a static site, and
// Chromium checking that the banner shows, that the .wasm files and the German
// language file come from the bundler's output (no 404), and that the API and
// the React hook work. Offline: vite, react and react-dom are linked from this
// repo's node_modules and the tarball is unpacked as npm would install it.
import { after, before } from "node:test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { PKG, REPO, assert, banner, bannerButton, errors, it, launchChromium, newPage, warnings } from "./helpers.mjs";
import { assertLoaded, assertNoFailures, makeProject, packPackage } from "./package-helpers.mjs";

const VITE = join(REPO, "node_modules", "vite", "bin", "vite.js");
const built = existsSync(join(PKG, "consent-gate.js")) && existsSync(VITE);

// The site's config comes from the inline block, as the README tells bundler users.
const CONFIG = `<script type="application/json" id="consent-gate-config">{ "policyUrl": "/privacy" }</script>`;

const APPS = {
  vanilla: {
    links: ["vite"],
    files: {
      "index.html": `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>Vanilla</title>
${CONFIG}
<script type="module" src="/src/main.ts"></script>
</head>
<body><p id="state">loading</p></body>
</html>
`,
      "src/main.ts": `import { ConsentGate, type ConsentRecord } from "consent-gate";

declare global {
  interface Window { appGate: typeof ConsentGate }
}
window.appGate = ConsentGate;
const state = document.getElementById("state")!;
function show(record: ConsentRecord | null): void {
  state.textContent = record ? "performance " + ConsentGate.accepted("performance") : "undecided";
}
ConsentGate.on("change", show);
ConsentGate.ready.then(() => show(ConsentGate.get()));
`,
    },
  },
  react: {
    links: ["vite", "react", "react-dom"],
    files: {
      "index.html": `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>React</title>
<script type="module" src="/src/main.tsx"></script>
</head>
<body><div id="root"></div></body>
</html>
`,
      // The config from a module imported before the package (the README's way without the tag).
      // A single-page app keeps its state on withdrawal (no reload): the hook must follow live.
      "src/consent-config.ts": `window.ConsentGateConfig = { policyUrl: "/privacy-from-module", reloadOnWithdraw: false };
`,
      "src/main.tsx": `import "./consent-config";
import "consent-gate";
import { useConsent, Gated } from "consent-gate/react";
import { createRoot } from "react-dom/client";

declare global {
  interface Window { statusRenders: number }
}
window.statusRenders = 0;

function Status() {
  const performance = useConsent("performance");
  window.statusRenders++;
  return <p id="status">{performance ? "performance granted" : "performance not granted"}</p>;
}

function App() {
  return (
    <>
      <Status />
      <Gated category="marketing" fallback={<p id="fallback">no video without marketing cookies</p>}>
        <p id="video">video</p>
      </Gated>
    </>
  );
}

createRoot(document.getElementById("root")!).render(<App />);
`,
    },
  },
  // React with the script tag (the way that keeps the Consent Mode default first), here
  // with `async`: the hook alone, no import of the package's entry.
  reactTag: {
    links: ["vite", "react", "react-dom"],
    files: {
      "index.html": `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>React and the tag</title>
<script async src="/consent-gate/consent-gate.js"></script>
<script type="module" src="/src/main.tsx"></script>
</head>
<body><div id="root"></div></body>
</html>
`,
      "src/main.tsx": `import { useEffect } from "react";
import { useConsent } from "consent-gate/react";
import { createRoot } from "react-dom/client";

function App() {
  const performance = useConsent("performance");
  // Tells the test server that the app has rendered (it holds the loader until then).
  useEffect(() => { fetch("/rendered"); }, []);
  return <p id="status">{performance ? "performance granted" : "performance not granted"}</p>;
}

createRoot(document.getElementById("root")!).render(<App />);
`,
    },
  },
};

const env = { tmp: null, browser: null, servers: {}, empty: null, rendered: null };

before(
  async () => {
    if (!built) return;
    env.tmp = mkdtempSync(join(tmpdir(), "consent-gate-vite-"));
    const { tarball } = packPackage(env.tmp);
    // Nothing is served at /consent-gate/: every file must come from the bundle.
    env.empty = join(env.tmp, "empty");
    mkdirSync(env.empty);
    for (const [name, app] of Object.entries(APPS)) {
      const dir = makeProject(join(env.tmp, name), tarball, app.links);
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
      for (const [file, text] of Object.entries(app.files)) {
        mkdirSync(join(dir, file, ".."), { recursive: true });
        writeFileSync(join(dir, file), text);
      }
      execFileSync(process.execPath, [VITE, "build", "--logLevel", "warn"], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
      env.servers[name] = await startServer({ root: join(dir, "dist"), pkgDir: name === "reactTag" ? PKG : env.empty, onRequest: hold });
    }
    env.browser = await launchChromium();
  },
  { timeout: 120_000 }
);

/**
 * For the tag app: holds the loader's response until the page has asked for
 * /rendered (its first render is done), so that ConsentGate is defined only
 * after the hook has subscribed, whatever the machine's speed.
 */
async function hold(req, res, url) {
  if (url.pathname === "/rendered") {
    env.rendered?.();
    res.writeHead(204).end();
    return true;
  }
  if (url.pathname === "/consent-gate/consent-gate.js" && env.rendered) {
    await env.renderedPromise;
  }
}

after(async () => {
  await env.browser?.close();
  for (const server of Object.values(env.servers)) await server.close();
  if (env.tmp) rmSync(env.tmp, { recursive: true, force: true });
});

/** A fresh context and page on app `name`'s server; `requests` collects every response. */
async function open(name) {
  const context = await env.browser.newContext({ baseURL: env.servers[name].url });
  context.setDefaultTimeout(15_000);
  const page = await newPage(context);
  const responses = [];
  page.on("response", (r) => responses.push({ path: new URL(r.url()).pathname, status: r.status() }));
  await page.goto("/", { waitUntil: "load" });
  return { context, page, responses };
}

it("vanilla TypeScript: vite build emits the .wasm files and the language files; the banner shows in German from them", async (t) => {
  if (!built) return t.skip("pkg/ is not built");
  const { context, page, responses } = await open("vanilla");
  try {
    await banner(page).waitFor({ state: "visible" });
    assert.equal((await bannerButton(page, "accept-all").textContent()).trim(), "Alle akzeptieren");
    assertLoaded(responses, "consent-gate", "js");
    assertLoaded(responses, "consent-gate", "wasm");
    assertLoaded(responses, "consent-gate-ui", "js");
    assertLoaded(responses, "consent-gate-ui", "wasm");
    assertLoaded(responses, "de", "json");
    assert.ok(!responses.some((r) => r.path.startsWith("/consent-gate/")), "nothing is fetched next to a script tag");
    // (Once `ready` resolves: after the rest of the banner module, fetched once the banner is drawn.)
    await page.waitForFunction(() => document.getElementById("state").textContent === "undecided");
    assertNoFailures(responses, page);
  } finally {
    await context.close();
  }
});

it("vanilla TypeScript: the imported ConsentGate is window.ConsentGate; acceptAll() grants performance and the app hears the change", async (t) => {
  if (!built) return t.skip("pkg/ is not built");
  const { context, page, responses } = await open("vanilla");
  try {
    // The app's module runs once the entry's top-level await is done (possibly after `load`).
    await page.waitForFunction(() => window.appGate);
    assert.equal(await page.evaluate(() => window.appGate === window.ConsentGate && typeof window.ConsentGate.version), "string");
    await page.evaluate(() => window.ConsentGate.ready);
    assert.equal(await page.evaluate(() => window.ConsentGate.accepted("performance")), false);
    await page.evaluate(() => window.ConsentGate.acceptAll());
    assert.equal(await page.evaluate(() => window.ConsentGate.accepted("performance")), true);
    await page.waitForFunction(() => document.getElementById("state").textContent === "performance true");
    assert.equal((await page.evaluate(() => window.ConsentGate.get())).categories.marketing, true);
    await banner(page).waitFor({ state: "hidden" });
    assertNoFailures(responses, page);
  } finally {
    await context.close();
  }
});

it("React: useConsent() and <Gated> re-render on a decision from the banner, and once a returning visitor's decision is known", async (t) => {
  if (!built) return t.skip("pkg/ is not built");
  const { context, page, responses } = await open("react");
  try {
    await banner(page).waitFor({ state: "visible" });
    assertLoaded(responses, "consent-gate", "wasm");
    assertLoaded(responses, "consent-gate-ui", "wasm");
    assertLoaded(responses, "de", "json");
    assert.equal(await banner(page).locator('a[href="/privacy-from-module"]').count(), 1, "the config set by the earlier module applies");
    assert.equal(await page.textContent("#status"), "performance not granted");
    assert.ok(await page.isVisible("#fallback"), "the fallback shows before consent");
    assert.equal(await page.locator("#video").count(), 0, "the gated child is not rendered before consent");
    const renders = await page.evaluate(() => window.statusRenders);

    await bannerButton(page, "accept-all").click();
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "performance granted");
    await page.locator("#video").waitFor();
    assert.equal(await page.locator("#fallback").count(), 0);
    assert.ok((await page.evaluate(() => window.statusRenders)) > renders, "the hook re-rendered");
    assertNoFailures(responses, page);

    // A returning visitor: the stored decision is known once `ready`; the hook follows.
    const again = await newPage(context);
    await again.goto("/", { waitUntil: "load" });
    await again.waitForFunction(() => document.getElementById("status")?.textContent === "performance granted");
    await again.locator("#video").waitFor();
    assert.equal(await banner(again).isVisible(), false, "no banner for a returning visitor");
    assert.deepEqual(errors(again), []);

    // Withdrawal is a decision too: the hook follows it without a reload.
    await again.evaluate(() => (window.beforeWithdrawal = true));
    await again.evaluate(() => window.ConsentGate.set({ performance: false, marketing: false }));
    await again.waitForFunction(() => document.getElementById("status")?.textContent === "performance not granted");
    await again.locator("#fallback").waitFor();
    assert.equal(await again.evaluate(() => window.beforeWithdrawal), true, "the page was not reloaded");
  } finally {
    await context.close();
  }
});

it("vanilla TypeScript with Vite's dev server: the banner shows in German and every file loads (no Vite config needed)", async (t) => {
  if (!built) return t.skip("pkg/ is not built");
  const { createServer } = await import("vite");
  const server = await createServer({ root: join(env.tmp, "vanilla"), logLevel: "silent", server: { port: 0, host: "127.0.0.1" } });
  await server.listen();
  const context = await env.browser.newContext();
  context.setDefaultTimeout(20_000);
  try {
    const page = await newPage(context);
    const responses = [];
    page.on("response", (r) => responses.push({ path: new URL(r.url()).pathname, status: r.status() }));
    await page.goto(server.resolvedUrls.local[0], { waitUntil: "load" });
    await banner(page).waitFor({ state: "visible" });
    assert.equal((await bannerButton(page, "accept-all").textContent()).trim(), "Alle akzeptieren");
    assert.ok(responses.some((r) => r.path.endsWith("/lang/de.json") && r.status === 200), "lang/de.json loaded");
    assertNoFailures(responses, page);
  } finally {
    await context.close();
    await server.close();
  }
});

it("React with an async script tag: the hook finds ConsentGate defined after the first render and follows a decision from the banner", async (t) => {
  if (!built) return t.skip("pkg/ is not built");
  env.renderedPromise = new Promise((done) => (env.rendered = done));
  const context = await env.browser.newContext({ baseURL: env.servers.reactTag.url });
  context.setDefaultTimeout(15_000);
  try {
    const page = await newPage(context);
    await page.goto("/", { waitUntil: "commit" });
    await banner(page).waitFor({ state: "visible" });
    assert.equal(await page.textContent("#status"), "performance not granted");
    await bannerButton(page, "accept-all").click();
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "performance granted");
    assert.deepEqual(errors(page), []);
    assert.deepEqual(warnings(page), [], "no warning that ConsentGate is missing");
  } finally {
    env.rendered = null;
    await context.close();
  }
});

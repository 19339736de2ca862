// The npm package in a webpack 5 app (its Node API, production mode): the
// packed tarball, a plain JavaScript entry importing "consent-gate", the
// output served as a static site, and Chromium checking that the loader, the
// .wasm files and the German language file come from webpack's output and
// that the API works. webpack rewrites `import(expression)` into its own
// module lookup unless told not to, so this guards the entry's URL import.
import { after, before } from "node:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../scripts/serve.mjs";
import { PKG, REPO, assert, banner, bannerButton, it, launchChromium, newPage } from "./helpers.mjs";
import { assertLoaded, assertNoFailures, makeProject, packPackage } from "./package-helpers.mjs";

const built = existsSync(join(PKG, "consent-gate.js")) && existsSync(join(REPO, "node_modules", "webpack"));
const env = { tmp: null, browser: null, server: null, warnings: [] };

before(
  async () => {
    if (!built) return;
    env.tmp = mkdtempSync(join(tmpdir(), "consent-gate-webpack-"));
    const { tarball } = packPackage(env.tmp);
    const dir = makeProject(join(env.tmp, "app"), tarball);
    mkdirSync(join(dir, "src"));
    writeFileSync(
      join(dir, "src", "index.js"),
      `import { ConsentGate } from "consent-gate";\nwindow.appGate = ConsentGate;\nConsentGate.on("change", () => { document.getElementById("state").textContent = "performance " + ConsentGate.accepted("performance"); });\n`
    );
    const { default: webpack } = await import("webpack");
    const stats = await new Promise((done, fail) =>
      webpack(
        {
          mode: "production",
          context: dir,
          entry: "./src/index.js",
          output: { path: join(dir, "dist"), publicPath: "/", assetModuleFilename: "assets/[name]-[contenthash][ext]" },
          infrastructureLogging: { level: "error" },
        },
        (error, stats) => (error ? fail(error) : done(stats))
      )
    );
    const info = stats.toJson({ all: false, errors: true, warnings: true });
    if (stats.hasErrors()) throw new Error(info.errors.map((e) => e.message).join("\n"));
    env.warnings = info.warnings.map((w) => w.message);
    writeFileSync(
      join(dir, "dist", "index.html"),
      `<!doctype html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n<link rel="icon" href="data:,">\n<title>webpack</title>\n` +
        `<script type="application/json" id="consent-gate-config">{ "policyUrl": "/privacy" }</script>\n` +
        `<script src="/main.js"></script>\n</head>\n<body><p id="state">undecided</p></body>\n</html>\n`
    );
    const empty = join(env.tmp, "empty");
    mkdirSync(empty);
    env.server = await startServer({ root: join(dir, "dist"), pkgDir: empty });
    env.browser = await launchChromium();
  },
  { timeout: 120_000 }
);

after(async () => {
  await env.browser?.close();
  await env.server?.close();
  if (env.tmp) rmSync(env.tmp, { recursive: true, force: true });
});

it("webpack 5: builds without warnings; the banner shows in German from the emitted files; acceptAll() grants performance", async (t) => {
  if (!built) return t.skip("pkg/ is not built, or webpack is not installed (npm ci)");
  assert.deepEqual(env.warnings, [], "webpack warns about nothing");
  const context = await env.browser.newContext({ baseURL: env.server.url });
  context.setDefaultTimeout(15_000);
  try {
    const page = await newPage(context);
    const responses = [];
    page.on("response", (r) => responses.push({ path: new URL(r.url()).pathname, status: r.status() }));
    await page.goto("/", { waitUntil: "load" });
    await banner(page).waitFor({ state: "visible" });
    assert.equal((await bannerButton(page, "accept-all").textContent()).trim(), "Alle akzeptieren");
    for (const [name, ext] of [["consent-gate", "js"], ["consent-gate", "wasm"], ["consent-gate-ui", "js"], ["consent-gate-ui", "wasm"], ["de", "json"]]) {
      assertLoaded(responses, name, ext);
    }
    await page.waitForFunction(() => window.appGate);
    assert.equal(await page.evaluate(() => window.appGate === window.ConsentGate), true);
    await page.evaluate(() => window.ConsentGate.acceptAll());
    assert.equal(await page.evaluate(() => window.ConsentGate.accepted("performance")), true);
    await page.waitForFunction(() => document.getElementById("state").textContent === "performance true");
    assertNoFailures(responses, page);
  } finally {
    await context.close();
  }
});

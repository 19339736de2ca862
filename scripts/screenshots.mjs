#!/usr/bin/env node
// Renders the README's screenshots into docs/screenshots/*.png: every layout in
// light and dark, the preferences dialog in light and dark, Arabic (right to
// left) with the bar and with the dialog open, and a phone-sized view.
//
//   node scripts/screenshots.mjs            (make screenshots; needs `make build`)
//   node scripts/screenshots.mjs box-dark   only the shots whose name contains "box-dark"
//
// Headless Debian Chromium (/usr/bin/chromium, or $CHROMIUM) via playwright-core;
// no browser is downloaded. Pages: www/layouts.html?layout=…&theme=…&lang=…,
// served by scripts/serve.mjs.
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "./chromium.mjs";
import { startServer } from "./serve.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(REPO, "docs", "screenshots");
const PKG = join(REPO, "pkg");
const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 375, height: 720 };

/** name → what to render. `dialog`: open the preferences dialog first. */
const SHOTS = [
  ...["bar", "bar-top", "box", "modal"].flatMap((layout) =>
    ["light", "dark"].map((theme) => ({ name: `${layout}-${theme}`, query: { layout, theme } }))
  ),
  { name: "modal-blockpage-light", query: { layout: "modal", block: "1", theme: "light" } },
  { name: "dialog-light", query: { layout: "bar", theme: "light" }, dialog: true },
  { name: "dialog-dark", query: { layout: "bar", theme: "dark" }, dialog: true },
  { name: "rtl-ar-bar", query: { layout: "bar", theme: "light", lang: "ar" } },
  { name: "rtl-ar-box-dark", query: { layout: "box", theme: "dark", lang: "ar" } },
  { name: "rtl-ar-dialog", query: { layout: "bar", theme: "light", lang: "ar" }, dialog: true },
  { name: "mobile-bar", query: { layout: "bar", theme: "light" }, viewport: MOBILE },
  { name: "mobile-dialog-dark", query: { layout: "bar", theme: "dark" }, viewport: MOBILE, dialog: true },
];

async function main() {
  if (!existsSync(join(PKG, "consent-gate.js"))) {
    console.error("pkg/ is not built: run `make build` first.");
    process.exit(1);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`No Chromium at ${CHROMIUM} (Debian: apt-get install chromium). Set $CHROMIUM to use another.`);
    process.exit(1);
  }
  const only = process.argv[2];
  const shots = SHOTS.filter((s) => !only || s.name.includes(only));
  await mkdir(OUT, { recursive: true });

  const server = await startServer({ port: 0, host: "127.0.0.1" });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    for (const shot of shots) {
      const context = await browser.newContext({
        viewport: shot.viewport || DESKTOP,
        deviceScaleFactor: 1,
        colorScheme: "light",
        reducedMotion: "reduce", // no switch caught mid-transition
      });
      await languageFallback(context);
      const page = await context.newPage();
      const errors = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      const query = new URLSearchParams(shot.query).toString();
      await page.goto(`${server.url}/layouts.html?${query}`, { waitUntil: "load" });
      await page.evaluate(() => window.ConsentGate.ready);
      await page.locator('#consent-gate [data-cg="banner"]').waitFor({ state: "visible" });
      if (shot.dialog) {
        await page.locator('#consent-gate [data-cg="banner"] [data-action="preferences"]').click();
        await page.locator('#consent-gate [data-cg="dialog"]').waitFor({ state: "visible" });
        // Show one switch on, one off: both states in the picture.
        await page.locator('#consent-gate [data-cg="dialog"] input[data-category="performance"]').check();
        // No focus ring from the click in the picture.
        await page.evaluate(() => document.getElementById("consent-gate").shadowRoot.activeElement?.blur());
      }
      await page.evaluate(() => document.fonts.ready);
      const file = join(OUT, `${shot.name}.png`);
      await page.screenshot({ path: file });
      console.log(`  ${shot.name}.png${errors.length ? `  (console errors: ${errors.join("; ")})` : ""}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * Built-in languages are pkg/lang/<tag>.json. Where the package has no file
 * yet, use the end-to-end tests' fixture (tests/e2e/fixtures/lang/) so the RTL
 * screenshots show Arabic rather than the English fallback.
 */
async function languageFallback(context) {
  await context.route(/\/consent-gate\/lang\/([a-z-]+)\.json$/, async (route) => {
    const tag = /\/lang\/([a-z-]+)\.json$/.exec(new URL(route.request().url()).pathname)[1];
    const fixture = join(REPO, "tests", "e2e", "fixtures", "lang", `${tag}.json`);
    if (existsSync(join(PKG, "lang", `${tag}.json`)) || !existsSync(fixture)) return route.continue();
    console.log(`  (pkg/lang/${tag}.json is missing: using tests/e2e/fixtures/lang/${tag}.json)`);
    await route.fulfill({ status: 200, contentType: "application/json", body: await readFile(fixture, "utf8") });
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

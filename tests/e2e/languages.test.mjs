// Language choice end to end: config, then <html lang>, then navigator.languages,
// then English; English is built in, any other language is one file fetched on demand.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  assert, it, useBrowser, newPage, waitReady, bannerButton, banner, errors, PKG,
} from "./helpers.mjs";

const env = useBrowser();
const lang = (tag) => JSON.parse(readFileSync(join(PKG, "lang", `${tag}.json`), "utf8"));

async function openWithLocale(path, locale) {
  const context = await env.browser.newContext({ baseURL: env.server.url, locale });
  const page = await newPage(context);
  await page.goto(env.url(path));
  return { context, page };
}

it("an English visitor downloads no language file", async () => {
  const { context, page } = await openWithLocale("/fixtures/i18n-auto.html", "en-GB");
  await waitReady(page);
  assert.equal(await bannerButton(page, "accept-all").textContent(), "Accept all");
  assert.deepEqual(env.requested("/consent-gate/lang/"), []);
  await context.close();
});

it("a German browser gets German texts from lang/de.json, and only that file", async () => {
  const { context, page } = await openWithLocale("/fixtures/i18n-auto.html", "de-AT");
  await waitReady(page);
  const de = lang("de");
  assert.equal(await bannerButton(page, "accept-all").textContent(), de.acceptAll);
  assert.equal(await bannerButton(page, "reject-all").textContent(), de.rejectAll);
  assert.equal(await page.locator("#consent-gate").getAttribute("lang"), "de");
  assert.deepEqual(env.requested("/consent-gate/lang/"), ["/consent-gate/lang/de.json"]);
  await context.close();
});

it("<html lang> wins over the browser's languages", async () => {
  const { context, page } = await openWithLocale("/fixtures/i18n-french.html", "de-DE");
  await waitReady(page);
  assert.equal(await bannerButton(page, "accept-all").textContent(), lang("fr").acceptAll);
  await context.close();
});

it("the configured language wins, renders right to left, and config texts override it", async () => {
  const { context, page } = await openWithLocale("/fixtures/i18n-config.html", "en-US");
  await waitReady(page);
  const host = page.locator("#consent-gate");
  assert.equal(await host.getAttribute("lang"), "ar");
  assert.equal(await host.getAttribute("dir"), "rtl");
  assert.equal(await bannerButton(page, "accept-all").textContent(), "موافقة على الكل (مخصص)");
  assert.equal(await bannerButton(page, "reject-all").textContent(), lang("ar").rejectAll);
  await context.close();
});

it("a language file that cannot load falls back to English with a console.error, and consent still works", async () => {
  const context = await env.browser.newContext({ baseURL: env.server.url, locale: "de-DE" });
  await context.route("**/consent-gate/lang/de.json", (route) => route.abort());
  const page = await newPage(context);
  await page.goto(env.url("/fixtures/i18n-auto.html"));
  await waitReady(page);
  assert.equal(await bannerButton(page, "accept-all").textContent(), "Accept all");
  assert.equal(await page.locator("#consent-gate").getAttribute("lang"), "en");
  assert.ok(errors(page).some((m) => m.text.includes("lang/de.json")), "the failure is reported");
  await bannerButton(page, "reject-all").click();
  await banner(page).waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => ConsentGate.accepted("performance")), false);
  await context.close();
});

// Accessibility (WCAG 2.2 AA): axe-core finds no violation in the banner or in
// the open preferences dialog, in every layout × theme × one LTR and one RTL
// language. axe analyses the open shadow root of #consent-gate; every run also
// checks that nodes inside it were actually examined, so a UI that axe cannot
// see (or that is not there) fails instead of passing vacuously.
import { useBrowser, it, assert, bannerButton, dialog, banner } from "./helpers.mjs";
import { LAYOUTS, openUi, assertLanguage, runAxe, describeViolations, measureContrast } from "./ui-helpers.mjs";

const env = useBrowser();

/** Our own contrast measurement of `layer` (every text and every switch). */
async function assertContrast(page, what, layer) {
  const { texts, switches } = await measureContrast(page, layer);
  const low = [...texts, ...switches].filter((t) => t.ratio < t.need);
  assert.deepEqual(low, [], `${what}: contrast below WCAG AA`);
  assert.ok(texts.length >= (layer === "dialog" ? 10 : 5), `${what}: measured ${texts.length} texts`);
  if (layer === "dialog") assert.ok(switches.length >= 3, `${what}: measured ${switches.length} switches`);
}

/** Runs axe and asserts zero violations plus real coverage of the UI's `layer`. */
async function assertAccessible(page, what, layer, rtl) {
  const { violations, incomplete, gatePasses } = await runAxe(page);
  assert.deepEqual(violations.map((v) => v.id), [], `${what}: axe violations:\n${describeViolations(violations)}`);
  // Contrast that axe could not decide inside the UI counts as a failure too:
  // the colours are ours, they must be checkable.
  const undecided = incomplete
    .map((r) => ({ ...r, nodes: r.nodes.filter((n) => n.inGate) }))
    .filter((r) => r.id === "color-contrast" && r.nodes.length);
  assert.deepEqual(undecided.map((r) => r.id), [], `${what}: contrast axe could not decide:\n${describeViolations(undecided)}`);
  // Not vacuous: axe examined the UI inside the shadow root.
  const count = (rule) => (gatePasses[rule] || []).length;
  const buttons = layer === "dialog" ? 4 : 3; // dialog: close, reject, accept, save
  assert.ok(count("button-name") >= buttons, `${what}: axe checked ${count("button-name")} buttons inside #consent-gate`);
  // axe skips the contrast of short Arabic strings (its icon-ligature heuristic
  // mistakes Arabic shaping for an icon font): measureContrast covers them.
  const contrastNodes = rtl ? 1 : buttons + 1;
  assert.ok(count("color-contrast") >= contrastNodes, `${what}: axe checked contrast of ${count("color-contrast")} nodes inside #consent-gate`);
  if (layer === "dialog") {
    // The switches: named (label), and the dialog itself (aria-dialog-name / aria-allowed-attr …).
    assert.ok(count("label") >= 4 || count("aria-toggle-field-name") >= 4, `${what}: axe checked the switches' names`);
  }
  return gatePasses;
}

async function check(page, what, rtl) {
  await assertAccessible(page, `${what}, banner`, "banner", rtl);
  await assertContrast(page, `${what}, banner`, "banner");
  await bannerButton(page, "preferences").click();
  await dialog(page).waitFor({ state: "visible" });
  await assertAccessible(page, `${what}, dialog open`, "dialog", rtl);
  await assertContrast(page, `${what}, dialog (switches off)`, "dialog");
  // And with the switches on (filled with the accent colour).
  await page.evaluate(() => {
    for (const s of document.getElementById("consent-gate").shadowRoot.querySelectorAll('input[role="switch"]:not(:disabled)')) s.checked = true;
  });
  await assertContrast(page, `${what}, dialog (switches on)`, "dialog");
  await assertAccessible(page, `${what}, dialog open, switches on`, "dialog", rtl);
}

for (const layout of LAYOUTS) {
  for (const theme of ["light", "dark"]) {
    for (const lang of ["en", "ar"]) {
      it(`axe: no WCAG 2.2 A/AA violation: ${layout.name}, ${theme}, ${lang}`, async () => {
        const page = await openUi(env, { ...layout.query, theme, lang });
        await assertLanguage(page, lang);
        const theming = await page.evaluate(() => document.getElementById("consent-gate").dataset.theme);
        assert.equal(theming, theme);
        await check(page, `${layout.name}/${theme}/${lang}`, lang === "ar");
      });
    }
  }
}

for (const [colorScheme, layout, lang] of [
  ["dark", "bar", "en"],
  ["light", "box", "ar"],
  ["dark", "modal", "ar"],
]) {
  it(`axe: theme auto follows prefers-color-scheme: ${colorScheme} (${layout}, ${lang})`, async () => {
    const page = await openUi(env, { layout, lang, theme: "auto" });
    await page.emulateMedia({ colorScheme });
    await assertLanguage(page, lang);
    // The computed background really follows the scheme.
    const bg = await banner(page).evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(bg, colorScheme === "dark" ? "rgb(28, 33, 40)" : "rgb(255, 255, 255)");
    await check(page, `${layout}/auto(${colorScheme})/${lang}`, lang === "ar");
  });
}

it("axe sees a violation when there is one (the check is not vacuous)", async () => {
  // Same fixture, with a text colour that fails 4.5:1: axe must report it.
  const page = await openUi(env, { layout: "box", theme: "light" });
  await page.evaluate(() => {
    const host = document.getElementById("consent-gate");
    host.style.setProperty("--cg-fg", "#b0b0b0");
  });
  const { violations } = await runAxe(page);
  const contrast = violations.find((v) => v.id === "color-contrast");
  assert.ok(contrast, "axe should report the low-contrast text");
  assert.ok(contrast.nodes.some((n) => n.inGate), "inside #consent-gate");
});

it("axe and keyboard: the opt-out notice of an opt-out region (demo page, California)", async () => {
  const page = await env.open("/regions/california.html");
  await page.evaluate(() => window.ConsentGate.ready);
  await banner(page).waitFor({ state: "visible" });
  const { violations, gatePasses } = await runAxe(page);
  assert.deepEqual(violations.map((v) => v.id), [], `opt-out notice: axe violations:\n${describeViolations(violations)}`);
  // Not vacuous: the notice's three buttons were examined inside the shadow root.
  assert.ok((gatePasses["button-name"] || []).length >= 3, "axe checked the notice's buttons");
  await assertContrast(page, "opt-out notice", "banner");
  // The main button is reachable by keyboard and acts on Enter.
  const main = bannerButton(page, "do-not-sell");
  for (let i = 0; i < 30 && !(await main.evaluate((b) => b.matches(":focus"))); i++) await page.keyboard.press("Tab");
  assert.ok(await main.evaluate((b) => b.matches(":focus-visible")), "the main button takes a visible focus");
  // Refusing marketing that ran provisionally is a withdrawal: the page reloads.
  await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
  const record = await page.evaluate(() => window.ConsentGate.ready.then((api) => api.get()));
  assert.equal(record.mode, "opt-out");
  assert.equal(record.categories.marketing, false);
});

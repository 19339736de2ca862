// Keyboard-only use, small screens and zoom, reduced motion.
//
// Focus that leaves the last control of a native modal dialog goes to the
// browser's own UI (the address bar) and then comes back to the dialog's first
// control: in headless Chromium that shows as `document.activeElement` being
// <body> for one Tab. The tests accept that one stop ("body") but never a
// control of the page behind.
import {
  useBrowser,
  it,
  assert,
  banner,
  dialog,
  bannerButton,
  categorySwitch,
  getRecord,
  sleep,
} from "./helpers.mjs";
import { test } from "node:test";
import { LAYOUTS, openUi, focused, focusLayer, serveLanguageFallback } from "./ui-helpers.mjs";

const env = useBrowser();

const BANNER_CONTROLS = ["policy", "accept-all", "reject-all", "preferences"];
const DIALOG_CONTROLS = [
  "close",
  "switch:performance",
  "service:google-analytics",
  "switch:functional",
  "switch:marketing",
  "service:ads-pixel",
  "reject-all",
  "accept-all",
  "save",
];

/** Presses `key` and returns the newly focused control and its layer. */
async function press(page, key) {
  await page.keyboard.press(key);
  return { name: await focused(page), layer: await focusLayer(page) };
}

/** Tabs until `name` is focused (at most `max` presses); fails otherwise. */
async function tabTo(page, name, max = 20) {
  for (let i = 0; i < max; i++) {
    if ((await focused(page)) === name) return;
    await page.keyboard.press("Tab");
  }
  assert.equal(await focused(page), name, `Tab should reach ${name}`);
}

/** The focused element shows a visible focus indicator (outline ≥ 2px, ≥ 3:1 against what is behind). */
async function assertVisibleFocus(page, what) {
  const f = await page.evaluate(() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    const s = getComputedStyle(a);
    const parse = (c) => (/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(c) || []).slice(1).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    // The outline is drawn just outside the element: over its container's background.
    let bgEl = a.parentElement;
    while (bgEl && getComputedStyle(bgEl).backgroundColor.replace(/\s/g, "").match(/rgba\(.*,0\)|transparent/)) bgEl = bgEl.parentElement;
    const bg = bgEl ? parse(getComputedStyle(bgEl).backgroundColor) : [255, 255, 255];
    const [x, y] = [lum(parse(s.outlineColor)), lum(bg)].sort((p, q) => q - p);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), ratio: (x + 0.05) / (y + 0.05), focusVisible: a.matches(":focus-visible") };
  });
  assert.ok(f.focusVisible, `${what}: matches :focus-visible`);
  assert.notEqual(f.style, "none", `${what}: has an outline`);
  assert.ok(f.width >= 2, `${what}: outline ${f.width}px`);
  assert.ok(f.ratio >= 3, `${what}: focus outline contrast ${f.ratio.toFixed(2)}:1`);
}

for (const layout of ["bar", "bar-top", "box", "modal"]) {
  it(`keyboard (${layout}): Tab from page load reaches every banner control in order, each visibly focused`, async () => {
    const page = await openUi(env, { layout, theme: layout === "box" ? "dark" : "light" });
    const seen = [];
    for (let i = 0; i < 12; i++) {
      const { name, layer } = await press(page, "Tab");
      if (layer === "banner") {
        seen.push(name);
        await assertVisibleFocus(page, `${layout}: ${name}`);
      }
      if (seen.length === BANNER_CONTROLS.length) break;
    }
    assert.deepEqual(seen, BANNER_CONTROLS);
    // The first layer does not trap focus: Tab goes on to the page (or the browser).
    const next = await press(page, "Tab");
    assert.notEqual(next.layer, "banner");
    // And Shift+Tab walks back through the banner in reverse.
    await press(page, "Shift+Tab");
    const back = [];
    for (let i = 0; i < 3; i++) back.push((await press(page, "Shift+Tab")).name);
    assert.deepEqual(back, ["reject-all", "accept-all", "policy"]);
  });
}

it("keyboard: Enter on 'Accept all' and Space on 'Reject all' decide", async () => {
  let page = await openUi(env, { layout: "bar" });
  await tabTo(page, "accept-all");
  await page.keyboard.press("Enter");
  await banner(page).waitFor({ state: "hidden" });
  let record = await getRecord(page);
  assert.deepEqual(record.categories, { essential: true, performance: true, functional: true, marketing: true });
  await env.context.clearCookies();
  await page.evaluate(() => localStorage.clear());
  await page.close();

  page = await openUi(env, { layout: "box" });
  await tabTo(page, "reject-all");
  await page.keyboard.press("Space");
  await banner(page).waitFor({ state: "hidden" });
  record = await getRecord(page);
  assert.deepEqual(record.categories, { essential: true, performance: false, functional: false, marketing: false });
});

for (const layout of LAYOUTS) {
  it(`keyboard (${layout.name}): preferences dialog: focus moves in, Tab cycles inside, Space toggles, Escape returns focus, Enter saves`, async () => {
    const page = await openUi(env, { ...layout.query, lang: layout.name === "box" ? "ar" : "en" });
    await tabTo(page, "preferences");
    await page.keyboard.press("Enter");
    await dialog(page).waitFor({ state: "visible" });
    assert.equal(await focusLayer(page), "dialog", "focus moved into the dialog");
    assert.equal(await focused(page), "close", "the first control of the dialog has focus");
    const modal = await dialog(page).evaluate((d) => ({ modal: d.matches(":modal"), ariaModal: d.getAttribute("aria-modal"), label: d.getAttribute("aria-labelledby") }));
    assert.deepEqual(modal, { modal: true, ariaModal: "true", label: "cg-dialog-title" });

    // Two full rounds of Tab: every switch and button, never the page behind.
    const seen = [];
    for (let i = 0; i < 2 * (DIALOG_CONTROLS.length + 1); i++) {
      const { name, layer } = await press(page, "Tab");
      if (name === "body") continue; // the browser's own UI, see the header
      assert.equal(layer, "dialog", `Tab left the dialog for ${name}`);
      seen.push(name);
      await assertVisibleFocus(page, `dialog: ${name}`);
    }
    assert.deepEqual(seen.slice(0, DIALOG_CONTROLS.length - 1), DIALOG_CONTROLS.slice(1));
    assert.deepEqual(seen.slice(DIALOG_CONTROLS.length - 1, 2 * DIALOG_CONTROLS.length - 1), DIALOG_CONTROLS);
    // Shift+Tab stays inside too.
    for (let i = 0; i < DIALOG_CONTROLS.length + 1; i++) {
      const { name, layer } = await press(page, "Shift+Tab");
      if (name !== "body") assert.equal(layer, "dialog", `Shift+Tab left the dialog for ${name}`);
    }

    // Space toggles a switch (a native checkbox with role="switch").
    await tabTo(page, "switch:performance");
    assert.equal(await categorySwitch(page, "performance").isChecked(), false);
    await page.keyboard.press("Space");
    assert.equal(await categorySwitch(page, "performance").isChecked(), true);

    // Escape closes the dialog without saving; focus returns to "Preferences".
    await page.keyboard.press("Escape");
    await dialog(page).waitFor({ state: "hidden" });
    assert.equal(await focused(page), "preferences");
    assert.equal(await focusLayer(page), "banner");
    assert.equal(await getRecord(page), null, "Escape saves nothing");
    assert.equal(await banner(page).isVisible(), true, "the banner is still there");

    // Again, and save with the keyboard.
    await page.keyboard.press("Enter");
    await dialog(page).waitFor({ state: "visible" });
    await tabTo(page, "switch:functional");
    await page.keyboard.press("Space");
    await tabTo(page, "save");
    await page.keyboard.press("Enter");
    await dialog(page).waitFor({ state: "hidden" });
    await banner(page).waitFor({ state: "hidden" });
    const record = await getRecord(page);
    assert.deepEqual(record.categories, { essential: true, performance: false, functional: true, marketing: false });
  });
}

it("keyboard: the page's 'Cookie settings' link opens the dialog and gets focus back on Escape", async () => {
  const page = await openUi(env, { layout: "bar" });
  // Decide first, so only the page is left.
  await tabTo(page, "reject-all");
  await page.keyboard.press("Enter");
  await banner(page).waitFor({ state: "hidden" });
  await page.evaluate(() => document.activeElement.blur());
  await page.evaluate(() => document.getElementById("page-first").focus());
  await tabTo(page, "#settings-link");
  await page.keyboard.press("Enter");
  await dialog(page).waitFor({ state: "visible" });
  assert.equal(await focusLayer(page), "dialog");
  // The saved choice shows: every optional switch off.
  assert.equal(await categorySwitch(page, "marketing").isChecked(), false);
  await page.keyboard.press("Escape");
  await dialog(page).waitFor({ state: "hidden" });
  assert.equal(await focused(page), "#settings-link", "focus returns to the link that opened the dialog");

  // Open it again and save a change with the keyboard.
  await page.keyboard.press("Enter");
  await dialog(page).waitFor({ state: "visible" });
  await tabTo(page, "switch:marketing");
  await page.keyboard.press("Space");
  assert.equal(await categorySwitch(page, "marketing").isChecked(), true);
  await tabTo(page, "save");
  await page.keyboard.press("Space");
  await dialog(page).waitFor({ state: "hidden" });
  assert.equal((await getRecord(page)).categories.marketing, true);
  assert.equal(await focused(page), "#settings-link");
});

it("keyboard: the link also works while the banner shows, and focus comes back to it", async () => {
  const page = await openUi(env, { layout: "box" });
  await page.evaluate(() => document.getElementById("page-first").focus());
  await tabTo(page, "#settings-link");
  await page.keyboard.press("Enter");
  await dialog(page).waitFor({ state: "visible" });
  assert.equal(await focusLayer(page), "dialog");
  await page.keyboard.press("Escape");
  await dialog(page).waitFor({ state: "hidden" });
  assert.equal(await focused(page), "#settings-link");
  assert.equal(await banner(page).isVisible(), true);
});

it("keyboard (modal + blockPage): focus starts and stays in the first layer, the page behind is inert, Escape closes only the dialog above it", async () => {
  const page = await openUi(env, { layout: "modal", block: "1" });
  const wall = page.locator('#consent-gate [data-cg="wall"]');
  assert.equal(await wall.evaluate((w) => w.matches(":modal") && w.getAttribute("aria-modal") === "true" && !!w.getAttribute("aria-label")), true);
  assert.equal(await focusLayer(page), "banner", "focus moved into the first layer");
  const seen = new Set();
  for (let i = 0; i < 12; i++) {
    const { name, layer } = await press(page, "Tab");
    if (name === "body") continue;
    assert.equal(layer, "banner", `Tab reached ${name} behind the wall`);
    seen.add(name);
  }
  assert.deepEqual([...seen].sort(), [...BANNER_CONTROLS].sort());
  // The page behind is inert: its link cannot even take focus from script.
  assert.equal(await page.evaluate(() => (document.getElementById("page-link").focus(), document.activeElement.id)), "consent-gate");

  // (Escape on the first layer itself: see the next test.)

  // The preferences dialog opens over it; Escape closes only the dialog.
  await tabTo(page, "preferences");
  await page.keyboard.press("Enter");
  await dialog(page).waitFor({ state: "visible" });
  assert.equal(await focusLayer(page), "dialog");
  await page.keyboard.press("Escape");
  await dialog(page).waitFor({ state: "hidden" });
  assert.equal(await wall.evaluate((w) => w.open), true);
  assert.equal(await focused(page), "preferences");

  // A decision with the keyboard releases the page.
  await tabTo(page, "reject-all");
  await page.keyboard.press("Enter");
  await banner(page).waitFor({ state: "hidden" });
  assert.equal(await wall.evaluate((w) => w.open), false);
  await page.evaluate(() => document.getElementById("page-first").focus());
  assert.equal(await focused(page), "#page-first");
});

// Chromium honours preventDefault() on a dialog's `cancel` event only while the
// page has fresh user activation (the close-watcher anti-abuse rule): the first
// Escape is refused, a second one closes the dialog regardless. Only
// `closedby="none"` on the wall (Chromium 134+, Firefox 141+), plus re-opening
// it on `close` while no decision is recorded (other browsers), keeps it up.
// src/browser/ui.rs does both.

test(
  "keyboard (modal + blockPage): Escape, pressed again and again after keyboard use, never dismisses the first layer",
  { timeout: 45_000 },
  async () => {
    const page = await openUi(env, { layout: "modal", block: "1" });
    const wall = page.locator('#consent-gate [data-cg="wall"]');
    for (let round = 0; round < 3; round++) {
      await page.keyboard.press("Tab");
      await page.keyboard.press("Escape");
      await page.keyboard.press("Escape");
      await sleep(100);
      assert.equal(await wall.evaluate((w) => w.open), true, `round ${round + 1}: Escape dismissed the first layer`);
      assert.equal(await banner(page).isVisible(), true);
      assert.equal(await focusLayer(page), "banner", "focus stays in the first layer");
    }
    assert.equal(await getRecord(page), null, "and nothing was decided");
  }
);

// WCAG 2.2 AA 2.4.11 Focus Not Obscured (Minimum): a page control that takes
// focus must not be entirely hidden behind the (fixed) bar. The browser scrolls
// a focused element into view, but "in view" includes the strip under a fixed
// bar, and nothing can scroll above the top of the page (bar-top over the
// page's header). src/browser/ui.rs sets scroll padding on <html> as tall as
// the bar while it shows, and bar-top puts its spacer above the page.
for (const layout of ["bar", "bar-top"]) {
  test(`keyboard (${layout}): page links that take focus are never entirely hidden behind the bar (WCAG 2.4.11)`, { timeout: 45_000 }, async () => {
    const context = await env.browser.newContext({ baseURL: env.server.url, viewport: { width: 800, height: 500 } });
    try {
      await serveLanguageFallback(context);
      const page = await context.newPage();
      await page.goto(env.url(`/fixtures/ui-long.html?layout=${layout}`));
      await page.evaluate(() => window.ConsentGate.ready);
      await banner(page).waitFor({ state: "visible" });
      const hidden = [];
      for (let i = 0; i < 45; i++) {
        await page.keyboard.press("Tab");
        const r = await page.evaluate(() => {
          const a = document.activeElement;
          if (!a || a === document.body || a.id === "consent-gate") return null;
          const l = a.getBoundingClientRect();
          const b = document.getElementById("consent-gate").shadowRoot.querySelector('[data-cg="banner"]').getBoundingClientRect();
          const covered = l.top >= b.top && l.bottom <= b.bottom && l.left >= b.left && l.right <= b.right;
          return covered ? a.id : null;
        });
        if (r) hidden.push(r);
      }
      assert.deepEqual(hidden, [], "focused page controls entirely hidden behind the bar");
    } finally {
      await context.close();
    }
  });
}

// --- small screens, zoom, reduced motion ---

/**
 * Every control of `layer` can be scrolled into view, lies inside the viewport
 * and is the element actually hit there (not covered); nothing overflows
 * horizontally (the page, the banner, the dialog).
 */
async function assertReachable(page, layer, what) {
  const report = await page.evaluate((layer) => {
    const root = document.getElementById("consent-gate").shadowRoot;
    const scope = root.querySelector(layer === "dialog" ? '[data-cg="dialog"]' : '[data-cg="banner"]');
    const problems = [];
    const doc = document.scrollingElement;
    if (doc.scrollWidth > doc.clientWidth) problems.push(`the page scrolls sideways (${doc.scrollWidth} > ${doc.clientWidth})`);
    for (const box of [scope, ...scope.querySelectorAll(".actions, .text, .body, .head, .foot, .row, table")]) {
      if (box.scrollWidth > box.clientWidth + 1) problems.push(`${box.className || box.tagName} overflows sideways (${box.scrollWidth} > ${box.clientWidth})`);
    }
    const r = scope.getBoundingClientRect();
    if (r.left < -0.5 || r.right > innerWidth + 0.5) problems.push(`the ${layer} is wider than the viewport (${r.left}..${r.right} of ${innerWidth})`);
    const controls = scope.querySelectorAll("button, a[href], input");
    for (const c of controls) {
      c.scrollIntoView({ block: "nearest", inline: "nearest" });
      // A link may wrap over two lines: test its first line box.
      const b = c.tagName === "A" ? c.getClientRects()[0] : c.getBoundingClientRect();
      const name = c.dataset.action || c.dataset.category || c.dataset.service || c.dataset.cg;
      if (b.width < 1 || b.height < 1) problems.push(`${name} has no size`);
      if (b.left < 0 || b.right > innerWidth + 0.5 || b.top < 0 || b.bottom > innerHeight + 0.5)
        problems.push(`${name} is outside the viewport (${Math.round(b.left)},${Math.round(b.top)} ${Math.round(b.width)}×${Math.round(b.height)})`);
      const hit = root.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
      if (hit !== c && !c.contains(hit)) problems.push(`${name} is covered by ${hit && (hit.className || hit.tagName)}`);
    }
    return { problems, controls: controls.length };
  }, layer);
  assert.deepEqual(report.problems, [], `${what}`);
  assert.ok(report.controls >= (layer === "dialog" ? 9 : 4), `${what}: ${report.controls} controls checked`);
}

const SIZES = [
  { name: "320 px wide", options: { viewport: { width: 320, height: 640 } } },
  { name: "200% zoom (1280×800 at 2×: 640×400 CSS px)", options: { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 } },
  { name: "320 px wide and short (256 px, WCAG 1.4.10)", options: { viewport: { width: 320, height: 256 } } },
];

for (const size of SIZES) {
  it(`${size.name}: every banner button and dialog control is reachable; nothing overflows sideways`, async () => {
    const context = await env.browser.newContext({ baseURL: env.server.url, ...size.options });
    try {
      for (const layout of LAYOUTS) {
        for (const lang of ["en", "ar"]) {
          const what = `${size.name}, ${layout.name}, ${lang}`;
          const page = await openUi(env, { ...layout.query, lang }, { context });
          await assertReachable(page, "banner", `${what}, banner`);
          await bannerButton(page, "preferences").click();
          await dialog(page).waitFor({ state: "visible" });
          await assertReachable(page, "dialog", `${what}, dialog`);
          await page.close();
        }
      }
    } finally {
      await context.close();
    }
  });
}

it("prefers-reduced-motion: reduce removes the switches' transition", async () => {
  const page = await openUi(env, { layout: "bar" });
  await bannerButton(page, "preferences").click();
  await dialog(page).waitFor({ state: "visible" });
  const durations = () =>
    categorySwitch(page, "performance").evaluate((s) => [getComputedStyle(s).transitionDuration, getComputedStyle(s, "::before").transitionDuration]);
  await page.emulateMedia({ reducedMotion: "no-preference" });
  const animated = await durations();
  assert.ok(animated.some((d) => d !== "0s"), `the switch animates by default (${animated})`);
  await page.emulateMedia({ reducedMotion: "reduce" });
  assert.deepEqual(await durations(), ["0s", "0s"]);
  // Every element and pseudo-element of the UI, not just the switches.
  const moving = await page.evaluate(() => {
    const out = [];
    for (const e of document.getElementById("consent-gate").shadowRoot.querySelectorAll("*")) {
      for (const pseudo of [null, "::before", "::after"]) {
        const s = getComputedStyle(e, pseudo);
        if (s.transitionDuration.split(",").some((d) => parseFloat(d) > 0) || s.animationName !== "none") out.push(e.tagName + (pseudo || ""));
      }
    }
    return out;
  });
  assert.deepEqual(moving, []);
});

it("no information by colour alone: a switch's state also shows as the knob's position", async () => {
  for (const dir of ["ltr", "rtl"]) {
    const page = await openUi(env, { layout: "bar", lang: dir === "rtl" ? "ar" : "en" });
    await bannerButton(page, "preferences").click();
    await dialog(page).waitFor({ state: "visible" });
    const knob = () =>
      categorySwitch(page, "performance").evaluate((s) => {
        const m = new DOMMatrix(getComputedStyle(s, "::before").transform);
        const r = s.getBoundingClientRect();
        // The knob's left edge relative to the switch, transform included.
        return parseFloat(getComputedStyle(s, "::before").left) + m.m41 - 0 * r.left;
      });
    await page.emulateMedia({ reducedMotion: "reduce" });
    const off = await knob();
    await categorySwitch(page, "performance").press("Space");
    const on = await knob();
    // LTR: "on" is to the right; RTL: to the left (mirrored).
    if (dir === "ltr") assert.ok(on > off + 10, `ltr knob moves right (${off} → ${on})`);
    else assert.ok(on < off - 10, `rtl knob moves left (${off} → ${on})`);
    await page.close();
  }
});

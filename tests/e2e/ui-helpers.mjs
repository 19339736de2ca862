// Helpers for the accessibility, keyboard and layout tests (a11y.test.mjs,
// keyboard.test.mjs) and scripts/screenshots.mjs. They drive
// tests/e2e/fixtures/ui.html, whose config comes from the query string
// (see fixtures/ui-config.js).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createRequire } from "node:module";
import { FIXTURES, PKG, assert, banner, newPage } from "./helpers.mjs";

export const LAYOUTS = [
  { name: "bar", query: { layout: "bar" } },
  { name: "bar-top", query: { layout: "bar-top" } },
  { name: "box", query: { layout: "box" } },
  { name: "modal", query: { layout: "modal" } },
  { name: "modal+blockPage", query: { layout: "modal", block: "1" } },
];

/** The fixture's path for a query object, e.g. `{ layout: "box", theme: "dark", lang: "ar" }`. */
export function uiPath(query = {}, page = "/fixtures/ui.html") {
  const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null));
  const s = q.toString();
  return s ? `${page}?${s}` : page;
}

/**
 * Built-in languages arrive as pkg/lang/<tag>.json. While the package has no
 * such file, answer with the test fixture tests/e2e/fixtures/lang/<tag>.json so
 * the RTL cases really render Arabic (instead of silently falling back to
 * English). A real file in the package always wins.
 */
export async function serveLanguageFallback(context) {
  await context.route(/\/consent-gate\/lang\/([a-z-]+)\.json(\?.*)?$/, async (route) => {
    const tag = /\/lang\/([a-z-]+)\.json/.exec(new URL(route.request().url()).pathname)[1];
    const fixture = join(FIXTURES, "lang", `${tag}.json`);
    if (existsSync(join(PKG, "lang", `${tag}.json`)) || !existsSync(fixture)) return route.continue();
    await route.fulfill({ status: 200, contentType: "application/json; charset=utf-8", body: await readFile(fixture, "utf8") });
  });
}

/** Opens the fixture with `query` in `context` and waits for the banner. */
export async function openUi(env, query, { context = env.context, waitBanner = true } = {}) {
  await serveLanguageFallback(context);
  const page = await newPage(context);
  await page.goto(env.url(uiPath(query)), { waitUntil: "load" });
  await page.evaluate(() => window.ConsentGate.ready);
  if (waitBanner) await banner(page).waitFor({ state: "visible" });
  return page;
}

/** Asserts the host renders `lang` (and `dir="rtl"` for Arabic/Hebrew). */
export async function assertLanguage(page, lang) {
  const host = await page.evaluate(() => {
    const h = document.getElementById("consent-gate");
    return { lang: h.getAttribute("lang"), dir: h.getAttribute("dir") };
  });
  assert.equal(host.lang, lang, "the UI language");
  assert.equal(host.dir, ["ar", "he"].includes(lang) ? "rtl" : null, "the host's dir");
}

/**
 * The focused element, looking through open shadow roots, described as a
 * short stable name: `accept-all`, `policy`, `switch:performance`,
 * `service:ads-pixel`, `close`, `#settings-link`, `body`, …
 */
export async function focused(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    if (!a) return null;
    if (a.dataset.action) return a.dataset.action;
    if (a.dataset.category) return "switch:" + a.dataset.category;
    if (a.dataset.service) return "service:" + a.dataset.service;
    if (a.dataset.cg) return a.dataset.cg;
    if (a.id) return "#" + a.id;
    return a.tagName.toLowerCase();
  });
}

/** Where the focused element is: "banner", "dialog", "wall" (outside the banner) or "page". */
export async function focusLayer(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    if (!a || a.getRootNode() === document) return "page";
    if (a.closest('[data-cg="dialog"]')) return "dialog";
    if (a.closest('[data-cg="banner"]')) return "banner";
    return "wall";
  });
}

const require = createRequire(import.meta.url);
let axeSource;
/** axe-core's minified source (node_modules/axe-core/axe.min.js). */
export async function axeSourceText() {
  axeSource ??= await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  return axeSource;
}

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Runs axe-core on the whole document (it descends into open shadow roots)
 * with every WCAG 2.0/2.1/2.2 A and AA rule. Returns the violations and, per
 * rule, how many checked nodes lie inside `#consent-gate`.
 */
export async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ content: await axeSourceText() });
  }
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations", "incomplete", "passes"],
    });
    const inGate = (node) => Array.isArray(node.target[0]) && node.target[0][0] === "#consent-gate";
    const summary = (list) =>
      list.map((r) => ({
        id: r.id,
        impact: r.impact,
        help: r.help,
        nodes: r.nodes.map((n) => ({ target: n.target, inGate: inGate(n), summary: n.failureSummary, html: n.html.slice(0, 200) })),
      }));
    const gatePasses = {};
    for (const r of result.passes) {
      const n = r.nodes.filter(inGate).map((n) => n.target);
      if (n.length) gatePasses[r.id] = n;
    }
    return {
      violations: summary(result.violations),
      incomplete: summary(result.incomplete),
      gatePasses,
    };
  }, WCAG_TAGS);
}

/** A readable list of violations for an assertion message. */
export function describeViolations(violations) {
  return violations
    .map((v) => `  ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)}\n      ${n.summary?.replace(/\n/g, "\n      ")}`).join("\n")}`)
    .join("\n");
}

/**
 * Our own WCAG contrast check of every visible text in the UI (1.4.3) and of
 * every enabled switch against what is behind it (1.4.11). It complements axe,
 * which skips short right-to-left strings: its icon-ligature heuristic takes
 * Arabic shaping for an icon font, so it never measures Arabic buttons or
 * headings. Returns `{ texts: [{ what, ratio, need }], switches: [...] }`.
 */
export async function measureContrast(page, layer) {
  return page.evaluate((layer) => {
    const parse = (c) => {
      const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(c);
      if (!m) throw new Error("cannot read the colour " + c);
      return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    };
    const over = (top, below) => {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat(1);
    };
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const parentOf = (e) => e.parentElement || (e.getRootNode() instanceof ShadowRoot ? e.getRootNode().host : null);
    // The colour behind `e`: its own and its ancestors' backgrounds, composited.
    const behind = (e) => {
      const layers = [];
      for (let x = e; x; x = parentOf(x)) {
        const c = parse(getComputedStyle(x).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] === 1) break;
      }
      let color = [255, 255, 255, 1];
      for (const l of layers.reverse()) color = over(l, color);
      return color;
    };
    const root = document.getElementById("consent-gate").shadowRoot;
    const scope = root.querySelector(layer === "dialog" ? '[data-cg="dialog"]' : '[data-cg="banner"]');
    const name = (e) => e.dataset.action || e.id || e.className || e.tagName.toLowerCase();
    const texts = [];
    for (const e of [scope, ...scope.querySelectorAll("*")]) {
      const hasText = [...e.childNodes].some((n) => n.nodeType === 3 && n.nodeValue.trim());
      if (!hasText || !e.checkVisibility({ visibilityProperty: true })) continue;
      const s = getComputedStyle(e);
      const size = parseFloat(s.fontSize);
      const bold = parseInt(s.fontWeight, 10) >= 700;
      const large = size >= 24 || (bold && size >= 18.66);
      const fg = parse(s.color);
      texts.push({ what: name(e), ratio: +ratio(over(fg, behind(e)), behind(e)).toFixed(2), need: large ? 3 : 4.5 });
    }
    const switches = [];
    for (const input of scope.querySelectorAll('input[role="switch"]:not(:disabled)')) {
      const s = getComputedStyle(input);
      const around = behind(parentOf(input));
      // The visible boundary of the switch: its border (or, when filled, its fill).
      const edge = input.checked ? over(parse(s.backgroundColor), around) : over(parse(s.borderTopColor), around);
      switches.push({ what: `${name(input)}${input.checked ? " (on)" : " (off)"}`, ratio: +ratio(edge, around).toFixed(2), need: 3 });
    }
    return { texts, switches };
  }, layer);
}

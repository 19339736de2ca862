// README "Cookie declaration": <div data-consent-gate="declaration"> is filled,
// in the page's own DOM, with one <section data-category> per category (h3
// label, status, description, a table of the category's and its services'
// cookies) and a "Change cookie settings" button; it re-renders on every decision.
// The demo's privacy.html uses it with the config of custom.html (www/config/lumen.json).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  assert,
  assertNoErrors,
  call,
  dialog,
  it,
  sleep,
  useBrowser,
  waitReady,
  QUIET_MS,
  WWW,
} from "./helpers.mjs";

const env = useBrowser();
const ORDER = ["essential", "performance", "functional", "marketing"];
const lumen = async () => JSON.parse(await readFile(join(WWW, "config", "lumen.json"), "utf8"));

/** The rendered declaration as data: per section, its texts and table rows. */
async function declaration(page, selector = '[data-consent-gate="declaration"]') {
  return page.evaluate((selector) => {
    const host = document.querySelector(selector);
    const text = (el) => (el ? el.textContent.trim() : null);
    return {
      decided: host.getAttribute("data-decided"),
      inShadow: host.getRootNode() !== document,
      children: [...host.children].map((c) => c.tagName.toLowerCase() + (c.dataset.category ? `:${c.dataset.category}` : "")),
      sections: [...host.querySelectorAll(":scope > section")].map((s) => {
        const status = s.querySelector(':scope > [data-cg="status"]');
        const paragraphs = [...s.querySelectorAll(":scope > p:not([data-cg])")];
        const table = s.querySelector(':scope > table[data-cg="cookies"]');
        return {
          category: s.dataset.category,
          label: text(s.querySelector(":scope > h3")),
          status: status && { tag: status.tagName.toLowerCase(), text: text(status), granted: status.dataset.granted },
          description: text(paragraphs[0]),
          head: table ? [...table.querySelectorAll("thead th")].map(text) : null,
          rows: table ? [...table.querySelectorAll("tbody tr")].map((tr) => [...tr.cells].map(text)) : [],
        };
      }),
      button: (() => {
        const b = host.querySelector(':scope > button[data-consent-gate="preferences"]');
        return b && text(b);
      })(),
    };
  }, selector);
}

/** What each section's table must list, from a config: [name, provider, purpose, duration, (service)]. */
function expectedRows(config, category) {
  const c = config.categories[category] || {};
  const services = Object.values(c.services || {});
  const row = (k, service) => {
    const cells = [k.name, k.provider || "", k.purpose || "", k.duration || ""];
    return services.length ? [...cells, service] : cells;
  };
  return [...(c.cookies || []).map((k) => row(k, "")), ...services.flatMap((s) => (s.cookies || []).map((k) => row(k, s.label)))];
}

const statuses = async (page) =>
  Object.fromEntries((await declaration(page)).sections.map((s) => [s.category, s.status.granted]));

it("privacy.html: every category, label, description and configured cookie of the shared config is declared", async () => {
  const config = await lumen();
  const page = await env.open("/privacy.html");
  await waitReady(page);
  const d = await declaration(page);
  assert.equal(d.inShadow, false, "rendered in the page's own DOM");
  assert.deepEqual(d.children, [...ORDER.map((c) => `section:${c}`), "button"], "four sections, then the button; the placeholder is gone");
  for (const s of d.sections) {
    const c = config.categories[s.category];
    assert.equal(s.label, c.label, `${s.category}: label`);
    assert.equal(s.description, c.description, `${s.category}: description`);
    const hasServices = Object.keys(c.services || {}).length > 0;
    assert.deepEqual(
      s.head,
      ["Name", "Provider", "Purpose", "Duration", ...(hasServices ? ["Services"] : [])],
      `${s.category}: columns (a Services column only where the category has services)`
    );
    assert.deepEqual(s.rows, expectedRows(config, s.category), `${s.category}: one row per configured cookie`);
  }
  const names = d.sections.flatMap((s) => s.rows.map((r) => r[0])).sort();
  assert.deepEqual(names, ["_fbp", "_ga", "_ga_*", "_gid", "consent_gate", "lumen_prefs", "lumen_session"]);
  assert.equal(d.button, "Change cookie settings");
  assertNoErrors(page);
});

it("privacy.html uses the same configuration as custom.html (config/lumen.json = custom.html's inline block)", async () => {
  const html = await readFile(join(WWW, "custom.html"), "utf8");
  const inline = /<script type="application\/json" id="consent-gate-config">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(inline, "custom.html has an inline config block");
  assert.deepEqual(await lumen(), JSON.parse(inline[1]));
  const privacy = await readFile(join(WWW, "privacy.html"), "utf8");
  assert.match(privacy, /<script src="\/consent-gate\/consent-gate.js" data-config="\/config\/lumen.json"><\/script>/);
});

it("the status reflects the current choice and re-renders on every decision", async () => {
  const page = await env.open("/privacy.html");
  await waitReady(page);
  let d = await declaration(page);
  assert.equal(d.decided, "false");
  assert.deepEqual(
    d.sections.map((s) => [s.category, s.status]),
    [
      ["essential", { tag: "p", text: "Allowed", granted: "true" }],
      ["performance", { tag: "p", text: "Not allowed", granted: "false" }],
      ["functional", { tag: "p", text: "Not allowed", granted: "false" }],
      ["marketing", { tag: "p", text: "Not allowed", granted: "false" }],
    ]
  );

  await call(page, "set", { performance: true });
  d = await declaration(page);
  assert.equal(d.decided, "true");
  assert.deepEqual(await statuses(page), { essential: "true", performance: "true", functional: "false", marketing: "false" });
  assert.equal(d.sections[1].status.text, "Allowed");

  await call(page, "acceptAll");
  assert.deepEqual(await statuses(page), { essential: "true", performance: "true", functional: "true", marketing: "true" });

  // A withdrawal reloads the page; the new page renders the stored choice.
  await page.evaluate(() => setTimeout(() => window.ConsentGate.set({ marketing: false })));
  await page.waitForFunction(() => performance.getEntriesByType("navigation")[0].type === "reload");
  await waitReady(page);
  assert.deepEqual(await statuses(page), { essential: "true", performance: "true", functional: "true", marketing: "false" });
  assert.equal((await declaration(page)).sections[3].status.text, "Not allowed");
});

it("a choice made on custom.html shows on privacy.html (same config, same revision)", async () => {
  const custom = await env.open("/custom.html");
  await waitReady(custom);
  await call(custom, "set", { functional: true });
  const page = await env.open("/privacy.html");
  await waitReady(page);
  assert.deepEqual(await statuses(page), { essential: "true", performance: "false", functional: "true", marketing: "false" });
  assert.equal(await page.locator('#consent-gate [data-cg="banner"]').isVisible(), false);
});

it("the declaration's button opens the preferences dialog, and saving there re-renders the declaration", async () => {
  const page = await env.open("/privacy.html");
  await waitReady(page);
  await page.locator('[data-consent-gate="declaration"] > button').click();
  await dialog(page).waitFor();
  await dialog(page).locator('input[role="switch"][data-category="marketing"]').check();
  await dialog(page).locator('[data-action="save"]').click();
  await dialog(page).waitFor({ state: "hidden" });
  assert.equal((await statuses(page)).marketing, "true");
});

it("the page's styles apply to the declaration (light DOM)", async () => {
  const page = await env.open("/privacy.html");
  await waitReady(page);
  const style = await page.evaluate(() => {
    const table = document.querySelector('[data-consent-gate="declaration"] table');
    const th = table.querySelector("th");
    return { collapse: getComputedStyle(table).borderCollapse, transform: getComputedStyle(th).textTransform };
  });
  assert.deepEqual(style, { collapse: "collapse", transform: "uppercase" }, "site.css table rules reach it");
});

it("a decision in another tab re-renders the declaration", async () => {
  const page = await env.open("/privacy.html");
  const other = await env.open("/privacy.html");
  await waitReady(page);
  await waitReady(other);
  await call(other, "set", { performance: true });
  await page.waitForFunction(
    () => document.querySelector('[data-consent-gate="declaration"] [data-category="performance"] [data-cg="status"]').dataset.granted === "true"
  );
});

it("services-free categories have no Services column; config texts are rendered as text, never as markup; every placeholder is filled", async () => {
  const config = {
    categories: {
      functional: {
        label: '<img src="x" onerror="window.__xss=1">Functional',
        description: "<b>not bold</b>",
        cookies: [{ name: "fx_prefs", provider: "<i>Fixture</i>", purpose: "Display", duration: "1 year" }],
      },
    },
  };
  const page = await env.open("/fixtures/integrations.html?config=" + encodeURIComponent(JSON.stringify(config)));
  await waitReady(page);
  await sleep(QUIET_MS);
  const d = await declaration(page);
  const functional = d.sections.find((s) => s.category === "functional");
  assert.equal(functional.label, '<img src="x" onerror="window.__xss=1">Functional');
  assert.equal(functional.description, "<b>not bold</b>");
  assert.deepEqual(functional.head, ["Name", "Provider", "Purpose", "Duration"]);
  assert.deepEqual(functional.rows, [["fx_prefs", "<i>Fixture</i>", "Display", "1 year"]]);
  assert.equal(await page.evaluate(() => document.querySelectorAll('[data-consent-gate="declaration"] img, [data-consent-gate="declaration"] b').length), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  // Default categories without a configured cookie get no table.
  const marketing = d.sections.find((s) => s.category === "marketing");
  assert.equal(marketing.head, null);
  assert.equal(marketing.label, "Marketing");

  // Two placeholders on one page: both are filled.
  await page.evaluate(() => {
    const extra = document.createElement("div");
    extra.id = "second";
    extra.setAttribute("data-consent-gate", "declaration");
    document.body.append(extra);
  });
  await call(page, "rejectAll");
  const second = await declaration(page, "#second");
  assert.deepEqual(second.sections.map((s) => s.category), ORDER);
  assert.equal(second.decided, "true");
});

// Contract section 3, placeholders: a gated iframe whose category is not
// granted is covered by a placeholder of the same size naming what it holds,
// in the visitor's language, reachable by keyboard; "Load once" loads that one
// element and stores nothing; "Always allow" is a decision of the visitor
// (cookie, events, Consent Mode, consent log, other elements activate);
// data-placeholder="off" hides the element until it loads.
import {
  assert,
  bannerShown,
  call,
  cookie,
  errors,
  getRecord,
  it,
  QUIET_MS,
  ran,
  sleep,
  useBrowser,
  waitReady,
} from "./helpers.mjs";
import { describeViolations, runAxe } from "./ui-helpers.mjs";

const env = useBrowser();

const HOST = "consent-gate-placeholder";

/** Every placeholder on the page: its element's id, texts, buttons and both boxes. */
function placeholders(page) {
  return page.evaluate((HOST) => {
    const box = (e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    };
    return [...document.querySelectorAll(HOST)].map((host) => {
      const e = host.nextElementSibling;
      const root = host.shadowRoot;
      return {
        for: e.id,
        lang: host.getAttribute("lang"),
        texts: [...root.querySelectorAll("p")].map((p) => p.textContent),
        buttons: [...root.querySelectorAll("button")].map((b) => b.textContent),
        label: root.querySelector("[role=group]").getAttribute("aria-label"),
        host: box(host),
        element: box(e),
        visibility: getComputedStyle(e).visibility,
      };
    });
  }, HOST);
}

const near = (a, b) => Math.abs(a.x - b.x) < 1 && Math.abs(a.y - b.y) < 1 && Math.abs(a.w - b.w) < 1 && Math.abs(a.h - b.h) < 1;

async function waitPlaceholders(page, n) {
  await page.waitForFunction(([HOST, n]) => document.querySelectorAll(HOST).length === n, [HOST, n]);
  return placeholders(page);
}

/** Clicks a placeholder's button (`load-once` or `always-allow`). */
function press(page, id, action) {
  return page.locator(`${HOST}:has(+ #${id}) button[data-action="${action}"]`).click();
}

it("each ungranted embed gets a same-size placeholder naming the service label or the host; off hides the element", async () => {
  const page = await env.open("/fixtures/placeholders.html");
  await bannerShown(page);
  const list = await waitPlaceholders(page, 3);
  assert.deepEqual(
    list.map((p) => [p.for, p.texts[1], p.buttons]),
    [
      ["video", "Demo Video", ["Load once", "Always allow"]],
      ["map", "127.0.0.1", ["Load once", "Always allow"]],
      ["other", "127.0.0.1", ["Load once", "Always allow"]],
    ]
  );
  for (const p of list) {
    assert.ok(near(p.host, p.element), `${p.for}: the placeholder covers its element exactly: ${JSON.stringify(p)}`);
    assert.equal(p.visibility, "hidden", `${p.for}: the element itself is not shown`);
    assert.equal(p.texts[0], "This content is blocked");
    assert.equal(p.label, "This content is blocked: " + p.texts[1]);
  }
  const hidden = await page.evaluate(() => getComputedStyle(document.getElementById("hidden")).display);
  assert.equal(hidden, "none", 'data-placeholder="off": not displayed');
  assert.deepEqual(env.requested("/fixtures/frame.html"), [], "no embed was loaded");
  assert.deepEqual(errors(page), []);
});

it("the placeholder keeps its element's box on resize, and nothing moves when it loads", async () => {
  const page = await env.open("/fixtures/placeholders.html");
  await waitPlaceholders(page, 3);
  await page.setViewportSize({ width: 600, height: 700 });
  await page.waitForFunction(
    (HOST) => {
      const host = document.querySelector(HOST);
      const a = host.getBoundingClientRect();
      const b = host.nextElementSibling.getBoundingClientRect();
      return Math.abs(a.width - b.width) < 1 && b.width < 600;
    },
    HOST
  );
  const [video] = await placeholders(page);
  assert.ok(near(video.host, video.element), `after resizing: ${JSON.stringify(video)}`);
  const after = await page.evaluate(() => document.getElementById("after").getBoundingClientRect().y);
  await press(page, "video", "load-once");
  await page.waitForFunction(() => document.getElementById("video").getAttribute("src"));
  const loaded = await page.evaluate(() => {
    const r = document.getElementById("video").getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height, after: document.getElementById("after").getBoundingClientRect().y };
  });
  assert.ok(near(loaded, video.element), "the loaded frame has the placeholder's box");
  assert.equal(loaded.after, after, "the content after it did not move");
});

it("Load once loads that element only and stores nothing", async () => {
  const page = await env.open("/fixtures/placeholders.html");
  await waitPlaceholders(page, 3);
  await press(page, "map", "load-once");
  await page.waitForFunction(() => document.getElementById("map").contentDocument?.body?.textContent.includes("embedded"));
  const list = await waitPlaceholders(page, 2);
  assert.deepEqual(list.map((p) => p.for), ["video", "other"]);
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById("map")).visibility), "visible");
  assert.equal(await getRecord(page), null, "no decision");
  assert.equal(await cookie(env.context), undefined, "no cookie");
  assert.deepEqual(env.requested("/fixtures/frame.html"), ["/fixtures/frame.html?name=map"]);
  assert.deepEqual(env.server.logs, [], "nothing sent to the consent log");
});

it("Always allow is a decision: cookie, events, Consent Mode, consent log, and every element it covers loads", async () => {
  const page = await env.open("/fixtures/placeholders.html");
  await waitPlaceholders(page, 3);
  await page.evaluate(() => {
    window.__events = [];
    window.ConsentGate.on("consent", (r) => window.__events.push(["consent", r.services.video]));
    window.addEventListener("consentgate:change", (e) => window.__events.push(["change", e.detail.categories.marketing]));
  });
  await press(page, "video", "always-allow");
  const list = await waitPlaceholders(page, 1);
  assert.deepEqual(list.map((p) => p.for), ["map"], "functional stays covered");
  const record = await getRecord(page);
  assert.equal(record.services.video, true);
  assert.equal(record.categories.marketing, true);
  assert.equal(record.categories.functional, false);
  assert.ok(await cookie(env.context), "the consent cookie is set");
  assert.deepEqual(await page.evaluate(() => window.__events), [["consent", true], ["change", true]]);
  const update = await page.evaluate(() =>
    window.dataLayer.map((a) => [...a]).find((a) => a[0] === "consent" && a[1] === "update")
  );
  assert.equal(update[2].ad_storage, "granted");
  await page.waitForFunction(() => ["video", "other", "hidden"].every((id) => document.getElementById(id).getAttribute("src")));
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById("hidden")).display), "inline");
  for (let i = 0; i < 40 && env.server.logs.length < 1; i++) await sleep(50);
  assert.equal(env.server.logs.length, 1, "one consent-log entry");
  assert.equal(await page.locator('#consent-gate [data-cg="banner"]').isVisible(), false, "the banner closed");
});

it("keyboard: Tab reaches the buttons with a visible focus, Enter loads", async () => {
  const page = await env.open("/fixtures/placeholders.html");
  await waitPlaceholders(page, 3);
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press("Tab");
  const focus = await page.evaluate((HOST) => {
    const host = document.activeElement;
    const b = host?.shadowRoot?.activeElement;
    if (host?.localName !== HOST || !b) return null;
    const style = getComputedStyle(b);
    return { for: host.nextElementSibling.id, action: b.dataset.action, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  }, HOST);
  assert.deepEqual(focus && [focus.for, focus.action], ["video", "load-once"], JSON.stringify(focus));
  assert.notEqual(focus.outline, "none", "visible focus");
  assert.ok(focus.width >= 2, "a 2px or thicker outline");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.dataset.action), "always-allow");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("video").getAttribute("src"));
  assert.equal(await getRecord(page), null);
});

it("axe finds no violation on a page with placeholders, and checks their buttons", async () => {
  const page = await env.open("/fixtures/placeholders.html");
  await waitPlaceholders(page, 3);
  await call(page, "hide");
  const { violations } = await runAxe(page);
  assert.deepEqual(violations.map((v) => v.id), [], describeViolations(violations));
  const checked = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "rule", values: ["button-name", "color-contrast"] } });
    return r.passes.flatMap((p) => p.nodes.map((n) => [p.id, n.target[0]])).filter(([, t]) => Array.isArray(t) && t[0].startsWith("consent-gate-placeholder"));
  });
  assert.ok(checked.filter(([id]) => id === "button-name").length >= 6, `axe checked the placeholders' buttons: ${JSON.stringify(checked)}`);
  assert.ok(checked.filter(([id]) => id === "color-contrast").length >= 6, "and their contrast");
});

it("in the visitor's language (German)", async () => {
  await env.context.addInitScript(() => {
    window.__configExtra = { language: "de" };
  });
  const page = await env.open("/fixtures/placeholders.html");
  const [first] = await waitPlaceholders(page, 3);
  assert.equal(first.lang, "de");
  assert.deepEqual(first.texts.slice(0, 2), ["Dieser Inhalt ist blockiert", "Demo Video"]);
  assert.deepEqual(first.buttons, ["Einmal laden", "Immer erlauben"]);
});

it("embeds inserted later get placeholders too", async () => {
  const page = await env.open("/fixtures/placeholders.html");
  await waitPlaceholders(page, 3);
  await page.evaluate(() => {
    const f = document.createElement("iframe");
    f.id = "late";
    f.title = "Late";
    f.setAttribute("data-category", "marketing");
    f.setAttribute("data-src", "https://embed.example/late");
    document.querySelector("main").append(f);
  });
  const list = await waitPlaceholders(page, 4);
  assert.deepEqual(list.at(-1).texts[1], "embed.example");
});

it("a returning visitor who refused marketing gets the banner module and the placeholders; one who allowed all downloads neither", async () => {
  let page = await env.open("/fixtures/placeholders.html");
  await waitReady(page);
  await call(page, "rejectAll");
  await page.close();
  env.server.requests.length = 0;
  page = await env.open("/fixtures/placeholders.html");
  await waitPlaceholders(page, 3);
  assert.equal(await page.locator('#consent-gate [data-cg="banner"]').isVisible(), false, "no banner");
  assert.equal(env.requested("/consent-gate/consent-gate-placeholders.js").length, 1);
  await call(page, "acceptAll");
  await waitPlaceholders(page, 0);
  await page.close();
  env.server.requests.length = 0;
  page = await env.open("/fixtures/placeholders.html");
  await waitReady(page);
  await page.waitForFunction(() => document.getElementById("video").getAttribute("src"));
  await sleep(QUIET_MS);
  assert.deepEqual(env.requested("/consent-gate/consent-gate-ui"), [], "no banner module");
  assert.deepEqual(env.requested("/consent-gate/consent-gate-placeholders.js"), []);
});

it("a page without embeds never downloads the placeholders", async () => {
  const page = await env.open("/fixtures/order.html");
  await bannerShown(page);
  await sleep(QUIET_MS);
  assert.deepEqual(env.requested("/consent-gate/consent-gate-placeholders.js"), []);
});

it("renders under a strict CSP (no inline style) with no violation", async () => {
  const page = await env.open("/fixtures/placeholders-csp.html");
  await waitPlaceholders(page, 1);
  const [p] = await placeholders(page);
  assert.ok(near(p.host, p.element));
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
});

it("the demo page (placeholders.html): three placeholders, a hidden frame, and Always allow loads the videos", async () => {
  const page = await env.open("/placeholders.html");
  const list = await waitPlaceholders(page, 3);
  assert.deepEqual(list.map((p) => p.texts[1]), ["Lumen Video", "127.0.0.1", "City Maps"]);
  await page.locator(`${HOST} button[data-action="always-allow"]`).first().click();
  await waitPlaceholders(page, 1);
  assert.deepEqual(errors(page), []);
});

it("a gated script with data-placeholder gets an in-flow placeholder; Load once runs it once", async () => {
  const page = await env.open("/fixtures/placeholders-script.html");
  await waitPlaceholders(page, 1);
  const mode = await page.evaluate((HOST) => document.querySelector(HOST).getAttribute("data-mode"), HOST);
  assert.equal(mode, "flow");
  assert.deepEqual(await ran(page), []);
  await page.locator(`${HOST} button[data-action="load-once"]`).click();
  await page.waitForFunction(() => (window.__consentGateDemoRan || []).includes("widget"));
  await waitPlaceholders(page, 0);
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), ["widget"]);
  assert.equal(await getRecord(page), null);
});

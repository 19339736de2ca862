// Contract section 3: gated scripts, iframes and images run/load only once
// granted, in document order, exactly once, keeping their attributes; elements
// inserted later are gated the same way.
import {
  assert,
  call,
  bannerShown,
  getRecord,
  it,
  ran,
  sleep,
  useBrowser,
  waitRan,
  waitReady,
  QUIET_MS,
} from "./helpers.mjs";

const env = useBrowser();
const ALL_IN_ORDER = ["e1", "p1", "m-inline", "p-inline", "f1", "p2", "m2", "p-inline-2"];

it("essential gated scripts run at once; the rest wait for a decision", async () => {
  const page = await env.open("/fixtures/order.html");
  await bannerShown(page);
  assert.deepEqual(await waitRan(page, 1), ["e1"]);
  assert.deepEqual(
    env.requested("/fixtures/push.js").filter((u) => !u.includes("name=e1")),
    [],
    "no other gated file was fetched"
  );
});

it("accept all runs every gated script in document order (a slow external script is waited for), exactly once", async () => {
  const page = await env.open("/fixtures/order.html");
  await waitReady(page);
  await call(page, "acceptAll");
  assert.deepEqual(await waitRan(page, ALL_IN_ORDER.length), ALL_IN_ORDER);
  await call(page, "acceptAll");
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), ALL_IN_ORDER, "accepting again runs nothing twice");
});

it("grants one at a time: each grant runs its scripts in document order; toggling never runs a script twice", async () => {
  const page = await env.open("/fixtures/order.html");
  await waitReady(page);
  await call(page, "set", { performance: true });
  assert.deepEqual(await waitRan(page, 5), ["e1", "p1", "p-inline", "p2", "p-inline-2"]);

  await call(page, "set", { marketing: true });
  assert.deepEqual(await waitRan(page, 7), ["e1", "p1", "p-inline", "p2", "p-inline-2", "m-inline", "m2"]);

  await call(page, "acceptAll");
  const all = ["e1", "p1", "p-inline", "p2", "p-inline-2", "m-inline", "m2", "f1"];
  assert.deepEqual(await waitRan(page, 8), all);

  // The fixture sets reloadOnWithdraw: false, so withdrawing stays on this page.
  await call(page, "set", { performance: false });
  assert.equal((await getRecord(page)).categories.performance, false);
  await call(page, "set", { performance: true });
  assert.equal((await getRecord(page)).categories.performance, true);
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), all, "re-granting does not run anything again");
});

it("scripts inserted later are gated: not run before consent, run on consent, and at once after it", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await page.evaluate(() => {
    const inline = document.createElement("script");
    inline.type = "text/plain";
    inline.setAttribute("data-category", "performance");
    inline.textContent = '(window.__consentGateDemoRan = window.__consentGateDemoRan || []).push("late-inline");';
    document.body.appendChild(inline);
    const external = document.createElement("script");
    external.type = "text/plain";
    external.setAttribute("data-category", "performance");
    external.src = "/fixtures/push.js?name=late-external";
    document.body.appendChild(external);
  });
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), [], "inserted gated scripts wait");
  assert.deepEqual(env.requested("/fixtures/push.js"), [], "and are not fetched");

  await call(page, "acceptAll");
  assert.deepEqual(await waitRan(page, 4), ["analytics", "marketing", "late-inline", "late-external"]);

  // After consent: a tag manager adds another one, it runs at once.
  await page.evaluate(() => {
    const div = document.createElement("div");
    div.innerHTML = "<p>widget</p>";
    const script = document.createElement("script");
    script.type = "text/plain";
    script.setAttribute("data-category", "marketing");
    script.src = "/fixtures/push.js?name=after-consent";
    div.appendChild(script);
    document.body.appendChild(div);
  });
  assert.deepEqual(await waitRan(page, 5), ["analytics", "marketing", "late-inline", "late-external", "after-consent"]);
});

it("scripts inserted later for a refused category stay inert", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await call(page, "set", { performance: true, marketing: false });
  await waitRan(page, 1);
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.type = "text/plain";
    script.setAttribute("data-category", "marketing");
    script.textContent = '(window.__consentGateDemoRan = window.__consentGateDemoRan || []).push("late-marketing");';
    document.head.appendChild(script);
  });
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), ["analytics"]);
});

it("a gated iframe loads only once its category is granted", async () => {
  const page = await env.open("/course.html");
  await waitReady(page);
  const frame = page.locator("iframe[data-category]");
  const placeholder = page.locator("[data-video-placeholder]");
  assert.equal(await frame.getAttribute("src"), null, "no src before consent");
  assert.equal(await placeholder.isVisible(), true, "the placeholder explains why");

  await call(page, "rejectAll");
  await sleep(QUIET_MS);
  assert.equal(await frame.getAttribute("src"), null, "still no src after reject all");
  assert.deepEqual(env.requested("/embed/"), [], "the embed was never requested");

  await call(page, "set", { marketing: true });
  await page.waitForFunction(() => document.querySelector('iframe[title^="Lesson 1"]')?.getAttribute("src"));
  await page.frameLocator('iframe[title^="Lesson 1"]').locator('body[data-player="ready"]').waitFor();
  assert.ok(env.requested("/embed/video.html").length >= 1, "the embed was loaded");
  await placeholder.waitFor({ state: "hidden" });
});

it("the placeholder's button on the course page opens the preferences dialog", async () => {
  const page = await env.open("/course.html");
  await waitReady(page);
  await page.locator("[data-video-placeholder] button").click();
  await page.locator('#consent-gate [data-cg="dialog"]').waitFor();
});

it("a gated img loads its data-src only once its category is granted", async () => {
  const page = await env.open("/fixtures/media.html");
  await waitReady(page);
  await sleep(QUIET_MS);
  assert.deepEqual(env.requested("/fixtures/pixel.svg"), [], "no image request before consent");
  assert.deepEqual(env.requested("/fixtures/blank.html"), [], "no frame request before consent");
  assert.equal(await page.locator("#pixel").evaluate((img) => img.naturalWidth), 0);

  await call(page, "set", { marketing: true });
  await page.waitForFunction(() => {
    const img = document.querySelector("img#pixel, img[data-src$='name=img'], img[src$='name=img']");
    return img && img.complete && img.naturalWidth > 0;
  });
  await page.waitForFunction(() => !!document.querySelector("iframe[src$='name=frame']"));
  await sleep(QUIET_MS);
  assert.deepEqual(env.requested("/fixtures/pixel.svg"), ["/fixtures/pixel.svg?name=img"], "the functional image still waits");
});

it("activated scripts keep their attributes (data-*, nonce, async, crossorigin); data-type=module runs as a module", async () => {
  const page = await env.open("/fixtures/attrs.html");
  await waitReady(page);
  await call(page, "set", { performance: true });
  const names = await waitRan(page, 3);
  assert.deepEqual([...names].sort(), ["attrs", "inline-module", "module"]);
  const attrs = await page.evaluate(() => window.__attrs);
  assert.equal(attrs.dataX, "42", "data-x kept");
  assert.equal(attrs.nonce, "n0nce-value", "nonce kept");
  assert.equal(attrs.async, true, "async kept");
  assert.equal(attrs.crossorigin, "anonymous", "crossorigin kept");
  assert.equal(attrs.referrerpolicy, "no-referrer", "referrerpolicy kept");
  assert.notEqual(attrs.type, "text/plain", "the type is no longer text/plain");
  assert.match(await page.evaluate(() => window.__moduleUrl), /\/fixtures\/push\.mjs\?name=module$/);
  assert.ok(await page.evaluate(() => window.__inlineModuleUrl), "the inline module saw import.meta");
  const modules = await page.evaluate(() =>
    [...document.querySelectorAll('script[type="module"]')].map((s) => s.getAttribute("data-x"))
  );
  assert.deepEqual(modules.sort(), ["inline-mod", "mod"], "both activated elements are type=module and kept data-x");
});

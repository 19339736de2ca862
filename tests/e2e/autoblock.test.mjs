// Contract section 3, automatic blocking: with `"autoBlock": true` (or hosts in
// `blockHosts`), scripts, iframes and images of listed hosts are held until
// their category is granted: not run when in the HTML after the loader, neither
// fetched nor run when inserted later by script; once granted they run once,
// in document order. Tracker hosts never reach the network: a route answers
// them with small stubs that record that they ran.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assert, call, errors, getRecord, it, QUIET_MS, ran, REPO, sleep, useBrowser, waitReady } from "./helpers.mjs";
import { readmeTable, trackers } from "../../scripts/trackers.mjs";

const env = useBrowser();

const LOCAL = "127.0.0.1";

/**
 * Answers every request to a non-local host with a stub: a script that
 * records `?name=` in `window.__consentGateDemoRan`, a frame that posts
 * "frame:<name>" to its parent, or an image. Returns every such URL requested.
 */
async function trackerRoutes(context = env.context) {
  const requested = [];
  await context.route(
    (url) => url.hostname !== LOCAL,
    (route) => {
      const url = new URL(route.request().url());
      requested.push(url.href);
      const name = url.searchParams.get("name") || "unknown";
      const type = route.request().resourceType();
      if (type === "document")
        return route.fulfill({
          contentType: "text/html",
          body: `<!doctype html><title>stub</title><script>parent.postMessage(${JSON.stringify("frame:" + name)}, "*")</script>`,
        });
      if (type === "image")
        return route.fulfill({
          contentType: "image/svg+xml",
          body: '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>',
        });
      return route.fulfill({
        contentType: "text/javascript",
        body: `(window.__consentGateDemoRan = window.__consentGateDemoRan || []).push(${JSON.stringify(name)});`,
      });
    }
  );
  return requested;
}

const frames = (page) => page.evaluate(() => (window.__frames || []).slice());

/**
 * The names of the frames that loaded after consent (the page had `before`
 * reports until then), once every name in `expected` is among them (or after
 * 10 s). Each frame's stub posts its name. One case is counted without it:
 * under Playwright's request interception, a frame whose earlier navigation
 * was cut short (the parser's, before the frame was held) now and then ends on
 * Chrome's error page when it is given its src after consent; its request
 * never reaches the route (seen in about 1 run of the file in 15, with the
 * frame's `src` right). Such a frame counts by the name in its element's `src`,
 * which is all the page can do; a frame still held (no src, about:blank) never counts.
 */
async function framesAfter(page, before, expected) {
  let names = [];
  for (let i = 0; i < 100; i++) {
    names = (await frames(page)).slice(before);
    for (const frame of page.frames()) {
      if (!frame.url().startsWith("chrome-error:")) continue;
      const src = await (await frame.frameElement()).getAttribute("src");
      const name = src && new URL(src).searchParams.get("name");
      if (name && !names.includes(name)) names.push(name);
    }
    if (expected.every((name) => names.includes(name))) break;
    await sleep(100);
  }
  return names;
}
/**
 * Whether frame `id` is held: no `src`, and nothing of the tracker loaded in it.
 * A frame of the HTML is held by the loader's observer, which the parser tells
 * only at its next pause: the framed page, loading in its own process, may
 * start before that on a busy machine (README: Automatic blocking). What always
 * holds: by the time the page has settled the frame does not show the tracker.
 * Read first from the page: a held frame shows an about:blank document of the
 * page's own origin, which the page can read (the tracker's page could not be
 * read: another origin). Playwright's view of the frame is no help there: when
 * the tracker's navigation had started in a process of its own and the hold
 * brought the frame back, Playwright now and then loses the frame (no
 * `contentFrame`, seen in about 1 run of the file in 8 on a loaded machine).
 * Else Playwright's view: Chrome's error page, which its request interception
 * now and then leaves when the parser's navigation is cut short by the hold
 * (see `framesAfter`; seen once in CI).
 */
const blank = async (page, id) => {
  // (contentDocument is null, not an exception, for another origin's page.)
  const [src, own] = await page.evaluate((id) => {
    const e = document.getElementById(id);
    return [e.getAttribute("src"), e.contentDocument?.URL ?? null];
  }, id);
  if (src !== null) return false;
  if (own === "about:blank") return true;
  const frame = await (await page.$("#" + id)).contentFrame();
  const url = frame?.url();
  if (!url?.startsWith("chrome-error:")) console.log(`frame #${id}: the page reads ${own}, Playwright ${url}`);
  return !!url?.startsWith("chrome-error:");
};
const sorted = (list) => [...list].sort();

it("trackers in the HTML after the loader are held: none runs before consent; an unlisted host runs", async () => {
  await trackerRoutes();
  const page = await env.open("/fixtures/autoblock.html");
  await waitReady(page);
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), ["free"], "only the unlisted host's script ran");
  assert.ok(await blank(page, "yt"), "the tracker frame is held on about:blank");
  const held = await page.evaluate(() => ({
    ga: document.querySelector('script[src*="google-analytics"]')?.type,
    custom: document.querySelector('script[src*="ads.example.com"]')?.getAttribute("data-category"),
    yt: [document.getElementById("yt").getAttribute("src"), document.getElementById("yt").getAttribute("data-src")],
    fb: [document.getElementById("fb").getAttribute("src"), document.getElementById("fb").getAttribute("data-category")],
  }));
  assert.equal(held.ga, "text/plain");
  assert.equal(held.custom, "ads", "blockHosts keeps the category as the config names it (an alias)");
  assert.deepEqual(held.yt, [null, "https://www.youtube.com/embed/x?name=yt"]);
  assert.deepEqual(held.fb, [null, "marketing"]);
  assert.deepEqual(errors(page), []);
});

it("once granted, held elements run exactly once, in document order, with their attributes", async () => {
  await trackerRoutes();
  const page = await env.open("/fixtures/autoblock.html");
  await waitReady(page);
  await call(page, "set", { performance: true });
  await page.waitForFunction(() => (window.__consentGateDemoRan || []).length >= 3);
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), ["free", "ga", "gtm"], "performance: Google Analytics, then the written tag manager");
  const framesBefore = (await frames(page)).length; // (see `blank`)
  await call(page, "acceptAll");
  await page.waitForFunction(() => (window.__consentGateDemoRan || []).length >= 5);
  await framesAfter(page, framesBefore, ["yt"]);
  await call(page, "acceptAll");
  await sleep(QUIET_MS);
  const order = await ran(page);
  assert.deepEqual(sorted(order), sorted(["free", "ga", "gtm", "custom", "fbq"]), "each ran once");
  assert.ok(order.indexOf("ga") < order.indexOf("gtm"), "document order");
  assert.deepEqual(await framesAfter(page, framesBefore, ["yt"]), ["yt"], "the frame once after consent");
  const attrs = await page.evaluate(() => ({
    async: document.querySelector('script[src*="ads.example.com"]').async,
    img: document.getElementById("fb").complete && document.getElementById("fb").getAttribute("src"),
  }));
  assert.equal(attrs.async, true, "async kept");
  assert.equal(attrs.img, "https://www.facebook.com/tr?name=fbimg");
});

it("a returning visitor's grant lets held trackers run on the next page, the refused ones stay held", async () => {
  await trackerRoutes();
  let page = await env.open("/fixtures/autoblock.html");
  await waitReady(page);
  await call(page, "set", { performance: true, marketing: false });
  await page.close();
  page = await env.open("/fixtures/autoblock.html");
  await waitReady(page);
  await page.waitForFunction(() => (window.__consentGateDemoRan || []).length >= 3);
  await sleep(QUIET_MS);
  assert.deepEqual(sorted(await ran(page)), ["free", "ga", "gtm"]);
  assert.ok(await blank(page, "yt"), "the refused frame stays held");
});

/** Inserts trackers every way a script can; returns their URLs. */
function insertEverything(page) {
  return page.evaluate(() => {
    const base = "https://connect.facebook.net/x.js?name=";
    const urls = [];
    const script = (name, how) => {
      const s = document.createElement("script");
      urls.push(base + name);
      if (how === "attribute") s.setAttribute("src", base + name);
      else s.src = base + name;
      return s;
    };
    document.body.appendChild(script("appendChild"));
    document.body.insertBefore(script("insertBefore", "attribute"), document.body.firstChild);
    document.body.append(script("append"));
    document.body.prepend(script("prepend", "attribute"));
    const old = document.body.appendChild(document.createElement("div"));
    document.body.replaceChild(script("replaceChild"), old);
    // A module set after src runs as a module once granted.
    const module = script("module");
    module.type = "module";
    document.head.appendChild(module);
    // src set after the element is in the page.
    const late = document.createElement("iframe");
    document.body.appendChild(late);
    late.src = "https://www.youtube.com/embed/late?name=late-frame";
    urls.push(late.getAttribute("data-src") || late.src);
    const box = document.body.appendChild(document.createElement("div"));
    box.innerHTML =
      '<p>markup</p><iframe src="https://player.vimeo.com/video/1?name=inner-frame" title="v"></iframe><img alt="" src="https://www.facebook.com/tr?name=inner-img">';
    box.insertAdjacentHTML("beforeend", '<img alt="" src="https://bat.bing.com/action?name=adjacent-img">');
    const img = new Image();
    img.src = "https://www.google-analytics.com/collect?name=new-image";
    document.body.append(img);
    urls.push(
      "https://player.vimeo.com/video/1?name=inner-frame",
      "https://www.facebook.com/tr?name=inner-img",
      "https://bat.bing.com/action?name=adjacent-img",
      "https://www.google-analytics.com/collect?name=new-image"
    );
    return urls;
  });
}

it("trackers inserted by script are neither fetched nor run before consent, and run once after it", async () => {
  const requested = await trackerRoutes();
  const page = await env.open("/fixtures/autoblock.html");
  await waitReady(page);
  const before = requested.length;
  const urls = await insertEverything(page);
  await sleep(QUIET_MS);
  const fetched = requested.slice(before);
  assert.deepEqual(fetched, [], "nothing inserted by script was fetched");
  assert.deepEqual(await ran(page), ["free"]);
  const markup = await page.evaluate(() => document.querySelector("div p")?.textContent);
  assert.equal(markup, "markup", "the rest of the markup was inserted as given");

  // Inserted by script: none ran (the HTML's frame may have started before it was held).
  const framesBefore = await frames(page);
  assert.deepEqual(framesBefore.filter((f) => f !== "yt"), [], "no frame inserted by script ran");
  assert.ok(await blank(page, "yt"));

  await call(page, "acceptAll");
  await page.waitForFunction(() => (window.__consentGateDemoRan || []).length >= 11);
  await framesAfter(page, framesBefore.length, ["inner-frame", "late-frame", "yt"]);
  await sleep(QUIET_MS);
  const names = (await ran(page)).filter((n) => !["free", "ga", "gtm", "custom", "fbq"].includes(n));
  assert.deepEqual(sorted(names), sorted(["appendChild", "insertBefore", "append", "prepend", "replaceChild", "module"]));
  assert.deepEqual(sorted(await framesAfter(page, framesBefore.length, ["inner-frame", "late-frame", "yt"])), ["inner-frame", "late-frame", "yt"], "each frame once after consent");
  for (const u of urls.filter((u) => /img|image/.test(u))) assert.ok(requested.includes(u), `${u} loads once granted`);
  // (The HTML's own trackers may be fetched twice: once by the preload scanner.)
  const counts = requested.slice(before).reduce((m, u) => ((m[u] = (m[u] || 0) + 1), m), {});
  assert.deepEqual(
    Object.entries(counts).filter(([u, n]) => n > 1 && !/name=(ga|gtm|custom|fbq|yt|fbimg)$/.test(u)),
    [],
    "nothing inserted by script was fetched twice"
  );
});

it("with data-config the blocker still holds what is inserted after the config arrives", async () => {
  const requested = await trackerRoutes();
  const page = await env.open("/fixtures/autoblock-url.html");
  await waitReady(page);
  await page.waitForFunction(() => !("__consentGateBlock" in window));
  const before = requested.length;
  await page.evaluate(() => {
    const s = document.createElement("script");
    s.src = "https://www.hotjar.com/h.js?name=hotjar";
    document.body.append(s);
  });
  await sleep(QUIET_MS);
  assert.deepEqual(requested.slice(before), []);
  await call(page, "set", { performance: true });
  await page.waitForFunction(() => (window.__consentGateDemoRan || []).includes("hotjar"));
});

it("a page without autoBlock or blockHosts never downloads the blocker; trackers there are not its business", async () => {
  await trackerRoutes();
  const page = await env.open("/fixtures/media.html");
  await waitReady(page);
  await page.evaluate(() => {
    const s = document.createElement("script");
    s.src = "https://www.google-analytics.com/analytics.js?name=unblocked";
    document.body.append(s);
  });
  await page.waitForFunction(() => (window.__consentGateDemoRan || []).includes("unblocked"));
  assert.deepEqual(env.requested("/consent-gate/consent-gate-block.js"), []);
});

it("a bad blockHosts entry is reported with its path, and the rest still applies", async () => {
  const requested = await trackerRoutes();
  await env.context.addInitScript(() => {
    window.ConsentGateConfig = { blockHosts: { marketing: ["https://bad.example/", "ads.example.com"], nope: ["x.example"] } };
  });
  const page = await env.open("/fixtures/autoblock-global.html");
  await waitReady(page);
  const before = requested.length;
  await page.evaluate(() => {
    const s = document.createElement("script");
    s.src = "https://px.ads.example.com/p.js?name=px";
    document.body.append(s);
  });
  await sleep(QUIET_MS);
  assert.deepEqual(requested.slice(before), []);
  const text = errors(page).map((m) => m.text).join("\n");
  assert.match(text, /blockHosts\.marketing\[0\]/);
  assert.match(text, /blockHosts\.nope/);
});

it("the README's host table is the data file's", () => {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  assert.ok(trackers().length >= 60, "at least 60 hosts");
  assert.ok(readme.includes(readmeTable()), "README.md has the table `node scripts/trackers.mjs --readme` prints");
});

it("the demo page (autoblock.html): its stand-in trackers under *.localhost wait for consent", async () => {
  const page = await env.open("/autoblock.html");
  await waitReady(page);
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), []);
  await page.locator('button[data-insert="script"]').click();
  await page.locator('button[data-insert="frame"]').click();
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), []);
  assert.equal(await page.locator("[data-held] li").count(), 4, "two written tags, one inserted tag, one frame are held");
  await call(page, "acceptAll");
  await page.waitForFunction(() => (window.__consentGateDemoRan || []).length >= 3);
  await sleep(QUIET_MS);
  assert.deepEqual(sorted(await ran(page)), ["analytics", "marketing", "marketing"]);
  await page.waitForFunction(() => document.querySelector("[data-held]").textContent === "Nothing is held.");
});

it("the blocker matches hosts as the model does (tests/vectors/hosts.json, also run by cargo test)", async () => {
  const vectors = JSON.parse(readFileSync(join(REPO, "tests", "vectors", "hosts.json"), "utf8"));
  await trackerRoutes();
  await env.context.addInitScript((config) => {
    window.ConsentGateConfig = config;
  }, { autoBlock: vectors.autoBlock, blockHosts: vectors.blockHosts });
  const page = await env.open("/fixtures/autoblock-global.html");
  await waitReady(page);
  const got = await page.evaluate((hosts) => {
    const ID = { ads: "marketing", advertising: "marketing", analytics: "performance", statistics: "performance", preferences: "functional", personalization: "functional" };
    return hosts.map((host) => {
      const img = new Image();
      img.src = "https://" + host + "/p.gif";
      const c = img.getAttribute("data-category");
      return [host, c ? ID[c] || c : null];
    });
  }, vectors.cases.map(([host]) => host));
  assert.deepEqual(got, vectors.cases);
});

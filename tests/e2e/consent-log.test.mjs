// README "Proof of consent": with `consentLog: { "url": … }` every decision is
// sent with navigator.sendBeacon (fallback: fetch with keepalive) as a JSON text
// body { record, configRevision, url (origin + path, no query), userAgent }.
// scripts/serve.mjs records POST /consent-log bodies in env.server.logs.
import {
  assert,
  assertNoErrors,
  bannerButton,
  bannerShown,
  call,
  errors,
  getRecord,
  it,
  sleep,
  useBrowser,
  waitReady,
  QUIET_MS,
} from "./helpers.mjs";

const env = useBrowser();

const fixture = (config, query = "") =>
  "/fixtures/integrations.html?config=" + encodeURIComponent(JSON.stringify(config)) + query;

/** Records the method and content type of every request to /consent-log (the server still answers it). */
function watchLogRequests() {
  const seen = [];
  env.onRequest = (req, res, url) => {
    if (url.pathname === "/consent-log") seen.push({ method: req.method, type: req.headers["content-type"] || "" });
  };
  return seen;
}

async function waitLogs(n) {
  const until = Date.now() + 5000;
  while (env.server.logs.length < n && Date.now() < until) await sleep(25);
  await sleep(QUIET_MS); // and nothing more arrives
  return env.server.logs.slice();
}

/** The fixture page's URL as the log must show it: origin + path, no query or fragment. */
const pageUrl = () => env.url("/fixtures/integrations.html");

function assertPayload(entry, { record, revision, userAgent }) {
  assert.deepEqual(Object.keys(entry).sort(), ["configRevision", "record", "url", "userAgent"], "exactly these keys");
  assert.deepEqual(entry.record, record, "the record as ConsentGate.get() shows it");
  assert.equal(entry.configRevision, revision);
  assert.equal(entry.url, pageUrl(), "origin + path, without the query string or fragment");
  assert.equal(entry.userAgent, userAgent);
}

it("one payload per decision (accept, then change), well formed, URL without query", async () => {
  const seen = watchLogRequests();
  const page = await env.open(
    fixture({ revision: 3, consentLog: { url: "/consent-log" }, reloadOnWithdraw: false }, "&utm_source=mail#top")
  );
  await bannerShown(page);
  const userAgent = await page.evaluate(() => navigator.userAgent);
  assert.deepEqual(env.server.logs, [], "nothing is sent before a decision");

  await bannerButton(page, "accept-all").click();
  let logs = await waitLogs(1);
  assert.equal(logs.length, 1, "exactly one payload for the first decision");
  const first = await getRecord(page);
  assertPayload(logs[0], { record: first, revision: 3, userAgent });
  assert.equal(logs[0].record.categories.marketing, true);

  await call(page, "set", { marketing: false });
  logs = await waitLogs(2);
  assert.equal(logs.length, 2, "exactly one more payload for the change");
  const second = await getRecord(page);
  assertPayload(logs[1], { record: second, revision: 3, userAgent });
  assert.equal(logs[1].record.categories.marketing, false);
  assert.equal(logs[1].record.id, logs[0].record.id, "the same record id: one visitor's history");

  assert.deepEqual(seen.map((r) => r.method), ["POST", "POST"]);
  for (const r of seen) assert.match(r.type, /^(text\/plain|application\/json)/, "a JSON text body");
  assertNoErrors(page);
});

it("reject all is logged too, and so is a withdrawal that reloads the page (sent before the reload)", async () => {
  const page = await env.open(fixture({ consentLog: { url: "/consent-log" } }));
  await waitReady(page);
  await call(page, "rejectAll");
  assert.equal((await waitLogs(1)).length, 1);
  assert.deepEqual(env.server.logs[0].record.categories, { essential: true, performance: false, functional: false, marketing: false });
  assert.equal(env.server.logs[0].configRevision, 1);

  await call(page, "set", { performance: true });
  await waitLogs(2);
  await page.evaluate(() => setTimeout(() => window.ConsentGate.set({ performance: false })));
  const logs = await waitLogs(3);
  assert.equal(logs.length, 3);
  assert.equal(logs[2].record.categories.performance, false);
  await waitReady(page);
  assert.deepEqual(await getRecord(page), logs[2].record, "the reloaded page shows the logged record");
});

it("without sendBeacon (or when it refuses), the payload goes out with fetch keepalive", async () => {
  await env.context.addInitScript(() => {
    Navigator.prototype.sendBeacon = function () {
      return false;
    };
  });
  const seen = watchLogRequests();
  const page = await env.open(fixture({ consentLog: { url: "/consent-log" } }, "&x=1"));
  await waitReady(page);
  await call(page, "set", { functional: true });
  const logs = await waitLogs(1);
  assert.equal(logs.length, 1);
  assertPayload(logs[0], { record: await getRecord(page), revision: 1, userAgent: await page.evaluate(() => navigator.userAgent) });
  assert.deepEqual(seen.map((r) => r.method), ["POST"]);
});

it("a relative log URL is resolved against the page; a failing endpoint does not disturb the visitor", async () => {
  env.onRequest = (req, res, url) => {
    if (url.pathname === "/fixtures/broken-log") {
      res.writeHead(500);
      res.end();
      return true;
    }
  };
  const page = await env.open(fixture({ consentLog: { url: "broken-log" } }));
  await waitReady(page);
  await call(page, "acceptAll");
  await sleep(QUIET_MS);
  assert.ok(env.requested("/fixtures/broken-log").length === 1, "posted once, relative to the page");
  assert.equal((await getRecord(page)).categories.performance, true, "the decision holds");
  assert.deepEqual(errors(page).filter((m) => m.type === "pageerror"), [], "no uncaught error");
});

it("without consentLog nothing is sent", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await call(page, "acceptAll");
  await call(page, "set", { marketing: false });
  await sleep(QUIET_MS);
  assert.deepEqual(env.server.logs, []);
  assert.deepEqual(env.requested("/consent-log"), []);
});

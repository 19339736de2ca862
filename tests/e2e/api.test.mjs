// Contract section 4: the JavaScript API: the record, argument errors, events.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  assert,
  call,
  cookie,
  getRecord,
  it,
  parseCookie,
  PKG,
  ran,
  REPO,
  sleep,
  useBrowser,
  waitReady,
  QUIET_MS,
} from "./helpers.mjs";

const env = useBrowser();

/** Runs `body` (source of a function taking ConsentGate) and reports what it threw. */
async function throws(page, body) {
  return page.evaluate((body) => {
    try {
      new Function("ConsentGate", body)(window.ConsentGate);
      return null;
    } catch (error) {
      return { isTypeError: error instanceof TypeError, message: String(error && error.message) };
    }
  }, body);
}

it("version: the built loader and package.json carry Cargo.toml's version (its one source)", async () => {
  const cargo = /^version = "([^"]+)"$/m.exec(readFileSync(join(REPO, "Cargo.toml"), "utf8"))[1];
  const pkg = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8")).version;
  const page = await env.open("/index.html");
  const loader = await page.evaluate(() => window.ConsentGate.version);
  assert.deepEqual({ loader, pkg }, { loader: cargo, pkg: cargo });
});

it("get() returns the consent record with the documented shape", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await call(page, "set", { performance: true });
  const record = await getRecord(page);
  assert.deepEqual(Object.keys(record).sort(), [
    "categories",
    "decidedAt",
    "expiresAt",
    "gpc",
    "id",
    "revision",
    "services",
    "updatedAt",
  ]);
  assert.match(record.id, /^[0-9a-f]{32}$/);
  assert.equal(record.revision, 1);
  for (const key of ["decidedAt", "updatedAt", "expiresAt"]) {
    assert.match(record[key], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/, `${key} is ISO-8601`);
  }
  assert.ok(Math.abs(Date.parse(record.decidedAt) - Date.now()) < 60_000, "decidedAt is now");
  assert.deepEqual(record.categories, { essential: true, performance: true, functional: false, marketing: false });
  assert.deepEqual(record.services, {});
  assert.equal(record.gpc, false);

  // The record and the cookie tell the same story.
  const c = parseCookie((await cookie(env.context)).value);
  assert.equal(c.id, record.id);
  assert.equal(c.expires, Math.floor(Date.parse(record.expiresAt) / 1000));

  // get() hands out a copy: changing it changes nothing.
  const stillFalse = await page.evaluate(() => {
    const r = window.ConsentGate.get();
    r.categories.marketing = true;
    return window.ConsentGate.get().categories.marketing === false && !window.ConsentGate.accepted("marketing");
  });
  assert.equal(stillFalse, true);

  // A later decision keeps the id and decidedAt, moves updatedAt.
  await sleep(1100);
  await call(page, "set", { functional: true });
  const later = await getRecord(page);
  assert.equal(later.id, record.id);
  assert.equal(later.decidedAt, record.decidedAt);
  assert.ok(Date.parse(later.updatedAt) > Date.parse(record.updatedAt), "updatedAt moved");
});

it("accepted(): true/false for ids; false for unknown names; TypeError naming `category` for a non-string", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  assert.equal(await call(page, "accepted", "essential"), true);
  assert.equal(await call(page, "accepted", "performance"), false);
  assert.equal(await call(page, "accepted", "no-such-category"), false);
  assert.equal(await call(page, "accepted", ""), false);
  for (const arg of ["42", "undefined", "null", "{}", "['performance']"]) {
    const error = await throws(page, `ConsentGate.accepted(${arg})`);
    assert.ok(error, `accepted(${arg}) throws`);
    assert.equal(error.isTypeError, true, `accepted(${arg}) throws a TypeError`);
    assert.match(error.message, /category/, `the message names the argument: ${error.message}`);
  }
});

it("set(): bad arguments throw a TypeError naming the argument, and nothing is stored", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  const cases = [
    ["undefined", /choices/],
    ["null", /choices/],
    ['"performance"', /choices/],
    ["[true]", /choices/],
    ['{ performance: "yes" }', /choices\.performance/],
    ["{ marketing: 1 }", /choices\.marketing/],
    ["{ essential: false }", /essential/],
    ["{ performance: true, essential: false }", /essential/],
    ["{ bogus: true }", /bogus/],
  ];
  for (const [arg, pattern] of cases) {
    const error = await throws(page, `ConsentGate.set(${arg})`);
    assert.ok(error, `set(${arg}) throws`);
    assert.equal(error.isTypeError, true, `set(${arg}) throws a TypeError`);
    assert.match(error.message, pattern, `set(${arg}): the message names the argument: ${error.message}`);
  }
  await sleep(QUIET_MS);
  assert.equal(await getRecord(page), null, "no decision was stored");
  assert.equal(await cookie(env.context), undefined, "no cookie was written");
  assert.equal(await call(page, "accepted", "performance"), false, "the valid part of a rejected call was not applied");
  assert.deepEqual(await ran(page), []);
});

it("set({ essential: false }) after a decision also throws and changes nothing", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await call(page, "acceptAll");
  const before = (await cookie(env.context)).value;
  const error = await throws(page, "ConsentGate.set({ essential: false, marketing: false })");
  assert.equal(error?.isTypeError, true);
  assert.equal((await cookie(env.context)).value, before, "the cookie is unchanged");
  assert.equal(await call(page, "accepted", "marketing"), true);
});

it("on(): TypeError naming `event` for an unknown event, naming `callback` for a non-function", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  for (const body of ['ConsentGate.on("changed", () => {})', 'ConsentGate.on("", () => {})', "ConsentGate.on(1, () => {})"]) {
    const error = await throws(page, body);
    assert.equal(error?.isTypeError, true, `${body} throws a TypeError`);
    assert.match(error.message, /event/, `${body}: ${error.message}`);
  }
  const error = await throws(page, 'ConsentGate.on("change", "not a function")');
  assert.equal(error?.isTypeError, true);
  assert.match(error.message, /callback/);
});

it('events: "change" on every decision, "consent" on the first only, window "consentgate:change" with the record', async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await page.evaluate(() => {
    window.__events = { change: [], consent: [], window: [], records: [] };
    window.ConsentGate.on("change", (record) => window.__events.change.push(record));
    window.ConsentGate.on("consent", (record) => window.__events.consent.push(record));
    window.addEventListener("consentgate:change", (event) => {
      window.__events.window.push(event.detail);
      window.__events.records.push(window.ConsentGate.get());
    });
  });

  await call(page, "rejectAll");
  await call(page, "set", { performance: true });
  await call(page, "acceptAll");
  await sleep(200);
  const events = await page.evaluate(() => window.__events);
  assert.equal(events.change.length, 3, "change fires for each of the three decisions");
  assert.equal(events.consent.length, 1, "consent fires for the first decision only");
  assert.equal(events.window.length, 3, "the window event fires for each decision");
  assert.deepEqual(events.consent[0].categories, { essential: true, performance: false, functional: false, marketing: false });
  assert.deepEqual(
    events.change.map((r) => r.categories.performance + "/" + r.categories.marketing),
    ["false/false", "true/false", "true/true"]
  );
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(events.window[i], events.records[i], `event ${i}: detail equals get() at that moment`);
    assert.deepEqual(events.change[i], events.window[i], `event ${i}: the callback got the same record`);
  }
  assert.deepEqual(events.window[2], await getRecord(page));
});

it("on() returns an unsubscribe function; a throwing listener does not stop the others", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await page.evaluate(() => {
    window.__calls = { a: 0, b: 0 };
    window.ConsentGate.on("change", () => {
      throw new Error("a broken listener");
    });
    window.__offA = window.ConsentGate.on("change", () => window.__calls.a++);
    window.ConsentGate.on("change", () => window.__calls.b++);
  });
  assert.equal(await page.evaluate(() => typeof window.__offA), "function");
  await call(page, "set", { functional: true });
  await page.evaluate(() => window.__offA());
  await call(page, "set", { performance: true });
  await sleep(200);
  assert.deepEqual(await page.evaluate(() => window.__calls), { a: 1, b: 2 });
});

it("UI calls and decisions made before ready are not lost", async () => {
  await env.context.route("**/consent-gate.wasm", async (route) => {
    await sleep(600);
    await route.continue();
  });
  const page = await env.open("/index.html", { waitUntil: "domcontentloaded" });
  await page.evaluate(() => window.ConsentGate.set({ performance: true }));
  await waitReady(page);
  await page.waitForFunction(() => window.ConsentGate.accepted("performance"));
  assert.deepEqual((await getRecord(page)).categories.performance, true);
});

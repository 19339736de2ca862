// Contract section 5: the cookie is the record of truth; the localStorage mirror
// never grants; expired, older-revision, malformed and tampered decisions ask again.
import {
  assert,
  assertNoBanner,
  accepted,
  bannerShown,
  call,
  cookie,
  DAY,
  DEFAULT_LIFETIME_DAYS,
  errors,
  forgeCookie,
  getMirror,
  getRecord,
  it,
  nowSecs,
  parseCookie,
  ran,
  recordFromCookie,
  setCookie,
  setMirror,
  sleep,
  tamper,
  useBrowser,
  waitRan,
  waitReady,
  QUIET_MS,
} from "./helpers.mjs";

const env = useBrowser();

/** The page asks again: banner, nothing optional granted or run, no record. */
async function assertAsksAgain(page) {
  await bannerShown(page);
  await waitReady(page);
  await sleep(QUIET_MS);
  assert.equal(await getRecord(page), null, "get() is null: no decision");
  for (const c of ["performance", "functional", "marketing"]) assert.equal(await accepted(page, c), false, c);
  assert.deepEqual(await ran(page), [], "no gated script ran");
  assert.deepEqual(
    errors(page).filter((m) => m.type === "pageerror"),
    [],
    "the visitor sees no error"
  );
}

it("cookie attributes: consent_gate, Path=/, SameSite=Lax, Max-Age 182 days, not Secure on http", async () => {
  // Record what is written through document.cookie: the browser's cookie jar cannot tell an
  // explicit SameSite=Lax from a missing one (Chromium treats a missing SameSite as Lax).
  await env.context.addInitScript(() => {
    const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
    window.__cookieWrites = [];
    Object.defineProperty(Document.prototype, "cookie", {
      configurable: true,
      enumerable: cookie.enumerable,
      get() {
        return cookie.get.call(this);
      },
      set(value) {
        window.__cookieWrites.push(String(value));
        cookie.set.call(this, value);
      },
    });
  });
  const page = await env.open("/index.html");
  await waitReady(page);
  const before = nowSecs();
  await call(page, "acceptAll");
  const c = await cookie(env.context);
  assert.ok(c, "the consent_gate cookie is set");
  assert.equal(c.path, "/");
  assert.equal(c.sameSite, "Lax");
  assert.equal(c.secure, false, "not Secure on http");
  assert.equal(c.httpOnly, false);
  assert.equal(c.domain, "127.0.0.1", "host-only without a configured domain");
  const lifetime = DEFAULT_LIFETIME_DAYS * DAY;
  assert.ok(Math.abs(c.expires - (before + lifetime)) <= 60, `expires ≈ now + 182 days (off by ${c.expires - before - lifetime} s)`);

  const writes = (await page.evaluate(() => window.__cookieWrites)).filter((w) => w.startsWith("consent_gate="));
  if (writes.length) {
    // Written through document.cookie (not the Cookie Store API): check the attributes as written.
    const attrs = writes[writes.length - 1].split(";").slice(1).map((a) => a.trim().toLowerCase());
    assert.ok(attrs.includes("path=/"), `Path=/ in ${writes.at(-1)}`);
    assert.ok(attrs.includes("samesite=lax"), `SameSite=Lax in ${writes.at(-1)}`);
    assert.ok(attrs.includes(`max-age=${lifetime}`), `Max-Age=${lifetime} in ${writes.at(-1)}`);
    assert.ok(!attrs.includes("secure"), `no Secure on http in ${writes.at(-1)}`);
    assert.ok(!attrs.some((a) => a.startsWith("domain=")), `no Domain without config in ${writes.at(-1)}`);
  }
});

it("cookie value follows the documented grammar with a valid FNV-1a checksum", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await call(page, "set", { performance: true, marketing: false });
  const value = (await cookie(env.context)).value;
  const c = parseCookie(value);
  assert.equal(c.checkOk, true, "the check field is FNV-1a 32 of everything before the last '.'");
  assert.equal(c.revision, 1);
  assert.equal(c.cats, "1100");
  assert.equal(c.gpc, "0");
  assert.equal(c.services, "");
  assert.equal(c.decided, c.updated);
  assert.ok(Math.abs(c.updated - nowSecs()) < 60);
  assert.ok(Math.abs(c.expires - c.updated - DEFAULT_LIFETIME_DAYS * DAY) <= 1, "expires = updated + 182 days");
  assert.deepEqual(await getRecord(page), recordFromCookie(value), "get() is exactly what the cookie says");
});

it("localStorage mirror: {v:1, value: <cookie>, record} after a decision", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await call(page, "rejectAll");
  const value = (await cookie(env.context)).value;
  const mirror = await getMirror(page);
  assert.equal(mirror?.v, 1);
  assert.equal(mirror.value, value);
  assert.deepEqual(mirror.record, await getRecord(page));
});

it("the mirror follows the last decision when a change listener decides again (the mirror is written after the gated scripts run)", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  // The first decision's listener narrows it at once: two decisions in one call.
  await page.evaluate(() => {
    const off = ConsentGate.on("change", () => {
      off();
      ConsentGate.set({ marketing: false });
    });
    return ConsentGate.acceptAll();
  });
  await sleep(QUIET_MS);
  const value = (await cookie(env.context)).value;
  assert.equal(parseCookie(value).cats, "1110", "the listener's decision is the stored one");
  const mirror = await getMirror(page);
  assert.equal(mirror?.value, value, "the mirror holds the stored cookie, not the first decision's");
  assert.deepEqual(mirror.record, await getRecord(page));
  assert.equal(await accepted(page, "marketing"), false);
  assert.deepEqual(
    errors(page).filter((m) => m.type === "error" || m.type === "pageerror"),
    [],
    "no error"
  );
});

it("the cookie alone carries the decision: a valid cookie with no mirror grants, without a banner", async () => {
  await setCookie(env, forgeCookie({ cats: "1101" }));
  const page = await env.open("/index.html");
  await assertNoBanner(page);
  assert.deepEqual(await waitRan(page, 2), ["analytics", "marketing"]);
  assert.equal(await accepted(page, "functional"), false);
});

it("revision bump asks again: a revision-1 decision on the revision-2 page (and the same decision at revision 2 holds)", async () => {
  const services = { "ads-pixel": true, "google-analytics": true };
  const id = "0123456789abcdef0123456789abcdef";
  // Control: the same forged decision at the current revision is honoured.
  await setCookie(env, forgeCookie({ id, revision: 2, cats: "1111", services }));
  let page = await env.open("/custom.html");
  await assertNoBanner(page);
  assert.equal(await accepted(page, "performance"), true, "control: a revision-2 cookie grants");
  await page.close();

  await env.context.clearCookies();
  const old = forgeCookie({ id, revision: 1, cats: "1111", services });
  await setCookie(env, old);
  await setMirror(env, old);
  page = await env.open("/custom.html");
  await assertAsksAgain(page);
});

it("an expired decision asks again", async () => {
  const updated = nowSecs() - 200 * DAY;
  await setCookie(env, forgeCookie({ decided: updated, updated, expires: updated + DEFAULT_LIFETIME_DAYS * DAY }));
  const page = await env.open("/index.html");
  await assertAsksAgain(page);
});

it("a corrupted cookie means no decision", async () => {
  for (const value of ["garbage", "1.zz.1.2.3.4.1111.0..00000000", forgeCookie({ cats: "1111" }) + ".extra", "%E0%A4%A"]) {
    await env.context.clearCookies();
    await setCookie(env, value);
    const page = await env.open("/index.html");
    await assertAsksAgain(page);
    await page.close();
  }
});

it("a tampered cookie (a category bit flipped, checksum not fixed) means no decision", async () => {
  const page = await env.open("/index.html");
  await waitReady(page);
  await call(page, "rejectAll");
  const value = (await cookie(env.context)).value;
  const forged = tamper(value);
  assert.equal(parseCookie(forged).cats, "1111");
  assert.equal(parseCookie(forged).checkOk, false);
  await setCookie(env, forged);
  await page.reload();
  await assertAsksAgain(page);
});

it("a granting localStorage mirror without a cookie grants nothing", async () => {
  await setMirror(env, forgeCookie({ cats: "1111" }));
  const page = await env.open("/index.html");
  await assertAsksAgain(page);
});

it("a mirror wider than the cookie never widens it, and is rewritten from the cookie", async () => {
  const id = "fedcba9876543210fedcba9876543210";
  const decided = nowSecs() - 3600;
  const real = forgeCookie({ id, decided, cats: "1000" });
  const wider = forgeCookie({ id, decided, cats: "1111" });
  await setCookie(env, real);
  await setMirror(env, wider);
  const page = await env.open("/index.html");
  await assertNoBanner(page);
  await sleep(QUIET_MS);
  assert.deepEqual(await ran(page), []);
  assert.equal(await accepted(page, "marketing"), false);
  assert.deepEqual((await getRecord(page)).categories, {
    essential: true,
    performance: false,
    functional: false,
    marketing: false,
  });
  await page.waitForFunction(
    ([key, value]) => JSON.parse(localStorage.getItem(key) || "null")?.value === value,
    ["consent_gate", real]
  );
  assert.deepEqual((await getMirror(page)).record.categories.marketing, false);
});

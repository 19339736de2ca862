// End to end with the real receiver (docs/consent-log.md): the banner in
// Chromium posts its decisions to `consent-gate log-server` on another origin
// (a second port), and the stored proof read back with the token is exactly
// the record ConsentGate.get() shows. Builds the binary with cargo if needed.
import { after, before } from "node:test";
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  assert,
  assertNoErrors,
  bannerButton,
  bannerShown,
  call,
  getRecord,
  it,
  sleep,
  useBrowser,
  waitReady,
  REPO,
} from "./helpers.mjs";

const env = useBrowser();
const TOKEN = "e2e-token-" + Math.random().toString(16).slice(2);
const log = { child: null, url: null, dir: null };

before(async () => {
  // useBrowser's own hook starts the site's server; its origin is the one to allow.
  for (let i = 0; !env.server?.url && i < 600; i++) await sleep(50);
  execFileSync("cargo", ["build", "--quiet", "--bin", "consent-gate"], { cwd: REPO, stdio: "inherit" });
  log.dir = await mkdtemp(join(tmpdir(), "consent-gate-e2e-log-"));
  log.child = spawn(
    join(REPO, "target/debug/consent-gate"),
    // No rate limit: the reads below poll from the browser's own address, and
    // with the default (a burst of 30, then 2 a second) a slow beacon met an
    // empty bucket and was refused (429). The limit has its own tests (tests/log_sqlite.rs).
    ["log-server", "--listen", "127.0.0.1:0", "--database", "sqlite:" + join(log.dir, "log.db"), "--allow-origin", env.server.url, "--rate-limit", "0"],
    { env: { ...process.env, CONSENT_GATE_LOG_TOKEN: TOKEN }, stdio: ["ignore", "ignore", "pipe"] }
  );
  log.url = await new Promise((ok, fail) => {
    let text = "";
    log.child.stderr.on("data", (d) => {
      text += d;
      const m = text.match(/listening on (http:\/\/[0-9.:]+)/);
      if (m) ok(m[1]);
    });
    log.child.on("exit", (code) => fail(new Error(`log-server exited (${code}): ${text}`)));
  });
});

after(async () => {
  if (log.child && log.child.exitCode === null) {
    const exited = new Promise((ok) => log.child.on("exit", ok));
    log.child.kill("SIGTERM");
    await exited;
  }
  if (log.dir) await rm(log.dir, { recursive: true, force: true });
});

const fixture = (config) => "/fixtures/integrations.html?config=" + encodeURIComponent(JSON.stringify(config)) + "&utm_source=mail";

/** Every stored version of `id`, once there are `n` of them (reads need the token). */
async function stored(id, n) {
  const until = Date.now() + 5000;
  for (;;) {
    const res = await fetch(`${log.url}/consents/${id}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const list = res.status === 200 ? await res.json() : [];
    if (list.length >= n || Date.now() > until) return list;
    await sleep(50);
  }
}

it("a decision in Chromium is stored by the receiver, exactly as ConsentGate.get() shows it", async () => {
  const page = await env.open(fixture({ revision: 4, consentLog: { url: log.url + "/consent-log" }, reloadOnWithdraw: false }));
  await bannerShown(page);
  const userAgent = await page.evaluate(() => navigator.userAgent);
  await bannerButton(page, "accept-all").click();
  const first = await getRecord(page);
  let versions = await stored(first.id, 1);
  assert.equal(versions.length, 1, "one stored version after the first decision");
  assert.deepEqual(versions[0].record, first, "the stored record is the visitor's record");
  assert.equal(versions[0].configRevision, 4);
  assert.equal(versions[0].url, env.url("/fixtures/integrations.html"), "origin + path, no query");
  assert.equal(versions[0].userAgent, userAgent);
  assert.equal(versions[0].ip, "127.0.0.0/24", "the address truncated");

  await call(page, "set", { marketing: false });
  const second = await getRecord(page);
  versions = await stored(first.id, 2);
  assert.equal(versions.length, 2, "every version, in order");
  assert.deepEqual(versions[1].record, second);
  assert.equal(versions[1].record.categories.marketing, false);
  assert.equal(versions[1].prevHash, versions[0].hash, "chained");

  const csv = await (await fetch(`${log.url}/export.csv`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
  assert.ok(csv.split("\n").filter((l) => l.includes(first.id)).length >= 2, "both versions in the CSV export");
  const denied = await fetch(`${log.url}/consents/${first.id}`);
  assert.equal(denied.status, 401, "no token, no read");
  assertNoErrors(page);
});

it("the fetch keepalive fallback reaches the receiver too", async () => {
  await env.context.addInitScript(() => {
    Navigator.prototype.sendBeacon = function () {
      return false;
    };
  });
  const page = await env.open(fixture({ consentLog: { url: log.url + "/consent-log" } }));
  await waitReady(page);
  await call(page, "set", { functional: true });
  const record = await getRecord(page);
  const versions = await stored(record.id, 1);
  assert.equal(versions.length, 1);
  assert.deepEqual(versions[0].record, record);
  assertNoErrors(page);
});

// Config diagnostics on a visitor's console. The banner module carries no
// English for them: it hands each problem to its entry as a code, arguments
// and a path, and the entry prints the words of consent-gate-messages.json
// (the checker's own table), fetched only when the config has a problem. If
// that file cannot be fetched, the console still names the code and the path,
// and a bad value is still replaced by its default (nothing granted).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  PKG,
  REPO,
  accepted,
  assert,
  bannerShown,
  call,
  cookie,
  it,
  readyOutcome,
  useBrowser,
} from "./helpers.mjs";

const env = useBrowser();
const CLI = process.env.CONSENT_GATE_CLI || join(REPO, "target", "release", "consent-gate");

/** A config with one problem of each kind: a bad value, an unknown key, a bad entry deep down. */
const BAD = {
  revison: 2,
  cookie: { lifetimeDays: 400 },
  categories: { marketing: { cookies: [{ name: "_fbp" }, { name: "*x" }] } },
  reloadOnWithdraw: false,
};

/** What the console shows for BAD: exactly the checker's words (tests/check_cli.rs, tests/messages.rs). */
const WORDS = [
  ["warning", "Consent Gate: config `revison`: unknown key"],
  ["error", "Consent Gate: config `cookie.lifetimeDays`: expected an integer from 1 to 395"],
  ["error", "Consent Gate: config `categories.marketing.cookies[1].name`: expected a cookie name; '*' may only end it"],
];

/** Without consent-gate-messages.json: the code, its arguments and the path. */
const CODES = [
  ["warning", "Consent Gate: config `revison`: W1"],
  ["error", "Consent Gate: config `cookie.lifetimeDays`: E8 1 395"],
  ["error", "Consent Gate: config `categories.marketing.cookies[1].name`: E22"],
];

/** A page with `config` (JSON text) as its inline config block and two gated scripts. */
function page(config) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>diagnostics</title>
<script type="application/json" id="consent-gate-config">${config.replace(/<\//g, "<\\/")}</script>
<script src="/consent-gate/consent-gate.js"></script>
<script type="text/plain" data-category="performance" src="/fixtures/probe.js?name=analytics"></script>
<script type="text/plain" data-category="marketing" src="/fixtures/probe.js?name=marketing"></script>
</head><body><h1>diagnostics</h1></body></html>`;
}

/** Opens a page whose config is `config` (an object, or JSON text as given). */
async function open(config, { blockMessages = false } = {}) {
  const p = await env.context.newPage();
  // (helpers' newPage records the console; this page records it the same way.)
  const log = [];
  p.on("console", (m) => log.push([m.type(), m.text()]));
  const text = typeof config == "string" ? config : JSON.stringify(config);
  await p.route("**/diagnostics.html", (route) => route.fulfill({ contentType: "text/html", body: page(text) }));
  if (blockMessages) await p.route("**/consent-gate-messages.json", (route) => route.abort());
  await p.goto(env.url("/diagnostics.html"));
  return { p, log };
}

const own = (log) => log.filter(([type, text]) => type !== "log" && /^Consent Gate: config /.test(text));

/** What `consent-gate check` prints for `text`, when the binary is built (`make cli`); else null. */
function cliLines(text) {
  if (!existsSync(CLI)) return null;
  const dir = mkdtempSync(join(tmpdir(), "diagnostics-check-"));
  try {
    const file = join(dir, "consent.json");
    writeFileSync(file, text);
    return spawnSync(CLI, ["check", file], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it("a bad config: the console says what the checker says, in its order; bad values take their defaults", async () => {
  const { p, log } = await open(BAD);
  assert.equal(await readyOutcome(p), "resolved");
  await bannerShown(p); // the banner still shows
  assert.deepEqual(own(log), WORDS);
  assert.deepEqual(env.requested("/consent-gate/consent-gate-messages.json"), ["/consent-gate/consent-gate-messages.json"], "fetched once");
  // The same words as the checker's lines (without its "error: " and its hints).
  const checker = cliLines(JSON.stringify(BAD));
  if (checker) {
    assert.deepEqual(
      checker.map((l) => l.replace(/^(error|warning): /, "Consent Gate: ").replace(/; did you mean `[^`]*`\?$/, "")),
      WORDS.map(([, text]) => text)
    );
  }
  // The bad lifetime fell back to its default (182 days), the bad entry was dropped.
  await call(p, "rejectAll");
  const c = await cookie(env.context);
  assert.ok(c && Math.abs(c.expires - Date.now() / 1000 - 182 * 86400) < 3600, "the default lifetime: " + (c && c.expires));
  assert.equal(await accepted(p, "marketing"), false);
});

it("every code in consent-gate-messages.json is worded as in the checker's table", () => {
  // The Rust table (tests/messages.rs checks the file against it); here: the
  // shipped pkg/ copy is the template's and every value is a plain sentence.
  const shipped = JSON.parse(readFileSync(join(PKG, "consent-gate-messages.json"), "utf8"));
  const template = JSON.parse(readFileSync(join(REPO, "pkg-template", "consent-gate-messages.json"), "utf8"));
  assert.deepEqual(shipped, template);
  assert.equal(shipped.E8, "expected an integer from {0} to {1}");
  assert.equal(shipped.W1, "unknown key");
  for (const [code, text] of Object.entries(shipped)) assert.match(code + " " + text, /^[WE]\d+ [^\n]+$/);
});

it("a good config: the messages file is never fetched and nothing is logged", async () => {
  const { p, log } = await open({ reloadOnWithdraw: false, cookie: { lifetimeDays: 30 } });
  assert.equal(await readyOutcome(p), "resolved");
  await bannerShown(p);
  assert.deepEqual(own(log), []);
  assert.deepEqual(env.requested("/consent-gate/consent-gate-messages.json"), [], "not fetched");
});

it("the messages file is blocked: the console still names each code and path; still fails closed", async () => {
  const { p, log } = await open(BAD, { blockMessages: true });
  assert.equal(await readyOutcome(p), "resolved");
  await bannerShown(p); // the banner still shows
  assert.deepEqual(own(log), CODES);
  assert.equal(await accepted(p, "marketing"), false, "nothing optional granted");
  assert.equal(await accepted(p, "performance"), false);
  await call(p, "acceptAll");
  const c = await cookie(env.context);
  assert.ok(c && Math.abs(c.expires - Date.now() / 1000 - 182 * 86400) < 3600, "the default lifetime");
});

it("a config that is not an object: the loader fails closed, in the checker's words", async () => {
  const { p, log } = await open("[1, 2]");
  assert.match(await readyOutcome(p), /^rejected/);
  assert.equal(await accepted(p, "marketing"), false);
  // The checker's E3 ("the config must be a JSON object"), said by the loader itself.
  const words = JSON.parse(readFileSync(join(PKG, "consent-gate-messages.json"), "utf8")).E3;
  assert.ok(
    log.some(([type, text]) => type === "error" && text.startsWith("Consent Gate: " + words + ".")),
    JSON.stringify(log)
  );
});

// `make demo`: the demo site with the consent-log receiver beside it
// (scripts/demo.mjs). A decision on the privacy page is stored by the
// receiver, and the page shows the stored proof for the visitor's consent id.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { REPO, assert, bannerButton, it, launchChromium } from "./helpers.mjs";

// `cargo test` builds the binary for the receiver's own tests; `make cli` the release one.
const BIN = ["release", "debug"].map((p) => join(REPO, "target", p, "consent-gate")).find(existsSync);

function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

let demo, browser, url, dir;
before(async () => {
  if (!BIN) return;
  dir = mkdtempSync(join(tmpdir(), "cg-demo-"));
  const args = ["scripts/demo.mjs", "--port", String(await freePort()), "--log-port", String(await freePort())];
  args.push("--bin", BIN, "--database", `sqlite:${join(dir, "log.db")}`);
  demo = spawn(process.execPath, args, { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] });
  url = await new Promise((ok, fail) => {
    let out = "";
    demo.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/Consent Gate demo: (http:\/\/\S+?)\/ /);
      if (m) ok(m[1]);
    });
    demo.on("exit", (code) => fail(new Error(`demo.mjs exited with ${code}`)));
  });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  demo?.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it("make demo: a decision on the demo site is kept by the consent-log receiver and shown as proof", async (t) => {
  if (!BIN) return t.skip("no consent-gate binary (cargo test or make cli builds it)");
  const page = await (await browser.newContext()).newPage();
  await page.goto(url + "/privacy.html");
  await bannerButton(page, "accept-all").click();
  const proof = page.locator("[data-consent-proof] li");
  await proof.first().waitFor({ timeout: 10_000 });
  const id = await page.evaluate(() => window.ConsentGate.get().id);
  assert.match(await page.locator("[data-consent-proof]").innerText(), new RegExp(`Consent id ${id}, 1 version`));
  assert.match(await proof.first().innerText(), /essential, performance, functional, marketing/);
  // Proof is only read through the demo server, which holds the token: any other id has none.
  const other = await page.request.get(url + "/proof/" + "0".repeat(32), { failOnStatusCode: false });
  assert.equal(other.status(), 404);
});

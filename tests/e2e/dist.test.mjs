// `make dist`: the npm tarball and the zip of the served folder, with checksums.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PKG, REPO, assert, it } from "./helpers.mjs";

it("make dist: an npm tarball and a zip of pkg/, both with the package's files, and SHA256SUMS that verify", async (t) => {
  if (!existsSync(join(PKG, "package.json")) || process.env.CONSENT_GATE_PKG) return t.skip("pkg/ of this repo is not built");
  execFileSync("bash", ["scripts/dist.sh"], { cwd: REPO, stdio: "ignore" });
  const dist = join(REPO, "dist");
  const version = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8")).version;
  const tgz = `consent-gate-${version}.tgz`;
  const zip = `consent-gate-${version}.zip`;
  execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: dist, stdio: "ignore" });
  const sums = readFileSync(join(dist, "SHA256SUMS"), "utf8");
  assert.match(sums, new RegExp(`  ${tgz}\\n`));
  assert.match(sums, new RegExp(`  ${zip}\\n`));
  const packed = execFileSync("tar", ["-tzf", join(dist, tgz)], { encoding: "utf8" }).split("\n");
  const zipped = execFileSync("python3", ["-m", "zipfile", "-l", join(dist, zip)], { encoding: "utf8" });
  for (const file of ["consent-gate.js", "consent-gate.wasm", "consent-gate-ui.js", "consent-gate-ui-late.js", "consent-gate-ui.wasm", "consent-gate-ui-rest.wasm", "lang/de.json", "server/index.mjs"]) {
    assert.ok(packed.includes(`package/${file}`), `the tarball has ${file}`);
    assert.match(zipped, new RegExp(`consent-gate/${file.replace(".", "\\.")}\\s`), `the zip has ${file}`);
  }
});

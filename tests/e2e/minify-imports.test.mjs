// scripts/minify-imports.mjs rewrites wasm-bindgen's output by pattern; when
// that output no longer looks as expected it must fail the build, never pass
// a half-renamed module. (Runs on what scripts/build.sh left in target/.)
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { assert, PKG, REPO } from "./helpers.mjs";

const SCRIPT = join(REPO, "scripts/minify-imports.mjs");
const BINDGEN = join(REPO, "target/ui/bindgen");
const WASM = join(BINDGEN, "consent-gate-ui.opt.wasm");
const GLUE = join(BINDGEN, "consent_gate_ui.js");
const dir = mkdtempSync(join(tmpdir(), "minify-imports-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the script; its stderr when it failed, null when it succeeded. */
function run(wasm, glue) {
  try {
    execFileSync("node", [SCRIPT, wasm, glue, join(dir, "out.wasm"), join(dir, "out.js")], { stdio: "pipe" });
    return null;
  } catch (error) {
    return String(error.stderr);
  }
}

const built = existsSync(WASM) && existsSync(GLUE);
const why = built ? false : "no wasm-bindgen output in target/ui/bindgen (run scripts/build.sh)";

test("the real output is renamed as the build does it", { skip: why }, () => {
  assert.equal(run(WASM, GLUE), null);
  assert.ok(readFileSync(join(dir, "out.wasm")).equals(readFileSync(join(PKG, "consent-gate-ui.wasm"))));
});

test("a glue that lacks one of the module's import names fails the build", { skip: why }, () => {
  const glue = readFileSync(GLUE, "utf8");
  const name = /\b(__wbg_[A-Za-z0-9_]+):/.exec(glue)[1];
  const broken = join(dir, "broken.js");
  writeFileSync(broken, glue.replace(`${name}:`, `${name}_gone:`));
  assert.match(run(WASM, broken) ?? "", new RegExp(`${name}: defined 0 times in the glue`));
});

test("a module with no glue imports at all fails the build", { skip: why }, () => {
  // The core module imports nothing: nothing would be renamed.
  assert.match(run(join(PKG, "consent-gate.wasm"), GLUE) ?? "", /no imports renamed/);
});

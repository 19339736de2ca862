// The package's module entry is safe to import where there is no document
// (server-side rendering): it does nothing and exports `undefined`.
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { PKG, assert, it } from "./helpers.mjs";

it("importing the package on a server (no window, no document) does nothing and does not throw", async (t) => {
  const entry = join(PKG, "index.mjs");
  if (!existsSync(entry)) return t.skip("pkg/ is not built");
  assert.equal(typeof globalThis.document, "undefined");
  const mod = await import(pathToFileURL(entry).href);
  assert.equal(mod.ConsentGate, undefined);
  assert.equal(mod.default, undefined);
  assert.equal(globalThis.ConsentGate, undefined, "no global defined on the server");
});

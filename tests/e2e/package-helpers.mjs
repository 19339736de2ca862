// The npm package as a user gets it: `npm pack` of pkg/, unpacked into a
// node_modules of a temporary project. Shared by package.test.mjs and vite.test.mjs.
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { PKG, REPO, assert, errors } from "./helpers.mjs";

/** Packs pkg/ with `npm pack` into `dir`; returns the tarball's path. */
export function packPackage(dir) {
  const out = execFileSync("npm", ["pack", PKG, "--pack-destination", dir, "--json", "--loglevel=error"], {
    cwd: dir,
    encoding: "utf8",
  });
  const [{ filename, files }] = JSON.parse(out);
  return { tarball: join(dir, filename), files: files.map((f) => f.path) };
}

/**
 * A project folder `dir` whose node_modules has the tarball unpacked as
 * consent-gate (what `npm install consent-gate-x.tgz` puts there: the package
 * has no dependencies) and `links` (package names) symlinked from this repo's
 * node_modules, so nothing is downloaded.
 */
export function makeProject(dir, tarball, links = []) {
  const modules = join(dir, "node_modules");
  mkdirSync(join(modules, "consent-gate"), { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", join(modules, "consent-gate"), "--strip-components=1"]);
  for (const name of links) {
    const at = join(modules, name);
    mkdirSync(join(at, ".."), { recursive: true });
    symlinkSync(join(REPO, "node_modules", name), at, "dir");
  }
  return dir;
}

/** Asserts that a file the bundler emitted under `dir` (name-hash.ext) was fetched with 200. */
export function assertLoaded(responses, name, ext, dir = "/assets/") {
  const hits = responses.filter((r) => new RegExp(`^${dir}${name}-[\\w-]+\\.${ext}$`).test(r.path));
  assert.ok(hits.length > 0, `${name}.${ext} was requested from the bundle; responses: ${JSON.stringify(responses)}`);
  for (const hit of hits) assert.equal(hit.status, 200, `${hit.path} answered ${hit.status}`);
}

export function assertNoFailures(responses, page) {
  assert.deepEqual(
    responses.filter((r) => r.status >= 400),
    [],
    "no request failed"
  );
  assert.deepEqual(errors(page), [], "no console errors");
}

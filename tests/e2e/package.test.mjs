// The npm package as `npm pack` makes it (no browser): its exports map, the
// types of every entry (tsc --noEmit --strict on tests/types/usage.ts against
// the unpacked tarball), `sideEffects` as a bundler reads it, the language
// files the bundler entry names, the React bindings on a server, and a README
// whose links work from npm.
import { after, before } from "node:test";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PKG, REPO, assert, it } from "./helpers.mjs";
import { makeProject, packPackage } from "./package-helpers.mjs";

const built = existsSync(join(PKG, "package.json")) && existsSync(join(PKG, "consent-gate.js"));
const TSC = join(REPO, "node_modules", "typescript", "bin", "tsc");
const env = { tmp: null, files: [], project: null, manifest: null };

before(() => {
  if (!built) return;
  env.tmp = mkdtempSync(join(tmpdir(), "consent-gate-package-"));
  const { tarball, files } = packPackage(env.tmp);
  env.files = files;
  env.project = makeProject(join(env.tmp, "app"), tarball, ["react", "@types/react"]);
  env.manifest = JSON.parse(readFileSync(join(env.project, "node_modules/consent-gate/package.json"), "utf8"));
});

after(() => {
  if (env.tmp) rmSync(env.tmp, { recursive: true, force: true });
});

const installed = (file) => join(env.project, "node_modules", "consent-gate", file);

/** Every file an exports target names ("./lang/*" expanded against the packed files). */
function targets(value) {
  if (typeof value === "string") {
    if (!value.includes("*")) return [value.slice(2)];
    const [head, tail] = value.slice(2).split("*");
    const hits = env.files.filter((f) => f.startsWith(head) && f.endsWith(tail));
    assert.ok(hits.length > 0, `${value} matches packed files`);
    return hits;
  }
  return Object.values(value).flatMap(targets);
}

it("npm pack: every file the exports map names is in the tarball, with the entries the README lists", (t) => {
  if (!built) return t.skip("pkg/ is not built");
  const { exports } = env.manifest;
  for (const key of [".", "./server", "./react", "./schema.json", "./consent-gate.wasm", "./consent-gate-ui.wasm", "./consent-gate-ui-rest.wasm", "./consent-gate-ui.js", "./consent-gate-ui-late.js", "./lang/*"]) {
    assert.ok(exports[key], `exports has ${key}`);
  }
  for (const [key, value] of Object.entries(exports)) {
    for (const file of targets(value)) assert.ok(env.files.includes(file), `${key} → ${file} is packed`);
  }
  // Every language file of the package is reachable as consent-gate/lang/<tag>.json.
  const languages = readdirSync(join(PKG, "lang")).filter((n) => n.endsWith(".json"));
  assert.ok(languages.length >= 46);
  for (const name of languages) assert.ok(env.files.includes(`lang/${name}`), `lang/${name} is packed`);
  assert.ok(env.files.includes("README.md"), "the npm README is packed");
});

it("npm pack: '.', './server' and './react' have types first (TypeScript reads conditions in order), each a packed .d.ts", (t) => {
  if (!built) return t.skip("pkg/ is not built");
  for (const key of [".", "./server", "./react"]) {
    const conditions = env.manifest.exports[key];
    assert.equal(Object.keys(conditions)[0], "types", `${key}: "types" comes first`);
    assert.match(conditions.types, /\.d\.ts$/);
    assert.ok(env.files.includes(conditions.types.slice(2)), `${key}: ${conditions.types} is packed`);
  }
  assert.equal(env.manifest.peerDependenciesMeta?.react?.optional, true, "React is an optional peer dependency");
  assert.equal(env.manifest.dependencies, undefined, "no runtime dependencies");
});

for (const resolution of ["bundler", "nodenext"]) {
  it(`types: tsc --noEmit --strict on tests/types/usage.ts and usage-react.tsx against the packed package (moduleResolution ${resolution})`, (t) => {
    if (!built) return t.skip("pkg/ is not built");
    if (!existsSync(TSC)) return t.skip("typescript is not installed (npm ci)");
    const dir = env.project;
    for (const file of ["usage.ts", "usage-react.tsx"]) copyFileSync(join(REPO, "tests/types", file), join(dir, file));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "types-app", private: true, type: "module" }));
    const config = JSON.parse(readFileSync(join(REPO, "tests/types/tsconfig.json"), "utf8"));
    config.compilerOptions.moduleResolution = resolution;
    config.compilerOptions.module = resolution === "bundler" ? "esnext" : "nodenext";
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config));
    try {
      execFileSync(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      assert.fail(`tsc found errors:\n${error.stdout}${error.stderr}`);
    }
  });
}

it("types: the check fails on a wrong type (it is not a check that cannot fail)", (t) => {
  if (!built) return t.skip("pkg/ is not built");
  if (!existsSync(TSC)) return t.skip("typescript is not installed (npm ci)");
  const dir = join(env.project, "broken");
  execFileSync("mkdir", ["-p", dir]);
  writeFileSync(join(dir, "bad.ts"), `import { useConsent } from "consent-gate/react";\nexport const x: string = useConsent("performance");\n`);
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "esnext", moduleResolution: "bundler", types: [] }, files: ["bad.ts"] }));
  const run = () => execFileSync(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8", stdio: "pipe" });
  assert.throws(run, (error) => /TS2322/.test(error.stdout), "tsc reports boolean is not assignable to string");
});

it("sideEffects: a bundler keeps the browser entry for a bare import, and drops server and react when unused", async (t) => {
  if (!built) return t.skip("pkg/ is not built");
  const esbuild = await import("esbuild");
  const bundle = async (code) => {
    const result = await esbuild.build({
      stdin: { contents: code, resolveDir: env.project, loader: "js" },
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      // The bundler entry's URL files: esbuild leaves `new URL(…, import.meta.url)` alone.
      logLevel: "silent",
      external: ["react"],
    });
    return result.outputFiles[0].text;
  };
  const bare = await bundle(`import "consent-gate";`);
  assert.match(bare, /__consentGateLang/, "locate.mjs is kept");
  assert.match(bare, /consent-gate\.js/, "the loader's import is kept");
  const unused = await bundle(`import { readConsent } from "consent-gate/server"; import { useConsent } from "consent-gate/react";`);
  assert.doesNotMatch(unused, /fnv|readConsent|useSyncExternalStore|__consentGate/, `unused entries leave nothing:\n${unused}`);
  const used = await bundle(`import { readConsent } from "consent-gate/server"; console.log(readConsent("x"));`);
  assert.match(used, /0x811c9dc5|2166136261/, "a used reader is bundled");
});

it("the bundler entry names every file it needs in a static new URL(…, import.meta.url), and each is packed", (t) => {
  if (!built) return t.skip("pkg/ is not built");
  const locate = readFileSync(installed("locate.mjs"), "utf8");
  const named = [...locate.matchAll(/[=:] new URL\("\.\/([^"?]+)(?:\?no-inline)?", import\.meta\.url\)/g)].map((m) => m[1]);
  const languages = env.files.filter((f) => /^lang\/[^/]+\.json$/.test(f));
  assert.deepEqual(
    named.sort(),
    ["consent-gate-messages.json", "consent-gate-placeholders.js", "consent-gate-ui.js", "consent-gate-ui-late.js", "consent-gate-ui.wasm", "consent-gate-ui-rest.wasm", "consent-gate.wasm", ...languages].sort(),
    "locate.mjs names the banner module's four files, the core, the placeholders, the messages file and every language file (add a new language there)"
  );
  // The map's keys are the language tags the banner module asks for (lang/<tag>.json).
  for (const m of locate.matchAll(/^\s*"?([a-z-]+)"?: new URL\("\.\/lang\/([^".?]+)\.json/gm)) assert.equal(m[1], m[2]);
});

it("consent-gate/react on a server: useConsent() is false and <Gated> renders its fallback (renderToString)", async (t) => {
  if (!built) return t.skip("pkg/ is not built");
  assert.equal(typeof globalThis.window, "undefined");
  const { createElement } = await import("react");
  const { renderToString } = await import("react-dom/server");
  const { useConsent, Gated } = await import(pathToFileURL(installed("react.mjs")).href);
  const Probe = () => createElement("i", null, String(useConsent("essential")) + "," + String(useConsent("performance")));
  assert.equal(renderToString(createElement(Probe)), "<i>false,false</i>");
  const html = renderToString(createElement(Gated, { category: "marketing", fallback: createElement("b", null, "fallback") }, createElement("u", null, "video")));
  assert.equal(html, "<b>fallback</b>");
  assert.throws(() => renderToString(createElement(() => useConsent(1))), /`category` must be a string/);
});

it("the npm README links only to the web or to files inside the package", (t) => {
  if (!built) return t.skip("pkg/ is not built");
  const readme = readFileSync(installed("README.md"), "utf8");
  const links = [...readme.matchAll(/\]\(([^)]+)\)|<(https?:[^>]+)>/g)].map((m) => m[1] || m[2]);
  for (const link of links) {
    if (/^https?:\/\//.test(link) || link.startsWith("#")) continue;
    assert.ok(!link.startsWith("../") && env.files.includes(link.replace(/^\.\//, "").replace(/#.*$/, "")), `${link} is in the package`);
  }
  // The documentation link is the crate's repository (one place to change it: Cargo.toml).
  const repository = /^repository = "([^"]+)"/m.exec(readFileSync(join(REPO, "Cargo.toml"), "utf8"))[1];
  assert.equal(env.manifest.repository.url, repository, "package.json's repository is Cargo.toml's");
  assert.ok(links.includes(repository), `the README links to ${repository}`);
  for (const word of ["npm install consent-gate", "consent-gate/react", "consent-gate/server", "useConsent", "<script src="]) {
    assert.ok(readme.includes(word), `the README shows ${word}`);
  }
});

it("the npm README's copy command gives a folder the script tag can serve (every file the loader fetches)", (t) => {
  if (!built) return t.skip("pkg/ is not built");
  const readme = readFileSync(installed("README.md"), "utf8");
  const command = /### 1\.[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)[1];
  execFileSync("sh", ["-e", "-c", command], { cwd: env.project });
  const served = join(env.project, "public", "consent-gate");
  for (const file of ["consent-gate.js", "consent-gate.wasm", "consent-gate-ui.js", "consent-gate-ui-late.js", "consent-gate-ui.wasm", "consent-gate-ui-rest.wasm", "lang/de.json", "lang/zh-hant.json"]) {
    assert.ok(existsSync(join(served, file)), `public/consent-gate/${file}`);
  }
});

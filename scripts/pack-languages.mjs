// Copies pkg-template/lang/*.json into pkg/lang/ minified, without the
// translators' "_note" (a visitor downloads the one file for their language).
// Usage: node scripts/pack-languages.mjs <from-dir> <to-dir>
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [from, to] = process.argv.slice(2);
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from).filter((n) => n.endsWith(".json"))) {
  const texts = JSON.parse(readFileSync(join(from, name), "utf8"));
  delete texts._note;
  writeFileSync(join(to, name), JSON.stringify(texts));
}

#!/usr/bin/env node
// The built-in tracker list (data/trackers.txt) for the places that need it:
//
//   node scripts/trackers.mjs --define   the JSON object consent-gate-block.js is
//                                        built with: { category: "host host …" }
//   node scripts/trackers.mjs --readme   the README's table (Markdown)
//
// src/model/hosts.rs reads the same file (and checks it); tests/e2e/autoblock.test.mjs
// checks that the README's table is this one.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const FILE = join(dirname(fileURLToPath(import.meta.url)), "..", "data", "trackers.txt");

/** Every host of the list: { host, category, kind, source }, in file order. */
export function trackers(text = readFileSync(FILE, "utf8")) {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [host, category, kind, source] = line.split(/\s+/);
      return { host, category, kind, source };
    });
}

/** { category: "host host …" }, the form consent-gate-block.js carries. */
export function byCategory(list = trackers()) {
  const out = {};
  for (const t of list) out[t.category] = out[t.category] ? `${out[t.category]} ${t.host}` : t.host;
  return out;
}

/** The README's table. */
export function readmeTable(list = trackers()) {
  const rows = list.map((t) => `| \`${t.host}\` | ${t.category} | ${t.kind} | <${t.source}> |`);
  return ["| host (and its subdomains) | category | kind | source |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--define")) process.stdout.write(JSON.stringify(byCategory()));
  else if (process.argv.includes("--readme")) process.stdout.write(readmeTable() + "\n");
  else {
    console.error("usage: node scripts/trackers.mjs --define | --readme");
    process.exit(2);
  }
}

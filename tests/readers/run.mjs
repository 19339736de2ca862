// Runs the JavaScript reader on every golden vector; prints the results as
// JSON (tests/readers.rs compares them with the vectors). Also checks that
// `now` may be a Date.
import { readFileSync } from "node:fs";
import { readConsent } from "../../pkg-template/server/index.mjs";

const doc = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = {
  valid: doc.valid.map((v) => readConsent(v.value, doc.now)),
  validAtDate: doc.valid.map((v) => readConsent(v.value, new Date(doc.nowIso))),
  defaultNow: doc.valid.map((v) => readConsent(v.value)),
  invalid: doc.invalid.map((v) => readConsent(v.value, doc.now)),
};
console.log(JSON.stringify(out));

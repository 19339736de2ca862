// Tells the loader and the banner module where their files are when a bundler
// (Vite, webpack 5, Rollup with an import-meta-url plugin) emitted them under
// hashed names: there is no script tag to find them next to. Each file is
// named in a static `new URL("./…", import.meta.url)`, the pattern bundlers
// recognise and emit; a computed name would not be emitted.
// "?no-inline": Vite would otherwise inline files under 4 KiB into the app's
// JavaScript as data: URLs (every language for every visitor); bundlers drop
// the query from the emitted name, and a static server ignores it.
globalThis.__consentGateWasm = new URL("./consent-gate.wasm?no-inline", import.meta.url).href;
globalThis.__consentGateUi = new URL("./consent-gate-ui.js?no-inline", import.meta.url).href;
globalThis.__consentGateUiWasm = new URL("./consent-gate-ui.wasm?no-inline", import.meta.url).href;
// The rest of the banner module, fetched once the banner is drawn.
globalThis.__consentGateUiRestWasm = new URL("./consent-gate-ui-rest.wasm?no-inline", import.meta.url).href;
// The banner module entry's late part, imported beside the rest.
globalThis.__consentGateUiLate = new URL("./consent-gate-ui-late.js?no-inline", import.meta.url).href;
// Placeholders for blocked embeds, imported only for a page that has one.
globalThis.__consentGatePlaceholders = new URL("./consent-gate-placeholders.js?no-inline", import.meta.url).href;
// The words of the config diagnostics, fetched only when the config has a problem.
globalThis.__consentGateMessages = new URL("./consent-gate-messages.json?no-inline", import.meta.url).href;
// The built-in languages (lang/<tag>.json), for the banner module.
globalThis.__consentGateLang = {
  af: new URL("./lang/af.json?no-inline", import.meta.url).href,
  ar: new URL("./lang/ar.json?no-inline", import.meta.url).href,
  az: new URL("./lang/az.json?no-inline", import.meta.url).href,
  bg: new URL("./lang/bg.json?no-inline", import.meta.url).href,
  bn: new URL("./lang/bn.json?no-inline", import.meta.url).href,
  ca: new URL("./lang/ca.json?no-inline", import.meta.url).href,
  cs: new URL("./lang/cs.json?no-inline", import.meta.url).href,
  cy: new URL("./lang/cy.json?no-inline", import.meta.url).href,
  da: new URL("./lang/da.json?no-inline", import.meta.url).href,
  de: new URL("./lang/de.json?no-inline", import.meta.url).href,
  el: new URL("./lang/el.json?no-inline", import.meta.url).href,
  es: new URL("./lang/es.json?no-inline", import.meta.url).href,
  et: new URL("./lang/et.json?no-inline", import.meta.url).href,
  eu: new URL("./lang/eu.json?no-inline", import.meta.url).href,
  fa: new URL("./lang/fa.json?no-inline", import.meta.url).href,
  fi: new URL("./lang/fi.json?no-inline", import.meta.url).href,
  fil: new URL("./lang/fil.json?no-inline", import.meta.url).href,
  fr: new URL("./lang/fr.json?no-inline", import.meta.url).href,
  ga: new URL("./lang/ga.json?no-inline", import.meta.url).href,
  gl: new URL("./lang/gl.json?no-inline", import.meta.url).href,
  he: new URL("./lang/he.json?no-inline", import.meta.url).href,
  hi: new URL("./lang/hi.json?no-inline", import.meta.url).href,
  hr: new URL("./lang/hr.json?no-inline", import.meta.url).href,
  hu: new URL("./lang/hu.json?no-inline", import.meta.url).href,
  id: new URL("./lang/id.json?no-inline", import.meta.url).href,
  is: new URL("./lang/is.json?no-inline", import.meta.url).href,
  it: new URL("./lang/it.json?no-inline", import.meta.url).href,
  ja: new URL("./lang/ja.json?no-inline", import.meta.url).href,
  ko: new URL("./lang/ko.json?no-inline", import.meta.url).href,
  lt: new URL("./lang/lt.json?no-inline", import.meta.url).href,
  lv: new URL("./lang/lv.json?no-inline", import.meta.url).href,
  mk: new URL("./lang/mk.json?no-inline", import.meta.url).href,
  mr: new URL("./lang/mr.json?no-inline", import.meta.url).href,
  ms: new URL("./lang/ms.json?no-inline", import.meta.url).href,
  mt: new URL("./lang/mt.json?no-inline", import.meta.url).href,
  nb: new URL("./lang/nb.json?no-inline", import.meta.url).href,
  nl: new URL("./lang/nl.json?no-inline", import.meta.url).href,
  pl: new URL("./lang/pl.json?no-inline", import.meta.url).href,
  pt: new URL("./lang/pt.json?no-inline", import.meta.url).href,
  "pt-br": new URL("./lang/pt-br.json?no-inline", import.meta.url).href,
  ro: new URL("./lang/ro.json?no-inline", import.meta.url).href,
  ru: new URL("./lang/ru.json?no-inline", import.meta.url).href,
  sk: new URL("./lang/sk.json?no-inline", import.meta.url).href,
  sl: new URL("./lang/sl.json?no-inline", import.meta.url).href,
  sq: new URL("./lang/sq.json?no-inline", import.meta.url).href,
  sr: new URL("./lang/sr.json?no-inline", import.meta.url).href,
  "sr-latn": new URL("./lang/sr-latn.json?no-inline", import.meta.url).href,
  sv: new URL("./lang/sv.json?no-inline", import.meta.url).href,
  sw: new URL("./lang/sw.json?no-inline", import.meta.url).href,
  ta: new URL("./lang/ta.json?no-inline", import.meta.url).href,
  th: new URL("./lang/th.json?no-inline", import.meta.url).href,
  tr: new URL("./lang/tr.json?no-inline", import.meta.url).href,
  uk: new URL("./lang/uk.json?no-inline", import.meta.url).href,
  ur: new URL("./lang/ur.json?no-inline", import.meta.url).href,
  vi: new URL("./lang/vi.json?no-inline", import.meta.url).href,
  zh: new URL("./lang/zh.json?no-inline", import.meta.url).href,
  "zh-hant": new URL("./lang/zh-hant.json?no-inline", import.meta.url).href
};

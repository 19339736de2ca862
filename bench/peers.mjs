// The libraries compared by the benchmark: one entry each, configured as equivalently
// as each allows (bench/README.md lists where they differ).
//
// Every entry has:
//   id, name, version, pkg        pkg: the npm package served at /peers/<pkg>/ (null: pkg/)
//   render(lang)                  { head, body }: the library's tags, config and gated stub
//   banner                        JS expression: the first-layer banner element (or null)
//   accept                        JS expression: its "accept all" button
//   query / queryLabel            JS expression of a function asking "is analytics granted?"
//   acceptHasOwnListener          (optional) wait for the button's click listener before clicking
//   notes                         where this peer differs from the common setup
//
// The common setup: four categories (essential, performance/analytics, functional,
// marketing) with one or two services each, English (German for the `de` visit),
// the banner on a first visit, and one gated analytics stub (/stub/analytics.js)
// that must run after "accept all".
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PKG } from "./server.mjs";

export const STUB = "/stub/analytics.js";
const POLICY = "/privacy";

/** The site every library is configured for. */
export const SITE = {
  categories: [
    {
      id: "essential",
      label: { en: "Essential", de: "Notwendig" },
      description: { en: "Needed for the site to work: security, signing in, this choice.", de: "Für den Betrieb der Website nötig: Sicherheit, Anmeldung, diese Auswahl." },
      services: [{ id: "session", label: "Sign-in session", cookies: ["site_session"] }],
    },
    {
      id: "performance",
      label: { en: "Performance", de: "Statistik" },
      description: { en: "Counts visits so we can improve the site.", de: "Zählt Besuche, damit wir die Website verbessern können." },
      services: [
        { id: "google-analytics", label: "Google Analytics", cookies: ["_ga", "_gid"] },
        { id: "matomo", label: "Matomo", cookies: ["_pk_id"] },
      ],
    },
    {
      id: "functional",
      label: { en: "Functional", de: "Funktional" },
      description: { en: "Remembers your preferences, such as the video player's settings.", de: "Speichert Ihre Einstellungen, etwa die des Videoplayers." },
      services: [{ id: "video-player", label: "Video player", cookies: ["player_prefs"] }],
    },
    {
      id: "marketing",
      label: { en: "Marketing", de: "Marketing" },
      description: { en: "Shows ads that match your interests, here and on other sites.", de: "Zeigt Werbung passend zu Ihren Interessen, hier und anderswo." },
      services: [
        { id: "ads-pixel", label: "Ads pixel", cookies: ["_ads"] },
        { id: "youtube", label: "YouTube", cookies: ["VISITOR_INFO1_LIVE"] },
      ],
    },
  ],
};

/** First-layer texts, for the libraries that ship none (the site writes them). */
const TEXTS = {
  en: {
    title: "We use cookies",
    description: "Essential cookies keep this site working. Optional cookies for analytics, preferences and marketing stay off until you agree.",
    acceptAll: "Accept all", rejectAll: "Reject all", preferences: "Preferences", save: "Save choices",
    close: "Close", preferencesTitle: "Cookie settings", policy: "Cookie policy",
  },
  de: {
    title: "Wir verwenden Cookies",
    description: "Notwendige Cookies sorgen dafür, dass diese Website funktioniert. Optionale Cookies bleiben aus, bis Sie zustimmen.",
    acceptAll: "Alle akzeptieren", rejectAll: "Alle ablehnen", preferences: "Einstellungen", save: "Auswahl speichern",
    close: "Schließen", preferencesTitle: "Cookie-Einstellungen", policy: "Cookie-Richtlinie",
  },
};

const json = (value) => JSON.stringify(value, null, 1).replace(/</g, "\\u003c");
const pkgVersion = (dir) => {
  try {
    return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
  } catch {
    return "?";
  }
};
const BENCH_MODULES = new URL("./node_modules/", import.meta.url).pathname;

// ---------------------------------------------------------------------------------------
const consentGate = {
  id: "consent-gate",
  name: "Consent Gate",
  pkg: null,
  get version() {
    return pkgVersion(PKG);
  },
  render() {
    const categories = {};
    for (const c of SITE.categories) {
      const services = {};
      for (const s of c.services) {
        services[s.id] = { label: s.label, cookies: s.cookies.map((name) => ({ name })) };
      }
      categories[c.id] = { label: c.label.en, description: c.description.en, services };
    }
    const config = { policyUrl: POLICY, categories };
    return {
      head: `<script type="application/json" id="consent-gate-config">${json(config)}</script>
<script src="/consent-gate/consent-gate.js"></script>
<script type="text/plain" data-category="performance" src="${STUB}"></script>`,
      body: "",
    };
  },
  banner: `document.querySelector("#consent-gate")?.shadowRoot?.querySelector('[data-cg="banner"]')`,
  accept: `document.querySelector("#consent-gate")?.shadowRoot?.querySelector('button[data-action="accept-all"]')`,
  query: `() => ConsentGate.accepted("performance")`,
  queryLabel: `ConsentGate.accepted("performance")`,
  notes: [
    "Embedded as documented: the JSON config block, then the loader, first in <head>; the .wasm (and lang/de.json for a German visitor) is fetched by the loader.",
    "Built-in texts (English; German from lang/de.json); categories labelled in the config (English labels; the German visit keeps them).",
  ],
};

// ---------------------------------------------------------------------------------------
const VANILLA_CATEGORY = { essential: "necessary", performance: "analytics", functional: "functionality", marketing: "marketing" };
const vanilla = {
  id: "vanilla-cookieconsent",
  name: "vanilla-cookieconsent",
  pkg: "vanilla-cookieconsent",
  get version() {
    return pkgVersion(join(BENCH_MODULES, this.pkg));
  },
  render(lang) {
    const translation = (l) => {
      const t = TEXTS[l];
      return {
        consentModal: {
          title: t.title,
          description: t.description,
          acceptAllBtn: t.acceptAll,
          acceptNecessaryBtn: t.rejectAll,
          showPreferencesBtn: t.preferences,
          footer: `<a href="${POLICY}">${t.policy}</a>`,
        },
        preferencesModal: {
          title: t.preferencesTitle,
          acceptAllBtn: t.acceptAll,
          acceptNecessaryBtn: t.rejectAll,
          savePreferencesBtn: t.save,
          closeIconLabel: t.close,
          sections: SITE.categories.map((c) => ({
            title: c.label[l],
            description: c.description[l],
            linkedCategory: VANILLA_CATEGORY[c.id],
          })),
        },
      };
    };
    const categories = {};
    for (const c of SITE.categories) {
      const services = {};
      for (const s of c.services) services[s.id] = { label: s.label, cookies: s.cookies.map((name) => ({ name })) };
      categories[VANILLA_CATEGORY[c.id]] = c.id === "essential" ? { enabled: true, readOnly: true, services } : { services };
    }
    const config = {
      // Headless Chromium sets navigator.webdriver: without this the library treats the
      // visitor as a bot and never shows the banner (hideFromBots defaults to true).
      hideFromBots: false,
      guiOptions: { consentModal: { layout: "bar", position: "bottom" } },
      categories,
      language: { default: "en", autoDetect: "document", translations: { [lang]: translation(lang) } },
    };
    return {
      head: `<link rel="stylesheet" href="/peers/vanilla-cookieconsent/dist/cookieconsent.css">
<script type="text/plain" data-category="analytics" src="${STUB}"></script>`,
      body: `<script src="/peers/vanilla-cookieconsent/dist/cookieconsent.umd.js"></script>
<script>CookieConsent.run(${json(config)});</script>`,
    };
  },
  banner: `document.querySelector("#cc-main .cm")`,
  accept: `document.querySelector('#cc-main .cm [data-role="all"]')`,
  query: `() => CookieConsent.acceptedCategory("analytics")`,
  queryLabel: `CookieConsent.acceptedCategory("analytics")`,
  notes: [
    "Ships no texts: the site writes every text into its config (in the page, not counted in the payload); the German visit gets a German translation there.",
    "`hideFromBots: false`: by default it hides itself when navigator.webdriver is set, as in any automated browser.",
    "Layout `bar`, position `bottom`; CSS from dist/cookieconsent.css, the UMD build at the end of <body>.",
  ],
};

// ---------------------------------------------------------------------------------------
const orejime = {
  id: "orejime",
  name: "orejime",
  pkg: "orejime",
  get version() {
    return pkgVersion(join(BENCH_MODULES, this.pkg));
  },
  render(lang) {
    const config = {
      privacyPolicyUrl: POLICY,
      purposes: SITE.categories.map((c) => ({
        id: c.id,
        title: c.label.en,
        description: c.description.en,
        purposes: c.services.map((s) => ({
          id: s.id,
          title: s.label,
          cookies: s.cookies,
          ...(c.id === "essential" ? { isMandatory: true } : {}),
        })),
      })),
    };
    // One bundle per language (theme "standard"); the site picks it for the visitor.
    const bundle = lang === "de" ? "orejime-standard-de.js" : "orejime-standard-en.js";
    return {
      head: `<link rel="stylesheet" href="/peers/orejime/dist/orejime-standard.css">
<template data-purpose="google-analytics"><script src="${STUB}"></script></template>`,
      body: `<script>window.orejimeConfig = ${json(config)};</script>
<script src="/peers/orejime/dist/${bundle}"></script>`,
    };
  },
  banner: `document.querySelector(".orejime-Banner")`,
  accept: `document.querySelector('[data-testid="orejime-banner-accept"]')`,
  query: `() => orejime.manager.getConsent("google-analytics")`,
  queryLabel: `orejime.manager.getConsent("google-analytics")`,
  notes: [
    "Consent is per purpose: the four categories are purpose groups holding the services; the stub is a `<template data-purpose=\"google-analytics\">` (orejime 3 gates templates, not data-name attributes).",
    "One JS bundle per language (orejime-standard-en.js / -de.js) plus orejime-standard.css; `privacyPolicyUrl` is required.",
  ],
};

// ---------------------------------------------------------------------------------------
const osano = {
  id: "osano-cookieconsent",
  name: "Osano cookieconsent",
  pkg: "cookieconsent",
  get version() {
    return pkgVersion(join(BENCH_MODULES, this.pkg));
  },
  render(lang) {
    const t = TEXTS[lang];
    const options = {
      type: "opt-in",
      position: "bottom",
      theme: "block",
      content: { header: t.title, message: t.description, allow: t.acceptAll, deny: t.rejectAll, link: t.policy, href: POLICY },
    };
    // No categories and no gating: the site runs the stub itself once the visitor allows.
    return {
      head: `<link rel="stylesheet" href="/peers/cookieconsent/build/cookieconsent.min.css">`,
      body: `<script src="/peers/cookieconsent/build/cookieconsent.min.js"></script>
<script>
(function () {
  function runStub(popup) {
    if (!popup.hasConsented() || window.__stubAdded) return;
    window.__stubAdded = true;
    var s = document.createElement("script");
    s.src = ${JSON.stringify(STUB)};
    document.head.appendChild(s);
  }
  var options = ${json(options)};
  options.onInitialise = function () { runStub(this); };
  options.onStatusChange = function () { runStub(this); };
  window.cookieconsent.initialise(options, function (popup) { window.ccPopup = popup; });
})();
</script>`,
    };
  },
  banner: `document.querySelector(".cc-window")`,
  accept: `document.querySelector(".cc-window .cc-allow")`,
  query: `() => ccPopup.hasConsented()`,
  queryLabel: `popup.hasConsented() (reads the cookieconsent_status cookie)`,
  notes: [
    "One consent for everything (opt-in: allow/deny): no categories, no services, no preferences dialog.",
    "No script gating: the stub is added by the site from onInitialise/onStatusChange once `hasConsented()`.",
    "Ships English defaults only: the site writes the texts into its options (German for the German visit).",
  ],
};

// ---------------------------------------------------------------------------------------
// Klaro's own "functional" purpose means "service provision" (required, left out of the
// notice), so essential maps to it and the refusable functional category is "preferences".
const KLARO_PURPOSE = { essential: "functional", performance: "performance", functional: "preferences", marketing: "marketing" };
const klaro = {
  id: "klaro",
  name: "klaro",
  pkg: "klaro",
  get version() {
    return pkgVersion(join(BENCH_MODULES, this.pkg));
  },
  render() {
    const services = [];
    for (const c of SITE.categories) {
      for (const s of c.services) {
        services.push({
          name: s.id,
          title: s.label,
          purposes: [KLARO_PURPOSE[c.id]],
          cookies: s.cookies,
          ...(c.id === "essential" ? { required: true } : {}),
        });
      }
    }
    const config = {
      version: 1,
      groupByPurpose: true,
      acceptAll: true,
      storageMethod: "cookie",
      services,
      translations: {
        zz: { privacyPolicyUrl: POLICY },
        en: { purposes: { preferences: { title: "Functional", description: SITE.categories[2].description.en } } },
        de: { purposes: { preferences: { title: "Funktional", description: SITE.categories[2].description.de } } },
      },
    };
    return {
      head: `<script>var klaroConfig = ${json(config)};</script>
<script defer src="/peers/klaro/dist/klaro.js"></script>
<script type="text/plain" data-type="text/javascript" data-name="google-analytics" data-src="${STUB}"></script>`,
      body: "",
    };
  },
  banner: `document.querySelector(".klaro .cookie-notice")`,
  accept: `document.querySelector(".klaro .cookie-notice .cm-btn-success")`,
  query: `() => klaro.getManager().getConsent("google-analytics")`,
  queryLabel: `klaro.getManager().getConsent("google-analytics")`,
  notes: [
    "Consent is per service, grouped by purpose (`groupByPurpose`); the stub is `data-name=\"google-analytics\"` with `data-src`.",
    "Klaro's own `functional` purpose means service provision (always on, left out of the notice): essential maps to it, the refusable functional category is a `preferences` purpose.",
    "The documented default build, dist/klaro.js: CSS and every translation inside the one file (the language comes from <html lang>).",
  ],
};

// ---------------------------------------------------------------------------------------
// Custom tarteaucitron services (unique keys: the bundled catalogue must not overwrite them).
const TAC_TYPE = { essential: null, performance: "analytic", functional: "other", marketing: "ads" };
const tarteaucitron = {
  id: "tarteaucitron",
  name: "tarteaucitron",
  pkg: "tarteaucitronjs",
  get version() {
    return pkgVersion(join(BENCH_MODULES, this.pkg));
  },
  render() {
    const params = {
      privacyUrl: POLICY,
      orientation: "bottom",
      groupServices: true,
      showIcon: false,
      highPrivacy: true,
      mandatory: true,
      adblocker: false,
      AcceptAllCta: true,
      DenyAllCta: true,
      googleConsentMode: false,
      bingConsentMode: false,
      pianoConsentMode: false,
    };
    const defs = [];
    for (const c of SITE.categories) {
      if (!TAC_TYPE[c.id]) continue; // essential: tarteaucitron's "mandatory" notice, not a service
      for (const s of c.services) {
        const key = "bench" + s.id.replace(/[^a-z]/g, "");
        const js = s.id === "google-analytics" ? `function () { tarteaucitron.addScript(${JSON.stringify(STUB)}); }` : "function () {}";
        defs.push(`tarteaucitron.services[${JSON.stringify(key)}] = { key: ${JSON.stringify(key)}, type: ${JSON.stringify(TAC_TYPE[c.id])}, name: ${JSON.stringify(s.label)}, needConsent: true, cookies: ${JSON.stringify(s.cookies)}, js: ${js}, fallback: function () {} };
(tarteaucitron.job = tarteaucitron.job || []).push(${JSON.stringify(key)});`);
      }
    }
    return {
      head: `<script src="/peers/tarteaucitronjs/tarteaucitron.min.js"></script>
<script>
tarteaucitron.init(${json(params)});
${defs.join("\n")}
</script>`,
      body: "",
    };
  },
  banner: `document.querySelector("#tarteaucitronAlertBig")`,
  accept: `document.querySelector("#tarteaucitronPersonalize2")`,
  // Its buttons get their click handlers 500 ms after the banner is shown ("a little
  // timeout to be sure everything is accessible"): a click before that does nothing.
  acceptHasOwnListener: true,
  query: `() => tarteaucitron.state.benchgoogleanalytics`,
  queryLabel: `tarteaucitron.state["benchgoogleanalytics"] (a property read)`,
  notes: [
    "Consent is per service; the four categories are service types (analytic, other, ads) grouped with `groupServices`, essential is its `mandatory` notice.",
    "The stub is a custom service whose `js` calls `tarteaucitron.addScript` (tarteaucitron gates services, not markup).",
    "As documented (`useExternalJs: false`), the loader fetches its CSS, a language file (lang/tarteaucitron.<lang>.min.js) and the whole services catalogue (tarteaucitron.services.min.js) after the load event.",
    "Its buttons get their click listeners 500 ms after the banner shows (a click before does nothing): the bench waits for the listener before timing accept → stub, and records when it appeared.",
    "Google/Bing/Piano consent modes off, no icon, no adblocker probe (defaults changed to match the others).",
  ],
};

/** Every library, Consent Gate first. */
export const PEERS = [consentGate, vanilla, orejime, osano, klaro, tarteaucitron];

/** The npm packages served under /peers/. */
export const PEER_PACKAGES = PEERS.map((p) => p.pkg).filter(Boolean);

/** A control page: the same page with no consent library at all (baseline FCP, heap). */
export const CONTROL = {
  id: "control",
  name: "(no library)",
  pkg: null,
  version: "",
  render: () => ({ head: "", body: "" }),
  banner: null,
  accept: null,
  query: null,
  notes: ["The bench page alone: the baseline for first paint and heap."],
};

const PAGE_CSS = `body{margin:0;font:16px/1.6 system-ui,sans-serif;color:#1f2328;background:#fff}
header,main,footer{max-width:46rem;margin:0 auto;padding:1rem 1.5rem}
header{border-bottom:1px solid #d0d7de}h1{font-size:2rem;line-height:1.2}`;

const PARAGRAPH = `Short, practical courses written by people who do the work every day. Watch a lesson,
try the exercise, come back tomorrow. Every lesson fits in an evening and ends with something you can use.`;

/** The HTML of a bench page for one library and language. */
export function renderPage(id, lang) {
  const peer = id === CONTROL.id ? CONTROL : PEERS.find((p) => p.id === id);
  if (!peer || !["en", "de"].includes(lang)) return null;
  const { head, body } = peer.render(lang);
  const paragraphs = Array.from({ length: 8 }, () => `<p>${PARAGRAPH}</p>`).join("\n");
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
${head}
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bench page · ${peer.name}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header><strong>Lumen Academy</strong></header>
<main>
<h1>Learn something useful in an evening</h1>
${paragraphs}
</main>
<footer><a href="${POLICY}">Privacy</a></footer>
${body}
</body>
</html>
`;
}

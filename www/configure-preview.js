// The configurator's preview frame (configure-preview.html): a classic script
// placed BEFORE the loader tag. It turns the address's fragment (the config as
// JSON text) into the inline config block the loader reads first, so the
// preview runs exactly what the copied snippet runs. No inline script: the
// page has a strict CSP.
//
//   /configure-preview.html?prefs=1&n=7#<encodeURIComponent(JSON text)>
//
// The preview must not touch the site's own consent: it sets `cookie.name` to
// a preview cookie (dropping `cookie.domain`) and clears that cookie and its
// localStorage mirror before the loader runs, so every reload shows the banner.
// The configurator's checker reports the cookie settings as written.
(function () {
  "use strict";
  var PREVIEW_COOKIE = "consent_gate_preview";
  var query = new URLSearchParams(location.search);
  var text = "";
  try {
    text = decodeURIComponent(location.hash.slice(1));
  } catch (e) {
    text = "";
  }
  var config = null;
  try {
    config = JSON.parse(text);
  } catch (e) {
    // Not JSON: handed to the loader as it is, which fails closed (no banner).
  }
  if (config && typeof config === "object" && !Array.isArray(config)) {
    var cookie = config.cookie && typeof config.cookie === "object" && !Array.isArray(config.cookie) ? config.cookie : {};
    var own = {};
    for (var key in cookie) if (Object.prototype.hasOwnProperty.call(cookie, key) && key !== "domain") own[key] = cookie[key];
    own.name = PREVIEW_COOKIE;
    config.cookie = own;
    text = JSON.stringify(config);
    var theme = config.theme;
    document.documentElement.setAttribute("data-page-theme", theme === "light" || theme === "dark" ? theme : "auto");
  }
  document.cookie = PREVIEW_COOKIE + "=; Max-Age=0; Path=/; SameSite=Lax";
  try {
    localStorage.removeItem(PREVIEW_COOKIE);
  } catch (e) {
    // Storage that throws: nothing stored to clear.
  }

  // The inline config block (a data block, not a script: a strict CSP allows it).
  var block = document.createElement("script");
  block.type = "application/json";
  block.id = "consent-gate-config";
  block.textContent = text;
  document.head.appendChild(block);

  // Tell the configurator how the run went: "banner", "preferences" or "failed".
  var run = query.get("n") || "";
  function report(state, detail) {
    if (window.parent === window) return;
    window.parent.postMessage({ source: "consent-gate-preview", run: run, state: state, detail: detail || "" }, location.origin);
  }
  function start() {
    var gate = window.ConsentGate;
    if (!gate || !gate.ready) return report("failed", "the loader did not start");
    gate.ready.then(
      function () {
        if (query.get("prefs") === "1") {
          return Promise.resolve(gate.showPreferences()).then(function () {
            report("preferences");
          });
        }
        report("banner");
      },
      function (error) {
        report("failed", (error && error.message) || String(error));
      }
    );
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

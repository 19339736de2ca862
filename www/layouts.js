// The layouts page: marks the current choice and shows the banner again when
// the visitor picked a layout, theme or language (even after deciding).
(function () {
  "use strict";
  var query = new URLSearchParams(location.search);
  var config = window.ConsentGateConfig || {};

  function start() {
    var current = document.querySelector("[data-current-config]");
    if (current) {
      var shown = { layout: config.layout || "bar", theme: config.theme || "auto" };
      if (config.blockPage) shown.blockPage = true;
      if (config.language) shown.language = config.language;
      current.textContent = JSON.stringify(shown);
    }
    var links = document.querySelectorAll("[data-try]");
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      if (url.search === location.search && location.search) links[i].setAttribute("aria-current", "page");
    }
    document.addEventListener("click", function (event) {
      var button = event.target && event.target.closest && event.target.closest("[data-show-banner]");
      if (!button) return;
      event.preventDefault();
      window.ConsentGate.showBanner();
    });
    var gate = window.ConsentGate;
    if (!gate) return;
    gate.ready.then(function () {
      if ((query.has("layout") || query.has("theme") || query.has("lang")) && gate.get()) gate.showBanner();
    }, function () {});
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

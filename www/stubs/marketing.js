// Demo stand-in for a marketing tag. Consent Gate runs it only once the visitor
// grants the "marketing" category. It records that it ran and shows a badge.
(function () {
  "use strict";
  var script = document.currentScript;
  (window.__consentGateDemoRan = window.__consentGateDemoRan || []).push("marketing");
  if (script) script.setAttribute("data-ran", "true");
  document.documentElement.setAttribute("data-ran-marketing", "true");

  function badge() {
    var host = document.querySelector("[data-demo-badges]") || document.body;
    var el = document.createElement("p");
    el.className = "badge";
    el.setAttribute("data-badge", "marketing");
    el.textContent = "Marketing stub ran";
    host.appendChild(el);
  }
  if (document.body && document.readyState !== "loading") badge();
  else document.addEventListener("DOMContentLoaded", badge);
})();

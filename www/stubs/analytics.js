// Demo stand-in for an analytics tag. Consent Gate runs it only once the visitor
// grants the "performance" category. It records that it ran and shows a badge.
(function () {
  "use strict";
  var script = document.currentScript;
  (window.__consentGateDemoRan = window.__consentGateDemoRan || []).push("analytics");
  if (script) script.setAttribute("data-ran", "true");
  document.documentElement.setAttribute("data-ran-analytics", "true");

  function badge() {
    var host = document.querySelector("[data-demo-badges]") || document.body;
    var el = document.createElement("p");
    el.className = "badge";
    el.setAttribute("data-badge", "analytics");
    el.textContent = "Analytics stub ran";
    host.appendChild(el);
  }
  if (document.body && document.readyState !== "loading") badge();
  else document.addEventListener("DOMContentLoaded", badge);
})();

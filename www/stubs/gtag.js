// Demo stand-in for Google's gtag.js, for consent-mode.html. Like the real
// library it is NOT gated (Consent Mode's "advanced" setup: the tag loads for
// everyone and adapts to the consent state it is given), so it must come after
// the Consent Gate loader, which has already pushed the `default`.
//
// It defines the usual `gtag()` helper if the page has not, reads the commands
// already queued in window.dataLayer, then watches for new ones, and shows the
// consent state it holds in [data-consent-mode] and every command it received
// in [data-consent-mode-log]. It never sets a cookie or sends anything.
(function () {
  "use strict";
  var TYPES = [
    "ad_storage",
    "ad_user_data",
    "ad_personalization",
    "analytics_storage",
    "functionality_storage",
    "personalization_storage",
    "security_storage"
  ];
  var state = {};
  var log = [];
  var dataLayer = (window.dataLayer = window.dataLayer || []);
  if (typeof window.gtag !== "function") {
    window.gtag = function () {
      dataLayer.push(arguments);
    };
  }

  function describe(args) {
    var words = [];
    for (var i = 0; i < args.length; i++) {
      var a = args[i];
      if (a && typeof a === "object" && !(a instanceof Date)) {
        var parts = [];
        for (var k in a) parts.push(k + ": " + a[k]);
        words.push("{ " + parts.join(", ") + " }");
      } else {
        words.push(a instanceof Date ? "(date)" : String(a));
      }
    }
    return words.join(" ");
  }

  function handle(args) {
    if (!args || typeof args.length !== "number" || typeof args[0] !== "string") return; // an event object
    log.push(describe(args));
    if (args[0] === "consent" && (args[1] === "default" || args[1] === "update") && args[2]) {
      for (var i = 0; i < TYPES.length; i++) {
        var value = args[2][TYPES[i]];
        if (value === "granted" || value === "denied") state[TYPES[i]] = value;
      }
    }
    render();
  }

  function cell(tag, text, attrs) {
    var el = document.createElement(tag);
    el.textContent = text;
    for (var k in attrs || {}) el.setAttribute(k, attrs[k]);
    return el;
  }

  function render() {
    if (document.readyState === "loading") return;
    var box = document.querySelector("[data-consent-mode]");
    if (box) {
      var table = document.createElement("table");
      var head = document.createElement("tr");
      head.appendChild(cell("th", "Storage type", { scope: "col" }));
      head.appendChild(cell("th", "State", { scope: "col" }));
      table.appendChild(head);
      for (var i = 0; i < TYPES.length; i++) {
        var s = state[TYPES[i]] || "not set";
        var row = document.createElement("tr");
        row.appendChild(cell("td", TYPES[i]));
        var value = row.appendChild(cell("td", "", { "data-consent-type": TYPES[i], "data-state": s }));
        value.appendChild(cell("span", s, { class: "pill " + (s === "granted" ? "on" : "off") }));
        table.appendChild(row);
      }
      box.textContent = "";
      box.appendChild(table);
    }
    var list = document.querySelector("[data-consent-mode-log]");
    if (list) {
      list.textContent = "";
      for (var j = 0; j < log.length; j++) list.appendChild(cell("li", log[j]));
    }
  }

  for (var i = 0; i < dataLayer.length; i++) handle(dataLayer[i]);
  var push = dataLayer.push;
  dataLayer.push = function () {
    var result = push.apply(dataLayer, arguments);
    for (var i = 0; i < arguments.length; i++) handle(arguments[i]);
    return result;
  };
  window.gtag("js", new Date());
  window.gtag("config", "G-DEMO0000");
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render);
  else render();
})();

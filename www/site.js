// Lumen Academy: the page's own script. It is NOT gated: it shows that any
// JavaScript on the page can ask Consent Gate what the visitor granted.
(function () {
  "use strict";

  var CATEGORIES = [
    ["essential", "Essential"],
    ["performance", "Performance"],
    ["functional", "Functional"],
    ["marketing", "Marketing"]
  ];
  var gate = window.ConsentGate;

  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) el.className = className;
    return el;
  }

  function formatDate(iso) {
    var date = new Date(iso);
    return isNaN(date) ? String(iso) : date.toLocaleString();
  }

  // Renders the visitor's current choices into every [data-consent-status] box.
  function renderStatus() {
    var boxes = document.querySelectorAll("[data-consent-status]");
    var record = gate.get();
    for (var b = 0; b < boxes.length; b++) {
      var box = boxes[b];
      box.textContent = "";
      var list = document.createElement("dl");
      for (var i = 0; i < CATEGORIES.length; i++) {
        var on = gate.accepted(CATEGORIES[i][0]);
        list.appendChild(text("dt", CATEGORIES[i][1]));
        var dd = document.createElement("dd");
        dd.appendChild(text("span", on ? "granted" : "not granted", "pill " + (on ? "on" : "off")));
        dd.setAttribute("data-category-state", CATEGORIES[i][0]);
        dd.setAttribute("data-granted", on ? "true" : "false");
        list.appendChild(dd);
      }
      box.appendChild(list);
      box.appendChild(
        text(
          "p",
          record
            ? "You decided on " + formatDate(record.decidedAt) + " (last change " + formatDate(record.updatedAt) +
                "). This choice lapses on " + formatDate(record.expiresAt) + "."
            : "You have not made a choice yet, so only essential cookies are in use.",
          "note"
        )
      );
    }
  }

  function renderFailure() {
    var boxes = document.querySelectorAll("[data-consent-status]");
    for (var b = 0; b < boxes.length; b++) {
      boxes[b].textContent = "";
      boxes[b].appendChild(
        text("p", "The consent manager could not start, so every optional feature stays switched off.", "note")
      );
    }
  }

  // The course video: the placeholder stays until marketing is granted.
  function renderVideo() {
    var granted = gate.accepted("marketing");
    var placeholders = document.querySelectorAll("[data-video-placeholder]");
    for (var i = 0; i < placeholders.length; i++) placeholders[i].hidden = granted;
  }

  function render() {
    renderStatus();
    renderVideo();
  }

  function start() {
    // Buttons that open the preferences dialog (links use data-consent-gate="preferences").
    document.addEventListener("click", function (event) {
      var button = event.target && event.target.closest && event.target.closest("[data-open-preferences]");
      if (!button) return;
      event.preventDefault();
      gate.showPreferences();
    });

    if (!gate) return renderFailure();
    gate.on("change", render);
    gate.ready.then(render, renderFailure);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

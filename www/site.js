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
            : gate.accepted("performance") || gate.accepted("functional") || gate.accepted("marketing")
              ? "You have not made a choice yet; where you are, optional cookies are on until you refuse them."
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

  // The consent log's stored versions of this visitor's decision (make demo
  // runs the receiver; /proof/<id> is the demo server's read of it).
  function renderProof() {
    var boxes = document.querySelectorAll("[data-consent-proof]");
    var record = gate.get();
    if (!boxes.length || !record) return;
    fetch("/proof/" + record.id, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(
        function (versions) {
          for (var b = 0; b < boxes.length; b++) {
            var box = boxes[b];
            box.textContent = "";
            var list = document.createElement("ol");
            for (var i = 0; i < versions.length; i++) {
              var v = versions[i];
              var granted = [];
              for (var c = 0; c < CATEGORIES.length; c++) {
                if (v.record.categories[CATEGORIES[c][0]]) granted.push(CATEGORIES[c][0]);
              }
              list.appendChild(
                text("li", "Received " + formatDate(v.receivedAt) + ": " + granted.join(", ") + " (chain hash " + String(v.hash).slice(0, 12) + "…)")
              );
            }
            box.appendChild(text("p", "Consent id " + record.id + ", " + versions.length + " version(s):", "note"));
            box.appendChild(list);
          }
        },
        function () {
          for (var b = 0; b < boxes.length; b++) {
            boxes[b].textContent = "";
            boxes[b].appendChild(text("p", "The consent log is not running here (make demo starts it), or it has no entry yet.", "note"));
          }
        }
      );
  }

  function render() {
    renderStatus();
    renderVideo();
    // The decision's log entry is posted as it is taken: read it a moment later.
    setTimeout(renderProof, 300);
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

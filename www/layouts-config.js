// The layouts page: turns ?layout=…&theme=…&lang=…&block=1 into the Consent Gate
// config. A classic script placed BEFORE the loader tag (config source 3:
// window.ConsentGateConfig must exist when the loader runs). No inline script:
// the demo pages run under a strict CSP.
(function () {
  "use strict";
  var query = new URLSearchParams(location.search);
  var LAYOUTS = ["bar", "bar-top", "box", "modal"];
  var THEMES = ["auto", "light", "dark"];
  var layout = query.get("layout");
  var theme = query.get("theme");
  var lang = query.get("lang");

  var config = {
    policyUrl: "/privacy.html#cookies",
    // A cookie of its own, so trying layouts here leaves your choice for the
    // rest of the demo as it is.
    cookie: { name: "consent_gate_layouts" },
    reloadOnWithdraw: false
  };
  if (LAYOUTS.indexOf(layout) >= 0) config.layout = layout;
  if (config.layout === "modal" && query.get("block") === "1") config.blockPage = true;
  if (THEMES.indexOf(theme) >= 0) config.theme = theme;
  if (lang && /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(lang)) config.language = lang;

  window.ConsentGateConfig = config;
  // The page follows the banner's theme, so a dark banner sits on a dark page.
  document.documentElement.setAttribute("data-page-theme", config.theme || "auto");
})();

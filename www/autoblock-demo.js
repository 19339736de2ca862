// The automatic-blocking demo (autoblock.html). The "trackers" are this site's
// own stand-ins under stats.localhost and ads.localhost (browsers resolve
// *.localhost to this machine), which the page's config lists in blockHosts.
(function () {
  "use strict";
  var port = location.port ? ":" + location.port : "";
  var stats = "http://stats.localhost" + port;
  var ads = "http://ads.localhost" + port;
  // As a classic tag would: written while the page is parsed. Held, not run.
  document.write('<script src="' + stats + '/stubs/analytics.js"><\/script>');
  document.write('<script src="' + ads + '/stubs/marketing.js"><\/script>');

  function held() {
    var list = document.querySelector("[data-held]");
    if (!list) return;
    list.textContent = "";
    var items = document.querySelectorAll('script[type="text/plain"][data-category], iframe[data-src]:not([src])');
    items.forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = e.tagName.toLowerCase() + " " + (e.getAttribute("src") || e.getAttribute("data-src")) + " (" + e.getAttribute("data-category") + ")";
      list.appendChild(li);
    });
    if (!items.length) list.textContent = "Nothing is held.";
  }

  document.addEventListener("DOMContentLoaded", function () {
    held();
    // Where held elements are (not the list itself, which this redraws).
    var observer = new MutationObserver(held);
    var watch = { childList: true, subtree: true, attributes: true, attributeFilter: ["src", "type"] };
    observer.observe(document.head, watch);
    observer.observe(document.querySelector("[data-frames]"), watch);
    observer.observe(document.body, { childList: true });
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-insert]");
      if (!button) return;
      if (button.getAttribute("data-insert") === "script") {
        // As a tag manager does: never fetched until marketing is allowed.
        var s = document.createElement("script");
        s.src = ads + "/stubs/marketing.js?inserted=" + Date.now();
        document.body.appendChild(s);
      } else {
        document.querySelector("[data-frames]").innerHTML =
          '<iframe title="Ad frame" width="300" height="120" src="' + ads + '/stubs/post.html"></iframe>';
      }
    });
  });
})();

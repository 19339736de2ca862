// The gated "analytics" stub of the benchmark: each library runs it only once the
// visitor has granted analytics/performance. It records when it ran.
(function () {
  "use strict";
  window.__stubRanAt = performance.now();
  window.__stubRuns = (window.__stubRuns || 0) + 1;
  if (typeof window.__onStub === "function") window.__onStub();
})();
